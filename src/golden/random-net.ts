// Random valid Net IRs for equivalence and RTL regression tests, built
// directly (no JSON) from a seed so a failure can be replayed from one number.
// Thresholds and ADC ranges are set from the accumulators that a few random
// probe inputs really produce (run through the reference model as the net
// grows), so hidden values vary with the input instead of being constant.

import type { Activation, ConvLayer, DenseLayer, Layer, MapShape, MatrixLayer, MaxPoolLayer, NetIR } from '../ir/types.js';
import { isMatrixLayer, mapSize } from '../ir/types.js';
import { matrixCols } from '../ops/index.js';
import { convOutGeometry } from '../ops/conv.js';
import { denseOutGeometry } from '../ops/dense.js';
import { poolOutGeometry } from '../ops/maxpool.js';
import { type Prng, mulberry32 } from './prng.js';
import { accumulatorRange, signedBitsFor, valueRange } from './ranges.js';
import { referenceLayer } from './reference.js';

export interface RandomNetOptions {
  /** Most layers in the net (default 4). */
  maxLayers?: number;
  /** Most weights in the whole net (default 20000, to keep tests fast; at most 60000). */
  maxWeights?: number;
}

/** Keeps every raw accumulator within 32 bits: 60000 rows · 127 · 255 + bias < 2^31. */
const MAX_WEIGHTS = 60000;

export function randomNet(seed: number, opts: RandomNetOptions = {}): NetIR {
  const rng = mulberry32(seed);
  const weightBits = rng.int(2, 8);
  const input: MapShape = { channels: rng.int(1, 3), height: rng.int(4, 16), width: rng.int(4, 16), bits: rng.int(1, 8), signed: false };
  const count = rng.int(1, opts.maxLayers ?? 4);
  let budget = opts.maxWeights ?? 20000;
  if (budget > MAX_WEIGHTS) throw new RangeError(`randomNet: maxWeights ${budget} is above ${MAX_WEIGHTS}`);
  let shape = input;
  let probes = Array.from({ length: PROBES }, () => randomMap(input, rng));
  const layers: Layer[] = [];
  for (let index = 0; index < count; index++) {
    const final = index === count - 1;
    // Hidden layers leave half the budget, so a final layer always fits.
    const layer = randomLayer(rng, { index, inShape: shape, final, weightBits, budget: final ? budget : Math.floor(budget / 2), probes });
    if (isMatrixLayer(layer)) budget -= layer.weights.length;
    layers.push(layer);
    shape = layer.outShape;
    probes = probes.map((p) => referenceLayer(layer, p));
  }
  return {
    name: `random_${seed >>> 0}`,
    input,
    weightBits,
    crossbar: { rows: rng.int(4, 64), cols: rng.int(2, 16) },
    layers,
    output: shape,
    source: '<memory>',
  };
}

/** A uniformly random input map for `net`, C,H,W order. */
export function randomInput(net: NetIR, rng: Prng): Int32Array {
  return randomMap(net.input, rng);
}

/** `count` random inputs drawn from `seed`: the default vectors of build and sim. */
export function randomInputs(net: NetIR, count: number, seed: number): Int32Array[] {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, () => randomInput(net, rng));
}

export function randomMap(shape: MapShape, rng: Prng): Int32Array {
  const top = 2 ** shape.bits - 1;
  return Int32Array.from({ length: mapSize(shape) }, () => rng.int(0, top));
}

/** Probe inputs per net: enough to place thresholds, few enough to stay fast. */
export const PROBES = 8;

export interface LayerSpec {
  index: number;
  inShape: MapShape;
  final: boolean;
  weightBits: number;
  budget: number;
  /** This layer's input for each probe. */
  probes: Int32Array[];
}

export function randomLayer(rng: Prng, spec: LayerSpec): Layer {
  const { channels: C, height: H, width: W } = spec.inShape;
  const kinds: Layer['type'][] = ['conv'];
  if (C * H * W <= spec.budget) kinds.push('dense');
  if (!spec.final && Math.min(H, W) >= 2) kinds.push('maxpool');
  switch (rng.pick(kinds)) {
    case 'dense': return randomDense(rng, spec);
    case 'maxpool': return randomPool(rng, spec);
    default: return randomConv(rng, spec);
  }
}

export function randomConv(rng: Prng, spec: LayerSpec): ConvLayer {
  const { channels: C, height: H, width: W } = spec.inShape;
  let kernel = rng.int(1, 5);
  if (C * kernel * kernel > spec.budget) kernel = 1;
  // The kernel must fit the padded map, with padding < kernel.
  const padding = rng.int(Math.max(0, Math.ceil((kernel - Math.min(H, W)) / 2)), kernel - 1);
  const stride = rng.int(1, 3);
  const outChannels = rng.int(1, Math.max(1, Math.min(8, Math.floor(spec.budget / (C * kernel * kernel)))));
  const layer: ConvLayer = {
    type: 'conv',
    ...header(spec, 'conv', convOutGeometry({ outChannels, kernel, stride, padding }, spec.inShape)),
    outChannels,
    kernel,
    stride,
    padding,
    weights: randomWeights(rng, outChannels * C * kernel * kernel, spec.weightBits),
    bias: randomBias(rng, outChannels, spec),
    activation: { type: 'none' },
  };
  return withActivation(rng, layer, spec);
}

function randomDense(rng: Prng, spec: LayerSpec): DenseLayer {
  const rows = mapSize(spec.inShape);
  const outFeatures = rng.int(1, Math.max(1, Math.min(16, Math.floor(spec.budget / rows))));
  const layer: DenseLayer = {
    type: 'dense',
    ...header(spec, 'dense', denseOutGeometry({ outFeatures })),
    outFeatures,
    weights: randomWeights(rng, outFeatures * rows, spec.weightBits),
    bias: randomBias(rng, outFeatures, spec),
    activation: { type: 'none' },
  };
  return withActivation(rng, layer, spec);
}

function randomPool(rng: Prng, spec: LayerSpec): MaxPoolLayer {
  const { height: H, width: W } = spec.inShape;
  const kernel = rng.int(2, Math.min(3, H, W));
  const stride = rng.int(1, kernel);
  return { type: 'maxpool', ...header(spec, 'maxpool', poolOutGeometry({ kernel, stride }, spec.inShape)), kernel, stride };
}

function header(spec: LayerSpec, kind: Layer['type'], out: Pick<MapShape, 'channels' | 'height' | 'width'>) {
  // Bits of a matrix layer's output are set with its activation.
  const outShape: MapShape = { ...out, bits: spec.inShape.bits, signed: false };
  return { name: `${kind}${spec.index}`, pointer: `/layers/${spec.index}`, index: spec.index, inputs: [spec.index - 1], inShapes: [spec.inShape], inShape: spec.inShape, outShape };
}

export function randomWeights(rng: Prng, n: number, weightBits: number): Int32Array {
  const max = 2 ** (weightBits - 1) - 1;
  return Int32Array.from({ length: n }, () => rng.int(-max, max));
}

export function randomBias(rng: Prng, n: number, spec: LayerSpec): Int32Array {
  const max = (2 ** (spec.weightBits - 1) - 1) * valueRange(spec.inShape).max;
  return Int32Array.from({ length: n }, () => rng.int(-max, max));
}

/** Picks the activation from the probes' accumulators, then fills outShape to match. */
function withActivation<L extends MatrixLayer>(rng: Prng, layer: L, spec: LayerSpec): L {
  const kind = rng.pick(spec.final ? (['none', 'adc', 'threshold'] as const) : (['adc', 'threshold'] as const));
  const columns = probeAccumulators(layer, spec.probes);
  return setActivation(rng, layer, columns, kind, () => rng.int(1, spec.final ? 8 : 4), () => accumulatorRange(layer));
}

/**
 * Sets an activation of `kind` from per-column accumulator samples (a
 * threshold inside each column's values, ADC levels over the middle 80%),
 * then outShape's width to match; `adcBits` draws the ADC's resolution,
 * `rawRange` bounds a raw read-out.
 */
export function setActivation<L extends { activation: Activation; outShape: MapShape }>(
  rng: Prng, layer: L, columns: number[][], kind: Activation['type'], adcBits: () => number, rawRange: () => { min: number; max: number },
): L {
  if (kind === 'threshold') {
    const thresholds = Int32Array.from(columns, (values) => pickThreshold(values, rng));
    layer.activation = { type: 'threshold', thresholds };
    layer.outShape = { ...layer.outShape, bits: 1, signed: false };
  } else if (kind === 'adc') {
    const bits = adcBits();
    // 2^bits levels over the middle 80% of all columns' accumulators.
    const all = columns.flat().sort((a, b) => a - b);
    const lo = all[Math.floor(all.length / 10)];
    const hi = all[Math.floor((all.length * 9) / 10)];
    const step = Math.max(1, Math.ceil((hi - lo + 1) / 2 ** bits));
    layer.activation = { type: 'adc', bits, offset: lo - rng.int(0, step - 1), step };
    layer.outShape = { ...layer.outShape, bits, signed: false };
  } else {
    const range = rawRange();
    layer.activation = { type: 'none' };
    layer.outShape = { ...layer.outShape, bits: signedBitsFor(range.min, range.max), signed: true };
  }
  return layer;
}

/** Per output channel, every accumulator value the probes produce (all positions). */
export function probeAccumulators(layer: MatrixLayer, probes: Int32Array[]): number[][] {
  // Raw accumulators fit 32 bits (see MAX_WEIGHTS), as the reference's `none` requires.
  const raw = { ...layer, activation: { type: 'none' }, outShape: { ...layer.outShape, bits: 32, signed: true } } as MatrixLayer;
  const positions = layer.outShape.height * layer.outShape.width;
  const columns: number[][] = Array.from({ length: matrixCols(layer) }, () => []);
  for (const probe of probes) {
    referenceLayer(raw, probe).forEach((acc, i) => columns[Math.floor(i / positions)].push(acc));
  }
  return columns;
}

/** A threshold strictly above the column's smallest value, so some probes give 0 and some 1. */
function pickThreshold(values: number[], rng: Prng): number {
  const sorted = [...values].sort((a, b) => a - b);
  const lowest = sorted[0];
  const t = sorted[rng.int(Math.floor(sorted.length / 5), Math.floor((sorted.length * 4) / 5))];
  return t > lowest ? t : (sorted.find((v) => v > lowest) ?? lowest);
}
