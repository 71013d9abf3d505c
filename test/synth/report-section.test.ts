// The synthesis section of report.md: one row per module, the specializations
// of one library module in the same parent folded into one row.
import { describe, expect, it } from 'vitest';
import { synthSection } from '../../src/synth/report-section.js';
import type { SynthResult } from '../../src/synth/run.js';
import type { ModuleFigures } from '../../src/synth/stats.js';

const mod = (module: string, cells: number, flipFlops: number, instances: Record<string, number> = {}): ModuleFigures =>
  ({ module, cells, luts: cells - flipFlops, flipFlops, memoryBits: 0, byType: {}, blackBoxes: {}, instances });

const result = (modules: ModuleFigures[]): SynthResult => ({
  generator: 'rram-gen', version: '0', network: 'n', top: 'n_top', target: 'generic', yosys: '0.23', yosysFrom: 'system', weights: 0, lutsPerWeight: null,
  stats: { modules, total: { cells: 0, luts: 0, flipFlops: 0, memoryBits: 0, byType: {}, blackBoxes: {} } }, problems: [], ok: true,
});

describe('synthSection', () => {
  it('folds a tile\'s per-column specializations into one row, sums their own cells and counts their instances', () => {
    const text = synthSection(result([
      mod('n_top', 1, 0, { n_tile: 2 }),
      mod('n_tile', 0, 0, { 'rram_xbar_tile in n_tile #1': 1, 'rram_xbar_tile in n_tile #2': 1, 'rram_xbar_tile in n_tile #3': 1 }),
      mod('rram_xbar_tile in n_tile #1', 10, 4),
      mod('rram_xbar_tile in n_tile #2', 7, 3),
      mod('rram_xbar_tile in n_tile #3', 5, 2),
    ]));
    // The instances column counts instantiations in module definitions (n_tile's three), not
    // down the hierarchy; the figures are the three definitions' own cells: 10 + 7 + 5.
    expect(text).toContain('| rram_xbar_tile in n_tile (3 specializations) | 3 | 22 | 13 | 9 | 0 |');
    expect(text).toContain('| n_tile | 2 | 0 | 0 | 0 | 0 |');
    expect(text).not.toContain('#1');
  });

  it('leaves a lone module as it is', () => {
    const text = synthSection(result([mod('n_top', 3, 1, { 'rram_merge in n_top': 1 }), mod('rram_merge in n_top', 4, 0)]));
    expect(text).toContain('| rram_merge in n_top | 1 | 4 | 4 | 0 | 0 |');
  });
});
