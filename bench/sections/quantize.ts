// Section 3: wall time of `rram-gen quantize` (1-bit mode, default search:
// one pass, the next-layer re-fits on, no per-column refinement; the examples' crossbar sizes from
// examples/mnist/networks.ts) per trained MNIST model, with the number of
// threshold candidates and the training images scored per second over all
// candidates. Reference of that speed: the golden model's images per
// second on the committed 1-bit net of the same model, measured by section
// golden in the same run. Minutes per model on the full 60,000 training
// images; --train-count N measures a reduced run (the table says so).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, measure, spread } from '../lib/measure.js';
import { NETWORKS } from '../../examples/mnist/networks.js';
import { MNIST_EXAMPLES } from '../lib/mnist-nets.js';
import { type Row, pairRatios, ratio, row, rss } from '../lib/rows.js';
import type { Context } from './context.js';


interface LayerReport { candidates?: number; imagesScored?: number; seconds: number; refit?: { seconds: number } }

export function benchQuantize(ctx: Context): Row[] {
  const rows: Row[] = [];
  const images = ctx.trainCount !== undefined ? `${ctx.trainCount} training images (reduced run)` : '60000 training images';
  for (const network of NETWORKS) {
    const model = network.file;
    const onnx = join(MNIST_EXAMPLES, `${model}.onnx`);
    if (!existsSync(onnx)) continue;
    const walls: number[] = [];
    const rates: number[] = [];
    const search: number[] = [];
    const refits: number[] = [];
    const memory: Array<number | undefined> = [];
    let candidates = 0;
    for (let r = 0; r < ctx.quantizeRuns; r++) {
      ctx.say(`quantize: ${model}, run ${r + 1}/${ctx.quantizeRuns}`);
      const args = [...CLI, 'quantize', onnx, '--mnist', '-o', join(ctx.work, `${model}-1bit.json`), '--json',
        '--crossbar', `${network.crossbar.rows}x${network.crossbar.cols}`, ...(ctx.trainCount !== undefined ? ['--train-count', String(ctx.trainCount)] : [])];
      const m = measure('node', args);
      if (m.exitCode !== 0) throw new Error(`rram-gen quantize ${onnx} exited with ${m.exitCode}: ${m.stderr.slice(-400)}`);
      const out = JSON.parse(m.stdout);
      const report = out.report ?? out;
      const layers: LayerReport[] = report.layers;
      candidates = layers.reduce((s, l) => s + (l.candidates ?? 0), 0);
      const searched = layers.filter((l) => l.imagesScored !== undefined);
      const scored = searched.reduce((s, l) => s + l.imagesScored!, 0);
      // A threshold layer's seconds include its re-fit of the next layer (reported apart).
      const refitSeconds = searched.reduce((s, l) => s + (l.refit?.seconds ?? 0), 0);
      const searchSeconds = searched.reduce((s, l) => s + l.seconds, 0) - refitSeconds;
      walls.push(m.wallSeconds);
      search.push(searchSeconds);
      refits.push(refitSeconds);
      rates.push(scored / searchSeconds);
      memory.push(m.peakRssMiB);
    }
    const golden = ctx.goldenRate.get(join(MNIST_EXAMPLES, `${model}-1bit.json`));
    rows.push(row('quantize', `${model}.onnx`, `rram-gen quantize wall, ${images}`, 's', walls, { peakRssMiB: rss(memory) }));
    rows.push(row('quantize', `${model}.onnx`, 'of which the threshold searches', 's', search, rows.length > 1 ? {} : {
      note: 'the rest of the wall time: reading MNIST, statistics, the final check on every training image, the 10,000 test images through the net and the float model',
    }));
    rows.push(row('quantize', `${model}.onnx`, 'of which the next-layer re-fits (least squares on 10,000 images, and scoring it)', 's', refits));
    rows.push(row('quantize', `${model}.onnx`, 'threshold candidates evaluated', 'count', [candidates]));
    rows.push(row('quantize', `${model}.onnx`, 'training images scored per second of search (all candidates, both threads)', 'images/s', rates, {
      ...(golden ? { ratio: ratio(pairRatios(rates, golden.length >= rates.length ? golden : rates.map(() => spread(golden).median)), 'golden model images/s') } : {}),
    }));
  }
  return rows;
}
