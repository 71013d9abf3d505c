// The sim progress counter counts the result lines of a harness log that
// grows between polls, including a line split across two writes, and never
// "T" (tap) or "E" (end) lines or an "R" inside a line.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultCounter } from '../../src/sim/log-progress.js';

describe('resultCounter', () => {
  it('counts "R" lines as the log grows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-gen-progress-'));
    const log = join(dir, 'sim.log');
    try {
      const poll = resultCounter(log);
      expect(poll()).toBe(0); // no file yet
      writeFileSync(log, 'T 1 0a\nR 784 3 ff\nT 1 R\n');
      expect(poll()).toBe(1);
      appendFileSync(log, 'R 1568 2 0');
      expect(poll()).toBe(2);
      appendFileSync(log, '1\nT 2 5\nR 2352 7 11\nE 2400 3\n');
      expect(poll()).toBe(3);
      expect(poll()).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
