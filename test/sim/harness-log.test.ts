// The harness log is read in chunks, a line at a time (a 10,000-image log of
// an 8-bit net exceeds V8's longest string): lines cut by a chunk boundary
// must come out whole, whatever the chunk size.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHarnessLogFile } from '../../src/sim/harness-log.js';

const dir = mkdtempSync(join(tmpdir(), 'rram-gen-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LOG = ['T 1 0a3', 'T 2 ff', 'T 1 001', 'R 812 3 00ff01', 'T 1 7', 'R 1596 a 0102', 'E 1600'].join('\n');

describe('parseHarnessLogFile', () => {
  const path = join(dir, 'sim.log');
  writeFileSync(path, LOG);

  it.each([1, 2, 3, 7, 16, 64, 1 << 20])('reads every line whole in chunks of %i bytes', (chunk) => {
    const log = parseHarnessLogFile(path, chunk);
    expect(Object.fromEntries(log.taps)).toEqual({ 1: ['0a3', '001', '7'], 2: ['ff'] });
    expect(log.results).toEqual([{ cycle: 812, class: 3, values: '00ff01' }, { cycle: 1596, class: 10, values: '0102' }]);
    expect(log.cycles).toBe(1600);
  });
});
