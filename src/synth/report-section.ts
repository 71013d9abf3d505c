// The "Synthesis" section of report.md, present only after `rram-gen synth`
// (plain `build` stays fast and never runs Yosys). Replaces an earlier
// section of the same target, so re-running synth updates it in place.
import { mdEscape } from '../report/markdown.js';
import { groupDigits } from '../report/format.js';
import type { SynthResult } from './run.js';

const begin = (target: string) => `<!-- synth:${target}:begin -->`;
const end = (target: string) => `<!-- synth:${target}:end -->`;

export function synthSection(r: SynthResult): string {
  const t = r.stats.total;
  const out: string[] = [begin(r.target), `## Synthesis (Yosys ${mdEscape(r.yosys)} from ${r.yosysFrom === 'npm' ? 'npm' : 'the system'}, target ${r.target})`, ''];
  out.push(`Written by \`rram-gen synth --target ${r.target}\` (per module, not flattened; figures in synth.json, log in synth.log).`, '');
  out.push(`- Result: ${r.ok ? 'no latches, no undriven signals, no combinational loops' : `**${r.problems.length} problem(s)**: ${r.problems.map(mdEscape).join('; ')}`}`);
  out.push(`- Total: ${groupDigits(t.cells)} cells, ${groupDigits(t.luts)} LUTs, ${groupDigits(t.flipFlops)} flip-flops, ${groupDigits(t.memoryBits)} memory bits`);
  if (r.lutsPerWeight !== null) out.push(`- ${groupDigits(r.weights)} weights: ${r.lutsPerWeight} LUTs per weight`);
  const boxes = Object.entries(t.blackBoxes);
  if (boxes.length > 0) out.push(`- Black boxes (crossbar macros, not synthesized): ${boxes.map(([m, n]) => `${mdEscape(m)} ×${n}`).join(', ')}`);
  out.push('');
  out.push('| module | instances | cells | LUTs | flip-flops | memory bits |', '|---|---:|---:|---:|---:|---:|');
  const used = new Map<string, number>([[r.top, 1]]);
  for (const m of r.stats.modules) for (const [sub, n] of Object.entries(m.instances)) used.set(sub, (used.get(sub) ?? 0) + n);
  for (const m of r.stats.modules) {
    out.push(`| ${mdEscape(m.module)} | ${used.get(m.module) ?? 0} | ${groupDigits(m.cells)} | ${groupDigits(m.luts)} | ${groupDigits(m.flipFlops)} | ${groupDigits(m.memoryBits)} |`);
  }
  out.push('', 'Per-module figures count a module\'s own cells once; the total counts every instance.', end(r.target), '');
  return out.join('\n');
}

/** report.md with the section for this target added or replaced. */
export function withSynthSection(report: string, r: SynthResult): string {
  const section = synthSection(r);
  const a = report.indexOf(begin(r.target));
  const b = report.indexOf(end(r.target));
  if (a >= 0 && b > a) return report.slice(0, a) + section + report.slice(b + end(r.target).length + 1);
  return `${report.replace(/\n*$/, '\n\n')}${section}`;
}
