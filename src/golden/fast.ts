// The fast golden model. Same results as reference.ts, bit for bit, by other
// means: each layer is compiled once (cached per layer object) into a kernel
// that works on an im2col view of its input.
//   - 1-bit input maps: the unrolled window is bit-packed into 32-bit words and
//     each dot product is Σ_planes scale·popcount(window & plane mask), the
//     weights being split into two's complement bit-planes.
//   - multi-bit input maps: input-stationary loop over the non-zero window
//     values, adding value·(weight row) into all columns at once.
// Accumulators are doubles (Float64Array): exact for every reachable sum (see
// reference.ts), where Int32 could overflow. Kernels reuse scratch buffers, so
// they are not re-entrant; JS runs them one at a time.

import type { Activation, ConvLayer, Layer, MatrixLayer, MaxPoolLayer } from '../ir/types.js';
import { matrixCols, matrixRows } from '../ir/types.js';

type Kernel = (input: Int32Array) => Int32Array;

const kernels = new WeakMap<Layer, Kernel>();

/** Output of one layer. The IR is treated as immutable: kernels are cached per layer object. */
export function fastLayer(layer: Layer, input: Int32Array): Int32Array {
  let kernel = kernels.get(layer);
  if (kernel === undefined) {
    kernel = compile(layer);
    kernels.set(layer, kernel);
  }
  return kernel(input);
}

function compile(layer: Layer): Kernel {
  if (layer.type === 'maxpool') return maxpoolKernel(layer);
  const win = windowOf(layer);
  const binaryInput = layer.inShape.bits === 1 && !layer.inShape.signed;
  return binaryInput ? binaryKernel(layer, win) : multiBitKernel(layer, win);
}

/**
 * im2col as index tables: window row r of output position q reads
 * padded[base[q] + off[r]], rows in the weight order [c][ky][kx] (dense: C,H,W).
 */
interface Window {
  positions: number;
  base: Int32Array;
  off: Int32Array;
  /** The input with its zero border; the same array when there is no padding. */
  pad: (input: Int32Array) => Int32Array;
}

function windowOf(layer: MatrixLayer): Window {
  const rows = matrixRows(layer);
  if (layer.type === 'dense') {
    return { positions: 1, base: new Int32Array(1), off: Int32Array.from({ length: rows }, (_, r) => r), pad: (x) => x };
  }
  return convWindow(layer);
}

function convWindow(layer: ConvLayer): Window {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { kernel: k, stride: s, padding: p } = layer;
  const { height: OH, width: OW } = layer.outShape;
  const Hp = H + 2 * p;
  const Wp = W + 2 * p;
  const off = new Int32Array(C * k * k);
  for (let c = 0; c < C; c++) {
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++) off[(c * k + ky) * k + kx] = (c * Hp + ky) * Wp + kx;
    }
  }
  const base = new Int32Array(OH * OW);
  for (let y = 0; y < OH; y++) {
    for (let x = 0; x < OW; x++) base[y * OW + x] = y * s * Wp + x * s;
  }
  if (p === 0) return { positions: OH * OW, base, off, pad: (x) => x };
  // The border is never written, so it stays zero across calls.
  const padded = new Int32Array(C * Hp * Wp);
  const pad = (input: Int32Array): Int32Array => {
    for (let c = 0; c < C; c++) {
      for (let y = 0; y < H; y++) {
        const from = (c * H + y) * W;
        padded.set(input.subarray(from, from + W), (c * Hp + y + p) * Wp + p);
      }
    }
    return padded;
  };
  return { positions: OH * OW, base, off, pad };
}

function multiBitKernel(layer: MatrixLayer, win: Window): Kernel {
  const K = matrixRows(layer);
  const O = matrixCols(layer);
  const P = win.positions;
  const { base, off } = win;
  // Transposed to [row][col] so one input value updates a contiguous row.
  const wT = new Float64Array(K * O);
  for (let o = 0; o < O; o++) {
    for (let r = 0; r < K; r++) wT[r * O + o] = layer.weights[o * K + r];
  }
  const bias = Float64Array.from(layer.bias);
  const acc = new Float64Array(O);
  const finish = finisher(layer.activation, O, P);
  return (input) => {
    const x = win.pad(input);
    const out = new Int32Array(O * P);
    for (let q = 0; q < P; q++) {
      acc.set(bias);
      const b = base[q];
      for (let r = 0; r < K; r++) {
        const v = x[b + off[r]];
        if (v === 0) continue;
        const row = r * O;
        for (let o = 0; o < O; o++) acc[o] += v * wT[row + o];
      }
      finish(acc, out, q);
    }
    return out;
  };
}

function binaryKernel(layer: MatrixLayer, win: Window): Kernel {
  const K = matrixRows(layer);
  const O = matrixCols(layer);
  const P = win.positions;
  const { base, off } = win;
  const words = Math.ceil(K / 32);
  const planes = planeCount(layer.weights);
  const masks = planeMasks(layer.weights, O, K, words, planes);
  // Two's complement: plane b weighs 2^b, the top plane −2^(planes−1).
  const scale = Float64Array.from({ length: planes }, (_, b) => (b === planes - 1 ? -(2 ** b) : 2 ** b));
  const bias = Float64Array.from(layer.bias);
  const vec = new Int32Array(words);
  const acc = new Float64Array(O);
  const finish = finisher(layer.activation, O, P);
  return (input) => {
    const x = win.pad(input);
    const out = new Int32Array(O * P);
    for (let q = 0; q < P; q++) {
      const b = base[q];
      for (let j = 0; j < words; j++) {
        const end = Math.min(32, K - j * 32);
        let v = 0;
        for (let t = 0; t < end; t++) v |= x[b + off[j * 32 + t]] << t;
        vec[j] = v;
      }
      for (let o = 0; o < O; o++) {
        let sum = bias[o];
        for (let j = 0; j < words; j++) {
          const v = vec[j];
          if (v === 0) continue;
          const m = (o * words + j) * planes;
          for (let p = 0; p < planes; p++) sum += scale[p] * popcount(v & masks[m + p]);
        }
        acc[o] = sum;
      }
      finish(acc, out, q);
    }
    return out;
  };
}

/** Bits of the narrowest two's complement word holding every weight. */
function planeCount(weights: Int32Array): number {
  let planes = 1;
  for (const w of weights) {
    while (w < -(2 ** (planes - 1)) || w > 2 ** (planes - 1) - 1) planes++;
  }
  return planes;
}

/** masks[((o·words)+j)·planes + b] has bit t set when bit b of w[o][32j+t] is set. */
function planeMasks(weights: Int32Array, O: number, K: number, words: number, planes: number): Int32Array {
  const masks = new Int32Array(O * words * planes);
  for (let o = 0; o < O; o++) {
    for (let r = 0; r < K; r++) {
      const w = weights[o * K + r];
      const m = (o * words + (r >>> 5)) * planes;
      for (let b = 0; b < planes; b++) {
        if ((w >> b) & 1) masks[m + b] |= 1 << (r & 31);
      }
    }
  }
  return masks;
}

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Writes the activated column values of position q into a C,H,W output. */
function finisher(act: Activation, O: number, P: number): (acc: Float64Array, out: Int32Array, q: number) => void {
  switch (act.type) {
    case 'threshold': {
      const t = act.thresholds;
      return (acc, out, q) => {
        for (let o = 0; o < O; o++) out[o * P + q] = acc[o] >= t[o] ? 1 : 0;
      };
    }
    case 'adc': {
      const { offset, step } = act;
      const top = 2 ** act.bits - 1;
      return (acc, out, q) => {
        for (let o = 0; o < O; o++) {
          const level = Math.floor((acc[o] - offset) / step); // exact: see reference.ts
          out[o * P + q] = level < 0 ? 0 : level > top ? top : level;
        }
      };
    }
    case 'none':
      // model.ts refuses nets whose raw accumulator is wider than 32 bits.
      return (acc, out, q) => {
        for (let o = 0; o < O; o++) out[o * P + q] = acc[o];
      };
  }
}

function maxpoolKernel(layer: MaxPoolLayer): Kernel {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { height: OH, width: OW } = layer.outShape;
  const { kernel: k, stride: s } = layer;
  return (input) => {
    const out = new Int32Array(C * OH * OW);
    for (let c = 0; c < C; c++) {
      for (let y = 0; y < OH; y++) {
        for (let x = 0; x < OW; x++) {
          const corner = (c * H + y * s) * W + x * s;
          let m = input[corner];
          for (let ky = 0; ky < k; ky++) {
            for (let kx = 0; kx < k; kx++) {
              const v = input[corner + ky * W + kx];
              if (v > m) m = v;
            }
          }
          out[(c * OH + y) * OW + x] = m;
        }
      }
    }
    return out;
  };
}
