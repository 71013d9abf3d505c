// `rram-gen synth` as users run it: exit codes, output folder, report section.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'rram-gen.js');
const run = (...args: string[]) => execa('node', [BIN, ...args], { reject: false });

/**
 * Which Yosys `synth` (--yosys auto) runs on this machine, found here rather
 * than by the code under test: the system's when it is 0.55 or newer (the
 * first whose figures agree with npm's), else npm's, whose version is its
 * package's major.minor (@yowasp/yosys 0.55.944 is Yosys 0.55).
 */
async function expectedYosys(): Promise<{ from: 'system' | 'npm'; version: string }> {
  const r = await execa('yosys', ['-V'], { reject: false });
  const m = /Yosys (\d+)\.(\d+)/.exec(r.stdout ?? '');
  if (r.exitCode === 0 && m !== null && (Number(m[1]) > 0 || Number(m[2]) >= 55)) return { from: 'system', version: `${m[1]}.${m[2]}` };
  const npm = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'node_modules', '@yowasp', 'yosys', 'package.json'), 'utf8')) as { version: string };
  return { from: 'npm', version: npm.version.split('.').slice(0, 2).join('.') };
}

describe('rram-gen synth (CLI)', () => {
  it('bad input: one line per problem, exit 2, no output folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-gen-synth-'));
    const doc = JSON.parse(readFileSync('examples/tiny.json', 'utf8'));
    doc.layers[0].weights.pop();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(doc));
    const out = join(dir, 'out');
    const r = await run('synth', bad, '-o', out);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/bad\.json#\/layers\/0\/weights: error: .* \[weight-count\]$/)]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown target is a usage error (exit 2)', async () => {
    const r = await run('synth', 'examples/tiny.json', '--target', 'xc7');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/target/);
  });

  it('synthesizes tiny: exit 0, synth.json, and the report section', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rram-gen-synth-')), 'tiny');
    const r = await run('synth', 'examples/tiny.json', '-o', out, '--quiet');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    const s = JSON.parse(readFileSync(join(out, 'synth.json'), 'utf8'));
    expect(s.ok).toBe(true);
    expect(s.target).toBe('generic');
    expect(s.weights).toBe(32); // c1: 2 outputs × 1 channel × 2×2 = 8, d1: 3 × 8 = 24
    const want = await expectedYosys();
    expect(s.yosysFrom).toBe(want.from);
    expect(s.yosys === want.version || s.yosys.startsWith(`${want.version}+`), s.yosys).toBe(true); // 0.55, or a dev build 0.55+12
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain(want.from === 'npm'
      ? `## Synthesis (Yosys ${s.yosys} from npm, target generic)`
      : `## Synthesis (Yosys ${s.yosys} from the system, target generic)`);
    expect(report).toContain(`${s.stats.total.luts} LUTs`);
    expect(existsSync(join(out, 'synth.log'))).toBe(true);
    expect(readFileSync(join(out, 'synth.log'), 'utf8')).not.toMatch(/CPU: user/);
  }, 600_000);
});
