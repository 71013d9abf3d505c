// The fast golden model, layer by layer. runNet takes the whole-network path
// (program.ts) when it can; this one runs the nets it does not take (a layer
// whose sums may pass int32, or no .wasm file built) and single layers for
// callers that need one (the quantizer's max-pools of raw accumulators).
// Same results as reference.ts, bit for bit, by other means: each layer is
// compiled once (cached per layer object) into a kernel that works on an
// im2col view of its input (index tables, no copies).
//   - WebAssembly SIMD (wasm.ts, kernels.wat) for every matrix layer with
//     unsigned inputs of at most 8 bits, when the .wasm file is built; the JS
//     kernels below otherwise:
//   - 1-bit input maps: the unrolled window is packed 8 rows at a time into a
//     byte, and a precomputed table gives that byte's contribution to every
//     column at once (the column sums of its set rows). Unlike summing
//     popcount(window & weight bit-plane) over the planes, its cost does not
//     grow with the weight width: on LeNet's 1-bit layers it was as fast with
//     2-bit weights, 1.4x faster with 4-bit and 2.2x faster with 8-bit ones.
//   - multi-bit input maps: input-stationary loop over the non-zero window
//     values, adding value·(weight row) into all columns at once.
// Accumulators are 32-bit integers: sums wrap modulo 2^32, so the result is
// exact whenever the layer's accumulator range (accumulatorRange) fits an
// int32; a layer whose range does not runs on the reference model's doubles
// instead. Kernels reuse scratch buffers, so they are not re-entrant; JS runs
// them one at a time.

import type { Activation, ConvLayer, Layer, MatrixLayer, MaxPoolLayer } from '../ir/types.js';
import { matrixCols, matrixRows } from '../ops/index.js';
import { activationOp } from '../ops/activations/index.js';
import { accumulatorFitsInt32, weightsFit8Bits } from './ranges.js';
import { referenceLayer } from './reference.js';
import { wasmLayer } from './wasm.js';

type Kernel = (input: Int32Array) => Int32Array;

const kernels = new WeakMap<Layer, Kernel>();

/**
 * Output of one layer. The IR is treated as immutable: kernels are cached per
 * layer object. An add or a concat (`inputs`: every input's map) is a single
 * pass over its inputs already: the reference loops serve.
 */
export function fastLayer(layer: Layer, input: Int32Array, inputs?: readonly Int32Array[]): Int32Array {
  if (layer.type === 'add' || layer.type === 'concat') return referenceLayer(layer, input, inputs);
  let kernel = kernels.get(layer);
  if (kernel === undefined) {
    kernel = compile(layer);
    kernels.set(layer, kernel);
  }
  return kernel(input);
}

function compile(layer: MatrixLayer | MaxPoolLayer): Kernel {
  if (layer.type === 'maxpool') return maxpoolKernel(layer);
  // The tables below store weights as Int8 / sums of 8 as Int16.
  if (!weightsFit8Bits(layer)) throw new RangeError(`layer ${layer.name}: weights beyond 8 bits`);
  if (!accumulatorFitsInt32(layer)) return (input) => referenceLayer(layer, input);
  const win = windowOf(layer);
  const activate = activation(layer.activation, matrixCols(layer), win.positions);
  const { bits, signed } = layer.inShape;
  const wasm = !signed && bits <= 8
    ? wasmLayer({ inputSize: win.size, base: win.base, off: win.off, weights: layer.weights, bias: layer.bias, O: matrixCols(layer) })
    : undefined;
  if (wasm !== undefined) return (input) => activate(wasm(win.pad(input)));
  const raw = bits === 1 && !signed ? binaryKernel(layer, win) : multiBitKernel(layer, win);
  return (input) => activate(raw(input));
}

/**
 * im2col as index tables: window row r of output position q reads
 * padded[base[q] + off[r]], rows in the weight order [c][ky][kx] (dense: C,H,W).
 */
interface Window {
  positions: number;
  /** Values of the padded input. */
  size: number;
  base: Int32Array;
  off: Int32Array;
  /** The input with its zero border; the same array when there is no padding. */
  pad: (input: Int32Array) => Int32Array;
}

function windowOf(layer: MatrixLayer): Window {
  const rows = matrixRows(layer);
  if (layer.type === 'dense') {
    return { positions: 1, size: rows, base: new Int32Array(1), off: Int32Array.from({ length: rows }, (_, r) => r), pad: (x) => x };
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
  if (p === 0) return { positions: OH * OW, size: C * H * W, base, off, pad: (x) => x };
  // The border is never written, so it stays zero across calls.
  const padded = new Int32Array(C * Hp * Wp);
  const pad = (input: Int32Array): Int32Array => {
    for (let c = 0; c < C; c++) {
      for (let y = 0; y < H; y++) {
        const from = (c * H + y) * W;
        const to = (c * Hp + y + p) * Wp + p;
        for (let x = 0; x < W; x++) padded[to + x] = input[from + x];
      }
    }
    return padded;
  };
  return { positions: OH * OW, size: C * Hp * Wp, base, off, pad };
}

function multiBitKernel(layer: MatrixLayer, win: Window): Kernel {
  const K = matrixRows(layer);
  const O = matrixCols(layer);
  const P = win.positions;
  const { base, off } = win;
  // Transposed to [row][col] so one input value updates a contiguous row;
  // Int8 holds any weight (at most 8 bits) and keeps big layers small.
  const wT = new Int8Array(K * O);
  for (let o = 0; o < O; o++) {
    for (let r = 0; r < K; r++) wT[r * O + o] = layer.weights[o * K + r];
  }
  const bias = Int32Array.from(layer.bias);
  const acc = new Int32Array(O);
  const sums = new Int32Array(O * P);
  return (input) => {
    const x = win.pad(input);
    for (let q = 0; q < P; q++) {
      for (let o = 0; o < O; o++) acc[o] = bias[o];
      const b = base[q];
      for (let r = 0; r < K; r++) {
        const v = x[b + off[r]];
        if (v === 0) continue;
        const row = r * O;
        for (let o = 0; o < O; o++) acc[o] += v * wT[row + o];
      }
      for (let o = 0; o < O; o++) sums[o * P + q] = acc[o];
    }
    return sums;
  };
}

function binaryKernel(layer: MatrixLayer, win: Window): Kernel {
  const K = matrixRows(layer);
  const O = matrixCols(layer);
  const P = win.positions;
  const { base, off } = win;
  const width = chunkWidth(K, O);
  const chunks = Math.ceil(K / width);
  const table = chunkSums(layer.weights, K, O, width);
  const bias = Int32Array.from(layer.bias);
  const acc = new Int32Array(O);
  const sums = new Int32Array(O * P);
  return (input) => {
    const x = win.pad(input);
    for (let q = 0; q < P; q++) {
      for (let o = 0; o < O; o++) acc[o] = bias[o];
      const b = base[q];
      for (let j = 0; j < chunks; j++) {
        // Pack this chunk's window bits: bit t is window row j·width + t.
        const first = j * width;
        const end = Math.min(width, K - first);
        let bits = 0;
        for (let t = 0; t < end; t++) bits |= x[b + off[first + t]] << t;
        if (bits === 0) continue;
        const row = ((j << width) + bits) * O;
        for (let o = 0; o < O; o++) acc[o] += table[row + o];
      }
      for (let o = 0; o < O; o++) sums[o * P + q] = acc[o];
    }
    return sums;
  };
}

/** Table entries allowed before falling back to narrower chunks (8 MB of Int16). */
const TABLE_ENTRIES = 2 ** 22;

/** Widest chunk (8, 4, 2 or 1 rows) whose table fits; width 1 is the weight matrix itself. */
function chunkWidth(K: number, O: number): number {
  for (const width of [8, 4, 2]) {
    if (Math.ceil(K / width) * 2 ** width * O <= TABLE_ENTRIES) return width;
  }
  return 1;
}

/**
 * table[((j << width) + bits)·O + o] = Σ of w[o][j·width + t] over the set bits t
 * of `bits`: the column sums for every pattern of one chunk of 1-bit inputs.
 * Int16 holds it: at most 8 weights of magnitude ≤ 127.
 */
function chunkSums(weights: Int32Array, K: number, O: number, width: number): Int16Array {
  const chunks = Math.ceil(K / width);
  const table = new Int16Array(chunks * 2 ** width * O);
  for (let j = 0; j < chunks; j++) {
    for (let bits = 1; bits < 2 ** width; bits++) {
      // Extend the pattern without its top bit by the weight of that bit.
      const top = 31 - Math.clz32(bits);
      const r = j * width + top;
      const row = ((j << width) + bits) * O;
      const prev = ((j << width) + (bits ^ (1 << top))) * O;
      for (let o = 0; o < O; o++) table[row + o] = table[prev + o] + (r < K ? weights[o * K + r] : 0);
    }
  }
  return table;
}

/** The layer's output map from its raw accumulators (O·P values, C,H,W order), in a new array. */
function activation(act: Activation, O: number, P: number): (sums: Int32Array) => Int32Array {
  const op = activationOp(act);
  const columns = Array.from({ length: O }, (_, o) => op.column(act, o));
  return (sums) => {
    const out = new Int32Array(O * P);
    for (let o = 0; o < O; o++) {
      const level = columns[o];
      for (let q = o * P; q < (o + 1) * P; q++) out[q] = level(sums[q]);
    }
    return out;
  };
}

function maxpoolKernel(layer: MaxPoolLayer): Kernel {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { height: OH, width: OW } = layer.outShape;
  const { kernel: k, stride: s } = layer;
  // Same index-table scheme as the matrix layers: corner of each window, offsets within it.
  const corner = new Int32Array(OH * OW);
  for (let y = 0; y < OH; y++) {
    for (let x = 0; x < OW; x++) corner[y * OW + x] = y * s * W + x * s;
  }
  const off = new Int32Array(k * k);
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) off[ky * k + kx] = ky * W + kx;
  }
  const P = OH * OW;
  if (k === 2 && s === 2) return maxpool2x2(C, H, W, OH, OW);
  return (input) => {
    const out = new Int32Array(C * P);
    for (let c = 0; c < C; c++) {
      for (let q = 0; q < P; q++) {
        const b = c * H * W + corner[q];
        let m = input[b];
        for (let i = 1; i < off.length; i++) {
          const v = input[b + off[i]];
          if (v > m) m = v;
        }
        out[c * P + q] = m;
      }
    }
    return out;
  };
}

/** The common 2×2, stride-2 max-pool without index tables. */
function maxpool2x2(C: number, H: number, W: number, OH: number, OW: number): Kernel {
  return (input) => {
    const out = new Int32Array(C * OH * OW);
    let i = 0;
    for (let c = 0; c < C; c++) {
      for (let y = 0; y < OH; y++) {
        let a = (c * H + 2 * y) * W;
        for (let x = 0; x < OW; x++, a += 2) {
          const top = input[a] > input[a + 1] ? input[a] : input[a + 1];
          const bottom = input[a + W] > input[a + W + 1] ? input[a + W] : input[a + W + 1];
          out[i++] = top > bottom ? top : bottom;
        }
      }
    }
    return out;
  };
}
