// The per-column refinement's incremental scores against a plain recount:
// for random small problems, every candidate of every column is scored by
// rebuilding the final outputs from scratch (bias plus the weights of the set
// bits) and applying the read-out; the two must agree, and a refinement never
// lowers the count and leaves each column at a candidate no other beats.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/golden/prng.js';
import { type RefineProblem, columnScores, countCorrect, readoutLevel, refineColumns } from '../../src/quantize/refine.js';

function randomProblem(seed: number): { p: RefineProblem; bias: Int32Array } {
  const { int } = mulberry32(seed);
  const channels = int(1, 5);
  const P = int(1, 4);
  const F = channels * P;
  const outputs = int(2, 4);
  const count = int(1, 6);
  const n = int(20, 60);
  const ranks = Uint8Array.from({ length: n * F }, () => int(0, count));
  const effect = Int32Array.from({ length: F * outputs }, () => int(-20, 20));
  const bias = Int32Array.from({ length: outputs }, () => int(-30, 30));
  const labels = Uint8Array.from({ length: n }, () => int(0, outputs - 1));
  const chosen = Int32Array.from({ length: channels }, () => int(0, count - 1));
  const p: RefineProblem = { ranks, F, channels, count, acc: new Int32Array(n * outputs), outputs, effect, labels,
    level: readoutLevel({ type: 'adc', bits: 3, offset: -10, step: 7 }), chosen };
  p.acc = recount(p, bias, chosen);
  return { p, bias };
}

/** The final outputs of every image for the columns' candidates `chosen`, from scratch. */
function recount(p: RefineProblem, bias: Int32Array, chosen: Int32Array): Int32Array {
  const n = p.labels.length;
  const P = p.F / p.channels;
  const acc = new Int32Array(n * p.outputs);
  for (let img = 0; img < n; img++) {
    for (let o = 0; o < p.outputs; o++) {
      let s = bias[o];
      for (let f = 0; f < p.F; f++) if (p.ranks[img * p.F + f] > chosen[Math.floor(f / P)]) s += p.effect[f * p.outputs + o];
      acc[img * p.outputs + o] = s;
    }
  }
  return acc;
}

const plainCount = (p: RefineProblem, bias: Int32Array, chosen: Int32Array): number => countCorrect(recount(p, bias, chosen), p.outputs, p.labels, p.level);

describe('per-column threshold refinement', () => {
  it('scores every candidate of a column as a plain recount does', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { p, bias } = randomProblem(seed);
      for (let c = 0; c < p.channels; c++) {
        const want = Array.from({ length: p.count }, (_, i) => plainCount(p, bias, Int32Array.from(p.chosen, (v, k) => (k === c ? i : v))));
        expect(Array.from(columnScores(p, c)), `seed ${seed}, column ${c}`).toEqual(want);
      }
    }
  });

  it('never loses, keeps its outputs in step, and ends where no single column can gain', () => {
    for (let seed = 41; seed <= 70; seed++) {
      const { p, bias } = randomProblem(seed);
      const before = plainCount(p, bias, p.chosen);
      const r = refineColumns(p, 20);
      expect(r.correct).toBeGreaterThanOrEqual(before);
      expect(r.correct).toBe(plainCount(p, bias, p.chosen));
      expect(Array.from(p.acc)).toEqual(Array.from(recount(p, bias, p.chosen)));
      if (r.moved[r.moved.length - 1] === 0) {
        for (let c = 0; c < p.channels; c++) {
          for (let i = 0; i < p.count; i++) {
            expect(plainCount(p, bias, Int32Array.from(p.chosen, (v, k) => (k === c ? i : v)))).toBeLessThanOrEqual(r.correct);
          }
        }
      }
    }
  });
});
