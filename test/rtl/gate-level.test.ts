// Gate-level proof: the system Yosys synthesizes the generated RTL
// (`synth -flatten`, `write_verilog -noattr`), and the emitted testbench,
// unchanged, simulates the netlist under Icarus with Yosys's own cell
// models (simcells.v, simlib.v): every image must match the golden model.
// A netlist with one output bit inverted must FAIL, so the check can fail.
// Needs yosys, iverilog and vvp on PATH (Debian: apt-get install yosys
// iverilog); RRAM_GEN_SKIP_RTL=1 skips it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderBuild } from '../../src/emit/build.js';
import { randomNet } from '../../src/golden/index.js';
import { type NetIR, loadNet } from '../../src/ir/index.js';

const SKIP = process.env.RRAM_GEN_SKIP_RTL === '1';
const YOSYS_SHARE = '/usr/share/yosys';
const work = mkdtempSync(join(tmpdir(), 'rram-gen-gl-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync('nice', [cmd, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 << 20 }) };
  } catch (e) {
    const x = e as { status?: number; stdout?: string; stderr?: string };
    return { code: x.status ?? 1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

/** Writes the build of `net`, synthesizes it flat, and returns the folder (with netlist.v and tb-gl.f). */
function synthesize(net: NetIR, tag: string): string {
  const dir = join(work, tag);
  const { files, manifest } = renderBuild(net, { tbVectors: 4, seed: 3 });
  for (const [p, text] of files) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  const y = run('yosys', ['-q', '-p', `read_verilog -sv ${manifest.files.join(' ')}; synth -flatten -top ${manifest.top}; write_verilog -noattr netlist.v`], dir);
  expect(y.code, y.out).toBe(0);
  const tb = manifest.testbenchFiles.filter((f) => !manifest.simulationFiles.includes(f));
  writeFileSync(join(dir, 'tb-gl.f'), ['netlist.v', `${YOSYS_SHARE}/simcells.v`, `${YOSYS_SHARE}/simlib.v`, ...tb, ''].join('\n'));
  return dir;
}

function simulate(dir: string): string {
  const c = run('iverilog', ['-g2012', '-o', 'gl.vvp', '-f', 'tb-gl.f'], dir);
  expect(c.code, c.out).toBe(0);
  return run('vvp', ['-n', 'gl.vvp'], dir).out;
}

const nets: [string, () => NetIR][] = [
  ['examples/tiny.json', () => loadNet('examples/tiny.json').net],
  ...[2, 5].map((s): [string, () => NetIR] => [`random net ${s}`, () => randomNet(s, { maxWeights: 200 })]),
];

describe.skipIf(SKIP)('Yosys netlists pass the emitted testbench', () => {
  it.each(nets)('%s', { timeout: 900_000 }, (name, make) => {
    const dir = synthesize(make(), name.replace(/\W+/g, '_'));
    const out = simulate(dir);
    expect(out).toMatch(/^PASS: 4 images match/m);
    if (name === 'examples/tiny.json') {
      // Invert bit 0 of the values in the netlist: the same testbench must fail.
      const netlist = readFileSync(join(dir, 'netlist.v'), 'utf8');
      const corrupted = netlist.replace(/assign out_values_o(\[0\])? = ([^;]+);/, (_m, bit, rhs) => `assign out_values_o${bit ?? ''} = (${rhs}) ^ 1'b1;`);
      expect(corrupted).not.toBe(netlist);
      writeFileSync(join(dir, 'netlist.v'), corrupted);
      const bad = simulate(dir);
      expect(bad).toMatch(/^FAIL/m);
      expect(bad).not.toMatch(/^PASS/m);
    }
  });
});
