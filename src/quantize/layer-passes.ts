// Passes of one layer over the whole training set on the worker threads: its
// accumulators' percentiles (the re-scaling statistic), each image's rank
// among the threshold candidates, its ADC levels or raw outputs.
import { columnRanges } from '../ir/ranges.js';
import { isRelu, segmentActivation } from './activation-fold.js';
import { inPoolDocs, pooledBits, poolInShape } from './avg-pool.js';
import { sumResults } from './dataset.js';
import { type ActivationDoc, columns, type IntMatrix, matrixDoc, netDoc, type Segment } from './integer.js';
import { HIST_BINS, type JobResult, type LayerJob, type Maps } from './jobs.js';
import { sharedBytes, sharedInts } from './pool.js';
import type { Candidate, Quantization } from './quantization.js';

/** The job that runs `seg` (its input pools, then its matrix with `activation`) on every image of `maps`, in `mode`. */
export function layerJob(q: Quantization, seg: Segment, m: IntMatrix, activation: ActivationDoc, maps: Maps, bits: number, mode: LayerJob['mode']): LayerJob {
  const net = netDoc({ name: 'layer', input: poolInShape(seg), inputBits: bits, weightBits: q.o.weightBits, crossbar: q.o.crossbar, layers: [...inPoolDocs(seg), { ...matrixDoc(seg, m, activation), name: 'layer' }] });
  return { kind: 'layer', net, pools: seg.pools.map((p) => ({ window: p.window })), outShape: seg.outShape, maps, next: sharedInts(1), mode };
}

/** Histogram-based percentile of max(acc, 0), per channel or over the whole layer. */
export async function accQuantiles(q: Quantization, seg: Segment, m: IntMatrix, maps: Maps, bits: number, perChannel: boolean): Promise<(group: number, p: number) => number> {
  const O = columns(seg);
  const K = m.weights.length / O;
  const bound = columnRanges(m.weights, O, K, m.bias, 2 ** pooledBits(seg, bits) - 1).map((r) => Math.max(1, r.max));
  const layerBound = Math.max(...bound);
  const widthFor = (b: number): number => 2 ** Math.max(0, Math.ceil(Math.log2((b + 1) / HIST_BINS)));
  const binWidth = perChannel ? bound.map(widthFor) : [widthFor(layerBound)];
  const results = await q.pool.run(layerJob(q, seg, m, { type: 'none' }, maps, bits, { type: 'stats', perChannel, binWidth }));
  const hist = sumResults(results);
  return (g, p) => {
    const h = hist.subarray(g * HIST_BINS, (g + 1) * HIST_BINS);
    let total = 0;
    for (const c of h) total += c;
    const target = Math.ceil((p / 100) * total);
    let cum = 0;
    for (let b = 0; b < HIST_BINS; b++) {
      cum += h[b];
      // The bin's top; bin 0 (values ≤ 0 and below one bin width) counts as 0.
      if (cum >= target && cum > 0) return b === 0 ? 0 : (b + 1) * binWidth[g] - 1;
    }
    return 1;
  };
}

/**
 * The searched layer's pooled accumulators of every image, as ranks: how
 * many of the candidates' thresholds each meets (candidate i's 1-bit map is
 * rank > i). `parts`: the threads' per-rank sums of the accumulators.
 */
export async function candidateRanks(q: Quantization, seg: Segment, m: IntMatrix, cands: Candidate[], maps: Maps, bits: number): Promise<{ ranks: Uint8Array; F: number; parts: JobResult[] }> {
  const O = columns(seg);
  const count = cands.length;
  const thresholds = sharedInts(O * count);
  for (let c = 0; c < O; c++) for (let i = 0; i < count; i++) thresholds[c * count + i] = cands[i].T[c];
  const F = seg.pooledShape.channels * seg.pooledShape.height * seg.pooledShape.width;
  const ranks = sharedBytes(maps.n * F);
  const f = segmentActivation(seg);
  const values = isRelu(f) ? {} : { values: { f, alpha: m.alpha } };
  const parts = await q.pool.run(layerJob(q, seg, m, { type: 'none' }, maps, bits, { type: 'ranks', count, thresholds, out: ranks, ...values }));
  return { ranks, F, parts };
}
