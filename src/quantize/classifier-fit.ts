// Fits the final dense layer, which reads the last hidden layer's 1-bit map,
// as a softmax classifier of the training labels. The least-squares re-fit
// (refit.ts) makes the final layer's outputs close to the float logits; what
// counts at the end is only which output is largest, and a classifier fitted
// to the labels can use the binary features for that directly. It starts from
// the weights the search would otherwise emit and stays near them (an L2 pull
// toward the start), so it refines rather than replaces. Deterministic: one
// thread, a fixed image order, float64 sums.
import type { FloatMatrix } from './float-net.js';
import { type Segment, columns } from './integer.js';
import type { Maps } from './jobs.js';

export interface ClassifierFitOptions {
  epochs: number;
  batch: number;
  /** Adam's step size (cosine-decayed to 0 over the epochs). */
  rate: number;
  /** Pull toward the starting weights, per image: the gradient gains l2·(w − w0). */
  l2: number;
}

/** Every HOLD_BACK-th training image checks the fit instead of feeding it. */
const HOLD_BACK = 10;

export const CLASSIFIER_FIT: ClassifierFitOptions = { epochs: 5, batch: 128, rate: 2e-3, l2: 1e-4 };

/**
 * `seg` (a dense final layer whose float weights apply to the 1-bit input
 * itself: a 1 is 1.0) fitted to the labels of `maps` (1-bit maps of the
 * training images) by minibatch Adam on the softmax cross-entropy.
 */
export function fitClassifier(seg: Segment, maps: Maps, opts: ClassifierFitOptions = CLASSIFIER_FIT, onEpoch?: (epoch: number) => void): Segment {
  if (seg.matrix.type !== 'dense') throw new Error('fitClassifier: the final layer must be dense');
  const O = columns(seg);
  const K = maps.size;
  const { n, x, labels } = maps;
  const K1 = K + 1; // per output: K weights, then the bias
  const w = new Float64Array(O * K1);
  for (let o = 0; o < O; o++) {
    for (let r = 0; r < K; r++) w[o * K1 + r] = seg.matrix.weights[o * K + r];
    w[o * K1 + K] = seg.matrix.bias[o];
  }
  const w0 = Float64Array.from(w);
  const grad = new Float64Array(O * K1);
  const m1 = new Float64Array(O * K1);
  const m2 = new Float64Array(O * K1);
  const active = new Int32Array(K);
  const z = new Float64Array(O);
  // Every HOLD_BACK-th image is held back: the weights kept are those of the
  // epoch (0: the start) that gets most of them right, so a fit that only
  // memorizes the images it saw is not kept.
  const held = Int32Array.from({ length: Math.floor(n / HOLD_BACK) }, (_, i) => i * HOLD_BACK + HOLD_BACK - 1);
  const order = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % HOLD_BACK !== HOLD_BACK - 1);
  const fitN = order.length;
  const heldCorrect = (): number => {
    let correct = 0;
    for (const img of held) {
      let count = 0;
      for (let r = 0; r < K; r++) if (x[img * K + r] !== 0) active[count++] = r;
      let best = 0;
      let bestZ = -Infinity;
      for (let o = 0; o < O; o++) {
        let s = w[o * K1 + K];
        for (let a = 0; a < count; a++) s += w[o * K1 + active[a]];
        if (s > bestZ) { bestZ = s; best = o; }
      }
      if (best === labels[img]) correct++;
    }
    return correct;
  };
  let bestHeld = heldCorrect();
  let bestW = Float64Array.from(w);
  const batches = Math.ceil(fitN / opts.batch);
  const steps = opts.epochs * batches;
  const b1 = 0.9;
  const b2 = 0.999;
  let step = 0;
  let seed = 0x2026;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    // A fixed shuffle (Fisher–Yates on a 32-bit LCG).
    for (let i = fitN - 1; i > 0; i--) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const j = seed % (i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (let b = 0; b < batches; b++) {
      const from = b * opts.batch;
      const to = Math.min(fitN, from + opts.batch);
      grad.fill(0);
      for (let k = from; k < to; k++) {
        const img = order[k];
        let count = 0;
        for (let r = 0; r < K; r++) if (x[img * K + r] !== 0) active[count++] = r;
        let max = -Infinity;
        for (let o = 0; o < O; o++) {
          let s = w[o * K1 + K];
          for (let a = 0; a < count; a++) s += w[o * K1 + active[a]];
          z[o] = s;
          if (s > max) max = s;
        }
        let sum = 0;
        for (let o = 0; o < O; o++) { z[o] = Math.exp(z[o] - max); sum += z[o]; }
        for (let o = 0; o < O; o++) {
          const g = z[o] / sum - (labels[img] === o ? 1 : 0);
          if (g === 0) continue;
          for (let a = 0; a < count; a++) grad[o * K1 + active[a]] += g;
          grad[o * K1 + K] += g;
        }
      }
      step++;
      const rate = opts.rate * 0.5 * (1 + Math.cos((Math.PI * (step - 1)) / steps));
      const size = to - from;
      const c1 = 1 - b1 ** step;
      const c2 = 1 - b2 ** step;
      for (let i = 0; i < w.length; i++) {
        const g = grad[i] / size + opts.l2 * (w[i] - w0[i]);
        m1[i] = b1 * m1[i] + (1 - b1) * g;
        m2[i] = b2 * m2[i] + (1 - b2) * g * g;
        w[i] -= (rate * (m1[i] / c1)) / (Math.sqrt(m2[i] / c2) + 1e-8);
      }
    }
    const h = heldCorrect();
    if (h > bestHeld) { bestHeld = h; bestW = Float64Array.from(w); }
    onEpoch?.(epoch + 1);
  }
  w.set(bestW);
  const weights = new Float64Array(O * K);
  const bias = new Float64Array(O);
  for (let o = 0; o < O; o++) {
    for (let r = 0; r < K; r++) weights[o * K + r] = w[o * K1 + r];
    bias[o] = w[o * K1 + K];
  }
  const matrix: FloatMatrix = { ...seg.matrix, weights, bias };
  return { ...seg, matrix };
}

/**
 * The float weights a layer applies to a 1-bit input whose channel c stands
 * for units[c] when 1, with shift[c] (what the 1-bit map misses on average)
 * folded into the bias: the layer the search would emit, as a layer reading
 * 1.0 per 1.
 */
export function perOneSegment(seg: Segment, channelOf: Int32Array, units: Float64Array, shift: Float64Array | undefined): Segment {
  const O = columns(seg);
  const K = channelOf.length;
  const weights = new Float64Array(O * K);
  const bias = Float64Array.from(seg.matrix.bias);
  for (let o = 0; o < O; o++) {
    for (let r = 0; r < K; r++) {
      const v = seg.matrix.weights[o * K + r];
      weights[o * K + r] = v * units[channelOf[r]];
      if (shift !== undefined) bias[o] += v * shift[channelOf[r]];
    }
  }
  return { ...seg, matrix: { ...seg.matrix, weights, bias } };
}
