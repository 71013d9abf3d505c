// The library API: everything the CLI does, callable without spawning a process.
import { loadNet, type NetIR } from './ir/index.js';
import type { Diagnostic } from './diagnostics/index.js';
import { planNet, summarize, type HwPlan, type NetSummary } from './plan/index.js';
import { runBatch, type RunResult } from './golden/index.js';
import { readVectors, readIdxLabels } from './golden/vectors.js';

export * from './diagnostics/index.js';
export * from './ir/index.js';
export * from './plan/index.js';
export * from './golden/index.js';
export { GENERATOR_NAME, GENERATOR_VERSION } from './package-info.js';

export interface ValidateResult { net: NetIR; plan: HwPlan; summary: NetSummary; warnings: Diagnostic[] }

/** Load and check a net.json, and summarize its mapping onto crossbar tiles. */
export function validateNetFile(path: string): ValidateResult {
  const { net, warnings } = loadNet(path);
  const plan = planNet(net);
  return { net, plan, summary: summarize(plan), warnings };
}

export interface InferOptions { trace?: boolean; count?: number; labels?: string }
export interface InferResult {
  net: NetIR;
  warnings: Diagnostic[];
  results: RunResult[];
  /** Accuracy against the labels file, when one was given. */
  accuracy?: { correct: number; total: number };
}

/** Run the golden model on every vector of an input file (text vectors or IDX images). */
export function inferFile(netPath: string, inputPath: string, opts: InferOptions = {}): InferResult {
  const { net, warnings } = loadNet(netPath);
  const inputs = readVectors(inputPath, net, { count: opts.count });
  const results = runBatch(net, inputs, { trace: opts.trace });
  let accuracy: InferResult['accuracy'];
  if (opts.labels !== undefined) {
    const labels = readIdxLabels(opts.labels);
    let correct = 0;
    results.forEach((r, i) => { if (r.answer === labels[i]) correct++; });
    accuracy = { correct, total: results.length };
  }
  return { net, warnings, results, accuracy };
}
