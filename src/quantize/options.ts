// What `rram-gen quantize` can be asked for, and its defaults and checks in
// one place.
import { RramGenError } from '../diagnostics/index.js';
import { TAIL_FIT } from './tail-fit.js';
import { defaultThreads } from './pool.js';
import type { QuantizeEvent } from './quantize-report.js';

export interface DataFiles { images: string; labels: string }

export interface QuantizeOptions {
  /** Training set: the search scores every candidate on all of it. */
  train: DataFiles;
  /** Test set: only reported (float and quantized accuracy). */
  test?: DataFiles;
  /** Weight width B: symmetric integers in ±(2^(B−1)−1). Default 8. */
  weightBits?: number;
  /** Width of the network input: each 8-bit pixel keeps its top bits. Default 8. */
  inputBits?: number;
  crossbar?: { rows: number; cols: number };
  /** 1 (default): threshold (1-bit) hidden layers; K > 1: the K-bit ADC baseline. */
  actBits?: number;
  /** Threshold candidates t = i/grid, i = 0..grid. Default 50. */
  grid?: number;
  /**
   * Threshold search passes (default 1). Each pass after the first searches
   * every hidden layer's t again, first to last, with all other layers as
   * they will be emitted (weights kept), scoring the real network.
   */
  passes?: number;
  /**
   * Per-column refinement sweeps (default 0: none). After the passes, each
   * column of every threshold layer gets its own threshold from the layer's
   * candidates, one column at a time, scored on the real network.
   */
  refine?: number;
  /**
   * Training images (evenly spaced) for the least-squares re-fit of the layer
   * after each threshold layer to the float model (refit.ts); kept only when
   * it scores better. 0: no re-fit. Default 10,000.
   */
  refitImages?: number;
  /**
   * Epochs of the last step: the layers after the first fine-tuned on the
   * training labels with their thresholds in place (fine-tune.ts), kept only
   * when the network then scores better. 0: none. Default 6.
   */
  fineTune?: number;
  /** Re-scaling statistic: this percentile of each channel's post-ReLU activations. Default 99.9. */
  percentile?: number;
  /** Final layer: a k-bit ADC read-out (default) or the raw accumulator. */
  readout?: 'adc' | 'none';
  readoutBits?: number;
  /** Worker threads (default: all cores, at most 8); 1 runs everything in this thread. */
  threads?: number;
  /** Network name in net.json (default: from the model file name). */
  name?: string;
  /** Graph models (residual adds, concats): training images, evenly spaced, each threshold candidate is scored on. Default 2,000. */
  searchImages?: number;
  /** Use only the first N training / test images (quick experiments, tests). */
  trainCount?: number;
  testCount?: number;
  /** Training images for the float calibration of the provisional layers. Default 500. */
  calibrationImages?: number;
  /** Hardest training images of the exact search's pre-scan, which orders the candidates. Default 300. */
  prescanImages?: number;
  /** Training images (evenly spaced) of the raced search's pre-scan, which orders the candidates and races them (race.ts). Default 3,000. */
  raceImages?: number;
  /**
   * Pick the candidate a brute force would (default false): every candidate
   * is scored until it provably cannot win. By default the first pass drops
   * a candidate clearly worse than the pre-scan's leader on the pre-scan
   * images (race.ts); later passes and the per-column refinement are exact.
   */
  exactSearch?: boolean;
  /** Score every candidate on every image, without the race or early stopping (slow; checks the pruned search). */
  exhaustive?: boolean;
  onEvent?: (e: QuantizeEvent) => void;
}

/** Every option with its default filled in. */
export type ResolvedOptions = {
  weightBits: number; inputBits: number; crossbar: { rows: number; cols: number }; actBits: number; grid: number; percentile: number;
  readout: 'adc' | 'none'; readoutBits: number; threads: number; calibration: number; prescan: number; raceImages: number; exhaustive: boolean; exactSearch: boolean; passes: number;
  refine: number; refitImages: number; fineTune: number;
};

export function resolveOptions(opts: QuantizeOptions): ResolvedOptions {
  const o = {
    weightBits: opts.weightBits ?? 8,
    inputBits: opts.inputBits ?? 8,
    crossbar: opts.crossbar ?? { rows: 128, cols: 128 },
    actBits: opts.actBits ?? 1,
    grid: opts.grid ?? 50,
    passes: opts.passes ?? 1,
    refine: opts.refine ?? 0,
    refitImages: opts.refitImages ?? 10000,
    fineTune: opts.fineTune ?? TAIL_FIT.epochs,
    percentile: opts.percentile ?? 99.9,
    readout: opts.readout ?? 'adc',
    readoutBits: opts.readoutBits ?? 8,
    threads: opts.threads ?? defaultThreads(),
    calibration: opts.calibrationImages ?? 500,
    prescan: opts.prescanImages ?? 300,
    raceImages: opts.raceImages ?? 3000,
    exhaustive: opts.exhaustive ?? false,
    exactSearch: (opts.exactSearch ?? false) || (opts.exhaustive ?? false),
  };
  checkRange('weightBits', o.weightBits, 2, 8);
  checkRange('inputBits', o.inputBits, 1, 8);
  checkRange('actBits', o.actBits, 1, 8);
  checkRange('grid', o.grid, 1, 254);
  checkRange('passes', o.passes, 1, 5);
  checkRange('refine', o.refine, 0, 20);
  checkRange('refitImages', o.refitImages, 0, 1e7);
  checkRange('readoutBits', o.readoutBits, 1, 8);
  checkRange('fineTune', o.fineTune, 0, 100);
  if (!(o.percentile > 0 && o.percentile <= 100)) throw RramGenError.of('usage', '', `percentile must be in (0, 100], got ${o.percentile}`);
  return o;
}

function checkRange(what: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) throw RramGenError.of('usage', '', `${what} must be an integer in ${lo}..${hi}, got ${v}`);
}
