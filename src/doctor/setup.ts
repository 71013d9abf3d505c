// `rram-gen setup`: the system tools `sim` and the tests need (Verilator ≥
// 5.006, a C++ compiler with make, Icarus Verilog: the doctor's checks that
// apt-get can install and that are neededByTests, src/doctor/checks.ts),
// found by those checks, and installed with apt-get when one is
// missing and apt-get can run (as root, or through sudo without a password),
// together with the extras that speed things up or that synth and the
// gate-level tests use (ccache, Yosys). Nothing is downloaded any other way.
import { loadExeca } from '../lazy-execa.js';
import { type ToolCheck, runDoctor } from './checks.js';

export type Privilege = 'root' | 'sudo' | 'none';

export interface SetupPlan {
  checks: ToolCheck[];
  /** Tools the tests need (the doctor's neededByTests) that are missing or unusable. */
  missing: ToolCheck[];
  /** Debian packages to install: those of every missing tool, required or extra. */
  packages: string[];
  /** The exact command that installs them, as the user would type it. */
  command: string;
}

/** Checks the tools that apt-get provides and says what to install. */
export async function planSetup(): Promise<SetupPlan> {
  return planFrom(await runDoctor((c) => c.apt !== undefined));
}

export function planFrom(checks: ToolCheck[]): SetupPlan {
  const missing = checks.filter((c) => !c.ok && c.neededByTests);
  const packages = checks.filter((c) => !c.ok).flatMap((c) => c.apt ?? []);
  return { checks, missing, packages, command: packages.length === 0 ? '' : `sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}` };
}

/** Whether apt-get can run here: as root, or through sudo without a password. */
export async function aptPrivilege(): Promise<Privilege> {
  const execa = await loadExeca();
  if ((await execa('apt-get', ['--version'], { reject: false })).exitCode !== 0) return 'none';
  if (process.getuid?.() === 0) return 'root';
  return (await execa('sudo', ['-n', 'true'], { reject: false, stdin: 'ignore' })).exitCode === 0 ? 'sudo' : 'none';
}

/** apt-get update, then install `packages`; its output goes to our stderr unless `quiet`. Returns apt-get's exit code. */
export async function aptInstall(packages: string[], privilege: Exclude<Privilege, 'none'>, quiet: boolean): Promise<number> {
  const execa = await loadExeca();
  const run = (args: string[]) => {
    const [cmd, argv] = privilege === 'root' ? ['apt-get', args] : ['sudo', ['-n', 'apt-get', ...args]];
    return execa(cmd, argv, { reject: false, stdin: 'ignore', stdout: quiet ? 'ignore' : process.stderr, stderr: quiet ? 'ignore' : process.stderr, env: { DEBIAN_FRONTEND: 'noninteractive' } });
  };
  const update = await run(['update', '-qq']);
  if (update.exitCode !== 0) return update.exitCode ?? 1;
  return (await run(['install', '-y', '-qq', ...packages])).exitCode ?? 1;
}
