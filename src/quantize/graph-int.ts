// The integer network the graph quantizer has decided so far, and how it runs
// on one image: every layer's accumulators from its inputs' integer levels,
// then its activation (src/ops/activations: one meaning). This is the
// quantizer's own prediction of the emitted net@2 document; the golden model
// checks it on the training set once the document is complete.
import type { Activation } from '../ir/types.js';
import { activationOp } from '../ops/activations/index.js';
import { type Chw, type FloatConcat, type FloatLayer, type FloatMatrix, type FloatPool, floatLayer } from './float-net.js';
import type { IntMatrix } from './integer.js';
import { IDENTITY } from './float-activation.js';

export type IntNode =
  | { kind: 'matrix'; float: FloatMatrix; m: IntMatrix; activation: Activation; inputs: number[] }
  | { kind: 'add'; weights: Int32Array[]; bias: Int32Array; activation: Activation; inputs: number[] }
  | { kind: 'pass'; float: FloatPool | FloatConcat; inputs: number[] };

/** A float layer of a matrix node's integer weights: its accumulators are exact (integers far below 2^53). */
const asFloat = new WeakMap<IntNode, FloatLayer>();

function integerLayer(node: Extract<IntNode, { kind: 'matrix' }>): FloatLayer {
  let l = asFloat.get(node);
  if (l === undefined) {
    l = { ...node.float, weights: Float64Array.from(node.m.weights), bias: Float64Array.from(node.m.bias), activation: IDENTITY };
    asFloat.set(node, l);
  }
  return l;
}

/** A node's accumulators (before its activation) from its inputs' levels; pass nodes give their output. */
export function nodeAccumulators(node: IntNode, xs: Float64Array[], ss: Chw[], out: Chw): Float64Array {
  switch (node.kind) {
    case 'matrix': return floatLayer(integerLayer(node), xs, ss, out);
    case 'pass': return floatLayer(node.float, xs, ss, out);
    case 'add': {
      const P = out.height * out.width;
      const acc = new Float64Array(out.channels * P);
      for (let c = 0; c < out.channels; c++) {
        for (let q = 0; q < P; q++) {
          let v = node.bias[c];
          for (let i = 0; i < xs.length; i++) v += node.weights[i][c] * xs[i][c * P + q];
          acc[c * P + q] = v;
        }
      }
      return acc;
    }
  }
}

/** Applies a node's activation to its accumulators in place (pass nodes have none). */
export function activateInPlace(node: IntNode, acc: Float64Array, out: Chw): Float64Array {
  if (node.kind === 'pass') return acc;
  const P = out.height * out.width;
  for (let c = 0; c < out.channels; c++) {
    const f = activationOp(node.activation).column(node.activation, c);
    for (let q = 0; q < P; q++) acc[c * P + q] = f(acc[c * P + q]);
  }
  return acc;
}

/** Runs the integer network on one input (levels); returns the last node's output. */
export function runIntGraph(nodes: IntNode[], shapes: Chw[], inShape: Chw, input: Float64Array): Float64Array {
  const outs: Float64Array[] = [];
  nodes.forEach((node, i) => {
    const xs = node.inputs.map((j) => (j < 0 ? input : outs[j]));
    const ss = node.inputs.map((j) => (j < 0 ? inShape : shapes[j]));
    outs.push(activateInPlace(node, nodeAccumulators(node, xs, ss, shapes[i]), shapes[i]));
  });
  return outs[outs.length - 1];
}
