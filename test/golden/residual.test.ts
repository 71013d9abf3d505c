// The golden model on a graph, checked against a hand computation
// (examples/residual-tiny.json), fast path against reference.
import { describe, expect, it } from 'vitest';
import { loadNet, runNet } from '../../src/index.js';

describe('golden model on examples/residual-tiny.json', () => {
  const { net } = loadNet('examples/residual-tiny.json');
  // x = [[0,1],[2,3]] (1 channel, 2-bit).
  // c1 (1×1, thresholds 1 and −1 on weights 1 and −1): a = x≥1 = 0,1,1,1; b = x≤1 = 1,1,0,0.
  // c2 raw: a+b = 1,2,1,1; 2a−b = −1,1,2,2.
  // r1 = c2 + (1·a, 2·b), ADC 2 bits, step 1, offset 0: 1,3,2,2 and 1,3,2,2.
  // k1 = r1's two channels, then x.
  // d1: ones over the 12 values = 8 + 8 + 6 = 22; the second row: +ch0 (8) −ch1 (8) + x00 − x11 (0 − 3) + bias 5 = 2.
  const expected = { c1: [0, 1, 1, 1, 1, 1, 0, 0], c2: [1, 2, 1, 1, -1, 1, 2, 2], r1: [1, 3, 2, 2, 1, 3, 2, 2], out: [22, 2] };

  for (const impl of ['reference', 'fast'] as const) {
    it(`${impl}: every layer as computed by hand`, () => {
      const r = runNet(net, Int32Array.from([0, 1, 2, 3]), { impl, trace: true });
      expect(Array.from(r.trace![0].values)).toEqual(expected.c1);
      expect(Array.from(r.trace![1].values)).toEqual(expected.c2);
      expect(Array.from(r.trace![2].values)).toEqual(expected.r1);
      expect(Array.from(r.trace![3].values)).toEqual([...expected.r1, 0, 1, 2, 3]);
      expect(Array.from(r.output)).toEqual(expected.out);
      expect(r.answer).toBe(0);
    });
  }
});
