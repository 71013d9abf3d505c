// Hand-built Net IRs for the golden-model tests. Shapes are worked out here
// with the section 2 formulas; the reference model re-checks them.

import type { Activation, ConvLayer, DenseLayer, Layer, MapShape, MaxPoolLayer, NetIR } from '../../src/ir/types.js';

type Spec =
  | { type: 'conv'; outChannels: number; kernel: number; stride?: number; padding?: number; weights: number[]; bias?: number[]; activation: Activation }
  | { type: 'dense'; outFeatures: number; weights: number[]; bias?: number[]; activation: Activation }
  | { type: 'maxpool'; kernel: number; stride: number };

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
      const side = (n: number) => Math.floor((n - spec.kernel) / spec.stride) + 1;
      layer = { ...base, ...spec, outShape: { ...shape, height: side(shape.height), width: side(shape.width) } } satisfies MaxPoolLayer;
    } else if (spec.type === 'conv') {
      const stride = spec.stride ?? 1;
      const padding = spec.padding ?? 0;
      const side = (n: number) => Math.floor((n + 2 * padding - spec.kernel) / stride) + 1;
      layer = {
        ...base, ...spec, stride, padding,
        weights: Int32Array.from(spec.weights),
        bias: Int32Array.from(spec.bias ?? new Array<number>(spec.outChannels).fill(0)),
        outShape: { channels: spec.outChannels, height: side(shape.height), width: side(shape.width), ...outBits(spec.activation, noneBits) },
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
