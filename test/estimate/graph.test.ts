// The estimate of a graph (examples/residual-tiny.json), by hand: the fused
// add's skip values are extra crossbar rows (wordline drivers, cells), it
// has no adder, and the skip-path FIFOs are buffer bits.
import { describe, expect, it } from 'vitest';
import { estimatePlan, loadDefaultTech } from '../../src/estimate/index.js';
import { loadNet } from '../../src/ir/index.js';
import { planNet } from '../../src/plan/index.js';

describe('estimate of residual-tiny', () => {
  const plan = planNet(loadNet('examples/residual-tiny.json').net);
  const design = estimatePlan(plan, loadDefaultTech()).designs[0];
  const layer = (name: string) => design.layers.find((l) => l.name === name)!;

  it('r1 = c2 (1×1 conv over c1\'s 2 channels: 2 rows) + c1 as 2 skip rows: 4 wordlines, 8 weights, no adder', () => {
    const r1 = layer('r1');
    expect(r1.items.find((i) => i.component === 'dac')!.instances).toBe(4);
    expect(r1.counts.cells / plan.slicing.cellsPerWeight).toBe(4 * 2);
    expect(r1.items.filter((i) => i.component === 'adder')).toEqual([]);
    // c2 is part of r1's stage: it costs nothing of its own.
    expect(design.layers.map((l) => l.name)).toEqual(['c1', 'r1', 'k1', 'd1', 'output']);
  });

  it('skip FIFOs: 3 beats each (a bound of 1 pixel + 2 in flight) × pixel bits', () => {
    // r1 reads c1 (2 channels × 1 b) as skip rows; k1 reads r1 (2 × 2 b) and the input (1 × 2 b) side by side.
    const fifoBits = (name: string) => layer(name).items.filter((i) => i.item.startsWith('skip FIFO')).map((i) => i.instances);
    expect(fifoBits('r1')).toEqual([3 * 2 * 1]);
    expect(fifoBits('k1')).toEqual([3 * 2 * 2, 3 * 1 * 2]);
    expect(fifoBits('c1')).toEqual([]);
  });
});
