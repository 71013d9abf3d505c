// The quantizer on conv geometry (#17 item 3): a grouped, strided, dilated,
// asymmetrically padded conv quantizes to the net a plain conv with the same
// block-diagonal weights gives (the groups written as blocks only, in
// rram-gen/net@2), and a Pad node folded into a Conv gives the same net as
// the Conv's own pads. Random float weights on a slice of MNIST: what is
// compared is the integer folding, not the accuracy.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNet } from '../../src/ir/index.js';
import { formatNetJson } from '../../src/ir/serialize.js';
import { mnistFiles, quantizeModel, type QuantizeOptions } from '../../src/quantize/index.js';
import { type NodeSpec, buildModel, randomValues, tensor } from './onnx-builder.js';

const mnist = mnistFiles();
const quick: QuantizeOptions = { train: mnist.train, trainCount: 200, grid: 4, threads: 1, calibrationImages: 40, prescanImages: 40, refitImages: 0 };

// conv1 3×3 pad 1 → 4×28×28, pool 2 → 4×14×14; conv2 3×3 (groups 2), strides [2, 1],
// dilations [1, 2], pads [0, 1, 2, 1]: H (14+0+2−3)/2+1 = 7, W (14+1+1−5)/1+1 = 12 → 4×7×12 = 336.
const w2Grouped = randomValues(21, 4 * 2 * 9, 0.6);

/** Conv2's weights as one [4][4][3][3] conv: output o reads input group ⌊o/2⌋'s two channels, zeros elsewhere. */
function blockDiagonal(grouped: number[]): number[] {
  const full = new Array<number>(4 * 4 * 9).fill(0);
  for (let o = 0; o < 4; o++) {
    for (let c = 0; c < 2; c++) {
      for (let k = 0; k < 9; k++) full[(o * 4 + Math.floor(o / 2) * 2 + c) * 9 + k] = grouped[(o * 2 + c) * 9 + k];
    }
  }
  return full;
}

function model(form: 'grouped' | 'plain' | 'pad-node'): Uint8Array {
  const pads = form === 'pad-node' ? [0, 0, 0, 0] : [0, 1, 2, 1];
  const nodes: NodeSpec[] = [
    { op: 'Conv', inputs: ['image', 'w1', 'b1'], outputs: ['c1'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
    { op: 'Relu', inputs: ['c1'], outputs: ['r1'] },
    { op: 'MaxPool', inputs: ['r1'], outputs: ['p1'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
    ...(form === 'pad-node' ? [{ op: 'Pad', inputs: ['p1', 'pads'], outputs: ['pd'] }] : []),
    { op: 'Conv', inputs: [form === 'pad-node' ? 'pd' : 'p1', 'w2', 'b2'], outputs: ['c2'],
      attrs: { kernel_shape: [3, 3], strides: [2, 1], dilations: [1, 2], pads, group: form === 'plain' ? 1 : 2 } },
    { op: 'Relu', inputs: ['c2'], outputs: ['r2'] },
    { op: 'Flatten', inputs: ['r2'], outputs: ['f'], attrs: { axis: 1 } },
    { op: 'Gemm', inputs: ['f', 'w3', 'b3'], outputs: ['logits'], attrs: { transB: 1 } },
  ];
  return buildModel({
    nodes,
    initializers: [
      tensor('w1', [4, 1, 3, 3], randomValues(11, 36, 0.8)),
      tensor('b1', [4], randomValues(12, 4, 0.1)),
      form === 'plain' ? tensor('w2', [4, 4, 3, 3], blockDiagonal(w2Grouped)) : tensor('w2', [4, 2, 3, 3], w2Grouped),
      tensor('b2', [4], randomValues(22, 4, 0.1)),
      tensor('w3', [10, 336], randomValues(31, 3360, 0.3)),
      tensor('b3', [10], randomValues(32, 10, 0.1)),
      // [N, C, H, W] begin, then end: top 0, left 1, bottom 2, right 1.
      ...(form === 'pad-node' ? [tensor('pads', [8], [0, 0, 0, 1, 0, 0, 2, 1], 'int64')] : []),
    ],
    input: { name: 'image', dims: ['batch', 1, 28, 28] },
  });
}

async function quantize(form: 'grouped' | 'plain' | 'pad-node') {
  const dir = mkdtempSync(join(tmpdir(), 'rram-qgeom-'));
  const path = join(dir, `${form}.onnx`);
  writeFileSync(path, model(form));
  return quantizeModel(path, quick);
}

describe('quantize with conv geometry', () => {
  it('a grouped conv gives the net of the same conv as one block-diagonal matrix; a Pad node the net of the Conv\'s own pads', async () => {
    const [grouped, plain, padNode] = [await quantize('grouped'), await quantize('plain'), await quantize('pad-node')];
    const layers = (d: Record<string, unknown>) => d.layers as Record<string, unknown>[];
    expect(grouped.doc.format).toBe('rram-gen/net@2');
    const g2 = layers(grouped.doc)[2];
    const p2 = layers(plain.doc)[2];
    expect(g2).toMatchObject({ type: 'conv', kernel: 3, stride: [2, 1], padding: [0, 1, 2, 1], dilation: [1, 2], groups: 2 });
    expect(p2.groups).toBeUndefined();
    // The stored blocks, expanded by the loop above, are the plain conv's matrix; everything else is equal.
    expect(blockDiagonal(g2.weights as number[])).toEqual(p2.weights);
    expect({ ...g2, weights: undefined, groups: undefined }).toEqual({ ...p2, weights: undefined, groups: undefined });
    expect(layers(grouped.doc).filter((_, i) => i !== 2)).toEqual(layers(plain.doc).filter((_, i) => i !== 2));
    expect(grouped.report.trainCorrect).toBe(plain.report.trainCorrect);
    // Pad folded into the Conv: the same layers (only the name, from the file, differs).
    expect(formatNetJson(layers(padNode.doc))).toBe(formatNetJson(layers(grouped.doc)));
    // And it reads back as net@2.
    const dir = mkdtempSync(join(tmpdir(), 'rram-qgeom-'));
    writeFileSync(join(dir, 'net.json'), formatNetJson(grouped.doc));
    const { net } = loadNet(join(dir, 'net.json'));
    const conv2 = net.layers[2];
    expect(conv2.type === 'conv' && [conv2.groups, conv2.outShape.height, conv2.outShape.width]).toEqual([2, 7, 12]);
  }, 300_000);
});
