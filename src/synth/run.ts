// Synthesizes a rendered build (its files.f RTL) with Yosys and judges the
// result: latches, `check` problems and Yosys errors make it fail.
import type { Manifest } from '../emit/build.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../package-info.js';
import { OUT, type SynthTarget, synthScript } from './script.js';
import { type SynthStats, parseCheck, parseLatches, parseStat } from './stats.js';
import { type YosysChoice, findYosys } from './yosys.js';
import type { YosysTree } from './yosys-worker.js';

export interface SynthResult {
  generator: string;
  version: string;
  network: string;
  top: string;
  target: SynthTarget;
  yosys: string;
  /** Which Yosys ran: the system's binary or the npm package's WebAssembly build. */
  yosysFrom: 'system' | 'npm';
  /** Crossbar weights built in logic (zeros included; none when the crossbars are macros) and the design's LUTs per weight. */
  weights: number;
  lutsPerWeight: number | null;
  stats: SynthStats;
  /** Latches, structural problems, Yosys errors; empty when synthesis passed. */
  problems: string[];
  ok: boolean;
}

export interface SynthRunOptions {
  target?: SynthTarget;
  /** Which Yosys: the system's when it is 0.23 or newer, else npm's (auto, the default); or either by name. */
  yosys?: YosysChoice;
  /** Sees the name of each Yosys pass as it starts (for a progress line). */
  onPass?: (pass: string) => void;
}

/** Yosys's full log next to the figures (synth.log). */
export interface SynthOutcome { result: SynthResult; log: string }

export async function synthesizeRendered(files: Map<string, string>, manifest: Manifest, weights: number, opts: SynthRunOptions = {}): Promise<SynthOutcome> {
  const target = opts.target ?? 'generic';
  const tree: YosysTree = {};
  for (const path of manifest.files) {
    const parts = path.split('/');
    let dir = tree;
    for (const p of parts.slice(0, -1)) dir = (dir[p] ??= {}) as YosysTree;
    dir[parts[parts.length - 1]] = files.get(path)!;
  }
  const script = synthScript(manifest.files, manifest.top, target);
  const yosys = await findYosys(opts.yosys ?? 'auto', target);
  const run = await yosys.run(['-p', script], tree, Object.values(OUT), (line) => {
    const pass = /^\d+(?:\.\d+)*\. Executing (.+?)\.?$/.exec(line);
    if (pass && opts.onPass) opts.onPass(pass[1]);
  });
  const problems: string[] = [];
  for (const l of run.log.split('\n')) if (/^ERROR:/.test(l)) problems.push(`Yosys ${l.trim()}`);
  const statText = run.files.get(OUT.stat);
  let stats: SynthStats = { modules: [], total: { cells: 0, luts: 0, flipFlops: 0, memoryBits: 0, byType: {}, blackBoxes: {} } };
  if (run.code === 0 && statText !== undefined) {
    stats = parseStat(statText);
    for (const cell of parseLatches(run.files.get(OUT.latches) ?? '')) problems.push(`latch: ${cell}`);
    const check = parseCheck(run.files.get(OUT.check) ?? '');
    for (const w of check.warnings) problems.push(`check: ${w.replace(/^Warning:\s*/, '')}`);
    if (check.count > check.warnings.length) problems.push(`check: ${check.count} problems reported (see synth.log)`);
  } else if (problems.length === 0) {
    problems.push(`Yosys exited with status ${run.code} (see synth.log)`);
  }
  const version = /Yosys (\d+\.\d+[^\s(]*)/.exec(run.log)?.[1] ?? 'unknown';
  const result: SynthResult = {
    generator: GENERATOR_NAME,
    version: GENERATOR_VERSION,
    network: manifest.network,
    top: manifest.top,
    target,
    yosys: version,
    yosysFrom: yosys.from,
    weights,
    lutsPerWeight: weights > 0 ? Math.round((stats.total.luts / weights) * 1000) / 1000 : null,
    stats,
    problems,
    ok: problems.length === 0,
  };
  return { result, log: run.log };
}
