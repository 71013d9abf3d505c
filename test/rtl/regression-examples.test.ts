// The bundled examples on the RTL: bit-exact against the golden model, at
// the plan's cycles per image when nothing stalls, lint-clean; and the
// emitted self-checking testbench passes (and can fail) in Icarus Verilog.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildRtl } from '../../src/emit/build.js';
import { loadNet, type NetIR } from '../../src/ir/index.js';
import { randomNet } from '../../src/golden/index.js';
import { expectBitExact, expectLintClean } from './sim-helpers.js';

describe.each(['tiny', 'lenet'])('examples/%s.json on the RTL', (name) => {
  const { net } = loadNet(`examples/${name}.json`);

  it('matches the golden model at full rate, at the plan\'s cycles per image', async () => {
    const report = await expectBitExact(net, { vectors: 8, seed: 7, stallProb: 0 });
    // Steady state: one image per busiest-stage period, exactly as planned.
    expect(report.cycles.perImageMeasured).toBe(report.cycles.perImageBound);
  });

  it('matches the golden model under random stalls on both sides', async () => {
    await expectBitExact(net, { vectors: 8, seed: 11, stallProb: 0.4 });
  });

  it('lints clean with verilator -Wall', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rram-gen-ex-')), name);
    const { manifest } = await buildRtl(net, { outDir: dir, tbVectors: 2 });
    await expectLintClean(dir, manifest.top);
  });
});

// Icarus is an event-driven interpreter: the LeNet-sized testbench takes
// minutes there, so the tiny net (every block type but max-pool) and a random
// net with max-pool and multi-bit maps stand in for the rest.
describe('the emitted self-checking testbench in Icarus Verilog', () => {
  const cases: [string, () => NetIR][] = [
    ['examples/tiny.json', () => loadNet('examples/tiny.json').net],
    ['random net 2 (maxpool, conv, dense)', () => randomNet(2, { maxWeights: 4000 })],
  ];
  it.each(cases)('%s passes', async (_, makeNet) => {
    const net = makeNet();
    const dir = join(mkdtempSync(join(tmpdir(), 'rram-gen-tb-')), net.name);
    await buildRtl(net, { outDir: dir, tbVectors: 6, seed: 3 });
    await execa('iverilog', ['-g2012', '-o', 'tb.vvp', '-f', 'tb.f'], { cwd: dir });
    const tb = await execa('vvp', ['-n', 'tb.vvp'], { cwd: dir, reject: false, all: true });
    expect(tb.all).toContain('PASS: 6 images match the golden model');
    expect(tb.exitCode).toBe(0);
  });

  it('fails, naming the image, when the expected results are wrong', async () => {
    const net = loadNet('examples/tiny.json').net;
    const dir = join(mkdtempSync(join(tmpdir(), 'rram-gen-tb-')), net.name);
    await buildRtl(net, { outDir: dir, tbVectors: 3, seed: 3 });
    // Corrupt the second expected result: flip its lowest value bit.
    const path = join(dir, 'tb', 'expected.hex');
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    lines[1] = (parseInt(lines[1], 16) ^ 1).toString(16).padStart(lines[1].length, '0');
    writeFileSync(path, `${lines.join('\n')}\n`);
    await execa('iverilog', ['-g2012', '-o', 'tb.vvp', '-f', 'tb.f'], { cwd: dir });
    const tb = await execa('vvp', ['-n', 'tb.vvp'], { cwd: dir, reject: false, all: true });
    expect(tb.all).toContain('FAIL: image 1');
    expect(tb.exitCode).not.toBe(0);
  });
});
