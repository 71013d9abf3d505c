// Random nets must be exactly what the validator makes of the same network
// written as net.json, so tests built on them test real nets.

import { describe, expect, it } from 'vitest';
import { accumulatorRange, mulberry32, randomInput, randomNet, runNet, signedBitsFor } from '../../src/golden/index.js';
import { validateNetDocument } from '../../src/ir/index.js';
import type { Activation, Layer, NetIR } from '../../src/ir/types.js';
import { isMatrixLayer, mapSize } from '../../src/ir/types.js';

function toDocument(net: NetIR): unknown {
  const activation = (a: Activation) =>
    a.type === 'threshold' ? { type: a.type, thresholds: Array.from(a.thresholds) } : a;
  const layer = (l: Layer) => {
    switch (l.type) {
      case 'conv':
        return { type: l.type, name: l.name, outChannels: l.outChannels, kernel: l.window.kernelH, stride: l.window.strideH, padding: l.window.padTop,
          weights: Array.from(l.weights), bias: Array.from(l.bias), activation: activation(l.activation) };
      case 'dense':
        return { type: l.type, name: l.name, outFeatures: l.outFeatures, weights: Array.from(l.weights), bias: Array.from(l.bias), activation: activation(l.activation) };
      case 'maxpool':
        return { type: l.type, name: l.name, kernel: l.window.kernelH, stride: l.window.strideH };
    }
  };
  const { channels, height, width, bits } = net.input;
  return { format: 'rram-gen/net@1', name: net.name, input: { channels, height, width, bits }, weightBits: net.weightBits, crossbar: net.crossbar, layers: net.layers.map(layer) };
}

describe('randomNet', () => {
  it('is reproducible from its seed', () => {
    expect(toDocument(randomNet(42))).toEqual(toDocument(randomNet(42)));
    expect(toDocument(randomNet(42))).not.toEqual(toDocument(randomNet(43)));
  });

  it('makes valid nets, equal to the validated IR', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const net = randomNet(seed);
      const { net: validated } = validateNetDocument(toDocument(net), '<memory>', `random-${seed}.json`);
      expect({ ...validated, source: net.source }, `seed ${seed}`).toEqual(net);
    }
  });

  it('stays within the stated bounds', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const net = randomNet(seed);
      const weights = net.layers.reduce((n, l) => n + (isMatrixLayer(l) ? l.weights.length : 0), 0);
      expect(weights, `seed ${seed}`).toBeLessThan(20000);
      expect(net.layers.length).toBeGreaterThanOrEqual(1);
      expect(net.layers.length).toBeLessThanOrEqual(4);
      expect(isMatrixLayer(net.layers[net.layers.length - 1])).toBe(true);
      expect(net.crossbar.rows).toBeGreaterThanOrEqual(4);
      expect(net.crossbar.cols).toBeLessThanOrEqual(16);
    }
  });

  it('has hidden outputs that vary with the input', () => {
    // Across many nets, most hidden values must change with the input (about 3 in 4 do).
    let columns = 0;
    let varying = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const net = randomNet(seed);
      const rng = mulberry32(seed);
      const traces = Array.from({ length: 8 }, () => runNet(net, randomInput(net, rng), { trace: true }).trace!);
      net.layers.forEach((layer, i) => {
        if (!isMatrixLayer(layer) || i === net.layers.length - 1) return;
        const size = mapSize(layer.outShape);
        for (let j = 0; j < size; j++) {
          columns++;
          if (new Set(traces.map((t) => t[i].values[j])).size > 1) varying++;
        }
      });
    }
    expect(varying / columns).toBeGreaterThan(0.65);
  });

  it('sizes a final none layer to hold every accumulator', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const net = randomNet(seed);
      const last = net.layers[net.layers.length - 1];
      if (!isMatrixLayer(last) || last.activation.type !== 'none') continue;
      const { min, max } = accumulatorRange(last);
      expect(last.outShape).toMatchObject({ bits: signedBitsFor(min, max), signed: true });
      expect(-(2 ** (last.outShape.bits - 1))).toBeLessThanOrEqual(min);
      expect(2 ** (last.outShape.bits - 1) - 1).toBeGreaterThanOrEqual(max);
    }
  });
});

describe('signedBitsFor', () => {
  it('gives the narrowest two\'s complement width, at least 2', () => {
    expect(signedBitsFor(0, 0)).toBe(2);
    expect(signedBitsFor(-2, 1)).toBe(2);
    expect(signedBitsFor(-3, 1)).toBe(3);
    expect(signedBitsFor(0, 2)).toBe(3);
    expect(signedBitsFor(-128, 127)).toBe(8);
    expect(signedBitsFor(-129, 0)).toBe(9);
    expect(signedBitsFor(0, 128)).toBe(9);
  });
});
