// The threshold search: every candidate of a layer scored on the training set
// by the golden model of the rest of the network (the tail), on the worker
// threads, with a race after the pre-scan (race.ts) and exact pruning after.
import { spacedImage } from './dataset.js';
import { type KnownResults, type Maps, type Progress, scoreKey, type SearchJob } from './jobs.js';
import { sharedBytes, sharedInts } from './pool.js';
import type { Quantization } from './quantization.js';
import { raceSurvivors } from './race.js';

/** Numbers each search, so threads can tell a new search's tails from the last one's. */
let searches = 0;

/**
 * Brute force over the candidates, pruned: (1) a pre-scan of every
 * candidate orders them (on the hardest images; with `race` on evenly spaced
 * ones, where those clearly worse than its leader are dropped: race.ts);
 * (2) the leader is scored on every image, which ranks the images by
 * difficulty; (3) every other candidate left is scored hardest images first
 * and dropped as soon as it can no longer beat the best (ties go to the
 * lower t). Without the race the result is the candidate a full brute
 * force would pick.
 */
export async function search(q: Quantization, layer: string, ranks: Uint8Array, size: number, maps: Maps, tails: Record<string, unknown>[], ts: number[], race: boolean, known?: KnownResults):
  Promise<{ candidate: number; correct: number; margins: Int32Array; oks: Uint8Array; fullyScored: number; raceDropped: number; imagesScored: number }> {
  const n = maps.n;
  const count = ts.length;
  const order = sharedInts(n);
  order.set(q.margins ? argsort(q.margins) : Int32Array.from({ length: n }, (_, i) => i));
  const base = { kind: 'search' as const, ranks, size, labels: maps.labels, n, order, tailsId: ++searches, ...(known ? { known } : {}) };
  let finished = 0;
  let pruned = 0;
  let bestSoFar: { t: number; correct: number } | undefined;
  const progress = (p: Progress, total: number): void => {
    q.emit({ type: 'candidate', layer, candidate: p.candidate, t: ts[p.candidate], scored: p.scored, correct: p.correct, total, best: bestSoFar, finished, pruned, candidates: count });
  };
  // (1) pre-scan: for the race, an unbiased sample (evenly spaced); for an
  // exact search, which it only orders, the hardest images.
  const images = Math.min(race ? q.o.raceImages : q.o.prescan, n);
  const pre = sharedInts(count);
  const preOks = sharedBytes(count * images);
  const sample = sharedInts(images);
  for (let k = 0; k < images; k++) sample[k] = race ? spacedImage(k, images, n) : order[k];
  await q.pool.run({ ...base, order: sample, tails, next: sharedInts(1), phase: { type: 'prescan', candidates: Int32Array.from({ length: count }, (_, i) => i), images, correct: pre, oks: preOks } } satisfies SearchJob,
    (p) => progress(p, images));
  const byPromise = Array.from({ length: count }, (_, i) => i).sort((a, b) => pre[b] - pre[a] || a - b);
  const contenders = race ? raceSurvivors(preOks, images, byPromise[0], byPromise.slice(1)) : byPromise.slice(1);
  // (2) the most promising, on every image
  const first = byPromise[0];
  const firstCorrect = sharedInts(count);
  const firstMargins = sharedInts(n);
  const firstOks = sharedBytes(n);
  let scored = 0;
  let correctSoFar = 0;
  await q.pool.run({ ...base, next: sharedInts(1), phase: { type: 'full', candidate: first, correct: firstCorrect, margins: firstMargins, oks: firstOks } } satisfies SearchJob,
    (p) => { scored += p.scored; correctSoFar += p.correct; progress({ candidate: first, scored, correct: correctSoFar }, n); });
  finished = 1;
  bestSoFar = { t: ts[first], correct: firstCorrect[first] };
  order.set(argsort(firstMargins));
  // (3) the rest, hardest images first, with exact pruning
  const best = sharedInts(1);
  best[0] = scoreKey(firstCorrect[first], first);
  const correct = sharedInts(count);
  const done = sharedInts(count);
  const scoredBy = sharedInts(count);
  const margins = sharedInts(count * n);
  const oks = sharedBytes(count * n);
  const rest = Int32Array.from(contenders);
  await q.pool.run({ ...base, next: sharedInts(1), phase: { type: 'pruned', candidates: rest, best, correct, done, scored: scoredBy, margins, oks, prune: !q.o.exhaustive } } satisfies SearchJob,
    (p) => {
      if (p.scored === n || done[p.candidate] !== 0) {
        finished = rest.filter((c) => done[c] === 1).length + 1;
        pruned = rest.filter((c) => done[c] === 2).length;
      }
      const key = Atomics.load(best, 0);
      const bc = 4095 - (key % 4096);
      bestSoFar = { t: ts[bc], correct: Math.floor(key / 4096) };
      progress(p, n);
    });
  const key = best[0];
  const candidate = 4095 - (key % 4096);
  const bestCorrect = Math.floor(key / 4096);
  let imagesScored = images * count + n;
  for (const c of rest) imagesScored += scoredBy[c];
  return {
    candidate,
    correct: bestCorrect,
    margins: candidate === first ? firstMargins : margins.slice(candidate * n, (candidate + 1) * n),
    oks: candidate === first ? firstOks : oks.slice(candidate * n, (candidate + 1) * n),
    fullyScored: 1 + rest.filter((c) => done[c] === 1).length,
    raceDropped: count - 1 - rest.length,
    imagesScored,
  };
}

/** Indices sorted by value, ties by index (stable). */
function argsort(v: Int32Array): Int32Array {
  return Int32Array.from(Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b));
}
