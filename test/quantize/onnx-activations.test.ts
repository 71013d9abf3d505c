// Monotonic activations on import: each one's float forward pass against
// onnxruntime (conv and dense layers, per-channel slopes, Clip in both opset
// forms), and each refusal as one line naming the node, the attribute or input
// and what is supported, exit code 2, from the real CLI.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/quantize/index.js';
import { applyActivation, activationInverse } from '../../src/quantize/float-activation.js';
import { type NodeSpec, buildModel, randomValues, tensor } from './onnx-builder.js';
import { importError, maxDiff } from './import-helpers.js';
import { parseDiagnostics, runCli } from '../robustness/cli-contract.js';

/** Largest |TS float forward − onnxruntime| over seeded inputs in [0,1] of a [batch, 2, 6, 6] image. */

/**
 * Conv (2→4, 3×3, pad 1; weights scaled so pre-activations spread over
 * about ±3, through every activation's knees) → act1 → MaxPool → Flatten →
 * Gemm (→ 6) → act2 → Gemm (→ 3). `act` gives the activation nodes after
 * the conv (input 'c1', output 'a1') and after the dense layer ('d1' → 'a2').
 */
function model(act: (input: string, output: string, layer: 'conv' | 'dense') => NodeSpec[], extra: ReturnType<typeof tensor>[] = [], opset = 13): Uint8Array {
  const nodes: NodeSpec[] = [
    { op: 'Conv', inputs: ['image', 'w1', 'b1'], outputs: ['c1'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
    ...act('c1', 'a1', 'conv'),
    { op: 'MaxPool', inputs: ['a1'], outputs: ['p1'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
    { op: 'Flatten', inputs: ['p1'], outputs: ['f'], attrs: { axis: 1 } },
    { op: 'Gemm', inputs: ['f', 'w2', 'b2'], outputs: ['d1'], attrs: { transB: 1 } },
    ...act('d1', 'a2', 'dense'),
    { op: 'Gemm', inputs: ['a2', 'w3', 'b3'], outputs: ['logits'], attrs: { transB: 1 } },
  ];
  return buildModel({
    nodes,
    initializers: [
      tensor('w1', [4, 2, 3, 3], randomValues(1, 72, 1.2)),
      tensor('b1', [4], randomValues(2, 4, 1)),
      tensor('w2', [6, 36], randomValues(3, 216, 0.8)),
      tensor('b2', [6], randomValues(4, 6, 1)),
      tensor('w3', [3, 6], randomValues(6, 18)),
      tensor('b3', [3], randomValues(7, 3)),
      ...extra,
    ],
    input: { name: 'image', dims: ['batch', 2, 6, 6] },
    output: { name: 'logits', dims: ['batch', 3] },
    opset,
  });
}

const one = (op: string, attrs?: NodeSpec['attrs'], inputs: (layer: 'conv' | 'dense') => string[] = () => []) =>
  (input: string, output: string, layer: 'conv' | 'dense'): NodeSpec[] => [{ op, inputs: [input, ...inputs(layer)], outputs: [output], attrs }];

describe('monotonic activations: float forward pass matches onnxruntime', () => {
  const cases: { what: string; bytes: () => Uint8Array; type: string }[] = [
    { what: 'Relu', bytes: () => model(one('Relu')), type: 'relu' },
    { what: 'LeakyRelu (alpha 0.1)', bytes: () => model(one('LeakyRelu', { alpha: { float: 0.1 } })), type: 'leakyrelu' },
    { what: 'LeakyRelu (default alpha 0.01)', bytes: () => model(one('LeakyRelu')), type: 'leakyrelu' },
    { what: 'PRelu with one slope', bytes: () => model(one('PRelu', {}, () => ['s1']), [tensor('s1', [1], [0.25])]), type: 'leakyrelu' },
    {
      what: 'PRelu per channel ([C,1,1] on the conv map, [F] on the features)',
      bytes: () => model(one('PRelu', {}, (l) => [l === 'conv' ? 'sc' : 'sf']), [tensor('sc', [4, 1, 1], [0.1, 0.3, 0.05, 0.5]), tensor('sf', [6], [0.2, 0.1, 0.4, 0.01, 0.3, 0.6])]),
      type: 'prelu',
    },
    { what: 'Sigmoid', bytes: () => model(one('Sigmoid')), type: 'sigmoid' },
    { what: 'Tanh', bytes: () => model(one('Tanh')), type: 'tanh' },
    { what: 'ReLU6 (Clip 0..6, opset 13 inputs)', bytes: () => model(one('Clip', {}, () => ['zero', 'six']), [tensor('zero', [], [0]), tensor('six', [], [6])]), type: 'clip' },
    { what: 'HardTanh (Clip −1..1, opset 13 inputs)', bytes: () => model(one('Clip', {}, () => ['m1', 'p1c']), [tensor('m1', [], [-1]), tensor('p1c', [], [1])]), type: 'clip' },
    { what: 'Clip with only a max (opset 13: min input empty)', bytes: () => model(one('Clip', {}, () => ['', 'p1c']), [tensor('p1c', [], [0.5])]), type: 'clip' },
    { what: 'Clip −0.5..2 as attributes (opset 10)', bytes: () => model(one('Clip', { min: { float: -0.5 }, max: { float: 2 } }), [], 10), type: 'clip' },
    { what: 'HardSigmoid (defaults)', bytes: () => model(one('HardSigmoid')), type: 'hardsigmoid' },
    { what: 'HardSigmoid (alpha 1/6, beta 0.5, as PyTorch exports it)', bytes: () => model(one('HardSigmoid', { alpha: { float: 1 / 6 }, beta: { float: 0.5 } })), type: 'hardsigmoid' },
  ];
  it.each(cases)('$what', async ({ bytes, type }) => {
    const b = bytes();
    const net = importOnnx(b);
    expect(net.layers.map((l) => (l.type === 'maxpool' || l.type === 'avgpool' || l.type === 'concat' ? l.type : l.activation.type))).toEqual([type, 'maxpool', type, 'identity']);
    expect(await maxDiff(b, [2, 6, 6])).toBeLessThanOrEqual(1e-4);
  });
});

describe('an activation threshold is a threshold on the pre-activation', () => {
  const fs = [
    { type: 'relu' }, { type: 'leakyrelu', alpha: 0.1 }, { type: 'prelu', slopes: Float64Array.of(0.3, 2) }, { type: 'sigmoid' }, { type: 'tanh' },
    { type: 'clip', min: -1, max: 1 }, { type: 'clip', min: 0, max: 6 }, { type: 'hardsigmoid', alpha: 0.2, beta: 0.5 },
  ] as const;
  it.each(fs)('$type: f(z) ≥ v exactly when z ≥ f⁻¹(v), on a grid of z and v', (f) => {
    const zs = Array.from({ length: 161 }, (_, i) => -8 + i / 10);
    for (const channel of [0, 1]) {
      for (const v of [-2, -0.5, -0.05, 0, 0.01, 0.2, 0.5, 0.73, 0.99, 1, 3, 6, 7]) {
        const t = activationInverse(f, v, channel);
        for (const z of zs) {
          // Where f is flat (below its increasing part) f(z) ≥ v can hold for z < t only when v is at or below that flat value.
          const fz = applyActivation(f, z, channel);
          if (z >= t) expect(fz, `${f.type} z=${z} v=${v} t=${t}`).toBeGreaterThanOrEqual(v - 1e-12);
          else expect(fz < v + 1e-12 || applyActivation(f, t, channel) === fz, `${f.type} z=${z} v=${v} t=${t}`).toBe(true);
        }
      }
    }
  });
});


// Item 4 of #17: what cannot be mapped is one line naming the node (name, op
// type), the attribute or input, and what is supported; exit code 2.
const refusals: { what: string; bytes: () => Uint8Array; text: RegExp }[] = [
  { what: 'LeakyRelu with a negative slope (non-monotonic)', bytes: () => model(one('LeakyRelu', { alpha: { float: -0.2 } })), text: /node "leakyrelu_1" \(LeakyRelu\): attribute alpha=-0\.2.*non-monotonic.*only alpha ≥ 0/ },
  { what: 'PRelu with a negative slope', bytes: () => model(one('PRelu', {}, () => ['s1']), [tensor('s1', [1], [-0.25])]), text: /\(PRelu\): input slope has -0\.25 at index 0; only positive slopes/ },
  { what: 'PRelu slopes that are not per channel', bytes: () => model(one('PRelu', {}, () => ['s1']), [tensor('s1', [2], [0.1, 0.2])]), text: /\(PRelu\): input slope has shape \[2\]; only one slope or one per channel \(4\)/ },
  { what: 'HardSigmoid with alpha 0', bytes: () => model(one('HardSigmoid', { alpha: { float: 0 } })), text: /\(HardSigmoid\): attribute alpha=0: only alpha > 0/ },
  { what: 'Clip with min ≥ max', bytes: () => model(one('Clip', {}, () => ['six', 'zero']), [tensor('zero', [], [0]), tensor('six', [], [6])]), text: /\(Clip\): min=6 is not below max=0/ },
  { what: 'Clip with a non-scalar bound', bytes: () => model(one('Clip', {}, () => ['two']), [tensor('two', [2], [0, 1])]), text: /\(Clip\): input min has 2 values; only a scalar/ },
  { what: 'Clip attributes at opset 13', bytes: () => model(one('Clip', { min: { float: 0 } })), text: /\(Clip\): attribute min is not supported$/ },
  { what: 'two activations in a row', bytes: () => model((i, o) => [{ op: 'Relu', inputs: [i], outputs: [`${i}r`] }, { op: 'Sigmoid', inputs: [`${i}r`], outputs: [o], name: `sig_${i}` }]), text: /node "sig_c1" \(Sigmoid\): conv_0 already has an activation \(relu\); only one activation per layer/ },
  { what: 'an unsupported activation (Elu) lists what is supported', bytes: () => model(one('Elu')), text: /\(Elu\): operator Elu is not supported \(supported: Conv, Relu, LeakyRelu, PRelu, Sigmoid, Tanh, Clip, HardSigmoid, MaxPool/ },
  { what: 'an unsupported attribute', bytes: () => model(one('Sigmoid', { beta: { float: 1 } })), text: /\(Sigmoid\): attribute beta is not supported$/ },
];

describe('refusals: one line naming the node, the attribute or input, and what is supported', () => {
  it.each(refusals)('$what', ({ bytes, text }) => {
    const e = importError(bytes());
    expect(e.diagnostics).toHaveLength(1);
    expect(e.has('onnx-unsupported')).toBe(true);
    expect(e.diagnostics[0].message).toMatch(text);
  });

  it('the CLI prints each as one diagnostic line, no stack trace, exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-gen-refuse-'));
    for (const [i, r] of refusals.entries()) {
      const file = join(dir, `m${i}.onnx`);
      writeFileSync(file, r.bytes());
      // The model is read before the data: the training files need not exist.
      const run = await runCli(['quantize', file, '--train', join(dir, 'none-images'), join(dir, 'none-labels'), '-o', join(dir, 'out.json')]);
      const { lines, stray } = parseDiagnostics(run.stderr);
      expect(run.exitCode, `${r.what}: ${run.stderr}`).toBe(2);
      expect(stray, r.what).toEqual([]);
      expect(lines, r.what).toHaveLength(1);
      expect(lines[0].code).toBe('onnx-unsupported');
      expect(lines[0].pointer, r.what).toMatch(/^\/graph\/node\/\d+$/);
      expect(lines[0].message, r.what).toMatch(r.text);
      expect(run.stdout).toBe('');
    }
  }, 120_000);
});
