// net@2 window geometry and conv groups on the RTL: random nets drawing
// rectangular kernels, per-axis strides, asymmetric padding, dilation,
// grouped and depthwise convs and padded rectangular max-pools
// (randomNet's `geometry` draws), bit-exact against the golden model in
// Verilator, at the plan's cycles per image at full rate and under random
// stalls, and lint-clean. Replay: randomNet(seed, { geometry: true, maxWeights: 4000 }).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRtl } from '../../src/emit/build.js';
import { randomNet } from '../../src/golden/index.js';
import type { NetIR } from '../../src/ir/types.js';
import { planNet } from '../../src/plan/index.js';
import { expectBitExact, expectLintClean } from './sim-helpers.js';

/**
 * Seed 2: padded 3×2 max-pool, dilated rectangular conv, 8-group conv; 26:
 * depthwise convs on 3 channels around a padded pool; 34 on 7×2 crossbars:
 * groups of several row and column tiles each (3×2 tiles per group).
 */
const nets: [string, () => NetIR][] = [
  ['seed 2', () => randomNet(2, { geometry: true, maxWeights: 4000 })],
  ['seed 26', () => randomNet(26, { geometry: true, maxWeights: 4000 })],
  ['seed 34 on 7×2 crossbars', () => ({ ...randomNet(34, { geometry: true, maxWeights: 4000 }), crossbar: { rows: 7, cols: 2 } })],
];

describe('random nets with net@2 geometry, golden model vs Verilator', () => {
  it('draw what they are meant to', () => {
    const plan = planNet(nets[2][1]());
    const grouped = plan.stages.find((s) => s.kind === 'matrix' && s.layer.type === 'conv' && s.layer.groups === 2);
    // 2 groups of 15 window rows × 4 columns on 7×2 crossbars: 3 row tiles × 2 column tiles each, 12 tiles (not 5×4 = 20).
    expect(grouped?.kind === 'matrix' && [grouped.rowTiles, grouped.colTiles, grouped.tiles.length]).toEqual([3, 4, 12]);
  });

  it.each(nets.map(([what, make], i) => [what, make, i] as const))('%s matches bit for bit (full rate, then stalls)', async (_, make, i) => {
    const net = make();
    const full = await expectBitExact(net, { vectors: 4, seed: 40 + i, stallProb: 0 });
    expect(full.cycles.perImageMeasured).toBe(full.cycles.perImageBound);
    await expectBitExact(net, { vectors: 4, seed: 50 + i, stallProb: 0.3 });
  });

  it('lints clean with verilator -Wall', async () => {
    const net = nets[2][1]();
    const dir = join(mkdtempSync(join(tmpdir(), 'rram-gen-geom-')), net.name);
    const { manifest } = await buildRtl(net, { outDir: dir, tbVectors: 2 });
    await expectLintClean(dir, manifest.top);
  });
});
