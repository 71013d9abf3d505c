// `rram-gen doctor`: which external tools are present and usable, what each
// enables, and the exact command that installs a missing one. Every check
// runs the tool (a version query), so "present" means "runs", not "on PATH".
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { isRramGenError } from '../diagnostics/index.js';
import { loadExeca } from '../lazy-execa.js';
import { findIverilog, findVerilator } from '../sim/tools.js';
import { MIN_SYSTEM_YOSYS, systemYosysVersion } from '../synth/yosys.js';

export interface ToolCheck {
  tool: string;
  ok: boolean;
  version?: string;
  /** Why it is missing or unusable. */
  problem?: string;
  /** What rram-gen does with it. */
  enables: string;
  /** True when `npm test` needs it; the others only enable optional extras. */
  neededByTests: boolean;
  install: string;
  /** The Debian packages that provide it, when apt-get can install it (`rram-gen setup`). */
  apt?: string[];
}

interface Spec {
  tool: string;
  enables: string;
  neededByTests: boolean;
  install: string;
  apt?: string[];
  /** Resolves to the version, or throws with the reason. */
  probe: () => Promise<string>;
}

const APT = 'sudo apt-get install -y';
const PROBE_TIMEOUT_MS = 30_000;

/** Runs `cmd args` and returns the first line matching `pattern` (its group 1), or throws. */
async function versionOf(cmd: string, args: string[], pattern: RegExp): Promise<string> {
  const execa = await loadExeca();
  const r = await execa(cmd, args, { reject: false, all: true, timeout: PROBE_TIMEOUT_MS });
  if (r.failed && r.exitCode === undefined) {
    throw new Error((r as { code?: string }).code === 'ENOENT' ? `${cmd} not found on PATH` : `${cmd} does not run (${r.shortMessage})`);
  }
  const m = pattern.exec(r.all ?? '');
  if (m === null) throw new Error(`${cmd} ran but printed no version (${(r.all ?? '').split('\n')[0].slice(0, 80)})`);
  return m[1];
}

/** First of `names` that is an executable file on PATH. */
function onPath(names: string[]): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch { /* not here */ }
    }
  }
  return undefined;
}

async function npmPackage(name: string, check: (mod: Record<string, unknown>) => Promise<string>): Promise<string> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(name)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`npm package ${name} cannot be loaded (${String((e as Error).message ?? e).split('\n')[0]})`);
  }
  return check(mod);
}

const SPECS: Spec[] = [
  {
    tool: 'node',
    enables: 'rram-gen itself (Node.js 20.19 or newer)',
    neededByTests: true,
    install: 'install Node.js 20.19 or newer from https://nodejs.org/en/download',
    probe: async () => {
      const [major, minor] = process.versions.node.split('.').map(Number);
      if (major < 20 || (major === 20 && minor < 19)) throw new Error(`Node.js ${process.versions.node} is too old (20.19 or newer needed)`);
      return process.versions.node;
    },
  },
  {
    tool: 'verilator',
    enables: 'rram-gen sim (golden model vs RTL), the lint and RTL regression tests',
    neededByTests: true,
    install: `${APT} verilator   (Debian 12 ships 5.006, the oldest supported)`,
    apt: ['verilator'],
    probe: async () => (await findVerilator()).version,
  },
  {
    tool: 'c++ compiler and make',
    enables: 'compiling the Verilator model of rram-gen sim',
    neededByTests: true,
    install: `${APT} g++ make`,
    apt: ['g++', 'make'],
    probe: async () => {
      const make = await versionOf('make', ['--version'], /GNU Make (\S+)/);
      const cxx = await versionOf('c++', ['--version'], /^(.+)$/m);
      return `${cxx.trim()}; make ${make}`;
    },
  },
  {
    tool: 'iverilog',
    enables: 'running the self-checking testbench that rram-gen build writes (iverilog -g2012 -f tb.f) and its tests',
    neededByTests: true,
    install: `${APT} iverilog`,
    apt: ['iverilog'],
    probe: async () => {
      const v = (await findIverilog()).version;
      await versionOf('vvp', ['-V'], /Icarus Verilog runtime version (\S+)/);
      return v;
    },
  },
  {
    tool: 'yosys (npm @yowasp/yosys)',
    enables: 'rram-gen synth --yosys npm (and auto without a system Yosys), the Yosys tests of the generated RTL',
    neededByTests: true,
    install: 'npm ci   (installs the optional dependency @yowasp/yosys)',
    probe: () => npmPackage('@yowasp/yosys', async (mod) => {
      let out = '';
      const run = mod.runYosys as (args: string[], files: object, opts: object) => Promise<unknown>;
      await run(['-V'], {}, { stdout: (b: Uint8Array | null) => { if (b) out += Buffer.from(b).toString(); }, stderr: () => {} });
      const m = /Yosys (\S+)/.exec(out);
      if (m === null) throw new Error('runYosys -V printed no version');
      return m[1];
    }),
  },
  {
    tool: 'yosys (system)',
    enables: `rram-gen synth --yosys system (and auto, which prefers it: several times faster than npm's); ${MIN_SYSTEM_YOSYS.join('.')} or newer`,
    neededByTests: false,
    install: `${APT} yosys`,
    apt: ['yosys'],
    probe: async () => {
      const r = await systemYosysVersion();
      if ('problem' in r) throw new Error(r.problem);
      return r.version;
    },
  },
  {
    tool: 'onnxruntime-node (npm)',
    enables: 'the tests that check the ONNX importer against ONNX Runtime',
    neededByTests: true,
    install: 'npm ci   (installs the devDependency onnxruntime-node; package.json denies its install script, which would download CUDA libraries)',
    probe: () => npmPackage('onnxruntime-node', async (mod) => {
      if (typeof (mod.InferenceSession as { create?: unknown } | undefined)?.create !== 'function') throw new Error('onnxruntime-node has no InferenceSession');
      return String((mod.env as { versions?: { common?: string } } | undefined)?.versions?.common ?? 'present');
    }),
  },
  {
    tool: 'chromium',
    enables: 'report screenshots (npx tsx scripts/screenshot-report.ts); optional',
    neededByTests: false,
    install: `${APT} chromium   (or set CHROMIUM=/path/to/chrome)`,
    probe: async () => {
      const path = process.env.CHROMIUM ?? onPath(['chromium', 'chromium-browser', 'google-chrome']);
      if (path === undefined) throw new Error('chromium not found on PATH (nor CHROMIUM set)');
      return versionOf(path, ['--version'], /(\d+\.\d+\.\d+\.\d+)/);
    },
  },
  {
    tool: 'ccache',
    enables: 'faster C++ compiles of Verilator models (Verilator\'s OBJCACHE); optional',
    neededByTests: false,
    install: `${APT} ccache`,
    apt: ['ccache'],
    probe: () => versionOf('ccache', ['--version'], /ccache version (\S+)/),
  },
];

/** Runs every check (concurrently), or those `only` keeps; the order of the result is fixed. */
export async function runDoctor(only: (c: { tool: string; apt?: string[] }) => boolean = () => true): Promise<ToolCheck[]> {
  return Promise.all(SPECS.filter(only).map(async (s): Promise<ToolCheck> => {
    const base = { tool: s.tool, enables: s.enables, neededByTests: s.neededByTests, install: s.install, ...(s.apt ? { apt: s.apt } : {}) };
    try {
      return { ...base, ok: true, version: await s.probe() };
    } catch (e) {
      return { ...base, ok: false, problem: problemOf(e) };
    }
  }));
}

/** What went wrong, without the install hint a tool lookup (src/sim/tools.ts) adds: the doctor prints its own. */
function problemOf(e: unknown): string {
  if (isRramGenError(e)) return e.diagnostics[0].message.replace(/; install: .*$/, '');
  return String((e as Error).message ?? e);
}
