// The final layer's ADC read-out: its offset and step, chosen on the training set.
import { countCorrect, readoutLevel } from './refine.js';

/**
 * The final ADC's offset and step: its 2^k levels must span the values that
 * decide the answer, from the smallest winning output to the largest. A few
 * spans (quantiles of the winning outputs) are tried on the training set with
 * the ADC's exact semantics; the best is kept (ties: the first tried).
 */
export function chooseReadout(acc: Int32Array, labels: Uint8Array, O: number, bits: number): { offset: number; step: number; correct: number } {
  const n = labels.length;
  const tops = new Float64Array(n);
  for (let img = 0; img < n; img++) {
    let m = -Infinity;
    for (let c = 0; c < O; c++) m = Math.max(m, acc[img * O + c]);
    tops[img] = m;
  }
  tops.sort();
  const q = (p: number): number => tops[Math.min(n - 1, Math.max(0, Math.floor(p * n)))];
  const levels = 2 ** bits;
  let best = { offset: 0, step: 1, correct: -1 };
  for (const lo of [0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1].map(q)) {
    for (const hi of [1, 0.9999, 0.999, 0.99].map((p) => (p === 1 ? tops[n - 1] : q(p)))) {
      if (hi < lo) continue;
      const step = Math.max(1, Math.ceil((hi - lo + 1) / levels));
      const offset = lo;
      const correct = countCorrect(acc, O, labels, readoutLevel({ type: 'adc', bits, offset, step }));
      if (correct > best.correct) best = { offset, step, correct };
    }
  }
  return best;
}
