// One side of the golden-model benchmark, run as its own process so its peak
// memory is its own: images per second of either the golden model (fast,
// bit-packed path) or ONNX Runtime on a float ONNX model of the same network,
// on the same MNIST test images, in batches of the same size.
//   tsx bench/golden-child.ts golden NET.json IMAGES BATCH RUNS
//   tsx bench/golden-child.ts ort    NET.json IMAGES BATCH RUNS [MODEL.onnx]
// Prints {"rates":[…]}: images per second (wall time) of each run over all IMAGES.
// ONNX Runtime runs on one thread, like the golden model.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { readIdxImages, readVectors, runBatch } from '../src/golden/index.js';
import { loadNet } from '../src/ir/index.js';
import { MNIST_TEST } from './lib/measure.js';
import { onnxOfNet } from './onnx-of-net.js';

const [side, netPath, imagesArg, batchArg, runsArg, modelPath] = process.argv.slice(2);
const [images, batch, runs] = [Number(imagesArg), Number(batchArg), Number(runsArg)];
const { net } = loadNet(netPath);
const rates: number[] = [];

if (side === 'golden') {
  const inputs = readVectors(MNIST_TEST.images, net, { count: images });
  // Warm-up: one untimed pass (JIT, the fast path's tables).
  for (let b = 0; b < images; b += batch) runBatch(net, inputs.slice(b, b + batch));
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    for (let b = 0; b < images; b += batch) runBatch(net, inputs.slice(b, b + batch));
    rates.push(images / ((performance.now() - started) / 1000));
  }
} else if (side === 'ort') {
  const bytes = modelPath ? readFileSync(modelPath) : onnxOfNet(net);
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const px = readIdxImages(MNIST_TEST.images).pixels;
  const { channels: C, height: H, width: W } = net.input;
  const x = Float32Array.from(px.subarray(0, images * H * W), (p) => p / 255);
  const feeds = (b: number) => ({ [session.inputNames[0]]: new ort.Tensor('float32', x.subarray(b * C * H * W, (b + batch) * C * H * W), [Math.min(batch, images - b), C, H, W]) });
  // Warm-up: one untimed pass (ONNX Runtime's first runs of a shape are several times slower).
  for (let b = 0; b < images; b += batch) await session.run(feeds(b));
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    for (let b = 0; b < images; b += batch) await session.run(feeds(b));
    rates.push(images / ((performance.now() - started) / 1000));
  }
} else {
  throw new Error(`side must be golden or ort, got ${side}`);
}
process.stdout.write(`${JSON.stringify({ rates })}\n`);
