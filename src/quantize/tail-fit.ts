// Fine-tunes the network after its first layer with the thresholds in place.
// The greedy search fixes one threshold per layer and a value per 1 for a
// network trained with real-valued activations; a layer then loses most where
// its float units were never asked to say what they carry in one bit each.
// Here the layers after the first (convolutions, max-pools, dense layers) are
// trained on the labels as the binary network they now are: the forward pass
// uses the thresholds (a unit is 1 when its accumulator meets its threshold),
// the backward pass the straight-through estimator (the step's gradient taken
// as 1 within one standard deviation of the threshold, 0 outside), softmax
// cross-entropy, minibatch Adam. The tail's input — the first layer's 1-bit
// map, or the image for a network of dense layers — is fixed: computed once by
// the golden model.
//
// One training image in HOLD_BACK is held back; the epoch kept (0: the start)
// is the one that gets most of them right, so a fit that only memorizes is not
// kept. Deterministic: one thread, a fixed image order, float64 arithmetic.
import type { ConvLayer, DenseLayer, MaxPoolLayer, NetIR } from '../ir/types.js';
import { type Prng, mulberry32 } from '../golden/prng.js';
import { roundHalfAway } from './integer.js';
import type { Maps } from './jobs.js';

/**
 * A conv or dense layer of the tail (a dense layer is a conv with one output
 * position). Output value (o, p) sits at o·positions + p, as net.json's
 * C, H, W order has it.
 */
export interface TailMatrix {
  kind: 'matrix';
  name: string;
  inSize: number;
  positions: number;
  outputs: number;
  groups: number;
  /** Weight rows per column: a group's input channels × window taps. */
  rows: number;
  /** Input values per group (its channels × H × W): input i is in group ⌊i / groupInputs⌋. */
  groupInputs: number;
  /** Row-major within each group, so an active input adds contiguous rows: weights[(g·rows + r)·Og + o'] for column g·Og + o'. */
  weights: Float64Array;
  bias: Float64Array;
  /** The (output position, weight row) pairs that read input value i: entries start[i] .. start[i + 1] − 1. */
  reads: { start: Int32Array; position: Int32Array; row: Int32Array };
}

/** A max-pool of the matrix layer before it (on its pre-activations: the threshold after it commutes with the max). */
export interface TailPool {
  kind: 'maxpool';
  inSize: number;
  outSize: number;
  taps: number;
  /** Per output value, its window's input values; −1 for padding, which never wins. */
  window: Int32Array;
}

export type TailLayer = TailMatrix | TailPool;

export interface TailFitOptions {
  epochs: number;
  batch: number;
  /**
   * Adam's step on a layer whose columns read one active input, divided by
   * the square root of the active inputs a column reads (so a layer reading
   * 800 active inputs moves its pre-activations about as much per step as one
   * reading 60; the hidden ones are on a scale of one standard deviation),
   * cosine-decayed to 0 over the epochs.
   */
  rate: number;
  /** At most this many training images per epoch (a fixed random draw); the held-back ones are drawn from all. */
  images?: number;
}

/** Chosen on the zoo's development half (docs/quantize.md); 12 epochs gained nothing over 6. */
export const TAIL_FIT: TailFitOptions = { epochs: 6, batch: 100, rate: 0.05 };

/** One training image in HOLD_BACK (drawn at random) checks the fit instead of feeding it. */
const HOLD_BACK = 10;

/** The training images of `n` the fit holds back. */
export function heldBackCount(n: number): number {
  return Math.floor(n / HOLD_BACK);
}
/** Images the start's scales (each hidden channel's spread, the logits' temperature) are measured on. */
const SCALE_IMAGES = 2000;

export interface TailFit {
  layers: TailLayer[];
  /** The held-back training images (ascending): the fit never trained on them. */
  heldImages: Int32Array;
  /** The epoch kept (0: the start) and the held-back images it and the start get right, of `held`. */
  epoch: number;
  heldCorrect: number;
  heldStart: number;
  held: number;
}

/**
 * `start` (the tail: hidden threshold layers with their max-pools, then the
 * final layer; thresholds folded into the biases, a unit is 1 where its
 * pooled pre-activation is ≥ 0) trained on the labels of `maps` (the tail's
 * input per training image). The hidden layers make the same decisions at
 * the start as `start`'s: only their scale changes before training.
 */
export function fitTail(start: TailLayer[], maps: Maps, opts: TailFitOptions = TAIL_FIT, onEpoch?: (epoch: number) => void): TailFit {
  const net = new TailNet(start.map(copyLayer), maps);
  // The held-back images are drawn at random (a fixed draw), not every tenth:
  // a data set's order can carry structure (MNIST's every tenth training image
  // is easier than the rest).
  const random = mulberry32(0x5eed);
  const all = shuffle(Int32Array.from({ length: maps.n }, (_, i) => i), random);
  const held = all.slice(0, heldBackCount(maps.n)).sort();
  const order = all.slice(held.length, held.length + (opts.images ?? maps.n));
  net.normalize(order.subarray(0, Math.min(order.length, SCALE_IMAGES)));
  const heldStart = net.correct(held);
  let best: TailFit = { layers: net.layers.map(copyLayer), heldImages: held, epoch: 0, heldCorrect: heldStart, heldStart, held: held.length };
  const fanIn = net.activeFanIn(order.subarray(0, Math.min(order.length, SCALE_IMAGES)));
  const adam = new Adam(net.matrices, fanIn.map((k) => opts.rate / Math.sqrt(Math.max(1, k))), opts.epochs * Math.ceil(order.length / opts.batch));
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    shuffle(order, random);
    for (let from = 0; from < order.length; from += opts.batch) {
      const batch = order.subarray(from, Math.min(order.length, from + opts.batch));
      adam.step(net.gradient(batch), batch.length);
    }
    const correct = net.correct(held);
    if (correct > best.heldCorrect) best = { ...best, layers: net.layers.map(copyLayer), epoch, heldCorrect: correct };
    onEpoch?.(epoch);
  }
  return best;
}

/** Fisher–Yates, in place. */
function shuffle(v: Int32Array, random: Prng): Int32Array {
  for (let i = v.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    const t = v[i];
    v[i] = v[j];
    v[j] = t;
  }
  return v;
}

function copyLayer(l: TailLayer): TailLayer {
  return l.kind === 'matrix' ? { ...l, weights: Float64Array.from(l.weights), bias: Float64Array.from(l.bias) } : l;
}

/**
 * Multiply-adds of one image through the tail with every input active: the
 * training's cost per image and epoch is about three times this (forward,
 * weight gradient, input gradient).
 */
export function tailWork(layers: TailLayer[]): number {
  let work = 0;
  for (const l of layers) work += l.kind === 'matrix' ? l.reads.start[l.inSize] * (l.outputs / l.groups) : l.outSize * l.taps;
  return work;
}

/** A matrix layer and the max-pools after it; a hidden block's output is 1 where the pooled value is ≥ 0. */
interface Block {
  matrix: TailMatrix;
  pools: TailPool[];
  /** Per pool, the winning input of each output (for the backward pass). */
  argmax: Int32Array[];
  /** The matrix layer's input: its nonzero values (index, value). */
  active: Int32Array;
  value: Float64Array;
  count: number;
  /** Pre-activations, then after each pool. */
  z: Float64Array;
  /** Scratch of z's size, position-major (p·outputs + o): see matrixForward. */
  byPosition: Float64Array;
  pooled: Float64Array[];
}

/** The binary tail's forward and backward passes, one image at a time. */
class TailNet {
  readonly matrices: TailMatrix[];
  private readonly blocks: Block[];
  private readonly grads: TailMatrix[];

  constructor(readonly layers: TailLayer[], private readonly maps: Maps) {
    this.blocks = [];
    for (const l of layers) {
      if (l.kind === 'matrix') {
        this.blocks.push({
          matrix: l, pools: [], argmax: [], active: new Int32Array(l.inSize), value: new Float64Array(l.inSize), count: 0,
          z: new Float64Array(l.outputs * l.positions), byPosition: new Float64Array(l.outputs * l.positions), pooled: [],
        });
      } else {
        const b = this.blocks[this.blocks.length - 1];
        b.pools.push(l);
        b.argmax.push(new Int32Array(l.outSize));
        b.pooled.push(new Float64Array(l.outSize));
      }
    }
    this.matrices = this.blocks.map((b) => b.matrix);
    this.grads = this.matrices.map((m) => ({ ...m, weights: new Float64Array(m.weights.length), bias: new Float64Array(m.outputs) }));
  }

  /** A block's output before the threshold (or the logits, for the last). */
  private out(b: Block): Float64Array {
    return b.pooled.length === 0 ? b.z : b.pooled[b.pooled.length - 1];
  }

  /** Runs image `img`; leaves every block's input and values behind for the backward pass. Returns the logits. */
  private forward(img: number): Float64Array {
    const { maps, blocks } = this;
    const x = maps.x.subarray(img * maps.size, (img + 1) * maps.size);
    let count = 0;
    const first = blocks[0];
    for (let k = 0; k < x.length; k++) {
      if (x[k] !== 0) { first.active[count] = k; first.value[count] = x[k]; count++; }
    }
    first.count = count;
    for (let j = 0; j < blocks.length; j++) {
      const b = blocks[j];
      matrixForward(b.matrix, b.active, b.value, b.count, b.z, b.byPosition);
      let v = b.z;
      b.pools.forEach((pool, k) => { poolForward(pool, v, b.pooled[k], b.argmax[k]); v = b.pooled[k]; });
      if (j + 1 < blocks.length) {
        const next = blocks[j + 1];
        let n = 0;
        for (let i = 0; i < v.length; i++) if (v[i] >= 0) { next.active[n] = i; next.value[n] = 1; n++; }
        next.count = n;
      }
    }
    return this.out(blocks[blocks.length - 1]);
  }

  /** Images whose largest logit is their label. */
  correct(images: Int32Array): number {
    let correct = 0;
    for (const img of images) if (argmax(this.forward(img)) === this.maps.labels[img]) correct++;
    return correct;
  }

  /** The summed gradient of the cross-entropy over `batch` (straight-through at the thresholds). */
  gradient(batch: Int32Array): TailMatrix[] {
    const { blocks, grads } = this;
    for (const g of grads) { g.weights.fill(0); g.bias.fill(0); }
    for (const img of batch) {
      // dL/d(logits): softmax − one-hot.
      let delta = softmaxDelta(this.forward(img), this.maps.labels[img]);
      for (let j = blocks.length - 1; j >= 0; j--) {
        const b = blocks[j];
        for (let k = b.pools.length - 1; k >= 0; k--) delta = poolBackward(b.pools[k], b.argmax[k], delta);
        if (j === 0) {
          matrixBackward(b.matrix, b.active, b.value, b.count, delta, b.byPosition, grads[j]);
          break;
        }
        // The input of this block is the 1-bit output of the one before: its
        // gradient passes the step only within ±1 of the threshold.
        const before = this.out(blocks[j - 1]);
        const dx = matrixBackward(b.matrix, b.active, b.value, b.count, delta, b.byPosition, grads[j], before);
        delta = dx;
      }
    }
    return grads;
  }

  /**
   * Puts each hidden channel's pooled pre-activation on a scale of one
   * standard deviation (its threshold at 0, decisions unchanged: the
   * straight-through window is ±1 of that), and the logits at the
   * temperature that fits the labels best, on the images given.
   */
  normalize(images: Int32Array): void {
    const { blocks } = this;
    for (let j = 0; j + 1 < blocks.length; j++) {
      const { matrix } = blocks[j];
      const O = matrix.outputs;
      const sum = new Float64Array(O);
      const squares = new Float64Array(O);
      let perChannel = 0;
      for (const img of images) {
        this.forward(img);
        const v = this.out(blocks[j]);
        perChannel = v.length / O;
        for (let i = 0; i < v.length; i++) {
          const o = Math.floor(i / perChannel);
          sum[o] += v[i];
          squares[o] += v[i] * v[i];
        }
      }
      const n = images.length * perChannel;
      scaleColumns(matrix, Float64Array.from(sum, (s, o) => {
        const sd = Math.sqrt(Math.max(0, squares[o] / n - (s / n) ** 2));
        return sd > 0 ? 1 / sd : 1;
      }));
    }
    const last = blocks[blocks.length - 1].matrix;
    scaleColumns(last, new Float64Array(last.outputs).fill(this.bestTemperature(images)));
  }

  /** Per matrix layer, the inputs a column reads that are active, on average over the images (its rows × the density of its input). */
  activeFanIn(images: Int32Array): number[] {
    const active = new Float64Array(this.blocks.length);
    for (const img of images) {
      this.forward(img);
      this.blocks.forEach((b, j) => { active[j] += b.count; });
    }
    return this.blocks.map((b, j) => (b.matrix.rows * active[j]) / (images.length * b.matrix.inSize));
  }

  /** The factor on the logits (a power of 2) with the least cross-entropy on the images. */
  private bestTemperature(images: Int32Array): number {
    const logits = Array.from(images, (img) => Float64Array.from(this.forward(img)));
    let best = { factor: 1, loss: Infinity };
    for (let e = -16; e <= 8; e++) {
      const factor = 2 ** e;
      let loss = 0;
      logits.forEach((z, i) => { loss += crossEntropy(z, factor, this.maps.labels[images[i]]); });
      if (loss < best.loss) best = { factor, loss };
    }
    return best.factor;
  }
}

/**
 * z = bias + W·x over the nonzero inputs (scattered: each active input adds
 * its rows to the positions that read it). Summed position-major in
 * `byPosition`, where a weight row's columns and the sums they add to are both
 * contiguous, then transposed into z's C,H,W order; each sum adds the same
 * terms in the same order as a channel-major loop would.
 */
function matrixForward(m: TailMatrix, active: Int32Array, value: Float64Array, count: number, z: Float64Array, byPosition: Float64Array): void {
  const { positions: P, outputs: O, groups, rows, groupInputs, weights: w, reads } = m;
  const Og = O / groups;
  for (let p = 0; p < P; p++) byPosition.set(m.bias, p * O);
  for (let a = 0; a < count; a++) {
    const i = active[a];
    const v = value[a];
    const g = Math.floor(i / groupInputs);
    for (let e = reads.start[i]; e < reads.start[i + 1]; e++) {
      const wRow = (g * rows + reads.row[e]) * Og;
      const zAt = reads.position[e] * O + g * Og;
      for (let o = 0; o < Og; o++) byPosition[zAt + o] += v * w[wRow + o];
    }
  }
  for (let p = 0; p < P; p++) for (let o = 0; o < O; o++) z[o * P + p] = byPosition[p * O + o];
}

/**
 * Adds the gradient of the weights and biases for `delta` (dL/dz) to `grad`;
 * with `before` (the previous block's pooled pre-activations), also returns
 * dL/d(input) through the straight-through step: zero where |before| > 1.
 * `byPosition` (z's size) holds delta transposed, as in matrixForward.
 */
function matrixBackward(m: TailMatrix, active: Int32Array, value: Float64Array, count: number, delta: Float64Array, byPosition: Float64Array, grad: TailMatrix, before?: Float64Array): Float64Array {
  const { positions: P, outputs: O, groups, rows, groupInputs, weights: w, reads } = m;
  const Og = O / groups;
  for (let o = 0; o < O; o++) {
    let s = 0;
    for (let p = 0; p < P; p++) s += delta[o * P + p];
    grad.bias[o] += s;
  }
  for (let o = 0; o < O; o++) for (let p = 0; p < P; p++) byPosition[p * O + o] = delta[o * P + p];
  const gw = grad.weights;
  for (let a = 0; a < count; a++) {
    const i = active[a];
    const v = value[a];
    const g = Math.floor(i / groupInputs);
    for (let e = reads.start[i]; e < reads.start[i + 1]; e++) {
      const wRow = (g * rows + reads.row[e]) * Og;
      const dAt = reads.position[e] * O + g * Og;
      for (let o = 0; o < Og; o++) gw[wRow + o] += v * byPosition[dAt + o];
    }
  }
  const dx = new Float64Array(before === undefined ? 0 : m.inSize);
  if (before === undefined) return dx;
  for (let i = 0; i < m.inSize; i++) {
    if (before[i] < -1 || before[i] > 1) continue;
    const g = Math.floor(i / groupInputs);
    let s = 0;
    for (let e = reads.start[i]; e < reads.start[i + 1]; e++) {
      const wRow = (g * rows + reads.row[e]) * Og;
      const dAt = reads.position[e] * O + g * Og;
      for (let o = 0; o < Og; o++) s += w[wRow + o] * byPosition[dAt + o];
    }
    dx[i] = s;
  }
  return dx;
}

function poolForward(pool: TailPool, v: Float64Array, out: Float64Array, winner: Int32Array): void {
  const { taps, window } = pool;
  for (let k = 0; k < pool.outSize; k++) {
    let best = -1;
    for (let t = 0; t < taps; t++) {
      const i = window[k * taps + t];
      if (i >= 0 && (best < 0 || v[i] > v[best])) best = i;
    }
    winner[k] = best;
    out[k] = v[best];
  }
}

function poolBackward(pool: TailPool, winner: Int32Array, delta: Float64Array): Float64Array {
  const d = new Float64Array(pool.inSize);
  for (let k = 0; k < pool.outSize; k++) d[winner[k]] += delta[k];
  return d;
}

function scaleColumns(m: TailMatrix, factor: Float64Array): void {
  const Og = m.outputs / m.groups;
  for (let o = 0; o < m.outputs; o++) m.bias[o] *= factor[o];
  for (let g = 0; g < m.groups; g++) {
    for (let r = 0; r < m.rows; r++) {
      for (let o = 0; o < Og; o++) m.weights[(g * m.rows + r) * Og + o] *= factor[g * Og + o];
    }
  }
}

function softmaxDelta(z: Float64Array, label: number): Float64Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v);
  const p = Float64Array.from(z, (v) => Math.exp(v - max));
  let sum = 0;
  for (const v of p) sum += v;
  for (let o = 0; o < p.length; o++) p[o] = p[o] / sum - (o === label ? 1 : 0);
  return p;
}

function crossEntropy(z: Float64Array, factor: number, label: number): number {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, factor * v);
  let sum = 0;
  for (const v of z) sum += Math.exp(factor * v - max);
  return Math.log(sum) + max - factor * z[label];
}

function argmax(z: Float64Array): number {
  let best = 0;
  for (let o = 1; o < z.length; o++) if (z[o] > z[best]) best = o;
  return best;
}

/** Adam over every weight and bias of the matrix layers, a step per layer, cosine-decayed to 0 over `steps`. */
class Adam {
  private readonly m1: Float64Array[];
  private readonly m2: Float64Array[];
  private t = 0;

  /** Per matrix layer, its step. */
  constructor(private readonly matrices: TailMatrix[], private readonly rates: number[], private readonly steps: number) {
    this.m1 = matrices.flatMap((m) => [new Float64Array(m.weights.length), new Float64Array(m.outputs)]);
    this.m2 = matrices.flatMap((m) => [new Float64Array(m.weights.length), new Float64Array(m.outputs)]);
  }

  step(grads: TailMatrix[], batchSize: number): void {
    this.t++;
    const decay = 0.5 * (1 + Math.cos((Math.PI * (this.t - 1)) / this.steps));
    const c1 = 1 - 0.9 ** this.t;
    const c2 = 1 - 0.999 ** this.t;
    const params = this.matrices.flatMap((m) => [m.weights, m.bias]);
    const gs = grads.flatMap((g) => [g.weights, g.bias]);
    params.forEach((p, k) => {
      const g = gs[k];
      const m1 = this.m1[k];
      const m2 = this.m2[k];
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] / batchSize;
        m1[i] = 0.9 * m1[i] + 0.1 * gi;
        m2[i] = 0.999 * m2[i] + 0.001 * gi * gi;
        p[i] -= (decay * this.rates[k >> 1] * (m1[i] / c1)) / (Math.sqrt(m2[i] / c2) + 1e-8);
      }
    });
  }
}

/**
 * The tail of a net (its layers after the input, which is the tail's input:
 * conv, dense and max-pool layers, threshold activations on every matrix
 * layer but the last) as training layers, thresholds folded into the biases.
 * Undefined when it holds another kind of layer.
 */
export function tailLayers(net: NetIR): TailLayer[] | undefined {
  const out: TailLayer[] = [];
  const last = net.layers.length - 1;
  for (const [j, l] of net.layers.entries()) {
    if (l.type === 'maxpool') {
      out.push(poolLayer(l));
      continue;
    }
    if (l.type !== 'conv' && l.type !== 'dense') return undefined;
    const hidden = j < last;
    if (hidden !== (l.activation.type === 'threshold')) return undefined;
    const T = l.activation.type === 'threshold' ? l.activation.thresholds : undefined;
    out.push(matrixLayer(l, Float64Array.from(l.bias, (b, o) => b - (T?.[o] ?? 0))));
  }
  return out.length > 0 && out[0].kind === 'matrix' && out[out.length - 1].kind === 'matrix' ? out : undefined;
}

function matrixLayer(l: ConvLayer | DenseLayer, bias: Float64Array): TailMatrix {
  const { channels: C, height: H, width: W } = l.inShape;
  const inSize = C * H * W;
  if (l.type === 'dense') {
    const O = l.outFeatures;
    const weights = new Float64Array(inSize * O);
    for (let o = 0; o < O; o++) for (let k = 0; k < inSize; k++) weights[k * O + o] = l.weights[o * inSize + k];
    const start = Int32Array.from({ length: inSize + 1 }, (_, i) => i);
    return {
      kind: 'matrix', name: l.name, inSize, positions: 1, outputs: O, groups: 1, rows: inSize, groupInputs: inSize, weights, bias,
      reads: { start, position: new Int32Array(inSize), row: Int32Array.from({ length: inSize }, (_, i) => i) },
    };
  }
  const { outChannels: O, groups } = l;
  const { kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padTop: top, padLeft: left, dilationH: dh, dilationW: dw } = l.window;
  const { height: OH, width: OW } = l.outShape;
  const Cg = C / groups;
  const Og = O / groups;
  const rows = Cg * kh * kw;
  const weights = new Float64Array(groups * rows * Og);
  for (let o = 0; o < O; o++) {
    const g = Math.floor(o / Og);
    for (let r = 0; r < rows; r++) weights[(g * rows + r) * Og + (o - g * Og)] = l.weights[o * rows + r];
  }
  // Who reads input (c, iy, ix): output (y, x) through tap (ky, kx) when
  // iy = y·sh + ky·dh − top and ix = x·sw + kx·dw − left (src/ops/window.ts).
  const lists: number[][] = Array.from({ length: inSize }, () => []);
  for (let c = 0; c < C; c++) {
    const cg = c % Cg;
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const iy = y * sh + ky * dh - top;
            const ix = x * sw + kx * dw - left;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            lists[(c * H + iy) * W + ix].push(y * OW + x, (cg * kh + ky) * kw + kx);
          }
        }
      }
    }
  }
  const start = new Int32Array(inSize + 1);
  for (let i = 0; i < inSize; i++) start[i + 1] = start[i] + lists[i].length / 2;
  const position = new Int32Array(start[inSize]);
  const row = new Int32Array(start[inSize]);
  lists.forEach((list, i) => {
    for (let e = 0; e < list.length / 2; e++) { position[start[i] + e] = list[2 * e]; row[start[i] + e] = list[2 * e + 1]; }
  });
  return { kind: 'matrix', name: l.name, inSize, positions: OH * OW, outputs: O, groups, rows, groupInputs: Cg * H * W, weights, bias, reads: { start, position, row } };
}

function poolLayer(l: MaxPoolLayer): TailPool {
  const { channels: C, height: H, width: W } = l.inShape;
  const { height: OH, width: OW } = l.outShape;
  const { kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padTop: top, padLeft: left } = l.window;
  const taps = kh * kw;
  const window = new Int32Array(C * OH * OW * taps).fill(-1);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        const k = (c * OH + y) * OW + x;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const iy = y * sh + ky - top;
            const ix = x * sw + kx - left;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W) window[k * taps + ky * kw + kx] = (c * H + iy) * W + ix;
          }
        }
      }
    }
  }
  return { kind: 'maxpool', inSize: C * H * W, outSize: C * OH * OW, taps, window };
}

/** A matrix layer's integers in net.json's order ([o][rows]), and a hidden layer's thresholds. */
export interface TailIntegers { name: string; weights: number[]; bias: number[]; thresholds?: number[] }

/**
 * The fitted tail's matrix layers as `weightBits`-bit integers: a hidden
 * layer with one step per column (a threshold does not care about its
 * column's scale), its bias folded into the threshold, so the integer
 * comparison is the float one up to the weights' rounding; the final layer
 * with one step for all its columns (they are compared with each other).
 */
export function tailIntegers(layers: TailLayer[], weightBits: number): TailIntegers[] {
  const q = 2 ** (weightBits - 1) - 1;
  const matrices = layers.filter((l): l is TailMatrix => l.kind === 'matrix');
  return matrices.map((m, j) => {
    const { outputs: O, groups, rows, weights: w, bias: b } = m;
    const Og = O / groups;
    const at = (o: number, r: number): number => w[(Math.floor(o / Og) * rows + r) * Og + (o % Og)];
    const hidden = j + 1 < matrices.length;
    const colMax = new Float64Array(O);
    for (let o = 0; o < O; o++) for (let r = 0; r < rows; r++) colMax[o] = Math.max(colMax[o], Math.abs(at(o, r)));
    const layerMax = Math.max(...colMax);
    const alpha = Float64Array.from(colMax, (c) => {
      const m = hidden ? c : layerMax;
      return m > 0 ? m / q : 1;
    });
    const weights: number[] = [];
    for (let o = 0; o < O; o++) for (let r = 0; r < rows; r++) weights.push(roundHalfAway(at(o, r) / alpha[o]));
    return hidden
      ? { name: m.name, weights, bias: new Array<number>(O).fill(0), thresholds: Array.from(b, (v, o) => Math.ceil(-v / alpha[o])) }
      : { name: m.name, weights, bias: Array.from(b, (v) => roundHalfAway(v / alpha[0])) };
  });
}
