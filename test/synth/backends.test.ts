// The two Yosys builds `rram-gen synth` can run (the system's, npm's
// WebAssembly one) must give the same figures on the synth tests' nets, and
// --yosys picks one or says in one line why it cannot.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { renderBuild } from '../../src/emit/build.js';
import { randomNet } from '../../src/golden/index.js';
import { loadNet, type NetIR } from '../../src/ir/index.js';
import { summarize } from '../../src/plan/index.js';
import { AUTO_SYSTEM_YOSYS, type SynthStats, type SynthTarget, findYosys, npmYosysInstalled, synthesizeRendered, systemYosysVersion } from '../../src/synth/index.js';
import { installWithout } from '../cli/install-without.js';

const TIMEOUT = 600_000;
const system = await systemYosysVersion();
const why = [...('problem' in system ? [system.problem] : []), ...(npmYosysInstalled() ? [] : ['@yowasp/yosys not installed'])];
const both = why.length === 0;

const nets: [string, () => NetIR][] = [
  ['examples/tiny.json', () => loadNet('examples/tiny.json').net],
  ['random net 91 (conv, maxpool, ADC)', () => randomNet(91, { maxWeights: 600 })],
];
const targets: SynthTarget[] = ['generic', 'ice40'];

/**
 * Where two Yosys builds may differ: ABC's LUT mapping (a LUT here or there).
 * State (flip-flops, memory bits), black boxes and the module hierarchy must be equal.
 */
function disagreements(a: SynthStats, b: SynthStats): string[] {
  const out: string[] = [];
  const lutsClose = (x: number, y: number) => Math.abs(x - y) <= Math.max(2, 0.01 * Math.max(x, y));
  const same = (what: string, x: unknown, y: unknown) => { if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${what}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`); };
  same('modules', a.modules.map((m) => m.module), b.modules.map((m) => m.module));
  for (const m of a.modules) {
    const n = b.modules.find((x) => x.module === m.module);
    if (n === undefined) continue;
    same(`${m.module} flip-flops`, m.flipFlops, n.flipFlops);
    same(`${m.module} memory bits`, m.memoryBits, n.memoryBits);
    same(`${m.module} instances`, m.instances, n.instances);
    same(`${m.module} black boxes`, m.blackBoxes, n.blackBoxes);
    if (!lutsClose(m.luts, n.luts)) out.push(`${m.module} LUTs: ${m.luts} vs ${n.luts}`);
  }
  same('total flip-flops', a.total.flipFlops, b.total.flipFlops);
  same('total memory bits', a.total.memoryBits, b.total.memoryBits);
  if (Math.abs(a.total.luts - b.total.luts) > 0.005 * Math.max(a.total.luts, b.total.luts)) out.push(`total LUTs: ${a.total.luts} vs ${b.total.luts}`);
  return out;
}

/** Why `auto` would not take the system Yosys for this target (so there is nothing to compare), or undefined. */
function skipReason(target: SynthTarget): string | undefined {
  if (why.length > 0) return why.join('; ');
  const min = AUTO_SYSTEM_YOSYS[target];
  const v = (system as { parts: [number, number] }).parts;
  if (v[0] < min[0] || (v[0] === min[0] && v[1] < min[1])) return `system Yosys ${v.join('.')} is older than ${min.join('.')}, so auto never uses it for ${target}`;
  return undefined;
}

describe.each(nets)('synth %s', (_, makeNet) => {
  for (const target of targets) {
    const skip = skipReason(target);
    it.skipIf(skip !== undefined)(`target ${target}: system Yosys and npm Yosys give the same figures${skip === undefined ? '' : ` (SKIPPED: ${skip})`}`, async () => {
      const net = makeNet();
      const { files, manifest, plan } = renderBuild(net, { tbVectors: 1 });
      const weights = summarize(plan).totalWeights;
      const sys = await synthesizeRendered(files, manifest, weights, { target, yosys: 'system' });
      const npm = await synthesizeRendered(files, manifest, weights, { target, yosys: 'npm' });
      expect(sys.result.yosysFrom).toBe('system');
      expect(npm.result.yosysFrom).toBe('npm');
      expect(sys.result.problems).toEqual([]);
      expect(npm.result.problems).toEqual([]);
      expect(disagreements(sys.result.stats, npm.result.stats)).toEqual([]);
    }, TIMEOUT);
  }
});

describe('auto', () => {
  // A stand-in system `yosys` on PATH printing each version (none: no yosys at
  // all). auto takes the system's from 0.55 on, the first whose figures agree
  // with npm's, for every target; before that, npm's.
  const cases: [string | undefined, 'system' | 'npm'][] = [
    [undefined, 'npm'], ['0.23', 'npm'], ['0.54', 'npm'], ['0.55', 'system'], ['0.60', 'system'], ['1.2', 'system'],
  ];
  it.skipIf(!npmYosysInstalled())(`takes the system Yosys when it is 0.55 or newer, else npm's${npmYosysInstalled() ? '' : ' (SKIPPED: @yowasp/yosys not installed)'}`, async () => {
    const path = process.env.PATH;
    try {
      for (const [version, from] of cases) {
        const dir = mkdtempSync(join(tmpdir(), 'rram-gen-yosys-'));
        if (version !== undefined) {
          writeFileSync(join(dir, 'yosys'), `#!/bin/sh\necho "Yosys ${version} (git sha1 0000000)"\n`);
          chmodSync(join(dir, 'yosys'), 0o755);
        }
        process.env.PATH = dir;
        for (const target of targets) expect((await findYosys('auto', target)).from, `${version ?? 'no'} system Yosys, ${target}`).toBe(from);
      }
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('choosing the Yosys', () => {
  const BIN = (dir: string) => join(dir, 'bin', 'rram-gen.js');
  const ROOT = join(import.meta.dirname, '..', '..');

  it('without @yowasp/yosys nor a system Yosys: one line naming both installs, exit 2', async () => {
    const dir = installWithout(['@yowasp/yosys']);
    for (const choice of ['auto', 'npm', 'system']) {
      // PATH without yosys (node is run by its full path).
      const r = await execa(process.execPath, [BIN(dir), 'synth', join(ROOT, 'examples/tiny.json'), '-o', join(dir, 'out'), '--yosys', choice],
        { cwd: dir, reject: false, env: { PATH: '/nonexistent' }, extendEnv: false });
      expect(r.exitCode, choice).toBe(2);
      expect(r.stderr, choice).toMatch(/^error: [^\n]*(npm install @yowasp\/yosys|apt-get install -y yosys)[^\n]* \[tool-missing\]$/);
    }
  });

  it.skipIf('problem' in system)(`--yosys system runs the system Yosys${'problem' in system ? ` (SKIPPED: ${system.problem})` : ''}`, async () => {
    const dir = installWithout(['@yowasp/yosys']);
    const r = await execa(process.execPath, [BIN(dir), 'synth', join(ROOT, 'examples/tiny.json'), '-o', join(dir, 'out'), '--json'], { cwd: dir, reject: false });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).synth).toMatchObject({ yosysFrom: 'system', yosys: 'version' in system ? system.version : '', ok: true });
  }, TIMEOUT);
});
