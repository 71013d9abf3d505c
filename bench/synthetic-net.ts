// Synthetic networks for the generator benchmark: a fixed conv front end on
// a 3×32×32 8-bit input (conv 32@3×3, pool, conv 64@3×3, pool) and two dense
// layers of `hidden` neurons, so the weight count is set by `hidden`
// (hidden = 360: about 1 million weights). Seeded random 4-bit weights,
// thresholds 0: the generator's work does not depend on the values.
import { formatNetJson, netToDocument } from '../src/ir/index.js';
import type { ConvLayer, DenseLayer, Layer, MapShape, NetIR } from '../src/ir/types.js';
import { mulberry32 } from '../src/golden/index.js';

const W_BITS = 4;

export function syntheticNet(hidden: number): { json: string; weights: number } {
  const rng = mulberry32(hidden);
  const max = 2 ** (W_BITS - 1) - 1;
  const weights = (n: number) => Int32Array.from({ length: n }, () => rng.int(-max, max));
  const bin = (c: number, h: number, w: number): MapShape => ({ channels: c, height: h, width: w, bits: 1, signed: false });
  const threshold = (n: number) => ({ type: 'threshold' as const, thresholds: new Int32Array(n) });
  const layers: Layer[] = [];
  let shape: MapShape = { channels: 3, height: 32, width: 32, bits: 8, signed: false };
  const input = shape;
  const base = () => ({ name: `l${layers.length}`, pointer: `/layers/${layers.length}`, index: layers.length, inputs: [layers.length - 1], inShapes: [shape], inShape: shape });
  const conv = (out: number): void => {
    const l: ConvLayer = { ...base(), type: 'conv', outChannels: out, kernel: 3, stride: 1, padding: 0, weights: weights(out * shape.channels * 9),
      bias: new Int32Array(out), activation: threshold(out), outShape: bin(out, shape.height - 2, shape.width - 2) };
    layers.push(l);
    shape = l.outShape;
  };
  const pool = (): void => {
    const l: Layer = { ...base(), type: 'maxpool', kernel: 2, stride: 2, outShape: bin(shape.channels, shape.height >> 1, shape.width >> 1) };
    layers.push(l);
    shape = l.outShape;
  };
  const dense = (out: number, last = false): void => {
    const n = shape.channels * shape.height * shape.width;
    const l: DenseLayer = { ...base(), type: 'dense', outFeatures: out, weights: weights(out * n), bias: new Int32Array(out),
      activation: last ? { type: 'adc', bits: 8, offset: -1024, step: 8 } : threshold(out),
      outShape: last ? { channels: out, height: 1, width: 1, bits: 8, signed: false } : bin(out, 1, 1) };
    layers.push(l);
    shape = l.outShape;
  };
  conv(32); pool(); conv(64); pool(); dense(hidden); dense(hidden); dense(10, true);
  const net: NetIR = { name: `synthetic_${hidden}`, input, weightBits: W_BITS, crossbar: { rows: 128, cols: 128 }, layers, output: shape, source: '<memory>' };
  const count = layers.reduce((s, l) => s + ('weights' in l ? l.weights.length : 0), 0);
  const doc = netToDocument(net, `Synthetic benchmark network (bench/synthetic-net.ts): ${count} seeded random 4-bit weights, thresholds 0. Not trained.`);
  return { json: formatNetJson(doc), weights: count };
}
