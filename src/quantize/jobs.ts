// The work the quantizer spreads over threads. Every job reads shared,
// read-only inputs (SharedArrayBuffer views), claims blocks of images or
// candidates from a shared counter, and runs networks through the golden
// model (runNet), so every score is the score of a real net.json under its
// exact semantics. The same functions run in a worker or in the main thread.
import { fastLayer } from '../golden/fast.js';
import { runNet } from '../golden/model.js';
import type { MapShape, MaxPoolLayer, NetIR } from '../ir/types.js';
import { validateNetDocument } from '../ir/validate.js';
import { poolOutGeometry } from '../ops/maxpool.js';
import { type Window2d, squareWindow } from '../ops/window.js';
import { type FloatNet, argmaxFloat, floatForward } from './float-net.js';
import { type FloatActivation, applyActivation } from './float-activation.js';
import { type TailFit, type TailFitOptions, type TailLayer, fitTail } from './tail-fit.js';

export const IMAGE_BLOCK = 256;
/** Images between two pruning checks of a candidate. */
const PRUNE_BLOCK = 64;

export interface PoolSpec { window: Window2d }
export interface MapDims { channels: number; height: number; width: number }

/** Images (or any integer maps) for a pass: n maps of `size` values each, and their labels. */
export interface Maps { n: number; size: number; x: Uint8Array; labels: Uint8Array }

export interface LayerJob {
  kind: 'layer';
  /** A one-layer net.json: the matrix layer with activation none (stats, ranks, acc) or its real activation (levels). */
  net: Record<string, unknown>;
  /** Max-pools applied to the layer's output (ranks, levels). */
  pools: PoolSpec[];
  outShape: MapDims;
  maps: Maps;
  next: Int32Array;
  mode:
    | { type: 'stats'; perChannel: boolean; binWidth: number[] }
    /**
     * thresholds[c·count + i] non-decreasing in i; rank = how many a pooled
     * accumulator meets. Per rank the sums of the accumulators above 0 (ReLU),
     * or with `values`, of the layer's float activation f(acc·α[c]).
     */
    | { type: 'ranks'; count: number; thresholds: Int32Array; out: Uint8Array; values?: { f: FloatActivation; alpha: Float64Array } }
    | { type: 'acc'; out: Int32Array }
    | { type: 'levels'; out: Uint8Array };
}

export const HIST_BINS = 65536;

export interface SearchJob {
  kind: 'search';
  /** Pooled ranks of the layer being searched: bit of candidate c is (rank > c). */
  ranks: Uint8Array;
  size: number;
  labels: Uint8Array;
  n: number;
  /**
   * The rest of the network for each candidate (input: the searched layer's
   * pooled 1-bit map). Sent with the first phase of a search only; later
   * phases name the same `tailsId` and reuse what the thread already holds.
   */
  tails?: Record<string, unknown>[];
  tailsId: number;
  /** Images in the order to score them (hardest first). */
  order: Int32Array;
  /** Results known without running the tail (the per-column refinement). */
  known?: KnownResults;
  next: Int32Array;
  phase:
    /** oks: per candidate (candidate-major), 1 where it gets the j-th image of `order` right. */
    | { type: 'prescan'; candidates: Int32Array; images: number; correct: Int32Array; oks: Uint8Array }
    | { type: 'full'; candidate: number; correct: Int32Array; margins: Int32Array; oks: Uint8Array }
    | { type: 'pruned'; candidates: Int32Array; best: Int32Array; correct: Int32Array; done: Int32Array; scored: Int32Array; margins: Int32Array; oks: Uint8Array; prune: boolean };
}

/**
 * When only the features [from, to) of each image differ between candidates
 * (one column is searched, the others fixed), an image whose features give
 * the same bits as `candidate` gets that candidate's result: oks[img] (1:
 * right) and margins[img], without a run of the tail.
 */
export interface KnownResults { from: number; to: number; candidate: number; oks: Uint8Array; margins: Int32Array }

export interface EvaluateJob {
  kind: 'evaluate';
  net: Record<string, unknown>;
  maps: Maps;
  next: Int32Array;
  correct: Int32Array;
  /** Optional per image: 1 when right, and the margin (as a search records them). */
  oks?: Uint8Array;
  margins?: Int32Array;
}

export interface FloatJob {
  kind: 'float';
  net: FloatNet;
  /** 8-bit pixels, scaled to [0,1] as the model expects. */
  maps: Maps;
  next: Int32Array;
  correct: Int32Array;
}

/**
 * The least-squares sums that re-fit a matrix layer to the float model: over
 * the images and the layer's output positions, with a = the layer's 1-bit
 * input window plus a constant 1 (the bias) and z = the float model's
 * pre-activation there, G += a·aᵀ and B += a·zᵀ. z is rounded to fixed point
 * (REFIT_ONE per 1.0), so every sum is an exact integer in a double and the
 * result does not depend on how the images were split between threads.
 */
export interface RefitJob {
  kind: 'refit';
  /** The float model up to the re-fitted layer, which comes last and without its ReLU. */
  net: FloatNet;
  /** 8-bit pixels of the fitting images. */
  pixels: Maps;
  /** The same images' 1-bit input maps of the re-fitted layer (C×H×W). */
  inputs: Maps;
  inShape: MapDims;
  /** Conv geometry, or undefined for a dense layer. */
  conv?: { window: Window2d; outHeight: number; outWidth: number };
  columns: number;
  next: Int32Array;
}

export const REFIT_ONE = 2 ** 16;

/** One tail's fine-tune (tail-fit.ts), on one thread: it does not split. */
export interface FitTailJob {
  kind: 'fit-tail';
  start: TailLayer[];
  maps: Maps;
  opts: TailFitOptions;
}

export type Job = LayerJob | SearchJob | EvaluateJob | FloatJob | RefitJob | FitTailJob;

export interface Progress { candidate: number; scored: number; correct: number }
export type Report = (p: Progress) => void;

/** Per-channel histograms (stats mode), summed by the caller; otherwise nothing. */
export type JobResult = Float64Array | undefined;

/** Key of a finished candidate: more correct wins, ties go to the lower index. */
export function scoreKey(correct: number, candidate: number): number {
  return correct * 4096 + (4095 - candidate);
}

export function runJob(job: Job, report: Report): JobResult | TailFit {
  switch (job.kind) {
    case 'layer': return layerJob(job);
    case 'search': searchJob(job, report); return undefined;
    case 'evaluate': evaluateJob(job); return undefined;
    case 'float': floatJob(job); return undefined;
    case 'refit': return refitJob(job);
    case 'fit-tail': return fitTail(job.start, job.maps, job.opts);
  }
}

const nets = new WeakMap<object, NetIR>();
function netOf(doc: Record<string, unknown>): NetIR {
  let net = nets.get(doc);
  if (net === undefined) {
    net = validateNetDocument(doc, '<memory>', `<${String(doc.name)}>`).net;
    nets.set(doc, net);
  }
  return net;
}

function* blocks(next: Int32Array, n: number, block = IMAGE_BLOCK): Generator<[number, number]> {
  for (;;) {
    const start = Atomics.add(next, 0, block);
    if (start >= n) return;
    yield [start, Math.min(n, start + block)];
  }
}

function layerJob(job: LayerJob): JobResult {
  const net = netOf(job.net);
  const { maps, mode, outShape } = job;
  const C = outShape.channels;
  const P = outShape.height * outShape.width;
  const hist = mode.type === 'stats' ? new Float64Array((mode.perChannel ? C : 1) * HIST_BINS) : undefined;
  const input = new Int32Array(maps.size);
  const pools = poolLayers(outShape, job.pools);
  // ranks: per channel and rank, the sum and count of the pooled accumulators.
  let sums: Float64Array | undefined;
  for (const [from, to] of blocks(job.next, maps.n)) {
    for (let img = from; img < to; img++) {
      const src = maps.x.subarray(img * maps.size, (img + 1) * maps.size);
      for (let i = 0; i < maps.size; i++) input[i] = src[i];
      const out = runNet(net, input).output;
      if (mode.type === 'stats') {
        for (let c = 0; c < C; c++) {
          const w = mode.binWidth[mode.perChannel ? c : 0];
          const base = mode.perChannel ? c * HIST_BINS : 0;
          for (let p = 0; p < P; p++) {
            const v = out[c * P + p];
            const bin = v <= 0 ? 0 : Math.min(HIST_BINS - 1, Math.floor(v / w));
            hist![base + bin]++;
          }
        }
      } else if (mode.type === 'acc') {
        mode.out.set(out, img * out.length);
      } else {
        const pooled = pools.reduce((x, layer) => fastLayer(layer, x), out);
        const F = pooled.length;
        if (mode.type === 'levels') {
          for (let i = 0; i < F; i++) mode.out[img * F + i] = pooled[i];
        } else {
          const per = F / C;
          const { count, thresholds } = mode;
          sums ??= new Float64Array(2 * C * (count + 1));
          for (let c = 0; c < C; c++) {
            const t0 = c * count;
            for (let p = 0; p < per; p++) {
              const v = pooled[c * per + p];
              // Largest rank r with thresholds[c][r-1] <= v (thresholds non-decreasing).
              let lo = 0;
              let hi = count;
              while (lo < hi) {
                const mid = (lo + hi) >>> 1;
                if (thresholds[t0 + mid] <= v) lo = mid + 1; else hi = mid;
              }
              mode.out[img * F + c * per + p] = lo;
              if (mode.values !== undefined) sums[2 * (c * (count + 1) + lo)] += applyActivation(mode.values.f, v * mode.values.alpha[c], c);
              else if (v > 0) sums[2 * (c * (count + 1) + lo)] += v;
              sums[2 * (c * (count + 1) + lo) + 1]++;
            }
          }
        }
      }
    }
  }
  return hist ?? sums;
}

/**
 * The job's max-pools as golden-model layers, so the golden model's maxpool
 * kernel (compiled once per layer object) does the pooling.
 */
function poolLayers(shape: MapDims, pools: PoolSpec[]): MaxPoolLayer[] {
  let inShape: MapShape = { ...shape, bits: 32, signed: true };
  return pools.map(({ window }, index) => {
    const outShape = { ...inShape, ...poolOutGeometry({ window }, inShape) };
    const layer: MaxPoolLayer = { type: 'maxpool', name: `pool${index}`, pointer: '', index, inputs: [index - 1], inShapes: [inShape], inShape, outShape, window };
    inShape = outShape;
    return layer;
  });
}

/** The tails of the current search, validated lazily per candidate. */
let held: { id: number; docs: Record<string, unknown>[]; nets: (NetIR | undefined)[] } | undefined;

/** Keeps a search's tails when its first phase brings them, whether or not this thread gets work in that phase. */
function holdTails(job: SearchJob): void {
  if (job.tails !== undefined && (held?.docs !== job.tails || held.id !== job.tailsId)) held = { id: job.tailsId, docs: job.tails, nets: [] };
}

function tailOf(job: SearchJob, cand: number): NetIR {
  if (held === undefined || held.id !== job.tailsId) throw new Error(`search ${job.tailsId}: tails were never sent to this thread`);
  // Candidates may share one tail document (the per-column refinement's
  // do): netOf validates and compiles it once.
  return (held.nets[cand] ??= netOf(held.docs[cand]));
}

/** Scores candidate `cand` on image `img`: its answer and margin (label's output minus the best other). */
function scoreImage(job: SearchJob, input: Int32Array, img: number, cand: number): { ok: boolean; margin: number } {
  const { ranks, size, known } = job;
  const base = img * size;
  if (known !== undefined) {
    let same = true;
    for (let f = base + known.from; f < base + known.to && same; f++) same = (ranks[f] > cand) === (ranks[f] > known.candidate);
    if (same) return { ok: known.oks[img] === 1, margin: known.margins[img] };
  }
  const tail = tailOf(job, cand);
  for (let i = 0; i < size; i++) input[i] = ranks[base + i] > cand ? 1 : 0;
  return resultOf(runNet(tail, input), job.labels[img]);
}

/** Whether the net's answer is the label, and the margin: the label's output minus the best other. */
function resultOf(r: { output: Int32Array; answer: number }, label: number): { ok: boolean; margin: number } {
  let other = -Infinity;
  for (let o = 0; o < r.output.length; o++) if (o !== label && r.output[o] > other) other = r.output[o];
  const margin = r.output[label] - other;
  return { ok: r.answer === label, margin: Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, margin)) };
}

const PROGRESS_MS = 100;

function searchJob(job: SearchJob, report: Report): void {
  holdTails(job);
  const input = new Int32Array(job.size);
  const { phase, order, n } = job;
  let last = Date.now();
  const tick = (candidate: number, scored: number, correct: number, force = false): void => {
    const now = Date.now();
    if (force || now - last >= PROGRESS_MS) {
      last = now;
      report({ candidate, scored, correct });
    }
  };
  if (phase.type === 'prescan') {
    for (const [from, to] of blocks(job.next, phase.candidates.length, 1)) {
      for (let k = from; k < to; k++) {
        const cand = phase.candidates[k];
        let correct = 0;
        for (let j = 0; j < phase.images; j++) {
          const ok = scoreImage(job, input, order[j], cand).ok;
          if (ok) correct++;
          phase.oks[cand * phase.images + j] = ok ? 1 : 0;
        }
        phase.correct[cand] = correct;
        tick(cand, phase.images, correct, true);
      }
    }
  } else if (phase.type === 'full') {
    const cand = phase.candidate;
    for (const [from, to] of blocks(job.next, n)) {
      let correct = 0;
      for (let j = from; j < to; j++) {
        const img = order[j];
        const s = scoreImage(job, input, img, cand);
        if (s.ok) correct++;
        phase.margins[img] = s.margin;
        phase.oks[img] = s.ok ? 1 : 0;
      }
      Atomics.add(phase.correct, cand, correct);
      tick(cand, to - from, correct, true);
    }
  } else {
    for (const [from] of blocks(job.next, phase.candidates.length, 1)) {
      const cand = phase.candidates[from];
      const margins = phase.margins.subarray(cand * n, (cand + 1) * n);
      const oks = phase.oks.subarray(cand * n, (cand + 1) * n);
      let correct = 0;
      let j = 0;
      let pruned = false;
      while (j < n) {
        const end = Math.min(n, j + PRUNE_BLOCK);
        for (; j < end; j++) {
          const img = order[j];
          const s = scoreImage(job, input, img, cand);
          if (s.ok) correct++;
          margins[img] = s.margin;
          oks[img] = s.ok ? 1 : 0;
        }
        // Exact pruning: even if every remaining image were right, this
        // candidate could not beat (or tie with a lower index) the best so far.
        if (phase.prune && scoreKey(correct + (n - j), cand) < Atomics.load(phase.best, 0)) {
          pruned = true;
          break;
        }
        tick(cand, j, correct);
      }
      phase.correct[cand] = correct;
      phase.scored[cand] = j;
      phase.done[cand] = pruned ? 2 : 1;
      if (!pruned) {
        const key = scoreKey(correct, cand);
        for (let seen = Atomics.load(phase.best, 0); key > seen; seen = Atomics.load(phase.best, 0)) {
          if (Atomics.compareExchange(phase.best, 0, seen, key) === seen) break;
        }
      }
      tick(cand, j, correct, true);
    }
  }
}

function evaluateJob(job: EvaluateJob): void {
  const net = netOf(job.net);
  const { maps } = job;
  const input = new Int32Array(maps.size);
  for (const [from, to] of blocks(job.next, maps.n)) {
    let correct = 0;
    for (let img = from; img < to; img++) {
      const src = maps.x.subarray(img * maps.size, (img + 1) * maps.size);
      for (let i = 0; i < maps.size; i++) input[i] = src[i];
      const r = resultOf(runNet(net, input), maps.labels[img]);
      if (r.ok) correct++;
      if (job.oks !== undefined) job.oks[img] = r.ok ? 1 : 0;
      if (job.margins !== undefined) job.margins[img] = r.margin;
    }
    Atomics.add(job.correct, 0, correct);
  }
}

function floatJob(job: FloatJob): void {
  const { maps } = job;
  const input = new Float64Array(maps.size);
  for (const [from, to] of blocks(job.next, maps.n)) {
    let correct = 0;
    for (let img = from; img < to; img++) {
      for (let i = 0; i < maps.size; i++) input[i] = Math.fround(maps.x[img * maps.size + i] / 255);
      if (argmaxFloat(floatForward(job.net, input)) === maps.labels[img]) correct++;
    }
    Atomics.add(job.correct, 0, correct);
  }
}

/** Returns G ((K+1)², row-major) followed by B ((K+1)×O), K the layer's rows. */
function refitJob(job: RefitJob): Float64Array {
  const { pixels, inputs, inShape, conv, columns: O } = job;
  const { channels: C, height: H, width: W } = inShape;
  const { kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padTop: top, padLeft: left, dilationH: dh, dilationW: dw } = conv?.window ?? squareWindow(0, 1, 0);
  const K = conv ? C * kh * kw : C * H * W;
  const K1 = K + 1;
  const P = conv ? conv.outHeight * conv.outWidth : 1;
  const sums = new Float64Array(K1 * K1 + K1 * O);
  const B = K1 * K1;
  const input = new Float64Array(pixels.size);
  const z = new Float64Array(O * P);
  const active = new Int32Array(K1);
  for (const [from, to] of blocks(job.next, pixels.n)) {
    for (let img = from; img < to; img++) {
      for (let i = 0; i < pixels.size; i++) input[i] = Math.fround(pixels.x[img * pixels.size + i] / 255);
      const out = floatForward(job.net, input);
      for (let i = 0; i < z.length; i++) z[i] = Math.round(out[i] * REFIT_ONE);
      const bits = inputs.x.subarray(img * inputs.size, (img + 1) * inputs.size);
      for (let p = 0; p < P; p++) {
        // The rows whose input is 1 at this position, in row order r = (c·kh + ky)·kw + kx (conv) or c·H·W + i (dense).
        let n = 0;
        if (conv) {
          const oy = Math.floor(p / conv.outWidth);
          const ox = p % conv.outWidth;
          for (let c = 0; c < C; c++) {
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh - top + ky * dh;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw - left + kx * dw;
                if (ix >= 0 && ix < W && bits[(c * H + iy) * W + ix] !== 0) active[n++] = (c * kh + ky) * kw + kx;
              }
            }
          }
        } else {
          for (let r = 0; r < K; r++) if (bits[r] !== 0) active[n++] = r;
        }
        active[n++] = K;
        // active[] ascends, so j ≥ i fills G's upper triangle; the lower is mirrored at the end.
        for (let i = 0; i < n; i++) {
          const row = active[i] * K1;
          for (let j = i; j < n; j++) sums[row + active[j]]++;
          const bRow = B + active[i] * O;
          for (let o = 0; o < O; o++) sums[bRow + o] += z[o * P + p];
        }
      }
    }
  }
  for (let r = 0; r < K1; r++) for (let c = 0; c < r; c++) sums[r * K1 + c] = sums[c * K1 + r];
  return sums;
}
