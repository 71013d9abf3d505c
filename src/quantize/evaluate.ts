// Scoring whole networks on the worker threads: a net.json under the golden
// model, or the float model.
import type { FloatNet } from './float-net.js';
import type { Job, Maps } from './jobs.js';
import { type ThreadPool, sharedBytes, sharedInts } from './pool.js';
import type { DataSet } from './dataset.js';

/** Images of `maps` the net gets right; with `results`, also each image's result as a search records it. */
export async function evaluate(pool: ThreadPool, doc: Record<string, unknown>, maps: Maps, results?: { oks: Uint8Array; margins: Int32Array }): Promise<number> {
  const correct = sharedInts(1);
  await pool.run({ kind: 'evaluate', net: doc, maps, next: sharedInts(1), correct, ...results } satisfies Job);
  return correct[0];
}

export async function evaluateFloat(pool: ThreadPool, float: FloatNet, d: DataSet): Promise<number> {
  const x = sharedBytes(d.pixels.length);
  x.set(d.pixels);
  const labels = sharedBytes(d.n);
  labels.set(d.labels);
  const correct = sharedInts(1);
  await pool.run({ kind: 'float', net: float, maps: { n: d.n, size: d.pixels.length / d.n, x, labels }, next: sharedInts(1), correct } satisfies Job);
  return correct[0];
}
