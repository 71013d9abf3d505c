// Quantizes the networks of the model zoo (examples/zoo/zoo.json, trained by
// train_zoo.py) with rram-gen quantize's default options and reports each
// one's float and 1-bit test accuracy and the loss, plus a summary per data
// set and half (median and worst loss, the worst network named).
//
//   npx tsx examples/zoo/run-zoo.ts                       # every network, all 60,000 training images
//   npx tsx examples/zoo/run-zoo.ts --half dev            # the development half only
//   npx tsx examples/zoo/run-zoo.ts --train-count 10000   # quick: the first 10,000 training images
//   npx tsx examples/zoo/run-zoo.ts m-narrow f-bn3        # some networks
//   npx tsx examples/zoo/run-zoo.ts --set refitImages=0   # an option other than the default (experiments)
//
// Results go to stdout and, as JSON, to --out (default examples/zoo/results.json
// for a full default run, nothing otherwise). Tune only on the development
// half: the held-out half is for reporting (examples/zoo/README.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decidedCorrect } from '../../src/quantize/diagnose.js';
import { fineTuneLines } from '../../src/quantize/fine-tune.js';
import { type QuantizeOptions, type QuantizeReport, mnistFiles, quantizeModel } from '../../src/quantize/index.js';

const HERE = import.meta.dirname;

export interface ZooNetwork {
  name: string; file: string; dataset: 'mnist' | 'fashion'; half: 'dev' | 'held-out'; varies: string;
  parameters: number; floatTrain: number; floatTest: number;
}

export const ZOO: ZooNetwork[] = JSON.parse(readFileSync(join(HERE, 'zoo.json'), 'utf8')).networks;

/** Targets of issue 16: MNIST nets with float ≥ 98.5 % lose < 1 point, Fashion-MNIST nets < 2 points. */
export function target(n: { dataset: string; floatTest: number }): number | undefined {
  if (n.dataset === 'fashion') return 2;
  return n.floatTest >= 98.5 ? 1 : undefined;
}

const FASHION = '/usr/share/datasets/fashion-mnist';
export function dataFiles(dataset: 'mnist' | 'fashion'): Pick<QuantizeOptions, 'train' | 'test'> {
  if (dataset === 'mnist') return mnistFiles();
  return {
    train: { images: join(FASHION, 'train-images-idx3-ubyte.gz'), labels: join(FASHION, 'train-labels-idx1-ubyte.gz') },
    test: { images: join(FASHION, 't10k-images-idx3-ubyte.gz'), labels: join(FASHION, 't10k-labels-idx1-ubyte.gz') },
  };
}

export interface ZooResult {
  name: string; dataset: string; half: string; floatTest: number; oneBitTest: number; loss: number; target?: number;
  trainImages: number; trainAccuracy: number; seconds: number; report?: QuantizeReport;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function summaryTable(results: ZooResult[]): string {
  const rows: string[] = [];
  for (const dataset of ['mnist', 'fashion']) {
    for (const half of ['dev', 'held-out']) {
      const r = results.filter((x) => x.dataset === dataset && x.half === half);
      if (r.length === 0) continue;
      const worst = r.reduce((a, b) => (b.loss > a.loss ? b : a));
      const met = r.filter((x) => x.target === undefined || x.loss < x.target).length;
      rows.push(`| ${dataset === 'mnist' ? 'MNIST' : 'Fashion-MNIST'} | ${half} | ${r.length} | ${median(r.map((x) => x.loss)).toFixed(2)} | ${worst.loss.toFixed(2)} (${worst.name}) | ${met} of ${r.length} |`);
    }
  }
  return ['| data set | half | networks | median loss | worst loss (network) | within target |', '|---|---|---:|---:|---|---:|', ...rows].join('\n');
}

export function networkTable(results: ZooResult[]): string {
  return [
    '| network | data set | half | float | 1-bit | loss | target | train images | seconds |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.name} | ${r.dataset} | ${r.half} | ${r.floatTest.toFixed(2)}% | ${r.oneBitTest.toFixed(2)}% | ${r.loss.toFixed(2)} | ${r.target === undefined ? '-' : `< ${r.target}`} | ${r.trainImages} | ${r.seconds.toFixed(0)} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names: string[] = [];
  let half: string | undefined;
  let trainCount: number | undefined;
  let out: string | undefined;
  const extra: Record<string, number | string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--half') half = args[++i];
    else if (a === '--train-count') trainCount = Number(args[++i]);
    else if (a === '--out') out = args[++i];
    else if (a === '--set') {
      const [k, v] = args[++i].split('=');
      extra[k] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
    } else names.push(a);
  }
  const nets = ZOO.filter((n) => (names.length === 0 || names.includes(n.name)) && (half === undefined || n.half === half));
  if (nets.length === 0) throw new Error(`no zoo network matches ${names.join(' ')} ${half ?? ''}`);
  if (out === undefined && trainCount === undefined && names.length === 0 && half === undefined && Object.keys(extra).length === 0) out = join(HERE, 'results.json');
  const results: ZooResult[] = [];
  for (const n of nets) {
    const started = Date.now();
    const { report } = await quantizeModel(join(HERE, n.file), { ...dataFiles(n.dataset), trainCount, name: n.name.replace(/-/g, '_'), ...extra });
    const oneBitTest = 100 * report.testCorrect! / report.testImages!;
    const floatTest = 100 * report.floatTestCorrect! / report.testImages!;
    const r: ZooResult = {
      name: n.name, dataset: n.dataset, half: n.half, floatTest, oneBitTest, loss: Math.round(100 * (floatTest - oneBitTest)) / 100, target: target(n),
      trainImages: report.trainImages, trainAccuracy: 100 * report.trainCorrect / report.trainImages, seconds: (Date.now() - started) / 1000, report,
    };
    results.push(r);
    if (report.diagnosis?.worst) process.stderr.write(`  loses most: ${report.diagnosis.worst.name} (${report.diagnosis.worst.cost.toFixed(2)} points): ${report.diagnosis.worst.cause}\n`);
    for (const l of report.layers) {
      const acc = decidedCorrect(l);
      process.stderr.write(`  ${l.name}${l.pass && l.pass > 1 ? ` (pass ${l.pass})` : ''}: ${l.activation}${l.t !== undefined ? ` t ${l.t.toFixed(2)}` : ''}, train ${acc === undefined ? '-' : (100 * acc / report.trainImages).toFixed(2)}%${l.refit ? `, re-fit ${l.refit.kept ? 'kept' : 'not kept'} (${(100 * l.refit.trainCorrect / report.trainImages).toFixed(2)}%, ${l.refit.seconds.toFixed(0)} s)` : ''}, ${l.seconds.toFixed(0)} s\n`);
    }
    if (report.fineTune) for (const line of fineTuneLines(report.fineTune, report.trainImages)) process.stderr.write(`  ${line}\n`);
    process.stderr.write(`${n.name} (${n.dataset}, ${n.half}): float ${floatTest.toFixed(2)}%, 1-bit ${oneBitTest.toFixed(2)}% (train ${r.trainAccuracy.toFixed(2)}%), loss ${r.loss.toFixed(2)}${r.target !== undefined && r.loss >= r.target ? ` MISSES < ${r.target}` : ''}, ${r.seconds.toFixed(0)} s\n`);
  }
  const text = `${networkTable(results)}\n\n${summaryTable(results)}\n`;
  process.stdout.write(text);
  if (out) writeFileSync(out, `${JSON.stringify({ generator: 'examples/zoo/run-zoo.ts', options: { trainCount, ...extra }, results }, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
