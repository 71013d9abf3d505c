// Same input, same output bytes — through the CLI as users run it: the net
// named by a relative path from the repository, and a copy of it elsewhere
// named by an absolute path from another working directory.
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, snapshotTree } from './cli-contract.js';

describe('rram-gen build output is deterministic', () => {
  it('is byte-identical for a copy of the net at another path, built from another folder', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'rram-gen-det-cli-'));
    mkdirSync(join(tmp, 'elsewhere', 'deeper'), { recursive: true });
    cpSync(join(ROOT, 'examples', 'lenet.json'), join(tmp, 'elsewhere', 'deeper', 'lenet.json'));
    const a = await runCli(['build', 'examples/lenet.json', '-o', join(tmp, 'a'), '--quiet'], ROOT);
    const b = await runCli(['build', join(tmp, 'elsewhere', 'deeper', 'lenet.json'), '-o', '../b', '--quiet'], join(tmp, 'elsewhere'));
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    const ta = snapshotTree(join(tmp, 'a'));
    const tb = snapshotTree(join(tmp, 'b'));
    expect([...tb.keys()].sort()).toEqual([...ta.keys()].sort());
    for (const [path, bytes] of ta) expect(tb.get(path) === bytes, path).toBe(true);
    // Nothing in the output names where it was built.
    const text = [...ta.values()].map((b64) => Buffer.from(b64, 'base64').toString('utf8')).join('\n');
    expect(text).not.toContain(tmp);
    expect(text).not.toContain(ROOT);
  });
});
