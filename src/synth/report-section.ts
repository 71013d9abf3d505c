// The "Synthesis" section of report.md, present only after `rram-gen synth`
// (plain `build` stays fast and never runs Yosys). Replaces an earlier
// section of the same target, so re-running synth updates it in place.
import { mdEscape } from '../report/markdown.js';
import { groupDigits } from '../report/format.js';
import type { SynthResult } from './run.js';
import { unspecializedName } from './stats.js';

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
  for (const row of foldSpecializations(r.stats.modules, used)) {
    const name = row.count > 1 ? `${row.name} (${row.count} specializations)` : row.name;
    out.push(`| ${mdEscape(name)} | ${row.instances} | ${groupDigits(row.cells)} | ${groupDigits(row.luts)} | ${groupDigits(row.flipFlops)} | ${groupDigits(row.memoryBits)} |`);
  }
  out.push('', 'Per-module figures count a module\'s own cells once (a row of several specializations, such as a tile\'s',
    'one-per-column crossbar instances, sums each once; synth.json lists them one by one); the total counts every instance.', end(r.target), '');
  return out.join('\n');
}

interface TableRow { name: string; count: number; instances: number; cells: number; luts: number; flipFlops: number; memoryBits: number }

/**
 * One table row per module, except that the specializations of one library
 * module in the same parent (named "<module> in <parent> #k") share a row:
 * a tile has one per column, hundreds in a trained network.
 */
function foldSpecializations(modules: SynthResult['stats']['modules'], used: Map<string, number>): TableRow[] {
  const rows = new Map<string, TableRow>();
  for (const m of modules) {
    const name = unspecializedName(m.module);
    const row = rows.get(name) ?? { name, count: 0, instances: 0, cells: 0, luts: 0, flipFlops: 0, memoryBits: 0 };
    row.count += 1;
    row.instances += used.get(m.module) ?? 0;
    row.cells += m.cells;
    row.luts += m.luts;
    row.flipFlops += m.flipFlops;
    row.memoryBits += m.memoryBits;
    rows.set(name, row);
  }
  return [...rows.values()];
}

/** report.md with the section for this target added or replaced. */
export function withSynthSection(report: string, r: SynthResult): string {
  const section = synthSection(r);
  const a = report.indexOf(begin(r.target));
  const b = report.indexOf(end(r.target));
  if (a >= 0 && b > a) return report.slice(0, a) + section + report.slice(b + end(r.target).length + 1);
  return `${report.replace(/\n*$/, '\n\n')}${section}`;
}
