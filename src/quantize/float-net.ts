// The float network an ONNX model is imported into, and its forward pass.
// Plain float64 loops: this is the reference that onnxruntime checks
// (test/quantize) and the model the quantizer starts from; speed matters only
// for calibration on a subset of the training set and for the float test
// accuracy.

import { convOutGeometry } from '../ops/conv.js';
import { denseOutGeometry } from '../ops/dense.js';
import { poolOutGeometry } from '../ops/maxpool.js';

export interface FloatConv {
  type: 'conv';
  /** The ONNX node it came from, for messages. */
  node: string;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  padding: number;
  /** [out][in][ky][kx] */
  weights: Float64Array;
  bias: Float64Array;
  relu: boolean;
  /** Producing layers (−1: the network input); absent: the previous layer, as in a chain. */
  inputs?: number[];
}

export interface FloatDense {
  type: 'dense';
  node: string;
  inFeatures: number;
  outFeatures: number;
  /** [out][in], `in` the input map flattened in C,H,W order. */
  weights: Float64Array;
  bias: Float64Array;
  relu: boolean;
  inputs?: number[];
}

export interface FloatPool {
  type: 'maxpool';
  node: string;
  kernel: number;
  stride: number;
  inputs?: number[];
}

/** Element-wise sum of two or more maps of one shape (a residual connection), optionally followed by ReLU. */
export interface FloatAdd {
  type: 'add';
  node: string;
  relu: boolean;
  inputs: number[];
}

/** Channel concatenation of maps of one height and width, in input order. */
export interface FloatConcat {
  type: 'concat';
  node: string;
  inputs: number[];
}

export type FloatLayer = FloatConv | FloatDense | FloatPool | FloatAdd | FloatConcat;
export type FloatMatrix = FloatConv | FloatDense;

export interface Chw { channels: number; height: number; width: number }

export interface FloatNet {
  /** Suggested network name (from the model file). */
  name: string;
  input: Chw;
  layers: FloatLayer[];
  /** Output shape of every layer. */
  shapes: Chw[];
  inputName: string;
  outputName: string;
}

export function isFloatMatrix(l: FloatLayer): l is FloatMatrix {
  return l.type === 'conv' || l.type === 'dense';
}

/** The layers layer i reads (−1: the network input). */
export function floatInputs(net: Pick<FloatNet, 'layers'>, i: number): number[] {
  return net.layers[i].inputs ?? [i - 1];
}

/** True when every layer reads only the one before it (the net@1 case). */
export function isFloatChain(net: Pick<FloatNet, 'layers'>): boolean {
  return net.layers.every((l, i) => l.type !== 'add' && l.type !== 'concat' && floatInputs(net, i).length === 1 && floatInputs(net, i)[0] === i - 1);
}

/** Output shape of `layer` on an input of shape `s` (the importer has checked it fits). */
export function floatOutShape(layer: FloatLayer, s: Chw, more: Chw[] = []): Chw {
  switch (layer.type) {
    case 'conv': return convOutGeometry(layer, s);
    case 'maxpool': return poolOutGeometry(layer, s);
    case 'dense': return denseOutGeometry(layer);
    case 'add': return s;
    case 'concat': return { ...s, channels: [s, ...more].reduce((a, m) => a + m.channels, 0) };
  }
}

/**
 * Runs the float network on one C,H,W input. `onLayer` sees every layer's
 * output (after its ReLU, when it has one) — for calibration statistics.
 */
export function floatForward(net: FloatNet, input: Float64Array, onLayer?: (index: number, out: Float64Array) => void): Float64Array {
  const outs: Float64Array[] = [];
  net.layers.forEach((layer, i) => {
    const from = floatInputs(net, i);
    const xs = from.map((j) => (j < 0 ? input : outs[j]));
    outs.push(floatLayer(layer, xs, from.map((j) => (j < 0 ? net.input : net.shapes[j])), net.shapes[i]));
    onLayer?.(i, outs[i]);
  });
  return outs[outs.length - 1];
}

/** One layer's float output from its inputs' values `xs` (shapes `ss`); `out` its output shape. */
export function floatLayer(layer: FloatLayer, xs: Float64Array[], ss: Chw[], out: Chw): Float64Array {
  switch (layer.type) {
    case 'conv': return conv(layer, xs[0], ss[0], out);
    case 'dense': return dense(layer, xs[0]);
    case 'maxpool': return maxpool(layer, xs[0], ss[0], out);
    case 'add': {
      const y = Float64Array.from(xs[0]);
      for (const x of xs.slice(1)) for (let k = 0; k < y.length; k++) y[k] += x[k];
      if (layer.relu) for (let k = 0; k < y.length; k++) if (y[k] < 0) y[k] = 0;
      return y;
    }
    case 'concat': {
      const y = new Float64Array(xs.reduce((a, x) => a + x.length, 0));
      let at = 0;
      for (const x of xs) { y.set(x, at); at += x.length; }
      return y;
    }
  }
}

/** im2col index table of a conv layer: window row r of output position q reads x[idx[q·K + r]], −1 for padding. */
const windows = new WeakMap<FloatConv, Int32Array>();

function windowTable(l: FloatConv, s: Chw, o: Chw): Int32Array {
  let idx = windows.get(l);
  if (idx !== undefined) return idx;
  const { channels: C, height: H, width: W } = s;
  const { kernel: k, stride: st, padding: p } = l;
  const K = C * k * k;
  idx = new Int32Array(o.height * o.width * K);
  for (let y = 0; y < o.height; y++) {
    for (let x = 0; x < o.width; x++) {
      const q = y * o.width + x;
      for (let c = 0; c < C; c++) {
        for (let ky = 0; ky < k; ky++) {
          for (let kx = 0; kx < k; kx++) {
            const iy = y * st + ky - p;
            const ix = x * st + kx - p;
            idx[q * K + (c * k + ky) * k + kx] = iy < 0 || iy >= H || ix < 0 || ix >= W ? -1 : (c * H + iy) * W + ix;
          }
        }
      }
    }
  }
  windows.set(l, idx);
  return idx;
}

function conv(l: FloatConv, x: Float64Array, s: Chw, o: Chw): Float64Array {
  const idx = windowTable(l, s, o);
  const K = s.channels * l.kernel * l.kernel;
  const P = o.height * o.width;
  const O = l.outChannels;
  const out = new Float64Array(O * P);
  const win = new Float64Array(K);
  const w = l.weights;
  for (let q = 0; q < P; q++) {
    const base = q * K;
    for (let r = 0; r < K; r++) {
      const i = idx[base + r];
      win[r] = i < 0 ? 0 : x[i];
    }
    for (let oc = 0; oc < O; oc++) {
      let acc = l.bias[oc];
      const wb = oc * K;
      for (let r = 0; r < K; r++) acc += w[wb + r] * win[r];
      out[oc * P + q] = l.relu && acc < 0 ? 0 : acc;
    }
  }
  return out;
}

function dense(l: FloatDense, x: Float64Array): Float64Array {
  const n = l.inFeatures;
  const out = new Float64Array(l.outFeatures);
  for (let o = 0; o < l.outFeatures; o++) {
    let acc = l.bias[o];
    const base = o * n;
    for (let i = 0; i < n; i++) acc += l.weights[base + i] * x[i];
    out[o] = l.relu && acc < 0 ? 0 : acc;
  }
  return out;
}

function maxpool(l: FloatPool, x: Float64Array, s: Chw, o: Chw): Float64Array {
  const { channels: C, height: H, width: W } = s;
  const out = new Float64Array(C * o.height * o.width);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < o.height; y++) {
      for (let xx = 0; xx < o.width; xx++) {
        let m = -Infinity;
        for (let ky = 0; ky < l.kernel; ky++) {
          const row = (c * H + y * l.stride + ky) * W + xx * l.stride;
          for (let kx = 0; kx < l.kernel; kx++) if (x[row + kx] > m) m = x[row + kx];
        }
        out[(c * o.height + y) * o.width + xx] = m;
      }
    }
  }
  return out;
}

/** Index of the largest value; ties go to the lowest index (as in the golden model). */
export function argmaxFloat(v: Float64Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}
