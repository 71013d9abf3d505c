// Section 4: the networks of issue 15 in Verilator. For each: a cold build
// (`rram-gen sim` with an empty model cache and ccache disabled: the
// Verilator + C++ build time it reports and the peak RSS of its largest
// process), against the cold build of examples/tiny.json in the same run;
// then images through the cached model: simulated images per second and the
// measured cycles per image over the plan's analytic bound (1.00 is the
// limit). lenet.json also gets the whole cached command's wall time, and its
// rate is compared with the golden model's (section golden). The MLP and the
// CIFAR-shaped net are made by examples/make-cifar.ts (seed 10) into the
// scratch folder; the CIFAR-shaped net simulates random images.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, MNIST_TEST, type Measured, measure, spread } from '../lib/measure.js';
import { type Row, pairRatios, ratio, row, rss } from '../lib/rows.js';
import type { Context } from './context.js';

const TINY = join('examples', 'tiny.json');
const LENET = join('examples', 'lenet.json');

interface SimJson { report: { images: number; simSeconds: number; model: { cached: boolean; buildSeconds: number }; cycles: { ratio?: number; perImageMeasured?: number; perImageBound: number } } }

function sim(ctx: Context, cache: string, net: string, extra: string[], cold: boolean): { m: Measured; json: SimJson } {
  const env = { ...process.env, RRAM_GEN_CACHE: cache, ...(cold ? { CCACHE_DISABLE: '1' } : {}) };
  const m = measure('node', [...CLI, 'sim', net, '--json', ...extra], { env });
  if (m.exitCode !== 0) throw new Error(`rram-gen sim ${net} exited with ${m.exitCode}: ${(m.stderr || m.stdout).slice(-400)}`);
  return { m, json: JSON.parse(m.stdout) as SimJson };
}

interface BenchNet { label: string; path: string; images: string[] }

function benchNets(ctx: Context): BenchNet[] {
  const mnist = ['--input-idx', MNIST_TEST.images, '--count', String(ctx.simImages)];
  const made = (args: string[], file: string): string => {
    const path = join(ctx.work, file);
    const m = measure('npx', ['tsx', join('examples', 'make-cifar.ts'), path, '--seed', '10', ...args]);
    if (m.exitCode !== 0) throw new Error(`make-cifar.ts ${args.join(' ')} exited with ${m.exitCode}: ${m.stderr.slice(-400)}`);
    return path;
  };
  return [
    { label: 'lenet.json', path: LENET, images: mnist },
    { label: 'LeNet-5 (mnist/lenet5-1bit.json)', path: join('examples', 'mnist', 'lenet5-1bit.json'), images: mnist },
    { label: 'MLP 784-256-64-10, 8-bit weights', path: made(['--mlp'], 'mlp.json'), images: mnist },
    { label: 'CIFAR-shaped, 4-bit weights', path: made([], 'cifar.json'), images: ['--vectors', String(Math.max(20, Math.round(ctx.simImages / 5)))] },
  ];
}

interface NetRuns { cold: number[]; coldRss: Array<number | undefined>; rates: number[]; simRss: Array<number | undefined>; cycleRatios: number[]; bound: number; images: number }

export function benchRtl(ctx: Context): Row[] {
  const nets = benchNets(ctx);
  const tiny: number[] = [];
  const cachedWall: number[] = [];
  const lenetColdWall: number[] = [];
  const cachedRss: Array<number | undefined> = [];
  const runs = nets.map((): NetRuns => ({ cold: [], coldRss: [], rates: [], simRss: [], cycleRatios: [], bound: 0, images: 0 }));
  for (let r = 0; r < ctx.rtlRuns; r++) {
    const cache = mkdtempSync(join(ctx.work, 'cache-'));
    try {
      ctx.say(`rtl: run ${r + 1}/${ctx.rtlRuns}, cold build of tiny.json`);
      tiny.push(sim(ctx, cache, TINY, ['--vectors', '3'], true).json.report.model.buildSeconds);
      nets.forEach((net, i) => {
        ctx.say(`rtl: run ${r + 1}/${ctx.rtlRuns}, cold build of ${net.label}`);
        const c = sim(ctx, cache, net.path, ['--vectors', '3'], true);
        if (c.json.report.model.cached) throw new Error(`the cold build of ${net.label} found a cached model`);
        runs[i].cold.push(c.json.report.model.buildSeconds);
        runs[i].coldRss.push(c.m.peakRssMiB);
        if (net.path === LENET) {
          lenetColdWall.push(c.m.wallSeconds);
          const w = sim(ctx, cache, net.path, ['--vectors', '3'], false);
          if (!w.json.report.model.cached) throw new Error('the second build did not use the cache');
          cachedWall.push(w.m.wallSeconds);
          cachedRss.push(w.m.peakRssMiB);
        }
        ctx.say(`rtl: run ${r + 1}/${ctx.rtlRuns}, ${net.label}: simulating`);
        const s = sim(ctx, cache, net.path, net.images, false);
        if (!s.json.report.model.cached) throw new Error(`the simulation of ${net.label} did not use the cached model`);
        runs[i].rates.push(s.json.report.images / s.json.report.simSeconds);
        if (s.json.report.cycles.ratio !== undefined) runs[i].cycleRatios.push(s.json.report.cycles.ratio);
        runs[i].bound = s.json.report.cycles.perImageBound;
        runs[i].images = s.json.report.images;
        runs[i].simRss.push(s.m.peakRssMiB);
      });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }
  const rows = [row('rtl', 'tiny.json', 'Verilator build, cold (no cache, no ccache)', 's', tiny)];
  nets.forEach((net, i) => {
    const x = runs[i];
    const golden = ctx.goldenRate.get(net.path);
    const goldenPairs = golden ? (golden.length >= x.rates.length ? golden : x.rates.map(() => spread(golden).median)) : undefined;
    rows.push(row('rtl', net.label, 'Verilator build, cold (no cache, no ccache)', 's', x.cold, { ratio: ratio(pairRatios(x.cold, tiny), 'cold build of tiny.json'), peakRssMiB: rss(x.coldRss) }));
    if (net.path === LENET) {
      rows.push(row('rtl', net.label, 'rram-gen sim --vectors 3 wall, model cached', 's', cachedWall, {
        ratio: ratio(pairRatios(cachedWall, lenetColdWall), 'the same command, cold'), peakRssMiB: rss(cachedRss),
      }));
    }
    rows.push(row('rtl', net.label, `simulated images (${x.images})`, 'images/s', x.rates, {
      ...(goldenPairs ? { ratio: ratio(pairRatios(x.rates, goldenPairs), 'golden model images/s') } : {}), peakRssMiB: rss(x.simRss),
    }));
    rows.push(row('rtl', net.label, `cycles per image ÷ plan bound (${x.bound})`, 'ratio', x.cycleRatios, { note: '1.00 is the limit: one input pixel per cycle' }));
  });
  return rows;
}
