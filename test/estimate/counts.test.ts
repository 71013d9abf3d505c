// The estimate's counts agree with the hardware plan, every figure is
// count × unit cost, and totals are the sums of their parts — on the examples
// and on random nets.
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/ir/index.js';
import { type HwPlan, type MatrixStage, planNet } from '../../src/plan/index.js';
import { COMPONENTS, type Estimate, type LoadedTech, estimatePlan, loadDefaultTech } from '../../src/estimate/index.js';
import { randomNet } from '../../src/golden/random-net.js';
import { validateNetDocument } from '../../src/ir/validate.js';

const tech = loadDefaultTech();
const matrixStages = (plan: HwPlan) => plan.stages.filter((s): s is MatrixStage => s.kind === 'matrix');
const rel = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));

function checkConsistency(plan: HwPlan, est: Estimate): void {
  const stages = matrixStages(plan);
  const [one, ...baselines] = est.designs;
  const layerOf = (d: Estimate['designs'][number], name: string) => d.layers.find((l) => l.name === name)!;

  // Sense amplifiers: one per column of every thresholded layer, one decision per read.
  const senseItems = one.layers.flatMap((l) => l.items.filter((i) => i.component === 'sense'));
  expect(senseItems.reduce((a, i) => a + i.instances, 0))
    .toBe(stages.filter((s) => s.layer.activation.type === 'threshold').reduce((a, s) => a + s.cols, 0));
  expect(senseItems.reduce((a, i) => a + i.instances, 0)).toBe(stages.reduce((a, s) => a + s.senseAmps, 0));

  for (const s of stages) {
    const l1 = layerOf(one, s.layer.name);
    const weights = s.layer.weights.length;
    expect(l1.counts.tiles).toBe(s.tiles.length);
    // A b-bit weight: a differential pair of ⌈(b − 1) / 2⌉ 2-bit cells per side (the default table's device).
    const cpw = 2 * Math.max(1, Math.ceil((plan.net.weightBits - 1) / 2));
    expect(est.net.cellsPerWeight).toBe(cpw);
    expect(l1.counts.cells).toBe(cpw * weights);
    expect(l1.counts.tileCells).toBe(cpw * s.tiles.length * plan.net.crossbar.rows * plan.net.crossbar.cols);
    expect(l1.counts.crossbarReads).toBe(s.reads);
    // A grouped conv's tiles each take its group's rows only: rows / groups wordlines per column tile.
    const groups = s.layer.type === 'conv' ? s.layer.groups : 1;
    expect(l1.counts.dacConversions).toBe(s.reads * (s.rows / groups) * s.colTiles);
    expect(l1.counts.bufferBits).toBe(s.bufferValues * s.inShape.bits);
    if (s.layer.activation.type === 'threshold') {
      expect(l1.counts.senseDecisions).toBe(s.reads * s.senseAmps);
      expect(l1.counts.adcConversions).toBe(0);
    } else {
      // 1-bit design: ADC conversions per image = reads × columns (analog merge of row tiles).
      expect(l1.counts.adcConversions).toBe(s.reads * s.cols);
      if (s.layer.activation.type === 'adc') expect(l1.counts.adcConversions).toBe(s.reads * s.adcs);
    }
    expect(l1.counts.additions).toBe(0);
    for (const b of baselines) {
      const lb = layerOf(b, s.layer.name);
      // Baselines digitize every row tile: reads × rowTiles × columns conversions, (rowTiles − 1) × columns additions per read.
      expect(lb.counts.adcConversions).toBe(s.reads * s.rowTiles * s.cols);
      expect(lb.counts.additions).toBe(s.reads * (s.rowTiles - 1) * s.cols);
      expect(lb.counts.senseDecisions).toBe(0);
      expect(lb.counts.dacConversions).toBe(l1.counts.dacConversions);
      expect(lb.counts.cells).toBe(l1.counts.cells);
      expect(lb.counts.bufferBits).toBe(s.bufferValues * lb.inBits);
    }
  }

  for (const d of est.designs) {
    let e = 0;
    let a = 0;
    for (const l of d.layers) {
      let le = 0;
      let la = 0;
      for (const it of l.items) {
        // Every figure is count × unit cost.
        expect(it.energyPj).toBe(it.opsPerImage * it.energyEachPj);
        expect(it.areaUm2).toBe(it.instances * it.areaEachUm2);
        expect(Number.isFinite(it.energyPj) && it.energyPj >= 0).toBe(true);
        le += it.energyPj;
        la += it.areaUm2;
      }
      rel(l.energyPj, le);
      rel(l.areaUm2, la);
      rel(l.timeNs, l.cycles * l.beatNs);
      e += l.energyPj;
      a += l.areaUm2;
    }
    rel(d.energyPj, e);
    rel(d.areaUm2, a);
    rel(COMPONENTS.reduce((x, c) => x + d.byComponent[c].energyPj, 0), d.energyPj);
    rel(COMPONENTS.reduce((x, c) => x + d.byComponent[c].areaUm2, 0), d.areaUm2);
    expect(d.cyclesPerImage).toBe(plan.cyclesPerImage);
    expect(d.interfaceEnergyShare).toBeGreaterThanOrEqual(0);
    expect(d.interfaceEnergyShare).toBeLessThanOrEqual(1);
    // Never a silent zero: every matrix layer costs energy and area.
    for (const s of stages) {
      const l = layerOf(d, s.layer.name);
      expect(l.energyPj).toBeGreaterThan(0);
      expect(l.areaUm2).toBeGreaterThan(0);
    }
  }
}

describe('estimate counts agree with the plan', () => {
  it.each(['examples/tiny.json', 'examples/lenet.json'])('%s', (path) => {
    const plan = planNet(loadNet(path).net);
    checkConsistency(plan, estimatePlan(plan, tech, { baselineBits: [4, 6, 8] }));
    checkConsistency(plan, estimatePlan(plan, tech, { baselineBits: [8], adcShare: 16, edramAboveBits: 512 }));
  });

  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('random net %i', (seed) => {
    const plan = planNet(randomNet(seed));
    checkConsistency(plan, estimatePlan(plan, tech, { baselineBits: [2, 8], adcShare: 1 + (seed % 5) }));
  });

  // net@2 geometry: grouped and depthwise convs cost their tiles only (checkConsistency: cells = stored weights).
  it.each(Array.from({ length: 30 }, (_, i) => i + 1))('random net %i with net@2 geometry', (seed) => {
    const plan = planNet(randomNet(seed, { geometry: true }));
    checkConsistency(plan, estimatePlan(plan, tech, { baselineBits: [2, 8], adcShare: 1 + (seed % 5) }));
  });

  it('a depthwise conv costs one kh×kw × 1 tile per channel, not a C·kh·kw × C array', () => {
    const { net } = validateNetDocument({
      format: 'rram-gen/net@2', name: 'dw', input: { channels: 8, height: 6, width: 6, bits: 1 }, weightBits: 3, crossbar: { rows: 16, cols: 16 },
      layers: [
        { type: 'conv', name: 'dw', outChannels: 8, kernel: [3, 3], groups: 8, weights: Array.from({ length: 72 }, (_, i) => (i % 5) - 2), activation: { type: 'threshold', thresholds: new Array(8).fill(0) } },
        { type: 'dense', name: 'fc', outFeatures: 2, weights: new Array(2 * 128).fill(1), activation: { type: 'none' } },
      ],
    }, '/x/dw.json', 'dw.json');
    const plan = planNet(net);
    const dw = plan.stages[0] as MatrixStage;
    expect([dw.rows, dw.cols, dw.tiles.length]).toEqual([72, 8, 8]);
    expect(dw.tiles.map((t) => [t.rowStart, t.rowCount, t.colStart, t.colCount])).toEqual(Array.from({ length: 8 }, (_, g) => [9 * g, 9, g, 1]));
    const l = estimatePlan(plan, tech, { baselineBits: [8] }).designs[0].layers[0];
    // 8 tiles × 16×16 crossbars × 2 cells per 3-bit weight (a pair of one 2-bit cell each); 72 weights in use.
    expect(l.counts.tiles).toBe(8);
    expect(l.counts.tileCells).toBe(8 * 16 * 16 * 2);
    expect(l.counts.cells).toBe(72 * 2);
    expect(l.counts.dacConversions).toBe(16 * 9 * 8);
  });

  it('LeNet: the 1-bit design saves energy and area against every baseline, more for more bits', () => {
    const plan = planNet(loadNet('examples/lenet.json').net);
    const est = estimatePlan(plan, tech, { baselineBits: [4, 6, 8] });
    const s = est.savings.map((x) => x.energySaving);
    // Positive but small: with the device's 100 ns read at 0.15 V every cell read costs V² × G × 100 ns
    // (every wordline driven: an upper bound), which both designs pay and which dominates the 1-bit design.
    expect(s.every((x) => x > 0.05)).toBe(true);
    expect(s[0]).toBeLessThan(s[1]);
    expect(s[1]).toBeLessThan(s[2]);
    const [one, , , b8] = est.designs;
    expect(b8.interfaceEnergyShare).toBeGreaterThan(one.interfaceEnergyShare);
    // The 1-bit design's ADCs are those of the 8-bit read-out layer fc2 only: 10 columns.
    expect(one.byComponent.adc.areaUm2).toBe(10 * 1200);
  });
});

describe('--adc-share', () => {
  const plan = planNet(loadNet('examples/lenet.json').net);
  const adcItems = (est: Estimate, design: number, layer: string) =>
    est.designs[design].layers.find((l) => l.name === layer)!.items.filter((i) => i.component === 'adc');

  it('divides ADC instances per tile (rounding up), keeps conversions, adds a sample-and-hold per column', () => {
    const one = estimatePlan(plan, tech, { baselineBits: [8] });
    const shared = estimatePlan(plan, tech, { baselineBits: [8], adcShare: 4 });
    // fc1 in the 8-bit baseline: 2 row tiles × 120 columns (one column tile) → 240 ADCs, or 2 × ⌈120/4⌉ = 60 shared.
    const [adc1] = adcItems(one, 1, 'fc1');
    const [adc4, sh] = adcItems(shared, 1, 'fc1');
    expect(adc1.instances).toBe(240);
    expect(adc4.instances).toBe(60);
    expect(adc4.opsPerImage).toBe(adc1.opsPerImage);
    expect(adc4.energyPj).toBe(adc1.energyPj);
    expect(sh.item).toBe('sample-and-hold');
    expect(sh.instances).toBe(240);
    expect(sh.opsPerImage).toBe(240);
    // conv1: 6 columns → ⌈6/4⌉ = 2 ADCs.
    expect(adcItems(shared, 1, 'conv1')[0].instances).toBe(2);
    // Sense amplifiers are never shared.
    expect(shared.designs[0].layers[0].items.find((i) => i.component === 'sense')!.instances).toBe(6);
  });

  it('lengthens the beat of an ADC-bound read to N conversions', () => {
    // ISAAC's ADC converts in 0.833 ns: 120 shared columns take 100 ns, within the 100 ns read.
    const fits = estimatePlan(plan, tech, { baselineBits: [8], adcShare: 120 });
    expect(fits.designs[1].timePerImageNs).toBe(78_400);
    // A slow ADC makes the read ADC-bound: 40 ns per conversion × 6 columns of conv1 = 240 ns per beat.
    const slow: LoadedTech = { file: 'slow.json', table: { ...tech.table, adc: tech.table.adc.map((e) => ({ ...e, timeNs: 40 })) } };
    const est = estimatePlan(plan, slow, { baselineBits: [8], adcShare: 8 });
    const conv1 = est.designs[1].layers[0];
    expect(conv1.beatNs).toBe(6 * 40); // min(8, 6 columns) conversions per read
    expect(conv1.timeNs).toBe(784 * 240);
    expect(est.designs[1].timePerImageNs).toBe(784 * 240);
    // The 1-bit design's conv1 uses sense amplifiers: not ADC-bound.
    expect(est.designs[0].layers[0].beatNs).toBe(100);
    // fc2's ADCs (10 columns, share 8 → 8 per ADC) bound its single read: 320 ns.
    expect(est.designs[0].layers.find((l) => l.name === 'fc2')!.beatNs).toBe(8 * 40);
  });

  it('rejects bad options as usage errors', () => {
    expect(() => estimatePlan(plan, tech, { adcShare: 0 })).toThrow(/ADC share/);
    expect(() => estimatePlan(plan, tech, { baselineBits: [] })).toThrow(/at least one/);
    expect(() => estimatePlan(plan, tech, { baselineBits: [1] })).toThrow(/2\.\.16/);
    expect(() => estimatePlan(plan, tech, { baselineBits: [8, 8] })).toThrow(/repeat/);
  });
});
