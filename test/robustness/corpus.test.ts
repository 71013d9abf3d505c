// The bad-input corpus (test/fixtures/bad/cases.json, plus a few cases made
// here at run time because they are large or need symbolic links): every
// broken file goes through the real CLI command that reads it and must give
// exit code 2, exactly the expected diagnostics (code and pointer, naming the
// file), no stack trace, and leave the output folder as it was.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRtl } from '../../src/emit/build.js';
import { loadNet } from '../../src/ir/index.js';
import {
  type CliRun, ROOT, badInputViolations, inPool, parseDiagnostics, runCli, sameTree, sandboxWithBuild, snapshotTree, timeSummary,
} from './cli-contract.js';

const CORPUS = join(ROOT, 'test', 'fixtures', 'bad');
type Command = 'build' | 'quantize' | 'estimate';
interface Case { file: string; command: Command; expect: [string, string][]; why: string }

const committed = (JSON.parse(readFileSync(join(CORPUS, 'cases.json'), 'utf8')) as { cases: Case[] }).cases
  .map((c) => ({ ...c, path: join(CORPUS, c.file) }));

// Made at run time: too large to commit, or needing a symbolic link.
const GENERATED = mkdtempSync(join(tmpdir(), 'rram-gen-corpus-'));
type Generated = Case & { make: (path: string) => void };
const generated: (Generated & { path: string })[] = ([
  {
    file: 'huge-100mb.json', command: 'build', expect: [['file-too-large', '']], why: 'a 100 MB net.json: refused by its size before it is read',
    make: (p) => {
      const body = Buffer.alloc(100 * 1024 * 1024, 0x20);
      body.write('{"format": "rram-gen/net@1", "description": "', 0);
      body.write('"}', body.length - 2);
      writeFileSync(p, body);
    },
  },
  {
    file: 'deep-arrays.json', command: 'build', expect: [['json-too-deep', '']], why: '100000 nested arrays (a recursive parser would overflow its stack)',
    make: (p) => writeFileSync(p, `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
  },
  {
    file: 'deep-objects-in-net.json', command: 'build', expect: [['json-too-deep', '']], why: 'a valid-looking net whose description field nests 5000 objects',
    make: (p) => writeFileSync(p, `{"format": "rram-gen/net@1", "name": "deep", "description": ${'{"a": '.repeat(5000)}1${'}'.repeat(5000)}}`),
  },
  {
    file: 'deep-tech.json', command: 'estimate', expect: [['json-too-deep', '']], why: 'a technology table nested 1000 arrays deep',
    make: (p) => writeFileSync(p, `{"format": "rram-gen/tech@1", "sources": ${'['.repeat(1000)}${']'.repeat(1000)}}`),
  },
  {
    file: 'sidecar-symlink/net.json', command: 'build', expect: [['sidecar-escape', '/layers/0/weights/file']], why: 'a sidecar inside the folder that is a symbolic link to a file outside it',
    make: (p) => {
      const dir = join(GENERATED, 'sidecar-symlink');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(GENERATED, 'outside.bin'), Buffer.from([1, 1, 1, 1, 1, 1, 1, 1]));
      symlinkSync(join(GENERATED, 'outside.bin'), join(dir, 'w.bin'));
      const doc = JSON.parse(readFileSync(join(ROOT, 'examples', 'tiny.json'), 'utf8'));
      doc.layers[0].weights = { file: 'w.bin', encoding: 'int8' };
      writeFileSync(p, JSON.stringify(doc));
    },
  },
  {
    file: 'a-directory.json', command: 'build', expect: [['file-unreadable', '']], why: 'a folder where the net.json should be',
    make: (p) => mkdirSync(p),
  },
  { file: 'missing.json', command: 'build', expect: [['file-unreadable', '']], why: 'a file that does not exist', make: () => {} },
  { file: 'missing.onnx', command: 'quantize', expect: [['file-unreadable', '']], why: 'a model that does not exist', make: () => {} },
] satisfies Generated[]).map((c) => ({ ...c, path: join(GENERATED, c.file) }));

const allCases = [...committed, ...generated];
const results = new Map<string, { run: CliRun; problems: string[] }>();
let reference: Map<string, string>;

/** The command line that reads a broken file of each kind; outputs go inside `dir`. */
function commandLine(c: Case & { path: string }, dir: string, out: string): string[] {
  switch (c.command) {
    case 'build': return ['build', c.path, '-o', out];
    case 'estimate': return ['estimate', join(ROOT, 'examples', 'tiny.json'), '--tech', c.path];
    // The model is imported before the training data is opened; naming data that
    // does not exist makes any case that got past the import fail differently.
    case 'quantize': return ['quantize', c.path, '--train', join(dir, 'no-images'), join(dir, 'no-labels'), '-o', join(dir, 'q.json')];
  }
}

async function runCase(c: Case & { path: string }, refDir: string): Promise<{ run: CliRun; problems: string[] }> {
  const { dir, out } = sandboxWithBuild(refDir);
  const run = await runCli(commandLine(c, dir, out), dir);
  const problems = badInputViolations(run);
  if (run.stdout !== '') problems.push(`stdout not empty: ${JSON.stringify(run.stdout.slice(0, 200))}`);
  const errors = parseDiagnostics(run.stderr).lines.filter((l) => l.severity === 'error');
  for (const [code, pointer] of c.expect) {
    if (!errors.some((l) => l.code === code && l.pointer === pointer && l.file === c.path)) {
      problems.push(`no line "${c.path}${pointer === '' ? '' : `#${pointer}`}: error: … [${code}]"`);
    }
  }
  if (errors.length !== c.expect.length) problems.push(`${errors.length} error lines, expected ${c.expect.length}: ${JSON.stringify(run.stderr)}`);
  // Nothing created next to the output folder, and the earlier build untouched.
  const left = readdirSync(dir).sort();
  if (JSON.stringify(left) !== '["out"]') problems.push(`sandbox holds ${JSON.stringify(left)} afterwards, expected only the earlier build`);
  if (!sameTree(snapshotTree(out), reference)) problems.push('the earlier build in the output folder changed');
  return { run, problems };
}

describe('bad-input corpus through the CLI', () => {
  beforeAll(async () => {
    for (const c of generated) c.make(c.path);
    const refDir = join(mkdtempSync(join(tmpdir(), 'rram-gen-corpus-ref-')), 'tiny');
    await buildRtl(loadNet(join(ROOT, 'examples', 'tiny.json')).net, { outDir: refDir });
    reference = snapshotTree(refDir);
    const runs = await inPool(allCases.map((c) => () => runCase(c, refDir)));
    allCases.forEach((c, i) => results.set(c.file, runs[i]));
  });

  afterAll(() => {
    rmSync(GENERATED, { recursive: true, force: true }); // holds the 100 MB file
    const t = timeSummary([...results.values()].map((r) => r.run.ms));
    const crashes = [...results.values()].filter((r) => r.run.exitCode !== 2).length;
    console.log(`bad-input corpus: ${results.size} cases (${committed.length} committed, ${generated.length} made at run time), ` +
      `${crashes} not exit 2; per case median ${t.medianMs} ms, max ${t.maxMs} ms (2 at a time; load average ${loadavg()[0].toFixed(1)})`);
  });

  it('holds at least 40 cases of every kind the issue lists', () => {
    expect(allCases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(allCases.map((c) => c.command))).toEqual(new Set(['build', 'quantize', 'estimate']));
    expect(new Set(allCases.map((c) => c.file)).size).toBe(allCases.length);
    for (const c of committed) expect(existsSync(c.path), c.file).toBe(true);
  });

  it.each(allCases.map((c) => [c.file, c.why, c] as const))('%s (%s)', (_, __, c) => {
    const r = results.get(c.file)!;
    expect(r.problems, `${c.file}: ${c.why}\nstderr: ${r.run.stderr}`).toEqual([]);
  });

  it('names that try to leave the output folder write nothing anywhere (default output folder, no -o)', async () => {
    for (const file of ['net-name-escapes-folder.json', 'net-name-absolute-path.json', 'layer-name-escapes-folder.json']) {
      const dir = mkdtempSync(join(tmpdir(), 'rram-gen-escape-'));
      const cwd = join(dir, 'a', 'b');
      mkdirSync(cwd, { recursive: true });
      const before = existsSync('/tmp/evil');
      const r = await runCli(['build', join(CORPUS, 'net', file)], cwd);
      expect(badInputViolations(r), file).toEqual([]);
      expect(parseDiagnostics(r.stderr).lines.map((l) => l.code)).toEqual(['name-not-identifier']);
      expect(snapshotTree(dir).size, file).toBe(0);
      expect(readdirSync(dir)).toEqual(['a']);
      expect(readdirSync(join(dir, 'a'))).toEqual(['b']);
      expect(readdirSync(cwd)).toEqual([]);
      expect(existsSync('/tmp/evil')).toBe(before);
    }
  });
});
