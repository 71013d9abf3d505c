// Estimate reports: report.json (the estimate itself, schema in
// docs/estimate.md), report.md and a self-contained report.html with charts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RramGenError } from '../diagnostics/index.js';
import type { Estimate } from '../estimate/model.js';
import type { HwPlan } from '../plan/index.js';
import { renderCharts } from './charts.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

export { renderCharts, renderSvg, type ChartSet } from './charts.js';
export { renderHtml, htmlEscape } from './html.js';
export { renderMarkdown, mdEscape } from './markdown.js';
export * from './format.js';

export const REPORT_FILES = ['report.json', 'report.md', 'report.html'] as const;

/** report.json as written: the estimate, two-space indented, keys in the estimate's fixed order. */
export function renderReportJson(est: Estimate): string {
  return `${JSON.stringify(est, null, 2)}\n`;
}

/**
 * The three report files, by file name, in a fixed order. Deterministic: the
 * same plan and estimate give the same bytes (no dates, no random ids).
 * Asynchronous because Vega renders its SVG asynchronously. `charts: false`
 * leaves the charts out of report.html and never loads Vega (build's default:
 * loading it would make up most of a small build's time).
 */
export async function renderReports(plan: HwPlan, est: Estimate, opts: { charts?: boolean } = {}): Promise<Map<string, string>> {
  const charts = opts.charts === false ? undefined : await renderCharts(est);
  return new Map<string, string>([
    ['report.json', renderReportJson(est)],
    ['report.md', renderMarkdown(plan, est)],
    ['report.html', renderHtml(plan, est, charts)],
  ]);
}

/** Write rendered reports into `dir` (created if needed), replacing files of the same names only. */
export function writeReports(dir: string, files: Map<string, string>): string[] {
  const written: string[] = [];
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of files) {
      const path = join(dir, name);
      writeFileSync(path, text);
      written.push(path);
    }
  } catch (e) {
    throw RramGenError.of('output-path', '', `cannot write reports to ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return written;
}
