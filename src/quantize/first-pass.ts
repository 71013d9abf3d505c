// The first pass of the three-step method, one hidden layer at a time, first
// to last (quantize.ts's header): the layer's threshold searched with the
// layers after it as provisional ADCs, the next layer re-fitted to the float
// model, and at the end the read-out; or, for the multi-bit baseline, a K-bit
// ADC per hidden layer.
import { adcFold, candidateThresholds, floorShift, isRelu, segmentActivation, shiftedSegment } from './activation-fold.js';
import { inPoolDocs, readsAveragePool } from './avg-pool.js';
import { binaryMaps, spacedImage, sumResults } from './dataset.js';
import { evaluate } from './evaluate.js';
import { applyActivation } from './float-activation.js';
import { floatForward } from './float-net.js';
import { ceilDiv, columns, type LayerDoc, matrixDoc, netDoc, poolDocs, quantizeMatrix, type Segment } from './integer.js';
import type { Maps } from './jobs.js';
import { accQuantiles, candidateRanks, layerJob } from './layer-passes.js';
import { sharedBytes, sharedInts } from './pool.js';
import type { Candidate, Quantization } from './quantization.js';
import { type LayerReport, thresholdReport } from './quantize-report.js';
import { chooseReadout } from './readout.js';
import { countCorrect } from './refine.js';
import { refitJob, refittedSegment } from './refit.js';
import { floorScales, percentileOfSorted } from './scales.js';
import { search } from './search.js';

const PROVISIONAL_BITS = 8;
/** Provisional ADCs cover twice the float activation range: binary inputs upstream enlarge sums. */
const PROVISIONAL_HEADROOM = 2;
/** Least-squares rows (images × output positions) a re-fit needs at most, and the fewest images it uses. */
const REFIT_ROWS = 400_000;
const REFIT_MIN_IMAGES = 1000;

/** Per hidden layer and channel: the percentile of post-ReLU float activations on a calibration subset. */
export function floatScales(q: Quantization): Float64Array[] {
  const { float, segs, train, o } = q;
  const m = Math.min(o.calibration, train.n);
  const size = train.pixels.length / train.n;
  const hidden = new Map(segs.slice(0, -1).map((s, k) => [s.index, k]));
  const values = segs.slice(0, -1).map((s) => Array.from({ length: columns(s) }, () => new Float32Array(m * s.outShape.height * s.outShape.width)));
  const input = new Float64Array(size);
  for (let k = 0; k < m; k++) {
    const img = spacedImage(k, m, train.n);
    for (let i = 0; i < size; i++) input[i] = Math.fround(train.pixels[img * size + i] / 255);
    floatForward(float, input, (i, out) => {
      const h = hidden.get(i);
      if (h === undefined) return;
      const P = segs[h].outShape.height * segs[h].outShape.width;
      values[h].forEach((v, c) => v.set(out.subarray(c * P, (c + 1) * P), k * P));
    });
  }
  return values.map((chans) => floorScales(Float64Array.from(chans, (v) => {
    const s = percentileOfSorted(v.sort(), o.percentile);
    const max = v[v.length - 1];
    return s > 0 ? s : max > 0 ? max : 1;
  })));
}

export async function thresholdLayer(q: Quantization, l: number, maps: Maps, bits: number, units: Float64Array, floatScale: Float64Array[]): Promise<{ next: Maps; units: Float64Array; report: LayerReport }> {
  const { segs, o } = q;
  const seg = segs[l];
  const O = columns(seg);
  q.emit({ type: 'phase', text: `${seg.name}: accumulator statistics and candidate ranks on ${maps.n} training images` });
  const m = quantizeMatrix(seg, units, o.weightBits, true, undefined, q.shift);
  // a. re-scaling: S[o] integer units ≙ activation 1.0 of channel o.
  const quantile = await accQuantiles(q, seg, m, maps, bits, true);
  // A channel positive less often than 100 − percentile % has no useful
  // percentile (it is 0): its maximum takes the role.
  const S = Float64Array.from({ length: O }, (_, c) => {
    const s = quantile(c, o.percentile);
    return Math.max(1, s > 0 ? s : quantile(c, 100));
  });
  // c. candidates t = i/grid → integer thresholds ceil(t·S[o]) (another
  // activation f: f⁻¹ of the grid over f's values, activation-fold.ts); identical ones once.
  const f = segmentActivation(seg);
  const cands: Candidate[] = [];
  for (let i = 0; i <= o.grid; i++) {
    const T = isRelu(f) ? Int32Array.from(S, (s) => ceilDiv(i * s, o.grid)) : candidateThresholds(f, S, m.alpha, i, o.grid);
    const prev = cands[cands.length - 1];
    if (prev === undefined || prev.T.some((v, c) => v !== T[c])) cands.push({ t: i / o.grid, T });
  }
  const count = cands.length;
  q.emit({ type: 'layer', layer: seg.name, index: l, of: segs.length - 1, candidates: count });
  const { ranks, F, parts } = await candidateRanks(q, seg, m, cands, maps, bits);
  const sums = sumResults(parts);
  // What a 1 of channel c stands for (units) and what the 1-bit map misses on
  // average (shift, folded into the next layer's bias), per candidate i.
  const binary = (i: number): { units: Float64Array; shift: Float64Array } => {
    const units = new Float64Array(O);
    const shift = new Float64Array(O);
    for (let c = 0; c < O; c++) {
      let above = 0;
      let ones = 0;
      let below = 0;
      let all = 0;
      for (let r = 0; r <= count; r++) {
        const sum = sums[2 * (c * (count + 1) + r)];
        const k = sums[2 * (c * (count + 1) + r) + 1];
        all += k;
        if (r > i) { above += sum; ones += k; } else below += sum;
      }
      if (isRelu(f)) {
        units[c] = (ones > 0 && above > 0 ? above / ones : S[c]) * m.alpha[c];
        shift[c] = all > 0 ? (below / all) * m.alpha[c] : 0;
      } else {
        // The sums are of f itself (candidateRanks).
        units[c] = ones > 0 ? above / ones : applyActivation(f, S[c] * m.alpha[c], c);
        shift[c] = all > 0 ? below / all : 0;
      }
    }
    return { units, shift };
  };
  const perCandidate = cands.map((_, i) => binary(i));
  const tails = perCandidate.map((b) => tailDoc(q, l, b.units, b.shift, floatScale));
  const best = await search(q, seg.name, ranks, F, maps, tails, cands.map((c) => c.t), !o.exactSearch);
  q.docs.push(...inPoolDocs(seg));
  q.searched.push({ seg, m, cands, docIndex: q.docs.length, chosen: new Int32Array(O).fill(best.candidate) });
  q.docs.push(matrixDoc(seg, m, { type: 'threshold', thresholds: Array.from(cands[best.candidate].T) }), ...poolDocs(seg));
  q.margins = best.margins;
  q.shift = perCandidate[best.candidate].shift;
  const next = binaryMaps(ranks, best.candidate, maps, F);
  const report: LayerReport = { ...thresholdReport(seg.name, cands, best), seconds: 0 };
  let nextUnits = perCandidate[best.candidate].units;
  // A re-fit solves for every weight of the whole matrix (a grouped conv's zeros
  // between blocks would not stay 0) and assumes the layer reads a 1-bit map directly.
  if (o.refitImages > 0 && (segs[l + 1].groups ?? 1) === 1 && !readsAveragePool(segs[l + 1])) {
    const t0 = Date.now();
    const refit = await refitNext(q, l, next, floatScale);
    report.refit = { images: refit.images, trainCorrect: refit.correct, kept: refit.correct > best.correct, seconds: (Date.now() - t0) / 1000 };
    if (report.refit.kept) {
      q.segs[l + 1] = refit.seg;
      q.margins = refit.margins;
      q.shift = undefined;
      nextUnits = new Float64Array(O).fill(1);
    }
  }
  return { next, units: nextUnits, report };
}

/**
 * Re-fits the layer after threshold layer l to the float model (refit.ts),
 * from l's chosen 1-bit map on an evenly spaced subset of the training
 * images, and scores the network with it (the same provisional tail as the
 * search) on all of them. The caller keeps it only if it scores better.
 */
export async function refitNext(q: Quantization, l: number, next: Maps, floatScale: Float64Array[]): Promise<{ seg: Segment; images: number; correct: number; margins: Int32Array }> {
  const { segs, train, o } = q;
  const seg = segs[l + 1];
  // A conv layer gives one least-squares row per output position: a few
  // thousand images already give far more rows than it has weights.
  const positions = seg.matrix.type === 'conv' ? seg.outShape.height * seg.outShape.width : 1;
  const count = Math.min(o.refitImages, train.n, Math.max(REFIT_MIN_IMAGES, Math.ceil(REFIT_ROWS / positions)));
  q.emit({ type: 'phase', text: `${seg.name}: re-fitting to the float model on ${count} training images` });
  const size = train.pixels.length / train.n;
  const pixels = { n: count, size, x: sharedBytes(count * size), labels: sharedBytes(count) };
  const inputs = { n: count, size: next.size, x: sharedBytes(count * next.size), labels: pixels.labels };
  for (let k = 0; k < count; k++) {
    const img = spacedImage(k, count, train.n);
    pixels.x.set(train.pixels.subarray(img * size, (img + 1) * size), k * size);
    inputs.x.set(next.x.subarray(img * next.size, (img + 1) * next.size), k * next.size);
  }
  const parts = await q.pool.run(refitJob(q.float, seg, pixels, inputs, sharedInts(1)));
  const refitted = refittedSegment(seg, sumResults(parts));
  const results = { oks: sharedBytes(next.n), margins: sharedInts(next.n) };
  const tail = tailDoc(q, l, new Float64Array(seg.inShape.channels).fill(1), undefined, floatScale, segs.map((s, j) => (j === l + 1 ? refitted : s)));
  const correct = await evaluate(q.pool, tail, next, results);
  return { seg: refitted, images: count, correct, margins: results.margins };
}

export async function adcLayer(q: Quantization, l: number, maps: Maps, bits: number, units: Float64Array, scale: Float64Array): Promise<{ next: Maps; units: Float64Array; report: LayerReport }> {
  const { segs, o } = q;
  const seg = segs[l];
  q.emit({ type: 'layer', layer: seg.name, index: l, of: segs.length - 1, candidates: 0 });
  // The ADC reads the pre-activation through f's ADC view (activation-fold.ts):
  // its lower clamp at f's lower knee, its top at the upper knee when f has
  // one (the column scale maps the knee to 1.0), else at the percentile.
  const fold = adcFold(segmentActivation(seg));
  const colScale = fold.kneeScale === undefined ? scale : new Float64Array(columns(seg)).fill(fold.kneeScale);
  const m = quantizeMatrix(shiftedSegment(seg, fold.zLow), units, o.weightBits, false, colScale, q.shift);
  const layerQuantile = fold.kneeScale === undefined ? await accQuantiles(q, seg, m, maps, bits, false) : undefined;
  const P = layerQuantile === undefined ? Math.max(1, Math.round(1 / m.alpha[0])) : Math.max(1, layerQuantile(0, o.percentile) || layerQuantile(0, 100));
  const step = Math.max(1, Math.round(P / (2 ** o.actBits - 1)));
  q.shift = floorShift(fold, columns(seg));
  const activation = { type: 'adc' as const, bits: o.actBits, offset: -Math.floor(step / 2), step };
  const F = seg.pooledShape.channels * seg.pooledShape.height * seg.pooledShape.width;
  const x = sharedBytes(maps.n * F);
  await q.pool.run(layerJob(q, seg, m, activation, maps, bits, { type: 'levels', out: x }));
  q.docs.push(...inPoolDocs(seg), matrixDoc(seg, m, activation), ...poolDocs(seg));
  return {
    next: { n: maps.n, size: F, x, labels: maps.labels },
    units: Float64Array.from(colScale, (s) => s * step * m.alpha[0] * fold.slope),
    report: { name: seg.name, activation: 'adc', adc: { bits: o.actBits, offset: activation.offset, step }, seconds: 0 },
  };
}

/**
 * The layers after hidden layer l while l is searched: hidden ones as
 * provisional 8-bit ADCs (ReLU with float-calibrated range), the final one
 * as its raw accumulator. `segs`: the layers to use (a re-fit scores its
 * candidate layer in place of the current one).
 */
export function tailDoc(q: Quantization, l: number, inUnits: Float64Array, inShift: Float64Array | undefined, floatScale: Float64Array[], segs = q.segs): Record<string, unknown> {
  const { o } = q;
  const layers: LayerDoc[] = [];
  let units = inUnits;
  let shift: Float64Array | undefined = inShift;
  for (let j = l + 1; j < segs.length; j++) {
    const seg = segs[j];
    if (j === segs.length - 1) {
      layers.push(...inPoolDocs(seg), matrixDoc(seg, quantizeMatrix(seg, units, o.weightBits, false, undefined, shift), { type: 'none' }));
      break;
    }
    // The ADC's view of the layer's activation (activation-fold.ts); for ReLU: no shift, the float scale, a top of twice it.
    const fold = adcFold(segmentActivation(seg));
    const scale = fold.kneeScale === undefined ? floatScale[j] : new Float64Array(columns(seg)).fill(fold.kneeScale);
    const m = quantizeMatrix(shiftedSegment(seg, fold.zLow), units, o.weightBits, false, scale, shift);
    shift = floorShift(fold, columns(seg));
    const top = fold.kneeScale === undefined ? PROVISIONAL_HEADROOM : 1;
    const step = Math.max(1, Math.round(top / (m.alpha[0] * (2 ** PROVISIONAL_BITS - 1))));
    layers.push(...inPoolDocs(seg), matrixDoc(seg, m, { type: 'adc', bits: PROVISIONAL_BITS, offset: -Math.floor(step / 2), step }), ...poolDocs(seg));
    units = Float64Array.from(scale, (s) => s * step * m.alpha[0] * fold.slope);
  }
  return netDoc({ name: 'tail', input: segs[l].pooledShape, inputBits: 1, weightBits: o.weightBits, crossbar: o.crossbar, layers });
}

export async function finalLayer(q: Quantization, maps: Maps, bits: number, units: Float64Array): Promise<LayerReport> {
  const { segs, o } = q;
  const seg = segs[segs.length - 1];
  q.emit({ type: 'phase', text: `${seg.name}: choosing the ${o.readout === 'adc' ? `${o.readoutBits}-bit ADC` : 'raw'} read-out` });
  const m = quantizeMatrix(seg, units, o.weightBits, false, undefined, q.shift);
  q.finalMatrix = m;
  const O = columns(seg);
  const acc = sharedInts(maps.n * O);
  await q.pool.run(layerJob(q, seg, m, { type: 'none' }, maps, bits, { type: 'acc', out: acc }));
  const rawCorrect = countCorrect(acc, O, maps.labels, (v) => v);
  if (o.readout === 'none') {
    q.docs.push(...inPoolDocs(seg), matrixDoc(seg, m, { type: 'none' }));
    q.predictedCorrect = rawCorrect;
    return { name: seg.name, activation: 'none', trainCorrect: rawCorrect, seconds: 0 };
  }
  const r = chooseReadout(acc, maps.labels, O, o.readoutBits);
  const activation = { type: 'adc' as const, bits: o.readoutBits, offset: r.offset, step: r.step };
  q.docs.push(...inPoolDocs(seg), matrixDoc(seg, m, activation));
  q.predictedCorrect = r.correct;
  return { name: seg.name, activation: 'adc', adc: { bits: o.readoutBits, offset: r.offset, step: r.step }, trainCorrect: r.correct, seconds: 0 };
}
