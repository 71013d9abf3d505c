// Which Yosys runs `rram-gen synth`: the system's (Debian's `yosys`, a native
// binary, several times faster) when it is recent enough, else the npm one
// (@yowasp/yosys, WebAssembly, an optional dependency). Both run the same
// script on the same files and give the same figures (test/synth/backends.test.ts).
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RramGenError } from '../diagnostics/index.js';
import { loadExeca } from '../lazy-execa.js';
import type { SynthTarget } from './script.js';
import { type YosysRun, type YosysTree, runYosysInWorker } from './yosys-worker.js';

export const YOSYS_CHOICES = ['auto', 'npm', 'system'] as const;
export type YosysChoice = (typeof YOSYS_CHOICES)[number];

/** The oldest system Yosys known to run the synth script and whose `stat -json` we read: Debian 12's. */
export const MIN_SYSTEM_YOSYS = [0, 23] as const;
const MIN_TEXT = `${MIN_SYSTEM_YOSYS[0]}.${MIN_SYSTEM_YOSYS[1]}`;

/**
 * The oldest system Yosys that `auto` takes for each target: the one whose
 * figures agree with npm's (0.55) on the synth tests' nets. Debian 12's 0.23
 * does not: its ABC maps the crossbar tiles' signed-digit sums into 40-65 %
 * more LUTs (random net 91: 2,895 vs 2,297 generic LUTs) and iCE40
 * comparators into 23-30 % more SB_LUT4s. So auto keeps npm's unless the
 * system's is as new; `--yosys system` still runs 0.23 (same flip-flops and
 * memory, a fast functional check).
 */
export const AUTO_SYSTEM_YOSYS: Record<SynthTarget, readonly [number, number]> = { generic: [0, 55], ice40: [0, 55] };

const atLeast = (v: readonly [number, number], min: readonly [number, number]) => v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
const INSTALL_SYSTEM = 'apt-get install -y yosys';
const INSTALL_NPM = 'npm install @yowasp/yosys';

export interface YosysBackend {
  from: 'npm' | 'system';
  /** Runs Yosys with `args` in a folder holding `files`; returns the files named in `outputs` as written. */
  run(args: string[], files: YosysTree, outputs: string[], onLine?: (line: string) => void): Promise<YosysRun>;
}

/** The system Yosys's version ("0.23"), or why it cannot be used. */
export async function systemYosysVersion(): Promise<{ version: string; parts: [number, number] } | { problem: string }> {
  const execa = await loadExeca();
  const r = await execa('yosys', ['-V'], { reject: false, timeout: 30_000 });
  if (r.exitCode !== 0) return { problem: (r as { code?: string }).code === 'ENOENT' ? 'yosys not found on PATH' : `yosys -V failed (${r.shortMessage})` };
  const m = /Yosys (\d+)\.(\d+)/.exec(r.stdout);
  if (m === null) return { problem: `cannot read the Yosys version from "${r.stdout.split('\n')[0]}"` };
  const parts: [number, number] = [Number(m[1]), Number(m[2])];
  if (!atLeast(parts, MIN_SYSTEM_YOSYS)) return { problem: `system Yosys ${parts.join('.')} is older than ${MIN_TEXT}` };
  return { version: parts.join('.'), parts };
}

/** True when the npm package @yowasp/yosys is installed (it is an optional dependency). */
export function npmYosysInstalled(): boolean {
  try {
    import.meta.resolve('@yowasp/yosys');
    return true;
  } catch {
    return false;
  }
}

export async function findYosys(choice: YosysChoice = 'auto', target: SynthTarget = 'generic'): Promise<YosysBackend> {
  if (choice !== 'npm') {
    const sys = await systemYosysVersion();
    // auto: a system Yosys whose figures agree with npm's first, then npm's,
    // then any system Yosys that runs the script (its LUT counts may differ).
    const agrees = 'parts' in sys && atLeast(sys.parts, AUTO_SYSTEM_YOSYS[target]);
    if ('version' in sys && (choice === 'system' || agrees || !npmYosysInstalled())) return { from: 'system', run: runSystemYosys };
    if (choice === 'system') throw RramGenError.of('tool-missing', '', `--yosys system: ${(sys as { problem: string }).problem}; install: ${INSTALL_SYSTEM} (Yosys ${MIN_TEXT} or newer), or use --yosys npm`);
    if (npmYosysInstalled()) return { from: 'npm', run: runNpmYosys };
    throw RramGenError.of('tool-missing', '', `synth needs Yosys: ${(sys as { problem: string }).problem} and the optional npm package @yowasp/yosys is not installed; install either: ${INSTALL_NPM}, or ${INSTALL_SYSTEM}`);
  }
  if (!npmYosysInstalled()) throw RramGenError.of('tool-missing', '', `--yosys npm: the optional npm package @yowasp/yosys is not installed; install: ${INSTALL_NPM}, or use the system Yosys (--yosys system)`);
  return { from: 'npm', run: runNpmYosys };
}

async function runNpmYosys(args: string[], files: YosysTree, _outputs: string[], onLine?: (line: string) => void): Promise<YosysRun> {
  return runYosysInWorker(args, files, onLine);
}

/** Writes `tree` under `dir`. */
function writeTree(dir: string, tree: YosysTree): void {
  for (const [name, v] of Object.entries(tree)) {
    const path = join(dir, name);
    if (typeof v === 'string' || v instanceof Uint8Array) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, v);
    } else {
      mkdirSync(path, { recursive: true });
      writeTree(path, v);
    }
  }
}

async function runSystemYosys(args: string[], files: YosysTree, outputs: string[], onLine?: (line: string) => void): Promise<YosysRun> {
  const dir = mkdtempSync(join(tmpdir(), 'rram-gen-yosys-'));
  try {
    writeTree(dir, files);
    const execa = await loadExeca();
    const child = execa('yosys', args, { cwd: dir, reject: false, all: true, stdin: 'ignore' });
    const log: string[] = [];
    for await (const line of child.iterable({ from: 'all' })) {
      log.push(line);
      onLine?.(line);
    }
    const r = await child;
    const out = new Map<string, string>();
    for (const f of outputs) if (existsSync(join(dir, f))) out.set(f, readFileSync(join(dir, f), 'utf8'));
    return { code: r.exitCode ?? 1, log: `${log.join('\n')}\n`, files: out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
