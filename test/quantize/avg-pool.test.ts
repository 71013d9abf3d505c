// Average pooling from ONNX: AveragePool / GlobalAveragePool imported as the
// float net's average (checked against onnxruntime), refused in one line
// where it cannot be mapped, and quantized into a sumpool whose 1/k² the next
// layer's weights carry (the bundled small MNIST model with its MaxPools
// swapped for AveragePools, 1-bit and 4-bit ADC).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxPkg from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { isMatrixLayer, runNet } from '../../src/index.js';
import { argmaxFloat, floatForward, importOnnx, importOnnxFile, mnistFiles, quantizeModel, type QuantizeOptions } from '../../src/quantize/index.js';
import { loadData } from '../../src/quantize/dataset.js';
import { readIdxLabels, readVectors } from '../../src/golden/vectors.js';
import { type NodeSpec, buildModel, randomValues, tensor } from './onnx-builder.js';
import { importError, maxDiff } from './import-helpers.js';
import { parseDiagnostics, runCli } from '../robustness/cli-contract.js';
import { type Segment, quantizeMatrix } from '../../src/quantize/integer.js';
import { inPoolDocs } from '../../src/quantize/avg-pool.js';
import { squareWindow } from '../../src/ops/window.js';

/** Conv (2→3, 3×3, pad 1) → Relu → `pool` nodes ('r1' → 'p1') → Flatten → Gemm; input [batch, 2, 6, 6]. */
function model(pool: NodeSpec[], pooledFeatures: number): Uint8Array {
  return buildModel({
    nodes: [
      { op: 'Conv', inputs: ['image', 'w1', 'b1'], outputs: ['c1'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { op: 'Relu', inputs: ['c1'], outputs: ['r1'] },
      ...pool,
      { op: 'Flatten', inputs: ['p1'], outputs: ['f'], attrs: { axis: 1 } },
      { op: 'Gemm', inputs: ['f', 'w2', 'b2'], outputs: ['logits'], attrs: { transB: 1 } },
    ],
    initializers: [
      tensor('w1', [3, 2, 3, 3], randomValues(1, 54, 1)),
      tensor('b1', [3], randomValues(2, 3)),
      tensor('w2', [4, pooledFeatures], randomValues(3, 4 * pooledFeatures)),
      tensor('b2', [4], randomValues(4, 4)),
    ],
    input: { name: 'image', dims: ['batch', 2, 6, 6] },
    output: { name: 'logits', dims: ['batch', 4] },
  });
}


const avg = (attrs: NodeSpec['attrs']): NodeSpec[] => [{ op: 'AveragePool', inputs: ['r1'], outputs: ['p1'], attrs }];

describe('AveragePool / GlobalAveragePool: float forward pass matches onnxruntime', () => {
  const cases = [
    { what: 'AveragePool 2×2 stride 2', bytes: () => model(avg({ kernel_shape: [2, 2], strides: [2, 2] }), 27), kernel: 2 },
    { what: 'AveragePool 3×3 stride 1, pads 1, count_include_pad 1', bytes: () => model(avg({ kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 1 }), 108), kernel: 3 },
    { what: 'AveragePool 3×3 stride 2 (last row and column unread)', bytes: () => model(avg({ kernel_shape: [3, 3], strides: [2, 2] }), 12), kernel: 3 },
    { what: 'GlobalAveragePool', bytes: () => model([{ op: 'GlobalAveragePool', inputs: ['r1'], outputs: ['p1'] }], 3), kernel: 6 },
    { what: 'MaxPool then AveragePool', bytes: () => model([{ op: 'MaxPool', inputs: ['r1'], outputs: ['m1'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } }, { op: 'AveragePool', inputs: ['m1'], outputs: ['p1'], attrs: { kernel_shape: [3, 3] } }], 3), kernel: 3 },
  ];
  it.each(cases)('$what', async ({ bytes, kernel }) => {
    const b = bytes();
    const pool = importOnnx(b).layers.find((l) => l.type === 'avgpool');
    expect(pool).toMatchObject({ type: 'avgpool', window: { kernelH: kernel, kernelW: kernel } });
    expect(await maxDiff(b, [2, 6, 6])).toBeLessThanOrEqual(1e-5);
  });
});

describe('average pooling that cannot be mapped: one line naming the node and the attribute', () => {
  const refusals = [
    { what: 'padding with count_include_pad 0', bytes: () => model(avg({ kernel_shape: [3, 3], pads: [1, 1, 1, 1] }), 108), text: /\(AveragePool\): attribute count_include_pad=0 with padding: .*only with count_include_pad=1/ },
    { what: 'ceil_mode with a partial window', bytes: () => model(avg({ kernel_shape: [4, 4], strides: [4, 4], ceil_mode: 1 }), 12), text: /\(AveragePool\): attribute ceil_mode=1 on a 6×6 map.*only floor mode/ },
    { what: 'a non-square kernel', bytes: () => model(avg({ kernel_shape: [2, 3] }), 12), text: /\(AveragePool\): kernel_shape=\[2, 3\] is not supported: an AveragePool kernel must be square/ },
    { what: 'an activation after the average', bytes: () => model([...avg({ kernel_shape: [2, 2], strides: [2, 2] }).map((n) => ({ ...n, outputs: ['a1'] })), { op: 'Sigmoid', inputs: ['a1'], outputs: ['p1'] }], 27), text: /\(Sigmoid\): an activation after average pooling \(averagepool_2\) is not supported/ },
  ];
  it.each(refusals)('$what', ({ bytes, text }) => {
    const error = importError(bytes());
    expect(error.diagnostics).toHaveLength(1);
    expect(error.has('onnx-unsupported')).toBe(true);
    expect(error.diagnostics[0].message).toMatch(text);
  });

  it('the CLI prints each as one diagnostic line, no stack trace, exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-gen-refuse-avg-'));
    for (const [i, r] of refusals.entries()) {
      const file = join(dir, `m${i}.onnx`);
      writeFileSync(file, r.bytes());
      const run = await runCli(['quantize', file, '--train', join(dir, 'none-images'), join(dir, 'none-labels'), '-o', join(dir, 'out.json')]);
      const { lines, stray } = parseDiagnostics(run.stderr);
      expect(run.exitCode, `${r.what}: ${run.stderr}`).toBe(2);
      expect(stray, r.what).toEqual([]);
      expect(lines.map((l) => l.code), r.what).toEqual(['onnx-unsupported']);
      expect(lines[0].message, r.what).toMatch(r.text);
    }
  }, 120_000);
});

describe('the 1/k² of an average pool goes into the next layer', () => {
  it('divides the units of the layer reading a 2×2 sum by 4 (the bias keeps its float value)', () => {
    // dense on two sums: float weights [1, −0.25], bias 0.25, each input level worth 0.1 before the pool.
    // Effective weights 0.1/4 and −0.025/4: α = 0.025/127, integers [127, −32] (−31.75), bias 0.25/α = 1270.
    // (Without the 1/4: the same integer weights, but α four times larger and the bias 317.5 → 318.)
    const matrix = { type: 'dense' as const, node: 'fc', inFeatures: 2, outFeatures: 1, weights: Float64Array.of(1, -0.25), bias: Float64Array.of(0.25), activation: { type: 'identity' as const } };
    const shape = { channels: 2, height: 1, width: 1 };
    const seg: Segment = {
      matrix, index: 1, pools: [], inShape: shape, outShape: { channels: 1, height: 1, width: 1 }, pooledShape: { channels: 1, height: 1, width: 1 }, name: 'fc1', poolNames: [],
      inPools: [{ type: 'avgpool', node: 'gap', window: squareWindow(2, 2, 0) }], inPoolNames: ['pool1'], poolInShape: { channels: 2, height: 2, width: 2 },
    };
    const m = quantizeMatrix(seg, Float64Array.of(0.1, 0.1), 8, false);
    expect(Array.from(m.weights)).toEqual([127, -32]);
    expect(m.alpha[0]).toBeCloseTo(0.025 / 127, 12);
    expect(Array.from(m.bias)).toEqual([1270]);
    expect(inPoolDocs(seg)).toEqual([{ type: 'sumpool', name: 'pool1', kernel: 2, stride: 2, padding: 0 }]);
  });
});

const mnist = mnistFiles();
const TRAIN = 300;
const quick: QuantizeOptions = { train: mnist.train, trainCount: TRAIN, grid: 6, threads: 1, calibrationImages: 50, prescanImages: 60 };

/** examples/mnist/small.onnx with its MaxPools (2×2, stride 2) replaced by AveragePools. */
function averaged(): string {
  const { onnx } = onnxPkg;
  const m = onnx.ModelProto.decode(readFileSync(join(import.meta.dirname, '../../examples/mnist/small.onnx')));
  for (const n of m.graph!.node!) if (n.opType === 'MaxPool') n.opType = 'AveragePool';
  const path = join(mkdtempSync(join(tmpdir(), 'rram-avg-')), 'small_avg.onnx');
  writeFileSync(path, onnx.ModelProto.encode(m).finish());
  return path;
}

describe('quantize a model with average pooling', () => {
  it('emits sumpools (net@2) whose next layers carry the 1/k², scoring what the report says, near the float model', async () => {
    const model = averaged();
    const float = importOnnxFile(model);
    expect(float.layers.map((l) => l.type)).toEqual(['conv', 'avgpool', 'conv', 'avgpool', 'dense']);
    const d = loadData(mnist.train, float, TRAIN, 'training');
    const size = d.pixels.length / d.n;
    let floatCorrect = 0;
    for (let i = 0; i < d.n; i++) {
      if (argmaxFloat(floatForward(float, Float64Array.from(d.pixels.subarray(i * size, (i + 1) * size), (v) => Math.fround(v / 255)))) === d.labels[i]) floatCorrect++;
    }
    const labels = readIdxLabels(mnist.train.labels);
    for (const actBits of [1, 4]) {
      const r = await quantizeModel(model, { ...quick, actBits });
      expect(r.doc.format).toBe('rram-gen/net@2');
      const kinds = r.net.layers.map((l) => (isMatrixLayer(l) ? l.activation.type : l.type));
      const hidden = actBits === 1 ? 'threshold' : 'adc';
      expect(kinds).toEqual([hidden, 'sumpool', hidden, 'sumpool', 'adc']);
      // On a 1-bit map a 2×2 sum is a count 0..4: the next conv reads 3-bit inputs.
      expect(r.net.layers[2].inShape.bits).toBe(actBits === 1 ? 3 : 6);
      const inputs = readVectors(mnist.train.images, r.net, { count: TRAIN });
      const correct = inputs.filter((x, i) => runNet(r.net, x).answer === labels[i]).length;
      expect(correct, `act-bits ${actBits}`).toBe(r.report.trainCorrect);
      expect(correct, `act-bits ${actBits}: ${correct} vs float ${floatCorrect}`).toBeGreaterThanOrEqual(0.9 * floatCorrect);
    }
  }, 300_000);
});
