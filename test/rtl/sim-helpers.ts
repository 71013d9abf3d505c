// Shared by the RTL regression files: simulate a net and expect a bit-exact
// match, with the seed and the first mismatch in the failure message.
import { expect } from 'vitest';
import type { NetIR } from '../../src/ir/types.js';
import { simulate, type SimReport } from '../../src/sim/simulate.js';

export async function expectBitExact(net: NetIR, opts: { vectors: number; seed: number; stallProb: number }): Promise<SimReport> {
  const report = await simulate(net, opts);
  const where = report.firstMismatch ? `${report.firstMismatch.layer}: ${report.firstMismatch.detail}` : '';
  expect(report.failed, `${net.name} (seed ${opts.seed}, stalls ${opts.stallProb}): ${where}`).toBe(0);
  expect(report.passed).toBe(opts.vectors);
  return report;
}
