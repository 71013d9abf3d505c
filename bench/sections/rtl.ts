// Section 4: the LeNet-sized example in Verilator. Cold build: `rram-gen sim`
// with an empty model cache and ccache disabled, the Verilator + C++ build
// time it reports, against the cold build of examples/tiny.json in the same
// run. Cached: the same command again with the same cache (whole command
// wall time, against the cold one). Then MNIST test images through the
// cached model: simulated images per second (against the golden model's
// rate on the same net from section golden) and the measured cycles per
// image over the plan's analytic bound (1.00 is the limit).
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, MNIST_TEST, type Measured, measure, spread } from '../lib/measure.js';
import { type Row, pairRatios, ratio, row, rss } from '../lib/rows.js';
import type { Context } from './context.js';

const NET = join('examples', 'lenet.json');
const TINY = join('examples', 'tiny.json');

interface SimJson { report: { images: number; simSeconds: number; model: { cached: boolean; buildSeconds: number }; cycles: { ratio?: number; perImageMeasured?: number; perImageBound: number } } }

function sim(ctx: Context, cache: string, net: string, extra: string[], cold: boolean): { m: Measured; json: SimJson } {
  const env = { ...process.env, RRAM_GEN_CACHE: cache, ...(cold ? { CCACHE_DISABLE: '1' } : {}) };
  const m = measure('node', [...CLI, 'sim', net, '--json', ...extra], { env });
  if (m.exitCode !== 0) throw new Error(`rram-gen sim ${net} exited with ${m.exitCode}: ${(m.stderr || m.stdout).slice(-400)}`);
  return { m, json: JSON.parse(m.stdout) as SimJson };
}

export function benchRtl(ctx: Context): Row[] {
  const cold: number[] = [];
  const coldWall: number[] = [];
  const coldRss: Array<number | undefined> = [];
  const tiny: number[] = [];
  const cachedWall: number[] = [];
  const cachedRss: Array<number | undefined> = [];
  const rates: number[] = [];
  const cycleRatios: number[] = [];
  const simRss: Array<number | undefined> = [];
  let bound = 0;
  for (let r = 0; r < ctx.rtlRuns; r++) {
    const cache = mkdtempSync(join(ctx.work, 'cache-'));
    try {
      ctx.say(`rtl: run ${r + 1}/${ctx.rtlRuns}, cold build of tiny.json`);
      const t = sim(ctx, cache, TINY, ['--vectors', '3'], true);
      tiny.push(t.json.report.model.buildSeconds);
      ctx.say(`rtl: run ${r + 1}/${ctx.rtlRuns}, cold build of lenet.json`);
      const c = sim(ctx, cache, NET, ['--vectors', '3'], true);
      if (c.json.report.model.cached) throw new Error('the cold build found a cached model');
      cold.push(c.json.report.model.buildSeconds);
      coldWall.push(c.m.wallSeconds);
      coldRss.push(c.m.peakRssMiB);
      ctx.say(`rtl: run ${r + 1}/${ctx.rtlRuns}, cached`);
      const w = sim(ctx, cache, NET, ['--vectors', '3'], false);
      if (!w.json.report.model.cached) throw new Error('the second build did not use the cache');
      cachedWall.push(w.m.wallSeconds);
      cachedRss.push(w.m.peakRssMiB);
      ctx.say(`rtl: run ${r + 1}/${ctx.rtlRuns}, ${ctx.simImages} MNIST images`);
      const s = sim(ctx, cache, NET, ['--input-idx', MNIST_TEST.images, '--count', String(ctx.simImages)], false);
      rates.push(s.json.report.images / s.json.report.simSeconds);
      if (s.json.report.cycles.ratio !== undefined) cycleRatios.push(s.json.report.cycles.ratio);
      bound = s.json.report.cycles.perImageBound;
      simRss.push(s.m.peakRssMiB);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }
  const golden = ctx.goldenRate.get(NET);
  const goldenPairs = golden ? (golden.length >= rates.length ? golden : rates.map(() => spread(golden).median)) : undefined;
  return [
    row('rtl', 'tiny.json', 'Verilator build, cold (no cache, no ccache)', 's', tiny),
    row('rtl', 'lenet.json', 'Verilator build, cold (no cache, no ccache)', 's', cold, { ratio: ratio(pairRatios(cold, tiny), 'cold build of tiny.json'), peakRssMiB: rss(coldRss) }),
    row('rtl', 'lenet.json', 'rram-gen sim --vectors 3 wall, model cached', 's', cachedWall, {
      ratio: ratio(pairRatios(cachedWall, coldWall), 'the same command, cold'), peakRssMiB: rss(cachedRss),
    }),
    row('rtl', 'lenet.json', `simulated MNIST images (${ctx.simImages})`, 'images/s', rates, {
      ...(goldenPairs ? { ratio: ratio(pairRatios(rates, goldenPairs), 'golden model images/s') } : {}), peakRssMiB: rss(simRss),
    }),
    row('rtl', 'lenet.json', `cycles per image ÷ plan bound (${bound})`, 'ratio', cycleRatios, { note: '1.00 is the limit: one input pixel per cycle' }),
  ];
}
