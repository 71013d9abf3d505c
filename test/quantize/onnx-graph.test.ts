// ONNX import of graphs (issue #17): residual Add of two maps, Concat on the
// channel axis, maps read by several nodes. The float forward pass over the
// graph is checked against onnxruntime; what cannot be mapped is one typed
// error naming the node.
import { describe, expect, it } from 'vitest';
import { RramGenError } from '../../src/diagnostics/index.js';
import { importOnnx } from '../../src/quantize/index.js';
import { type NodeSpec, buildModel, floatVsOnnxRuntime, randomValues, tensor } from './onnx-builder.js';

const conv3 = (pads = 1): NodeSpec['attrs'] => ({ kernel_shape: [3, 3], pads: [pads, pads, pads, pads], strides: [1, 1] });

function bn(prefix: string, n: number, seed: number) {
  return [
    tensor(`${prefix}g`, [n], randomValues(seed, n).map((v) => 1 + v)),
    tensor(`${prefix}b`, [n], randomValues(seed + 1, n)),
    tensor(`${prefix}m`, [n], randomValues(seed + 2, n)),
    tensor(`${prefix}v`, [n], randomValues(seed + 3, n).map((v) => 0.6 + v)),
  ];
}
const bnInputs = (x: string, p: string): string[] => [x, `${p}g`, `${p}b`, `${p}m`, `${p}v`];

/** stem conv+BN+Relu, a residual block (conv-Relu-conv-BN, + skip, Relu), max-pool, dense; `skipFirst` puts the skip as the Add's first input. */
function residual(skipFirst = false): Parameters<typeof buildModel>[0] {
  return {
    nodes: [
      { op: 'Conv', inputs: ['image', 'w0', 'b0'], outputs: ['c0'], attrs: conv3() },
      { op: 'BatchNormalization', inputs: bnInputs('c0', 'n0'), outputs: ['n0'] },
      { op: 'Relu', inputs: ['n0'], outputs: ['x'] },
      { op: 'Conv', inputs: ['x', 'w1', 'b1'], outputs: ['c1'], attrs: conv3() },
      { op: 'Relu', inputs: ['c1'], outputs: ['h'] },
      { op: 'Conv', inputs: ['h', 'w2', 'b2'], outputs: ['c2'], attrs: conv3() },
      { op: 'BatchNormalization', inputs: bnInputs('c2', 'n2'), outputs: ['n2'] },
      { op: 'Add', inputs: skipFirst ? ['x', 'n2'] : ['n2', 'x'], outputs: ['s'], name: 'block_add' },
      { op: 'Relu', inputs: ['s'], outputs: ['r'] },
      { op: 'MaxPool', inputs: ['r'], outputs: ['p'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
      { op: 'Flatten', inputs: ['p'], outputs: ['f'], attrs: { axis: 1 } },
      { op: 'Gemm', inputs: ['f', 'w3', 'b3'], outputs: ['logits'], attrs: { transB: 1 } },
    ],
    initializers: [
      tensor('w0', [4, 1, 3, 3], randomValues(1, 36)), tensor('b0', [4], randomValues(2, 4)), ...bn('n0', 4, 3),
      tensor('w1', [4, 4, 3, 3], randomValues(7, 144)), tensor('b1', [4], randomValues(8, 4)),
      tensor('w2', [4, 4, 3, 3], randomValues(9, 144)), tensor('b2', [4], randomValues(10, 4)), ...bn('n2', 4, 11),
      tensor('w3', [10, 64], randomValues(15, 640)), tensor('b3', [10], randomValues(16, 10)),
    ],
  };
}

/** A fork into a 1×1 conv and a 3×3 conv, concatenated on channels, a Relu'd conv after, dense. */
function concat(axis = 1): Parameters<typeof buildModel>[0] {
  return {
    nodes: [
      { op: 'Conv', inputs: ['image', 'w0', 'b0'], outputs: ['c0'], attrs: conv3() },
      { op: 'Relu', inputs: ['c0'], outputs: ['x'] },
      { op: 'Conv', inputs: ['x', 'wa', 'ba'], outputs: ['a'], attrs: { kernel_shape: [1, 1] } },
      { op: 'Relu', inputs: ['a'], outputs: ['ra'] },
      { op: 'Conv', inputs: ['x', 'wb', 'bb'], outputs: ['b'], attrs: conv3() },
      { op: 'Relu', inputs: ['b'], outputs: ['rb'] },
      { op: 'Concat', inputs: ['ra', 'rb', 'x'], outputs: ['k'], attrs: { axis }, name: 'cat' },
      { op: 'Conv', inputs: ['k', 'wc', 'bc'], outputs: ['c'], attrs: { kernel_shape: [3, 3], strides: [2, 2] } },
      { op: 'Relu', inputs: ['c'], outputs: ['rc'] },
      { op: 'Flatten', inputs: ['rc'], outputs: ['f'], attrs: { axis: 1 } },
      { op: 'Gemm', inputs: ['f', 'w3', 'b3'], outputs: ['logits'], attrs: { transB: 1 } },
    ],
    initializers: [
      tensor('w0', [3, 1, 3, 3], randomValues(1, 27)), tensor('b0', [3], randomValues(2, 3)),
      tensor('wa', [2, 3, 1, 1], randomValues(3, 6)), tensor('ba', [2], randomValues(4, 2)),
      tensor('wb', [5, 3, 3, 3], randomValues(5, 135)), tensor('bb', [5], randomValues(6, 5)),
      tensor('wc', [6, 10, 3, 3], randomValues(7, 540)), tensor('bc', [6], randomValues(8, 6)),
      tensor('w3', [10, 54], randomValues(9, 540)), tensor('b3', [10], randomValues(10, 10)),
    ],
  };
}

function importError(spec: Parameters<typeof buildModel>[0]): RramGenError {
  try {
    importOnnx(buildModel(spec));
  } catch (e) {
    if (e instanceof RramGenError) return e;
    throw e;
  }
  throw new Error('the import succeeded');
}

describe('ONNX import of graphs', () => {
  it('a residual block: the conv before the Add keeps no activation, the Add carries the Relu and reads the fork', async () => {
    for (const skipFirst of [false, true]) {
      const bytes = buildModel(residual(skipFirst));
      const net = importOnnx(bytes);
      expect(net.layers.map((l) => `${l.type}${'activation' in l && l.activation.type === 'relu' ? '+relu' : ''}`)).toEqual(['conv+relu', 'conv+relu', 'conv', 'add+relu', 'maxpool', 'dense']);
      expect(net.layers[3].inputs).toEqual(skipFirst ? [0, 2] : [2, 0]);
      expect(net.layers[1].inputs).toEqual([0]);
      expect(await floatVsOnnxRuntime(bytes, [1, 8, 8])).toBeLessThanOrEqual(1e-4);
    }
  });

  it('a Concat of three maps (one of them the fork itself) on the channel axis', async () => {
    const bytes = buildModel(concat());
    const net = importOnnx(bytes);
    expect(net.layers.map((l) => l.type)).toEqual(['conv', 'conv', 'conv', 'concat', 'conv', 'dense']);
    expect(net.layers[3].inputs).toEqual([1, 2, 0]);
    expect(net.shapes[3]).toEqual({ channels: 10, height: 8, width: 8 });
    expect(await floatVsOnnxRuntime(bytes, [1, 8, 8])).toBeLessThanOrEqual(1e-4);
    expect(await floatVsOnnxRuntime(buildModel(concat(-3)), [1, 8, 8])).toBeLessThanOrEqual(1e-4);
  });

  it('what cannot be mapped is one error naming the node', () => {
    const axis = importError(concat(2));
    expect(axis.diagnostics[0].code).toBe('onnx-unsupported');
    expect(axis.diagnostics[0].message).toMatch(/node "cat" \(Concat\): axis=2/);

    // A Relu on a conv output that the Add reads too: it cannot fold into the conv.
    const forkedRelu = residual();
    forkedRelu.nodes.splice(7, 2, { op: 'Relu', inputs: ['n2'], outputs: ['q'] }, { op: 'Add', inputs: ['n2', 'q'], outputs: ['r'] });
    expect(importError(forkedRelu).diagnostics[0].message).toMatch(/an activation on "n2" is not supported/);

    // BatchNormalization on a map that is also the skip.
    const forkedBn = residual();
    forkedBn.nodes.splice(1, 2, { op: 'BatchNormalization', inputs: bnInputs('c0', 'n0'), outputs: ['x'] }, { op: 'Identity', inputs: ['c0'], outputs: ['unused'] });
    const e = importError(forkedBn);
    expect(e.diagnostics[0].message).toMatch(/BatchNormalization must directly follow a Conv, Gemm or MatMul whose output nothing else reads/);

    // Adding maps of different shapes.
    const shapes = residual();
    shapes.nodes.splice(7, 1, { op: 'Add', inputs: ['n2', 'c0x'], outputs: ['s'], name: 'block_add' });
    shapes.nodes.splice(3, 0, { op: 'MaxPool', inputs: ['x'], outputs: ['c0x'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } });
    expect(importError(shapes).diagnostics[0].message).toMatch(/node "block_add" \(Add\): adds maps of shapes 4×8×8 and 4×4×4/);
  });
});
