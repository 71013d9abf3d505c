// ONNX import: the float forward pass against onnxruntime on small models
// built here (every supported operator), and a clear, typed error for
// everything else.
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/quantize/index.js';
import { type NodeSpec, buildModel, randomValues, tensor } from './onnx-builder.js';
import { importError, maxDiff } from './import-helpers.js';

const convBnGemm = (): Parameters<typeof buildModel>[0] => ({
  nodes: [
    { op: 'Conv', inputs: ['image', 'w1', 'b1'], outputs: ['c1'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1], dilations: [1, 1], group: 1 } },
    { op: 'BatchNormalization', inputs: ['c1', 'g', 'beta', 'mean', 'var'], outputs: ['bn'], attrs: { epsilon: { float: 1e-3 } } },
    { op: 'Relu', inputs: ['bn'], outputs: ['r1'] },
    { op: 'MaxPool', inputs: ['r1'], outputs: ['p1'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
    { op: 'Flatten', inputs: ['p1'], outputs: ['f'], attrs: { axis: 1 } },
    { op: 'Gemm', inputs: ['f', 'w2', 'b2'], outputs: ['logits'], attrs: { transB: 1, alpha: { float: 0.5 }, beta: { float: 2 } } },
  ],
  initializers: [
    tensor('w1', [4, 1, 3, 3], randomValues(1, 36)),
    tensor('b1', [4], randomValues(2, 4)),
    ...batchNormTensors(4, 3, 0.5),
    tensor('w2', [10, 64], randomValues(7, 640)),
    tensor('b2', [10], randomValues(8, 10)),
  ],
});

/** BatchNormalization's scale, shift, mean and variance for n channels (variance ≥ varFloor), from seeds seed..seed+3. */
function batchNormTensors(n: number, seed: number, varFloor: number) {
  return [
    tensor('g', [n], randomValues(seed, n).map((v) => 1 + v)),
    tensor('beta', [n], randomValues(seed + 1, n)),
    tensor('mean', [n], randomValues(seed + 2, n)),
    tensor('var', [n], randomValues(seed + 3, n).map((v) => varFloor + v)),
  ];
}

describe('ONNX import: float forward pass matches onnxruntime', () => {
  it('Conv (padding) + BatchNormalization + Relu + MaxPool + Flatten + Gemm (alpha, beta)', async () => {
    const bytes = buildModel(convBnGemm());
    const net = importOnnx(bytes);
    expect(net.layers.map((l) => l.type)).toEqual(['conv', 'maxpool', 'dense']);
    expect(net.shapes.map((s) => [s.channels, s.height, s.width])).toEqual([[4, 8, 8], [4, 4, 4], [10, 1, 1]]);
    expect(await maxDiff(bytes, [1, 8, 8])).toBeLessThanOrEqual(1e-4);
  });

  it('strided Conv without bias + Identity + Reshape (Constant shape) + MatMul/Add + BatchNormalization + Dropout + Gemm (transB 0)', async () => {
    const nodes: NodeSpec[] = [
      { op: 'Conv', inputs: ['image', 'w1'], outputs: ['c1'], attrs: { kernel_shape: [3, 3], strides: [2, 2] } },
      { op: 'Relu', inputs: ['c1'], outputs: ['r1'] },
      { op: 'Identity', inputs: ['r1'], outputs: ['id'] },
      { op: 'Constant', inputs: [], outputs: ['shape'], attrs: {} },
      { op: 'Reshape', inputs: ['id', 'shape'], outputs: ['flat'] },
      { op: 'MatMul', inputs: ['flat', 'w2'], outputs: ['mm'] },
      { op: 'Add', inputs: ['b2', 'mm'], outputs: ['add'] },
      { op: 'BatchNormalization', inputs: ['add', 'g', 'beta', 'mean', 'var'], outputs: ['bn'] },
      { op: 'Relu', inputs: ['bn'], outputs: ['r2'] },
      { op: 'Dropout', inputs: ['r2'], outputs: ['d'] },
      { op: 'Gemm', inputs: ['d', 'w3', 'b3'], outputs: ['logits'] },
    ];
    const spec = {
      nodes,
      initializers: [
        tensor('w1', [3, 1, 3, 3], randomValues(11, 27)),
        tensor('w2', [27, 12], randomValues(12, 27 * 12)),
        tensor('b2', [12], randomValues(13, 12)),
        ...batchNormTensors(12, 14, 0.6),
        tensor('w3', [12, 10], randomValues(18, 120)),
        tensor('b3', [10], randomValues(19, 10)),
      ],
      input: { name: 'image', dims: ['batch', 1, 7, 7] },
    };
    // The Constant node's value: a tensor attribute (the builder knows only scalars and lists).
    const bytes = buildModel(spec);
    const { onnx } = (await import('onnx-proto')).default;
    const m = onnx.ModelProto.decode(bytes);
    m.graph!.node![3].attribute = [{ name: 'value', type: 4, t: tensor('', [2], [0, 27], 'int64') }];
    const patched = onnx.ModelProto.encode(m).finish();
    const net = importOnnx(patched);
    expect(net.layers.map((l) => `${l.type}${(l.type === 'conv' || l.type === 'dense') && l.activation.type !== 'identity' ? `+${l.activation.type}` : ''}`)).toEqual(['conv+relu', 'dense+relu', 'dense']);
    expect(await maxDiff(patched, [1, 7, 7])).toBeLessThanOrEqual(1e-4);
  });
});

function withNode(index: number, change: Partial<NodeSpec>): Uint8Array {
  const spec = convBnGemm();
  spec.nodes[index] = { ...spec.nodes[index], ...change };
  return buildModel(spec);
}

describe('ONNX import: unsupported models are clear errors', () => {
  const cases: { what: string; bytes: () => Uint8Array; code: 'onnx-unsupported' | 'onnx-invalid'; pointer?: string; text: RegExp }[] = [
    {
      what: 'an unsupported operator (Softmax) names the node and the op',
      bytes: () => {
        const spec = convBnGemm();
        spec.nodes[5].outputs = ['g5'];
        spec.nodes.push({ op: 'Softmax', inputs: ['g5'], outputs: ['logits'], name: 'probs' });
        return buildModel(spec);
      },
      code: 'onnx-unsupported', pointer: '/graph/node/6', text: /node "probs" \(Softmax\): operator Softmax is not supported/,
    },
    // Groups, dilation, asymmetric and SAME padding, padded pools: supported now (onnx-geometry.test.ts, with their remaining refusals).
    { what: 'an unknown attribute', bytes: () => withNode(2, { attrs: { alpha: { float: 0.1 } } }), code: 'onnx-unsupported', text: /\(Relu\): attribute alpha is not supported/ },
    {
      what: 'a branch that ends nowhere (graphs are fine, a second output is not)',
      bytes: () => {
        const spec = convBnGemm();
        spec.nodes.splice(3, 0, { op: 'MaxPool', inputs: ['r1'], outputs: ['unused'], name: 'side', attrs: { kernel_shape: [2, 2] } });
        return buildModel(spec);
      },
      code: 'onnx-unsupported', text: /node "side" is not used on the way to the graph output/,
    },
    {
      what: 'a Relu on the logits',
      bytes: () => {
        const spec = convBnGemm();
        spec.nodes[5].outputs = ['g5'];
        spec.nodes.push({ op: 'Relu', inputs: ['g5'], outputs: ['logits'] });
        return buildModel(spec);
      },
      code: 'onnx-unsupported', text: /followed by an activation \(relu\)/,
    },
    { what: 'a flat (2-D) input', bytes: () => buildModel({ ...convBnGemm(), input: { name: 'image', dims: ['batch', 64] } }), code: 'onnx-unsupported', pointer: '/graph/input/0', text: /expected \[batch, C, H, W\]/ },
    { what: 'a custom operator domain', bytes: () => withNode(2, { domain: 'com.example' }), code: 'onnx-unsupported', text: /domain "com.example"/ },
    { what: 'bytes that are not protobuf', bytes: () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]), code: 'onnx-invalid', text: /not an ONNX model/ },
    {
      what: 'weights that do not fit the map',
      bytes: () => {
        const spec = convBnGemm();
        spec.initializers[6] = tensor('w2', [10, 63], randomValues(7, 630));
        return buildModel(spec);
      },
      code: 'onnx-invalid', text: /expects 63 input features, the input has 64/,
    },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const e = importError(c.bytes());
      expect(e.has(c.code)).toBe(true);
      expect(e.diagnostics[0].file).toBe('m.onnx');
      if (c.pointer !== undefined) expect(e.diagnostics[0].pointer).toBe(c.pointer);
      expect(e.diagnostics[0].message).toMatch(c.text);
    });
  }
});
