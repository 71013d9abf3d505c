// `rram-gen synth`: build a network's RTL and synthesize it with Yosys
// (the system's, or npm's @yowasp/yosys in WebAssembly: src/synth/yosys.ts). Writes the whole build folder plus
// synth.json, synth.log and a Synthesis section in report.md, atomically.
import { type BuildOptions, renderBuildWithReports } from '../emit/build.js';
import { writeTreeAtomically } from '../emit/writer.js';
import type { NetIR } from '../ir/types.js';
import { summarize } from '../plan/summary.js';
import { withSynthSection } from './report-section.js';
import { type SynthResult, type SynthRunOptions, synthesizeRendered } from './run.js';
import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';

export { SYNTH_TARGETS, type SynthTarget, synthScript } from './script.js';
export { parseStat, type SynthStats, type CellFigures, type ModuleFigures } from './stats.js';
export { synthesizeRendered, type SynthResult, type SynthRunOptions } from './run.js';
export { synthSection, withSynthSection } from './report-section.js';
export { YOSYS_CHOICES, type YosysChoice, MIN_SYSTEM_YOSYS, AUTO_SYSTEM_YOSYS, findYosys, systemYosysVersion, npmYosysInstalled } from './yosys.js';

/** Lines of the Yosys log that differ between runs of the same input (times, memory). */
const VOLATILE = /CPU: user|Time spent|MEM: |^\s*\d+\.\d+% \d+ calls?/;

export async function synthNet(net: NetIR, opts: BuildOptions & SynthRunOptions = {}): Promise<{ result: SynthResult; outDir: string; warnings: Diagnostic[] }> {
  const outDir = resolve(opts.outDir ?? `rtl-out/${net.name}`);
  const built = await renderBuildWithReports(net, opts);
  const weights = opts.xbar === 'macro' ? 0 : summarize(built.plan).totalWeights;
  const { result, log } = await synthesizeRendered(built.files, built.manifest, weights, opts);
  built.files.set('synth.json', `${JSON.stringify(result, null, 2)}\n`);
  built.files.set('synth.log', `${log.split('\n').filter((l) => !VOLATILE.test(l)).join('\n')}`);
  const report = built.files.get('report.md');
  if (report !== undefined) built.files.set('report.md', withSynthSection(report, result));
  writeTreeAtomically(outDir, built.files);
  return { result, outDir, warnings: built.warnings };
}
