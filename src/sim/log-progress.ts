// Progress of a running simulation: counts the result lines ("R …") the
// harness has appended to its log so far, reading only the new bytes each
// tick. 10,000 MNIST images take minutes; on a TTY the user sees them go by.
import { closeSync, openSync, readSync } from 'node:fs';

const NEWLINE = 0x0a;
const RESULT = 0x52; // 'R' at the start of a line

/** A function that reads what was appended to the log since its last call and returns the result lines so far. */
export function resultCounter(logPath: string): () => number {
  const buffer = Buffer.alloc(1 << 20);
  let offset = 0;
  let results = 0;
  let previous = NEWLINE;
  return () => {
    let fd: number;
    try {
      fd = openSync(logPath, 'r');
    } catch {
      return results; // not created yet
    }
    try {
      for (let n = readSync(fd, buffer, 0, buffer.length, offset); n > 0; n = readSync(fd, buffer, 0, buffer.length, offset)) {
        // The log is mostly tap lines: jump from newline to newline (native
        // search) instead of visiting every byte.
        const chunk = buffer.subarray(0, n);
        if (previous === NEWLINE && chunk[0] === RESULT) results++;
        for (let i = chunk.indexOf(NEWLINE); i !== -1 && i + 1 < n; i = chunk.indexOf(NEWLINE, i + 1)) {
          if (chunk[i + 1] === RESULT) results++;
        }
        previous = chunk[n - 1];
        offset += n;
      }
    } finally {
      closeSync(fd);
    }
    return results;
  };
}

/** Calls `report` every `everyMs` with the number of results logged; returns the function that stops it. */
export function watchResults(logPath: string, total: number, report: (msg: string) => void, everyMs = 1000): () => void {
  const count = resultCounter(logPath);
  const timer = setInterval(() => report(`simulating: ${count()}/${total} images`), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
