// The net@2 document of a quantized graph: the decided integer layers in
// topological order, each naming its inputs when they are not just the layer
// before it (a chain written this way would mean the same as net@1).
import type { Activation } from '../ir/types.js';
import type { FloatMatrix } from './float-net.js';
import type { IntNode } from './graph-int.js';
import type { ActivationDoc, LayerDoc } from './integer.js';
import { windowFields } from '../ops/window.js';

function activationDoc(a: Activation): ActivationDoc {
  return a.type === 'threshold' ? { type: 'threshold', thresholds: Array.from(a.thresholds) } : a.type === 'adc' ? { ...a } : { type: 'none' };
}

export function graphLayerDocs(nodes: IntNode[], names: string[]): LayerDoc[] {
  return nodes.map((node, i) => {
    const ref = (j: number): string => (j < 0 ? 'input' : names[j]);
    const inputs = node.inputs.length === 1 && node.inputs[0] === i - 1 && node.kind !== 'add' ? {} : { inputs: node.inputs.map(ref) };
    const name = names[i];
    switch (node.kind) {
      case 'matrix': {
        const l: FloatMatrix = node.float;
        const common = { ...inputs, weights: Array.from(node.m.weights), bias: Array.from(node.m.bias), activation: activationDoc(node.activation) };
        return l.type === 'conv'
          ? { type: 'conv', name, outChannels: l.outChannels, ...windowFields(l.window, true), ...common }
          : { type: 'dense', name, outFeatures: l.outFeatures, ...common };
      }
      case 'add':
        return { type: 'add', name, ...inputs, weights: node.weights.map((w) => Array.from(w)), bias: Array.from(node.bias), activation: activationDoc(node.activation) };
      case 'pass':
        return node.float.type === 'maxpool'
          ? { type: 'maxpool', name, ...inputs, ...windowFields(node.float.window, false) }
          : { type: 'concat', name, inputs: node.inputs.map(ref) };
    }
  });
}
