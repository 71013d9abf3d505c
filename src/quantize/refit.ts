// Least-squares re-fit of the matrix layer that reads a 1-bit map. The greedy
// search gives each 1 of a binarized channel one value (the mean of the
// activations it stands for); the re-fit instead chooses the next layer's
// float weights and bias so that, from the 1-bit map as it will really be,
// its pre-activations come as close as possible (least squares, lightly
// ridge-regularized) to the float model's on the same images. It can use
// where in the window a 1 sits and which channels fire together, which one
// value per channel cannot.
import { createRequire } from 'node:module';
import type { FloatMatrix, FloatNet } from './float-net.js';
import { IDENTITY } from './float-activation.js';
import { type Segment, columns, rowChannels } from './integer.js';
import { type Maps, REFIT_ONE, type RefitJob } from './jobs.js';

// ml-matrix is loaded at the first re-fit, not with the library: every command would pay for it at start-up.
const require = createRequire(import.meta.url);

/** Ridge: this fraction of the mean diagonal of aᵀa; keeps rows of inputs that never fire (or always fire together) solvable. */
const RIDGE = 1e-3;

/** The job that sums the normal equations of `seg` (which reads a 1-bit map) on the given images. */
export function refitJob(float: FloatNet, seg: Segment, pixels: Maps, inputs: Maps, next: Int32Array): RefitJob {
  const m = seg.matrix;
  const net: FloatNet = {
    ...float,
    layers: [...float.layers.slice(0, seg.index), { ...m, activation: IDENTITY }],
    shapes: float.shapes.slice(0, seg.index + 1),
  };
  const conv = m.type === 'conv'
    ? { window: m.window, outHeight: seg.outShape.height, outWidth: seg.outShape.width }
    : undefined;
  return { kind: 'refit', net, pixels, inputs, inShape: seg.inShape, conv, columns: columns(seg), next };
}

/**
 * Solves the summed normal equations (G + λI)·X = B of `refitJob` and
 * returns `seg` with the solution as its float weights and bias: weights
 * that apply to the 1-bit input itself (a 1 is 1.0).
 */
export function refittedSegment(seg: Segment, sums: Float64Array): Segment {
  const O = columns(seg);
  const K = rowChannels(seg).length;
  const K1 = K + 1;
  const { CholeskyDecomposition, Matrix } = require('ml-matrix') as typeof import('ml-matrix');
  const G = new Matrix(K1, K1);
  let trace = 0;
  for (let r = 0; r < K1; r++) trace += sums[r * K1 + r];
  const lambda = RIDGE * Math.max(1, trace / K1);
  for (let r = 0; r < K1; r++) for (let c = 0; c < K1; c++) G.set(r, c, sums[r * K1 + c] + (r === c ? lambda : 0));
  const B = new Matrix(K1, O);
  for (let r = 0; r < K1; r++) for (let o = 0; o < O; o++) B.set(r, o, sums[K1 * K1 + r * O + o] / REFIT_ONE);
  const X = new CholeskyDecomposition(G).solve(B);
  const weights = new Float64Array(O * K);
  const bias = new Float64Array(O);
  for (let o = 0; o < O; o++) {
    for (let r = 0; r < K; r++) weights[o * K + r] = X.get(r, o);
    bias[o] = X.get(K, o);
  }
  const matrix: FloatMatrix = { ...seg.matrix, weights, bias };
  return { ...seg, matrix };
}
