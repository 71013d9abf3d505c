// The quantizer over a graph: examples/residual/t-res1.onnx (a stride-2 conv
// and one residual block of 16 channels, trained on MNIST by
// examples/residual/train_residual.py) on a slice of MNIST. The residual add
// becomes a conv with activation `none` plus an `add` layer (weight 1 on the
// conv, whole-number weights on the skip), every hidden map is 1 bit, the
// net@2 document validates, the golden model scores what the quantizer
// predicted (quantizeModel throws otherwise), and the accuracy on test images
// it never saw stays close to the float model's.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOnnxFile, mnistFiles, quantizeModel, type QuantizeOptions, type QuantizeResult } from '../../src/quantize/index.js';

const MODEL = join(import.meta.dirname, '../../examples/residual/t-res1.onnx');
const mnist = mnistFiles();
const TEST = 1000;
const quick: QuantizeOptions = { train: mnist.train, test: mnist.test, trainCount: 600, testCount: TEST, grid: 25, threads: 1, calibrationImages: 200 };

let oneBit: QuantizeResult;
let eightBit: QuantizeResult;
beforeAll(async () => {
  oneBit = await quantizeModel(MODEL, quick);
  eightBit = await quantizeModel(MODEL, { ...quick, actBits: 8 });
}, 900_000);

const kinds = (r: QuantizeResult): string[] => (r.doc.layers as { type: string; activation?: { type: string } }[]).map((d) => `${d.type}:${d.activation?.type ?? '-'}`);

describe('quantize a residual graph', () => {
  it('the import is a graph: the Add reads the block conv and the fork', () => {
    const float = importOnnxFile(MODEL);
    expect(float.layers.map((l) => `${l.type}${'activation' in l && l.activation.type === 'relu' ? '+relu' : ''}`)).toEqual(['conv+relu', 'maxpool', 'conv+relu', 'conv', 'add+relu', 'dense']);
    expect(float.layers[4].inputs).toEqual([3, 1]);
  });

  it('1-bit: a net@2 document; the add is the raw conv with weight 1 plus the skip map in its accumulator units, thresholded', () => {
    expect(oneBit.doc.format).toBe('rram-gen/net@2');
    expect(kinds(oneBit)).toEqual(['conv:threshold', 'maxpool:-', 'conv:threshold', 'conv:none', 'add:threshold', 'dense:adc']);
    const add = (oneBit.doc.layers as Record<string, unknown>[])[4] as { inputs: string[]; weights: number[][] };
    expect(add.inputs).toEqual(['conv3', 'pool1']);
    expect(add.weights[0].every((w) => w === 1)).toBe(true);
    // The skip's 1 is worth something in every channel, within the weight range.
    expect(add.weights[1].every((w) => w >= 1 && w <= 127)).toBe(true);
    expect((oneBit.doc.layers as Record<string, unknown>[])[3]).not.toHaveProperty('inputs');
    expect(oneBit.net.layers.slice(0, -1).filter((l) => l.type !== 'conv' || l.activation.type !== 'none').every((l) => l.outShape.bits === 1)).toBe(true);
  });

  // Measured: 9 points on t-res1 with the defaults' 1,000 search images (float 98.00 %, 1-bit 88.98 % on
  // 10,000 test images): a 1-bit map costs what it costs without the chain method's re-fit; a broken skip costs far more.
  it('1-bit: test accuracy within 12 points of float', () => {
    const { testCorrect, floatTestCorrect } = oneBit.report;
    expect(floatTestCorrect!).toBeGreaterThan(0.95 * TEST);
    expect(floatTestCorrect! - testCorrect!).toBeLessThanOrEqual(0.12 * TEST);
  });

  it('8-bit ADC baseline: within 1 point of float', () => {
    expect(kinds(eightBit)).toEqual(['conv:adc', 'maxpool:-', 'conv:adc', 'conv:none', 'add:adc', 'dense:adc']);
    const { testCorrect, floatTestCorrect } = eightBit.report;
    expect(floatTestCorrect! - testCorrect!).toBeLessThanOrEqual(0.01 * TEST);
  });
});
