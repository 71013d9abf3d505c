// `rram-gen variation` as a library call: load the design, its baseline, the
// technology table's device and the images, run the Monte-Carlo, and return
// the result document (rram-gen/variation@1, docs/variation.md).
import { existsSync } from 'node:fs';
import { type Diagnostic, RramGenError, diag } from '../diagnostics/index.js';
import { type NetIR, loadNet } from '../ir/index.js';
import { readIdxLabels, readVectors } from '../golden/vectors.js';
import { loadDefaultTech, loadTechFile } from '../estimate/tech.js';
import { givenDesignLabel } from '../estimate/model.js';
import { planNet } from '../plan/plan.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../package-info.js';
import { cellSlicing } from './mapping.js';
import { type DesignUnderTest, type SigmaResult, runMonteCarlo } from './monte-carlo.js';

export const VARIATION_FORMAT = 'rram-gen/variation@1';
export const MAX_DIES = 10000;

export interface VariationFileOptions {
  sigmas: number[];
  /** Fraction of stuck cells, split between stuck-on and stuck-off as the table's rates are. */
  saf: number;
  dies?: number;
  seed?: number;
  /** Sense-amplifier / ADC offset σ in on-cell currents; default: the table's. */
  saOffset?: number;
  distribution?: 'lognormal' | 'normal';
  tech?: string;
  /** The k-bit baseline net file; or derive it from baselineBits (net-1bit.json → net-<k>bit.json). */
  baseline?: string;
  baselineBits?: number;
  images: { input: string; labels: string };
  skip?: number;
  count?: number;
  /** Re-calibrate each die on this many images just before the scored ones. */
  recalibrate?: number;
  onDie?: (done: number, total: number) => void;
}

export interface VariationDocument {
  format: typeof VARIATION_FORMAT;
  generator: { name: string; version: string };
  designs: { label: string; net: string; file: string }[];
  tech: { name: string; file: string };
  model: {
    distribution: 'lognormal' | 'normal';
    saf: number;
    stuckOn: number;
    stuckOff: number;
    saOffset: number;
    onOffRatio: number;
    bitsPerCell: number;
    cellsPerWeight: number;
  };
  dies: number;
  seed: number;
  images: { file: string; first: number; count: number; calibration: { first: number; count: number } | null };
  results: SigmaResult[];
}

function usage(msg: string): RramGenError {
  return new RramGenError([diag('usage', '', msg)]);
}

/** Check the numeric options; bad values are usage errors (exit 2). */
export function checkVariationOptions(o: VariationFileOptions): void {
  const p: string[] = [];
  if (o.sigmas.length === 0 || o.sigmas.some((s) => !(Number.isFinite(s) && s >= 0 && s <= 10))) p.push('--sigma takes numbers in 0..10 (relative σ: 0.05 is 5 %), comma-separated');
  if (!(Number.isFinite(o.saf) && o.saf >= 0 && o.saf <= 1)) p.push('--saf takes a fraction of stuck cells in 0..1 (0.001 is 0.1 %)');
  if (o.dies !== undefined && !(Number.isInteger(o.dies) && o.dies >= 1 && o.dies <= MAX_DIES)) p.push(`--dies takes an integer in 1..${MAX_DIES}`);
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && o.seed >= 0 && o.seed < 2 ** 32)) p.push('--seed takes an integer in 0..2^32−1');
  if (o.saOffset !== undefined && !(Number.isFinite(o.saOffset) && o.saOffset >= 0)) p.push('--sa-offset takes a non-negative number (σ in on-cell currents)');
  if (o.recalibrate !== undefined && !(Number.isInteger(o.recalibrate) && o.recalibrate >= 1)) p.push('--recalibrate takes a positive number of images');
  if (o.baselineBits !== undefined && !(Number.isInteger(o.baselineBits) && o.baselineBits >= 2 && o.baselineBits <= 16)) p.push('--baseline-bits takes an integer in 2..16');
  if (p.length > 0) throw new RramGenError(p.map((m) => diag('usage', '', m)));
}

/** The baseline's file: given, or the design's sibling named for k bits. */
export function baselinePath(netPath: string, o: Pick<VariationFileOptions, 'baseline' | 'baselineBits'>): string | undefined {
  if (o.baseline !== undefined) return o.baseline;
  if (o.baselineBits === undefined) return undefined;
  const sibling = netPath.replace(/-1bit\.json$/, `-${o.baselineBits}bit.json`);
  if (sibling === netPath || !existsSync(sibling)) {
    throw usage(`no ${o.baselineBits}-bit baseline found for ${netPath} (looked for a sibling named *-${o.baselineBits}bit.json); give --baseline FILE`);
  }
  return sibling;
}

/** The baseline must have the design's layers, shapes and weight width (the same cells on the same die). */
function checkSameShape(a: NetIR, b: NetIR, file: string): void {
  const p: Diagnostic[] = [];
  const ia = `${a.input.channels}×${a.input.height}×${a.input.width} ${a.input.bits}-bit`;
  const ib = `${b.input.channels}×${b.input.height}×${b.input.width} ${b.input.bits}-bit`;
  if (ia !== ib) p.push(diag('baseline-mismatch', '/input', `input ${ib}, the design's is ${ia}`, file));
  if (a.weightBits !== b.weightBits) p.push(diag('baseline-mismatch', '/weightBits', `${b.weightBits}-bit weights, the design has ${a.weightBits}-bit`, file));
  if (a.layers.length !== b.layers.length) p.push(diag('baseline-mismatch', '/layers', `${b.layers.length} layers, the design has ${a.layers.length}`, file));
  else {
    a.layers.forEach((la, i) => {
      const lb = b.layers[i];
      const sa = `${la.type} ${la.outShape.channels}×${la.outShape.height}×${la.outShape.width}`;
      const sb = `${lb.type} ${lb.outShape.channels}×${lb.outShape.height}×${lb.outShape.width}`;
      if (sa !== sb) p.push(diag('baseline-mismatch', `/layers/${i}`, `${sb}, the design's layer ${la.name} is ${sa}`, file));
    });
  }
  if (p.length > 0) throw new RramGenError(p);
}

export function variationNetFile(netPath: string, o: VariationFileOptions): { doc: VariationDocument; warnings: Diagnostic[] } {
  checkVariationOptions(o);
  const { net, warnings } = loadNet(netPath);
  const bPath = baselinePath(netPath, o);
  const designs: (DesignUnderTest & { file: string })[] = [{ label: givenDesignLabel(planNet(net)).label, net, file: netPath }];
  if (bPath !== undefined) {
    const b = loadNet(bPath);
    warnings.push(...b.warnings);
    checkSameShape(net, b.net, bPath);
    const widths = [...new Set(b.net.layers.slice(0, -1).flatMap((l) => (l.type === 'maxpool' ? [] : [l.outShape.bits])))];
    designs.push({ label: `${widths.join('/')}-bit baseline`, net: b.net, file: bPath });
  }
  const tech = o.tech === undefined ? loadDefaultTech() : loadTechFile(o.tech);
  const dev = tech.table.device;
  if (dev === undefined) throw RramGenError.of('tech-no-device', '/device', 'the table has no device model; variation needs one (tech/default.json has)', tech.file);
  const slicing = cellSlicing(net.weightBits, dev.bitsPerCell);
  const stuckRates = dev.stuckAtOnRate + dev.stuckAtOffRate;
  const onShare = stuckRates > 0 ? dev.stuckAtOnRate / stuckRates : 0.5;
  const model = {
    distribution: o.distribution ?? 'lognormal' as const,
    stuckOn: o.saf * onShare,
    stuckOff: o.saf * (1 - onShare),
    saOffset: o.saOffset ?? dev.senseAmpOffsetSigma,
    onOffRatio: dev.onOffRatio,
  };
  const skip = o.skip ?? 0;
  const nCal = o.recalibrate ?? 0;
  const count = o.count ?? 1000;
  const all = readVectors(o.images.input, net, { skip, count: nCal + count });
  if (all.length <= nCal) throw RramGenError.of('vectors-shape', '', `${all.length} images after --skip ${skip}: none left to score after ${nCal} for re-calibration`, o.images.input);
  const labels = readIdxLabels(o.images.labels);
  if (labels.length < skip + all.length) throw RramGenError.of('vectors-shape', 'header', `${labels.length} labels for ${skip + all.length} images`, o.images.labels);
  const images = all.slice(nCal);
  const results = runMonteCarlo(designs, {
    sigmas: o.sigmas,
    model,
    dies: o.dies ?? 10,
    seed: o.seed ?? 1,
    slicing,
    images,
    labels: labels.subarray(skip + nCal, skip + all.length),
    ...(nCal > 0 ? { calibration: all.slice(0, nCal) } : {}),
    ...(o.onDie ? { onDie: o.onDie } : {}),
  });
  return {
    doc: {
      format: VARIATION_FORMAT,
      generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION },
      designs: designs.map((d) => ({ label: d.label, net: d.net.name, file: d.file })),
      tech: { name: tech.table.name, file: tech.file },
      model: { ...model, saf: o.saf, bitsPerCell: slicing.bitsPerCell, cellsPerWeight: slicing.cellsPerWeight },
      dies: o.dies ?? 10,
      seed: o.seed ?? 1,
      images: { file: o.images.input, first: skip + nCal, count: images.length, calibration: nCal > 0 ? { first: skip, count: nCal } : null },
      results,
    },
    warnings,
  };
}
