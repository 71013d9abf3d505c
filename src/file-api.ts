// The library's file-level entry points: what each CLI command does to a
// net.json, callable without spawning a process. Kept apart from index.ts (the
// whole library) so a command loads only what it runs: sim and synth load
// Verilator's and Yosys's wrappers when called, not when this file is loaded.
import { resolve } from 'node:path';
import { loadNet, type NetIR } from './ir/index.js';
import { type Diagnostic, RramGenError } from './diagnostics/index.js';
import { planNet, summarize, type HwPlan, type NetSummary } from './plan/index.js';
import { runBatch, type RunResult } from './golden/index.js';
import { readVectors, readIdxLabels } from './golden/vectors.js';
import { type BuildOptions, type RenderedBuild, buildRtl } from './emit/build.js';
import { recoverOutputFolder } from './emit/writer.js';
import type { SimOptions, SimReport } from './sim/simulate.js';
import type { SynthResult, SynthRunOptions } from './synth/index.js';
import { type Estimate, type EstimateOptions, type LoadedTech, estimatePlan, loadDefaultTech, loadTechFile, resolveOptions } from './estimate/index.js';

export interface ValidateResult { net: NetIR; plan: HwPlan; summary: NetSummary; warnings: Diagnostic[] }

/** Load and check a net.json, and summarize its mapping onto crossbar tiles. */
export function validateNetFile(path: string): ValidateResult {
  const { net, warnings } = loadNet(path);
  const plan = planNet(net);
  return { net, plan, summary: summarize(plan), warnings };
}

export interface InferOptions { trace?: boolean; skip?: number; count?: number; labels?: string }
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
  const skip = opts.skip ?? 0;
  const inputs = readVectors(inputPath, net, { skip, count: opts.count });
  const results = runBatch(net, inputs, { trace: opts.trace });
  let accuracy: InferResult['accuracy'];
  if (opts.labels !== undefined) {
    const labels = readLabelsFor(opts.labels, skip, inputs.length);
    let correct = 0;
    results.forEach((r, i) => { if (r.answer === labels[i]) correct++; });
    accuracy = { correct, total: results.length };
  }
  return { net, warnings, results, accuracy };
}

export interface BuildFileOptions extends Omit<BuildOptions, 'inputs'> {
  inputFile?: string;
  /** Vectors of `inputFile` left out at its start, and how many to take after them (default all). */
  skip?: number;
  count?: number;
}

/** `rram-gen build`: validate a net.json and write its output folder. */
export async function buildNetFile(netPath: string, opts: BuildFileOptions & { techFile?: string } = {}): Promise<RenderedBuild & { outDir: string; warnings: Diagnostic[] }> {
  recoverGivenOutputFolder(opts.outDir);
  const { net, warnings } = loadNet(netPath);
  const inputs = opts.inputFile !== undefined ? readVectors(opts.inputFile, net, { skip: opts.skip ?? 0, count: opts.count }) : undefined;
  const tech = opts.techFile !== undefined ? loadTechFile(opts.techFile) : undefined;
  const built = await buildRtl(net, { ...opts, ...(inputs ? { inputs } : {}), ...(tech ? { tech } : {}) });
  return { ...built, warnings: [...warnings, ...built.warnings] };
}

/**
 * A build killed between its two renames left no output folder: the file
 * entry points put the previous one back before reading their input, so even
 * a run that then fails on bad input leaves it there (src/emit/writer.ts).
 * Only for a folder given outright: the default one is named after the net.
 */
function recoverGivenOutputFolder(outDir: string | undefined): void {
  if (outDir !== undefined) recoverOutputFolder(resolve(outDir));
}

export interface SimFileOptions extends Omit<SimOptions, 'inputs' | 'labels'> {
  inputFile?: string;
  labelsFile?: string;
  /** Vectors of `inputFile` left out at its start; a mismatch is still reported by its number in the file. */
  skip?: number;
  count?: number;
}

/** `rram-gen sim`: validate a net.json, then run its RTL in Verilator against the golden model. */
export async function simulateNetFile(netPath: string, opts: SimFileOptions = {}): Promise<{ report: SimReport; warnings: Diagnostic[] }> {
  const { net, warnings } = loadNet(netPath);
  const skip = opts.inputFile !== undefined ? opts.skip ?? 0 : 0;
  const inputs = opts.inputFile !== undefined ? readVectors(opts.inputFile, net, { skip, count: opts.count }) : undefined;
  const labels = opts.labelsFile !== undefined ? readLabelsFor(opts.labelsFile, skip, inputs?.length ?? opts.vectors ?? (await import('./sim/simulate.js')).DEFAULT_SIM_VECTORS) : undefined;
  const { simulate } = await import('./sim/simulate.js');
  const report = await simulate(net, { ...opts, ...(inputs ? { inputs } : {}), ...(labels ? { labels } : {}) });
  if (report.firstMismatch) report.firstMismatch.image += skip;
  return { report, warnings };
}

export interface SynthFileOptions extends Omit<BuildOptions, 'inputs'>, SynthRunOptions {}

/** `rram-gen synth`: validate a net.json, write its build folder and synthesize the RTL with Yosys. */
export async function synthNetFile(netPath: string, opts: SynthFileOptions = {}): Promise<{ result: SynthResult; outDir: string; warnings: Diagnostic[] }> {
  recoverGivenOutputFolder(opts.outDir);
  const { net, warnings } = loadNet(netPath);
  const { synthNet } = await import('./synth/index.js');
  const r = await synthNet(net, opts);
  return { ...r, warnings: [...warnings, ...r.warnings] };
}

export interface EstimateFileOptions extends EstimateOptions {
  /** A technology table file (rram-gen/tech@1); the shipped default when absent. */
  tech?: string;
}
export interface EstimateFileResult { net: NetIR; plan: HwPlan; estimate: Estimate; warnings: Diagnostic[]; /** The table costed (for estimate --sweep, which varies it). */ tech: LoadedTech }

/** Load a net.json and a technology table, plan the net and cost it against the multi-bit baselines. */
export function estimateNetFile(path: string, opts: EstimateFileOptions = {}): EstimateFileResult {
  const { tech, ...options } = opts;
  const resolved = resolveOptions(options);
  const { net, warnings } = loadNet(path);
  const loadedTech = tech === undefined ? loadDefaultTech() : loadTechFile(tech);
  const plan = planNet(net, loadedTech.table.device !== undefined ? { bitsPerCell: loadedTech.table.device.bitsPerCell } : {});
  const estimate = estimatePlan(plan, loadedTech, resolved);
  return { net, plan, estimate, warnings: [...warnings, ...estimate.warnings], tech: loadedTech };
}

/** The IDX labels of the `count` input vectors that follow the first `skip`. */
function readLabelsFor(path: string, skip: number, count: number): Uint8Array {
  const labels = readIdxLabels(path);
  if (labels.length < skip + count) {
    throw RramGenError.of('vectors-shape', 'header', `${labels.length} labels for ${skip + count} input vectors`, path);
  }
  return labels.subarray(skip, skip + count);
}
