// The fast golden model for a whole network, run inside the WebAssembly
// memory (wasm.ts, kernels.wat): the input is copied in once, every layer
// reads its input map and writes its output map there, and only the final
// output (or, when traced, every layer's) comes back to JS. Same results as
// reference.ts, bit for bit, by other means:
//   - maps are bytes in C,H,W order (every map but a final `none` layer's is
//     unsigned and at most 8 bits wide);
//   - a matrix layer on a 1-bit map packs it into bits and adds, per chunk of
//     up to 8 window rows whose bits lie side by side in the map (a run of kx
//     within one kernel line; any 8 rows of a dense layer), one precomputed
//     row of i16 column sums: the sums of that chunk's weights for its bit
//     pattern (binaryPlan). 32 columns per pass, i16 partial sums widened to
//     i32 before they can overflow;
//   - a matrix layer on a multi-bit map gathers its window into i16 lanes
//     (8 bytes per load) and takes 8 rows per i32x4.dot_i16x8_s, four
//     columns at a time (multiBitPlan);
//   - the activation is applied in the kernel (thresholds as vector
//     compares; the ADC in f64, exact as kernels.wat explains).
// A net with a layer this path does not take (a layer whose sums may pass
// int32, or when the .wasm file is not built) runs layer by layer in fast.ts.
// Not re-entrant: one run at a time per thread, as JS does.

import type { Activation, Layer, MatrixLayer, NetIR } from '../ir/types.js';
import { mapSize, matrixCols, matrixRows } from '../ir/types.js';
import { accumulatorRange } from './ranges.js';
import { ARENA_BYTES, type Arena, align, reserve, theArena } from './wasm.js';

export interface ProgramResult {
  output: Int32Array;
  /** Every layer's output, when asked for. */
  trace?: Int32Array[];
}

export interface NetProgram {
  run(input: Int32Array, trace: boolean): ProgramResult;
}

/** Bytes of chunk tables allowed per layer before chunks get narrower (8 → … → 1 rows). */
const TABLE_BYTES = 1 << 20;
/** Room after every buffer: kernels load and store whole vectors past a map's end. */
const SLACK = 16;

const programs = new WeakMap<NetIR, NetProgram | null>();

/** The net's whole-network program, or undefined when some layer needs the layer-by-layer path. */
export function programOf(net: NetIR): NetProgram | undefined {
  let p = programs.get(net);
  if (p === undefined) {
    p = compile(net) ?? null;
    programs.set(net, p);
  }
  return p ?? undefined;
}

/** Arena layout of a program: blocks at offsets from its origin, written on every upload. */
class Layout {
  size = 0;
  readonly inits: ((a: Arena, origin: number) => void)[] = [];
  /** A zeroed block of `bytes`; `init` fills it on upload. Returns its offset. */
  add(bytes: number, init?: (a: Arena, at: number, origin: number) => void): number {
    const at = this.size;
    this.size += align(bytes + SLACK);
    if (init !== undefined) this.inits.push((a, origin) => init(a, origin + at, origin));
    return at;
  }
  i32(values: Int32Array): number {
    return this.add(values.length * 4, (a, at) => a.i32.set(values, at / 4));
  }
}

/** One layer's work: the call with absolute addresses, and where its output map is. */
interface Step {
  run: (k: Arena['kernels'], origin: number) => void;
  out: number;
  /** Output values (C·H·W of the layer's outShape) and whether they are i32 (a `none` layer) or bytes. */
  count: number;
  wide: boolean;
}

function compile(net: NetIR): NetProgram | undefined {
  const a = theArena();
  if (a === null || !net.layers.every(eligible)) return undefined;
  const L = new Layout();
  const input = L.add(mapSize(net.input));
  const steps: Step[] = [];
  let x = input;
  for (const layer of net.layers) {
    const step = layer.type === 'maxpool' ? poolStep(L, layer, x) : layer.inShape.bits === 1 ? binaryPlan(L, layer, x) : multiBitPlan(L, layer, x);
    steps.push(step);
    x = step.out;
  }
  if (L.size > ARENA_BYTES / 4) return undefined;
  let origin = 0;
  let generation = -1;
  const upload = (): void => {
    origin = reserve(a, L.size);
    generation = a.generation;
    a.bytes.fill(0, origin, origin + L.size);
    for (const init of L.inits) init(a, origin);
  };
  const last = steps[steps.length - 1];
  const read = (s: Step): Int32Array =>
    s.wide ? a.i32.slice((origin + s.out) / 4, (origin + s.out) / 4 + s.count) : Int32Array.from(a.bytes.subarray(origin + s.out, origin + s.out + s.count));
  return {
    run(values, trace) {
      if (generation !== a.generation) upload();
      // Values are checked against the input width (model.ts), so bytes hold them.
      a.bytes.set(values, origin + input);
      const traces: Int32Array[] = [];
      for (const s of steps) {
        s.run(a.kernels, origin);
        if (trace) traces.push(read(s));
      }
      return trace ? { output: traces[traces.length - 1], trace: traces } : { output: read(last) };
    },
  };
}

function eligible(layer: Layer): boolean {
  if (layer.inShape.signed || layer.inShape.bits > 8) return false;
  if (layer.type === 'maxpool') return true;
  // The kernels add in i32 (wrapping): exact only when every sum fits.
  const { min, max } = accumulatorRange(layer);
  return min >= -(2 ** 31) && max <= 2 ** 31 - 1 && layer.weights.every((w) => w >= -127 && w <= 127);
}

/**
 * im2col as index tables over the (padded) input map: window row r of output
 * position q is element base[q] + off[r], rows in the weight order
 * [c][ky][kx] (dense: the flattened map).
 */
function windowOf(layer: MatrixLayer): { base: Int32Array; off: Int32Array; pad: number } {
  const K = matrixRows(layer);
  if (layer.type === 'dense') return { base: new Int32Array(1), off: Int32Array.from({ length: K }, (_, r) => r), pad: 0 };
  const { channels: C, height: H, width: W } = layer.inShape;
  const { kernel: k, stride: s, padding: p } = layer;
  const { height: OH, width: OW } = layer.outShape;
  const Hp = H + 2 * p;
  const Wp = W + 2 * p;
  const off = new Int32Array(K);
  for (let c = 0; c < C; c++) {
    for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) off[(c * k + ky) * k + kx] = (c * Hp + ky) * Wp + kx;
  }
  const base = new Int32Array(OH * OW);
  for (let y = 0; y < OH; y++) for (let x = 0; x < OW; x++) base[y * OW + x] = y * s * Wp + x * s;
  return { base, off, pad: p };
}

/** Runs of consecutive window rows that are also consecutive in the map, each cut into pieces of at most `most` rows, as evenly as possible. */
function pieces(off: Int32Array, most: number): { row: number; len: number }[] {
  const out: { row: number; len: number }[] = [];
  for (let r = 0; r < off.length;) {
    let end = r + 1;
    while (end < off.length && off[end] === off[end - 1] + 1) end++;
    const n = end - r;
    const count = Math.ceil(n / most);
    for (let i = 0; i < count; i++) {
      const from = r + Math.floor((i * n) / count);
      const to = r + Math.floor(((i + 1) * n) / count);
      out.push({ row: from, len: to - from });
    }
    r = end;
  }
  return out;
}

/** The activation block the kernels read (kernels.wat, $emit4); thresholds padded to `cols`. */
function activationBlock(L: Layout, act: Activation, cols: number): number {
  const thresholds = new Int32Array(cols);
  if (act.type === 'threshold') thresholds.set(act.thresholds);
  const t = L.i32(thresholds);
  const mode = act.type === 'threshold' ? 0 : act.type === 'adc' ? 1 : 2;
  return L.add(32, (a, at, origin) => {
    a.i32[at / 4] = mode;
    a.i32[at / 4 + 1] = origin + t;
    if (act.type === 'adc') {
      a.f64[at / 8 + 1] = act.offset;
      a.f64[at / 8 + 2] = act.step;
      a.f64[at / 8 + 3] = 2 ** act.bits - 1;
    }
  });
}

/** The layer's output map: `cols` (≥ O, padded) rows of P values, i32 for a `none` layer, else bytes. */
function outputOf(L: Layout, layer: MatrixLayer, cols: number, P: number): { out: number; wide: boolean } {
  const wide = layer.activation.type === 'none';
  return { out: L.add(cols * P * (wide ? 4 : 1)), wide };
}

function binaryPlan(L: Layout, layer: MatrixLayer, x: number): Step {
  const K = matrixRows(layer);
  const O = matrixCols(layer);
  const cols = Math.ceil(O / 32) * 32;
  const { base, off, pad } = windowOf(layer);
  const P = base.length;
  // The widest chunks whose tables fit the budget (2-row chunks take no
  // more table per row than 1-row ones, so they are the narrowest).
  let chunks = pieces(off, 2);
  for (let most = 8; most > 2; most--) {
    const c = pieces(off, most);
    if (c.reduce((s, p) => s + 2 ** p.len, 0) * cols * 2 <= TABLE_BYTES) {
      chunks = c;
      break;
    }
  }
  const n = chunks.length;
  const rowStride = cols * 2;
  const tabOffset = new Int32Array(n);
  let entries = 0;
  for (let j = 0; j < n; j++) {
    tabOffset[j] = entries * rowStride;
    entries += 2 ** chunks[j].len;
  }
  const tables = new Int16Array(entries * cols);
  const segEnds: number[] = [];
  let segmentBound = 0;
  for (let j = 0; j < n; j++) {
    const { row, len } = chunks[j];
    const t0 = tabOffset[j] / 2;
    let most = 0;
    for (let v = 1; v < 2 ** len; v++) {
      // The pattern without its top bit, plus that bit's weight.
      const top = 31 - Math.clz32(v);
      const at = t0 + v * cols;
      const prev = t0 + (v ^ (1 << top)) * cols;
      for (let o = 0; o < O; o++) {
        const sum = tables[prev + o] + layer.weights[o * K + row + top];
        tables[at + o] = sum;
        most = Math.max(most, Math.abs(sum));
      }
    }
    // A segment's i16 sum is exact while the sum of its chunks' largest magnitudes stays below 2^15.
    if (segmentBound + most > 32767) {
      segEnds.push(j);
      segmentBound = 0;
    }
    segmentBound += most;
  }
  segEnds.push(n);
  const chunkOff = Int32Array.from(chunks, (c) => off[c.row]);
  const chunkMask = Int32Array.from(chunks, (c) => 2 ** c.len - 1);
  const { channels: C, height: H, width: W } = layer.inShape;
  const packedBits = C * (H + 2 * pad) * (W + 2 * pad);
  const packedBytes = Math.ceil(packedBits / 8) + 8;
  const packed = L.add(packedBytes);
  const tab = L.add(tables.byteLength, (a, at) => a.i16.set(tables, at / 2));
  const chunkTab = L.add(n * 4, (a, at, origin) => {
    for (let j = 0; j < n; j++) a.i32[at / 4 + j] = origin + tab + tabOffset[j];
  });
  const offs = L.i32(chunkOff);
  const masks = L.i32(chunkMask);
  const segs = L.i32(Int32Array.from(segEnds));
  const bases = L.i32(base);
  const bias = new Int32Array(cols);
  bias.set(layer.bias);
  const biasAt = L.i32(bias);
  const idx = L.add(n * 4);
  const act = activationBlock(L, layer.activation, cols);
  const { out, wide } = outputOf(L, layer, cols, P);
  const groups = cols / 32;
  return {
    out, wide, count: mapSize(layer.outShape),
    run: (k, o) => {
      k.pack(o + x, C, H, W, pad, o + packed, packedBytes);
      k.binLayer(o + packed, o + bases, P, n, o + offs, o + masks, o + chunkTab, segEnds.length, o + segs, groups, rowStride, o + biasAt, o + idx, o + act, o + out);
    },
  };
}

function multiBitPlan(L: Layout, layer: MatrixLayer, x: number): Step {
  const K = matrixRows(layer);
  const O = matrixCols(layer);
  const cols = Math.ceil(O / 4) * 4;
  const rowBytes = Math.ceil(K / 8) * 16;
  const { base, off, pad } = windowOf(layer);
  const P = base.length;
  const w = new Int16Array(cols * (rowBytes / 2));
  for (let o = 0; o < O; o++) for (let r = 0; r < K; r++) w[o * (rowBytes / 2) + r] = layer.weights[o * K + r];
  const runs = pieces(off, 8);
  const runOff = L.i32(Int32Array.from(runs, (r) => off[r.row]));
  const runRow = L.i32(Int32Array.from(runs, (r) => r.row * 2));
  const weights = L.add(w.byteLength, (a, at) => a.i16.set(w, at / 2));
  const bias = new Int32Array(cols);
  bias.set(layer.bias);
  const biasAt = L.i32(bias);
  const bases = L.i32(base);
  const col = L.add(rowBytes);
  const act = activationBlock(L, layer.activation, cols);
  const { out, wide } = outputOf(L, layer, cols, P);
  const { channels: C, height: H, width: W } = layer.inShape;
  // A padded conv reads a zero-bordered copy of its input; the border is zeroed on upload and never written.
  const padded = pad > 0 ? L.add(C * (H + 2 * pad) * (W + 2 * pad)) : x;
  return {
    out, wide, count: mapSize(layer.outShape),
    run: (k, o) => {
      if (pad > 0) k.padBytes(o + x, C, H, W, pad, o + padded);
      k.mbLayer(o + padded, o + bases, P, runs.length, o + runOff, o + runRow, rowBytes, o + weights, cols, o + biasAt, o + col, o + act, o + out);
    },
  };
}

function poolStep(L: Layout, layer: Layer & { type: 'maxpool' }, x: number): Step {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { height: OH, width: OW } = layer.outShape;
  const out = L.add(C * OH * OW);
  return {
    out, wide: false, count: C * OH * OW,
    run: layer.kernel === 2 && layer.stride === 2
      ? (k, o) => k.maxpool2(o + x, C, H, W, OH, OW, o + out)
      : (k, o) => k.maxpool(o + x, C, H, W, layer.kernel, layer.stride, OH, OW, o + out),
  };
}
