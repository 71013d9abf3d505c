// Section 1: wall time of `rram-gen build` on the LeNet-sized example and on
// synthetic networks of about 0.24, 0.47, 1 and 2.2 million weights, each
// run paired with a `node -e ""` start-up measured just before it. The
// fitted exponent of time against weight count says whether the generator
// scales linearly; it is given for the whole time and for the part above
// the fixed cost (the build of the 5-weight examples/tiny.json). That fixed
// cost has a target: at most 4× the paired `node -e ""` (issue 19); the
// build of tiny.json with --charts shows what drawing the charts (Vega) adds.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, type Measured, fittedExponent, measure, spread } from '../lib/measure.js';
import { type Row, pairRatios, ratio, row, rss } from '../lib/rows.js';
import { syntheticNet } from '../synthetic-net.js';
import type { Context } from './context.js';

const HIDDEN = [90, 180, 360, 720];

export function benchGenerator(ctx: Context): Row[] {
  const nets: Array<{ item: string; path: string; weights: number; args?: string[]; synthetic?: boolean }> = [
    { item: 'tiny.json (fixed cost)', path: join('examples', 'tiny.json'), weights: 5 },
    { item: 'tiny.json --charts (report.html charts by Vega)', path: join('examples', 'tiny.json'), weights: 5, args: ['--charts'] },
    { item: 'lenet.json', path: join('examples', 'lenet.json'), weights: 34470 },
  ];
  for (const h of HIDDEN) {
    const s = syntheticNet(h);
    const path = join(ctx.work, `synthetic_${h}.json`);
    writeFileSync(path, s.json);
    nets.push({ item: `synthetic ${(s.weights / 1e6).toFixed(2)} M weights`, path, weights: s.weights, synthetic: true });
  }
  const node: Measured[] = [];
  const builds = new Map<string, Measured[]>(nets.map((n) => [n.item, []]));
  for (let r = 0; r < ctx.runs; r++) {
    for (const n of nets) {
      ctx.say(`generator: run ${r + 1}/${ctx.runs}, ${n.item}`);
      node.push(measure('node', ['-e', '']));
      const out = join(ctx.work, 'build-out');
      rmSync(out, { recursive: true, force: true });
      const m = measure('node', [...CLI, 'build', n.path, '-o', out, '--quiet', ...(n.args ?? [])]);
      if (m.exitCode !== 0) throw new Error(`rram-gen build ${n.path} exited with ${m.exitCode}: ${m.stderr.slice(-300)}`);
      builds.get(n.item)!.push(m);
    }
  }
  // node[] holds one start-up per build, in order: run r, net i at r * nets.length + i.
  const nodeFor = (i: number) => node.filter((_, k) => k % nets.length === i).map((m) => m.wallSeconds);
  const rows: Row[] = [row('generator', 'node -e ""', 'start-up wall', 's', node.map((m) => m.wallSeconds), { peakRssMiB: rss(node.map((m) => m.peakRssMiB)) })];
  nets.forEach((n, i) => {
    const ms = builds.get(n.item)!;
    const wall = ms.map((m) => m.wallSeconds);
    rows.push(row('generator', `${n.item}`, 'rram-gen build wall', 's', wall, {
      ratio: ratio(pairRatios(wall, nodeFor(i)), 'node -e ""'), peakRssMiB: rss(ms.map((m) => m.peakRssMiB)),
    }));
  });
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
