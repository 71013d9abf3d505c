// Net IR → net.json text: the inverse of validation, for tools that produce
// networks (example generators, the quantizer). Integer arrays stay on one
// line so a file with thousands of weights remains readable.
import { INPUT_NAME, isChain } from './graph.js';
import { NET2_FORMAT, NET_FORMAT } from './schema.js';
import type { Activation, Layer, NetIR } from './types.js';
import { windowFields } from '../ops/window.js';

/**
 * The format header of a net whose layers are these documents: net@1
 * whenever it can say them (so every existing output stays byte-identical and
 * older readers keep reading it), else net@2. The one rule for every writer
 * (this file, the quantizer's net documents).
 */
export function formatHeader(layers: Record<string, unknown>[]): { $schema: string; format: string } {
  const net1 = !layers.some(usesNet2);
  return { $schema: `https://rram-gen.dev/schemas/${net1 ? 'net-1' : 'net-2'}.schema.json`, format: net1 ? NET_FORMAT : NET2_FORMAT };
}

/** A layer document with a net@2 feature: inputs, a graph or sum-pool layer, per-axis window fields, dilation, groups, pool padding. */
function usesNet2(doc: Record<string, unknown>): boolean {
  return 'inputs' in doc || doc.type === 'add' || doc.type === 'concat' || doc.type === 'sumpool' ||
    ['kernel', 'stride', 'padding'].some((f) => Array.isArray(doc[f])) || 'dilation' in doc || 'groups' in doc ||
    (doc.type === 'maxpool' && 'padding' in doc);
}

export function netToDocument(net: NetIR, description?: string): Record<string, unknown> {
  // A chain's layers name no inputs.
  const chain = isChain(net.layers);
  const inputsOf = (layer: Layer) => (chain ? {} : { inputs: layer.inputs.map((j) => (j < 0 ? INPUT_NAME : net.layers[j].name)) });
  const layers = net.layers.map((layer) => {
    // `inputs` goes right after the name.
    const { type, name, ...rest } = layerToDocument(layer);
    return { type, name, ...inputsOf(layer), ...rest };
  });
  return {
    ...formatHeader(layers),
    name: net.name,
    ...(description !== undefined ? { description } : {}),
    input: { channels: net.input.channels, height: net.input.height, width: net.input.width, bits: net.input.bits },
    weightBits: net.weightBits,
    crossbar: { ...net.crossbar },
    layers,
  };
}

function layerToDocument(layer: Layer): Record<string, unknown> {
  if (layer.type === 'maxpool') {
    const { kernel, stride, padding } = windowFields(layer.window, false);
    return { type: 'maxpool', name: layer.name, kernel, stride, ...(padding !== 0 ? { padding } : {}) };
  }
  if (layer.type === 'concat') return { type: 'concat', name: layer.name };
  if (layer.type === 'add') {
    return { type: 'add', name: layer.name, weights: layer.weights.map((w) => Array.from(w)), bias: Array.from(layer.bias), activation: activationToDocument(layer.activation) };
  }
  if (layer.type === 'sumpool') {
    const { kernel, stride, padding } = windowFields(layer.window, false);
    return { type: 'sumpool', name: layer.name, kernel, stride, padding };
  }
  const common = { weights: Array.from(layer.weights), bias: Array.from(layer.bias), activation: activationToDocument(layer.activation) };
  return layer.type === 'conv'
    ? { type: 'conv', name: layer.name, outChannels: layer.outChannels, ...windowFields(layer.window, true), ...(layer.groups !== 1 ? { groups: layer.groups } : {}), ...common }
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
