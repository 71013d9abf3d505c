// The scale-test networks of issue 15, built in memory (examples/make-cifar.ts
// writes them; the CIFAR regression test builds one): seeded random weights,
// each hidden threshold at its channel's median accumulator over a few seeded
// random images (so every 1-bit map is about half ones), an 8-bit ADC
// read-out over the final accumulators seen. Same seed, same net.
//   cifar: 8-bit 3×32×32 input; conv 3×3 (padding 1) 32-32, max-pool 2,
//          conv 64-64, max-pool 2, dense 4096→128→10; 4-bit weights (0.6 M).
//   mlp:   8-bit 1×28×28 input, dense 784→256→64→10, 8-bit weights (0.22 M).
import { formatNetJson, netToDocument, validateNetDocument } from '../../src/ir/index.js';
import type { Layer, MapShape, NetIR } from '../../src/ir/types.js';
import { squareWindow } from '../../src/ops/window.js';
import { mulberry32, randomInputs } from '../../src/golden/index.js';
import { calibrate, chainBuilders } from './synthetic-net.js';

export type ScaleNetKind = 'cifar' | 'mlp';

/** The net as its net.json text, and as the validator reads that text (the shapes follow the calibrated activations). */
export function scaleNet(kind: ScaleNetKind, seed: number): { text: string; net: NetIR } {
  const mlp = kind === 'mlp';
  const rng = mulberry32(seed);
  const wBits = mlp ? 8 : 4;
  const wMax = 2 ** (wBits - 1) - 1;
  const { conv, pool, dense } = chainBuilders((n) => Int32Array.from({ length: n }, () => rng.int(-wMax, wMax)));
  const input: MapShape = mlp ? { channels: 1, height: 28, width: 28, bits: 8, signed: false } : { channels: 3, height: 32, width: 32, bits: 8, signed: false };
  let layers: Layer[];
  if (mlp) {
    const f1 = dense('fc1', 0, input, 256);
    const f2 = dense('fc2', 1, f1.outShape, 64);
    layers = [f1, f2, dense('fc3', 2, f2.outShape, 10)];
  } else {
    const c1 = conv('conv1', 0, input, 32, squareWindow(3, 1, 1));
    const c2 = conv('conv2', 1, c1.outShape, 32, squareWindow(3, 1, 1));
    const p1 = pool('pool1', 2, c2.outShape);
    const c3 = conv('conv3', 3, p1.outShape, 64, squareWindow(3, 1, 1));
    const c4 = conv('conv4', 4, c3.outShape, 64, squareWindow(3, 1, 1));
    const p2 = pool('pool2', 5, c4.outShape);
    const f1 = dense('fc1', 6, p2.outShape, 128);
    layers = [c1, c2, p1, c3, c4, p2, f1, dense('fc2', 7, f1.outShape, 10)];
  }
  const net: NetIR = { name: kind, input, weightBits: wBits, crossbar: { rows: 128, cols: 128 }, layers, output: layers[layers.length - 1].outShape, source: '<memory>' };
  calibrate(net, randomInputs(net, 8, seed + 1));
  const what = mlp ? 'MLP scale test: 8-bit 1×28×28 input, dense 784→256→64→10, seeded random 8-bit weights'
    : 'CIFAR-10-shaped scale test: 8-bit 3×32×32 input, conv 32-32-pool-64-64-pool, dense 4096→128→10, seeded random 4-bit weights';
  const description = `${what} (seed ${seed}), thresholds at each channel's median accumulator over 8 random images (examples/make-cifar.ts${mlp ? ' --mlp' : ''}). Not trained.`;
  const text = formatNetJson(netToDocument(net, description));
  return { text, net: validateNetDocument(JSON.parse(text), text, `<${kind} seed ${seed}>`).net };
}
