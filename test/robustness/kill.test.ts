// Atomic output under SIGKILL: `rram-gen build` is killed at random moments,
// alternately building two different nets into the same folder. After every
// kill the folder must be the old complete build or the new complete build,
// byte for byte, never a mix. The one state in between — killed between the
// writer's two renames — leaves no folder and the old build parked as
// `.out.old-<pid>`; the next build (even one that then fails) puts it back.
// Iterations: 30, or RRAM_GEN_KILL_RUNS.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, watch, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/golden/prng.js';
import { ROOT, badInputViolations, frozenBin, runCli, sameTree, snapshotTree } from './cli-contract.js';

const RUNS = Math.max(1, Number(process.env.RRAM_GEN_KILL_RUNS ?? 30) || 30);
const SEED = Number(process.env.RRAM_GEN_KILL_SEED ?? Date.now() % 1_000_000);

/** Two nets whose builds differ in every file name (the net name prefixes them all). */
function twoNets(dir: string): [string, string] {
  const a = join(dir, 'lenet.json');
  const b = join(dir, 'lenetb.json');
  cpSync(join(ROOT, 'examples', 'lenet.json'), a);
  const doc = JSON.parse(readFileSync(a, 'utf8'));
  doc.name = 'lenetb';
  writeFileSync(b, JSON.stringify(doc));
  return [a, b];
}

// Builds compared byte for byte must come from one generator, whatever happens to the working tree meanwhile.
const BIN = frozenBin();

function buildArgs(net: string, out: string): string[] {
  return [BIN, 'build', net, '-o', out, '--quiet'];
}

/**
 * Starts a build and SIGKILLs it unless it finished: `delayMs` after the start,
 * or — with `whileWriting` — that long after its temporary folder appears
 * (the writing phase is a few milliseconds of a build of seconds).
 */
function buildKilledAfter(net: string, out: string, delayMs: number, whileWriting: boolean): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn('node', buildArgs(net, out), { stdio: 'ignore' });
    let timer: NodeJS.Timeout | undefined;
    const watcher = whileWriting
      ? watch(dirname(out), (_, name) => {
        if (timer === undefined && String(name).startsWith('.out.tmp-')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      })
      : undefined;
    if (!whileWriting) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      watcher?.close();
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`build exited with ${code ?? signal}`));
    });
  });
}

type Outcome = 'old' | 'new' | 'parked' | 'finished';

describe('rram-gen build killed with SIGKILL at random moments', () => {
  it(`leaves the old or the new complete build, never a mix (${RUNS} kills, seed ${SEED})`, async () => {
    const work = mkdtempSync(join(tmpdir(), 'rram-gen-kill-'));
    const [netA, netB] = twoNets(work);
    // Reference builds, timed: the kill delays are spread over a whole build.
    const refs: Map<string, string>[] = [];
    const times: number[] = [];
    for (const [i, net] of [netA, netB].entries()) {
      const start = performance.now();
      const r = await runCli(buildArgs(net, join(work, `ref${i}`)).slice(1), work, undefined, BIN);
      times.push(performance.now() - start);
      expect(r.exitCode, r.stderr).toBe(0);
      refs.push(snapshotTree(join(work, `ref${i}`)));
    }
    const full = Math.max(...times);

    const parent = join(work, 'target');
    const out = join(parent, 'out');
    mkdirSync(parent);
    cpSync(join(work, 'ref0'), out, { recursive: true });
    let current = 0; // which reference `out` holds
    const rng = mulberry32(SEED);
    const outcomes: Record<Outcome, number> = { old: 0, new: 0, parked: 0, finished: 0 };
    const leftovers = new Set<string>();
    for (let i = 0; i < RUNS; i++) {
      const next = 1 - current;
      // Half the kills anywhere in a build, half while it writes its files.
      const whileWriting = i % 2 === 1;
      const delay = whileWriting ? rng.next() * 40 : rng.next() * full;
      const ended = await buildKilledAfter([netA, netB][next], out, delay, whileWriting);
      const where = `iteration ${i} (seed ${SEED}, kill ${Math.round(delay)} ms after ${whileWriting ? 'the temporary folder appeared' : 'the start'})`;
      const others = readdirSync(parent).filter((e) => e !== 'out');
      for (const e of others) {
        expect(e, `${where}: unexpected entry next to the output folder`).toMatch(/^\.out\.(tmp|old)-/);
        leftovers.add(e.replace(/-.*/, '-*'));
      }
      let outcome: Outcome;
      if (existsSync(out)) {
        const tree = snapshotTree(out);
        if (sameTree(tree, refs[next])) outcome = ended === 'finished' ? 'finished' : 'new';
        else if (sameTree(tree, refs[current])) outcome = 'old';
        else throw new Error(`${where}: the output folder is neither the old nor the new build (${tree.size} files)`);
        if (outcome !== 'old') current = next;
      } else {
        // Killed between the two renames: a reader sees no output folder; the old build is parked.
        const parked = others.filter((e) => e.startsWith('.out.old-'));
        expect(parked, where).toHaveLength(1);
        expect(sameTree(snapshotTree(join(parent, parked[0])), refs[current]), `${where}: the parked build is not the old one`).toBe(true);
        outcome = 'parked';
      }
      outcomes[outcome]++;
    }
    // One build to the end cleans up whatever the kills left.
    const last = await runCli(buildArgs([netA, netB][1 - current], out).slice(1), work, undefined, BIN);
    expect(last.exitCode, last.stderr).toBe(0);
    expect(readdirSync(parent)).toEqual(['out']);
    expect(sameTree(snapshotTree(out), refs[1 - current])).toBe(true);
    console.log(`kill test: ${RUNS} builds SIGKILLed at random (seed ${SEED}; a full build took ${Math.round(full)} ms): ` +
      `${outcomes.old} left the old build, ${outcomes.new} had just written the new one, ${outcomes.finished} finished first, ` +
      `${outcomes.parked} between the two renames; leftovers seen: ${[...leftovers].sort().join(', ') || 'none'}; 0 mixed (load average ${loadavg()[0].toFixed(1)})`);
  });

  it('a build killed between its two renames is put back by the next build, even one that fails', async () => {
    const work = mkdtempSync(join(tmpdir(), 'rram-gen-parked-'));
    const out = join(work, 'out');
    expect((await runCli(['build', join(ROOT, 'examples', 'tiny.json'), '-o', out, '--quiet'], work, undefined, BIN)).exitCode).toBe(0);
    const old = snapshotTree(out);
    // The state a kill between the renames leaves: old build parked, a complete temporary, no folder.
    renameSync(out, join(work, '.out.old-99999'));
    cpSync(join(work, '.out.old-99999'), join(work, '.out.tmp-abc123'), { recursive: true });
    const bad = join(work, 'bad.json');
    writeFileSync(bad, '{ "format": "rram-gen/net@1" ');
    const r = await runCli(['build', bad, '-o', out], work, undefined, BIN);
    expect(badInputViolations(r)).toEqual([]);
    expect(readdirSync(work).sort()).toEqual(['bad.json', 'out']);
    expect(sameTree(snapshotTree(out), old)).toBe(true);
  });
});
