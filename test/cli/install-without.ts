// An installed copy of rram-gen (bin/, dist/ and the files it reads) whose
// node_modules lacks some packages, as a user's `npm install rram-gen` may:
// the optional data and tool packages are then absent. The other packages are
// symlinks into this checkout's node_modules, so nothing is downloaded.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const SHIPPED = ['bin', 'dist', 'schemas', 'templates', 'sim', 'wasm', 'tech', 'package.json'];

/** A folder holding the copy; run `node <dir>/bin/rram-gen.js` with it as the working folder. */
export function installWithout(missing: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'rram-gen-without-'));
  for (const f of SHIPPED) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  const modules = join(ROOT, 'node_modules');
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  for (const entry of readdirSync(modules)) {
    if (entry === '.bin' || entry.startsWith('.')) continue;
    const names = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of names) {
      if (missing.includes(name)) continue;
      mkdirSync(join(dir, 'node_modules', name, '..'), { recursive: true });
      symlinkSync(join(modules, name), join(dir, 'node_modules', name), 'dir');
    }
  }
  return dir;
}
