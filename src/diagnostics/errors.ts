import { type Diagnostic, type DiagnosticCode, diag } from './catalogue.js';

/**
 * Thrown by library functions for any bad input. Carries every problem found,
 * so the CLI can print them all (one line each) and exit with code 2.
 */
export class RramGenError extends Error {
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'RramGenError';
    this.diagnostics = diagnostics;
  }

  static of(code: DiagnosticCode, pointer: string, message: string, file?: string): RramGenError {
    return new RramGenError([diag(code, pointer, message, file)]);
  }

  /** True when one of the diagnostics has this code (for tests and callers). */
  has(code: DiagnosticCode): boolean {
    return this.diagnostics.some((d) => d.code === code);
  }
}

/** `net.json#/layers/2/weights: error: expected 1200 values ... [weight-count]` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file ?? ''}${d.pointer !== '' ? `#${d.pointer}` : ''}`;
  return `${where !== '' ? `${where}: ` : ''}${d.severity}: ${d.message} [${d.code}]`;
}

export function isRramGenError(e: unknown): e is RramGenError {
  return e instanceof RramGenError;
}
