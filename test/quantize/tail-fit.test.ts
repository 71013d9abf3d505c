// The fine-tune with the thresholds in place (tail-fit.ts): it must train a
// hidden threshold layer through its step (straight-through), not only the
// final layer; it keeps the start when no epoch beats it and gives the same
// weights every run; a conv + max-pool tail must make the golden model's
// decisions; its integers must be the ones worked out by hand.
import { describe, expect, it } from 'vitest';
import { runNet } from '../../src/golden/model.js';
import { mulberry32 } from '../../src/golden/prng.js';
import { validateNetDocument } from '../../src/ir/validate.js';
import type { Maps } from '../../src/quantize/jobs.js';
import { type TailLayer, type TailMatrix, fitTail, tailIntegers, tailLayers, tailWork } from '../../src/quantize/tail-fit.js';

/** XOR of features 0 and 1; feature 2 is noise. No linear read-out of (x0, x1) gets more than 3 of 4 right. */
function xorMaps(n: number): Maps {
  const x = new Uint8Array(n * 3);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x[i * 3] = i % 2;
    x[i * 3 + 1] = (i >> 1) % 2;
    x[i * 3 + 2] = (i >> 2) % 3 === 0 ? 1 : 0;
    labels[i] = (i % 2) ^ ((i >> 1) % 2);
  }
  return { n, size: 3, x, labels } as Maps;
}

/** A dense training layer from net.json's [o][k] weights, a hidden one's thresholds folded into the bias. */
function dense(name: string, weights: number[][], bias: number[], thresholds?: number[]): TailMatrix {
  const O = weights.length;
  const K = weights[0].length;
  const w = new Float64Array(K * O);
  weights.forEach((row, o) => row.forEach((v, k) => { w[k * O + o] = v; }));
  return {
    kind: 'matrix', name, inSize: K, positions: 1, outputs: O, groups: 1, rows: K, groupInputs: K, weights: w,
    bias: Float64Array.from(bias, (b, o) => b - (thresholds?.[o] ?? 0)),
    reads: { start: Int32Array.from({ length: K + 1 }, (_, i) => i), position: new Int32Array(K), row: Int32Array.from({ length: K }, (_, i) => i) },
  };
}

/** Images a dense tail gets right, computed directly from its definition. */
function accuracy(layers: TailLayer[], maps: Maps): number {
  let correct = 0;
  for (let i = 0; i < maps.n; i++) {
    let h = Array.from(maps.x.subarray(i * maps.size, (i + 1) * maps.size));
    const matrices = layers as TailMatrix[];
    matrices.forEach((l, j) => {
      const z = Array.from({ length: l.outputs }, (_, o) => l.bias[o] + h.reduce((s, v, k) => s + v * l.weights[k * l.outputs + o], 0));
      h = j + 1 < matrices.length ? z.map((v) => (v >= 0 ? 1 : 0)) : z;
    });
    if ((h[1] > h[0] ? 1 : 0) === maps.labels[i]) correct++;
  }
  return correct;
}

describe('fitTail', () => {
  const maps = xorMaps(400);

  it('trains the hidden threshold layer through its step: XOR, which the start cannot read out', () => {
    // Four hidden units that copy x0 or x1 (threshold 1 on weight 2: x ≥ 0.5; two also lean on the noise):
    // a read-out of them can get 3 of 4 right at best, so the hidden layer itself must move.
    const start = [dense('h', [[2, 0, 0], [0, 2, 0], [2, 0, 1], [0, 2, 1]], [0, 0, 0, 0], [1, 1, 1, 1]), dense('f', [[0, 0, 0, 0], [1, 1, 1, 1]], [0, -1])];
    expect(accuracy(start, maps)).toBeLessThanOrEqual(300);
    const opts = { epochs: 40, batch: 16, rate: 0.05 };
    const fit = fitTail(start, maps, opts);
    expect(fit.epoch).toBeGreaterThan(0);
    expect(fit.heldCorrect).toBe(fit.held);
    expect(accuracy(fit.layers, maps)).toBe(400);
    const again = fitTail(start, maps, opts).layers[0] as TailMatrix;
    expect(Array.from(again.weights)).toEqual(Array.from((fit.layers[0] as TailMatrix).weights));
  });

  it('keeps the start (epoch 0) when no epoch gets more held-back images right', () => {
    // OR and AND of x0, x1, then OR − AND: XOR exactly.
    const perfect = [dense('h', [[1, 1, 0], [1, 1, 0]], [0, 0], [1, 2]), dense('f', [[0, 0], [1, -1]], [0.5, 0])];
    expect(accuracy(perfect, maps)).toBe(400);
    const fit = fitTail(perfect, maps, { epochs: 3, batch: 16, rate: 0.05 });
    expect(fit.epoch).toBe(0);
    expect(fit.heldStart).toBe(fit.held);
    expect(accuracy(fit.layers, maps)).toBe(400);
  });

  it('makes the golden model\'s decisions on a conv + max-pool + dense tail (grouped, padded)', () => {
    const rng = mulberry32(7);
    const ints = (n: number, lo: number, hi: number): number[] => Array.from({ length: n }, () => rng.int(lo, hi));
    // 4×6×6 1-bit input; conv 4→6, 3×3, stride 1, padding 1, 2 groups; max-pool 2; dense 54→5.
    const doc = {
      format: 'rram-gen/net@2', name: 'tail', input: { channels: 4, height: 6, width: 6, bits: 1 }, weightBits: 4, crossbar: { rows: 64, cols: 16 },
      layers: [
        { type: 'conv', name: 'c', outChannels: 6, kernel: 3, stride: 1, padding: 1, groups: 2, weights: ints(6 * 2 * 9, -7, 7), bias: ints(6, -3, 3),
          activation: { type: 'threshold', thresholds: ints(6, -2, 4) } },
        { type: 'maxpool', name: 'p', kernel: 2, stride: 2 },
        { type: 'dense', name: 'd', outFeatures: 5, weights: ints(5 * 54, -7, 7), bias: ints(5, -5, 5), activation: { type: 'none' } },
      ],
    };
    const net = validateNetDocument(doc, '<test>', '<test>').net;
    const layers = tailLayers(net)!;
    expect(layers.map((l) => l.kind)).toEqual(['matrix', 'maxpool', 'matrix']);
    // Every (input, output position) pair of a 3×3 padded window: 4 channels × 6×6 positions × 9 taps, less the padding's.
    expect((layers[0] as TailMatrix).reads.start[4 * 36]).toBe(4 * (4 * 4 * 9 + 4 * 4 * 6 + 4 * 4));
    expect(tailWork(layers)).toBe(4 * 256 * 3 + 54 * 4 + 54 * 5); // each read feeds a group's 3 columns; 54 pooled values × 4 taps; 54 × 5
    // Images whose answer the golden model gives with a clear winner, labelled with it: the start gets all of them right.
    const x: number[] = [];
    const labels: number[] = [];
    while (labels.length < 300) {
      const input = Int32Array.from(ints(144, 0, 1));
      const { output } = runNet(net, input);
      const top = Math.max(...output);
      if (output.filter((v) => v === top).length > 1) continue;
      x.push(...input);
      labels.push(output.indexOf(top));
    }
    const maps = { n: 300, size: 144, x: Uint8Array.from(x), labels: Uint8Array.from(labels) } as Maps;
    const fit = fitTail(layers, maps, { epochs: 0, batch: 10, rate: 0.01 });
    expect(fit.heldStart).toBe(fit.held);
    // A dead unit somewhere (a threshold no input reaches) changes decisions: the check sees the tail's definition.
    const broken = tailLayers(net)!;
    (broken[2] as TailMatrix).bias[labels[0]] -= 1000;
    expect(fitTail(broken, maps, { epochs: 0, batch: 10, rate: 0.01 }).heldStart).toBeLessThan(fit.held);
  });
});

describe('tailIntegers', () => {
  it('quantizes as worked by hand: a step per hidden column, the bias into the threshold; one step for the final layer', () => {
    // Hidden column 0: weights 2, −4, bias −3 → α = 4/127; 2/α = 63.5 → 64 (half away from 0), −4/α = −127;
    // threshold ⌈3/α⌉ = ⌈95.25⌉ = 96. Column 1: weights 0.5, 0.25, bias 0.3 → α = 0.5/127; 127, 63.5 → 64; ⌈−76.2⌉ = −76.
    const hidden = dense('h', [[2, -4], [0.5, 0.25]], [-3, 0.3]);
    // Final: largest |w| 8 → α = 8/127 for both columns; 2 → 31.75 → 32, −1 → −15.875 → −16, 4 → 63.5 → 64;
    // bias 1 → 15.875 → 16, −0.5 → −7.9375 → −8.
    const final = dense('f', [[8, 2], [-1, 4]], [1, -0.5]);
    const [h, f] = tailIntegers([hidden, final], 8);
    expect(h).toEqual({ name: 'h', weights: [64, -127, 127, 64], bias: [0, 0], thresholds: [96, -76] });
    expect(f).toEqual({ name: 'f', weights: [127, 32, -16, 64], bias: [16, -8] });
  });

  it('gives a net\'s own integers back when each hidden column already spans the full range', () => {
    // Hidden columns with largest |w| 7 (4-bit): α = 1, thresholds T − b; the final layer's largest |w| 7 too.
    const doc = {
      format: 'rram-gen/net@1', name: 'tail', input: { channels: 1, height: 1, width: 3, bits: 1 }, weightBits: 4, crossbar: { rows: 8, cols: 8 },
      layers: [
        { type: 'dense', name: 'h', outFeatures: 2, weights: [7, -3, 1, 2, -7, 0], bias: [1, -2], activation: { type: 'threshold', thresholds: [3, -1] } },
        { type: 'dense', name: 'f', outFeatures: 2, weights: [7, -1, 3, 5], bias: [2, -3], activation: { type: 'none' } },
      ],
    };
    const [h, f] = tailIntegers(tailLayers(validateNetDocument(doc, '<test>', '<test>').net)!, 4);
    expect(h).toEqual({ name: 'h', weights: [7, -3, 1, 2, -7, 0], bias: [0, 0], thresholds: [2, 1] });
    expect(f).toEqual({ name: 'f', weights: [7, -1, 3, 5], bias: [2, -3] });
  });
});
