// The operator registry (src/ops): every layer and activation type the schema
// allows has an operator with every entry, and the single formulas give the
// values worked out by hand in the comments (DESIGN.md section 2).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Activation, AdcActivation, Layer, ThresholdActivation } from '../../src/ir/types.js';
import { activate, activationOp, activationOpOfType, adcCode, rawLevel } from '../../src/ops/activations/index.js';
import { opOfType } from '../../src/ops/index.js';
import { windowOutSide } from '../../src/ops/window.js';

const ROOT = join(import.meta.dirname, '..', '..');
const schema = readFileSync(join(ROOT, 'schemas', 'net-1.schema.json'), 'utf8');
/** Every `"type": { "const": "..." }` in the net schema: layer and activation types. */
const schemaTypes = [...schema.matchAll(/"type": \{ "const": "(\w+)" \}/g)].map((m) => m[1]);
const layerTypes = ['conv', 'dense', 'maxpool'] as const;
const activationTypes = ['threshold', 'adc', 'none'] as const;

describe('operator registry', () => {
  it('covers exactly the types the schema allows', () => {
    expect([...schemaTypes].sort()).toEqual([...layerTypes, ...activationTypes].sort());
  });

  it.each(layerTypes)('%s has every entry, a template that exists and a cost', (type) => {
    const op = opOfType(type as Layer['type']);
    expect(op.type).toBe(type);
    for (const f of [op.validate, op.outGeometry, op.reference, op.inputBuffer, op.describe]) expect(typeof f).toBe('function');
    expect(existsSync(join(ROOT, 'templates', op.stageTemplate))).toBe(true);
    // A crossbar layer is costed by the shared crossbar costing and so needs its matrix; any other brings its own cost.
    if (op.cost === 'crossbar') expect('rows' in op && 'cols' in op).toBe(true);
    else expect(typeof op.cost).toBe('function');
  });

  it.each(activationTypes)('%s has an activation operator', (type) => {
    expect(activationOpOfType(type as Activation['type']).type).toBe(type);
  });
});

describe('shape rules', () => {
  it.each([
    // n, kernel, stride, padding → side
    [28, 5, 1, 0, 24], // LeNet's first conv
    [7, 3, 2, 1, 4], //   padded 9 wide: windows at 0, 2, 4, 6
    [3, 2, 2, 1, 2], //   hand.test.ts net A
    [4, 4, 3, 0, 1],
  ])('conv side of %i, k=%i, s=%i, p=%i is %i', (n, k, s, p, want) => {
    expect(windowOutSide(n, k, s, p, p)).toBe(want);
  });

  it.each([
    [24, 2, 2, 12],
    [5, 3, 2, 2], // windows at 0 and 2
    [5, 2, 1, 4],
  ])('pool side of %i, k=%i, s=%i is %i', (n, k, s, want) => {
    expect(windowOutSide(n, k, s, 0, 0)).toBe(want);
  });
});

describe('activation formulas', () => {
  const adc: AdcActivation = { type: 'adc', bits: 2, offset: -3, step: 4 };
  it.each([
    // clamp(floor((acc + 3) / 4), 0, 3)
    [-100, 0],
    [-4, 0], // floor(-1/4) = -1 → 0
    [-3, 0],
    [0, 0], //  floor(3/4)
    [1, 1], //  floor(4/4)
    [4, 1], //  floor(7/4)
    [5, 2],
    [8, 2], //  floor(11/4)
    [9, 3],
    [1000, 3],
  ])('2-bit ADC, offset -3, step 4: acc %i → %i', (acc, want) => {
    expect(adcCode(adc)(acc)).toBe(want);
    expect(activate(adc, 0, acc)).toBe(want);
  });

  it('ADC with a positive offset floors negative differences down (offset 10, step 3, 3 bits)', () => {
    const a = { bits: 3, offset: 10, step: 3 };
    expect([9, 10, 12, 13, 33, 34, 1e6].map(adcCode(a))).toEqual([0, 0, 0, 1, 7, 7, 7]);
  });

  it('the ADC code steps up by one exactly at each decision level the macro docs list', () => {
    for (const a of [adc, { type: 'adc', bits: 3, offset: 10, step: 3 }, { type: 'adc', bits: 1, offset: -1, step: 7 }] as AdcActivation[]) {
      const levels = activationOp(a).decisionLevels(a, 0);
      expect(levels).toHaveLength(2 ** a.bits - 1);
      levels.forEach((L, i) => {
        expect(activate(a, 0, L)).toBe(i + 1);
        expect(activate(a, 0, L - 1)).toBe(i);
      });
    }
  });

  it('threshold: 1 from T up, per column', () => {
    const t: ThresholdActivation = { type: 'threshold', thresholds: Int32Array.from([5, -2]) };
    expect([4, 5, 6].map((acc) => activate(t, 0, acc))).toEqual([0, 1, 1]);
    expect([-3, -2].map((acc) => activate(t, 1, acc))).toEqual([0, 1]);
    expect(activationOp(t).decisionLevels(t, 1)).toEqual([-2]);
  });

  it('none: the raw accumulator, refused beyond 32 bits', () => {
    expect(rawLevel(-(2 ** 31))).toBe(-(2 ** 31));
    expect(rawLevel(2 ** 31 - 1)).toBe(2 ** 31 - 1);
    expect(() => rawLevel(2 ** 31)).toThrow(RangeError);
  });

  it('output widths: 1 bit, k bits, the accumulator width', () => {
    expect(activationOpOfType('threshold').outBits({ type: 'threshold', thresholds: new Int32Array(1) }, 12)).toBe(1);
    expect(activationOp(adc).outBits(adc, 12)).toBe(2);
    expect(activationOpOfType('none').outBits({ type: 'none' }, 12)).toBe(12);
  });
});
