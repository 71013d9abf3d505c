// Makes a CIFAR-10-shaped network for scale tests (not committed: about 2 MB):
// 8-bit 3×32×32 input; conv 3×3 (padding 1) 32-32, max-pool 2, conv 64-64,
// max-pool 2, dense 4096→128→10; 4-bit weights; 0.6 M weights in all.
// Weights are seeded random; each threshold is the median accumulator of its
// channel over a few seeded random images, so every 1-bit map is about half
// ones. The read-out is an 8-bit ADC over the final accumulators seen. Same
// seed, same bytes.
// With --mlp, the same for issue 15's plain MLP instead: 8-bit 1×28×28 input,
// dense 784→256→64→10, 8-bit weights (0.22 M weights).
//   npx tsx examples/make-cifar.ts [OUT.json] [--seed N] [--mlp]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatNetJson, netToDocument } from '../src/ir/index.js';
import { squareWindow } from '../src/ops/window.js';
import type { ConvLayer, DenseLayer, Layer, MapShape, NetIR } from '../src/ir/types.js';
import { mulberry32, randomInputs, runNet } from '../src/golden/index.js';

const { values, positionals } = parseArgs({ options: { seed: { type: 'string', default: '10' }, mlp: { type: 'boolean', default: false } }, allowPositionals: true });
const mlp = values.mlp;
const out = positionals[0] ?? (mlp ? 'mlp.json' : 'cifar.json');
const seed = Number(values.seed);
const rng = mulberry32(seed);
const W_BITS = mlp ? 8 : 4;
const W_MAX = 2 ** (W_BITS - 1) - 1;
const randomWeights = (n: number) => Int32Array.from({ length: n }, () => rng.int(-W_MAX, W_MAX));

const shape = (channels: number, height: number, width: number, bits = 1): MapShape => ({ channels, height, width, bits, signed: false });
const input = mlp ? shape(1, 28, 28, 8) : shape(3, 32, 32, 8);
const none = { type: 'none' } as const;

const conv = (name: string, index: number, inShape: MapShape, outCh: number): ConvLayer => ({
  type: 'conv', name, pointer: `/layers/${index}`, index, inputs: [index - 1], inShapes: [inShape], inShape, outShape: shape(outCh, inShape.height, inShape.width),
  outChannels: outCh, window: squareWindow(3, 1, 1), groups: 1, weights: randomWeights(outCh * inShape.channels * 9), bias: new Int32Array(outCh), activation: none,
});
const pool = (name: string, index: number, inShape: MapShape): Layer => ({
  type: 'maxpool', name, pointer: `/layers/${index}`, index, inputs: [index - 1], inShapes: [inShape], inShape, outShape: shape(inShape.channels, inShape.height / 2, inShape.width / 2), window: squareWindow(2, 2, 0),
});
const dense = (name: string, index: number, inShape: MapShape, outF: number): DenseLayer => ({
  type: 'dense', name, pointer: `/layers/${index}`, index, inputs: [index - 1], inShapes: [inShape], inShape, outShape: shape(outF, 1, 1),
  outFeatures: outF, weights: randomWeights(outF * inShape.channels * inShape.height * inShape.width), bias: new Int32Array(outF), activation: none,
});

function cifarLayers(): Layer[] {
  const c1 = conv('conv1', 0, input, 32);
  const c2 = conv('conv2', 1, c1.outShape, 32);
  const p1 = pool('pool1', 2, c2.outShape);
  const c3 = conv('conv3', 3, p1.outShape, 64);
  const c4 = conv('conv4', 4, c3.outShape, 64);
  const p2 = pool('pool2', 5, c4.outShape);
  const f1 = dense('fc1', 6, p2.outShape, 128);
  return [c1, c2, p1, c3, c4, p2, f1, dense('fc2', 7, f1.outShape, 10)];
}
function mlpLayers(): Layer[] {
  const f1 = dense('fc1', 0, input, 256);
  const f2 = dense('fc2', 1, f1.outShape, 64);
  return [f1, f2, dense('fc3', 2, f2.outShape, 10)];
}
const layers = mlp ? mlpLayers() : cifarLayers();
const last = layers.length - 1;
const net: NetIR = { name: mlp ? 'mlp' : 'cifar', input, weightBits: W_BITS, crossbar: { rows: 128, cols: 128 }, layers, output: layers[last].outShape, source: '<memory>' };
const images = randomInputs(net, 8, seed + 1);

/** Accumulators of layer `upto` (its activation still `none`) over the images, per channel. */
function accumulators(upto: number): number[][] {
  // Fresh layer objects: the golden model caches per layer object what it compiled.
  const prefix: NetIR = { ...net, layers: layers.slice(0, upto + 1).map((l) => ({ ...l })), output: layers[upto].outShape };
  const l = layers[upto] as ConvLayer | DenseLayer;
  const C = l.outShape.channels;
  const HW = l.outShape.height * l.outShape.width;
  const perChannel: number[][] = Array.from({ length: C }, () => []);
  for (const img of images) {
    const acc = runNet(prefix, img).output;
    for (let c = 0; c < C; c++) for (let p = 0; p < HW; p++) perChannel[c].push(acc[c * HW + p]);
  }
  return perChannel;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Layers in order: each threshold sees the 1-bit maps of the layers before it.
for (const i of layers.flatMap((l, i) => (i < last && l.type !== 'maxpool' ? [i] : []))) {
  const l = layers[i] as ConvLayer | DenseLayer;
  l.activation = { type: 'threshold', thresholds: Int32Array.from(accumulators(i), (xs) => median(xs)) };
  l.outShape = { ...l.outShape, bits: 1 };
  const next = layers[i + 1];
  next.inShape = l.outShape;
  next.inShapes = [l.outShape];
  if (next.type === 'maxpool') next.outShape = { ...next.outShape, bits: 1 };
  if (layers[i + 2] && next.type === 'maxpool') {
    layers[i + 2].inShape = next.outShape;
    layers[i + 2].inShapes = [next.outShape];
  }
}
const finalAcc = accumulators(last).flat();
const lo = Math.min(...finalAcc);
const hi = Math.max(...finalAcc);
(layers[last] as DenseLayer).activation = { type: 'adc', bits: 8, offset: lo, step: Math.max(1, Math.ceil((hi - lo + 1) / 256)) };

const what = mlp ? 'MLP scale test: 8-bit 1×28×28 input, dense 784→256→64→10, seeded random 8-bit weights'
  : 'CIFAR-10-shaped scale test: 8-bit 3×32×32 input, conv 32-32-pool-64-64-pool, dense 4096→128→10, seeded random 4-bit weights';
const doc = netToDocument(net, `${what} (seed ${seed}), thresholds at each channel's median accumulator over 8 random images (examples/make-cifar.ts${mlp ? ' --mlp' : ''}). Not trained.`);
writeFileSync(out, formatNetJson(doc));
console.log(`wrote ${out}`);
