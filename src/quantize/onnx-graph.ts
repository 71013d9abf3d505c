// The graph side of the ONNX import: what the importer knows of each feature
// map tensor, and the two operators that join maps (a residual Add of two
// maps, a Concat on the channel axis). Layers are created in node order, which
// ONNX requires to be topological, so every layer's inputs come before it.
import type onnxPkg from 'onnx-proto';
import { RramGenError } from '../diagnostics/index.js';
import type { Chw, FloatAdd, FloatConcat, FloatLayer } from './float-net.js';
import { IDENTITY } from './float-activation.js';

/** A feature-map tensor as the importer saw it when a node made it. */
export interface TensorState {
  /** The layer whose output it is (−1: the network input); Flatten, Identity and the like keep it. */
  producer: number;
  shape: Chw;
  /** Flattened to [batch, features] (a dense layer may read it). */
  flat: boolean;
  /** The conv/dense layer whose raw output it still is (BatchNormalization and a bias Add fold into it), −1 for none. */
  raw: number;
  /** The conv, dense or add layer a Relu on it belongs to, −1 for none. */
  activationTarget: number;
}

const sameShape = (a: Chw, b: Chw): boolean => a.channels === b.channels && a.height === b.height && a.width === b.width;
const text = (s: Chw): string => `${s.channels}×${s.height}×${s.width}`;

/** A residual Add of two maps of one shape, or why not (`index`: the layer it becomes). */
export function residualAdd(node: string, maps: TensorState[], index: number): { layer: FloatAdd; more: Chw[] } | string {
  if (maps.length !== 2) return `has ${maps.length} inputs; expected 2`;
  const [a, b] = maps;
  if (!sameShape(a.shape, b.shape) || a.flat !== b.flat) {
    return `adds maps of shapes ${text(a.shape)} and ${text(b.shape)}; only maps of one shape are supported (no broadcasting)`;
  }
  if (a.producer === index || b.producer === index) return 'reads its own output';
  return { layer: { type: 'add', node, activation: IDENTITY, inputs: [a.producer, b.producer] }, more: [b.shape] };
}

/** A Concat of maps on the channel axis, or why not. */
export function concatLayer(node: string, maps: TensorState[], _index: number, axis: onnxPkg.onnx.IAttributeProto | undefined): { layer: FloatConcat; more: Chw[] } | string {
  const a = axis === undefined ? undefined : Number(axis.i ?? 0);
  if (a !== 1 && a !== -3) return `axis=${a ?? '(missing)'} is not supported (only 1, the channel axis of [batch, C, H, W])`;
  if (maps.length < 2) return `has ${maps.length} input; expected 2 or more`;
  if (maps.some((m) => m.flat)) return 'concatenates flattened tensors; only C×H×W maps are supported';
  const [first] = maps;
  const odd = maps.find((m) => m.shape.height !== first.shape.height || m.shape.width !== first.shape.width);
  if (odd !== undefined) return `concatenates maps of ${first.shape.height}×${first.shape.width} and ${odd.shape.height}×${odd.shape.width}; all inputs must have one height and width`;
  return { layer: { type: 'concat', node, inputs: maps.map((m) => m.producer) }, more: maps.slice(1).map((m) => m.shape) };
}

/** Every layer but the last must feed another layer: a branch that ends nowhere is an error naming its node. */
export function checkAllUsed(layers: FloatLayer[], file: string): void {
  const used = new Set(layers.flatMap((l, i) => l.inputs ?? [i - 1]));
  layers.slice(0, -1).forEach((l, i) => {
    if (!used.has(i)) throw RramGenError.of('onnx-unsupported', '/graph/output', `the output of node "${l.node}" is not used on the way to the graph output; only one output (the logits) is supported`, file);
  });
}
