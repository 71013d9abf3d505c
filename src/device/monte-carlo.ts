// `rram-gen variation`: accuracy of a design and its k-bit baseline over many
// simulated dies (src/device/variation.ts), on the same dies and the same
// images, at one or more variation levels σ.
import type { NetIR } from '../ir/types.js';
import { runNet } from '../golden/model.js';
import type { CellSlicing } from './mapping.js';
import { type VariationModel, makeDie, runDie } from './variation.js';
import { idealCalibration, recalibrateDie } from './recalibrate.js';

export interface DesignUnderTest {
  /** "1-bit design", "8-bit baseline", … */
  label: string;
  net: NetIR;
}

export interface MonteCarloOptions {
  sigmas: number[];
  model: Omit<VariationModel, 'sigma'>;
  dies: number;
  seed: number;
  slicing: CellSlicing;
  /** Images scored, with their labels. */
  images: Int32Array[];
  labels: Uint8Array;
  /** Unlabelled images for per-die re-calibration (disjoint from `images`); none: no re-calibration. */
  calibration?: Int32Array[];
  /** Called after every die of every design (for progress). */
  onDie?: (done: number, total: number) => void;
}

export interface AccuracyStats { mean: number; min: number; p5: number; p50: number; p95: number; max: number }

export interface DesignResult {
  label: string;
  net: string;
  /** Accuracy of the golden model (no device effects) on the same images. */
  golden: number;
  /** Accuracy per die, die 0 first. */
  dies: number[];
  stats: AccuracyStats;
  /** With re-calibration: the same dies after re-calibration. */
  recalibrated?: { dies: number[]; stats: AccuracyStats };
}

export interface SigmaResult { sigma: number; designs: DesignResult[] }

/** Percentile by linear interpolation between order statistics (p in 0..1). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 1) return sorted[0];
  const x = p * (sorted.length - 1);
  const i = Math.floor(x);
  return i + 1 < sorted.length ? sorted[i] + (x - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

export function accuracyStats(values: number[]): AccuracyStats {
  const s = [...values].sort((a, b) => a - b);
  return {
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    min: s[0],
    p5: percentile(s, 0.05),
    p50: percentile(s, 0.5),
    p95: percentile(s, 0.95),
    max: s[s.length - 1],
  };
}

function accuracyOn(net: NetIR, die: ReturnType<typeof makeDie>, images: Int32Array[], labels: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < images.length; i++) if (runDie(net, die, images[i]).answer === labels[i]) correct++;
  return correct / images.length;
}

export function runMonteCarlo(designs: DesignUnderTest[], o: MonteCarloOptions): SigmaResult[] {
  const total = o.sigmas.length * designs.length * o.dies;
  let done = 0;
  const golden = designs.map((d) => {
    let correct = 0;
    o.images.forEach((img, i) => { if (runNet(d.net, img).answer === o.labels[i]) correct++; });
    return correct / o.images.length;
  });
  // What re-calibration aims at depends on the design and the images only, not on the die.
  const calibration = o.calibration;
  const ideal = calibration === undefined ? undefined : designs.map((d) => idealCalibration(d.net, calibration));
  return o.sigmas.map((sigma) => {
    const model: VariationModel = { ...o.model, sigma };
    return {
      sigma,
      designs: designs.map((d, di): DesignResult => {
        const accs: number[] = [];
        const recal: number[] = [];
        for (let k = 0; k < o.dies; k++) {
          // Same seed and die number for every design: the same cells are perturbed the same way.
          const die = makeDie(d.net, o.slicing, model, o.seed, k);
          accs.push(accuracyOn(d.net, die, o.images, o.labels));
          if (ideal !== undefined) {
            recalibrateDie(d.net, die, ideal[di]);
            recal.push(accuracyOn(d.net, die, o.images, o.labels));
          }
          o.onDie?.(++done, total);
        }
        return {
          label: d.label,
          net: d.net.name,
          golden: golden[di],
          dies: accs,
          stats: accuracyStats(accs),
          ...(o.calibration !== undefined ? { recalibrated: { dies: recal, stats: accuracyStats(recal) } } : {}),
        };
      }),
    };
  });
}
