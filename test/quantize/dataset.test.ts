// The threads' partial sums: a thread that drew no images (a training set of
// one or two image blocks, taken by the other thread first) returns nothing,
// and the sum must not depend on it (it once crashed `quantize --train-count 100`).
import { describe, expect, it } from 'vitest';
import { sumResults } from '../../src/quantize/dataset.js';
import { quantizeModel, mnistFiles } from '../../src/quantize/index.js';
import { join } from 'node:path';

describe('sumResults', () => {
  it('adds the partial sums of the threads that drew images, skipping those that drew none', () => {
    expect(Array.from(sumResults([Float64Array.from([1, 2]), undefined, Float64Array.from([10, 20])]))).toEqual([11, 22]);
    expect(Array.from(sumResults([undefined, Float64Array.from([3])]))).toEqual([3]);
    expect(() => sumResults([undefined, undefined])).toThrow(/no thread/);
  });

  it('lets quantize run on fewer training images than two threads share', async () => {
    const { report } = await quantizeModel(join(import.meta.dirname, '../../examples/mnist/small.onnx'),
      { train: mnistFiles().train, trainCount: 20, grid: 4, threads: 2, calibrationImages: 10, prescanImages: 10 });
    expect(report.trainImages).toBe(20);
  });
});
