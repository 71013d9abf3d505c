// ONNX import of conv/pool geometry (#17 item 3): every Conv attribute
// (rectangular kernel_shape, per-axis strides, asymmetric pads, dilations,
// group and depthwise, auto_pad SAME_*), padded and rectangular MaxPool, and
// a Pad node folded into the Conv or MaxPool after it — the float forward
// pass against onnxruntime; and one clear error line for what cannot be mapped.
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/quantize/index.js';
import { type Attr, type NodeSpec, buildModel, randomValues, tensor } from './onnx-builder.js';
import { importError, maxDiff } from './import-helpers.js';

interface ConvCase {
  what: string;
  input: [number, number, number];
  /** Conv output channels, kernel [kh, kw], group. */
  out: number;
  kernel: [number, number];
  group?: number;
  attrs: Record<string, Attr>;
  /** The conv's output map, worked out by hand from ONNX's formula for each case. */
  expect: [number, number];
  /** A Pad node before the Conv: its pads input (N, C, H, W begin, then end). */
  pad?: number[];
  /** A MaxPool after the Relu. */
  pool?: Record<string, Attr>;
  pooled?: [number, number];
}

/** image → [Pad] → Conv → Relu → [MaxPool] → Flatten → Gemm (10 logits). */
function convModel(c: ConvCase): Uint8Array {
  const [C, H, W] = c.input;
  const g = c.group ?? 1;
  const [oh, ow] = c.pooled ?? c.expect;
  const features = c.out * oh * ow;
  const nodes: NodeSpec[] = [];
  let x = 'image';
  const initializers = [
    tensor('w1', [c.out, C / g, ...c.kernel], randomValues(1, c.out * (C / g) * c.kernel[0] * c.kernel[1])),
    tensor('b1', [c.out], randomValues(2, c.out)),
    tensor('w2', [10, features], randomValues(3, 10 * features)),
    tensor('b2', [10], randomValues(4, 10)),
  ];
  if (c.pad !== undefined) {
    initializers.push(tensor('pads', [8], c.pad, 'int64'));
    nodes.push({ op: 'Pad', inputs: [x, 'pads'], outputs: ['padded'], name: 'pad0' });
    x = 'padded';
  }
  nodes.push({ op: 'Conv', inputs: [x, 'w1', 'b1'], outputs: ['c1'], attrs: { kernel_shape: c.kernel, group: g, ...c.attrs }, name: 'conv0' });
  nodes.push({ op: 'Relu', inputs: ['c1'], outputs: ['r1'] });
  x = 'r1';
  if (c.pool !== undefined) {
    nodes.push({ op: 'MaxPool', inputs: [x, ], outputs: ['p1'], attrs: c.pool, name: 'pool0' });
    x = 'p1';
  }
  nodes.push({ op: 'Flatten', inputs: [x], outputs: ['f'], attrs: { axis: 1 } });
  nodes.push({ op: 'Gemm', inputs: ['f', 'w2', 'b2'], outputs: ['logits'], attrs: { transB: 1 } });
  return buildModel({ nodes, initializers, input: { name: 'image', dims: ['batch', C, H, W] } });
}

describe('ONNX import of conv/pool geometry: float forward matches onnxruntime', () => {
  const cases: ConvCase[] = [
    // (H + pads − d·(k−1) − 1)/s + 1 per axis.
    { what: 'rectangular kernel 3×5', input: [2, 9, 11], out: 3, kernel: [3, 5], attrs: {}, expect: [7, 7] },
    { what: 'strides [2, 1]', input: [2, 9, 8], out: 3, kernel: [3, 3], attrs: { strides: [2, 1] }, expect: [4, 6] },
    { what: 'asymmetric pads [0, 1, 2, 0]', input: [1, 7, 7], out: 2, kernel: [3, 3], attrs: { pads: [0, 1, 2, 0] }, expect: [7, 6] },
    { what: 'dilations [2, 2]', input: [2, 9, 9], out: 3, kernel: [3, 3], attrs: { dilations: [2, 2], pads: [2, 2, 2, 2] }, expect: [9, 9] },
    { what: 'dilations [1, 3], strides [1, 2]', input: [1, 8, 12], out: 2, kernel: [2, 3], attrs: { dilations: [1, 3], strides: [1, 2] }, expect: [7, 3] },
    { what: 'group 2', input: [4, 6, 6], out: 6, kernel: [3, 3], group: 2, attrs: { pads: [1, 1, 1, 1] }, expect: [6, 6] },
    { what: 'depthwise (group = channels, 2 outputs each)', input: [3, 6, 7], out: 6, kernel: [3, 3], group: 3, attrs: {}, expect: [4, 5] },
    { what: 'auto_pad SAME_UPPER, stride 2', input: [1, 7, 8], out: 2, kernel: [3, 2], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] }, expect: [4, 4] },
    { what: 'auto_pad SAME_LOWER', input: [1, 6, 6], out: 2, kernel: [2, 2], attrs: { auto_pad: 'SAME_LOWER' }, expect: [6, 6] },
    { what: 'auto_pad VALID', input: [1, 6, 6], out: 2, kernel: [3, 3], attrs: { auto_pad: 'VALID' }, expect: [4, 4] },
    { what: 'Pad → Conv folded (pads [0,0,1,2, 0,0,0,1])', input: [2, 6, 6], out: 3, kernel: [3, 3], attrs: {}, pad: [0, 0, 1, 2, 0, 0, 0, 1], expect: [5, 7] },
    { what: 'Pad → Conv with its own pads', input: [1, 6, 6], out: 2, kernel: [3, 3], attrs: { pads: [1, 0, 0, 1] }, pad: [0, 0, 0, 1, 0, 0, 1, 0], expect: [6, 6] },
    {
      what: 'padded rectangular MaxPool [3, 2], strides [2, 1], pads [1, 0, 1, 1]', input: [1, 8, 8], out: 2, kernel: [3, 3], attrs: {}, expect: [6, 6],
      pool: { kernel_shape: [3, 2], strides: [2, 1], pads: [1, 0, 1, 1] }, pooled: [3, 6],
    },
  ];
  for (const c of cases) {
    it(c.what, async () => {
      const bytes = convModel(c);
      const net = importOnnx(bytes);
      expect([net.shapes[0].height, net.shapes[0].width]).toEqual(c.expect);
      expect(await maxDiff(bytes, c.input)).toBeLessThanOrEqual(1e-4);
    });
  }

  it('a Pad → MaxPool after the Relu folds into the pool', async () => {
    const c: ConvCase = { what: '', input: [1, 7, 7], out: 2, kernel: [3, 3], attrs: {}, expect: [5, 5] };
    const spec = {
      nodes: [
        { op: 'Conv', inputs: ['image', 'w1', 'b1'], outputs: ['c1'], attrs: { kernel_shape: c.kernel } },
        { op: 'Relu', inputs: ['c1'], outputs: ['r1'] },
        { op: 'Pad', inputs: ['r1', 'pads'], outputs: ['pd'], name: 'pad1' },
        { op: 'MaxPool', inputs: ['pd'], outputs: ['p1'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
        { op: 'Flatten', inputs: ['p1'], outputs: ['f'], attrs: { axis: 1 } },
        { op: 'Gemm', inputs: ['f', 'w2', 'b2'], outputs: ['logits'], attrs: { transB: 1 } },
      ] as NodeSpec[],
      initializers: [
        tensor('w1', [2, 1, 3, 3], randomValues(1, 18)),
        tensor('b1', [2], randomValues(2, 2)),
        // 5×5 padded to 6×6 (one row on top, one column on the right): pooled 3×3.
        tensor('pads', [8], [0, 0, 1, 0, 0, 0, 0, 1], 'int64'),
        tensor('w2', [10, 18], randomValues(3, 180)),
        tensor('b2', [10], randomValues(4, 10)),
      ],
      input: { name: 'image', dims: ['batch', 1, 7, 7] },
    };
    const bytes = buildModel(spec);
    const net = importOnnx(bytes);
    expect(net.shapes.map((s) => [s.height, s.width])).toEqual([[5, 5], [3, 3], [1, 1]]);
    expect(await maxDiff(bytes, [1, 7, 7])).toBeLessThanOrEqual(1e-4);
  });
});

describe('ONNX import of conv/pool geometry: what cannot be mapped is one line naming the node', () => {
  const base: ConvCase = { what: '', input: [2, 8, 8], out: 2, kernel: [3, 3], attrs: {}, expect: [6, 6] };
  const cases: { what: string; bytes: () => Uint8Array; code: 'onnx-unsupported' | 'onnx-invalid'; text: RegExp }[] = [
    { what: 'a group that does not divide the channels', bytes: () => convModel({ ...base, out: 3, group: 2 }), code: 'onnx-invalid', text: /node "conv0" \(Conv\): group=2 must divide/ },
    { what: 'padding as large as the window', bytes: () => convModel({ ...base, attrs: { pads: [3, 0, 0, 0] }, expect: [9, 6] }), code: 'onnx-unsupported', text: /node "conv0" \(Conv\): padding \[3, 0, 0, 0\].*smaller than the window's span 3×3/ },
    { what: '3-D strides', bytes: () => convModel({ ...base, attrs: { strides: [1, 1, 1] } }), code: 'onnx-unsupported', text: /node "conv0" \(Conv\): strides=\[1, 1, 1\] is not supported/ },
    { what: 'auto_pad of an unknown mode', bytes: () => convModel({ ...base, attrs: { auto_pad: 'FULL' } }), code: 'onnx-unsupported', text: /\(Conv\): auto_pad=FULL is not supported \(NOTSET, VALID, SAME_UPPER, SAME_LOWER\)/ },
    {
      what: 'MaxPool dilations', bytes: () => convModel({ ...base, pool: { kernel_shape: [2, 2], dilations: [2, 2] }, pooled: [4, 4] }),
      code: 'onnx-unsupported', text: /node "pool0" \(MaxPool\): dilations=\[2, 2\] is not supported on MaxPool \(only 1\)/,
    },
    {
      what: 'MaxPool ceil_mode that adds a window', bytes: () => convModel({ ...base, pool: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }, expect: [6, 6], input: [2, 9, 9], pooled: [4, 4] }),
      code: 'onnx-unsupported', text: /node "pool0" \(MaxPool\): ceil_mode=1 .*only floor mode/,
    },
    { what: 'a reflect Pad', bytes: () => padModel('reflect', [0, 0, 1, 1, 0, 0, 1, 1]), code: 'onnx-unsupported', text: /node "pad0" \(Pad\): mode=reflect is not supported/ },
    { what: 'a Pad of the channels', bytes: () => padModel('constant', [0, 1, 0, 0, 0, 0, 0, 0]), code: 'onnx-unsupported', text: /node "pad0" \(Pad\): .*only height and width can be padded/ },
    { what: 'a Pad not before a Conv or MaxPool', bytes: () => padModel('constant', [0, 0, 1, 1, 0, 0, 1, 1], 'Relu'), code: 'onnx-unsupported', text: /node "pad0" \(Pad\): its output feeds a Relu; a Pad is supported only right before one Conv or MaxPool/ },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const e = importError(c.bytes());
      expect(e.has(c.code)).toBe(true);
      expect(e.diagnostics).toHaveLength(1);
      expect(e.diagnostics[0].message).toMatch(c.text);
      expect(e.diagnostics[0].message).not.toMatch(/\n/);
    });
  }
});

/** image → Pad (mode, pads) → reader (Conv by default) → ... → Gemm. */
function padModel(mode: string, pads: number[], reader: 'Conv' | 'Relu' = 'Conv'): Uint8Array {
  const nodes: NodeSpec[] = [
    { op: 'Pad', inputs: ['image', 'pads'], outputs: ['pd'], attrs: { mode }, name: 'pad0' },
    ...(reader === 'Relu' ? [{ op: 'Relu', inputs: ['pd'], outputs: ['pr'] }] : []),
    { op: 'Conv', inputs: [reader === 'Relu' ? 'pr' : 'pd', 'w1', 'b1'], outputs: ['c1'], attrs: { kernel_shape: [3, 3] } },
    { op: 'Relu', inputs: ['c1'], outputs: ['r1'] },
    { op: 'Flatten', inputs: ['r1'], outputs: ['f'], attrs: { axis: 1 } },
    { op: 'Gemm', inputs: ['f', 'w2', 'b2'], outputs: ['logits'], attrs: { transB: 1 } },
  ];
  return buildModel({
    nodes,
    initializers: [tensor('pads', [8], pads, 'int64'), tensor('w1', [2, 1, 3, 3], randomValues(1, 18)), tensor('b1', [2], randomValues(2, 2)),
      tensor('w2', [10, 72], randomValues(3, 720)), tensor('b2', [10], randomValues(4, 10))],
    input: { name: 'image', dims: ['batch', 1, 6, 6] },
  });
}
