// Per-column threshold refinement of the last hidden layer: coordinate
// descent that gives each column its own threshold, one column at a time,
// each choice scored exactly on every training image.
//
// Only the last hidden layer is refined because there the rest of the network
// is linear: the final layer's raw accumulator, then the read-out. Moving one
// column's threshold flips only that column's pooled bits, so each image's
// outputs change by the final layer's weights of the flipped bits, and one
// image's score over every candidate takes a few dozen additions instead of a
// run of the network.

import { runNet } from '../golden/model.js';
import { validateNetDocument } from '../ir/validate.js';
import type { ActivationDoc } from './integer.js';
import { adcCode } from '../ops/activations/index.js';

/** What the refinement works on; every array holds one row per training image. */
export interface RefineProblem {
  /** Pooled ranks of the layer, n × F in C,H,W order: candidate i's bit is rank > i. */
  ranks: Uint8Array;
  /** Features per image (channels × pooled positions). */
  F: number;
  channels: number;
  /** Number of candidates (ranks run 0..count). */
  count: number;
  /** The final layer's raw accumulators under `chosen`, n × outputs. Updated in place. */
  acc: Int32Array;
  outputs: number;
  /** effect[f · outputs + o]: what input bit f adds to output o (the final layer is linear in its input). */
  effect: Int32Array;
  labels: Uint8Array;
  /** The read-out's level of a raw accumulator (identity for a raw read-out). */
  level: (v: number) => number;
  /** Each column's candidate index. Updated in place. */
  chosen: Int32Array;
}

export interface RefineResult {
  correct: number;
  sweeps: number;
  /** Columns whose threshold moved, per sweep. */
  moved: number[];
}

/**
 * Up to `sweeps` passes over the columns, first to last. A column moves only
 * to a strictly better candidate (ties: the lower index), so the training
 * accuracy never falls; a sweep that moves nothing ends the refinement.
 */
export function refineColumns(p: RefineProblem, sweeps: number, onColumn?: (sweep: number, column: number) => void): RefineResult {
  const moved: number[] = [];
  for (let s = 0; s < sweeps; s++) {
    let m = 0;
    for (let c = 0; c < p.channels; c++) {
      onColumn?.(s, c);
      const score = columnScores(p, c);
      let best = p.chosen[c];
      for (let i = 0; i < p.count; i++) if (score[i] > score[best]) best = i;
      if (best !== p.chosen[c]) {
        applyColumn(p, c, best);
        m++;
      }
    }
    moved.push(m);
    if (m === 0) break;
  }
  return { correct: countCorrect(p.acc, p.outputs, p.labels, p.level), sweeps: moved.length, moved };
}

/** Correct images for each candidate of column c, the other columns as chosen. */
export function columnScores(p: RefineProblem, c: number): Int32Array {
  const { ranks, F, count, acc, outputs: O, effect, labels } = p;
  const P = F / p.channels;
  const cur = p.chosen[c];
  const diff = new Int32Array(count + 1);
  const out = new Float64Array(O);
  const order = new Int32Array(P);
  const rank = new Int32Array(P);
  for (let img = 0; img < labels.length; img++) {
    const base = img * F + c * P;
    // Outputs with every bit of column c at 1 for candidate 0 (rank > 0).
    for (let o = 0; o < O; o++) out[o] = acc[img * O + o];
    for (let q = 0; q < P; q++) {
      rank[q] = ranks[base + q];
      order[q] = q;
      const d = (rank[q] > 0 ? 1 : 0) - (rank[q] > cur ? 1 : 0);
      if (d !== 0) addEffect(out, effect, (c * P + q) * O, O, d);
    }
    order.sort((a, b) => rank[a] - rank[b]);
    // Candidate i keeps the bits with rank > i: walking i upward, bit q drops out at i = rank[q].
    let from = 0;
    let k = 0;
    while (k < P && rank[order[k]] === 0) k++;
    while (from < count) {
      const to = k < P ? Math.min(count, rank[order[k]]) : count;
      if (to > from && isCorrect(out, O, labels[img], p.level)) {
        diff[from]++;
        diff[to]--;
      }
      if (k >= P) break;
      const r = rank[order[k]];
      while (k < P && rank[order[k]] === r) addEffect(out, effect, (c * P + order[k++]) * O, O, -1);
      from = Math.max(from, Math.min(count, r));
    }
  }
  const score = new Int32Array(count);
  let run = 0;
  for (let i = 0; i < count; i++) score[i] = run += diff[i];
  return score;
}

function applyColumn(p: RefineProblem, c: number, to: number): void {
  const { ranks, F, acc, outputs: O, effect, labels } = p;
  const P = F / p.channels;
  const from = p.chosen[c];
  const row = new Float64Array(O);
  for (let img = 0; img < labels.length; img++) {
    row.fill(0);
    for (let q = 0; q < P; q++) {
      const r = ranks[img * F + c * P + q];
      const d = (r > to ? 1 : 0) - (r > from ? 1 : 0);
      if (d !== 0) addEffect(row, effect, (c * P + q) * O, O, d);
    }
    for (let o = 0; o < O; o++) acc[img * O + o] += row[o];
  }
  p.chosen[c] = to;
}

function addEffect(out: Float64Array, effect: Int32Array, at: number, O: number, sign: number): void {
  for (let o = 0; o < O; o++) out[o] += sign * effect[at + o];
}

/** The golden model's answer: the first output with the highest read-out level. */
function isCorrect(out: Float64Array | Int32Array, O: number, label: number, level: (v: number) => number, at = 0): boolean {
  let best = 0;
  let top = level(out[at]);
  for (let o = 1; o < O; o++) {
    const v = level(out[at + o]);
    if (v > top) { top = v; best = o; }
  }
  return best === label;
}

/** Images answered right, from their final raw outputs (n × O) through the read-out `level`. */
export function countCorrect(acc: Int32Array, O: number, labels: Uint8Array, level: (v: number) => number): number {
  let correct = 0;
  for (let img = 0; img < labels.length; img++) if (isCorrect(acc, O, labels[img], level, img * O)) correct++;
  return correct;
}

/**
 * What each input bit adds to each output of a one-layer net with a raw
 * read-out (its accumulator is linear in the input): the golden model's output
 * for each unit input minus its output for the zero input.
 */
export function inputEffects(doc: Record<string, unknown>, F: number, O: number): Int32Array {
  const { net } = validateNetDocument(doc, '<memory>', '<read-out>');
  const x = new Int32Array(F);
  const zero = runNet(net, x).output;
  const effect = new Int32Array(F * O);
  for (let f = 0; f < F; f++) {
    x[f] = 1;
    const y = runNet(net, x).output;
    for (let o = 0; o < O; o++) effect[f * O + o] = y[o] - zero[o];
    x[f] = 0;
  }
  return effect;
}

/** The read-out level of a raw accumulator value, as the golden model computes it. */
export function readoutLevel(a: ActivationDoc): (v: number) => number {
  if (a.type !== 'adc') return (v) => v;
  return adcCode(a);
}
