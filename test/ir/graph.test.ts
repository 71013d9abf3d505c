// net@2 graphs: `inputs` references, add and concat shape rules, unused
// layers, raw accumulators only into an add; one diagnostic per problem at
// its JSON pointer. And the writer: net@1 for a chain, net@2 for a graph.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RramGenError } from '../../src/diagnostics/index.js';
import { formatNetJson, loadNet, netToDocument, validateNetDocument } from '../../src/ir/index.js';

function residualDoc(): any {
  return JSON.parse(readFileSync('examples/residual-tiny.json', 'utf8'));
}

function problems(doc: unknown): { code: string; pointer: string }[] {
  try {
    validateNetDocument(doc, '/nowhere/net.json', 'net.json');
  } catch (e) {
    if (e instanceof RramGenError) return e.diagnostics.map((d) => ({ code: d.code, pointer: d.pointer }));
    throw e;
  }
  return [];
}

describe('net@2 graph validation', () => {
  it('reads a residual graph: inputs as producer indices, one shape per input', () => {
    const { net } = loadNet('examples/residual-tiny.json');
    expect(net.layers.map((l) => l.inputs)).toEqual([[-1], [0], [1, 0], [2, -1], [3]]);
    const r1 = net.layers[2];
    expect(r1.inShapes.map((s) => [s.channels, s.bits, s.signed])).toEqual([[2, 3, true], [2, 1, false]]);
    expect(net.layers[3].outShape).toMatchObject({ channels: 3, height: 2, width: 2, bits: 2 });
  });

  it('refuses a reference to a later or unknown layer at /layers/i/inputs/j', () => {
    const doc = residualDoc();
    doc.layers[2].inputs = ['c2', 'k1'];
    expect(problems(doc)).toEqual([{ code: 'input-unknown', pointer: '/layers/2/inputs/1' }]);
    doc.layers[2].inputs = ['c2', 'nope'];
    expect(problems(doc)).toEqual([{ code: 'input-unknown', pointer: '/layers/2/inputs/1' }]);
  });

  it('refuses a layer (or the input) that feeds nothing', () => {
    const doc = residualDoc();
    doc.layers[4].inputs = ['r1']; // k1 now feeds nothing
    doc.layers[4].weights = doc.layers[4].weights.slice(0, 16);
    expect(problems(doc)).toEqual([{ code: 'unused-layer', pointer: '/layers/3' }]);
  });

  it('checks shapes per input: add needs one C×H×W, concat one H×W and width', () => {
    const doc = residualDoc();
    doc.layers[3].inputs = ['r1', 'c1']; // 2-bit and 1-bit values
    doc.layers[0].inputs = ['input'];
    expect(problems(doc)).toContainEqual({ code: 'input-shape', pointer: '/layers/3/inputs/1' });
    const add = residualDoc();
    add.layers[2].inputs = ['c2', 'input']; // 2 channels vs 1
    expect(problems(add)).toContainEqual({ code: 'input-shape', pointer: '/layers/2/inputs/1' });
  });

  it('allows raw `none` on a hidden layer only into an add, with weight 1, one per add', () => {
    const doc = residualDoc();
    doc.layers[2].weights[0] = [1, 2];
    expect(problems(doc)).toEqual([{ code: 'add-raw-input', pointer: '/layers/2/weights/0/1' }]);
    const hidden = residualDoc();
    hidden.layers[0].activation = { type: 'none' }; // c1 feeds c2 and r1
    expect(problems(hidden).map((x) => x.code)).toContain('activation-none-hidden');
  });

  it('keeps net@1 closed to graph fields', () => {
    const doc = residualDoc();
    doc.format = 'rram-gen/net@1';
    expect(problems(doc).length).toBeGreaterThan(0);
  });
});

describe('netToDocument', () => {
  it('writes a graph as net@2 that reads back to the same IR', () => {
    const { net } = loadNet('examples/residual-tiny.json');
    const doc = netToDocument(net);
    expect(doc.format).toBe('rram-gen/net@2');
    const again = validateNetDocument(JSON.parse(formatNetJson(doc)), '/nowhere/x.json', 'x.json').net;
    expect(again.layers.map((l) => [l.type, l.inputs])).toEqual(net.layers.map((l) => [l.type, l.inputs]));
    expect(netToDocument(again)).toEqual(doc);
  });

  it('writes a chain as net@1 without inputs', () => {
    const doc = netToDocument(loadNet('examples/tiny.json').net);
    expect(doc.format).toBe('rram-gen/net@1');
    expect((doc.layers as Record<string, unknown>[]).some((l) => 'inputs' in l)).toBe(false);
  });
});
