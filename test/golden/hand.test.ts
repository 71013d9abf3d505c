// Small nets whose every value was worked out by hand (in the comments), so
// the golden model is checked against section 2 itself, not against itself.

import { describe, expect, it } from 'vitest';
import { argmax, runNet } from '../../src/golden/index.js';
import { adc, buildNet, none, threshold } from './build.js';

const impls = ['reference', 'fast'] as const;

// Net A — input 1×3×3, 2-bit:   1 0 2
//                               3 1 0
//                               0 2 1
// conv0: 2 out channels, 2×2 kernel, padding 1, stride 2 → floor((3+2−2)/2)+1 = 2, so 2×2.
//   o0 = [[1, 2], [-1, 3]], o1 = [[-2, 1], [1, -1]], bias [0, 1].
//   Window top-left in input coordinates is (2y−1, 2x−1); outside reads 0.
//   (0,0) window [[0,0],[0,1]]  → o0 = 3·1 = 3;              o1 = −1·1 + 1 = 0
//   (0,1) window [[0,0],[0,2]]  → o0 = 3·2 = 6;              o1 = −1·2 + 1 = −1
//   (1,0) window [[0,3],[0,0]]  → o0 = 2·3 = 6;              o1 = 1·3 + 1 = 4
//   (1,1) window [[1,0],[2,1]]  → o0 = 1 − 2 + 3 = 2;        o1 = −2 + 2 − 1 + 1 = 0
//   threshold [4, 0]: c0 = [0 1 / 1 0], c1 = [1 0 / 1 1]  (0 ≥ 0 is 1, −1 is 0)
// dense1 reads that map flattened C,H,W: [0,1,1,0, 1,0,1,1]
//   d0 = [1,2,3,-3, 0,0,0,0]      → 2 + 3 = 5
//   d1 = [0,0,0,0, -3,2,-1,-2] +1 → −3 − 1 − 2 + 1 = −5   (H,W,C order would give −2)
//   d2 = [3,-3,0,1, 1,1,-1,3] −2  → −3 + 1 − 1 + 3 − 2 = −2
//   d3 = all 0, bias −1           → −1
//   adc 2 bits, offset −7, step 3: floor((acc+7)/3) clamped to 0..3
//   d0: 12/3 = 4 → 3 (clamped); d1: 2/3 → 0; d2: 5/3 → 1; d3: 6/3 = 2 → 2
// dense2 (none) on [3, 0, 1, 2]:
//   f0 = [1,0,0,0]       → 3
//   f1 = [-1,2,3,-1]     → −3 + 0 + 3 − 2 = −2
//   f2 = [0,3,0,1] +1    → 2 + 1 = 3
//   output [3, −2, 3]: a tie, answer 0.
//   Width: ranges [0,3], [−6,15], [1,13] with inputs 0..3 → union [−6,15] → 5 bits.
const netA = buildNet({ channels: 1, height: 3, width: 3, bits: 2 }, 3, [
  { type: 'conv', outChannels: 2, kernel: 2, stride: 2, padding: 1, weights: [1, 2, -1, 3, -2, 1, 1, -1], bias: [0, 1], activation: threshold(4, 0) },
  { type: 'dense', outFeatures: 4, weights: [1, 2, 3, -3, 0, 0, 0, 0, 0, 0, 0, 0, -3, 2, -1, -2, 3, -3, 0, 1, 1, 1, -1, 3, 0, 0, 0, 0, 0, 0, 0, 0], bias: [0, 1, -2, -1], activation: adc(2, -7, 3) },
  { type: 'dense', outFeatures: 3, weights: [1, 0, 0, 0, -1, 2, 3, -1, 0, 3, 0, 1], bias: [0, 0, 1], activation: none },
], 5);
const inputA = Int32Array.from([1, 0, 2, 3, 1, 0, 0, 2, 1]);

// Net B — input 1×4×5, 3-bit (not square, to catch H/W mix-ups):
//   0 5 1 2 7
//   3 2 6 0 1
//   4 4 1 7 2
//   0 1 3 5 6
// maxpool0 3×3 stride 1 → 2×3:
//   (0,0) {0,5,1,3,2,6,4,4,1} → 6   (0,1) {5,1,2,2,6,0,4,1,7} → 7   (0,2) {1,2,7,6,0,1,1,7,2} → 7
//   (1,0) {3,2,6,4,4,1,0,1,3} → 6   (1,1) {2,6,0,4,1,7,1,3,5} → 7   (1,2) {6,0,1,1,7,2,3,5,6} → 7
// dense1 (none) on [6,7,7,6,7,7]:
//   g0 = [1,-1,2,0,0,-3] +2 → 6 − 7 + 14 − 21 + 2 = −6
//   g1 = [0,0,0,1,1,0]  −3 → 6 + 7 − 3 = 10
//   output [−6, 10], answer 1.
const netB = buildNet({ channels: 1, height: 4, width: 5, bits: 3 }, 3, [
  { type: 'maxpool', kernel: 3, stride: 1 },
  { type: 'dense', outFeatures: 2, weights: [1, -1, 2, 0, 0, -3, 0, 0, 0, 1, 1, 0], bias: [2, -3], activation: none },
]);
const inputB = Int32Array.from([0, 5, 1, 2, 7, 3, 2, 6, 0, 1, 4, 4, 1, 7, 2, 0, 1, 3, 5, 6]);

// Net C — input 2×4×4, 1-bit (the bit-packed path from the first layer on):
//   c0: 1 0 0 0    c1: 0 0 0 0
//       0 0 0 1        0 0 0 0
//       0 0 0 0        1 1 0 0
//       0 0 1 0        0 1 0 0
// maxpool0 2×2 stride 2 (an OR) → c0 = [1 1 / 0 1], c1 = [0 0 / 1 0]
// conv1: 3 out channels, 2×2 kernel, no padding → 1×1; weights [o][c][ky][kx]:
//   o0: c0 [7,-7,3,1]     c1 [-5,0,2,6]   → 7 − 7 + 1 + 2 = 3
//   o1: c0 [-1,-1,-1,-1]  c1 [7,7,-7,7]   → −3 − 7 = −10
//   o2: all 0                             → 0
//   adc 3 bits, offset −12, step 2: o0 15/2 → 7; o1 2/2 → 1 (negative acc); o2 12/2 → 6
//   output [7, 1, 6], answer 0.
const netC = buildNet({ channels: 2, height: 4, width: 4, bits: 1 }, 4, [
  { type: 'maxpool', kernel: 2, stride: 2 },
  { type: 'conv', outChannels: 3, kernel: 2, weights: [7, -7, 3, 1, -5, 0, 2, 6, -1, -1, -1, -1, 7, 7, -7, 7, 0, 0, 0, 0, 0, 0, 0, 0], activation: adc(3, -12, 2) },
]);
const inputC = Int32Array.from([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0]);

describe.each(impls)('hand-computed nets (%s)', (impl) => {
  it('net A: padding, stride, threshold, C,H,W flatten, adc clamp, none, argmax tie', () => {
    const r = runNet(netA, inputA, { impl, trace: true });
    expect(r.trace?.map((t) => Array.from(t.values))).toEqual([
      [0, 1, 1, 0, 1, 0, 1, 1],
      [3, 0, 1, 2],
      [3, -2, 3],
    ]);
    expect(r.trace?.map((t) => t.name)).toEqual(['conv0', 'dense1', 'dense2']);
    expect(Array.from(r.output)).toEqual([3, -2, 3]);
    expect(r.answer).toBe(0);
  });

  it('net B: overlapping max-pool on a non-square map', () => {
    const r = runNet(netB, inputB, { impl, trace: true });
    expect(Array.from(r.trace![0].values)).toEqual([6, 7, 7, 6, 7, 7]);
    expect(Array.from(r.output)).toEqual([-6, 10]);
    expect(r.answer).toBe(1);
  });

  it('net C: 1-bit input, OR-pool, multi-channel conv, adc of a negative accumulator', () => {
    const r = runNet(netC, inputC, { impl, trace: true });
    expect(Array.from(r.trace![0].values)).toEqual([1, 1, 0, 1, 0, 0, 1, 0]);
    expect(Array.from(r.output)).toEqual([7, 1, 6]);
    expect(r.answer).toBe(0);
  });

  it('floors (acc − offset)/step towards −∞ before clamping', () => {
    // One dense column, acc = w·x with x the 4-bit input; adc 4 bits, offset 10, step 4.
    //   x = 15, w = −1: acc −15 → (−25)/4 = −6.25 → −7 → clamped 0
    //   x = 3,  w = 5 : acc 15  → 5/4 → 1;   x = 2: acc 10 → 0/4 → 0;   x = 0: acc 0 → −10/4 → 0
    //   x = 14, w = 5 : acc 70  → 60/4 = 15 → 15 (top);  with bias 4: 74 → 64/4 = 16 → 15
    const one = (w: number, bias: number) => buildNet({ channels: 1, height: 1, width: 1, bits: 4 }, 4, [
      { type: 'dense', outFeatures: 1, weights: [w], bias: [bias], activation: adc(4, 10, 4) },
    ]);
    const out = (w: number, bias: number, x: number) => runNet(one(w, bias), Int32Array.of(x), { impl }).output[0];
    expect([out(-1, 0, 15), out(5, 0, 3), out(5, 0, 2), out(5, 0, 0), out(5, 0, 14), out(5, 4, 14)]).toEqual([0, 1, 0, 0, 15, 15]);
    // Negative offset with a negative accumulator: acc = −1·7 = −7, offset −20, step 3 → 13/3 → 4.
    const neg = buildNet({ channels: 1, height: 1, width: 1, bits: 3 }, 3, [
      { type: 'dense', outFeatures: 1, weights: [-1], activation: adc(4, -20, 3) },
    ]);
    expect(runNet(neg, Int32Array.of(7), { impl }).output[0]).toBe(4);
  });

  it('threshold fires at equality (acc ≥ T)', () => {
    // acc = 2·x; T = 6: x = 3 → 6 → 1, x = 2 → 4 → 0. A negative threshold fires on acc 0.
    const net = buildNet({ channels: 1, height: 1, width: 1, bits: 2 }, 3, [
      { type: 'dense', outFeatures: 2, weights: [2, 0], activation: threshold(6, -1) },
    ]);
    expect(Array.from(runNet(net, Int32Array.of(3), { impl }).output)).toEqual([1, 1]);
    expect(Array.from(runNet(net, Int32Array.of(2), { impl }).output)).toEqual([0, 1]);
  });
});

describe('argmax', () => {
  it('returns the first of equal maxima', () => {
    expect(argmax(Int32Array.of(1, 5, 5, 2))).toBe(1);
    expect(argmax(Int32Array.of(-3, -3))).toBe(0);
    expect(argmax(Int32Array.of(-9, -2, -4))).toBe(1);
    expect(argmax(Int32Array.of(0))).toBe(0);
  });
});

describe('input checks', () => {
  it('rejects an input of the wrong length or outside the input width', () => {
    expect(() => runNet(netA, new Int32Array(8))).toThrow(expect.objectContaining({ diagnostics: [expect.objectContaining({ code: 'vectors-shape' })] }));
    expect(() => runNet(netA, Int32Array.from([1, 0, 2, 3, 1, 0, 0, 2, 4]))).toThrow(expect.objectContaining({ diagnostics: [expect.objectContaining({ code: 'vectors-shape' })] }));
    expect(() => runNet(netA, Int32Array.from([1, 0, 2, 3, -1, 0, 0, 2, 1]))).toThrow(expect.objectContaining({ diagnostics: [expect.objectContaining({ code: 'vectors-shape' })] }));
  });
});
