// The training and test images as the quantizer holds them, and the 1-bit
// maps and evenly spaced subsets it derives from them.
import { readIdxImages, readIdxLabels } from '../golden/vectors.js';
import { RramGenError } from '../diagnostics/index.js';
import type { FloatNet } from './float-net.js';
import type { JobResult, Maps } from './jobs.js';
import { sharedBytes } from './pool.js';
import type { DataFiles } from './quantize.js';

export interface DataSet { n: number; pixels: Uint8Array; labels: Uint8Array }

export function loadData(files: DataFiles, float: FloatNet, count: number | undefined, what: string): DataSet {
  const images = readIdxImages(files.images);
  const labels = readIdxLabels(files.labels);
  const { channels, height, width } = float.input;
  if (channels !== 1 || images.rows !== height || images.cols !== width) {
    throw RramGenError.of('data-mismatch', '', `the ${what} images are 1×${images.rows}×${images.cols}, the model takes ${channels}×${height}×${width}`, files.images);
  }
  if (labels.length !== images.count) {
    throw RramGenError.of('data-mismatch', '', `${labels.length} ${what} labels for ${images.count} images`, files.labels);
  }
  const n = Math.min(images.count, count ?? Infinity);
  if (n < 1) throw RramGenError.of('data-mismatch', '', `no ${what} images`, files.images);
  const size = height * width;
  return { n, pixels: images.pixels.subarray(0, n * size), labels: labels.subarray(0, n) };
}

/** Image k of `count` spread evenly over a set of n (a subset for calibration or fitting). */
export function spacedImage(k: number, count: number, n: number): number {
  return Math.floor((k * n) / count);
}

/** `count` evenly spaced images of a data set. */
export function spacedSubset(d: DataSet, count: number): DataSet {
  if (count >= d.n) return d;
  const size = d.pixels.length / d.n;
  const pixels = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const img = spacedImage(k, count, d.n);
    pixels.set(d.pixels.subarray(img * size, (img + 1) * size), k * size);
    labels[k] = d.labels[img];
  }
  return { n: count, pixels, labels };
}

/**
 * The element-wise sum of the threads' partial sums (in thread order). A
 * thread that drew no images (a training set of a block or two) has none.
 */
export function sumResults(parts: JobResult[]): Float64Array {
  const given = parts.filter((p): p is Float64Array => p !== undefined);
  if (given.length === 0) throw new Error('sumResults: no thread drew an image');
  const sum = new Float64Array(given[0].length);
  for (const p of given) for (let i = 0; i < sum.length; i++) sum[i] += p[i];
  return sum;
}

/** Candidate `chosen`'s 1-bit map of every image (the next layer's input). */
export function binaryMaps(ranks: Uint8Array, chosen: number, maps: Maps, size: number): Maps {
  const x = sharedBytes(maps.n * size);
  for (let i = 0; i < x.length; i++) x[i] = ranks[i] > chosen ? 1 : 0;
  return { n: maps.n, size, x, labels: maps.labels };
}

/** The 1-bit map of every image with column c at its own candidate chosen[c]. */
export function columnMaps(ranks: Uint8Array, chosen: Int32Array, maps: Maps, size: number): Maps {
  const x = sharedBytes(maps.n * size);
  const P = size / chosen.length;
  for (let i = 0; i < x.length; i++) x[i] = ranks[i] > chosen[Math.floor((i % size) / P)] ? 1 : 0;
  return { n: maps.n, size, x, labels: maps.labels };
}
