// Builds the Verilator model of a rendered network, cached by a hash of
// everything that goes into it (RTL, harness, tool version, flags), so a
// second `sim` of the same net skips the C++ compile.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { RramGenError } from '../diagnostics/index.js';
import { render } from '../emit/templates.js';
import { loadExeca } from '../lazy-execa.js';
import { GENERATOR_VERSION, packagePath } from '../package-info.js';
import { findVerilator } from './tools.js';

export interface VerilatorModel {
  /** The executable that runs the harness. */
  binary: string;
  /** The folder to run it in: the RTL's data files are found relative to it. */
  dir: string;
  hash: string;
  cached: boolean;
  buildSeconds: number;
}

export interface HarnessWidths { top: string; inBits: number; pixels: number; classBits: number; valueBits: number; taps: { index: number; width: number; beats: number }[] }

// -O1 compiles several times faster than Verilator's default and simulates
// nearly as fast for these designs (see BENCHMARKS.md).
const FLAGS = ['--cc', '--exe', '--build', '-j', '2', '--prefix', 'Vdut', '-Wno-fatal', '--x-assign', 'fast', '--x-initial', 'fast'];
const MAKE_FLAGS = 'OPT_FAST=-O1 OPT_SLOW=-O0 OPT_GLOBAL=-O1';

/** Where built models are kept: $RRAM_GEN_CACHE, else $XDG_CACHE_HOME/rram-gen, else ~/.cache/rram-gen (never the working folder). */
export function cacheRoot(): string {
  return resolve(process.env.RRAM_GEN_CACHE ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rram-gen'));
}

/**
 * `dataFiles` are the files the RTL reads at run time ($readmemh, paths
 * relative to the build folder): they are copied beside the RTL and hashed
 * with it, and the model runs in that folder (VerilatorModel.dir).
 */
export async function buildVerilatorModel(rtl: Map<string, string>, fileList: string[], dataFiles: string[], widths: HarnessWidths,
  onProgress?: (msg: string) => void, root: string = cacheRoot()): Promise<VerilatorModel> {
  const tool = await findVerilator();
  const harness = readFileSync(packagePath('sim', 'harness.cpp'), 'utf8');
  const tapsHeader = render('taps.h.hbs', { ...widths, tapBeats: widths.taps.reduce((n, t) => n + t.beats, 0), version: GENERATOR_VERSION });
  const tapsConfig = render('taps.vlt.hbs', { top: widths.top, version: GENERATOR_VERSION });
  const hash = createHash('sha256');
  for (const part of [tool.version, FLAGS.join(' '), MAKE_FLAGS, widths.top, harness, tapsHeader, tapsConfig,
    ...[...fileList, '\0data', ...dataFiles].flatMap((f) => [f, rtl.get(f) ?? ''])]) {
    hash.update(part).update('\0');
  }
  const key = hash.digest('hex').slice(0, 16);
  const entry = join(root, 'verilator', key);
  const binary = join(entry, 'obj', 'Vdut');
  if (existsSync(binary)) return { binary, dir: entry, hash: key, cached: true, buildSeconds: 0 };

  mkdirSync(join(root, 'verilator'), { recursive: true });
  const work = mkdtempSync(join(root, 'verilator', `.${key}.tmp-`));
  const started = performance.now();
  try {
    for (const f of [...fileList, ...dataFiles]) {
      mkdirSync(join(work, f, '..'), { recursive: true });
      writeFileSync(join(work, f), rtl.get(f)!);
    }
    writeFileSync(join(work, 'harness.cpp'), harness);
    writeFileSync(join(work, 'taps.h'), tapsHeader);
    // The harness reads the inter-layer streams: made public here, not by metacomments in the delivered RTL.
    writeFileSync(join(work, 'taps.vlt'), tapsConfig);
    writeFileSync(join(work, 'files.f'), `${fileList.join('\n')}\n`);
    onProgress?.(`verilating ${widths.top} (${fileList.length} files)…`);
    // ccache, when installed, shares the Verilator runtime objects between builds of different nets.
    const makeFlags = (await hasCcache()) ? `${MAKE_FLAGS} OBJCACHE=ccache` : MAKE_FLAGS;
    const execa = await loadExeca();
    const r = await execa(tool.path, [...FLAGS, '-MAKEFLAGS', makeFlags, '--top-module', widths.top, '-Mdir', 'obj', 'taps.vlt', '-f', 'files.f', 'harness.cpp'],
      { cwd: work, reject: false, all: true });
    if (r.exitCode !== 0) {
      // A line can quote a whole weight literal (100k+ characters): keep each short.
      const lines = (r.all ?? '').split('\n').filter((l) => /error|Error/.test(l)).slice(0, 5).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
      throw RramGenError.of('tool-failed', '', `Verilator build of ${widths.top} failed: ${lines.join(' | ') || (r.all ?? '').slice(-500)}`);
    }
    if (!existsSync(join(work, 'obj', 'Vdut'))) throw RramGenError.of('tool-failed', '', 'Verilator produced no executable');
    try {
      renameSync(work, entry);
    } catch {
      rmSync(work, { recursive: true, force: true }); // another process built the same model first
    }
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
  return { binary, dir: entry, hash: key, cached: false, buildSeconds: (performance.now() - started) / 1000 };
}

let ccache: Promise<boolean> | undefined;
function hasCcache(): Promise<boolean> {
  ccache ??= loadExeca().then((execa) => execa('ccache', ['--version'], { reject: false })).then((r) => r.exitCode === 0, () => false);
  return ccache;
}
