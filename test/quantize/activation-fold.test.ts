// Folding a float activation into the integer read-out (activation-fold.ts),
// checked by brute force over the integers, and the quantizer end to end on
// the bundled small MNIST model with its ReLUs swapped for other monotonic
// activations (1-bit thresholds and the K-bit ADC baseline).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxPkg from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { isMatrixLayer, runNet } from '../../src/index.js';
import { argmaxFloat, floatForward, importOnnxFile, mnistFiles, quantizeModel, type QuantizeOptions } from '../../src/quantize/index.js';
import { loadData } from '../../src/quantize/dataset.js';
import { readIdxLabels, readVectors } from '../../src/golden/vectors.js';
import { ceilDiv } from '../../src/quantize/integer.js';
import { candidateThresholds } from '../../src/quantize/activation-fold.js';
import { type FloatActivation, applyActivation } from '../../src/quantize/float-activation.js';

const ACTIVATIONS: FloatActivation[] = [
  { type: 'relu' }, { type: 'leakyrelu', alpha: 0.1 }, { type: 'prelu', slopes: Float64Array.of(0.2, 0.05) }, { type: 'sigmoid' }, { type: 'tanh' },
  { type: 'clip', min: 0, max: 6 }, { type: 'clip', min: -1, max: 1 }, { type: 'clip', min: 0.3, max: 2 }, { type: 'hardsigmoid', alpha: 0.2, beta: 0.5 },
];

describe('candidate thresholds', () => {
  // Two columns: S = 40 and 13 accumulator units at α = 0.05 and 0.3 (z up to 2 and 3.9).
  const S = Float64Array.of(40, 13);
  const alpha = Float64Array.of(0.05, 0.3);
  const grid = 10;

  it.each(ACTIVATIONS)('$type: T is the smallest integer accumulator whose f reaches the candidate value', (f) => {
    for (let c = 0; c < 2; c++) {
      const z0 = Math.max(0, f.type === 'clip' ? f.min : f.type === 'hardsigmoid' ? -f.beta / f.alpha : f.type === 'relu' ? 0 : -Infinity);
      const lo = applyActivation(f, z0, c);
      const hi = applyActivation(f, Math.max(z0, S[c] * alpha[c]), c);
      let prev = -Infinity;
      for (let i = 0; i <= grid; i++) {
        const T = candidateThresholds(f, S, alpha, i, grid)[c];
        const v = lo + (i / grid) * (hi - lo);
        // f reaches v at T (within rounding) and not one unit below, unless f is flat there (the knee itself).
        expect(applyActivation(f, T * alpha[c], c), `${f.type} c${c} i${i}`).toBeGreaterThanOrEqual(v - 1e-9);
        const below = applyActivation(f, (T - 1) * alpha[c], c);
        expect(below < v + 1e-9 || T * alpha[c] <= z0 + alpha[c], `${f.type} c${c} i${i} T=${T}`).toBe(true);
        expect(T).toBeGreaterThanOrEqual(prev);
        prev = T;
      }
    }
  });

  it('is the method\'s integer grid ⌈i·S/grid⌉ for every f that is the identity from 0 up', () => {
    for (const f of ACTIVATIONS.filter((a) => a.type === 'relu' || a.type === 'leakyrelu' || a.type === 'prelu' || (a.type === 'clip' && a.min === 0))) {
      for (let i = 0; i <= grid; i++) expect(Array.from(candidateThresholds(f, S, alpha, i, grid)), `${f.type} i${i}`).toEqual(Array.from(S, (s) => ceilDiv(i * s, grid)));
    }
  });
});

const mnist = mnistFiles();
const TRAIN = 300;
const quick: QuantizeOptions = { train: mnist.train, trainCount: TRAIN, grid: 6, threads: 1, calibrationImages: 50, prescanImages: 60, refitImages: 0 };

/** examples/mnist/small.onnx with every Relu node replaced by `node` (op type and attributes). */
function swapped(op: string, attribute: onnxPkg.onnx.IAttributeProto[] = [], extraInputs: onnxPkg.onnx.ITensorProto[] = []): string {
  const { onnx } = onnxPkg;
  const m = onnx.ModelProto.decode(readFileSync(join(import.meta.dirname, '../../examples/mnist/small.onnx')));
  for (const n of m.graph!.node!) {
    if (n.opType === 'Relu') {
      n.opType = op;
      n.attribute = attribute;
      n.input = [...n.input!, ...extraInputs.map((t) => t.name!)];
    }
  }
  m.graph!.initializer!.push(...extraInputs);
  const path = join(mkdtempSync(join(tmpdir(), 'rram-act-')), `small_${op.toLowerCase()}.onnx`);
  writeFileSync(path, onnx.ModelProto.encode(m).finish());
  return path;
}
const scalar = (name: string, v: number): onnxPkg.onnx.ITensorProto => ({ name, dims: [], dataType: 1, rawData: new Uint8Array(Float32Array.of(v).buffer) });

describe('quantize with other monotonic activations (small MNIST model, ReLUs swapped)', () => {
  const models = [
    { what: 'LeakyReLU(0.1)', path: () => swapped('LeakyRelu', [{ name: 'alpha', type: 1, f: 0.1 }]) },
    { what: 'ReLU6 (Clip 0..6)', path: () => swapped('Clip', [], [scalar('lo', 0), scalar('hi', 6)]) },
    { what: 'Tanh', path: () => swapped('Tanh') },
    { what: 'HardSigmoid(1/6, 1/2)', path: () => swapped('HardSigmoid', [{ name: 'alpha', type: 1, f: 1 / 6 }, { name: 'beta', type: 1, f: 0.5 }]) },
  ];
  /** Training images the float model (ReLU-trained weights under the swapped activation) gets right. */
  function floatCorrect(model: string): number {
    const float = importOnnxFile(model);
    const d = loadData(mnist.train, float, TRAIN, 'training');
    const size = d.pixels.length / d.n;
    let ok = 0;
    for (let i = 0; i < d.n; i++) {
      const x = Float64Array.from(d.pixels.subarray(i * size, (i + 1) * size), (v) => Math.fround(v / 255));
      if (argmaxFloat(floatForward(float, x)) === d.labels[i]) ok++;
    }
    return ok;
  }
  const labels = readIdxLabels(mnist.train.labels);

  // The swapped models are worse than the ReLU original in float (Tanh about 60 %,
  // HardSigmoid about 20 % on MNIST); each quantized net must keep most of it.
  it.each(models)('$what: 1-bit thresholds and the 4-bit ADC baseline score what their reports say, near the float model', async ({ path }) => {
    const model = path();
    const float = floatCorrect(model);
    for (const actBits of [1, 4]) {
      const r = await quantizeModel(model, { ...quick, actBits });
      const kinds = r.net.layers.map((l) => (isMatrixLayer(l) ? l.activation.type : l.type));
      expect(kinds).toEqual(actBits === 1 ? ['threshold', 'maxpool', 'threshold', 'maxpool', 'adc'] : ['adc', 'maxpool', 'adc', 'maxpool', 'adc']);
      const inputs = readVectors(mnist.train.images, r.net, { count: TRAIN });
      const correct = inputs.filter((x, i) => runNet(r.net, x).answer === labels[i]).length;
      expect(correct, `act-bits ${actBits}`).toBe(r.report.trainCorrect);
      expect(correct, `act-bits ${actBits}: ${correct} vs float ${float}`).toBeGreaterThanOrEqual(0.85 * float);
    }
  }, 300_000);
});
