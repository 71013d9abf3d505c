// From float layers to the integers of net.json: B-bit symmetric weights,
// integer biases and activations, and the net.json documents (prefix, tail and
// final networks) the quantizer runs through the golden model.
//
// Every feature map carries per-channel "units": the float value that one
// integer level of that channel stands for (1/255 for an 8-bit image scaled to
// [0,1]; for a 1-bit map, the value a 1 stands for). A layer's float weights
// times the units of its input are the weights it really applies to the
// integers it reads; those are what get quantized.
import { formatHeader } from '../ir/serialize.js';
import { windowFields, windowTaps } from '../ops/window.js';
import type { Chw, FloatAvgPool, FloatMatrix, FloatPool } from './float-net.js';
import { pooledUnits } from './avg-pool.js';

/** One matrix layer and the max-pools that follow it: one step of the greedy method. */
export interface Segment {
  matrix: FloatMatrix;
  /** Index of the matrix layer in the float net. */
  index: number;
  pools: FloatPool[];
  /** Input map of the matrix layer. */
  inShape: Chw;
  /** Output of the matrix layer (before the pools). */
  outShape: Chw;
  /** Output after the pools: the next segment's input. */
  pooledShape: Chw;
  name: string;
  poolNames: string[];
  /**
   * A grouped conv's groups: `matrix` then holds its blocks as one matrix
   * with zeros between them (model-layers.ts), so every step works on whole
   * window rows; matrixDoc writes the blocks only. Absent: 1.
   */
  groups?: number;
  /**
   * Pools the matrix layer reads through, from an average pool on (avg-pool.ts),
   * with their net.json names and the map before them; absent when none.
   */
  inPools?: (FloatPool | FloatAvgPool)[];
  inPoolNames?: string[];
  poolInShape?: Chw;
}

export interface IntMatrix {
  weights: Int32Array;
  bias: Int32Array;
  /** Float value of one accumulator unit, per output column (equal for all columns when not per-column). */
  alpha: Float64Array;
}

export type ActivationDoc =
  | { type: 'threshold'; thresholds: number[] }
  | { type: 'adc'; bits: number; offset: number; step: number }
  | { type: 'none' };

export type LayerDoc = Record<string, unknown>;

/** Row r of a layer's weight matrix reads input channel channelOf[r]. */
export function rowChannels(seg: Segment): Int32Array {
  const { channels: C, height: H, width: W } = seg.inShape;
  const m = seg.matrix;
  const K = m.type === 'conv' ? C * windowTaps(m.window) : C * H * W;
  const per = m.type === 'conv' ? windowTaps(m.window) : H * W;
  return Int32Array.from({ length: K }, (_, r) => Math.floor(r / per));
}

export function columns(seg: Segment): number {
  return seg.matrix.type === 'conv' ? seg.matrix.outChannels : seg.matrix.outFeatures;
}

/**
 * Quantizes a layer whose float weights apply to integer inputs of the given
 * per-channel units (plus `inputShift`, a per-channel float value the integers
 * miss on average, folded into the bias), after dividing each output column o by `colScale[o]`
 * (the re-scaling of the method; 1 for none). Weights become symmetric
 * `weightBits`-bit integers, with one step α per column (`perColumn`: exact for
 * threshold columns, whose comparison does not care about a column's scale)
 * or one for the whole layer (ADC and final layers, whose columns must share
 * a scale).
 */
export function quantizeMatrix(seg: Segment, units: Float64Array, weightBits: number, perColumn: boolean, colScale?: Float64Array, inputShift?: Float64Array,
  alphaAtLeast?: Float64Array): IntMatrix {
  const O = columns(seg);
  const ch = rowChannels(seg);
  const K = ch.length;
  const q = 2 ** (weightBits - 1) - 1;
  // An average pool before the layer: its 1/k² joins the weights (avg-pool.ts).
  units = pooledUnits(seg, units);
  const eff = new Float64Array(O * K);
  const effBias = new Float64Array(O);
  for (let o = 0; o < O; o++) {
    const s = colScale?.[o] ?? 1;
    let b = seg.matrix.bias[o];
    for (let r = 0; r < K; r++) {
      const w = seg.matrix.weights[o * K + r];
      eff[o * K + r] = (w * units[ch[r]]) / s;
      if (inputShift !== undefined) b += w * inputShift[ch[r]];
    }
    effBias[o] = b / s;
  }
  const alpha = new Float64Array(O);
  let layerMax = 0;
  for (let o = 0; o < O; o++) {
    let m = 0;
    for (let r = 0; r < K; r++) m = Math.max(m, Math.abs(eff[o * K + r]));
    alpha[o] = m;
    layerMax = Math.max(layerMax, m);
  }
  for (let o = 0; o < O; o++) {
    const m = perColumn ? alpha[o] : layerMax;
    alpha[o] = m > 0 ? m / q : 1;
    // A residual add's skip weights are whole multiples of α (graph-quantize.ts): α may have to be coarser.
    if (alphaAtLeast !== undefined) alpha[o] = Math.max(alpha[o], alphaAtLeast[o]);
  }
  const weights = new Int32Array(O * K);
  const bias = new Int32Array(O);
  for (let o = 0; o < O; o++) {
    for (let r = 0; r < K; r++) weights[o * K + r] = clamp(roundHalfAway(eff[o * K + r] / alpha[o]), -q, q);
    bias[o] = clamp(roundHalfAway(effBias[o] / alpha[o]), -(2 ** 31), 2 ** 31 - 1);
  }
  return { weights, bias, alpha };
}

export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** ceil(num / den) for integers num ≥ 0, den > 0, exact. */
export function ceilDiv(num: number, den: number): number {
  let q = Math.floor(num / den);
  while (q * den < num) q++;
  while (q > 0 && (q - 1) * den >= num) q--;
  return q;
}

export function matrixDoc(seg: Segment, m: IntMatrix, activation: ActivationDoc): LayerDoc {
  const l = seg.matrix;
  const groups = seg.groups ?? 1;
  const weights = groups === 1 ? Array.from(m.weights) : blockWeights(m.weights, columns(seg), groups);
  const common = { weights, bias: Array.from(m.bias), activation };
  return l.type === 'conv'
    ? { type: 'conv', name: seg.name, outChannels: l.outChannels, ...windowFields(l.window, true), ...(groups !== 1 ? { groups } : {}), ...common }
    : { type: 'dense', name: seg.name, outFeatures: l.outFeatures, ...common };
}

/** A grouped conv's stored weights: each column's own block of the whole matrix (the zeros between blocks left out). */
function blockWeights(full: Int32Array, O: number, groups: number): number[] {
  const K = full.length / O;
  const Kg = K / groups;
  const Og = O / groups;
  const out: number[] = [];
  for (let o = 0; o < O; o++) {
    const r0 = o * K + Math.floor(o / Og) * Kg;
    for (let r = 0; r < Kg; r++) out.push(full[r0 + r]);
  }
  return out;
}

export function poolDocs(seg: Segment): LayerDoc[] {
  return seg.pools.map((p, i) => {
    const { kernel, stride, padding } = windowFields(p.window, false);
    return { type: 'maxpool', name: seg.poolNames[i], kernel, stride, ...(padding !== 0 ? { padding } : {}) };
  });
}

export interface NetDocOptions {
  name: string;
  description?: string;
  input: Chw;
  inputBits: number;
  weightBits: number;
  crossbar: { rows: number; cols: number };
  layers: LayerDoc[];
}

export function netDoc(o: NetDocOptions): Record<string, unknown> {
  return {
    ...formatHeader(o.layers),
    name: o.name,
    ...(o.description !== undefined ? { description: o.description } : {}),
    input: { channels: o.input.channels, height: o.input.height, width: o.input.width, bits: o.inputBits },
    weightBits: o.weightBits,
    crossbar: { ...o.crossbar },
    layers: o.layers,
  };
}
