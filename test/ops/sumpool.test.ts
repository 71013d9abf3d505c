// sumpool (average pooling without the division, net@2): golden model on
// nets worked out by hand, validation, plan, estimate and net.json round trip.
import { describe, expect, it } from 'vitest';
import { runNet } from '../../src/golden/index.js';
import { RramGenError, validateNetDocument } from '../../src/index.js';
import { planNet } from '../../src/plan/index.js';
import { estimatePlan, loadDefaultTech } from '../../src/estimate/index.js';
import { netToDocument } from '../../src/ir/serialize.js';
import { randomNet } from '../../src/golden/random-net.js';
import { buildNet, none } from '../golden/build.js';
import { squareWindow } from '../../src/ops/window.js';

const impls = ['reference', 'fast'] as const;

// Net D — input 1×3×3, 2-bit:   1 0 2
//                               3 1 0
//                               0 2 1
// sumpool0 2×2, stride 1, padding 1 → (3+2−2)/1+1 = 4, so 4×4; window top-left (y−1, x−1), outside reads 0:
//   y=0 (row 0 only):  1 | 1+0 | 0+2 | 2                 → 1 1 2 2
//   y=1 (rows 0,1):    1+3 | 1+0+3+1 | 0+2+1+0 | 2+0     → 4 5 3 2
//   y=2 (rows 1,2):    3+0 | 3+1+0+2 | 1+0+2+1 | 0+1     → 3 6 4 1
//   y=3 (row 2 only):  0 | 0+2 | 2+1 | 1                 → 0 2 3 1
//   width: 4 · 3 = 12 → 4 bits.
// dense1 (none): d0 = all ones → 1+1+2+2+4+5+3+2+3+6+4+1+0+2+3+1 = 40; d1 = −1 on the first, bias 5 → 4.
const netD = buildNet({ channels: 1, height: 3, width: 3, bits: 2 }, 2, [
  { type: 'sumpool', kernel: 2, stride: 1, padding: 1, bits: 4 },
  { type: 'dense', outFeatures: 2, weights: [...new Array<number>(16).fill(1), -1, ...new Array<number>(15).fill(0)], bias: [0, 5], activation: none },
], 7);
const inputD = Int32Array.from([1, 0, 2, 3, 1, 0, 0, 2, 1]);

// Net E — input 1×4×5, 3-bit, sumpool0 2×2 stride 2 (no padding) → 2×2, the last column unread:
//   0 5 1 2 7
//   3 2 6 0 1      (0,0) 0+5+3+2 = 10   (0,1) 1+2+6+0 = 9
//   4 4 1 7 2      (1,0) 4+4+0+1 = 9    (1,1) 1+7+3+5 = 16
//   0 1 3 5 6      width: 4 · 7 = 28 → 5 bits.
// dense1 (none): [1,−1,1,−1] → 10 − 9 + 9 − 16 = −6; [0,0,0,1] → 16.
const netE = buildNet({ channels: 1, height: 4, width: 5, bits: 3 }, 2, [
  { type: 'sumpool', kernel: 2, stride: 2, padding: 0, bits: 5 },
  { type: 'dense', outFeatures: 2, weights: [1, -1, 1, -1, 0, 0, 0, 1], activation: none },
], 7);
const inputE = Int32Array.from([0, 5, 1, 2, 7, 3, 2, 6, 0, 1, 4, 4, 1, 7, 2, 0, 1, 3, 5, 6]);

// Net F — global average pooling of a 1-bit map: input 2×3×3, sumpool0 3×3 → 2×1×1, a count of ones.
//   c0: 1 1 0 / 0 1 0 / 1 1 1 → 6;  c1: 0 0 0 / 0 1 0 / 0 0 0 → 1.  Width: 9 → 4 bits.
// dense1 (none): [1, −1] → 6 − 1 = 5; [1, 1] → 7.
const netF = buildNet({ channels: 2, height: 3, width: 3, bits: 1 }, 2, [
  { type: 'sumpool', kernel: 3, stride: 3, padding: 0, bits: 4 },
  { type: 'dense', outFeatures: 2, weights: [1, -1, 1, 1], activation: none },
], 5);
const inputF = Int32Array.from([1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0]);

describe.each(impls)('sum-pool, hand-computed (%s)', (impl) => {
  it('net D: padded, overlapping windows sum what they cover', () => {
    const r = runNet(netD, inputD, { impl, trace: true });
    expect(Array.from(r.trace![0].values)).toEqual([1, 1, 2, 2, 4, 5, 3, 2, 3, 6, 4, 1, 0, 2, 3, 1]);
    expect(Array.from(r.output)).toEqual([40, 4]);
  });

  it('net E: stride 2 on a non-square map', () => {
    const r = runNet(netE, inputE, { impl, trace: true });
    expect(Array.from(r.trace![0].values)).toEqual([10, 9, 9, 16]);
    expect(Array.from(r.output)).toEqual([-6, 16]);
  });

  it('net F: global pooling of a 1-bit map counts its ones', () => {
    const r = runNet(netF, inputF, { impl, trace: true });
    expect(Array.from(r.trace![0].values)).toEqual([6, 1]);
    expect(Array.from(r.output)).toEqual([5, 7]);
  });
});

/** A net@2 document: a sum-pool, then a one-output dense layer reading its `features` values. */
function doc(pool: Record<string, unknown>, features: number, format = 'rram-gen/net@2', input = { channels: 2, height: 6, width: 6, bits: 1 }): Record<string, unknown> {
  return {
    format, name: 'n', input, weightBits: 4, crossbar: { rows: 64, cols: 8 },
    layers: [
      { type: 'sumpool', name: 'p', ...pool },
      { type: 'dense', name: 'fc', outFeatures: 1, weights: new Array<number>(features).fill(1), activation: { type: 'none' } },
    ],
  };
}
function problems(d: Record<string, unknown>): string[] {
  try {
    validateNetDocument(d, '<memory>', 'n.json');
  } catch (e) {
    if (e instanceof RramGenError) return e.diagnostics.map((x) => `${x.code} ${x.pointer}`);
    throw e;
  }
  return [];
}

describe('sum-pool validation', () => {
  it('infers the shape and the sum width (stride defaults to the kernel, padding to 0)', () => {
    const { net } = validateNetDocument(doc({ kernel: 3 }, 2 * 2 * 2), '<memory>', 'n.json');
    expect(net.layers[0]).toMatchObject({ type: 'sumpool', window: squareWindow(3, 3, 0), outShape: { channels: 2, height: 2, width: 2, bits: 4, signed: false } });
    // 2×2 of 8-bit values: at most 4 · 255 = 1020 → 10 bits; padding 1, stride 1 on 6×6 → 7×7.
    const wide = validateNetDocument(doc({ kernel: 2, stride: 1, padding: 1 }, 49, 'rram-gen/net@2', { channels: 1, height: 6, width: 6, bits: 8 }), '<memory>', 'n.json').net;
    expect(wide.layers[0].outShape).toMatchObject({ height: 7, width: 7, bits: 10 });
    // Global pooling: the kernel covers the map.
    const global = validateNetDocument(doc({ kernel: 6 }, 2), '<memory>', 'n.json').net;
    expect(global.layers[0].outShape).toMatchObject({ channels: 2, height: 1, width: 1, bits: 6 });
  });

  it('reports each problem at its pointer', () => {
    expect(problems(doc({ kernel: 2, padding: 2 }, 8))).toEqual(['padding-too-large /layers/0/padding']);
    expect(problems(doc({ kernel: 7 }, 2))).toEqual(['kernel-too-large /layers/0/kernel']);
    // 32×32 of 8-bit values needs 18 bits.
    expect(problems(doc({ kernel: 32, padding: 13 }, 1, 'rram-gen/net@2', { channels: 1, height: 6, width: 6, bits: 8 }))).toEqual(['limit-exceeded /layers/0']);
    // Not in net@1.
    expect(problems(doc({ kernel: 3 }, 8, 'rram-gen/net@1')).length).toBeGreaterThan(0);
  });

  it('is not a final layer', () => {
    const d = { ...doc({ kernel: 2 }, 1), layers: [{ type: 'sumpool', name: 'p', kernel: 2 }] };
    expect(problems(d)).toEqual(['final-layer-kind /layers/0']);
  });
});

describe('sum-pool plan, estimate and net.json', () => {
  const net = validateNetDocument(doc({ kernel: 2, stride: 2 }, 2 * 3 * 3), '<memory>', 'n.json').net;

  it('is a window stage with its padding and no crossbar', () => {
    const s = planNet(net).stages[0];
    expect(s.kind).toBe('sumpool');
    expect(s.input).toEqual({ kind: 'window', window: squareWindow(2, 2, 0), bits: 1 });
    expect(s.outShape.bits).toBe(3);
  });

  it('is costed as an adder tree per channel: k²−1 adders, one window per output', () => {
    const e = estimatePlan(planNet(net), loadDefaultTech()).designs[0].layers[0];
    const adders = e.items.find((i) => i.component === 'adder')!;
    expect(adders.instances).toBe(2 * 3);
    // 3×3 outputs × 2 channels × 3 additions.
    expect(adders.opsPerImage).toBe(9 * 2 * 3);
    expect(e.outBits).toBe(3);
  });

  it('is written back as net@2 (and a net without one stays net@1)', () => {
    const d = netToDocument(net);
    expect(d.format).toBe('rram-gen/net@2');
    expect((d.layers as unknown[])[0]).toEqual({ type: 'sumpool', name: 'p', kernel: 2, stride: 2, padding: 0 });
    expect(validateNetDocument(JSON.parse(JSON.stringify(d)), '<memory>', 'n.json').net.layers[0]).toMatchObject({ type: 'sumpool', window: squareWindow(2, 2, 0) });
    expect(netToDocument(randomNet(3)).format).toBe('rram-gen/net@1');
  });
});

describe('random nets with sum-pools', () => {
  it('draw them only when asked, and keep every seed\'s net otherwise', () => {
    const seeds = Array.from({ length: 40 }, (_, i) => i + 1);
    const drawn = seeds.filter((s) => randomNet(s, { sumpool: true }).layers.some((l) => l.type === 'sumpool'));
    expect(drawn.length).toBeGreaterThan(5);
    expect(seeds.some((s) => randomNet(s).layers.some((l) => l.type === 'sumpool'))).toBe(false);
    // Golden model: reference and fast agree on them (the sum-pool and the layers reading its counts).
    for (const s of drawn.slice(0, 8)) {
      const n = randomNet(s, { sumpool: true });
      const x = Int32Array.from({ length: n.input.channels * n.input.height * n.input.width }, (_, i) => (i * 7 + s) % (2 ** n.input.bits));
      expect(Array.from(runNet(n, x, { impl: 'fast' }).output), `seed ${s}`).toEqual(Array.from(runNet(n, x, { impl: 'reference' }).output));
    }
  });
});
