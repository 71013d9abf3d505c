// Shared plumbing of the command modules: one-line diagnostics, JSON output,
// and the exit-code contract (0 ok, 1 check failed, 2 bad input or usage,
// 3 internal error — a bug in rram-gen, reported without a stack trace unless
// RRAM_GEN_DEBUG is set).
import { type Diagnostic, diag, formatDiagnostic, isRramGenError } from '../diagnostics/index.js';

export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, internal: 3 } as const;

export interface OutputOptions { json?: boolean; quiet?: boolean }

export function printWarnings(warnings: Diagnostic[], opts: OutputOptions): void {
  if (opts.json || opts.quiet) return;
  for (const w of warnings) process.stderr.write(`${formatDiagnostic(w)}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Runs a command body and turns its outcome into an exit code. */
export async function runCommand(opts: OutputOptions, body: () => Promise<number> | number): Promise<void> {
  let code: number;
  try {
    code = await body();
  } catch (e) {
    code = reportFailure(e, opts);
  }
  process.exitCode = code;
}

function reportFailure(e: unknown, opts: OutputOptions): number {
  if (isRramGenError(e)) {
    if (opts.json) printJson({ ok: false, diagnostics: e.diagnostics });
    for (const d of e.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return EXIT.badInput;
  }
  const detail = process.env.RRAM_GEN_DEBUG ? (e as Error)?.stack ?? String(e) : String((e as Error)?.message ?? e).split('\n')[0];
  process.stderr.write(`${formatDiagnostic(diag('internal', '', `internal error: ${detail} (a bug in rram-gen; rerun with RRAM_GEN_DEBUG=1 for details)`))}\n`);
  return EXIT.internal;
}
