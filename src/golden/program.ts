// The fast golden model for a whole network, run inside the WebAssembly
// memory (wasm.ts, kernels.wat): the input is copied in once, every layer
// reads its input map and writes its output map there, and only the final
// output (or, when traced, every layer's) comes back to JS. Same results as
// reference.ts, bit for bit, by other means:
//   - maps are bytes in H,W,C order (every map but a final `none` layer's is
//     unsigned and at most 8 bits wide), so one kernel line of a window
//     (k pixels × C channels) is one run of side-by-side values; the net's
//     input and output are reordered from and to C,H,W on the way in and out;
//   - a matrix layer on a 1-bit map packs it into bits and adds, per chunk of
//     up to 8 window rows whose bits lie side by side in the map, one
//     precomputed row of i16 column sums: the sums of that chunk's weights
//     for its bit pattern (binaryPlan). 32 (then 8) columns per pass, i16 partial
//     sums widened to i32 before they can overflow;
//   - a matrix layer on a multi-bit map gathers its window into i16 lanes
//     (8 bytes per load) and takes 8 rows per i32x4.dot_i16x8_s, four
//     columns at a time (multiBitPlan);
//   - the activation is applied in the kernel (thresholds as vector
//     compares; the ADC in f64, exact as kernels.wat explains).
// A net with a layer this path does not take (a layer whose sums may pass
// int32, or when the .wasm file is not built) runs layer by layer in fast.ts.
// Not re-entrant: one run at a time per thread, as JS does.

import type { Activation, Layer, MatrixLayer, NetIR } from '../ir/types.js';
import { activate } from '../ops/activations/index.js';
import { mapSize } from '../ir/types.js';
import { isChain } from '../ir/graph.js';
import { fullWeightMatrix, matrixCols, matrixRows } from '../ops/index.js';
import { isSquareWindow } from '../ops/window.js';
import { accumulatorFitsInt32, weightsFit8Bits } from './ranges.js';
import { ARENA_BYTES, type Arena, Layout, theArena } from './wasm.js';

export interface ProgramResult {
  output: Int32Array;
  /** Every layer's output, when asked for. */
  trace?: Int32Array[];
}

export interface NetProgram {
  run(input: Int32Array, trace: boolean): ProgramResult;
}

/** Bytes of chunk tables allowed per layer before chunks get narrower (8 → … → 1 rows). */
const TABLE_BYTES = 1 << 19;
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

/** One layer's work: the call with absolute addresses, and where its output map is. */
interface Step {
  run: (k: Arena['kernels'], origin: number) => void;
  out: number;
  /** Output values (C·H·W of the layer's outShape) and whether they are i32 (a `none` layer) or bytes. */
  count: number;
  wide: boolean;
  /** The H,W,C output map in C,H,W order, as a new array. */
  toChw: (hwc: ArrayLike<number>) => Int32Array;
}

function compile(net: NetIR): NetProgram | undefined {
  const a = theArena();
  // A graph (add, concat, skips) runs layer by layer (model.ts); a chain keeps this path.
  if (a === null || !isChain(net.layers) || !net.layers.every(eligible)) return undefined;
  const L = new Layout(SLACK);
  const input = L.add(mapSize(net.input));
  const steps: Step[] = [];
  let x = input;
  for (const layer of net.layers) {
    if (layer.type === 'add' || layer.type === 'concat') return undefined; // not in a chain (isChain)
    if (layer.type === 'sumpool') return undefined; // not eligible (above)
    const step = layer.type === 'maxpool' ? poolStep(L, layer, x) : layer.inShape.bits === 1 ? binaryPlan(L, layer, x) : multiBitPlan(L, layer, x);
    steps.push(step);
    x = step.out;
  }
  if (L.size > ARENA_BYTES / 4) return undefined;
  const resident = L.residentIn(a);
  const inC = net.input.channels;
  const inP = net.input.height * net.input.width;
  const last = steps[steps.length - 1];
  const read = (s: Step, origin: number): Int32Array => {
    const at = origin + s.out;
    const hwc = s.wide ? a.i32.subarray(at / 4, at / 4 + s.count) : a.bytes.subarray(at, at + s.count);
    return s.toChw(hwc);
  };
  return {
    run(values, trace) {
      const origin = resident();
      // Values are checked against the input width (model.ts), so bytes hold them.
      storeHwc(values, a.bytes, origin + input, inC, inP);
      const traces: Int32Array[] = [];
      for (const s of steps) {
        s.run(a.kernels, origin);
        if (trace) traces.push(read(s, origin));
      }
      return trace ? { output: traces[traces.length - 1], trace: traces } : { output: read(last, origin) };
    },
  };
}

/**
 * A map of C channels of P pixels in H,W,C order (a view into the arena),
 * in C,H,W order in a new Int32Array: always a copy, as the next run
 * overwrites the arena.
 */
function toChw(C: number, P: number): (hwc: ArrayLike<number>) => Int32Array {
  if (C === 1 || P === 1) return (v) => Int32Array.from(v);
  return (v) => {
    const out = new Int32Array(C * P);
    for (let q = 0; q < P; q++) for (let c = 0; c < C; c++) out[c * P + q] = v[q * C + c];
    return out;
  };
}

/**
 * Writes the input map (C,H,W, values checked to fit a byte) into the arena
 * at `at` in the kernels' H,W,C order, with no intermediate array: the
 * quantizer's searches run a net once per image and candidate.
 */
function storeHwc(values: Int32Array, bytes: Uint8Array, at: number, C: number, P: number): void {
  if (C === 1 || P === 1) {
    bytes.set(values, at);
    return;
  }
  for (let c = 0; c < C; c++) {
    const from = c * P;
    for (let q = 0, j = at + c; q < P; q++, j += C) bytes[j] = values[from + q];
  }
}

function eligible(layer: Layer): boolean {
  if (layer.inShape.signed || layer.inShape.bits > 8) return false;
  if (layer.type === 'add' || layer.type === 'concat') return false;
  // The max-pool kernel takes a square, unpadded window; other pools run in fast.ts.
  if (layer.type === 'maxpool') return isSquareWindow(layer.window) && layer.window.padTop === 0;
  // No sum-pool kernel in WebAssembly: such a net runs layer by layer (fast.ts).
  if (layer.type === 'sumpool') return false;
  // The kernels add in i32 (wrapping): exact only when every sum fits.
  return accumulatorFitsInt32(layer) && weightsFit8Bits(layer);
}

/**
 * im2col as index tables over the (padded) H,W,C input map: window row r of
 * output position q is element base[q] + off[r], rows in the weight order
 * [c][ky][kx] (dense: the input flattened in C,H,W order).
 */
/** The window's index tables and the padded map they index: Hp×Wp, the input's pixel (0, 0) at (top, left); padded when it differs from the input. */
interface MapWindow { base: Int32Array; off: Int32Array; top: number; left: number; Hp: number; Wp: number; padded: boolean }

function windowOf(layer: MatrixLayer): MapWindow {
  const K = matrixRows(layer);
  const { channels: C, height: H, width: W } = layer.inShape;
  if (layer.type === 'dense') {
    const off = new Int32Array(K);
    for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) off[c * H * W + i] = i * C + c;
    return { base: new Int32Array(1), off, top: 0, left: 0, Hp: H, Wp: W, padded: false };
  }
  const { kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padTop: top, padLeft: left, padBottom: bottom, padRight: right, dilationH: dh, dilationW: dw } = layer.window;
  const { height: OH, width: OW } = layer.outShape;
  const Hp = H + top + bottom;
  const Wp = W + left + right;
  const off = new Int32Array(K);
  for (let c = 0; c < C; c++) {
    for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) off[(c * kh + ky) * kw + kx] = (ky * dh * Wp + kx * dw) * C + c;
  }
  const base = new Int32Array(OH * OW);
  for (let y = 0; y < OH; y++) for (let x = 0; x < OW; x++) base[y * OW + x] = (y * sh * Wp + x * sw) * C;
  return { base, off, top, left, Hp, Wp, padded: Hp !== H || Wp !== W };
}

/** Window rows whose elements lie side by side in the map: `rows[t]` is at `start + t`. */
interface Run { start: number; rows: number[] }

/** The window's rows by map position, in runs of side-by-side elements each cut into pieces of at most `most`, as evenly as possible. */
function pieces(off: Int32Array, most: number): Run[] {
  const order = Array.from(off.keys()).sort((i, j) => off[i] - off[j]);
  const out: Run[] = [];
  for (let i = 0; i < order.length;) {
    let end = i + 1;
    while (end < order.length && off[order[end]] === off[order[end - 1]] + 1) end++;
    const n = end - i;
    const count = Math.ceil(n / most);
    for (let j = 0; j < count; j++) {
      const rows = order.slice(i + Math.floor((j * n) / count), i + Math.floor(((j + 1) * n) / count));
      out.push({ start: off[rows[0]], rows });
    }
    i = end;
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

/**
 * The layer's output map, P pixels of O values (i32 for a `none` layer, else
 * bytes); the kernels write whole groups of `cols` columns, so the last
 * pixel's group runs past the map by up to cols − O values.
 */
function outputOf(L: Layout, layer: MatrixLayer, cols: number, P: number): Pick<Step, 'out' | 'wide' | 'count' | 'toChw'> {
  const wide = layer.activation.type === 'none';
  const O = matrixCols(layer);
  return { out: L.add((P * O + cols) * (wide ? 4 : 1)), wide, count: P * O, toChw: toChw(O, P) };
}

function binaryPlan(L: Layout, layer: MatrixLayer, x: number): Step {
  const K = matrixRows(layer);
  const O = matrixCols(layer);
  // Columns go 32 per pass, then 8.
  const cols = Math.ceil(O / 8) * 8;
  const { base, off, top, left, Hp, Wp } = windowOf(layer);
  const P = base.length;
  // The widest chunks whose tables fit the budget (2-row chunks take no
  // more table per row than 1-row ones, so they are the narrowest).
  let chunks = pieces(off, 2);
  for (let most = 8; most > 2; most--) {
    const c = pieces(off, most);
    if (c.reduce((s, p) => s + 2 ** p.rows.length, 0) * cols * 2 <= TABLE_BYTES) {
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
    entries += 2 ** chunks[j].rows.length;
  }
  const tables = new Int16Array(entries * cols);
  const segEnds: number[] = [];
  let segmentBound = 0;
  // A grouped conv's blocks as one matrix, zeros between them: the tables cover every window row.
  const weights = fullWeightMatrix(layer);
  for (let j = 0; j < n; j++) {
    const { rows } = chunks[j];
    const t0 = tabOffset[j] / 2;
    const patterns = 1 << rows.length;
    let most = 0;
    for (let v = 1; v < patterns; v++) {
      // The pattern without its top bit, plus that bit's weight.
      const top = 31 - Math.clz32(v);
      const at = t0 + v * cols;
      const prev = t0 + (v ^ (1 << top)) * cols;
      const w0 = rows[top];
      for (let o = 0; o < O; o++) {
        const sum = tables[prev + o] + weights[o * K + w0];
        tables[at + o] = sum;
        if (sum > most) most = sum;
        else if (-sum > most) most = -sum;
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
  const chunkOff = Int32Array.from(chunks, (c) => c.start);
  const chunkMask = Int32Array.from(chunks, (c) => 2 ** c.rows.length - 1);
  const { channels: C, height: H, width: W } = layer.inShape;
  const packedBits = Hp * Wp * C;
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
  const cend = L.add(segEnds.length * 4);
  const act = activationBlock(L, layer.activation, cols);
  const output = outputOf(L, layer, cols, P);
  const { out } = output;
  const groups = Math.floor(cols / 32);
  const eights = (cols - groups * 32) / 8;
  return {
    ...output,
    run: (k, o) => {
      k.pack(o + x, H, W * C, (top * Wp + left) * C, Wp * C, o + packed, packedBytes);
      k.binLayer(o + packed, o + bases, P, n, o + offs, o + masks, o + chunkTab, segEnds.length, o + segs, groups, eights, rowStride, o + biasAt, o + idx, o + cend, o + act, o + out, O);
    },
  };
}

function multiBitPlan(L: Layout, layer: MatrixLayer, x: number): Step {
  const K = matrixRows(layer);
  const O = matrixCols(layer);
  const cols = Math.ceil(O / 4) * 4;
  const rowBytes = Math.ceil(K / 8) * 16;
  const { base, off, top, left, Hp, Wp, padded: isPadded } = windowOf(layer);
  const P = base.length;
  // The window is gathered by map position: lane i of `col` holds row order[i].
  const runs = pieces(off, 8);
  const order = runs.flatMap((r) => r.rows);
  const w = new Int16Array(cols * (rowBytes / 2));
  const full = fullWeightMatrix(layer);
  for (let o = 0; o < O; o++) for (let i = 0; i < K; i++) w[o * (rowBytes / 2) + i] = full[o * K + order[i]];
  const firstLane = new Int32Array(runs.length);
  for (let j = 1; j < runs.length; j++) firstLane[j] = firstLane[j - 1] + runs[j - 1].rows.length;
  const runOff = L.i32(Int32Array.from(runs, (r) => r.start));
  const runRow = L.i32(firstLane.map((i) => i * 2));
  const weights = L.add(w.byteLength, (a, at) => a.i16.set(w, at / 2));
  const bias = new Int32Array(cols);
  bias.set(layer.bias);
  const biasAt = L.i32(bias);
  const bases = L.i32(base);
  // Two positions' windows, one after the other (kernels.wat, mbLayer).
  const col = L.add(2 * rowBytes + 16);
  const lanes = new Int16Array(rowBytes / 2);
  lanes.fill(-1, 0, K);
  const mask = L.add(rowBytes, (a, at) => a.i16.set(lanes, at / 2));
  // The output pixel of an all-zero window: the activation of the bias alone.
  const wide = layer.activation.type === 'none';
  const zeroPixel = Int32Array.from(layer.bias, (b, o) => activate(layer.activation, o, b));
  const zeroBytes = O * (wide ? 4 : 1);
  const zeroRow = L.add(zeroBytes, (a, at) => (wide ? a.i32.set(zeroPixel, at / 4) : a.bytes.set(zeroPixel, at)));
  const act = activationBlock(L, layer.activation, cols);
  const output = outputOf(L, layer, cols, P);
  const { out } = output;
  const { channels: C, height: H, width: W } = layer.inShape;
  // A padded conv reads a zero-bordered copy of its input; the border is zeroed on upload and never written.
  const padded = isPadded ? L.add(Hp * Wp * C) : x;
  return {
    ...output,
    run: (k, o) => {
      if (isPadded) k.padLines(o + x, H, W * C, o + padded + (top * Wp + left) * C, Wp * C);
      k.mbLayer(o + padded, o + bases, P, runs.length, o + runOff, o + runRow, rowBytes, o + weights, cols, o + biasAt, o + col, o + act, o + out, O, o + mask, o + zeroRow, zeroBytes);
    },
  };
}

function poolStep(L: Layout, layer: Layer & { type: 'maxpool' }, x: number): Step {
  const { channels: C, width: W } = layer.inShape;
  const { height: OH, width: OW } = layer.outShape;
  // The kernel stores 16 channels at a time: the last pixel's may run 15 values past the map.
  const out = L.add(OH * OW * C + 16);
  return {
    out, wide: false, count: C * OH * OW, toChw: toChw(C, OH * OW),
    run: (k, o) => k.maxpool(o + x, C, W, layer.window.kernelH, layer.window.strideH, OH, OW, o + out),
  };
}
