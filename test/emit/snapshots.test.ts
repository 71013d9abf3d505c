// Committed snapshots of the generated RTL (not the hand-written library,
// which is reviewed as itself) for examples/tiny.json and examples/lenet.json:
// every change to a template or view model shows up in review as a diff of
// test/snapshots/<net>/. After an intended change, regenerate with
//   RRAM_GEN_UPDATE_SNAPSHOTS=1 npx vitest run test/emit/snapshots.test.ts
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBuild } from '../../src/emit/build.js';
import { loadNet } from '../../src/ir/index.js';

const UPDATE = process.env.RRAM_GEN_UPDATE_SNAPSHOTS === '1';
const SNAPSHOTS = 'test/snapshots';

/** The generated files of a build that a template change can touch: RTL wrappers, stages, top, simulation models and their data, testbench and lists. */
function generated(files: Map<string, string>): Map<string, string> {
  return new Map([...files].filter(([p]) => (p.startsWith('rtl/') && !/^rtl\/rram_/.test(p)) || p.startsWith('sim-models/') || p.startsWith('tb/') && p.endsWith('.sv') || p === 'files.f' || p === 'tb.f' || p === 'manifest.json'));
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

describe('generated RTL snapshots', () => {
  it.each(['tiny', 'lenet'])('examples/%s.json matches test/snapshots/%s', (name) => {
    const files = generated(renderBuild(loadNet(`examples/${name}.json`).net).files);
    const dir = join(SNAPSHOTS, name);
    if (UPDATE) {
      rmSync(dir, { recursive: true, force: true });
      for (const [p, text] of files) {
        mkdirSync(dirname(join(dir, p)), { recursive: true });
        writeFileSync(join(dir, p), text);
      }
    }
    expect(listFiles(dir).sort()).toEqual([...files.keys()].sort());
    for (const [p, text] of files) expect(readFileSync(join(dir, p), 'utf8'), `${dir}/${p}`).toBe(text);
  });
});
