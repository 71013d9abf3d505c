// The least-squares re-fit (src/quantize/refit.ts) against independent facts:
// its normal-equation sums equal those of an explicitly built design matrix
// (zero-padded windows, one row per output position), and when the float
// layer is exactly linear in the 1-bit map (a one-layer model whose input
// pixels are 0 or 255) the solution is that layer's own weights and bias.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/golden/prng.js';
import type { Chw, FloatConv, FloatDense, FloatMatrix, FloatNet } from '../../src/quantize/float-net.js';
import { floatForward } from '../../src/quantize/float-net.js';
import type { Segment } from '../../src/quantize/integer.js';
import { type Maps, REFIT_ONE, runJob } from '../../src/quantize/jobs.js';
import { refitJob, refittedSegment } from '../../src/quantize/refit.js';
import { squareWindow } from '../../src/ops/window.js';

interface Case { net: FloatNet; seg: Segment; pixels: Maps; inputs: Maps }

/** A one-layer float model on random 0/255 images, and the same images as 1-bit maps. */
function linearCase(seed: number, shape: Chw, layer: 'conv' | 'dense', images: number, geometry = { kernel: 3, stride: 1, padding: 1 }): Case {
  const { int } = mulberry32(seed);
  const real = (): number => int(-1000, 1000) / 1000;
  const { channels: C, height: H, width: W } = shape;
  const O = 3;
  let m: FloatMatrix;
  let out: Chw;
  if (layer === 'conv') {
    const { kernel: k, stride, padding } = geometry;
    out = { channels: O, height: Math.floor((H + 2 * padding - k) / stride) + 1, width: Math.floor((W + 2 * padding - k) / stride) + 1 };
    m = { type: 'conv', node: 'conv', inChannels: C, outChannels: O, window: squareWindow(k, stride, padding), groups: 1, activation: { type: 'relu' },
      weights: Float64Array.from({ length: O * C * k * k }, real), bias: Float64Array.from({ length: O }, real) } satisfies FloatConv;
  } else {
    out = { channels: O, height: 1, width: 1 };
    m = { type: 'dense', node: 'fc', inFeatures: C * H * W, outFeatures: O, activation: { type: 'relu' },
      weights: Float64Array.from({ length: O * C * H * W }, real), bias: Float64Array.from({ length: O }, real) } satisfies FloatDense;
  }
  const net: FloatNet = { name: 't', input: shape, layers: [m], shapes: [out], inputName: 'x', outputName: 'y' };
  const size = C * H * W;
  const bits = Uint8Array.from({ length: images * size }, () => int(0, 2) === 0 ? 1 : 0);
  const labels = new Uint8Array(images);
  return {
    net,
    seg: { matrix: m, index: 0, pools: [], inShape: shape, outShape: out, pooledShape: out, name: layer, poolNames: [] },
    pixels: { n: images, size, x: bits.map((b) => b * 255), labels },
    inputs: { n: images, size, x: bits, labels },
  };
}

function sums(c: Case): Float64Array {
  return runJob(refitJob(c.net, c.seg, c.pixels, c.inputs, new Int32Array(1)), () => undefined) as Float64Array;
}

/** Gᵀ and B from an explicit design matrix: a zero-padded copy of each map and one row per output position. */
function explicitSums(c: Case): Float64Array {
  const m = c.seg.matrix;
  const { channels: C, height: H, width: W } = c.seg.inShape;
  const k = m.type === 'conv' ? m.window.kernelH : 0;
  const pad = m.type === 'conv' ? m.window.padTop : 0;
  const stride = m.type === 'conv' ? m.window.strideH : 1;
  const K = m.type === 'conv' ? C * k * k : C * H * W;
  const { height: OH, width: OW } = c.seg.outShape;
  const O = c.seg.outShape.channels;
  const rows: number[][] = [];
  const targets: number[][] = [];
  for (let img = 0; img < c.inputs.n; img++) {
    const x = c.inputs.x.subarray(img * c.inputs.size, (img + 1) * c.inputs.size);
    const z = floatForward({ ...c.net, layers: [{ ...m, activation: { type: 'identity' } }] }, Float64Array.from(c.pixels.x.subarray(img * c.pixels.size, (img + 1) * c.pixels.size), (v) => Math.fround(v / 255)));
    if (m.type === 'dense') {
      rows.push([...x, 1]);
      targets.push(Array.from(z, (v) => Math.round(v * REFIT_ONE)));
      continue;
    }
    const PH = H + 2 * pad;
    const PW = W + 2 * pad;
    const padded = new Uint8Array(C * PH * PW);
    for (let ch = 0; ch < C; ch++) for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) padded[(ch * PH + y + pad) * PW + xx + pad] = x[(ch * H + y) * W + xx];
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const row: number[] = [];
        for (let ch = 0; ch < C; ch++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) row.push(padded[(ch * PH + oy * stride + ky) * PW + ox * stride + kx]);
        rows.push([...row, 1]);
        targets.push(Array.from({ length: O }, (_, o) => Math.round(z[(o * OH + oy) * OW + ox] * REFIT_ONE)));
      }
    }
  }
  const K1 = K + 1;
  const out = new Float64Array(K1 * K1 + K1 * O);
  rows.forEach((a, i) => {
    for (let r = 0; r < K1; r++) {
      for (let s = 0; s < K1; s++) out[r * K1 + s] += a[r] * a[s];
      for (let o = 0; o < O; o++) out[K1 * K1 + r * O + o] += a[r] * targets[i][o];
    }
  });
  return out;
}

describe('least-squares re-fit', () => {
  it.each([
    ['conv 3×3, padding 1', linearCase(1, { channels: 2, height: 5, width: 6 }, 'conv', 12)],
    ['conv 3×3, stride 2, no padding', linearCase(2, { channels: 3, height: 7, width: 7 }, 'conv', 12, { kernel: 3, stride: 2, padding: 0 })],
    ['conv 2×2, padding 1', linearCase(3, { channels: 1, height: 4, width: 4 }, 'conv', 12, { kernel: 2, stride: 1, padding: 1 })],
    ['dense', linearCase(4, { channels: 2, height: 3, width: 3 }, 'dense', 12)],
  ])('sums the normal equations of an explicit design matrix (%s)', (_, c) => {
    expect(Array.from(sums(c))).toEqual(Array.from(explicitSums(c)));
  });

  it.each([
    ['conv', linearCase(5, { channels: 3, height: 6, width: 6 }, 'conv', 300)],
    ['dense', linearCase(6, { channels: 2, height: 3, width: 3 }, 'dense', 2000)],
  ])('recovers a %s layer that is exactly linear in its 1-bit input', (_, c) => {
    const fitted = refittedSegment(c.seg, sums(c));
    const want = c.seg.matrix;
    for (let i = 0; i < want.weights.length; i++) expect(fitted.matrix.weights[i]).toBeCloseTo(want.weights[i], 2);
    for (let o = 0; o < want.bias.length; o++) expect(fitted.matrix.bias[o]).toBeCloseTo(want.bias[o], 2);
    expect(fitted.matrix.weights).not.toBe(want.weights);
  });
});
