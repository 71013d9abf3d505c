// Input vector files: the "rram-gen vectors" text format (docs/vectors.md) and
// MNIST-style IDX files, told apart by the IDX magic number (text never starts
// with two NUL bytes).

import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { type Diagnostic, RramGenError, diag } from '../diagnostics/index.js';
import type { NetIR } from '../ir/types.js';
import { mapSize } from '../ir/types.js';

const MAX_FILE_BYTES = 512 * 2 ** 20;
/** Bad lines reported at once; more are almost always the same mistake. */
const MAX_DIAGNOSTICS = 20;

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols pixels, row-major. */
  pixels: Uint8Array;
}

export interface ReadVectorsOptions {
  /** Leave out this many vectors at the start of the file (0 by default): a long run split into parts. */
  skip?: number;
  /** Read at most this many vectors (all by default). */
  count?: number;
}

/** Reads input vectors for `net` from a text vector file or an IDX image file. */
export function readVectors(path: string, net: NetIR, opts: ReadVectorsOptions = {}): Int32Array[] {
  const limit = opts.count ?? Infinity;
  const skip = opts.skip ?? 0;
  if (!(limit >= 0) || (limit !== Infinity && !Number.isInteger(limit))) throw new RangeError(`readVectors: bad count ${limit}`);
  if (!(skip >= 0 && Number.isInteger(skip))) throw new RangeError(`readVectors: bad skip ${skip}`);
  const bytes = readBytes(path);
  const vectors = isIdx(bytes) ? idxVectors(bytes, path, net, skip, limit) : textVectors(bytes, path, net, skip, limit);
  if (vectors.length === 0 && limit > 0) {
    throw RramGenError.of('vectors-invalid', '', skip > 0 ? `the file holds no input vectors after the first ${skip}` : 'the file holds no input vectors', path);
  }
  return vectors;
}

export function readIdxImages(path: string): IdxImages {
  return idxImages(readBytes(path), path);
}

export function readIdxLabels(path: string): Uint8Array {
  return parseIdx(readBytes(path), path, 1).data;
}

/** Writes vectors in the text format, one line each, with a header comment. */
export function formatVectors(net: NetIR, vectors: Int32Array[]): string {
  const { channels, height, width, bits } = net.input;
  const lines = [`# rram-gen vectors: net ${net.name}, input ${channels}x${height}x${width} (C,H,W order), ${bits}-bit`];
  vectors.forEach((v, i) => {
    const problem = vectorProblem(net, v);
    if (problem !== undefined) throw RramGenError.of('vectors-shape', `vector ${i}`, problem);
    lines.push(v.join(' '));
  });
  return `${lines.join('\n')}\n`;
}

function readBytes(path: string): Uint8Array {
  try {
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) {
      throw RramGenError.of('file-too-large', '', `file is ${size} bytes, the limit is ${MAX_FILE_BYTES}`, path);
    }
    const bytes = readFileSync(path);
    // IDX files are often shipped gzipped (Fashion-MNIST's Debian package): read them as they are.
    return path.endsWith('.gz') ? gunzipSync(bytes, { maxOutputLength: MAX_FILE_BYTES }) : bytes;
  } catch (e) {
    if (e instanceof RramGenError) throw e;
    throw RramGenError.of('file-unreadable', '', `cannot read the file: ${(e as Error).message}`, path);
  }
}

function isIdx(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0 && bytes[1] === 0;
}

function textVectors(bytes: Uint8Array, path: string, net: NetIR, skip: number, limit: number): Int32Array[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw RramGenError.of('vectors-invalid', '', 'the file is not UTF-8 text', path);
  }
  const want = mapSize(net.input);
  const top = 2 ** net.input.bits - 1;
  const vectors: Int32Array[] = [];
  const problems: Diagnostic[] = [];
  const lines = text.split('\n');
  let skipped = 0;
  for (let i = 0; i < lines.length && vectors.length < limit && problems.length < MAX_DIAGNOSTICS; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    if (skipped < skip) {
      skipped++; // a line left out is not checked either
      continue;
    }
    const where = `line ${i + 1}`;
    const tokens = line.split(/\s+/);
    const bad = tokens.findIndex((t) => !/^-?[0-9]+$/.test(t));
    if (bad >= 0) {
      problems.push(diag('vectors-invalid', where, `value ${bad + 1} ('${tokens[bad].slice(0, 20)}') is not a decimal integer`, path));
      continue;
    }
    if (tokens.length !== want) {
      problems.push(diag('vectors-shape', where, `expected ${want} values (${shapeText(net)}), got ${tokens.length}`, path));
      continue;
    }
    const values = tokens.map(Number);
    const out = values.findIndex((n) => n < 0 || n > top);
    if (out >= 0) {
      problems.push(diag('vectors-shape', where, `value ${out + 1} is ${tokens[out]}, outside 0..${top} for ${net.input.bits}-bit input`, path));
      continue;
    }
    vectors.push(Int32Array.from(values));
  }
  if (problems.length > 0) throw new RramGenError(problems);
  return vectors;
}

function idxImages(bytes: Uint8Array, path: string): IdxImages {
  const { dims, data } = parseIdx(bytes, path, 3);
  const [count, rows, cols] = dims;
  if (rows === 0 || cols === 0) throw RramGenError.of('idx-invalid', 'header', `images of ${rows}x${cols} pixels`, path);
  return { count, rows, cols, pixels: data };
}

function idxVectors(bytes: Uint8Array, path: string, net: NetIR, skip: number, limit: number): Int32Array[] {
  const { count, rows, cols, pixels } = idxImages(bytes, path);
  const { channels, height, width, bits } = net.input;
  if (channels !== 1 || height !== rows || width !== cols) {
    throw RramGenError.of('vectors-shape', 'header', `IDX images are 1x${rows}x${cols}, the net input is ${shapeText(net)}`, path);
  }
  // Keep the top `bits` bits of each 8-bit pixel (1-bit input: pixel >= 128).
  const shift = 8 - bits;
  const size = rows * cols;
  const vectors: Int32Array[] = [];
  for (let n = skip; n < Math.min(count, skip + limit); n++) {
    const v = new Int32Array(size);
    for (let i = 0; i < size; i++) v[i] = pixels[n * size + i] >> shift;
    vectors.push(v);
  }
  return vectors;
}

/** Unsigned-byte IDX with `ndims` dimensions: magic 0x0000_08_<ndims>, big-endian uint32 sizes. */
function parseIdx(bytes: Uint8Array, path: string, ndims: number): { dims: number[]; data: Uint8Array } {
  const fail = (message: string): RramGenError => RramGenError.of('idx-invalid', 'header', message, path);
  const magic = ndims === 3 ? '0x00000803 (images)' : '0x00000801 (labels)';
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw fail(`not an IDX file: expected magic number ${magic}`);
  if (bytes[2] !== 0x08) throw fail(`IDX element type 0x${hex(bytes[2])} is not supported (only 0x08, unsigned byte)`);
  if (bytes[3] !== ndims) throw fail(`IDX file has ${bytes[3]} dimensions, expected magic number ${magic}`);
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) throw fail(`truncated IDX header: ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const dataBytes = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerBytes + dataBytes) {
    throw fail(`header promises ${dims.join('x')} = ${dataBytes} data bytes, file holds ${bytes.length - headerBytes}`);
  }
  // A plain Uint8Array view (not a Buffer), so callers compare and copy it as such.
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerBytes, dataBytes) };
}

function vectorProblem(net: NetIR, v: Int32Array): string | undefined {
  const want = mapSize(net.input);
  if (v.length !== want) return `expected ${want} values (${shapeText(net)}), got ${v.length}`;
  const top = 2 ** net.input.bits - 1;
  const i = v.findIndex((x) => x < 0 || x > top);
  return i >= 0 ? `value ${i + 1} is ${v[i]}, outside 0..${top} for ${net.input.bits}-bit input` : undefined;
}

function shapeText(net: NetIR): string {
  return `${net.input.channels}x${net.input.height}x${net.input.width}`;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
