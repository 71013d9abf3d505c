// Golden model vs RTL in Verilator on seeded random networks: every
// inter-layer beat of every vector must match bit for bit, with and without
// random stalls on both sides. Replay a failure: randomNet(<seed>, { maxWeights: 4000 }).
// The seeds are split over two test files so vitest builds them on both cores.
import { describe, it } from 'vitest';
import { randomNet } from '../../src/golden/index.js';
import type { NetIR } from '../../src/ir/types.js';
import { expectBitExact } from './sim-helpers.js';

export const ALL_SEEDS = Array.from({ length: 24 }, (_, i) => i + 1);
export const randomRegressionNet = (seed: number): NetIR => randomNet(seed, { maxWeights: 4000 });

export function randomRegression(seeds: number[]): void {
  describe('random networks, golden model vs Verilator', () => {
    // Odd seeds run with stalls on both sides, even seeds at full rate.
    it.each(seeds)('seed %i matches bit for bit', async (seed) => {
      await expectBitExact(randomRegressionNet(seed), { vectors: 6, seed, stallProb: seed % 2 === 1 ? 0.3 : 0 });
    });
  });
}
