// Net IR → net.json text: the inverse of validation, for tools that produce
// networks (example generators, the quantizer). Integer arrays stay on one
// line so a file with thousands of weights remains readable.
import { INPUT_NAME, isChain } from './graph.js';
import { NET2_FORMAT, NET_FORMAT } from './schema.js';
import type { Activation, Layer, NetIR } from './types.js';

/** net@1 for a chain (so every existing output stays byte-identical), net@2 for a graph. */
export function netToDocument(net: NetIR, description?: string): Record<string, unknown> {
  const chain = isChain(net.layers);
  const inputsOf = (layer: Layer) => (chain ? {} : { inputs: layer.inputs.map((j) => (j < 0 ? INPUT_NAME : net.layers[j].name)) });
  return {
    $schema: `https://rram-gen.dev/schemas/net-${chain ? 1 : 2}.schema.json`,
    format: chain ? NET_FORMAT : NET2_FORMAT,
    name: net.name,
    ...(description !== undefined ? { description } : {}),
    input: { channels: net.input.channels, height: net.input.height, width: net.input.width, bits: net.input.bits },
    weightBits: net.weightBits,
    crossbar: { ...net.crossbar },
    layers: net.layers.map((layer) => {
      // `inputs` goes right after the name; a chain's layers have none.
      const { type, name, ...rest } = layerToDocument(layer);
      return { type, name, ...inputsOf(layer), ...rest };
    }),
  };
}

function layerToDocument(layer: Layer): Record<string, unknown> {
  if (layer.type === 'maxpool') return { type: 'maxpool', name: layer.name, kernel: layer.kernel, stride: layer.stride };
  if (layer.type === 'concat') return { type: 'concat', name: layer.name };
  if (layer.type === 'add') {
    return { type: 'add', name: layer.name, weights: layer.weights.map((w) => Array.from(w)), bias: Array.from(layer.bias), activation: activationToDocument(layer.activation) };
  }
  const common = { weights: Array.from(layer.weights), bias: Array.from(layer.bias), activation: activationToDocument(layer.activation) };
  return layer.type === 'conv'
    ? { type: 'conv', name: layer.name, outChannels: layer.outChannels, kernel: layer.kernel, stride: layer.stride, padding: layer.padding, ...common }
    : { type: 'dense', name: layer.name, outFeatures: layer.outFeatures, ...common };
}

function activationToDocument(a: Activation): Record<string, unknown> {
  if (a.type === 'threshold') return { type: 'threshold', thresholds: Array.from(a.thresholds) };
  if (a.type === 'adc') return { type: 'adc', bits: a.bits, offset: a.offset, step: a.step };
  return { type: 'none' };
}

/** Two-space indented JSON with arrays of integers kept on one line. */
export function formatNetJson(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2).replace(/\[\s+(-?\d+(?:,\s+-?\d+)*)\s+\]/g, (_, body: string) => `[${body.split(/,\s+/).join(', ')}]`)}\n`;
}
