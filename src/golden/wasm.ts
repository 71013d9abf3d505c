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

/**
 * Arena layout of a block (a layer's or a whole network's buffers): regions at
 * offsets from its origin, each on a 16-byte boundary and followed by `slack`
 * spare bytes, zeroed and then written by their `init` on every upload.
 */
export class Layout {
  size = 0;
  readonly inits: ((a: Arena, origin: number) => void)[] = [];
  constructor(private readonly slack = 0) {}
  /** A zeroed region of `bytes`; `init` fills it on upload. Returns its offset. */
  add(bytes: number, init?: (a: Arena, at: number, origin: number) => void): number {
    const at = this.size;
    this.size += align(bytes + this.slack);
    if (init !== undefined) this.inits.push((a, origin) => init(a, origin + at, origin));
    return at;
  }
  i32(values: Int32Array): number {
    return this.add(values.length * 4, (a, at) => a.i32.set(values, at / 4));
  }
  /** The block's origin in `a`, uploading it first when it is not there (never uploaded, or the arena emptied since). */
  residentIn(a: Arena): () => number {
    let origin = 0;
    let generation = -1;
    return () => {
      if (generation !== a.generation) {
        origin = reserve(a, this.size);
        generation = a.generation;
        a.bytes.fill(0, origin, origin + this.size);
        for (const init of this.inits) init(a, origin);
      }
      return origin;
    };
  }
}

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
  const rows = new Int16Array(O * (rowBytes / 2));
  for (let o = 0; o < O; o++) for (let r = 0; r < K; r++) rows[o * (rowBytes / 2) + r] = spec.weights[o * K + r];
  const L = new Layout();
  const x = L.add(spec.inputSize * 4);
  const base = L.i32(spec.base);
  const off = L.i32(spec.off);
  const w = L.add(rows.byteLength, (arena, at) => arena.i16.set(rows, at / 2));
  const bias = L.i32(spec.bias);
  const col = L.add(rowBytes);
  const out = L.add(O * P * 4);
  if (L.size > ARENA_BYTES / 4) return undefined;
  const resident = L.residentIn(a);
  return (input) => {
    const o = resident();
    a.i32.set(input, (o + x) / 4);
    a.layer(o + x, o + base, P, o + off, K, rowBytes, o + w, O, o + bias, o + col, o + out);
    return a.i32.subarray((o + out) / 4, (o + out) / 4 + O * P);
  };
}

export function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
