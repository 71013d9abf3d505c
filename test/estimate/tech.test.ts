// Technology tables: the shipped default cites a source for every number, and
// bad tables are rejected with the kind of error at its JSON pointer.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { type DiagnosticCode, RramGenError } from '../../src/diagnostics/index.js';
import {
  COST_FIELDS, DEFAULT_TECH_PATH, DEVICE_FIELDS, allEntries, estimatePlan, loadDefaultTech, loadTechFile, pickResolution, validateTechDocument,
} from '../../src/estimate/index.js';
import { loadNet } from '../../src/ir/index.js';
import { planNet } from '../../src/plan/index.js';

const defaultDoc = (): any => JSON.parse(readFileSync(DEFAULT_TECH_PATH, 'utf8'));

function problems(doc: unknown): { code: DiagnosticCode; pointer: string; file?: string }[] {
  try {
    validateTechDocument(doc, 'tech.json');
  } catch (e) {
    if (e instanceof RramGenError) return e.diagnostics.map((d) => ({ code: d.code, pointer: d.pointer, file: d.file }));
    throw e;
  }
  return [];
}

describe('the default technology table', () => {
  const { table } = loadDefaultTech();

  it('passes the schema and the semantic checks', () => {
    expect(problems(defaultDoc())).toEqual([]);
  });

  it('cites a known source for every number, with a location in that source', () => {
    for (const { pointer, entry } of allEntries(table)) {
      expect(entry.source.length, pointer).toBeGreaterThan(0);
      for (const c of entry.source) {
        expect(table.sources[c.ref], `${pointer} cites ${c.ref}`).toBeDefined();
        expect(c.where.length, pointer).toBeGreaterThan(10);
      }
      for (const f of COST_FIELDS) {
        if ((entry as unknown as Record<string, unknown>)[f] === undefined) continue;
        expect(entry.source.some((c) => c.covers === undefined || c.covers.includes(f)), `${pointer}/${f}`).toBe(true);
      }
    }
  });

  it('holds the published figures it claims', () => {
    const adc8 = table.adc.find((e) => e.bits === 8)!;
    expect([adc8.energyPj, adc8.areaUm2, adc8.timeNs]).toEqual([2 / 1.28, 1200, 1 / 1.28]); // ISAAC: 2 mW / 1.28 GS/s, 1200 µm²
    expect(table.adc.map((e) => [e.bits, e.energyPj, e.areaUm2])).toEqual([
      [4, 0.79, 361], [5, 0.99, 477], [6, 1.2, 627], [7, 1.42, 845], [8, 1.5625, 1200], [9, 1.97, 1828], [10, 2.38, 3002],
    ]);
    // MNSIM 2.0 DACs: area as given, energy = power / 1 GS/s.
    expect(table.dac.map((e) => [e.bits, e.areaUm2, e.energyPj])).toEqual([
      [1, 0.166, 0.0039], [2, 0.332, 0.0078], [3, 0.664, 0.0156], [4, 1.328, 0.0312], [6, 5.312, 0.1248], [8, 21.248, 0.4992],
    ]);
    expect([table.senseAmp.energyPj, table.senseAmp.areaUm2]).toEqual([0.001629, 1]); // 1.629 µW × 1 ns
    // The device: ISAAC's 2-bit cells and 100 ns read, MNSIM's 10 kΩ / 1 MΩ and 0.15 V; one pulse for energy and latency.
    const d = table.device!;
    expect([d.bitsPerCell, d.onResistanceOhm, d.onOffRatio, d.readVoltageV, d.readPulseNs]).toEqual([2, 1e4, 100, 0.15, 100]);
    expect(table.readCycle).toBeUndefined();
    expect(table.cell.energyPj).toBeUndefined();
    for (const f of DEVICE_FIELDS) expect(d.source.some((c) => c.covers === undefined || c.covers.includes(f)), f).toBe(true);
    // Entries with derived numbers say how they were derived.
    for (const { pointer, entry } of allEntries(table)) expect(entry.derivation, pointer).toBeTruthy();
  });

  it('picks the exact resolution, else the next larger, else the largest', () => {
    expect(pickResolution(table, 'adc', 8)).toMatchObject({ pointer: '/adc/4', substituted: false });
    expect(pickResolution(table, 'adc', 3)).toMatchObject({ pointer: '/adc/0', substituted: true });
    expect(pickResolution(table, 'dac', 5)).toMatchObject({ pointer: '/dac/4', substituted: true });
    expect(pickResolution(table, 'adc', 14)).toMatchObject({ pointer: '/adc/6', substituted: true });
  });

  it('reports a substituted resolution as a warning', () => {
    const plan = planNet(loadNet('examples/tiny.json').net);
    const est = estimatePlan(plan, loadDefaultTech(), { baselineBits: [3, 5] });
    expect(est.warnings.map((w) => [w.code, w.pointer])).toEqual([
      ['tech-substituted', '/adc/0'], // 3-bit baseline: c1's 3-bit ADC costed as the 4-bit entry
      ['tech-substituted', '/dac/4'], // 5-bit baseline: d1 reads 5-bit values, costed as a 6-bit DAC
    ]);
    expect(est.warnings.every((w) => w.severity === 'warning')).toBe(true);
  });
});

describe('bad technology tables', () => {
  // Each mutation of the default table and the diagnostic (code, pointer) it must produce.
  const cases: [string, (d: any) => void, DiagnosticCode, string][] = [
    ['wrong format tag', (d) => { d.format = 'rram-gen/tech@2'; }, 'schema-format', '/format'],
    ['missing component', (d) => { delete d.senseAmp; }, 'schema-required', ''],
    ['missing number', (d) => { delete d.adder.energyPj; }, 'schema-required', '/adder'],
    ['ADC without a conversion time', (d) => { delete d.adc[2].timeNs; }, 'schema-required', '/adc/2'],
    ['negative energy', (d) => { d.dac[1].energyPj = -1; }, 'schema-range', '/dac/1/energyPj'],
    ['zero read pulse', (d) => { d.device.readPulseNs = 0; }, 'schema-range', '/device/readPulseNs'],
    ['energy as a string', (d) => { d.cell.energyPj = '0.1 pJ'; }, 'schema-type', '/cell/energyPj'],
    ['fractional bits per cell', (d) => { d.device.bitsPerCell = 1.5; }, 'schema-type', '/device/bitsPerCell'],
    ['9 bits per cell', (d) => { d.device.bitsPerCell = 9; }, 'schema-range', '/device/bitsPerCell'],
    ['on/off ratio of 1', (d) => { d.device.onOffRatio = 1; }, 'schema-range', '/device/onOffRatio'],
    ['stuck-at rate above 1', (d) => { d.device.stuckAtOnRate = 1.5; }, 'schema-range', '/device/stuckAtOnRate'],
    ['negative variation', (d) => { d.device.conductanceSigma = -0.1; }, 'schema-range', '/device/conductanceSigma'],
    ['device field missing', (d) => { delete d.device.senseAmpOffsetSigma; }, 'schema-required', '/device'],
    ['stuck-at rates above 1 together', (d) => { d.device.stuckAtOnRate = 0.6; d.device.stuckAtOffRate = 0.6; }, 'tech-invalid', '/device/stuckAtOffRate'],
    ['read time given twice', (d) => { d.readCycle = { timeNs: 100, source: [{ ref: 'isaac', where: 'read cycle' }] }; }, 'tech-invalid', '/readCycle'],
    ['cell energy given beside the device', (d) => { d.cell.energyPj = 0.001; }, 'tech-invalid', '/cell/energyPj'],
    ['no device and no read cycle', (d) => { delete d.device; d.cell.energyPj = 0.001; }, 'tech-invalid', '/readCycle'],
    ['no device and no cell energy', (d) => { delete d.device; d.readCycle = { timeNs: 100, source: [{ ref: 'isaac', where: 'read cycle' }] }; }, 'tech-invalid', '/cell/energyPj'],
    ['device number no citation covers', (d) => { d.device.source = d.device.source.filter((c: any) => c.ref !== 'issue18'); }, 'tech-invalid', '/device/conductanceSigma'],
    ['device cites an unknown source', (d) => { d.device.source[0].ref = 'nowhere'; }, 'tech-invalid', '/device/source/0/ref'],
    ['unknown field', (d) => { d.buffer.register.power = 1; }, 'schema-unknown-field', '/buffer/register/power'],
    ['no ADCs', (d) => { d.adc = []; }, 'schema-range', '/adc'],
    ['resolution out of range', (d) => { d.adc[0].bits = 0; }, 'schema-range', '/adc/0/bits'],
    ['entry without a source', (d) => { d.comparator.source = []; }, 'schema-range', '/comparator/source'],
    ['citation without a location', (d) => { delete d.sampleHold.source[0].where; }, 'schema-required', '/sampleHold/source/0'],
    ['unknown covered field', (d) => { d.cell.source[0].covers = ['powerMw']; }, 'schema-enum', '/cell/source/0/covers/0'],
    ['source id not an identifier', (d) => { d.sources['1 bad'] = { citation: 'x' }; }, 'schema-other', '/sources/1 bad'],
    ['unknown source', (d) => { d.senseAmp.source[0].ref = 'nowhere'; }, 'tech-invalid', '/senseAmp/source/0/ref'],
    ['number no citation covers', (d) => { d.cell.source[0].covers = ['energyPj']; }, 'tech-invalid', '/cell/areaUm2'],
    ['duplicate resolution', (d) => { d.dac[2].bits = 2; }, 'tech-invalid', '/dac/2/bits'],
  ];

  it.each(cases)('%s', (_name, mutate, code, pointer) => {
    const doc = defaultDoc();
    mutate(doc);
    const found = problems(doc);
    expect(found.map((p) => p.code)).toContain(code);
    expect(found.find((p) => p.code === code)?.pointer).toBe(pointer);
    expect(found.every((p) => p.file === 'tech.json')).toBe(true);
  });

  it('not JSON, missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-gen-tech-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "format": ');
    expect(() => loadTechFile(bad)).toThrow(RramGenError);
    try { loadTechFile(bad); } catch (e) { expect((e as RramGenError).has('json-syntax')).toBe(true); }
    try { loadTechFile(join(dir, 'absent.json')); } catch (e) { expect((e as RramGenError).has('file-unreadable')).toBe(true); }
  });

  it('the CLI rejects a bad --tech with file#pointer lines and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-gen-tech-'));
    const doc = defaultDoc();
    doc.adc[0].energyPj = -0.5;
    doc.senseAmp.source[0].ref = 'nowhere';
    const bad = join(dir, 'bad-tech.json');
    writeFileSync(bad, JSON.stringify(doc));
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'rram-gen.js');
    const r = await execa('node', [bin, 'estimate', 'examples/tiny.json', '--tech', bad], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${bad}#/adc/0/energyPj: error:`);
    expect(r.stderr).toContain('[schema-range]');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
