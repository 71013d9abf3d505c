// The fast path against the reference on random nets: every layer's output,
// bit for bit. A failure names the seed; replay it with randomNet(seed).
// Run twice: here with the WebAssembly kernel (the default once built), and by
// equivalence-js.test.ts with RRAM_GEN_NO_WASM=1 (the JS kernels).

import { describe, expect, it } from 'vitest';
import { mulberry32, randomInput, randomNet, runNet } from '../../src/golden/index.js';
import { programOf } from '../../src/golden/program.js';
import { wasmAvailable } from '../../src/golden/wasm.js';
import type { Activation, NetIR } from '../../src/ir/types.js';
import { buildNet, adc, none, threshold } from './build.js';

const NETS = 300;
const INPUTS = 3;
const GEOMETRY_NETS = 150;

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

function equivalenceSuite(kernels: 'wasm' | 'js'): void {
describe(`fast golden model (${kernels} kernels) equals the reference`, () => {
  it(`runs the ${kernels} kernels`, () => {
    expect(wasmAvailable()).toBe(kernels === 'wasm');
  });

  // The fast path runs in one shared arena: a result must not be a view the next run overwrites.
  it('keeps each result as it was when later runs reuse the arena', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 60; seed++) {
      const net = randomNet(seed);
      const rng = mulberry32(seed ^ 0xa7e);
      const first = runNet(net, randomInput(net, rng), { trace: true });
      const kept = [Int32Array.from(first.output), ...first.trace!.map((t) => Int32Array.from(t.values))];
      runNet(net, randomInput(net, rng), { trace: true });
      const now = [first.output, ...first.trace!.map((t) => t.values)];
      if (now.some((v, i) => v.some((x, j) => x !== kept[i][j]))) failures.push(`seed ${seed}`);
    }
    expect(failures).toEqual([]);
  });

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

  // net@2 window geometry and conv groups (randomNet's `geometry` draws):
  // rectangular, strided per axis, asymmetric, dilated, grouped, padded pools.
  it(`on ${GEOMETRY_NETS} random nets with net@2 geometry × ${INPUTS} inputs, and all-zero and all-max inputs`, () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= GEOMETRY_NETS; seed++) {
      const net = randomNet(seed, { geometry: true });
      const rng = mulberry32(seed ^ 0x6e0);
      const top = 2 ** net.input.bits - 1;
      const inputs = [...Array.from({ length: INPUTS }, () => randomInput(net, rng)), ...[0, top].map((v) => new Int32Array(randomInput(net, rng).length).fill(v))];
      for (const [n, input] of inputs.entries()) {
        const problem = firstDifference(net, input);
        if (problem !== undefined) failures.push(`geometry seed ${seed}, input ${n}: ${problem}`);
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

  // The WebAssembly arena (64 MiB) empties when full and layers upload again:
  // nine 8 MB layers fill it, then the first runs again.
  it('after the kernel arena has been emptied and refilled', () => {
    const rng = mulberry32(99);
    const weights = Array.from({ length: 1000 * 4000 }, () => rng.int(-127, 127));
    const nets = Array.from({ length: 9 }, () => buildNet({ channels: 1, height: 1, width: 4000, bits: 1 }, 8, [{ type: 'dense', outFeatures: 1000, weights, activation: none }]));
    const input = randomInput(nets[0], rng);
    for (const net of [...nets, nets[0]]) expect(firstDifference(net, input)).toBeUndefined();
  });

  // The whole-network path (program.ts) packs 1-bit maps 16 values at a
  // time and cuts windows into runs of at most 8 rows; columns go 32 then 8
  // (1-bit input) or 4 (multi-bit) per pass. Random geometries on both sides of
  // each boundary: widths 3..65, odd sizes, strides 1..3, every padding,
  // 1..40 channels, 2x2/2 and other pools, 1-, 3- and 8-bit inputs.
  it('on convs across packing boundaries (widths, strides, padding, pools)', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 150; seed++) {
      const net = geometryNet(seed);
      expect(programOf(net) !== undefined).toBe(kernels === 'wasm');
      const rng = mulberry32(seed ^ 0xb17);
      for (let n = 0; n < 2; n++) {
        const problem = firstDifference(net, randomInput(net, rng));
        if (problem !== undefined) failures.push(`geometry seed ${seed}, input ${n}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  });

  // A 1-bit layer's i16 partial sums must be widened before they can wrap:
  // columns of all +127 and all -127 over 1001 rows reach ±127127.
  it('on a 1-bit layer whose column sums pass the i16 range', () => {
    const K = 1001;
    const O = 40;
    const rng = mulberry32(16);
    const weights = Array.from({ length: O * K }, (_, i) => {
      const o = Math.floor(i / K);
      return o % 3 === 0 ? 127 : o % 3 === 1 ? -127 : rng.int(-127, 127);
    });
    const net = buildNet({ channels: 1, height: 7, width: 143, bits: 1 }, 8, [{ type: 'dense', outFeatures: O, weights, activation: none }]);
    expect(programOf(net) !== undefined).toBe(kernels === 'wasm');
    expect(firstDifference(net, new Int32Array(K).fill(1))).toBeUndefined();
    for (let n = 0; n < 3; n++) expect(firstDifference(net, randomInput(net, rng))).toBeUndefined();
  });

  // The same arena refill for whole-network programs: nine nets of about
  // 8 MB of chunk tables each, then the first again.
  it('after the arena has been emptied under a whole-network program', () => {
    const rng = mulberry32(98);
    const weights = Array.from({ length: 1000 * 2000 }, () => rng.int(-127, 127));
    const nets = Array.from({ length: 9 }, () => buildNet({ channels: 1, height: 1, width: 2000, bits: 1 }, 8, [{ type: 'dense', outFeatures: 1000, weights, activation: none }]));
    expect(programOf(nets[0]) !== undefined).toBe(kernels === 'wasm');
    const input = randomInput(nets[0], rng);
    for (const net of [...nets, nets[0]]) expect(firstDifference(net, input)).toBeUndefined();
  });

  // Sums wrap modulo 2^32 in the kernels; a layer whose accumulator range
  // passes int32 must not reach them. Here bias + 4·127·255 > 2^31 − 1.
  it('on a layer whose sums pass the int32 range', () => {
    const big = 2 ** 31 - 1000;
    const net = buildNet({ channels: 1, height: 1, width: 4, bits: 8 }, 8, [
      { type: 'dense', outFeatures: 2, weights: [127, 127, 127, 127, -127, -127, -127, -127], bias: [big, -big], activation: threshold(2 ** 31 - 1, -big) },
    ]);
    const input = new Int32Array(4).fill(255);
    expect(Array.from(runNet(net, input, { impl: 'reference' }).output)).toEqual([1, 0]);
    expect(firstDifference(net, input)).toBeUndefined();
  });
});
}

/**
 * conv (threshold) → optional max-pool → conv on the 1-bit map (ADC) → dense
 * (none), with the geometry drawn from `seed`.
 */
function geometryNet(seed: number): NetIR {
  const rng = mulberry32(seed);
  const bits = rng.pick([1, 1, 3, 8]);
  const weightBits = rng.int(2, 8);
  const wmax = 2 ** (weightBits - 1) - 1;
  const weights = (n: number) => Array.from({ length: n }, () => rng.int(-wmax, wmax));
  let C = rng.pick([1, 2, 3, 7, 9]);
  let H = rng.int(3, 40);
  let W = rng.pick([3, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 65]);
  const input = { channels: C, height: H, width: W, bits };
  const specs: Parameters<typeof buildNet>[2] = [];
  const conv = (activation: (O: number) => Activation): void => {
    const k = rng.int(1, Math.min(5, H, W));
    const padding = rng.int(0, k - 1);
    const stride = rng.int(1, 3);
    const O = rng.int(1, 40);
    specs.push({ type: 'conv', outChannels: O, kernel: k, stride, padding, weights: weights(O * C * k * k),
      bias: Array.from({ length: O }, () => rng.int(-wmax, wmax)), activation: activation(O) });
    C = O;
    H = Math.floor((H + 2 * padding - k) / stride) + 1;
    W = Math.floor((W + 2 * padding - k) / stride) + 1;
  };
  // Thresholds near 0 with zero-centred weights give maps of mixed bits.
  conv((O) => threshold(...Array.from({ length: O }, () => rng.int(-2, 2))));
  if (Math.min(H, W) >= 3 && rng.int(0, 2) > 0) {
    const [kernel, stride] = rng.pick([[2, 2], [2, 2], [3, 2], [2, 1], [3, 3]]);
    specs.push({ type: 'maxpool', kernel, stride });
    H = Math.floor((H - kernel) / stride) + 1;
    W = Math.floor((W - kernel) / stride) + 1;
  }
  conv(() => adc(rng.int(1, 8), -rng.int(0, 3 * wmax), rng.int(1, 2 * wmax)));
  specs.push({ type: 'dense', outFeatures: rng.int(1, 12), weights: [], activation: none });
  const last = specs[specs.length - 1] as { weights: number[]; outFeatures: number };
  last.weights = weights(last.outFeatures * C * H * W);
  return buildNet(input, weightBits, specs);
}

equivalenceSuite(process.env.RRAM_GEN_NO_WASM === '1' ? 'js' : 'wasm');
