// Writes a whole output folder or nothing: files go to a temporary sibling
// folder that is renamed into place, so a failed or killed build leaves the
// previous output untouched (or, for the instant between two renames, parked
// as `.<name>.old-*`, which the next build restores).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RramGenError } from '../diagnostics/index.js';

/** The file that marks a folder as ours, so we never replace anything else. */
export const MARKER_FILE = 'manifest.json';

export function writeTreeAtomically(outDir: string, files: Map<string, string | Uint8Array>): void {
  const parent = dirname(outDir);
  const name = basename(outDir);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw RramGenError.of('output-path', '', `cannot create ${parent}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  restoreParked(parent, name);
  if (existsSync(outDir) && !existsSync(join(outDir, MARKER_FILE))) {
    throw RramGenError.of('output-path', '', `${outDir} exists and is not an rram-gen output folder (no ${MARKER_FILE}); refusing to replace it`);
  }
  const tmp = mkdtempSync(join(parent, `.${name}.tmp-`));
  try {
    for (const path of [...files.keys()].sort()) {
      const full = join(tmp, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, files.get(path)!);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw RramGenError.of('output-path', '', `cannot write ${outDir}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  if (!existsSync(outDir)) {
    renameSync(tmp, outDir);
    return;
  }
  const parked = join(parent, `.${name}.old-${process.pid}`);
  renameSync(outDir, parked);
  renameSync(tmp, outDir);
  rmSync(parked, { recursive: true, force: true });
}

/**
 * Repairs what a build killed part-way may leave next to `outDir`: a previous
 * build parked as `.<name>.old-<pid>` with no `outDir` (killed between the two
 * renames) is put back, stale `.<name>.tmp-*` folders are removed. Creates
 * nothing; a no-op when there is nothing to repair. Called before a build
 * reads its input, so even a build that then fails leaves the old output back.
 */
export function recoverOutputFolder(outDir: string): void {
  const parent = dirname(outDir);
  if (!existsSync(parent)) return;
  restoreParked(parent, basename(outDir));
}

/** Puts back a previous build parked by a process killed between its two renames; drops stale temporaries. */
function restoreParked(parent: string, name: string): void {
  for (const entry of readdirSync(parent)) {
    const full = join(parent, entry);
    if (entry.startsWith(`.${name}.old-`)) {
      if (!existsSync(join(parent, name))) renameSync(full, join(parent, name));
      else rmSync(full, { recursive: true, force: true });
    } else if (entry.startsWith(`.${name}.tmp-`)) {
      rmSync(full, { recursive: true, force: true });
    }
  }
}
