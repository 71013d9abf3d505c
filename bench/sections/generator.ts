// Section 1: wall time of `rram-gen build` on the LeNet-sized example and on
// synthetic networks of about 0.24, 0.47, 1 and 2.2 million weights, each
// run paired with a `node -e ""` start-up measured just before it. The
// fitted exponent of time against weight count says whether the generator
// scales linearly; it is given for the whole time and for the part above
// the fixed cost (the build of the 5-weight examples/tiny.json). That fixed
// cost has a target: at most 4× the paired `node -e ""` (issue 19), as the
// median of at least STARTUP_RUNS pairs (more than --runs when that is
// smaller: three pairs cannot tell 3.8× from 4.1× on a shared machine); the
// build of tiny.json with --charts shows what drawing the charts (Vega) adds.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, type Measured, fittedExponent, measure, spread } from '../lib/measure.js';
import { type Row, pairRatios, ratio, row, rss } from '../lib/rows.js';
import { syntheticNet } from '../synthetic-net.js';
import type { Context } from './context.js';

const HIDDEN = [90, 180, 360, 720];
/** Pairs of the fixed-cost build and `node -e ""` behind the issue-19 ratio. */
export const STARTUP_RUNS = 11;

export function benchGenerator(ctx: Context): Row[] {
  const nets: Array<{ item: string; path: string; weights: number; args?: string[]; synthetic?: boolean; runs?: number }> = [
    { item: 'tiny.json (fixed cost)', path: join('examples', 'tiny.json'), weights: 5, runs: Math.max(ctx.runs, STARTUP_RUNS) },
    { item: 'tiny.json --charts (report.html charts by Vega)', path: join('examples', 'tiny.json'), weights: 5, args: ['--charts'] },
    { item: 'lenet.json', path: join('examples', 'lenet.json'), weights: 34470 },
  ];
  for (const h of HIDDEN) {
    const s = syntheticNet(h);
    const path = join(ctx.work, `synthetic_${h}.json`);
    writeFileSync(path, s.json);
    nets.push({ item: `synthetic ${(s.weights / 1e6).toFixed(2)} M weights`, path, weights: s.weights, synthetic: true });
  }
  // Each build is paired with the `node -e ""` start-up measured just before it.
  const node = new Map<string, Measured[]>(nets.map((n) => [n.item, []]));
  const builds = new Map<string, Measured[]>(nets.map((n) => [n.item, []]));
  const rounds = Math.max(...nets.map((n) => n.runs ?? ctx.runs));
  for (let r = 0; r < rounds; r++) {
    for (const n of nets) {
      const runs = n.runs ?? ctx.runs;
      if (r >= runs) continue;
      ctx.say(`generator: run ${r + 1}/${runs}, ${n.item}`);
      node.get(n.item)!.push(measure('node', ['-e', '']));
      const out = join(ctx.work, 'build-out');
      rmSync(out, { recursive: true, force: true });
      const m = measure('node', [...CLI, 'build', n.path, '-o', out, '--quiet', ...(n.args ?? [])]);
      if (m.exitCode !== 0) throw new Error(`rram-gen build ${n.path} exited with ${m.exitCode}: ${m.stderr.slice(-300)}`);
      builds.get(n.item)!.push(m);
    }
  }
  const starts = [...node.values()].flat();
  const rows: Row[] = [row('generator', 'node -e ""', 'start-up wall', 's', starts.map((m) => m.wallSeconds), { peakRssMiB: rss(starts.map((m) => m.peakRssMiB)) })];
  for (const n of nets) {
    const ms = builds.get(n.item)!;
    const wall = ms.map((m) => m.wallSeconds);
    rows.push(row('generator', `${n.item}`, 'rram-gen build wall', 's', wall, {
      ratio: ratio(pairRatios(wall, node.get(n.item)!.map((m) => m.wallSeconds)), 'node -e ""'), peakRssMiB: rss(ms.map((m) => m.peakRssMiB)),
    }));
  }
  const synth = nets.filter((n) => n.synthetic);
  const medians = synth.map((n) => spread(builds.get(n.item)!.map((m) => m.wallSeconds)).median);
  const fixed = spread(builds.get(nets[0].item)!.map((m) => m.wallSeconds)).median;
  const variable = medians.map((t) => t - fixed);
  const weights = synth.map((n) => n.weights);
  rows.push(row('generator', `synthetic, ${synth.length} sizes`, 'exponent: time ∝ weights^k', 'k', [fittedExponent(weights, medians)], {
    note: 'least-squares slope of log(median wall) against log(weights); below 1 because of the fixed start-up cost',
  }));
  if (variable.every((v) => v > 0)) {
    rows.push(row('generator', `synthetic, ${synth.length} sizes`, 'exponent above fixed cost', 'k', [fittedExponent(weights, variable)], {
      note: 'the same fit on (median wall − median wall of tiny.json): 1.00 is linear',
    }));
  }
  return rows;
}
