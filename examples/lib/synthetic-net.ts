// What the hand-built example nets (make-lenet.ts, make-cifar.ts) share: layer
// builders for a chain with seeded random weights, and the calibration that
// puts each hidden threshold at its channel's median accumulator and the
// read-out's 8-bit ADC over the final accumulators seen.
import type { ConvLayer, DenseLayer, Layer, MapShape, NetIR } from '../../src/ir/types.js';
import { convOutGeometry } from '../../src/ops/conv.js';
import { poolOutGeometry } from '../../src/ops/maxpool.js';
import type { Window2d } from '../../src/ops/window.js';
import { squareWindow } from '../../src/ops/window.js';
import { runNet } from '../../src/golden/index.js';

const none = { type: 'none' } as const;
const oneBit = (g: { channels: number; height: number; width: number }): MapShape => ({ ...g, bits: 1, signed: false });

/** Builders of layer `index` of a chain reading `inShape`; weights drawn by `randomWeights`, activations `none` until calibrated. */
export function chainBuilders(randomWeights: (n: number) => Int32Array) {
  const common = (name: string, index: number, inShape: MapShape) => ({ name, pointer: `/layers/${index}`, index, inputs: [index - 1], inShapes: [inShape], inShape });
  return {
    conv: (name: string, index: number, inShape: MapShape, outChannels: number, window: Window2d): ConvLayer => ({
      type: 'conv', ...common(name, index, inShape), outShape: oneBit(convOutGeometry({ outChannels, window }, inShape)),
      outChannels, window, groups: 1, weights: randomWeights(outChannels * inShape.channels * window.kernelH * window.kernelW), bias: new Int32Array(outChannels), activation: none,
    }),
    pool: (name: string, index: number, inShape: MapShape): Layer => {
      const window = squareWindow(2, 2, 0);
      return { type: 'maxpool', ...common(name, index, inShape), outShape: oneBit(poolOutGeometry({ window }, inShape)), window };
    },
    dense: (name: string, index: number, inShape: MapShape, outFeatures: number): DenseLayer => ({
      type: 'dense', ...common(name, index, inShape), outShape: oneBit({ channels: outFeatures, height: 1, width: 1 }),
      outFeatures, weights: randomWeights(outFeatures * inShape.channels * inShape.height * inShape.width), bias: new Int32Array(outFeatures), activation: none,
    }),
  };
}

/**
 * Layers in order: each hidden matrix layer gets thresholds at its channels'
 * median accumulators over `images` (at least `minThreshold`), seeing the 1-bit
 * maps of the layers before it; the last layer an 8-bit ADC spanning its
 * accumulators.
 */
export function calibrate(net: NetIR, images: Int32Array[], minThreshold = -Infinity): void {
  const { layers } = net;
  const last = layers.length - 1;
  /** Accumulators of layer `upto` (its activation still `none`) over the images, per channel. */
  const accumulators = (upto: number): number[][] => {
    const prefix: NetIR = { ...net, layers: layers.slice(0, upto + 1), output: layers[upto].outShape };
    const C = layers[upto].outShape.channels;
    const HW = layers[upto].outShape.height * layers[upto].outShape.width;
    const perChannel: number[][] = Array.from({ length: C }, () => []);
    for (const img of images) {
      const out = runNet(prefix, img).output;
      for (let c = 0; c < C; c++) for (let p = 0; p < HW; p++) perChannel[c].push(out[c * HW + p]);
    }
    return perChannel;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (let i = 0; i < last; i++) {
    const l = layers[i];
    if (l.type !== 'conv' && l.type !== 'dense') continue;
    l.activation = { type: 'threshold', thresholds: Int32Array.from(accumulators(i), (xs) => Math.max(minThreshold, median(xs))) };
  }
  const finalAcc = accumulators(last).flat();
  const lo = Math.min(...finalAcc);
  const hi = Math.max(...finalAcc);
  (layers[last] as ConvLayer | DenseLayer).activation = { type: 'adc', bits: 8, offset: lo, step: Math.max(1, Math.ceil((hi - lo + 1) / 256)) };
}
