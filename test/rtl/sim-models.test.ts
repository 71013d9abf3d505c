// The two forms of every matrix stage agree: the synthesizable RTL (files.f:
// tiles of rram_xbar_tile, rram_merge, sense amplifiers or ADC) and the
// simulation form (tb.f: behavioural column-group models reading their
// weights from sim-models/*.hex). The emitted testbench runs under Icarus on
// each and must PASS on both, over nets that together draw every feature of
// the random regression plus graph nets (fused adds with skip rows, concats)
// and grouped convs split over several row and column tiles; and a model
// with one weight changed must FAIL, so the check can fail.
// Needs iverilog and vvp on PATH; RRAM_GEN_SKIP_RTL=1 skips it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Manifest, renderBuild } from '../../src/emit/build.js';
import { randomGraphNet, randomNet } from '../../src/golden/index.js';
import type { NetIR } from '../../src/ir/types.js';
import { FEATURES, featuresOf } from './random-coverage.js';

const SKIP = process.env.RRAM_GEN_SKIP_RTL === '1';
const work = mkdtempSync(join(tmpdir(), 'rram-gen-simmodel-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const REGRESSION_SEEDS = [2, 4, 13, 15, 17];
const nets: [string, () => NetIR][] = [
  ...REGRESSION_SEEDS.map((s): [string, () => NetIR] => [`random net ${s}`, () => randomNet(s, { maxWeights: 4000 })]),
  ['random graph net 7 (fused adds, a concat)', () => randomGraphNet(7)],
  ['grouped conv on 7×2 crossbars', () => ({ ...randomNet(34, { geometry: true, maxWeights: 4000 }), crossbar: { rows: 7, cols: 2 } })],
];

/** Writes the build, with synthesis.f: the synthesis RTL (files.f) and the testbench; returns its folder and manifest. */
function writeBuild(net: NetIR, tag: string): { dir: string; manifest: Manifest } {
  const dir = join(work, tag);
  const { files, manifest } = renderBuild(net, { tbVectors: 4, seed: 5 });
  for (const [p, text] of files) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  const tb = manifest.testbenchFiles.filter((f) => !manifest.simulationFiles.includes(f));
  writeFileSync(join(dir, 'synthesis.f'), [...manifest.files, ...tb, ''].join('\n'));
  return { dir, manifest };
}

/** The testbench's PASS/FAIL lines under Icarus with the given file list. */
function runTestbench(dir: string, fileList: string): string {
  execFileSync('iverilog', ['-g2012', '-o', `${fileList}.vvp`, '-f', fileList], { cwd: dir, stdio: 'pipe' });
  try {
    return execFileSync('vvp', ['-n', `${fileList}.vvp`], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? '');
  }
}

describe.skipIf(SKIP)('simulation models vs synthesizable RTL', () => {
  it('the regression seeds draw every feature the random regression promises', () => {
    const covered = new Set(REGRESSION_SEEDS.flatMap((s) => [...featuresOf(randomNet(s, { maxWeights: 4000 }))]));
    expect(FEATURES.filter((f) => !covered.has(f))).toEqual([]);
  });

  it.each(nets)('%s: both forms pass the emitted testbench', { timeout: 600_000 }, (name, make) => {
    const { dir } = writeBuild(make(), name.replace(/\W+/g, '_'));
    expect(runTestbench(dir, 'tb.f')).toMatch(/^PASS: 4 images match/m);
    expect(runTestbench(dir, 'synthesis.f')).toMatch(/^PASS: 4 images match/m);
  });

  it('a model with one weight changed fails', { timeout: 600_000 }, () => {
    const net = randomNet(13, { maxWeights: 4000 });
    const { dir, manifest } = writeBuild(net, 'corrupted');
    // The last layer (a raw read-out: its values are compared): every weight of
    // its column 0 raised to the largest (the largest lowered by one), so the
    // column's sum moves on any image whose input to the layer is not all zero.
    const data = join(dir, manifest.simulationData[manifest.simulationData.length - 1]);
    const largest = 2 ** net.weightBits - 1;
    const lines = readFileSync(data, 'utf8').split('\n').map((line) => {
      if (!/^[0-9a-f]/.test(line)) return line;
      const words = line.split(' ');
      const w = parseInt(words[0], 16);
      words[0] = (w === largest ? largest - 1 : largest).toString(16).padStart(words[0].length, '0');
      return words.join(' ');
    });
    writeFileSync(data, lines.join('\n'));
    const out = runTestbench(dir, 'tb.f');
    expect(out).toMatch(/^FAIL/m);
    expect(out).not.toMatch(/^PASS/m);
  });
});
