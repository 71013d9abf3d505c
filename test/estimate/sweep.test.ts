// The estimator under stress: the shipped NeuroSim- and MNSIM-style tables
// load and cost the same net; unit costs outside the published envelope are
// flagged; --sweep covers the grid and contains the table's own point.
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/ir/index.js';
import { planNet } from '../../src/plan/index.js';
import { envelopeWarnings, estimatePlan, loadDefaultTech, loadTechFile } from '../../src/estimate/index.js';
import { sweepEstimate } from '../../src/estimate/sweep.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'rram-gen.js');
const neurosim = loadTechFile('tech/neurosim-like.json');
const mnsim = loadTechFile('tech/mnsim-like.json');

describe('shipped tables', () => {
  it('MNSIM-style ADCs are power × (bits + 2) / rate, as MNSIM 2.0 computes them', () => {
    // ISAAC's ADC in MNSIM: 2 mW, 1.28 GS/s, 8 bits → 10 / 1.28 = 7.8125 ns → 15.625 pJ.
    const a8 = mnsim.table.adc.find((e) => e.bits === 8)!;
    expect(a8.timeNs).toBeCloseTo(7.8125, 9);
    expect(a8.energyPj).toBeCloseTo(15.625, 9);
    expect(mnsim.table.device!.readPulseNs).toBe(3.16);
    expect(neurosim.table.device).toMatchObject({ onResistanceOhm: 6000, onOffRatio: 150, readVoltageV: 0.5, readPulseNs: 10, bitsPerCell: 2 });
  });

  it('one net costed under each table: the spread of the saving', () => {
    const plan = planNet(loadNet('examples/mnist/lenet5-1bit.json').net);
    const saving = (t: typeof neurosim) => estimatePlan(plan, t).savings[0].energySaving;
    const s = [saving(neurosim), saving(loadDefaultTech()), saving(mnsim)];
    // NeuroSim's 0.5 V / 6 kΩ cells and cheap ADC leave little to save; MNSIM's costly ADCs and short read a lot.
    expect(s[0]).toBeLessThan(s[1]);
    expect(s[1]).toBeLessThan(s[2]);
    expect(s[2] - s[0]).toBeGreaterThan(0.5);
  });
});

describe('envelope check', () => {
  it('flags an ADC below ~0.2 pJ at ≥ 80 MS/s and a sense amplifier outside 1–100 fJ, as warnings', () => {
    expect(envelopeWarnings(loadDefaultTech().table, 'd.json')).toEqual([]);
    expect(envelopeWarnings(mnsim.table, 'm.json')).toEqual([]);
    const w = envelopeWarnings(neurosim.table, 'n.json');
    expect(w.map((d) => [d.code, d.severity, d.pointer])).toEqual([['tech-outside-envelope', 'warning', '/adc/0/energyPj']]);
    const t = structuredClone(loadDefaultTech().table);
    t.senseAmp.energyPj = 0.0005;
    t.adc[0].timeNs = 20; // 50 MS/s: outside the survey's ≥ 80 MS/s range, so a low energy is not flagged
    t.adc[0].energyPj = 0.1;
    expect(envelopeWarnings(t, 'x.json').map((d) => d.pointer)).toEqual(['/senseAmp/energyPj']);
    t.senseAmp.energyPj = 0.2;
    expect(envelopeWarnings(t, 'x.json').map((d) => d.pointer)).toEqual(['/senseAmp/energyPj']);
    t.senseAmp.energyPj = 0.05;
    expect(envelopeWarnings(t, 'x.json')).toEqual([]);
  });

  it('estimate prints the warning with its code', async () => {
    const r = await execa('node', [BIN, 'estimate', 'examples/tiny.json', '--tech', 'tech/neurosim-like.json'], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('tech/neurosim-like.json#/adc/0/energyPj: warning:');
    expect(r.stderr).toContain('[tech-outside-envelope]');
  });
});

describe('estimate --sweep', () => {
  it('covers the grid and contains the table\'s own point', () => {
    const plan = planNet(loadNet('examples/lenet.json').net);
    const base = loadDefaultTech();
    const sweep = sweepEstimate(plan, base, [neurosim, mnsim]);
    // 3 on-resistances (10 kΩ is the table's), 3 pulses (100 ns is), 3 + 1 sense-amp energies (1.629 fJ is not), 3 ADC tables.
    expect(sweep.points).toHaveLength(3 * 3 * 4 * 3);
    const own = estimatePlan(plan, base);
    const d = base.table.device!;
    const p = sweep.points.find((x) => x.adcTable === base.table.name && x.onResistanceOhm === d.onResistanceOhm
      && x.readPulseNs === d.readPulseNs && x.senseAmpPj === base.table.senseAmp.energyPj)!;
    expect(p).toBeDefined();
    expect(p.energySaving[0]).toBeCloseTo(own.savings[0].energySaving, 12);
    expect(p.interfaceEnergyShare[0]).toBeCloseTo(own.designs[0].interfaceEnergyShare, 12);
    // A longer pulse or a lower on-resistance makes every cell read dearer: the saving shrinks.
    const at = (r: number, ns: number) => sweep.points.find((x) => x.adcTable === base.table.name && x.onResistanceOhm === r && x.readPulseNs === ns && x.senseAmpPj === 0.001)!;
    expect(at(1e4, 100).energySaving[0]).toBeLessThan(at(1e4, 1).energySaving[0]);
    expect(at(1e4, 10).energySaving[0]).toBeLessThan(at(1e6, 10).energySaving[0]);
  });

  it('the CLI prints ranges', async () => {
    const r = await execa('node', [BIN, 'estimate', 'examples/tiny.json', '--sweep'], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/1-bit design energy saving vs 8-bit\s+-?\d+\.\d % – \d+\.\d %/);
  });
});
