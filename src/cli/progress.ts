// Progress for long work: shown on a TTY, silent with --quiet or when stderr
// is not a terminal (CI logs stay clean).
export type Progress = (msg: string) => void;

export function progressReporter(quiet: boolean | undefined): Progress | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  return (msg) => process.stderr.write(`\r\x1b[K${msg}`);
}

export function endProgress(progress: Progress | undefined): void {
  if (progress) process.stderr.write('\r\x1b[K');
}
