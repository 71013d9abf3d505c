import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RramGenError, type DiagnosticCode } from '../../src/diagnostics/index.js';
import { loadNet, validateNetDocument } from '../../src/ir/index.js';

/** A small valid net: 1×4×4 2-bit input, conv 2@3×3 pad 1, maxpool 2, dense 3. */
function baseDoc(): any {
  return {
    format: 'rram-gen/net@1',
    name: 'base',
    input: { channels: 1, height: 4, width: 4, bits: 2 },
    weightBits: 4,
    crossbar: { rows: 8, cols: 2 },
    layers: [
      { type: 'conv', name: 'c1', outChannels: 2, kernel: 3, padding: 1, weights: Array(18).fill(1), activation: { type: 'threshold', thresholds: [3, 4] } },
      { type: 'maxpool', name: 'p1', kernel: 2 },
      { type: 'dense', name: 'd1', outFeatures: 3, weights: Array(24).fill(-1), bias: [1, 2, 3], activation: { type: 'none' } },
    ],
  };
}

function codesOf(doc: unknown): DiagnosticCode[] {
  try {
    validateNetDocument(doc, '/nowhere/net.json', 'net.json');
  } catch (e) {
    if (e instanceof RramGenError) return e.diagnostics.map((d) => d.code);
    throw e;
  }
  return [];
}

function pointersOf(doc: unknown): string[] {
  try {
    validateNetDocument(doc, '/nowhere/net.json', 'net.json');
  } catch (e) {
    if (e instanceof RramGenError) return e.diagnostics.map((d) => d.pointer);
    throw e;
  }
  return [];
}

describe('validateNetDocument', () => {
  it('accepts the base net and infers every shape', () => {
    const { net, warnings } = validateNetDocument(baseDoc(), '/nowhere/net.json', 'net.json');
    expect(warnings).toEqual([]);
    expect(net.layers.map((l) => [l.outShape.channels, l.outShape.height, l.outShape.width, l.outShape.bits])).toEqual([
      [2, 4, 4, 1], // 3×3 pad 1 keeps 4×4; threshold gives 1 bit
      [2, 2, 2, 1],
      // d1: 8 weights of -1 on 1-bit inputs plus bias 1..3: acc in [-8+1, 0+3] → fits 4-bit signed (-8..7)
      [3, 1, 1, 4],
    ]);
    expect(net.output.signed).toBe(true);
  });

  // Each mutation of the base net and the diagnostic code (and pointer) it must produce.
  const cases: [string, (d: any) => void, DiagnosticCode, string][] = [
    ['wrong format tag', (d) => { d.format = 'rram-gen/net@9'; }, 'schema-format', '/format'],
    ['missing field', (d) => { delete d.weightBits; }, 'schema-required', ''],
    ['unknown field', (d) => { d.layers[0].dilation = 2; }, 'schema-unknown-field', '/layers/0/dilation'],
    ['string for a number', (d) => { d.input.height = '4'; }, 'schema-type', '/input/height'],
    ['zero channels', (d) => { d.input.channels = 0; }, 'schema-range', '/input/channels'],
    ['non-integer size', (d) => { d.input.width = 4.5; }, 'schema-type', '/input/width'],
    ['input bits 9', (d) => { d.input.bits = 9; }, 'schema-range', '/input/bits'],
    ['unknown layer type', (d) => { d.layers[1].type = 'avgpool'; }, 'schema-enum', '/layers/1/type'],
    ['stride 0', (d) => { d.layers[0].stride = 0; }, 'schema-range', '/layers/0/stride'],
    ['adc step 0', (d) => { d.layers[2].activation = { type: 'adc', bits: 4, offset: 0, step: 0 }; }, 'schema-range', '/layers/2/activation/step'],
    ['non-integer weight', (d) => { d.layers[0].weights[3] = 0.5; }, 'schema-type', '/layers/0/weights/3'],
    ['non-integer threshold', (d) => { d.layers[0].activation.thresholds[1] = 1.5; }, 'schema-type', '/layers/0/activation/thresholds/1'],
    ['weight count off by one', (d) => { d.layers[0].weights.pop(); }, 'weight-count', '/layers/0/weights'],
    ['dense fed the wrong size', (d) => { d.layers[2].weights.push(0); }, 'weight-count', '/layers/2/weights'],
    ['weight outside the width', (d) => { d.layers[0].weights[5] = 8; }, 'weight-range', '/layers/0/weights/5'],
    ['weight -8 with 4 bits (symmetric)', (d) => { d.layers[0].weights[0] = -8; }, 'weight-range', '/layers/0/weights/0'],
    ['threshold count', (d) => { d.layers[0].activation.thresholds = [1]; }, 'threshold-count', '/layers/0/activation/thresholds'],
    ['bias count', (d) => { d.layers[2].bias = [1, 2]; }, 'bias-count', '/layers/2/bias'],
    ['kernel larger than padded map', (d) => { d.layers[0].kernel = 7; d.layers[0].padding = 1; d.layers[0].weights = Array(98).fill(0); }, 'kernel-too-large', '/layers/0/kernel'],
    ['padding not below kernel', (d) => { d.layers[0].padding = 3; }, 'padding-too-large', '/layers/0/padding'],
    ['pool kernel larger than map', (d) => { d.layers[1].kernel = 5; }, 'kernel-too-large', '/layers/1/kernel'],
    ['none on a hidden layer', (d) => { d.layers[0].activation = { type: 'none' }; }, 'activation-none-hidden', '/layers/0/activation/type'],
    ['ends in a maxpool', (d) => { d.layers.push({ type: 'maxpool', name: 'p2', kernel: 1 }); d.layers[2].activation = { type: 'adc', bits: 2, offset: 0, step: 1 }; }, 'final-layer-kind', '/layers/3'],
    ['duplicate layer names', (d) => { d.layers[2].name = 'C1'; }, 'name-duplicate', '/layers/2/name'],
    ['layer named after a keyword', (d) => { d.layers[1].name = 'module'; }, 'name-reserved', '/layers/1/name'],
    ['net named with the library prefix', (d) => { d.name = 'rram_net'; }, 'name-reserved', '/name'],
    ['name escaping the output folder', (d) => { d.name = '../evil'; }, 'name-not-identifier', '/name'],
    ['layer name with a space', (d) => { d.layers[0].name = 'conv 1'; }, 'name-not-identifier', '/layers/0/name'],
    ['absurd channel count', (d) => { d.layers[0].outChannels = 1e9; }, 'schema-range', '/layers/0/outChannels'],
    ['layer over the weight limit', (d) => { d.input = { channels: 4096, height: 32, width: 32, bits: 1 }; d.layers[0].outChannels = 4096; }, 'limit-exceeded', '/layers/0/weights'],
    ['sidecar with a bad encoding', (d) => { d.layers[0].weights = { file: 'w.bin', encoding: 'int16' }; }, 'schema-enum', '/layers/0/weights/encoding'],
  ];

  it.each(cases)('%s → %s', (_, mutate, code, pointer) => {
    const doc = baseDoc();
    mutate(doc);
    expect(codesOf(doc)).toContain(code);
    expect(pointersOf(doc)).toContain(pointer);
  });

  it('reports every problem at once', () => {
    const doc = baseDoc();
    doc.layers[0].weights.pop();
    doc.layers[2].bias = [1];
    doc.layers[1].name = 'wire';
    expect(codesOf(doc).sort()).toEqual(['bias-count', 'name-reserved', 'weight-count']);
  });

  it('warns about a threshold no accumulator can reach', () => {
    const doc = baseDoc();
    doc.layers[0].activation.thresholds = [3, 100]; // 9 weights of 1 on 2-bit input: acc ≤ 27
    const { warnings } = validateNetDocument(doc, '/nowhere/net.json', 'net.json');
    expect(warnings.map((w) => [w.code, w.pointer])).toEqual([['threshold-constant', '/layers/0/activation/thresholds/1']]);
  });
});

describe('loadNet (files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rram-gen-ir-'));
  const write = (name: string, text: string | Buffer) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const codeOfFile = (path: string): DiagnosticCode | undefined => {
    try { loadNet(path); } catch (e) { if (e instanceof RramGenError) return e.diagnostics[0].code; throw e; }
    return undefined;
  };

  it.each([
    ['empty file', '', 'json-syntax'],
    ['not JSON', 'layers: []', 'json-syntax'],
    ['truncated JSON', JSON.stringify(baseDoc()).slice(0, 80), 'json-syntax'],
    ['deep nesting', '['.repeat(100000) + ']'.repeat(100000), 'json-too-deep'],
    ['__proto__ key', JSON.stringify(baseDoc()).replace('"name":"base"', '"name":"base","__proto__":{"x":1}'), 'forbidden-key'],
    ['constructor key', JSON.stringify({ ...baseDoc(), input: { constructor: 1 } }), 'forbidden-key'],
  ] as const)('%s → %s', (_, text, code) => {
    expect(codeOfFile(write('bad.json', text))).toBe(code);
  });

  it('a missing file is file-unreadable', () => {
    expect(codeOfFile(join(dir, 'nope.json'))).toBe('file-unreadable');
  });

  it('reads int8 and json sidecars next to the net', () => {
    const doc = baseDoc();
    write('c1.w.bin', Buffer.from(Int8Array.from([1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 0, 1, 2, 3]).buffer));
    write('d1.w.json', JSON.stringify(Array(24).fill(2)));
    doc.layers[0].weights = { file: 'c1.w.bin', encoding: 'int8' };
    doc.layers[2].weights = { file: 'd1.w.json', encoding: 'json' };
    const { net } = loadNet(write('side.json', JSON.stringify(doc)));
    expect(Array.from((net.layers[0] as any).weights.slice(0, 4))).toEqual([1, -1, 2, -2]);
    expect((net.layers[2] as any).weights[23]).toBe(2);
  });

  it('refuses sidecar paths that leave the folder', () => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    write('outside.json', JSON.stringify(Array(18).fill(1)));
    const doc = baseDoc();
    doc.layers[0].weights = { file: '../outside.json', encoding: 'json' };
    const inner = join(dir, 'sub', 'net.json');
    writeFileSync(inner, JSON.stringify(doc));
    expect(codeOfFile(inner)).toBe('sidecar-escape');
    doc.layers[0].weights = { file: '/etc/passwd', encoding: 'json' };
    writeFileSync(inner, JSON.stringify(doc));
    expect(codeOfFile(inner)).toBe('sidecar-escape');
    symlinkSync(join(dir, 'outside.json'), join(dir, 'sub', 'link.json'));
    doc.layers[0].weights = { file: 'link.json', encoding: 'json' };
    writeFileSync(inner, JSON.stringify(doc));
    expect(codeOfFile(inner)).toBe('sidecar-escape');
  });
});

describe('the format tag', () => {
  it('a net@1 document read as rram-gen/net@2 means the same network', () => {
    const v1 = validateNetDocument(baseDoc(), '/nowhere/net.json', 'net.json').net;
    const v2 = validateNetDocument({ ...baseDoc(), format: 'rram-gen/net@2' }, '/nowhere/net.json', 'net.json').net;
    expect(v2).toEqual(v1);
  });

  it('an unknown format tag is one schema-format error at /format', () => {
    expect(codesOf({ ...baseDoc(), format: 'rram-gen/net@3' })).toEqual(['schema-format']);
    expect(pointersOf({ ...baseDoc(), format: 'rram-gen/net@3' })).toEqual(['/format']);
  });
});
