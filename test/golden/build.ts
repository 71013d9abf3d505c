// Hand-built Net IRs for the golden-model tests. Shapes are worked out here
// with the section 2 formulas; the reference model re-checks them.

import type { Activation, ConvLayer, DenseLayer, Layer, MapShape, MaxPoolLayer, NetIR, SumPoolLayer, Window2d } from '../../src/ir/types.js';

/** Window fields as in net.json: a number, or [h, w] (padding [top, left, bottom, right]). */
type Pair = number | [number, number];
type Spec =
  | { type: 'conv'; outChannels: number; kernel: Pair; stride?: Pair; padding?: number | [number, number, number, number]; dilation?: Pair; groups?: number; weights: number[]; bias?: number[]; activation: Activation }
  | { type: 'dense'; outFeatures: number; weights: number[]; bias?: number[]; activation: Activation }
  | { type: 'maxpool'; kernel: Pair; stride: Pair; padding?: number | [number, number, number, number] }
  /** `bits`: the sum's width, worked out by the caller. */
  | { type: 'sumpool'; kernel: number; stride: number; padding: number; bits: number };

const two = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : v);
const four = (v: number | [number, number, number, number]): [number, number, number, number] => (typeof v === 'number' ? [v, v, v, v] : v);

function windowOf(kernel: Pair, stride: Pair, padding: number | [number, number, number, number], dilation: Pair): Window2d {
  const [kernelH, kernelW] = two(kernel);
  const [strideH, strideW] = two(stride);
  const [padTop, padLeft, padBottom, padRight] = four(padding);
  const [dilationH, dilationW] = two(dilation);
  return { kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight, dilationH, dilationW };
}

/** Section 2's output side: ⌊(n + before + after − d·(k−1) − 1)/s⌋ + 1. */
const side = (n: number, k: number, s: number, before: number, after: number, d: number) => Math.floor((n + before + after - d * (k - 1) - 1) / s) + 1;

export const threshold = (...t: number[]): Activation => ({ type: 'threshold', thresholds: Int32Array.from(t) });
export const adc = (bits: number, offset: number, step: number): Activation => ({ type: 'adc', bits, offset, step });
export const none: Activation = { type: 'none' };

/** `noneBits` is the final `none` layer's accumulator width, worked out by the caller. */
export function buildNet(input: Omit<MapShape, 'signed'>, weightBits: number, specs: Spec[], noneBits = 32): NetIR {
  let shape: MapShape = { ...input, signed: false };
  const inputShape = shape;
  const layers: Layer[] = specs.map((spec, index) => {
    const base = { name: `${spec.type}${index}`, pointer: `/layers/${index}`, index, inputs: [index - 1], inShapes: [shape], inShape: shape };
    let layer: Layer;
    if (spec.type === 'maxpool') {
      const w = windowOf(spec.kernel, spec.stride, spec.padding ?? 0, 1);
      layer = {
        ...base, type: 'maxpool', window: w,
        outShape: { ...shape, height: side(shape.height, w.kernelH, w.strideH, w.padTop, w.padBottom, 1), width: side(shape.width, w.kernelW, w.strideW, w.padLeft, w.padRight, 1) },
      } satisfies MaxPoolLayer;
    } else if (spec.type === 'sumpool') {
      const w = windowOf(spec.kernel, spec.stride, spec.padding, 1);
      layer = {
        ...base, type: 'sumpool', window: w,
        outShape: { ...shape, height: side(shape.height, w.kernelH, w.strideH, w.padTop, w.padBottom, 1), width: side(shape.width, w.kernelW, w.strideW, w.padLeft, w.padRight, 1), bits: spec.bits },
      } satisfies SumPoolLayer;
    } else if (spec.type === 'conv') {
      const w = windowOf(spec.kernel, spec.stride ?? 1, spec.padding ?? 0, spec.dilation ?? 1);
      layer = {
        ...base, type: 'conv', outChannels: spec.outChannels, window: w, groups: spec.groups ?? 1, activation: spec.activation,
        weights: Int32Array.from(spec.weights),
        bias: Int32Array.from(spec.bias ?? new Array<number>(spec.outChannels).fill(0)),
        outShape: {
          channels: spec.outChannels,
          height: side(shape.height, w.kernelH, w.strideH, w.padTop, w.padBottom, w.dilationH),
          width: side(shape.width, w.kernelW, w.strideW, w.padLeft, w.padRight, w.dilationW),
          ...outBits(spec.activation, noneBits),
        },
      } satisfies ConvLayer;
    } else {
      layer = {
        ...base, ...spec,
        weights: Int32Array.from(spec.weights),
        bias: Int32Array.from(spec.bias ?? new Array<number>(spec.outFeatures).fill(0)),
        outShape: { channels: spec.outFeatures, height: 1, width: 1, ...outBits(spec.activation, noneBits) },
      } satisfies DenseLayer;
    }
    shape = layer.outShape;
    return layer;
  });
  return { name: 'hand', input: inputShape, weightBits, crossbar: { rows: 4, cols: 2 }, layers, output: shape, source: '<memory>' };
}

function outBits(act: Activation, noneBits: number): { bits: number; signed: boolean } {
  if (act.type === 'threshold') return { bits: 1, signed: false };
  if (act.type === 'adc') return { bits: act.bits, signed: false };
  return { bits: noneBits, signed: true };
}
