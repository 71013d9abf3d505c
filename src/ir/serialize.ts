// Net IR → net.json text: the inverse of validation, for tools that produce
// networks (example generators, the quantizer). Integer arrays stay on one
// line so a file with thousands of weights remains readable.
import { NET2_FORMAT, NET_FORMAT } from './schema.js';
import type { Activation, Layer, NetIR } from './types.js';

export function netToDocument(net: NetIR, description?: string): Record<string, unknown> {
  // net@1 unless the net uses a net@2 feature, so every net@1 output stays as it was.
  const net2 = net.layers.some((l) => l.type === 'sumpool');
  return {
    $schema: `https://rram-gen.dev/schemas/net-${net2 ? 2 : 1}.schema.json`,
    format: net2 ? NET2_FORMAT : NET_FORMAT,
    name: net.name,
    ...(description !== undefined ? { description } : {}),
    input: { channels: net.input.channels, height: net.input.height, width: net.input.width, bits: net.input.bits },
    weightBits: net.weightBits,
    crossbar: { ...net.crossbar },
    layers: net.layers.map(layerToDocument),
  };
}

function layerToDocument(layer: Layer): Record<string, unknown> {
  if (layer.type === 'maxpool') return { type: 'maxpool', name: layer.name, kernel: layer.kernel, stride: layer.stride };
  if (layer.type === 'sumpool') return { type: 'sumpool', name: layer.name, kernel: layer.kernel, stride: layer.stride, padding: layer.padding };
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
