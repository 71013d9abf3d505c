// Progress for long work: shown on a TTY, silent with --quiet or when stderr
// is not a terminal (CI logs stay clean).
export type Progress = (msg: string) => void;

/** A status line on stderr, rewritten in place and cut to the terminal's width (undefined when quiet). */
export function progressReporter(quiet: boolean | undefined): Progress | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  return (msg) => {
    const width = Math.max(20, (process.stderr.columns || 100) - 1); // 0 when the terminal has no size
    process.stderr.write(`\r\x1b[K${msg.slice(0, width)}`);
  };
}

/** A line that stays above the status line (a finished step); only call it when progress is shown. */
export function keepProgressLine(msg: string): void {
  process.stderr.write(`\r\x1b[K${msg}\n`);
}

export function endProgress(progress: Progress | undefined): void {
  if (progress) process.stderr.write('\r\x1b[K');
}
