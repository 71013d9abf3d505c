// The diagnosis's arithmetic and causes on hand-made reports, and the
// read-out fit on a hand-made problem a softmax classifier must solve.
import { describe, expect, it } from 'vitest';
import { fitClassifier, perOneSegment } from '../../src/quantize/classifier-fit.js';
import { diagnose } from '../../src/quantize/diagnose.js';
import type { Segment } from '../../src/quantize/integer.js';
import type { LayerReport } from '../../src/quantize/quantize.js';

const layer = (name: string, trainCorrect: number, extra: Partial<LayerReport> = {}): LayerReport =>
  ({ name, activation: 'threshold', trainCorrect, seconds: 0, ...extra });

describe('diagnose', () => {
  it('charges each layer the training accuracy it lost and names the narrow conv layer', () => {
    // float 99.00 % → conv1 98.50 → conv2 97.00 (re-fit kept: 97.20) → read-out 97.10, of 1000 images
    const reports = [layer('conv1', 985), layer('conv2', 970, { refit: { images: 1000, trainCorrect: 972, kept: true, seconds: 0 } }),
      { ...layer('fc1', 971), activation: 'adc' as const }, layer('conv1', 990, { pass: 2 })];
    const shapes = [{ name: 'conv1', kind: 'conv' as const, channels: 16, positions: 144 }, { name: 'conv2', kind: 'conv' as const, channels: 4, positions: 16 }];
    const d = diagnose(reports, shapes, 1000, 99, 1000, 97.1);
    expect(d.layers).toEqual([
      { name: 'conv1', trainAccuracy: 98.5, cost: 0.5 },
      { name: 'conv2', trainAccuracy: 97.2, cost: 1.3 },
      { name: 'fc1', trainAccuracy: 97.1, cost: 0.1 },
    ]);
    expect(d.trainLoss).toBe(1.9);
    expect(d.worst?.name).toBe('conv2');
    expect(d.worst?.cause).toMatch(/^4 channels carry one bit each/);
    expect(d.worst?.advice).toMatch(/widen it to 16 channels/);
  });

  it('names a narrow dense layer, a small map, and the read-out; nothing when no layer costs', () => {
    const shapes = [{ name: 'fc1', kind: 'dense' as const, channels: 32, positions: 1 }, { name: 'conv1', kind: 'conv' as const, channels: 16, positions: 9 }];
    const dense = diagnose([layer('fc1', 900), layer('fc2', 899)], shapes, 1000, 95, 1000, 89.9);
    expect(dense.worst?.cause).toMatch(/dense layer of 32 units passes only 32 bits/);
    const small = diagnose([layer('conv1', 900), layer('fc2', 899)], shapes, 1000, 95, 1000, 89.9);
    expect(small.worst?.cause).toMatch(/only 144 bits/);
    const readout = diagnose([layer('conv1', 949), layer('fc2', 900)], shapes, 1000, 95, 1000, 90);
    expect(readout.worst?.name).toBe('fc2');
    expect(readout.worst?.cause).toMatch(/read-out ADC/);
    expect(diagnose([layer('conv1', 950), layer('fc2', 950)], shapes, 1000, 95, 1000, 95).worst).toBeUndefined();
  });
});

describe('fitClassifier', () => {
  // 3 binary features, 2 classes: the class is feature 0; features 1 and 2 are noise.
  const n = 400;
  const x = new Uint8Array(n * 3);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    x[i * 3] = i % 2;
    x[i * 3 + 1] = (i >> 1) % 2;
    x[i * 3 + 2] = (i >> 2) % 3 === 0 ? 1 : 0;
  }
  const maps = { n, size: 3, x, labels };
  const seg = (weights: number[], bias: number[]): Segment => ({
    matrix: { type: 'dense', node: 'fc', inFeatures: 3, outFeatures: 2, weights: Float64Array.from(weights), bias: Float64Array.from(bias), activation: { type: 'identity' } },
    index: 0, pools: [], inShape: { channels: 3, height: 1, width: 1 }, outShape: { channels: 2, height: 1, width: 1 },
    pooledShape: { channels: 2, height: 1, width: 1 }, name: 'fc1', poolNames: [],
  });
  const accuracy = (s: Segment): number => {
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const z = [0, 1].map((o) => s.matrix.bias[o] + [0, 1, 2].reduce((a, r) => a + s.matrix.weights[o * 3 + r] * x[i * 3 + r], 0));
      if ((z[1] > z[0] ? 1 : 0) === labels[i]) correct++;
    }
    return correct;
  };

  it('learns the labels from a start that gets them wrong, the same weights every time', () => {
    // The start looks at the noise feature: half right.
    const start = seg([0, 1, 0, 0, 0, 0], [0, 0]);
    expect(accuracy(start)).toBe(n / 2);
    const opts = { epochs: 20, batch: 16, rate: 0.05, l2: 0 };
    const fitted = fitClassifier(start, maps, opts);
    expect(accuracy(fitted)).toBe(n);
    expect(Array.from(fitClassifier(start, maps, opts).matrix.weights)).toEqual(Array.from(fitted.matrix.weights));
  });

  it('keeps the start when no epoch does better on the held-back images', () => {
    const perfect = seg([5, 0, 0, -5, 0, 0], [0, 0]);
    const fitted = fitClassifier(perfect, maps, { epochs: 3, batch: 16, rate: 0.05, l2: 0 });
    expect(Array.from(fitted.matrix.weights)).toEqual([5, 0, 0, -5, 0, 0]);
  });

  it('perOneSegment folds units into the weights and the shift into the bias', () => {
    const s = perOneSegment(seg([1, 2, 3, 4, 5, 6], [10, 20]), Int32Array.from([0, 1, 2]), Float64Array.from([0.5, 2, 1]), Float64Array.from([1, 0, 0.5]));
    expect(Array.from(s.matrix.weights)).toEqual([0.5, 4, 3, 2, 10, 6]);
    expect(Array.from(s.matrix.bias)).toEqual([10 + 1 + 1.5, 20 + 4 + 3]);
  });
});
