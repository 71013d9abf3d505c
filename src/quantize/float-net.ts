// The float network an ONNX model is imported into, and its forward pass.
// Plain float64 loops: this is the reference that onnxruntime checks
// (test/quantize) and the model the quantizer starts from; speed matters only
// for calibration on a subset of the training set and for the float test
// accuracy.

import { convOutGeometry } from '../ops/conv.js';
import { denseOutGeometry } from '../ops/dense.js';
import { poolOutGeometry } from '../ops/maxpool.js';
import type { Window2d } from '../ops/window.js';
import { sumpoolOutGeometry } from '../ops/sumpool.js';
import { type FloatActivation, applyActivation } from './float-activation.js';

export interface FloatConv {
  type: 'conv';
  /** The ONNX node it came from, for messages. */
  node: string;
  inChannels: number;
  outChannels: number;
  /** Kernel, stride, padding and dilation per axis (src/ops/window.ts). */
  window: Window2d;
  /** Output group g reads input group g only (the IR's ConvLayer.groups). */
  groups: number;
  /** [out][in / groups][ky][kx] */
  weights: Float64Array;
  bias: Float64Array;
  /** Applied to the layer's output (identity for none; a monotonic activation the quantizer folds into thresholds). */
  activation: FloatActivation;
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
  /** Applied to the layer's output (identity for none; a monotonic activation the quantizer folds into thresholds). */
  activation: FloatActivation;
  inputs?: number[];
}

export interface FloatPool {
  type: 'maxpool';
  node: string;
  /** Kernel, stride and padding (padded positions never win the max) per axis. */
  window: Window2d;
  inputs?: number[];
}

/**
 * ONNX AveragePool / GlobalAveragePool (padded positions count, as with
 * count_include_pad=1): the float net averages; net.json gets a sumpool and
 * the 1/k² goes into the next layer's weights (the quantizer's units).
 */
export interface FloatAvgPool {
  type: 'avgpool';
  node: string;
  /** Square kernel, no dilation. */
  window: Window2d;
  inputs?: number[];
}

/** Element-wise sum of two or more maps of one shape (a residual connection), then its activation. */
export interface FloatAdd {
  type: 'add';
  node: string;
  activation: FloatActivation;
  inputs: number[];
}

/** Channel concatenation of maps of one height and width, in input order. */
export interface FloatConcat {
  type: 'concat';
  node: string;
  inputs: number[];
}

export type FloatLayer = FloatConv | FloatDense | FloatPool | FloatAvgPool | FloatAdd | FloatConcat;
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
    case 'avgpool': return sumpoolOutGeometry(layer, s);
    case 'dense': return denseOutGeometry(layer);
    case 'add': return s;
    case 'concat': return { ...s, channels: [s, ...more].reduce((a, m) => a + m.channels, 0) };
  }
}

/**
 * Runs the float network on one C,H,W input. `onLayer` sees every layer's
 * output (after its activation) — for calibration statistics.
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
    case 'avgpool': return avgpool(layer, xs[0], ss[0], out);
    case 'add': {
      const y = Float64Array.from(xs[0]);
      for (const x of xs.slice(1)) for (let k = 0; k < y.length; k++) y[k] += x[k];
      const P = out.height * out.width;
      for (let k = 0; k < y.length; k++) y[k] = applyActivation(layer.activation, y[k], Math.floor(k / P));
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
  const { kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padTop: top, padLeft: left, dilationH: dh, dilationW: dw } = l.window;
  const K = C * kh * kw;
  idx = new Int32Array(o.height * o.width * K);
  for (let y = 0; y < o.height; y++) {
    for (let x = 0; x < o.width; x++) {
      const q = y * o.width + x;
      for (let c = 0; c < C; c++) {
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const iy = y * sh + ky * dh - top;
            const ix = x * sw + kx * dw - left;
            idx[q * K + (c * kh + ky) * kw + kx] = iy < 0 || iy >= H || ix < 0 || ix >= W ? -1 : (c * H + iy) * W + ix;
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
  // Integer sizes (| 0) keep every index a small integer for the JIT.
  const K = (s.channels * l.window.kernelH * l.window.kernelW) | 0;
  // Output group g reads the window rows of input group g: a block of Kg rows.
  const Kg = (K / l.groups) | 0;
  const Og = (l.outChannels / l.groups) | 0;
  const P = (o.height * o.width) | 0;
  const O = l.outChannels | 0;
  const out = new Float64Array(O * P);
  const win = new Float64Array(K);
  const w = l.weights;
  const bias = l.bias;
  for (let q = 0; q < P; q++) {
    const base = q * K;
    for (let r = 0; r < K; r++) {
      const i = idx[base + r];
      win[r] = i < 0 ? 0 : x[i];
    }
    for (let g = 0; g < l.groups; g++) {
      const r0 = g * Kg;
      const end = (g + 1) * Og;
      // Four output channels at a time: each window value is loaded once for
      // four multiply-adds; each sum still adds its terms in row order.
      let oc = g * Og;
      for (; oc + 4 <= end; oc += 4) {
        const b0 = oc * Kg;
        const b1 = b0 + Kg;
        const b2 = b1 + Kg;
        const b3 = b2 + Kg;
        let a0 = bias[oc];
        let a1 = bias[oc + 1];
        let a2 = bias[oc + 2];
        let a3 = bias[oc + 3];
        for (let r = 0; r < Kg; r++) {
          const v = win[r0 + r];
          a0 += w[b0 + r] * v;
          a1 += w[b1 + r] * v;
          a2 += w[b2 + r] * v;
          a3 += w[b3 + r] * v;
        }
        out[oc * P + q] = a0;
        out[(oc + 1) * P + q] = a1;
        out[(oc + 2) * P + q] = a2;
        out[(oc + 3) * P + q] = a3;
      }
      for (; oc < end; oc++) {
        const b0 = oc * Kg;
        let a = bias[oc];
        for (let r = 0; r < Kg; r++) a += w[b0 + r] * win[r0 + r];
        out[oc * P + q] = a;
      }
    }
  }
  if (l.activation.type !== 'identity') for (let k = 0; k < out.length; k++) out[k] = applyActivation(l.activation, out[k], (k / P) | 0);
  return out;
}

function dense(l: FloatDense, x: Float64Array): Float64Array {
  const n = l.inFeatures | 0;
  const O = l.outFeatures | 0;
  const w = l.weights;
  const out = new Float64Array(O);
  // Four outputs at a time, as in conv; each output still sums in input order.
  let o = 0;
  for (; o + 4 <= O; o += 4) {
    const b0 = o * n;
    const b1 = b0 + n;
    const b2 = b1 + n;
    const b3 = b2 + n;
    let a0 = l.bias[o];
    let a1 = l.bias[o + 1];
    let a2 = l.bias[o + 2];
    let a3 = l.bias[o + 3];
    for (let i = 0; i < n; i++) {
      const v = x[i];
      a0 += w[b0 + i] * v;
      a1 += w[b1 + i] * v;
      a2 += w[b2 + i] * v;
      a3 += w[b3 + i] * v;
    }
    out[o] = a0;
    out[o + 1] = a1;
    out[o + 2] = a2;
    out[o + 3] = a3;
  }
  for (; o < O; o++) {
    let a = l.bias[o];
    const b0 = o * n;
    for (let i = 0; i < n; i++) a += w[b0 + i] * x[i];
    out[o] = a;
  }
  if (l.activation.type !== 'identity') for (let k = 0; k < O; k++) out[k] = applyActivation(l.activation, out[k], k);
  return out;
}

function maxpool(l: FloatPool, x: Float64Array, s: Chw, o: Chw): Float64Array {
  const { channels: C, height: H, width: W } = s;
  const { kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padTop: top, padLeft: left } = l.window;
  const out = new Float64Array(C * o.height * o.width);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < o.height; y++) {
      for (let xx = 0; xx < o.width; xx++) {
        // ONNX MaxPool: padded positions never win (every window holds a map value).
        let m = -Infinity;
        for (let ky = 0; ky < kh; ky++) {
          const iy = y * sh + ky - top;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = xx * sw + kx - left;
            if (ix >= 0 && ix < W && x[(c * H + iy) * W + ix] > m) m = x[(c * H + iy) * W + ix];
          }
        }
        out[(c * o.height + y) * o.width + xx] = m;
      }
    }
  }
  return out;
}

/** The window's sum over k² (padded positions read 0 and count). */
function avgpool(l: FloatAvgPool, x: Float64Array, s: Chw, o: Chw): Float64Array {
  const { channels: C, height: H, width: W } = s;
  const { kernelH: k, strideH: sh, strideW: sw, padTop: top, padLeft: left } = l.window;
  const out = new Float64Array(C * o.height * o.width);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < o.height; y++) {
      for (let xx = 0; xx < o.width; xx++) {
        let sum = 0;
        for (let ky = 0; ky < k; ky++) {
          const iy = y * sh + ky - top;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = xx * sw + kx - left;
            if (ix >= 0 && ix < W) sum += x[(c * H + iy) * W + ix];
          }
        }
        out[(c * o.height + y) * o.width + xx] = sum / (k * k);
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
