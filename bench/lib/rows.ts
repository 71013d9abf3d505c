// One figure of the benchmark table: its spread over the runs, the spread of
// its ratio to the reference measured in the same run (pair by pair), and
// the peak memory of the process that produced it.
import type { MachineInfo } from './machine.js';
import { type Spread, spread } from './measure.js';

export interface Row {
  section: string;
  item: string;
  figure: string;
  unit: string;
  value: Spread;
  ratio?: Spread & { to: string };
  peakRssMiB?: Spread;
  note?: string;
}

/** Ratios a[i] / b[i] of runs taken in turn (pairs up to the shorter list). */
export function pairRatios(a: number[], b: number[]): number[] {
  return a.slice(0, Math.min(a.length, b.length)).map((x, i) => x / b[i]);
}

export function row(section: string, item: string, figure: string, unit: string, values: number[], extra: Partial<Row> = {}): Row {
  return { section, item, figure, unit, value: spread(values), ...extra };
}

export function ratio(values: number[], to: string): Row['ratio'] {
  return { ...spread(values), to };
}

export function rss(values: Array<number | undefined>): Spread | undefined {
  const v = values.filter((x): x is number => x !== undefined);
  return v.length > 0 ? spread(v) : undefined;
}

const num = (x: number): string => {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  return a >= 1000 ? x.toFixed(0) : a >= 100 ? x.toFixed(1) : a >= 10 ? x.toFixed(2) : x.toFixed(3);
};
const triple = (s: Spread): string => (s.n > 1 ? `${num(s.median)} [${num(s.min)}–${num(s.max)}]` : num(s.median));

/** The table as Markdown: median [min–max] of every figure, its ratio, its peak RSS. */
export function formatTable(rows: Row[]): string {
  const head = ['section', 'item', 'figure', 'median [min–max]', 'unit', 'runs', 'ratio median [min–max]', 'to reference', 'peak RSS MiB'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    lines.push(`| ${[r.section, r.item, r.figure, triple(r.value), r.unit, String(r.value.n), r.ratio ? triple(r.ratio) : '', r.ratio?.to ?? '',
      r.peakRssMiB ? num(r.peakRssMiB.median) : ''].join(' | ')} |`);
  }
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.section} / ${r.item} / ${r.figure}: ${r.note}`);
  return [...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

/** bench/results.json: the run, its settings and rows; with --merge, the earlier runs whose rows of some sections were kept. */
export interface Results { machine: MachineInfo; settings: Record<string, unknown>; rows: Row[]; earlierRuns?: EarlierRun[] }
export interface EarlierRun { machine: MachineInfo; settings: Record<string, unknown>; sections: string[] }
