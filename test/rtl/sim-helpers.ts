// Shared by the RTL test files: simulate a net and expect a bit-exact match,
// with the seed and the first mismatch in the failure message; lint a build.
import { execa } from 'execa';
import { expect } from 'vitest';
import type { NetIR } from '../../src/ir/types.js';
import { simulate, type SimReport } from '../../src/sim/simulate.js';

/** `verilator --lint-only -Wall` over a build folder's file list (files.f unless given) must print nothing. */
export async function expectLintClean(dir: string, top: string, files: string[] = ['-f', 'files.f'], context = ''): Promise<void> {
  const lint = await execa('verilator', ['--lint-only', '-Wall', '--top-module', top, ...files], { cwd: dir, reject: false, all: true });
  expect(lint.all, context).toBe('');
  expect(lint.exitCode, context).toBe(0);
}

export async function expectBitExact(net: NetIR, opts: { vectors: number; seed: number; stallProb: number }): Promise<SimReport> {
  const report = await simulate(net, opts);
  const where = report.firstMismatch ? `${report.firstMismatch.layer}: ${report.firstMismatch.detail}` : '';
  expect(report.failed, `${net.name} (seed ${opts.seed}, stalls ${opts.stallProb}): ${where}`).toBe(0);
  expect(report.passed).toBe(opts.vectors);
  return report;
}
