// The WebAssembly SIMD kernels of the fast golden model (kernels.wat): this
// file owns the module instance and its memory. Two users:
//   - wasmLayer below: one matrix layer's raw accumulators for one input map
//     (fast.ts, layer by layer);
//   - program.ts: a whole network run inside this memory.
// Both fall back to JS when the .wasm file has not been built (`npm run
// build` makes it).
//
// Each thread has one fixed 64 MiB memory used as an arena: a layer (or a
// network) is uploaded (weights, tables, scratch) the first time it runs and
// stays; when the arena is full it is emptied and users upload again on their
// next run. Only speed depends on what is resident, never a result.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WASM_FILE = fileURLToPath(new URL('../../wasm/golden-kernels.wasm', import.meta.url));
export const ARENA_BYTES = 64 * 1024 * 1024;
const PAGE_BYTES = 65536;

type LayerFn = (x: number, base: number, P: number, off: number, K: number, rowBytes: number, w: number, O: number, bias: number, col: number, out: number) => void;

/** The kernels program.ts calls; arguments are byte addresses and counts (kernels.wat documents each). */
export interface Kernels {
  mbLayer(x: number, base: number, P: number, runs: number, runOff: number, runRow: number, rowBytes: number, w: number, O4: number, bias: number, col: number, act: number, out: number, pitch: number, mask: number, zeroRow: number, zeroBytes: number): void;
  binLayer(bits: number, base: number, P: number, chunks: number, chunkOff: number, chunkMask: number, chunkTab: number, segs: number, segEnd: number, groups: number, eights: number, rowStride: number, bias: number, idx: number, cend: number, act: number, out: number, pitch: number): void;
  pack(x: number, lines: number, len: number, start: number, pitch: number, out: number, bytes: number): void;
  padLines(x: number, lines: number, len: number, out: number, pitch: number): void;
  maxpool(x: number, C: number, W: number, k: number, s: number, OH: number, OW: number, out: number): void;
}

export interface Arena {
  layer: LayerFn;
  kernels: Kernels;
  bytes: Uint8Array;
  i32: Int32Array;
  i16: Int16Array;
  f64: Float64Array;
  top: number;
  /** Bumped whenever the arena is emptied: everything placed before is gone. */
  generation: number;
}

let arena: Arena | null | undefined;

export function theArena(): Arena | null {
  if (arena !== undefined) return arena;
  if (process.env.RRAM_GEN_NO_WASM === '1' || !existsSync(WASM_FILE)) return (arena = null);
  const memory = new WebAssembly.Memory({ initial: ARENA_BYTES / PAGE_BYTES, maximum: ARENA_BYTES / PAGE_BYTES });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(WASM_FILE)), { env: { memory } });
  const { buffer } = memory;
  const kernels = instance.exports as unknown as Kernels;
  arena = {
    layer: instance.exports.layer as LayerFn, kernels,
    bytes: new Uint8Array(buffer), i32: new Int32Array(buffer), i16: new Int16Array(buffer), f64: new Float64Array(buffer), top: 0, generation: 0,
  };
  return arena;
}

/**
 * Room for `bytes` (at most a quarter of the arena) starting on a 16-byte
 * boundary, emptying the arena first when it is full. The caller owns the
 * bytes while `a.generation` stays the same.
 */
export function reserve(a: Arena, bytes: number): number {
  const need = align(bytes);
  if (a.top + need > ARENA_BYTES) {
    a.top = 0;
    a.generation++;
  }
  const at = a.top;
  a.top += need;
  return at;
}

/** Whether the WebAssembly kernel is available in this thread. */
export function wasmAvailable(): boolean {
  return theArena() !== null;
}

/** Byte offsets of a layer's regions in the arena. */
interface Resident { generation: number; x: number; base: number; off: number; w: number; bias: number; col: number; out: number }

/** A matrix layer as the WebAssembly kernel runs it, described by its im2col view. */
export interface WasmLayerSpec {
  /** Values of the (padded) input map the window tables index. */
  inputSize: number;
  base: Int32Array;
  off: Int32Array;
  /** Weights [o][r], |w| ≤ 127. */
  weights: Int32Array;
  bias: Int32Array;
  O: number;
}

/**
 * A layer's kernel: (padded input) → raw accumulators, O·P values in C,H,W
 * order. The returned array is the arena's: read it before the next call.
 * Undefined when the layer does not fit the arena.
 */
export function wasmLayer(spec: WasmLayerSpec): ((input: Int32Array) => Int32Array) | undefined {
  const a = theArena();
  if (a === null) return undefined;
  const K = spec.off.length;
  const P = spec.base.length;
  const O = spec.O;
  const rowBytes = Math.ceil(K / 8) * 16;
  // Each region starts on a 16-byte boundary.
  const sizes = { x: spec.inputSize * 4, base: P * 4, off: K * 4, w: O * rowBytes, bias: O * 4, col: rowBytes, out: O * P * 4 };
  const need = Object.values(sizes).reduce((s, b) => s + align(b), 0);
  if (need > ARENA_BYTES / 4) return undefined;
  const rows = new Int16Array(O * (rowBytes / 2));
  for (let o = 0; o < O; o++) for (let r = 0; r < K; r++) rows[o * (rowBytes / 2) + r] = spec.weights[o * K + r];
  let at: Resident | undefined;
  const upload = (): Resident => {
    let next = reserve(a, need);
    const place = (bytes: number): number => {
      const p = next;
      next += align(bytes);
      return p;
    };
    const r: Resident = { generation: a.generation, x: place(sizes.x), base: place(sizes.base), off: place(sizes.off), w: place(sizes.w), bias: place(sizes.bias), col: place(sizes.col), out: place(sizes.out) };
    a.bytes.fill(0, r.x, r.x + sizes.x);
    a.bytes.fill(0, r.col, r.col + sizes.col);
    a.i32.set(spec.base, r.base / 4);
    a.i32.set(spec.off, r.off / 4);
    a.i16.set(rows, r.w / 2);
    a.i32.set(spec.bias, r.bias / 4);
    return r;
  };
  return (input) => {
    if (at === undefined || at.generation !== a.generation) at = upload();
    a.i32.set(input, at.x / 4);
    a.layer(at.x, at.base, P, at.off, K, rowBytes, at.w, O, at.bias, at.col, at.out);
    return a.i32.subarray(at.out / 4, at.out / 4 + O * P);
  };
}

export function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
