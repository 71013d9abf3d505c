// The fast path against the reference on random nets: every layer's output,
// bit for bit. A failure names the seed; replay it with randomNet(seed).

import { describe, expect, it } from 'vitest';
import { mulberry32, randomInput, randomNet, runNet } from '../../src/golden/index.js';
import type { NetIR } from '../../src/ir/types.js';
import { buildNet, none } from './build.js';

const NETS = 300;
const INPUTS = 3;

function firstDifference(net: NetIR, input: Int32Array): string | undefined {
  const fast = runNet(net, input, { impl: 'fast', trace: true });
  const ref = runNet(net, input, { impl: 'reference', trace: true });
  for (const [i, want] of ref.trace!.entries()) {
    const got = fast.trace![i].values;
    const at = want.values.findIndex((v, j) => got[j] !== v);
    if (got.length !== want.values.length || at >= 0) {
      return `layer ${want.name} (${net.layers[i].type}) value ${at}: fast ${got[at]}, reference ${want.values[at]}`;
    }
  }
  return fast.answer === ref.answer ? undefined : `answer: fast ${fast.answer}, reference ${ref.answer}`;
}

describe('fast golden model equals the reference', () => {
  it(`on ${NETS} random nets × ${INPUTS} inputs`, () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= NETS; seed++) {
      const net = randomNet(seed);
      const rng = mulberry32(seed ^ 0x5eed);
      for (let n = 0; n < INPUTS; n++) {
        const problem = firstDifference(net, randomInput(net, rng));
        if (problem !== undefined) failures.push(`seed ${seed}, input ${n}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('on all-zero and all-max inputs (padding and extreme sums)', () => {
    const failures: string[] = [];
    for (let seed = 1000; seed < 1100; seed++) {
      const net = randomNet(seed);
      const top = 2 ** net.input.bits - 1;
      for (const value of [0, top]) {
        const problem = firstDifference(net, new Int32Array(randomInput(net, mulberry32(0)).length).fill(value));
        if (problem !== undefined) failures.push(`seed ${seed}, all ${value}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('gives the same result when a compiled net is run again (scratch buffers are reset)', () => {
    const net = randomNet(7);
    const rng = mulberry32(7);
    const inputs = [randomInput(net, rng), randomInput(net, rng)];
    const first = inputs.map((x) => Array.from(runNet(net, x).output));
    const again = inputs.reverse().map((x) => Array.from(runNet(net, x).output)).reverse();
    expect(again).toEqual(first);
  });

  // fast.ts narrows its 1-bit lookup chunks (8 → 4 → 2 → 1 rows) when the
  // table would pass 2^22 entries; these dense layers on a 1001-value 1-bit
  // map need each width: 200, 1500 and 2500 outputs.
  it.each([200, 1500, 2500])('on a wide 1-bit dense layer with %i outputs', (outFeatures) => {
    const rng = mulberry32(outFeatures);
    const weights = Array.from({ length: outFeatures * 1001 }, () => rng.int(-127, 127));
    const net = buildNet({ channels: 7, height: 11, width: 13, bits: 1 }, 8, [{ type: 'dense', outFeatures, weights, activation: none }]);
    for (let n = 0; n < 2; n++) expect(firstDifference(net, randomInput(net, rng))).toBeUndefined();
  });
});
