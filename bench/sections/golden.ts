// Section 2: golden-model images per second (the fast path: WebAssembly
// kernels, one thread) on the LeNet-sized example and the MNIST 1-bit and
// 8-bit (multi-bit ADC baseline) networks, against
// ONNX Runtime (one thread) running the float ONNX model of the same network
// on the same MNIST test images in batches of the same size. Each side runs
// in its own child process (bench/golden-child.ts) for its own peak memory.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { measure } from '../lib/measure.js';
import { mnistNets } from '../lib/mnist-nets.js';
import { type Row, pairRatios, ratio, row, rss } from '../lib/rows.js';
import type { Context } from './context.js';

const TSX = join('node_modules', '.bin', 'tsx');

export function benchGolden(ctx: Context): Row[] {
  const { found, missing } = mnistNets(['1bit', '8bit']);
  const nets = [{ item: 'lenet.json', path: join('examples', 'lenet.json'), onnx: undefined as string | undefined }];
  for (const n of found) nets.push({ item: `${n.model}-${n.mode}`, path: n.path, onnx: existsSync(n.onnx) ? n.onnx : undefined });
  const rows: Row[] = [];
  for (const n of nets) {
    const side = (which: 'golden' | 'ort') => {
      ctx.say(`golden: ${n.item}, ${which}`);
      const args = ['bench/golden-child.ts', which, n.path, String(ctx.goldenImages), String(ctx.batch), String(ctx.runs), ...(which === 'ort' && n.onnx ? [n.onnx] : [])];
      const m = measure(TSX, args);
      if (m.exitCode !== 0) throw new Error(`golden-child ${which} ${n.path} exited with ${m.exitCode}: ${m.stderr.slice(-400)}`);
      return { rates: JSON.parse(m.stdout.trim().split('\n').pop()!).rates as number[], rss: m.peakRssMiB };
    };
    const g = side('golden');
    const o = side('ort');
    ctx.goldenRate.set(n.path, g.rates);
    const model = n.onnx ? n.onnx.split('/').pop() : 'ONNX made from lenet.json (ReLU for thresholds)';
    rows.push(row('golden', n.item, 'golden model, fast path', 'images/s', g.rates, {
      ratio: ratio(pairRatios(g.rates, o.rates), 'ONNX Runtime'), peakRssMiB: rss([g.rss]),
    }));
    rows.push(row('golden', n.item, `ONNX Runtime, float (${model})`, 'images/s', o.rates, { peakRssMiB: rss([o.rss]) }));
  }
  if (missing.length > 0) rows[rows.length - 1].note = `not measured (missing): ${missing.join(', ')}`;
  return rows;
}
