// Graph nets on the real toolchain: residual adds (fused into a crossbar as
// skip rows, or crossbars of their own), concats and forks, simulated with
// Verilator under random stalls on both sides and compared bit for bit with
// the golden model at every stage (the stalls are the no-deadlock proof of
// the plan's FIFO depths); the emitted RTL lints clean; and the emitted
// testbench fails when the skip FIFOs are cut to 2 entries, so the sizing
// matters and the check can fail. Needs verilator, iverilog and vvp on PATH;
// RRAM_GEN_SKIP_RTL=1 skips it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderBuild } from '../../src/emit/build.js';
import { randomGraphNet } from '../../src/golden/index.js';
import { loadNet } from '../../src/ir/index.js';
import { planNet } from '../../src/plan/index.js';
import { expectBitExact, expectLintClean } from './sim-helpers.js';

const SKIP = process.env.RRAM_GEN_SKIP_RTL === '1';
const work = mkdtempSync(join(tmpdir(), 'rram-gen-graph-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Graph seeds with fused and own adds, concats and forks (see the printed layer lists in failures). */
const SEEDS = [2, 3, 4, 7, 16, 28];

function writeBuild(dir: string, files: Map<string, string>): void {
  for (const [p, text] of files) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

/** The emitted self-checking testbench under Icarus: its PASS/FAIL line. */
function runTestbench(dir: string): string {
  try {
    execFileSync('iverilog', ['-g2012', '-o', 'tb.vvp', '-f', 'tb.f'], { cwd: dir, stdio: 'pipe' });
    return execFileSync('vvp', ['-n', 'tb.vvp'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const x = e as { stdout?: string | Buffer; stderr?: string | Buffer };
    return `${x.stdout ?? ''}${x.stderr ?? ''}`;
  }
}

describe.skipIf(SKIP)('graph nets in RTL', () => {
  it('examples/residual-tiny.json is bit-exact under stalls', async () => {
    await expectBitExact(loadNet('examples/residual-tiny.json').net, { vectors: 16, seed: 5, stallProb: 0.3 });
  }, 300_000);

  it.each(SEEDS)('random graph net %i is bit-exact under stalls', async (seed) => {
    const net = randomGraphNet(seed);
    await expectBitExact(net, { vectors: 8, seed, stallProb: seed % 2 === 0 ? 0.5 : 0.3 });
  }, 300_000);

  it('lints clean (verilator --lint-only -Wall)', async () => {
    const net = randomGraphNet(7);
    const { files, manifest } = renderBuild(net);
    const dir = join(work, 'lint');
    writeBuild(dir, files);
    await expectLintClean(dir, manifest.top, ['-f', 'files.f'], net.name);
  }, 300_000);

  it('fails (the testbench times out) with the skip FIFOs cut to 2 entries', () => {
    const net = randomGraphNet(3);
    const depths = planNet(net).stages.flatMap((s) => (s.inputs ?? []).map((e) => e.fifoDepth)).filter((d) => d > 0);
    expect(Math.max(...depths)).toBeGreaterThan(4);
    const { files, manifest } = renderBuild(net, { tbVectors: 4, seed: 2 });
    const good = join(work, 'fifo-good');
    writeBuild(good, files);
    expect(runTestbench(good)).toMatch(/^PASS/m);
    const top = `rtl/${manifest.top}.sv`;
    const cut = new Map(files);
    cut.set(top, files.get(top)!.replace(/\.DEPTH\(\d+\)/g, '.DEPTH(2)'));
    expect(cut.get(top)).not.toEqual(files.get(top));
    const bad = join(work, 'fifo-cut');
    writeBuild(bad, cut);
    const out = runTestbench(bad);
    expect(out).toMatch(/FAIL: timeout/);
    expect(readFileSync(join(bad, top), 'utf8')).toMatch(/\.DEPTH\(2\)/);
  }, 300_000);
});
