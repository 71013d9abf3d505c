// The bad-input contract of the CLI, checked on a real process: exit code 2,
// one `file#pointer: error: message [code]` line per problem, no stack trace,
// nothing on stdout. Shared by the corpus and the fuzz tests.
import { cpSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { catalogue } from '../../src/diagnostics/index.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'rram-gen.js');

export interface CliRun { exitCode: number | undefined; stdout: string; stderr: string; ms: number; timedOut: boolean }

/** Runs `node bin/rram-gen.js ...args`; a generous timeout only guards against hangs (it is not a speed check). */
export async function runCli(args: string[], cwd: string = ROOT, timeoutMs = 120_000, bin = BIN): Promise<CliRun> {
  const start = performance.now();
  const r = await execa('node', [bin, ...args], { cwd, reject: false, timeout: timeoutMs, env: { RRAM_GEN_DEBUG: '' } });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - start, timedOut: r.timedOut };
}

export interface DiagnosticLine { file: string; pointer: string; severity: string; message: string; code: string }

// `where: severity: message [code]` where `where` is `file`, `file#pointer` or absent.
const LINE = /^(?:(.*?)(?:#(\/[^:]*|))?: )?(error|warning): (.+) \[([a-z0-9-]+)\]$/;

/** Parses stderr into diagnostic lines; returns the lines that are not diagnostics as `stray`. */
export function parseDiagnostics(stderr: string): { lines: DiagnosticLine[]; stray: string[] } {
  const lines: DiagnosticLine[] = [];
  const stray: string[] = [];
  for (const text of stderr.split('\n')) {
    if (text.trim() === '') continue;
    const m = LINE.exec(text);
    if (m === null || !(m[5] in catalogue)) stray.push(text);
    else lines.push({ file: m[1] ?? '', pointer: m[2] ?? '', severity: m[3], message: m[4], code: m[5] });
  }
  return { lines, stray };
}

/** Every way a run can break the bad-input contract, as readable strings ([] when it keeps it). */
export function badInputViolations(r: CliRun): string[] {
  const out: string[] = [];
  if (r.timedOut) out.push('did not finish (timed out)');
  if (r.exitCode !== 2) out.push(`exit code ${r.exitCode}, expected 2`);
  if (/^\s+at .+:\d+/m.test(r.stderr)) out.push('stack trace on stderr');
  if (/internal error|\[internal\]/.test(r.stderr)) out.push('internal error reported');
  const { lines, stray } = parseDiagnostics(r.stderr);
  if (stray.length > 0) out.push(`stderr lines that are not diagnostics: ${JSON.stringify(stray.slice(0, 3))}`);
  if (!lines.some((l) => l.severity === 'error')) out.push('no error diagnostic');
  return out;
}

/** All files under `dir` with their bytes, for "nothing changed" checks. */
export function snapshotTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p).toString('base64'));
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) walk(dir);
  return out;
}

export function sameTree(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** A fresh temporary folder holding a copy of `from` as `out` (an earlier complete build). */
export function sandboxWithBuild(from: string, prefix = 'rram-gen-bad-'): { dir: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const out = join(dir, 'out');
  cpSync(from, out, { recursive: true });
  return { dir, out };
}

/** Median and largest of a list of times. */
export function timeSummary(ms: number[]): { n: number; medianMs: number; maxMs: number } {
  const s = [...ms].sort((x, y) => x - y);
  return { n: s.length, medianMs: Math.round(s[Math.floor(s.length / 2)] ?? 0), maxMs: Math.round(s[s.length - 1] ?? 0) };
}

/** Runs `jobs` with at most `limit` at a time (the machine has two cores). */
export async function inPool<T>(jobs: (() => Promise<T>)[], limit = 2): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  }));
  return results;
}

/**
 * A private copy of the built package (bin, dist, templates, …; node_modules
 * linked) so a long test compares builds made by one and the same generator
 * even while the working tree is being edited or rebuilt.
 */
export function frozenBin(): string {
  const pkg = join(mkdtempSync(join(tmpdir(), 'rram-gen-pkg-')), 'rram-gen');
  for (const part of ['package.json', 'bin', 'dist', 'templates', 'schemas', 'tech', 'sim']) {
    cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  return join(pkg, 'bin', 'rram-gen.js');
}
