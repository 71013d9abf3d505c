// `rram-gen sim`: build the network's RTL with Verilator, stream input
// vectors through it (with random stalls if asked), and compare every
// inter-layer beat and every result with the golden model.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RramGenError } from '../diagnostics/index.js';
import { renderBuild } from '../emit/build.js';
import type { XbarForm } from '../emit/xbar-form.js';
import { pixelLines } from '../emit/vectors-hex.js';
import { type RunResult, randomInputs, runBatch } from '../golden/index.js';
import type { NetIR } from '../ir/types.js';
import { loadExeca } from '../lazy-execa.js';
import { type Mismatch, compareRun } from './compare.js';
import { parseHarnessLogFile } from './harness-log.js';
import { watchResults } from './log-progress.js';
import { buildVerilatorModel } from './verilator-build.js';

export interface SimOptions {
  /** Input vectors; default `vectors` random ones drawn from `seed`. */
  inputs?: Int32Array[];
  vectors?: number;
  seed?: number;
  /** Probability per cycle that the source idles and that the sink is not ready. */
  stallProb?: number;
  /** Labels of the inputs, to report the accuracy measured on the RTL. */
  labels?: Uint8Array;
  /** Simulate a `--xbar macro` build (the macros' behavioural models stand in for the black boxes). */
  xbar?: XbarForm;
  /** false: build the Verilator model in a temporary folder, removed afterwards, instead of the cache (src/sim/verilator-build.ts). */
  cache?: boolean;
  onProgress?: (msg: string) => void;
}

export interface SimReport {
  network: string;
  images: number;
  passed: number;
  failed: number;
  /** The first difference, at the earliest layer of the first failing image. */
  firstMismatch?: Mismatch;
  cycles: { total: number; perImageMeasured?: number; perImageBound: number; ratio?: number };
  model: { hash: string; cached: boolean; buildSeconds: number };
  simSeconds: number;
  accuracy?: { rtl: number; golden: number; total: number };
}

/** Random input vectors simulated when none are given. */
export const DEFAULT_SIM_VECTORS = 16;

export async function simulate(net: NetIR, opts: SimOptions = {}): Promise<SimReport> {
  if (opts.cache !== false) return simulateWith(net, opts);
  const root = mkdtempSync(join(tmpdir(), 'rram-gen-no-cache-'));
  try {
    return await simulateWith(net, opts, root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function simulateWith(net: NetIR, opts: SimOptions, cacheDir?: string): Promise<SimReport> {
  const seed = opts.seed ?? 1;
  const inputs = opts.inputs ?? randomInputs(net, opts.vectors ?? DEFAULT_SIM_VECTORS, seed);
  if (inputs.length === 0) throw RramGenError.of('usage', '', 'no input vectors to simulate');
  const golden = runBatch(net, inputs, { trace: true });
  const { plan, files, manifest } = renderBuild(net, { inputs: inputs.slice(0, 1), xbar: opts.xbar });
  const model = await buildVerilatorModel(files, manifest.simulationFiles, manifest.simulationData, {
    top: manifest.top,
    inBits: manifest.ports.input.width,
    pixels: manifest.ports.input.beatsPerImage,
    classBits: plan.output.classBits,
    valueBits: plan.output.values * plan.output.bits,
    taps: manifest.stages.map((s, i) => ({ index: i + 1, width: s.channels * s.bitsPerValue, beats: s.beatsPerImage })),
  }, opts.onProgress, cacheDir);

  const work = mkdtempSync(join(tmpdir(), 'rram-gen-sim-'));
  try {
    writeFileSync(join(work, 'vectors.hex'), pixelLines(net, inputs));
    const stall = opts.stallProb ?? 0;
    const maxCycles = 8 * (inputs.length + plan.stages.length + 4) * plan.cyclesPerImage + 10_000;
    opts.onProgress?.(`simulating ${inputs.length} vectors…`);
    const stopWatch = opts.onProgress ? watchResults(join(work, 'sim.log'), inputs.length, opts.onProgress) : undefined;
    const execa = await loadExeca();
    const started = performance.now();
    const r = await execa(model.binary, [
      `+vectors=${join(work, 'vectors.hex')}`, `+log=${join(work, 'sim.log')}`,
      `+stall_in=${stall}`, `+stall_out=${stall}`, `+seed=${seed}`, `+max_cycles=${maxCycles}`,
    ], { cwd: model.dir, reject: false, all: true }).finally(() => stopWatch?.());
    const simSeconds = (performance.now() - started) / 1000;
    if (r.exitCode !== 0 && r.exitCode !== 3) {
      throw RramGenError.of('tool-failed', '', `the Verilator model exited with ${r.exitCode}: ${(r.all ?? '').slice(-300)}`);
    }
    const log = parseHarnessLogFile(join(work, 'sim.log'));
    const outcome = compareRun(net, plan, golden, log);
    const times = log.results.map((x) => x.cycle);
    // Steady state: the spacing of results after the first (which includes the pipeline fill).
    const perImage = times.length >= 3 ? (times[times.length - 1] - times[0]) / (times.length - 1) : undefined;
    return {
      network: net.name,
      images: inputs.length,
      passed: outcome.passed,
      failed: inputs.length - outcome.passed,
      ...(outcome.firstMismatch ? { firstMismatch: outcome.firstMismatch } : {}),
      cycles: {
        total: log.cycles,
        perImageBound: plan.cyclesPerImage,
        ...(perImage !== undefined ? { perImageMeasured: perImage, ratio: perImage / plan.cyclesPerImage } : {}),
      },
      model: { hash: model.hash, cached: model.cached, buildSeconds: model.buildSeconds },
      simSeconds,
      ...(opts.labels ? { accuracy: accuracyOf(golden, log.results.map((x) => x.class), opts.labels) } : {}),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function accuracyOf(golden: RunResult[], rtlClasses: number[], labels: Uint8Array): SimReport['accuracy'] {
  let rtl = 0;
  let gold = 0;
  golden.forEach((g, i) => {
    if (rtlClasses[i] === labels[i]) rtl++;
    if (g.answer === labels[i]) gold++;
  });
  return { rtl, golden: gold, total: golden.length };
}
