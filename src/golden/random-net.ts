// Random valid Net IRs for equivalence and RTL regression tests, built
// directly (no JSON) from a seed so a failure can be replayed from one number.
// Activation parameters are centred on each column's typical accumulator so
// that outputs vary with the input rather than being constant.

import type { Activation, ConvLayer, DenseLayer, Layer, MapShape, MatrixLayer, MaxPoolLayer, NetIR } from '../ir/types.js';
import { mapSize, matrixCols, matrixRows } from '../ir/types.js';
import { type Prng, mulberry32 } from './prng.js';
import { accumulatorRange, signedBitsFor, valueRange } from './ranges.js';

export interface RandomNetOptions {
  /** Most layers in the net (default 4). */
  maxLayers?: number;
  /** Most weights in the whole net (default 20000), to keep tests fast. */
  maxWeights?: number;
}

export function randomNet(seed: number, opts: RandomNetOptions = {}): NetIR {
  const rng = mulberry32(seed);
  const weightBits = rng.int(2, 8);
  const input: MapShape = { channels: rng.int(1, 3), height: rng.int(4, 16), width: rng.int(4, 16), bits: rng.int(1, 8), signed: false };
  const count = rng.int(1, opts.maxLayers ?? 4);
  let budget = opts.maxWeights ?? 20000;
  let shape = input;
  const layers: Layer[] = [];
  for (let index = 0; index < count; index++) {
    const final = index === count - 1;
    // Hidden layers leave half the budget, so a final layer always fits.
    const layer = randomLayer(rng, { index, inShape: shape, final, weightBits, budget: final ? budget : Math.floor(budget / 2) });
    if (layer.type !== 'maxpool') budget -= layer.weights.length;
    layers.push(layer);
    shape = layer.outShape;
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
  const top = 2 ** net.input.bits - 1;
  return Int32Array.from({ length: mapSize(net.input) }, () => rng.int(0, top));
}

interface LayerSpec {
  index: number;
  inShape: MapShape;
  final: boolean;
  weightBits: number;
  budget: number;
}

function randomLayer(rng: Prng, spec: LayerSpec): Layer {
  const { channels: C, height: H, width: W } = spec.inShape;
  const kinds: Layer['type'][] = ['conv'];
  if (C * H * W <= spec.budget) kinds.push('dense');
  if (!spec.final && Math.min(H, W) >= 2) kinds.push('maxpool');
  switch (rng.pick(kinds)) {
    case 'conv': return randomConv(rng, spec);
    case 'dense': return randomDense(rng, spec);
    case 'maxpool': return randomPool(rng, spec);
  }
}

function randomConv(rng: Prng, spec: LayerSpec): ConvLayer {
  const { channels: C, height: H, width: W } = spec.inShape;
  let kernel = rng.int(1, 5);
  if (C * kernel * kernel > spec.budget) kernel = 1;
  // The kernel must fit the padded map, with padding < kernel.
  const padding = rng.int(Math.max(0, Math.ceil((kernel - Math.min(H, W)) / 2)), kernel - 1);
  const stride = rng.int(1, 3);
  const outChannels = rng.int(1, Math.max(1, Math.min(8, Math.floor(spec.budget / (C * kernel * kernel)))));
  const height = Math.floor((H + 2 * padding - kernel) / stride) + 1;
  const width = Math.floor((W + 2 * padding - kernel) / stride) + 1;
  const layer: ConvLayer = {
    type: 'conv',
    ...header(spec, 'conv', { channels: outChannels, height, width }),
    outChannels,
    kernel,
    stride,
    padding,
    weights: randomWeights(rng, outChannels * C * kernel * kernel, spec.weightBits),
    bias: randomBias(rng, outChannels, spec),
    activation: { type: 'none' },
  };
  return withActivation(rng, layer, spec.final);
}

function randomDense(rng: Prng, spec: LayerSpec): DenseLayer {
  const rows = mapSize(spec.inShape);
  const outFeatures = rng.int(1, Math.max(1, Math.min(16, Math.floor(spec.budget / rows))));
  const layer: DenseLayer = {
    type: 'dense',
    ...header(spec, 'dense', { channels: outFeatures, height: 1, width: 1 }),
    outFeatures,
    weights: randomWeights(rng, outFeatures * rows, spec.weightBits),
    bias: randomBias(rng, outFeatures, spec),
    activation: { type: 'none' },
  };
  return withActivation(rng, layer, spec.final);
}

function randomPool(rng: Prng, spec: LayerSpec): MaxPoolLayer {
  const { channels, height: H, width: W } = spec.inShape;
  const kernel = rng.int(2, Math.min(3, H, W));
  const stride = rng.int(1, kernel);
  const height = Math.floor((H - kernel) / stride) + 1;
  const width = Math.floor((W - kernel) / stride) + 1;
  return { type: 'maxpool', ...header(spec, 'maxpool', { channels, height, width }), kernel, stride };
}

function header(spec: LayerSpec, kind: Layer['type'], out: Pick<MapShape, 'channels' | 'height' | 'width'>) {
  // Bits of a matrix layer's output are set with its activation.
  const outShape: MapShape = { ...out, bits: spec.inShape.bits, signed: false };
  return { name: `${kind}${spec.index}`, pointer: `/layers/${spec.index}`, index: spec.index, inShape: spec.inShape, outShape };
}

function randomWeights(rng: Prng, n: number, weightBits: number): Int32Array {
  const max = 2 ** (weightBits - 1) - 1;
  return Int32Array.from({ length: n }, () => rng.int(-max, max));
}

function randomBias(rng: Prng, n: number, spec: LayerSpec): Int32Array {
  const max = (2 ** (spec.weightBits - 1) - 1) * valueRange(spec.inShape).max;
  return Int32Array.from({ length: n }, () => rng.int(-max, max));
}

/** Picks the activation from the column statistics, then fills outShape to match. */
function withActivation<L extends MatrixLayer>(rng: Prng, layer: L, final: boolean): L {
  const kind = rng.pick(final ? (['none', 'adc', 'threshold'] as const) : (['adc', 'threshold'] as const));
  const range = accumulatorRange(layer);
  const { mid, spread } = columnStats(layer);
  let activation: Activation;
  if (kind === 'threshold') {
    const thresholds = Int32Array.from(mid, (m, o) => Math.round(m + (2 * rng.next() - 1) * spread[o]));
    activation = { type: 'threshold', thresholds };
    layer.outShape = { ...layer.outShape, bits: 1, signed: false };
  } else if (kind === 'adc') {
    const bits = rng.int(1, final ? 8 : 4);
    const centre = mean(mid);
    const width = mean(spread);
    // 2^bits levels spread over about ±1 typical deviation around the centre.
    const step = Math.max(1, Math.round((2 * width) / 2 ** bits));
    const offset = Math.round(centre - width) + rng.int(-step, step);
    activation = { type: 'adc', bits, offset, step };
    layer.outShape = { ...layer.outShape, bits, signed: false };
  } else {
    activation = { type: 'none' };
    layer.outShape = { ...layer.outShape, bits: signedBitsFor(range.min, range.max), signed: true };
  }
  layer.activation = activation;
  return layer;
}

/**
 * Per column: the accumulator's middle (its mean for uniform independent
 * inputs) and a typical deviation, (max input)·sqrt(Σw²)/2.
 */
function columnStats(layer: MatrixLayer): { mid: Float64Array; spread: Float64Array } {
  const rows = matrixRows(layer);
  const cols = matrixCols(layer);
  const xMax = valueRange(layer.inShape).max;
  const mid = new Float64Array(cols);
  const spread = new Float64Array(cols);
  for (let o = 0; o < cols; o++) {
    let sum = 0;
    let squares = 0;
    for (let r = 0; r < rows; r++) {
      const w = layer.weights[o * rows + r];
      sum += w;
      squares += w * w;
    }
    mid[o] = layer.bias[o] + (xMax * sum) / 2;
    spread[o] = (xMax * Math.sqrt(squares)) / 2;
  }
  return { mid, spread };
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
