// `rram-gen setup` as users run it. The real machine for --check; for the
// install path, a PATH holding only node and a fake apt-get (and sudo) that
// records what it is asked and "installs" stand-in tools that print versions.
import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { planFrom } from '../../src/doctor/setup.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'rram-gen.js');
const setup = (path: string, ...args: string[]) =>
  execa(process.execPath, [BIN, 'setup', ...args], { reject: false, env: { PATH: path, HOME: process.env.HOME }, extendEnv: false });

const script = (dir: string, name: string, body: string) => {
  writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
};

/** Stand-ins for the tools apt-get would install: each prints what the real one prints for its version. */
const STAND_INS: Record<string, string> = {
  verilator: 'echo "Verilator 5.006 2023-01-22 rev (Debian 5.006-3)"',
  'c++': 'echo "c++ (Debian 12.2.0-14) 12.2.0"',
  make: 'echo "GNU Make 4.3"',
  iverilog: 'echo "Icarus Verilog version 11.0 (stable) ()"',
  vvp: 'echo "Icarus Verilog runtime version 11.0 (stable) ()"',
  yosys: 'echo "Yosys 0.23 (git sha1 7ce5011c24b)"',
  ccache: 'echo "ccache version 4.7.5"',
};

/** A PATH with node, sudo (runs its command) and an apt-get that logs its arguments and, if `installs`, adds the stand-ins. */
function fakeApt(installs: boolean): { path: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rram-gen-setup-'));
  const log = join(dir, 'apt.log');
  symlinkSync(process.execPath, join(dir, 'node'));
  script(dir, 'sudo', '[ "$1" = -n ] && shift\n"$@"');
  const put = Object.entries(STAND_INS).map(([name, body]) => `printf '%s\\n%s\\n' '#!/bin/sh' '${body.replace(/'/g, "'\\''")}' > "${dir}/${name}"; /bin/chmod +x "${dir}/${name}"`).join('\n');
  script(dir, 'apt-get', `echo "$@" >> "${log}"\n${installs ? `if [ "$1" = install ]; then\n${put}\nfi` : ''}\nexit 0`);
  return { path: dir, log };
}

describe('rram-gen setup', () => {
  it('--check on this machine: every tool present, exit 0', async () => {
    const r = await execa(process.execPath, [BIN, 'setup', '--check', '--json'], { reject: false });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; tools: { tool: string; ok: boolean }[] };
    expect(out.ok).toBe(true);
    expect(out.tools.filter((t) => ['verilator', 'c++ compiler and make', 'iverilog'].includes(t.tool)).every((t) => t.ok)).toBe(true);
  });

  it('--check with the tools missing: installs nothing, prints the exact command, exit 2', async () => {
    const { path, log } = fakeApt(true);
    const r = await setup(path, '--check');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('error: missing: verilator, c++ compiler and make, iverilog; install with: sudo apt-get update && sudo apt-get install -y verilator g++ make iverilog yosys ccache [tool-missing]');
    expect(existsSync(log)).toBe(false);
  });

  it('installs the missing tools with apt-get, checks again, exit 0', async () => {
    const { path, log } = fakeApt(true);
    const r = await setup(path);
    expect(r.stderr).not.toContain('error');
    expect(r.exitCode).toBe(0);
    const calls = readFileSync(log, 'utf8').split('\n').filter((l) => l !== '' && l !== '--version');
    expect(calls).toEqual(['update -qq', 'install -y -qq verilator g++ make iverilog yosys ccache']);
    expect(r.stdout).toMatch(/^verilator +ok +5\.006$/m);
    expect(r.stdout).toContain('ready:');
  });

  it('apt-get ran but the tools are still missing: one line, exit 1', async () => {
    const { path } = fakeApt(false);
    const r = await setup(path, '--quiet');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: apt-get ran, but verilator \(.*\), c\+\+ compiler and make \(.*\), iverilog \(.*\) still missing \[tool-failed\]$/);
  });

  const tool = (name: string, ok: boolean, apt: string[], neededByTests: boolean) => ({ tool: name, ok, apt, enables: '', neededByTests, install: '' });

  it('plans only the packages of missing tools; extras do not make it fail', () => {
    const plan = planFrom([tool('verilator', true, ['verilator'], true), tool('iverilog', true, ['iverilog'], true), tool('ccache', false, ['ccache'], false)]);
    expect(plan.missing).toEqual([]);
    expect(plan.packages).toEqual(['ccache']);
    expect(plan.command).toBe('sudo apt-get update && sudo apt-get install -y ccache');
  });

  it('a missing tool that the tests need makes the plan fail', () => {
    const iverilog = tool('iverilog', false, ['iverilog'], true);
    const plan = planFrom([tool('verilator', true, ['verilator'], true), iverilog, tool('ccache', false, ['ccache'], false)]);
    expect(plan.missing).toEqual([iverilog]);
    expect(plan.packages).toEqual(['iverilog', 'ccache']);
  });
});
