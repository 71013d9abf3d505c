// `build --xbar macro`: every column group's crossbar becomes a black box in
// rtl/ with a behavioural model in sim-models/. The RTL around the boxes must
// lint and synthesize (the boxes stay boxes), and the build with its models
// must still match the golden model bit for bit.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildRtl } from '../../src/emit/build.js';
import { randomNet } from '../../src/golden/index.js';
import { loadNet, type NetIR } from '../../src/ir/index.js';
import { planNet } from '../../src/plan/index.js';
import { simulate } from '../../src/sim/simulate.js';
import { synthesizeRendered } from '../../src/synth/index.js';
import { expectLintClean } from '../rtl/sim-helpers.js';

const TIMEOUT = 600_000;

/** Column groups of all matrix layers: one macro each. */
function columnGroups(net: NetIR): number {
  return planNet(net).stages.reduce((n, s) => n + (s.kind === 'matrix' ? s.colTiles : 0), 0);
}

const nets: [string, () => NetIR][] = [
  ['examples/tiny.json', () => loadNet('examples/tiny.json').net],
  ['random net 91 (multi-bit rows, ADC)', () => randomNet(91, { maxWeights: 600 })],
];

describe.each(nets)('macro build of %s', (_, makeNet) => {
  it('lints, synthesizes with the black boxes kept, and simulates bit-exact', async () => {
    const net = makeNet();
    const dir = join(mkdtempSync(join(tmpdir(), 'rram-gen-macro-')), 'out');
    const built = await buildRtl(net, { outDir: dir, xbar: 'macro', tbVectors: 6 });
    const { manifest, files } = built;
    const stubs = manifest.files.filter((f) => /_macro_c\d+\.sv$/.test(f));
    expect(stubs).toHaveLength(columnGroups(net));
    expect(manifest.files.some((f) => /_tile_r\d+_c\d+\.sv$/.test(f))).toBe(false);
    for (const s of stubs) {
      expect(files.get(s)).toContain('(* blackbox *)');
      expect(files.get(s), 'no tool waiver in delivered RTL').not.toMatch(/verilator\s+(lint_|public)/);
      const model = s.replace(/^rtl\//, 'sim-models/');
      expect(manifest.simulationFiles).toContain(model);
      expect(manifest.simulationFiles).not.toContain(s);
      const name = s.slice('rtl/'.length, -'.sv'.length);
      const desc = JSON.parse(files.get(`macros/${name}.json`)!);
      expect(desc.module).toBe(name);
      expect(readFileSync(join(dir, 'macros', `${name}.md`), 'utf8')).toContain('## Reference currents');
    }
    expect(readFileSync(join(dir, 'files.f'), 'utf8').trim().split('\n')).toEqual(manifest.files);
    expect(readFileSync(join(dir, 'tb.f'), 'utf8').trim().split('\n')).toEqual(manifest.testbenchFiles);

    // Lint: the synthesis view (stubs) and the simulation view (models).
    for (const list of [manifest.files, manifest.simulationFiles]) {
      await expectLintClean(dir, manifest.top, list);
    }

    // Synthesis keeps one black-box instance per macro and finds no problem around them.
    const { result } = await synthesizeRendered(files, manifest, 0);
    expect(result.problems).toEqual([]);
    const boxes = result.stats.total.blackBoxes;
    expect(Object.keys(boxes).sort()).toEqual(stubs.map((s) => s.slice('rtl/'.length, -'.sv'.length)).sort());
    expect(Object.values(boxes).every((n) => n === 1)).toBe(true);

    // Simulation with the behavioural models: Verilator against the golden model (stalls on), and the plain testbench in Icarus.
    const sim = await simulate(net, { xbar: 'macro', vectors: 24, stallProb: 0.3, seed: 5 });
    expect(sim.failed).toBe(0);
    expect(sim.passed).toBe(24);
    const tb = await execa('sh', ['-c', 'iverilog -g2012 -o tb.vvp -f tb.f && vvp -n tb.vvp'], { cwd: dir, reject: false, all: true });
    expect(tb.exitCode).toBe(0);
    expect(tb.all).toContain('PASS');
  }, TIMEOUT);
});

describe('macro interface description', () => {
  it('gives each threshold column its threshold minus bias as the reference, in unit cell currents', async () => {
    const net = loadNet('examples/tiny.json').net;
    const dir = join(mkdtempSync(join(tmpdir(), 'rram-gen-macro-')), 'out');
    const { files } = await buildRtl(net, { outDir: dir, xbar: 'macro', tbVectors: 1 });
    const c1 = net.layers.find((l) => l.name === 'c1')!;
    if (c1.type !== 'conv' || c1.activation.type !== 'threshold') throw new Error('tiny c1 is a threshold conv');
    const desc = JSON.parse(files.get('macros/tiny_c1_macro_c0.json')!);
    expect(desc.columns).toHaveLength(c1.outChannels);
    desc.columns.forEach((col: { channel: number; levels: number[]; referenceUnits: number[]; referenceMicroamps: number[] }, c: number) => {
      expect(col.channel).toBe(c);
      expect(col.levels).toEqual([c1.activation.type === 'threshold' ? c1.activation.thresholds[c] : NaN]);
      expect(col.referenceUnits).toEqual([col.levels[0] - c1.bias[c]]);
      // tiny has 3-bit weights: a 2-bit magnitude, one 2-bit cell per side (4 levels);
      // one weight unit is 0.15 V × (100 µS − 1 µS) / 3 = 4.95 µA.
      expect(col.referenceMicroamps[0]).toBeCloseTo(4.95 * col.referenceUnits[0], 6);
    });
    expect(desc.bitlinesPerColumn.map((b: { name: string; significance: number }) => [b.name, b.significance])).toEqual([['p0', 1], ['n0', 1]]);
    // 4 rows (1 input channel × 2×2 kernel) of input.bits each; one sensed bit per output channel.
    expect(desc.ports.map((p: { name: string; width: number }) => [p.name, p.width])).toEqual([['clk_i', 1], ['en_i', 1], ['x_i', 4 * net.input.bits], ['y_o', 2]]);
  });
});
