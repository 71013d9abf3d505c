// Where `sim` keeps its Verilator models: the user's cache folder
// ($XDG_CACHE_HOME/rram-gen here), never the folder it runs in; --no-cache
// builds in a temporary folder and leaves nothing behind.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'rram-gen.js');
const NET = join(ROOT, 'examples', 'tiny.json');

describe('sim cache', () => {
  it('is $XDG_CACHE_HOME/rram-gen, not the working folder; --no-cache leaves none', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rram-gen-cwd-'));
    const xdg = mkdtempSync(join(tmpdir(), 'rram-gen-xdg-'));
    const env = { ...process.env, XDG_CACHE_HOME: xdg, RRAM_GEN_CACHE: undefined };
    const sim = (...extra: string[]) => execa('node', [BIN, 'sim', NET, '--vectors', '3', '--json', ...extra], { cwd, env, reject: false });

    const none = await sim('--no-cache');
    expect(none.exitCode).toBe(0);
    expect(JSON.parse(none.stdout).report.model.cached).toBe(false);
    expect(existsSync(join(xdg, 'rram-gen'))).toBe(false); // (ccache may keep its own cache there)

    const first = await sim();
    expect(first.exitCode).toBe(0);
    const { hash } = JSON.parse(first.stdout).report.model;
    expect(existsSync(join(xdg, 'rram-gen', 'verilator', hash, 'obj', 'Vdut'))).toBe(true);
    const second = await sim();
    expect(JSON.parse(second.stdout).report.model).toMatchObject({ hash, cached: true });
    expect(readdirSync(cwd)).toEqual([]);
  }, 600_000);
});
