// Issue 15's scale net in the regression: the CIFAR-10-shaped net
// (examples/lib/scale-nets.ts, seed 10: 0.6 M 4-bit weights on 128×128
// crossbars, 96 tiles) builds; its synthesis RTL lints clean under plain
// `verilator --lint-only -Wall -f files.f` and compiles in Icarus with the
// testbench (Icarus's scanner once overflowed on such a net's weight
// literals); the emitted testbench (tb.f) compiles in Icarus; and the
// Verilator model matches the golden model on every inter-layer beat, with
// random stalls. Needs verilator and iverilog; RRAM_GEN_SKIP_RTL=1 skips it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRtl } from '../../src/emit/build.js';
import { scaleNet } from '../../examples/lib/scale-nets.js';
import { planNet } from '../../src/plan/index.js';
import { expectBitExact, expectLintClean } from './sim-helpers.js';

const SKIP = process.env.RRAM_GEN_SKIP_RTL === '1';
const work = mkdtempSync(join(tmpdir(), 'rram-gen-cifar-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The slow checks (plain lint and Icarus on the synthesis RTL: about 5 CPU
// minutes each) run side by side.
describe.skipIf(SKIP)('the CIFAR-10-shaped scale net', () => {
  const { net } = scaleNet('cifar', 10);
  const dir = join(work, 'cifar');
  let top = '';
  let tb = '';

  beforeAll(async () => {
    const { manifest } = await buildRtl(net, { outDir: dir, tbVectors: 2, seed: 3 });
    top = manifest.top;
    tb = manifest.testbenchFiles[manifest.testbenchFiles.length - 1];
  }, 300_000);

  it('builds the stages the generator promises', () => {
    expect(planNet(net).stages.map((s) => s.layer.name)).toEqual(['conv1', 'conv2', 'pool1', 'conv3', 'conv4', 'pool2', 'fc1', 'fc2']);
    expect(top).toBe('cifar_top');
  });

  it.concurrent('lints clean under plain verilator -Wall (files.f)', { timeout: 1_800_000 }, async () => {
    await expectLintClean(dir, top);
  });

  it.concurrent.each([['the synthesis RTL and the testbench', 'files.f'], ['tb.f', 'tb.f']])('compiles in Icarus: %s', { timeout: 1_800_000 }, async (_, list) => {
    const args = ['-g2012', '-o', `${list}.vvp`, '-f', list, ...(list === 'files.f' ? [tb] : [])];
    const r = await execa('iverilog', args, { cwd: dir, reject: false, all: true });
    expect(r.all).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it.concurrent('matches the golden model in Verilator, under random stalls', { timeout: 1_800_000 }, async () => {
    await expectBitExact(net, { vectors: 6, seed: 4, stallProb: 0.3 });
  });
});
