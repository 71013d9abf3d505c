// Golden model vs RTL in Verilator on seeded random networks: every
// inter-layer beat of every vector must match bit for bit, with and without
// random stalls on both sides. Replay a failure: randomNet(<seed>).
import { describe, expect, it } from 'vitest';
import { randomNet } from '../../src/golden/index.js';
import { FEATURES, featuresOf } from './random-coverage.js';
import { expectBitExact } from './sim-helpers.js';

const SEEDS = Array.from({ length: 24 }, (_, i) => i + 1);
const netOf = (seed: number) => randomNet(seed, { maxWeights: 4000 });

describe('random networks, golden model vs Verilator', () => {
  it('the seeds cover every feature the regression promises', () => {
    const covered = new Set(SEEDS.flatMap((s) => [...featuresOf(netOf(s))]));
    expect(FEATURES.filter((f) => !covered.has(f))).toEqual([]);
  });

  // Odd seeds run with stalls on both sides, even seeds at full rate.
  it.each(SEEDS)('seed %i matches bit for bit', async (seed) => {
    await expectBitExact(netOf(seed), { vectors: 6, seed, stallProb: seed % 2 === 1 ? 0.3 : 0 });
  });
});
