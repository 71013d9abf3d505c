import { describe, expect, it } from 'vitest';
import { FEATURES, featuresOf } from './random-coverage.js';
import { ALL_SEEDS, randomRegression, randomRegressionNet } from './random-regression.js';

describe('the random regression seeds', () => {
  it('cover every feature the regression promises', () => {
    const covered = new Set(ALL_SEEDS.flatMap((s) => [...featuresOf(randomRegressionNet(s))]));
    expect(FEATURES.filter((f) => !covered.has(f))).toEqual([]);
  });
});

randomRegression(ALL_SEEDS.filter((s) => s <= 12));
