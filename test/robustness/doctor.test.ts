// `rram-gen doctor` as users run it, with PATH narrowed to hide tools or to
// put a fake, too-old Verilator first.
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN } from './cli-contract.js';

interface Report { ok: boolean; tools: { tool: string; ok: boolean; neededByTests: boolean; problem?: string; install: string; version?: string }[] }

const doctor = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  execa(process.execPath, [BIN, 'doctor', ...args], { reject: false, env, extendEnv: false });

/** A PATH holding only `node` (and whatever `extra` scripts are given). */
function narrowPath(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'rram-gen-path-'));
  symlinkSync(process.execPath, join(dir, 'node'));
  for (const [name, script] of Object.entries(extra)) {
    writeFileSync(join(dir, name), script);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('rram-gen doctor', () => {
  it('finds every tool the tests need on this machine and exits 0', async () => {
    const r = await doctor(process.env, '--json');
    const report = JSON.parse(r.stdout) as Report;
    expect(report.tools.map((t) => t.tool)).toEqual(expect.arrayContaining(['node', 'verilator', 'iverilog', 'chromium', 'yosys (npm @yowasp/yosys)']));
    expect(report.tools.filter((t) => t.neededByTests && !t.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(r.exitCode).toBe(0);
    const verilator = report.tools.find((t) => t.tool === 'verilator')!;
    expect(verilator.version).toMatch(/^5\.\d{3}$/);
  });

  it('with the system tools hidden: names each, says how to install it, exits 1', async () => {
    const r = await doctor({ PATH: narrowPath(), HOME: process.env.HOME });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^verilator +MISSING/m);
    expect(r.stdout).toMatch(/^iverilog +MISSING/m);
    expect(r.stdout).toMatch(/^chromium +missing \(optional\)/m);
    expect(r.stdout).toContain('verilator: verilator not found on PATH\n  install: sudo apt-get install -y verilator');
    expect(r.stdout).toContain('install: sudo apt-get install -y iverilog');
    expect(r.stdout).toContain('install: sudo apt-get install -y g++ make');
    expect(r.stdout).toMatch(/missing for the tests: verilator, c\+\+ compiler and make, iverilog$/);
    // Tools that come from npm do not depend on PATH.
    expect(r.stdout).toMatch(/^yosys \(npm @yowasp\/yosys\) +ok/m);
    expect(r.stderr).toBe('');
  });

  it('refuses a Verilator older than 5.006 with the reason', async () => {
    const path = narrowPath({ verilator: '#!/bin/sh\necho "Verilator 4.038 2020-07-11 rev v4.036-114-g0cd4a57ad"\n' });
    const r = await doctor({ PATH: path, HOME: process.env.HOME }, '--json');
    expect(r.exitCode).toBe(1);
    const verilator = (JSON.parse(r.stdout) as Report).tools.find((t) => t.tool === 'verilator')!;
    expect(verilator.ok).toBe(false);
    expect(verilator.problem).toMatch(/4\.038 is too old \(5\.006 or newer needed\)/);
  });
});
