// The three-step method of DESIGN.md section 1, from a trained float model to
// a net.json with 1-bit intermediate maps:
//   a. re-scaling: every hidden layer's output channels are scaled so that
//      their post-ReLU activations on the training set fall into [0,1]; the
//      statistic is a high percentile per channel (99.9 by default), measured
//      on the integer accumulators of the network as it then is;
//   b. greedy, first to last: layer l's ReLU becomes a threshold while layers
//      < l are already binary and layers > l still carry (near-)full ReLU
//      activations, here as 8-bit ADCs so the network stays a real net.json;
//   c. brute force over thresholds t in a grid on [0,1], each candidate scored
//      by the golden model on every training image; the best is kept.
// With `actBits` = K > 1 it emits the multi-bit baseline instead: ReLU
// followed by a K-bit ADC at every hidden layer. Written for ReLU; another
// monotonic activation is folded in by activation-fold.ts, and average pools
// by avg-pool.ts (docs/quantize.md).
import { RramGenError } from '../diagnostics/index.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { NetIR } from '../ir/types.js';
import { validateNetDocument } from '../ir/validate.js';
import { columnRanges } from '../ir/ranges.js';
import { type FloatNet, floatForward, isFloatChain } from './float-net.js';
import { quantizeGraphModel } from './graph-model.js';
import { type ActivationDoc, type IntMatrix, type LayerDoc, type Segment, ceilDiv, columns, rowChannels, matrixDoc, netDoc, poolDocs, quantizeMatrix } from './integer.js';
import { HIST_BINS, type JobResult, type KnownResults, type LayerJob, type Maps, type Progress, type SearchJob, scoreKey } from './jobs.js';
import { type FineTuneReport, fineTuneTail } from './fine-tune.js';
import { TAIL_FIT } from './tail-fit.js';
import { type Diagnosis, diagnose } from './diagnose.js';
import { importOnnxFile } from './onnx.js';
import { type DataSet, binaryMaps, columnMaps, loadData, spacedImage, spacedSubset, sumResults } from './dataset.js';
import { evaluate, evaluateFloat } from './evaluate.js';
import { baseName, safeName, segments } from './model-layers.js';
import { chooseReadout } from './readout.js';
import { floorScales, percentileOfSorted } from './scales.js';
import { refitJob, refittedSegment } from './refit.js';
import { type RefineProblem, countCorrect, inputEffects, readoutLevel, refineColumns } from './refine.js';
import { ThreadPool, defaultThreads, sharedBytes, sharedInts } from './pool.js';
import { raceSurvivors } from './race.js';
import { adcFold, candidateThresholds, floorShift, isRelu, segmentActivation, shiftedSegment } from './activation-fold.js';
import { applyActivation } from './float-activation.js';
import { inPoolDocs, poolInShape, pooledBits, readsAveragePool } from './avg-pool.js';

export { chooseReadout } from './readout.js';
export { safeName } from './model-layers.js';
export { SCALE_FLOOR, floorScales } from './scales.js';

export interface DataFiles { images: string; labels: string }

export interface QuantizeOptions {
  /** Training set: the search scores every candidate on all of it. */
  train: DataFiles;
  /** Test set: only reported (float and quantized accuracy). */
  test?: DataFiles;
  /** Weight width B: symmetric integers in ±(2^(B−1)−1). Default 8. */
  weightBits?: number;
  /** Width of the network input: each 8-bit pixel keeps its top bits. Default 8. */
  inputBits?: number;
  crossbar?: { rows: number; cols: number };
  /** 1 (default): threshold (1-bit) hidden layers; K > 1: the K-bit ADC baseline. */
  actBits?: number;
  /** Threshold candidates t = i/grid, i = 0..grid. Default 50. */
  grid?: number;
  /**
   * Threshold search passes (default 1). Each pass after the first searches
   * every hidden layer's t again, first to last, with all other layers as
   * they will be emitted (weights kept), scoring the real network.
   */
  passes?: number;
  /**
   * Per-column refinement sweeps (default 0: none). After the passes, each
   * column of every threshold layer gets its own threshold from the layer's
   * candidates, one column at a time, scored on the real network.
   */
  refine?: number;
  /**
   * Training images (evenly spaced) for the least-squares re-fit of the layer
   * after each threshold layer to the float model (refit.ts); kept only when
   * it scores better. 0: no re-fit. Default 10,000.
   */
  refitImages?: number;
  /**
   * Epochs of the last step: the layers after the first fine-tuned on the
   * training labels with their thresholds in place (fine-tune.ts), kept only
   * when the network then scores better. 0: none. Default 6.
   */
  fineTune?: number;
  /** Re-scaling statistic: this percentile of each channel's post-ReLU activations. Default 99.9. */
  percentile?: number;
  /** Final layer: a k-bit ADC read-out (default) or the raw accumulator. */
  readout?: 'adc' | 'none';
  readoutBits?: number;
  /** Worker threads (default: all cores, at most 8); 1 runs everything in this thread. */
  threads?: number;
  /** Network name in net.json (default: from the model file name). */
  name?: string;
  /** Graph models (residual adds, concats): training images, evenly spaced, each threshold candidate is scored on. Default 2,000. */
  searchImages?: number;
  /** Use only the first N training / test images (quick experiments, tests). */
  trainCount?: number;
  testCount?: number;
  /** Training images for the float calibration of the provisional layers. Default 500. */
  calibrationImages?: number;
  /** Training images (evenly spaced) of the pre-scan that orders the candidates and races them. Default 3,000. */
  prescanImages?: number;
  /**
   * Pick the candidate a brute force would (default false): every candidate
   * is scored until it provably cannot win. By default the first pass drops
   * a candidate clearly worse than the pre-scan's leader on the pre-scan
   * images (race.ts); later passes and the per-column refinement are exact.
   */
  exactSearch?: boolean;
  /** Score every candidate on every image, without the race or early stopping (slow; checks the pruned search). */
  exhaustive?: boolean;
  onEvent?: (e: QuantizeEvent) => void;
}

export type QuantizeEvent =
  | { type: 'start'; model: string; layers: number; hidden: number; trainImages: number; threads: number; mode: string }
  | { type: 'layer'; layer: string; index: number; of: number; candidates: number }
  | { type: 'candidate'; layer: string; candidate: number; t: number; scored: number; correct: number; total: number; best?: { t: number; correct: number }; finished: number; pruned: number; candidates: number }
  | { type: 'layer-done'; report: LayerReport }
  | { type: 'phase'; text: string };

export interface LayerReport {
  name: string;
  /** Search pass (1 when absent); later passes revisit the threshold layers. */
  pass?: number;
  /** Set on the per-column refinement's reports (each layer per sweep, then the read-out chosen again): columns moved. */
  perColumn?: { sweep: number; moved: number };
  /**
   * Threshold layers of the first pass: the least-squares re-fit of the next
   * layer, its training accuracy, whether it was kept, and its share of `seconds`.
   */
  refit?: { images: number; trainCorrect: number; kept: boolean; seconds: number };
  activation: 'threshold' | 'adc' | 'none';
  /** Threshold layers: the chosen t, its integer thresholds' range, and the search effort. */
  t?: number;
  thresholds?: { min: number; max: number };
  candidates?: number;
  /** Candidates scored on every training image (the others were provably worse and stopped early, or lost the race). */
  fullyScored?: number;
  /** Candidates dropped after the pre-scan, clearly worse than its leader (race.ts). */
  raceDropped?: number;
  /** Training images scored in all, over every candidate. */
  imagesScored?: number;
  /** ADC layers: integer offset and step. */
  adc?: { bits: number; offset: number; step: number };
  /** Training accuracy of the network as it stood after this layer was decided. */
  trainCorrect?: number;
  seconds: number;
}

export interface QuantizeReport {
  name: string;
  model: string;
  mode: '1-bit' | `${number}-bit ADC`;
  weightBits: number;
  inputBits: number;
  percentile: number;
  grid: number;
  passes: number;
  refine: number;
  trainImages: number;
  trainCorrect: number;
  testImages?: number;
  testCorrect?: number;
  floatTestCorrect?: number;
  layers: LayerReport[];
  /** 1-bit mode: the tails fine-tuned with the thresholds in place (absent when off or the net has one matrix layer). */
  fineTune?: FineTuneReport;
  /** 1-bit mode: each threshold layer's cost in training accuracy and the layer that loses most, with the likely cause. */
  diagnosis?: Diagnosis;
  warnings: Diagnostic[];
  threads: number;
  seconds: number;
}

export interface QuantizeResult {
  /** The net.json document (validated). */
  doc: Record<string, unknown>;
  net: NetIR;
  report: QuantizeReport;
}

const PROVISIONAL_BITS = 8;
/** Numbers each search, so threads can tell a new search's tails from the last one's. */
let searches = 0;
/** Provisional ADCs cover twice the float activation range: binary inputs upstream enlarge sums. */
const PROVISIONAL_HEADROOM = 2;

export async function quantizeModel(modelPath: string, opts: QuantizeOptions): Promise<QuantizeResult> {
  const started = Date.now();
  const o = {
    weightBits: opts.weightBits ?? 8,
    inputBits: opts.inputBits ?? 8,
    crossbar: opts.crossbar ?? { rows: 128, cols: 128 },
    actBits: opts.actBits ?? 1,
    grid: opts.grid ?? 50,
    passes: opts.passes ?? 1,
    refine: opts.refine ?? 0,
    refitImages: opts.refitImages ?? 10000,
    fineTune: opts.fineTune ?? TAIL_FIT.epochs,
    percentile: opts.percentile ?? 99.9,
    readout: opts.readout ?? 'adc',
    readoutBits: opts.readoutBits ?? 8,
    threads: opts.threads ?? defaultThreads(),
    calibration: opts.calibrationImages ?? 500,
    prescan: opts.prescanImages ?? 3000,
    exhaustive: opts.exhaustive ?? false,
    exactSearch: (opts.exactSearch ?? false) || (opts.exhaustive ?? false),
  };
  checkRange('weightBits', o.weightBits, 2, 8);
  checkRange('inputBits', o.inputBits, 1, 8);
  checkRange('actBits', o.actBits, 1, 8);
  checkRange('grid', o.grid, 1, 254);
  checkRange('passes', o.passes, 1, 5);
  checkRange('refine', o.refine, 0, 20);
  checkRange('refitImages', o.refitImages, 0, 1e7);
  checkRange('readoutBits', o.readoutBits, 1, 8);
  checkRange('fineTune', o.fineTune, 0, 100);
  if (!(o.percentile > 0 && o.percentile <= 100)) throw RramGenError.of('usage', '', `percentile must be in (0, 100], got ${o.percentile}`);
  const float = importOnnxFile(modelPath);
  const name = opts.name ?? safeName(float.name);
  const train = loadData(opts.train, float, opts.trainCount, 'training');
  const test = opts.test ? loadData(opts.test, float, opts.testCount, 'test') : undefined;
  const emit = opts.onEvent ?? (() => undefined);
  if (!isFloatChain(float)) {
    const pool = new ThreadPool(o.threads);
    try {
      return await quantizeGraphModel({ float, modelPath, name, train, test, o: { ...o, searchImages: opts.searchImages }, pool, emit, started });
    } finally {
      await pool.close();
    }
  }
  const segs = segments(float, modelPath);
  const pool = new ThreadPool(o.threads);
  const mode = o.actBits === 1 ? '1-bit' as const : `${o.actBits}-bit ADC` as const;
  emit({ type: 'start', model: modelPath, layers: segs.length, hidden: segs.length - 1, trainImages: train.n, threads: Math.max(1, o.threads), mode });
  try {
    const q = new Quantizer(float, segs, train, pool, o, emit);
    const layers = await q.run();
    const description = `Quantized by rram-gen quantize from ${baseName(modelPath)}: ${o.actBits === 1
      ? `1-bit hidden maps (thresholds from a greedy search over t = i/${o.grid} on ${train.n} training images${o.passes > 1 ? `, ${o.passes} passes` : ''}${o.refine > 0 ? `, thresholds refined per column` : ''}${refitted(layers)}${fineTuned(q.fineTune)})`
      : `${o.actBits}-bit ADC after every hidden layer (multi-bit baseline)`}, ${o.weightBits}-bit weights, ${o.inputBits}-bit input, ` +
      `re-scaling to the ${o.percentile}th percentile per channel; final read-out ${o.readout === 'adc' ? `${o.readoutBits}-bit ADC` : 'raw accumulator'}.`;
    const doc = netDoc({ name, description, input: float.input, inputBits: o.inputBits, weightBits: o.weightBits, crossbar: o.crossbar, layers: q.docs });
    const { net, warnings } = validateNetDocument(doc, '<memory>', `<${name}>`);
    emit({ type: 'phase', text: 'checking the emitted network on the training set (golden model)' });
    const trainCorrect = await evaluate(pool, doc, q.trainMaps);
    if (trainCorrect !== q.predictedCorrect) {
      throw new Error(`the emitted net scores ${trainCorrect} on the training set, the search predicted ${q.predictedCorrect}`);
    }
    let testCorrect: number | undefined;
    let floatTestCorrect: number | undefined;
    if (test) {
      emit({ type: 'phase', text: 'scoring the test set (golden model and float model)' });
      testCorrect = await evaluate(pool, doc, q.inputMaps(test));
      floatTestCorrect = await evaluateFloat(pool, float, test);
    }
    let diagnosis: Diagnosis | undefined;
    if (o.actBits === 1) {
      emit({ type: 'phase', text: 'scoring the float model on the training set (the diagnosis\'s baseline)' });
      const sample = spacedSubset(train, Math.min(train.n, DIAGNOSIS_FLOAT_IMAGES));
      const floatCorrect = await evaluateFloat(pool, float, sample);
      const shapes = segs.slice(0, -1).map((s) => ({
        name: s.name, kind: s.matrix.type === 'conv' ? 'conv' as const : 'dense' as const, channels: columns(s), positions: s.pooledShape.height * s.pooledShape.width,
      }));
      diagnosis = diagnose(layers, shapes, train.n, (100 * floatCorrect) / sample.n, sample.n, (100 * trainCorrect) / train.n);
    }
    const report: QuantizeReport = {
      name, model: modelPath, mode, weightBits: o.weightBits, inputBits: o.inputBits, percentile: o.percentile, grid: o.grid, passes: o.actBits === 1 ? o.passes : 1, refine: o.actBits === 1 ? o.refine : 0,
      trainImages: train.n, trainCorrect, ...(test ? { testImages: test.n, testCorrect, floatTestCorrect } : {}),
      layers, ...(q.fineTune ? { fineTune: q.fineTune } : {}), ...(diagnosis ? { diagnosis } : {}), warnings, threads: Math.max(1, o.threads), seconds: (Date.now() - started) / 1000,
    };
    return { doc, net, report };
  } finally {
    await pool.close();
  }
}

/** Least-squares rows (images × output positions) a re-fit needs at most, and the fewest images it uses. */
const REFIT_ROWS = 400_000;
const REFIT_MIN_IMAGES = 1000;

/** Training images (evenly spaced) the float model is scored on for the diagnosis's baseline. */
const DIAGNOSIS_FLOAT_IMAGES = 10000;

/** The description's words for the re-fits that were kept. */
function refitted(layers: LayerReport[]): string {
  const kept = layers.filter((l) => l.refit?.kept);
  return kept.length === 0 ? '' : `, the layers after ${kept.map((l) => l.name).join(', ')} re-fitted to the float model by least squares on ${kept[0].refit!.images} images`;
}

function fineTuned(f: FineTuneReport | undefined): string {
  if (f?.kept === undefined) return '';
  const t = f.trials[f.kept];
  return `, ${t.layers.join(', ')} fine-tuned on the labels with the thresholds in place (${t.epoch} of ${f.epochs} epochs on ${t.images} images)`;
}

function checkRange(what: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) throw RramGenError.of('usage', '', `${what} must be an integer in ${lo}..${hi}, got ${v}`);
}

type Resolved = {
  weightBits: number; inputBits: number; crossbar: { rows: number; cols: number }; actBits: number; grid: number; percentile: number;
  readout: 'adc' | 'none'; readoutBits: number; threads: number; calibration: number; prescan: number; exhaustive: boolean; exactSearch: boolean; passes: number;
  refine: number; refitImages: number; fineTune: number;
};

/** What a later pass or the refinement needs of a searched threshold layer. */
interface SearchedLayer {
  seg: Segment; m: IntMatrix; cands: Candidate[]; docIndex: number;
  /** Each column's candidate (all the same until the per-column refinement). */
  chosen: Int32Array;
}
/** A threshold candidate: t and the integer threshold of each column it gives. */
interface Candidate { t: number; T: Int32Array }


function thresholdReport(name: string, cands: Candidate[], best: { candidate: number; correct: number; fullyScored: number; raceDropped: number; imagesScored: number }): Omit<LayerReport, 'seconds'> {
  const T = cands[best.candidate].T;
  return {
    name, activation: 'threshold', t: cands[best.candidate].t, thresholds: { min: Math.min(...T), max: Math.max(...T) },
    candidates: cands.length, fullyScored: best.fullyScored, raceDropped: best.raceDropped, imagesScored: best.imagesScored, trainCorrect: best.correct,
  };
}

class Quantizer {
  readonly docs: LayerDoc[] = [];
  predictedCorrect = -1;
  fineTune: FineTuneReport | undefined;
  /** The training set as the network's input; the search and the final check both read it. */
  readonly trainMaps: Maps;
  private margins: Int32Array | undefined;
  private readonly searched: SearchedLayer[] = [];
  private finalMatrix: IntMatrix | undefined;
  /** The per-column refinement's view of the final layer: each input bit's effect on its outputs. */
  private effect: Int32Array | undefined;
  /** Per channel of the current input map: what its integers miss on average (folded into the next bias). */
  private shift: Float64Array | undefined;

  constructor(
    private readonly float: FloatNet,
    private readonly segs: Segment[],
    private readonly train: DataSet,
    private readonly pool: ThreadPool,
    private readonly o: Resolved,
    private readonly emit: (e: QuantizeEvent) => void,
  ) {
    this.trainMaps = this.inputMaps(train);
  }

  /** The network input as net.json sees it: each pixel's top `inputBits` bits. */
  inputMaps(d: DataSet): Maps {
    const x = sharedBytes(d.pixels.length);
    const shift = 8 - this.o.inputBits;
    for (let i = 0; i < x.length; i++) x[i] = d.pixels[i] >> shift;
    const labels = sharedBytes(d.n);
    labels.set(d.labels);
    return { n: d.n, size: d.pixels.length / d.n, x, labels };
  }

  async run(): Promise<LayerReport[]> {
    const { segs, o } = this;
    this.emit({ type: 'phase', text: `calibrating the float model on ${Math.min(o.calibration, this.train.n)} training images` });
    const floatScale = this.floatScales();
    let maps = this.trainMaps;
    let bits = o.inputBits;
    let units: Float64Array = new Float64Array(this.float.input.channels).fill(1 / (2 ** o.inputBits - 1));
    const reports: LayerReport[] = [];
    for (let l = 0; l < segs.length - 1; l++) {
      const t0 = Date.now();
      const r = o.actBits === 1
        ? await this.thresholdLayer(l, maps, bits, units, floatScale)
        : await this.adcLayer(l, maps, bits, units, floatScale[l]);
      maps = r.next;
      units = r.units;
      bits = o.actBits;
      r.report.seconds = (Date.now() - t0) / 1000;
      reports.push(r.report);
      this.emit({ type: 'layer-done', report: r.report });
    }
    const t0 = Date.now();
    reports.push(await this.finalLayer(maps, bits, units));
    reports[reports.length - 1].seconds = (Date.now() - t0) / 1000;
    this.emit({ type: 'layer-done', report: reports[reports.length - 1] });
    for (let pass = 2; pass <= o.passes && this.searched.length > 0; pass++) reports.push(...await this.revisit(pass));
    if (o.refine > 0 && this.searched.length > 0) reports.push(...await this.refine());
    if (o.actBits === 1 && o.fineTune > 0) {
      this.fineTune = await fineTuneTail({
        docs: this.docs, input: this.float.input, inputBits: o.inputBits, weightBits: o.weightBits, crossbar: o.crossbar, trainMaps: this.trainMaps, segs: this.segs,
        correct: this.predictedCorrect, epochs: o.fineTune, pool: this.pool, onPhase: (text) => this.emit({ type: 'phase', text }),
      });
      if (this.fineTune?.kept !== undefined) this.predictedCorrect = this.fineTune.trials[this.fineTune.kept].trainCorrect;
    }
    return reports;
  }

  /**
   * A later pass: each threshold layer, first to last, searched again over
   * the same candidates with every other layer as it stands (the weights
   * downstream stay those of the first pass). The tail is the rest of the
   * emitted network, read-out included, so each score is the real network's
   * training accuracy and the current threshold is among the candidates: a
   * pass never loses training accuracy.
   */
  private async revisit(pass: number): Promise<LayerReport[]> {
    const { o } = this;
    const reports: LayerReport[] = [];
    let maps = this.trainMaps;
    let bits = o.inputBits;
    for (const [k, { seg, m, cands, docIndex }] of this.searched.entries()) {
      const t0 = Date.now();
      this.emit({ type: 'layer', layer: `${seg.name} (pass ${pass})`, index: k, of: this.searched.length, candidates: cands.length });
      const { ranks, F } = await this.candidateRanks(seg, m, cands, maps, bits);
      const tail = netDoc({ name: 'tail', input: seg.pooledShape, inputBits: 1, weightBits: o.weightBits, crossbar: o.crossbar,
        layers: this.docs.slice(docIndex + 1 + seg.pools.length) });
      // No race here: the current threshold must stay in, or a pass could lose accuracy.
      const best = await this.search(`${seg.name} (pass ${pass})`, ranks, F, maps, cands.map(() => tail), cands.map((c) => c.t), false);
      this.docs[docIndex] = matrixDoc(seg, m, { type: 'threshold', thresholds: Array.from(cands[best.candidate].T) });
      maps = binaryMaps(ranks, best.candidate, maps, F);
      bits = 1;
      this.searched[k].chosen.fill(best.candidate);
      this.margins = best.margins;
      this.predictedCorrect = best.correct;
      const { name, ...rest } = thresholdReport(seg.name, cands, best);
      const report: LayerReport = { name, pass, ...rest, seconds: (Date.now() - t0) / 1000 };
      reports.push(report);
      this.emit({ type: 'layer-done', report });
    }
    return reports;
  }

  /** Per hidden layer and channel: the percentile of post-ReLU float activations on a calibration subset. */
  private floatScales(): Float64Array[] {
    const { float, segs, train, o } = this;
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

  private layerJob(seg: Segment, m: IntMatrix, activation: ActivationDoc, maps: Maps, bits: number, mode: LayerJob['mode']): LayerJob {
    const net = netDoc({ name: 'layer', input: poolInShape(seg), inputBits: bits, weightBits: this.o.weightBits, crossbar: this.o.crossbar, layers: [...inPoolDocs(seg), { ...matrixDoc(seg, m, activation), name: 'layer' }] });
    return { kind: 'layer', net, pools: seg.pools.map((p) => ({ window: p.window })), outShape: seg.outShape, maps, next: sharedInts(1), mode };
  }

  /** Histogram-based percentile of max(acc, 0), per channel or over the whole layer. */
  private async accQuantiles(seg: Segment, m: IntMatrix, maps: Maps, bits: number, perChannel: boolean): Promise<(group: number, p: number) => number> {
    const O = columns(seg);
    const K = m.weights.length / O;
    const bound = columnRanges(m.weights, O, K, m.bias, 2 ** pooledBits(seg, bits) - 1).map((r) => Math.max(1, r.max));
    const layerBound = Math.max(...bound);
    const widthFor = (b: number): number => 2 ** Math.max(0, Math.ceil(Math.log2((b + 1) / HIST_BINS)));
    const binWidth = perChannel ? bound.map(widthFor) : [widthFor(layerBound)];
    const results = await this.pool.run(this.layerJob(seg, m, { type: 'none' }, maps, bits, { type: 'stats', perChannel, binWidth }));
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

  private async thresholdLayer(l: number, maps: Maps, bits: number, units: Float64Array, floatScale: Float64Array[]): Promise<{ next: Maps; units: Float64Array; report: LayerReport }> {
    const { segs, o } = this;
    const seg = segs[l];
    const O = columns(seg);
    this.emit({ type: 'phase', text: `${seg.name}: accumulator statistics and candidate ranks on ${maps.n} training images` });
    const m = quantizeMatrix(seg, units, o.weightBits, true, undefined, this.shift);
    // a. re-scaling: S[o] integer units ≙ activation 1.0 of channel o.
    const quantile = await this.accQuantiles(seg, m, maps, bits, true);
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
    this.emit({ type: 'layer', layer: seg.name, index: l, of: segs.length - 1, candidates: count });
    const { ranks, F, parts } = await this.candidateRanks(seg, m, cands, maps, bits);
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
    const tails = perCandidate.map((b) => this.tailDoc(l, b.units, b.shift, floatScale));
    const best = await this.search(seg.name, ranks, F, maps, tails, cands.map((c) => c.t), !o.exactSearch);
    this.docs.push(...inPoolDocs(seg));
    this.searched.push({ seg, m, cands, docIndex: this.docs.length, chosen: new Int32Array(O).fill(best.candidate) });
    this.docs.push(matrixDoc(seg, m, { type: 'threshold', thresholds: Array.from(cands[best.candidate].T) }), ...poolDocs(seg));
    this.margins = best.margins;
    this.shift = perCandidate[best.candidate].shift;
    const next = binaryMaps(ranks, best.candidate, maps, F);
    const report: LayerReport = { ...thresholdReport(seg.name, cands, best), seconds: 0 };
    let nextUnits = perCandidate[best.candidate].units;
    // A re-fit solves for every weight of the whole matrix (a grouped conv's zeros
    // between blocks would not stay 0) and assumes the layer reads a 1-bit map directly.
    if (o.refitImages > 0 && (segs[l + 1].groups ?? 1) === 1 && !readsAveragePool(segs[l + 1])) {
      const t0 = Date.now();
      const refit = await this.refitNext(l, next, floatScale);
      report.refit = { images: refit.images, trainCorrect: refit.correct, kept: refit.correct > best.correct, seconds: (Date.now() - t0) / 1000 };
      if (report.refit.kept) {
        this.segs[l + 1] = refit.seg;
        this.margins = refit.margins;
        this.shift = undefined;
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
  private async refitNext(l: number, next: Maps, floatScale: Float64Array[]): Promise<{ seg: Segment; images: number; correct: number; margins: Int32Array }> {
    const { segs, train, o } = this;
    const seg = segs[l + 1];
    // A conv layer gives one least-squares row per output position: a few
    // thousand images already give far more rows than it has weights.
    const positions = seg.matrix.type === 'conv' ? seg.outShape.height * seg.outShape.width : 1;
    const count = Math.min(o.refitImages, train.n, Math.max(REFIT_MIN_IMAGES, Math.ceil(REFIT_ROWS / positions)));
    this.emit({ type: 'phase', text: `${seg.name}: re-fitting to the float model on ${count} training images` });
    const size = train.pixels.length / train.n;
    const pixels = { n: count, size, x: sharedBytes(count * size), labels: sharedBytes(count) };
    const inputs = { n: count, size: next.size, x: sharedBytes(count * next.size), labels: pixels.labels };
    for (let k = 0; k < count; k++) {
      const img = spacedImage(k, count, train.n);
      pixels.x.set(train.pixels.subarray(img * size, (img + 1) * size), k * size);
      inputs.x.set(next.x.subarray(img * next.size, (img + 1) * next.size), k * next.size);
    }
    const parts = await this.pool.run(refitJob(this.float, seg, pixels, inputs, sharedInts(1)));
    const refitted = refittedSegment(seg, sumResults(parts));
    const results = { oks: sharedBytes(next.n), margins: sharedInts(next.n) };
    const tail = this.tailDoc(l, new Float64Array(seg.inShape.channels).fill(1), undefined, floatScale, segs.map((s, j) => (j === l + 1 ? refitted : s)));
    const correct = await evaluate(this.pool, tail, next, results);
    return { seg: refitted, images: count, correct, margins: results.margins };
  }

  /**
   * The searched layer's pooled accumulators of every image, as ranks: how
   * many of the candidates' thresholds each meets (candidate i's 1-bit map is
   * rank > i). `parts`: the threads' per-rank sums of the accumulators.
   */
  private async candidateRanks(seg: Segment, m: IntMatrix, cands: Candidate[], maps: Maps, bits: number): Promise<{ ranks: Uint8Array; F: number; parts: JobResult[] }> {
    const O = columns(seg);
    const count = cands.length;
    const thresholds = sharedInts(O * count);
    for (let c = 0; c < O; c++) for (let i = 0; i < count; i++) thresholds[c * count + i] = cands[i].T[c];
    const F = seg.pooledShape.channels * seg.pooledShape.height * seg.pooledShape.width;
    const ranks = sharedBytes(maps.n * F);
    const f = segmentActivation(seg);
    const values = isRelu(f) ? {} : { values: { f, alpha: m.alpha } };
    const parts = await this.pool.run(this.layerJob(seg, m, { type: 'none' }, maps, bits, { type: 'ranks', count, thresholds, out: ranks, ...values }));
    return { ranks, F, parts };
  }

  private async adcLayer(l: number, maps: Maps, bits: number, units: Float64Array, scale: Float64Array): Promise<{ next: Maps; units: Float64Array; report: LayerReport }> {
    const { segs, o } = this;
    const seg = segs[l];
    this.emit({ type: 'layer', layer: seg.name, index: l, of: segs.length - 1, candidates: 0 });
    // The ADC reads the pre-activation through f's ADC view (activation-fold.ts):
    // its lower clamp at f's lower knee, its top at the upper knee when f has
    // one (the column scale maps the knee to 1.0), else at the percentile.
    const fold = adcFold(segmentActivation(seg));
    const colScale = fold.kneeScale === undefined ? scale : new Float64Array(columns(seg)).fill(fold.kneeScale);
    const m = quantizeMatrix(shiftedSegment(seg, fold.zLow), units, o.weightBits, false, colScale, this.shift);
    const layerQuantile = fold.kneeScale === undefined ? await this.accQuantiles(seg, m, maps, bits, false) : undefined;
    const P = layerQuantile === undefined ? Math.max(1, Math.round(1 / m.alpha[0])) : Math.max(1, layerQuantile(0, o.percentile) || layerQuantile(0, 100));
    const step = Math.max(1, Math.round(P / (2 ** o.actBits - 1)));
    this.shift = floorShift(fold, columns(seg));
    const activation = { type: 'adc' as const, bits: o.actBits, offset: -Math.floor(step / 2), step };
    const F = seg.pooledShape.channels * seg.pooledShape.height * seg.pooledShape.width;
    const x = sharedBytes(maps.n * F);
    await this.pool.run(this.layerJob(seg, m, activation, maps, bits, { type: 'levels', out: x }));
    this.docs.push(...inPoolDocs(seg), matrixDoc(seg, m, activation), ...poolDocs(seg));
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
  private tailDoc(l: number, inUnits: Float64Array, inShift: Float64Array | undefined, floatScale: Float64Array[], segs = this.segs): Record<string, unknown> {
    const { o } = this;
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

  /**
   * Brute force over the candidates, pruned: (1) a pre-scan of every
   * candidate on evenly spaced images orders them, and with `race` those
   * clearly worse than its leader there are dropped (race.ts);
   * (2) the leader is scored on every image, which ranks the images by
   * difficulty; (3) every other candidate left is scored hardest images first
   * and dropped as soon as it can no longer beat the best (ties go to the
   * lower t). Without the race the result is the candidate a full brute
   * force would pick.
   */
  private async search(layer: string, ranks: Uint8Array, size: number, maps: Maps, tails: Record<string, unknown>[], ts: number[], race: boolean, known?: KnownResults):
    Promise<{ candidate: number; correct: number; margins: Int32Array; oks: Uint8Array; fullyScored: number; raceDropped: number; imagesScored: number }> {
    const n = maps.n;
    const count = ts.length;
    const order = sharedInts(n);
    order.set(this.margins ? argsort(this.margins) : Int32Array.from({ length: n }, (_, i) => i));
    const base = { kind: 'search' as const, ranks, size, labels: maps.labels, n, order, tailsId: ++searches, ...(known ? { known } : {}) };
    let finished = 0;
    let pruned = 0;
    let bestSoFar: { t: number; correct: number } | undefined;
    const progress = (p: Progress, total: number): void => {
      this.emit({ type: 'candidate', layer, candidate: p.candidate, t: ts[p.candidate], scored: p.scored, correct: p.correct, total, best: bestSoFar, finished, pruned, candidates: count });
    };
    // (1) pre-scan
    const images = Math.min(this.o.prescan, n);
    const pre = sharedInts(count);
    const preOks = sharedBytes(count * images);
    const sample = sharedInts(images);
    for (let k = 0; k < images; k++) sample[k] = spacedImage(k, images, n);
    await this.pool.run({ ...base, order: sample, tails, next: sharedInts(1), phase: { type: 'prescan', candidates: Int32Array.from({ length: count }, (_, i) => i), images, correct: pre, oks: preOks } } satisfies SearchJob,
      (p) => progress(p, images));
    const byPromise = Array.from({ length: count }, (_, i) => i).sort((a, b) => pre[b] - pre[a] || a - b);
    const contenders = race ? raceSurvivors(preOks, images, byPromise[0], byPromise.slice(1)) : byPromise.slice(1);
    // (2) the most promising, on every image
    const first = byPromise[0];
    const firstCorrect = sharedInts(count);
    const firstMargins = sharedInts(n);
    const firstOks = sharedBytes(n);
    let scored = 0;
    let correctSoFar = 0;
    await this.pool.run({ ...base, next: sharedInts(1), phase: { type: 'full', candidate: first, correct: firstCorrect, margins: firstMargins, oks: firstOks } } satisfies SearchJob,
      (p) => { scored += p.scored; correctSoFar += p.correct; progress({ candidate: first, scored, correct: correctSoFar }, n); });
    finished = 1;
    bestSoFar = { t: ts[first], correct: firstCorrect[first] };
    order.set(argsort(firstMargins));
    // (3) the rest, hardest images first, with exact pruning
    const best = sharedInts(1);
    best[0] = scoreKey(firstCorrect[first], first);
    const correct = sharedInts(count);
    const done = sharedInts(count);
    const scoredBy = sharedInts(count);
    const margins = sharedInts(count * n);
    const oks = sharedBytes(count * n);
    const rest = Int32Array.from(contenders);
    await this.pool.run({ ...base, next: sharedInts(1), phase: { type: 'pruned', candidates: rest, best, correct, done, scored: scoredBy, margins, oks, prune: !this.o.exhaustive } } satisfies SearchJob,
      (p) => {
        if (p.scored === n || done[p.candidate] !== 0) {
          finished = rest.filter((c) => done[c] === 1).length + 1;
          pruned = rest.filter((c) => done[c] === 2).length;
        }
        const key = Atomics.load(best, 0);
        const bc = 4095 - (key % 4096);
        bestSoFar = { t: ts[bc], correct: Math.floor(key / 4096) };
        progress(p, n);
      });
    const key = best[0];
    const candidate = 4095 - (key % 4096);
    const bestCorrect = Math.floor(key / 4096);
    let imagesScored = images * count + n;
    for (const c of rest) imagesScored += scoredBy[c];
    return {
      candidate,
      correct: bestCorrect,
      margins: candidate === first ? firstMargins : margins.slice(candidate * n, (candidate + 1) * n),
      oks: candidate === first ? firstOks : oks.slice(candidate * n, (candidate + 1) * n),
      fullyScored: 1 + rest.filter((c) => done[c] === 1).length,
      raceDropped: count - 1 - rest.length,
      imagesScored,
    };
  }

  /**
   * Per-column refinement (`refine` sweeps, ending early when one gains
   * nothing): every threshold layer, first to last, gives each column its own
   * threshold from the layer's candidates, one column at a time, every other
   * column and layer as emitted. Layers before the last: each column's
   * candidates go through the exact pruned search with the rest of the network
   * as the tail. The last hidden layer: refine.ts's exact incremental scores
   * (the rest of the network is linear there); then the read-out is chosen
   * again and kept only if it scores better.
   */
  private async refine(): Promise<LayerReport[]> {
    const { o } = this;
    const reports: LayerReport[] = [];
    for (let sweep = 1; sweep <= o.refine; sweep++) {
      const before = this.predictedCorrect;
      const results = await this.currentResults();
      let finalAcc: Int32Array | undefined;
      let maps = this.trainMaps;
      let bits = o.inputBits;
      for (const [k, layer] of this.searched.entries()) {
        const t0 = Date.now();
        const { seg, m, cands, docIndex, chosen } = layer;
        const last = k === this.searched.length - 1;
        const label = `${seg.name} (per column, sweep ${sweep})`;
        this.emit({ type: 'layer', layer: label, index: k, of: this.searched.length, candidates: cands.length });
        const { ranks, F } = await this.candidateRanks(seg, m, cands, maps, bits);
        const was = Int32Array.from(chosen);
        if (last) finalAcc = await this.refineLinear(layer, ranks, F);
        else await this.refineBySearch(layer, ranks, F, maps, results, (c, of) => `${label} column ${c + 1}/${of}`, k);
        const thresholds = Array.from(chosen, (i, c) => cands[i].T[c]);
        this.docs[docIndex] = matrixDoc(seg, m, { type: 'threshold', thresholds });
        maps = columnMaps(ranks, chosen, maps, F);
        bits = 1;
        const perColumn = { sweep, moved: chosen.filter((i, c) => i !== was[c]).length };
        const report: LayerReport = {
          name: seg.name, perColumn, activation: 'threshold', thresholds: { min: Math.min(...thresholds), max: Math.max(...thresholds) },
          candidates: cands.length, trainCorrect: this.predictedCorrect, seconds: (Date.now() - t0) / 1000,
        };
        reports.push(report);
        this.emit({ type: 'layer-done', report });
      }
      const readout = finalAcc && this.readoutReport(finalAcc, sweep);
      if (readout) reports.push(readout);
      if (this.predictedCorrect === before) break;
    }
    return reports;
  }

  /** One layer's columns, each searched over the layer's candidates with the others fixed. */
  private async refineBySearch(layer: SearchedLayer, ranks: Uint8Array, F: number, maps: Maps, results: { oks: Uint8Array; margins: Int32Array },
    label: (c: number, of: number) => string, k: number): Promise<void> {
    const { seg, cands, docIndex, chosen } = layer;
    const O = columns(seg);
    const P = F / O;
    const { n } = maps;
    // The search's candidate i sees rank > i: the fixed columns' bits become
    // 255 (1 for every candidate) or 0, the free column keeps its ranks.
    const free = sharedBytes(n * F);
    const fix = (c: number): void => {
      for (let img = 0; img < n; img++) {
        for (let f = img * F + c * P; f < img * F + (c + 1) * P; f++) free[f] = ranks[f] > chosen[c] ? 255 : 0;
      }
    };
    for (let c = 0; c < O; c++) fix(c);
    const tail = netDoc({ name: 'tail', input: seg.pooledShape, inputBits: 1, weightBits: this.o.weightBits, crossbar: this.o.crossbar,
      layers: this.docs.slice(docIndex + 1 + seg.pools.length) });
    const tails = cands.map(() => tail);
    for (let c = 0; c < O; c++) {
      for (let img = 0; img < n; img++) free.set(ranks.subarray(img * F + c * P, img * F + (c + 1) * P), img * F + c * P);
      this.emit({ type: 'layer', layer: label(c, O), index: k, of: this.searched.length, candidates: cands.length });
      // Images whose column-c bits are those of its current candidate keep their result.
      const known = { from: c * P, to: (c + 1) * P, candidate: chosen[c], ...results };
      // Exact: one column's candidates differ on few images, and the column's current threshold must stay in.
      const best = await this.search(label(c, O), free, F, maps, tails, cands.map((x) => x.t), false, known);
      chosen[c] = best.candidate;
      this.margins = results.margins = best.margins;
      results.oks = best.oks;
      this.predictedCorrect = best.correct;
      fix(c);
    }
  }

  /** Every training image's result (right or not, margin) under the network as it stands. */
  private async currentResults(): Promise<{ oks: Uint8Array; margins: Int32Array }> {
    const { o } = this;
    const doc = netDoc({ name: 'current', input: this.float.input, inputBits: o.inputBits, weightBits: o.weightBits, crossbar: o.crossbar, layers: this.docs });
    const results = { oks: sharedBytes(this.trainMaps.n), margins: sharedInts(this.trainMaps.n) };
    const correct = await evaluate(this.pool, doc, this.trainMaps, results);
    if (correct !== this.predictedCorrect) throw new Error(`the network scores ${correct} on the training set, the search predicted ${this.predictedCorrect}`);
    this.margins = results.margins;
    return results;
  }

  /** The last hidden layer's columns, one sweep of refine.ts's coordinate descent; gives the final layer's raw outputs after it. */
  private async refineLinear(layer: SearchedLayer, ranks: Uint8Array, F: number): Promise<Int32Array> {
    const { segs, o } = this;
    const { seg, cands, chosen } = layer;
    const finalSeg = segs[segs.length - 1];
    const finalMatrix = this.finalMatrix!;
    const { n, labels } = this.trainMaps;
    const O = columns(finalSeg);
    const acc = sharedInts(n * O);
    await this.pool.run(this.layerJob(finalSeg, finalMatrix, { type: 'none' }, columnMaps(ranks, chosen, this.trainMaps, F), 1, { type: 'acc', out: acc }));
    this.effect ??= inputEffects(netDoc({ name: 'readout', input: seg.pooledShape, inputBits: 1, weightBits: o.weightBits, crossbar: o.crossbar,
      layers: [...inPoolDocs(finalSeg), matrixDoc(finalSeg, finalMatrix, { type: 'none' })] }), F, O);
    const problem: RefineProblem = {
      ranks, F, channels: columns(seg), count: cands.length, acc, outputs: O, labels, effect: this.effect,
      level: readoutLevel(this.docs[this.docs.length - 1].activation as ActivationDoc), chosen,
    };
    const r = refineColumns(problem, 1, (_, column) => {
      this.emit({ type: 'phase', text: `${seg.name} (per column): column ${column + 1}/${problem.channels}` });
    });
    this.predictedCorrect = r.correct;
    return acc;
  }

  /** After a refinement sweep: the read-out chosen again for the new outputs, kept only if it scores better. */
  private readoutReport(finalAcc: Int32Array, sweep: number): LayerReport | undefined {
    const { segs } = this;
    const finalSeg = segs[segs.length - 1];
    const readout = this.docs[this.docs.length - 1].activation as ActivationDoc;
    if (readout.type !== 'adc') return undefined;
    const again = chooseReadout(finalAcc, this.trainMaps.labels, columns(finalSeg), readout.bits);
    const better = again.correct > this.predictedCorrect;
    const activation = better ? { type: 'adc' as const, bits: readout.bits, offset: again.offset, step: again.step } : readout;
    if (better) {
      this.docs[this.docs.length - 1] = matrixDoc(finalSeg, this.finalMatrix!, activation);
      this.predictedCorrect = again.correct;
    }
    const report: LayerReport = { name: finalSeg.name, perColumn: { sweep, moved: better ? 1 : 0 }, activation: 'adc', adc: { bits: activation.bits, offset: activation.offset, step: activation.step }, trainCorrect: this.predictedCorrect, seconds: 0 };
    this.emit({ type: 'layer-done', report });
    return report;
  }

  private async finalLayer(maps: Maps, bits: number, units: Float64Array): Promise<LayerReport> {
    const { segs, o } = this;
    const seg = segs[segs.length - 1];
    this.emit({ type: 'phase', text: `${seg.name}: choosing the ${o.readout === 'adc' ? `${o.readoutBits}-bit ADC` : 'raw'} read-out` });
    const m = quantizeMatrix(seg, units, o.weightBits, false, undefined, this.shift);
    this.finalMatrix = m;
    const O = columns(seg);
    const acc = sharedInts(maps.n * O);
    await this.pool.run(this.layerJob(seg, m, { type: 'none' }, maps, bits, { type: 'acc', out: acc }));
    const rawCorrect = countCorrect(acc, O, maps.labels, (v) => v);
    if (o.readout === 'none') {
      this.docs.push(...inPoolDocs(seg), matrixDoc(seg, m, { type: 'none' }));
      this.predictedCorrect = rawCorrect;
      return { name: seg.name, activation: 'none', trainCorrect: rawCorrect, seconds: 0 };
    }
    const r = chooseReadout(acc, maps.labels, O, o.readoutBits);
    const activation = { type: 'adc' as const, bits: o.readoutBits, offset: r.offset, step: r.step };
    this.docs.push(...inPoolDocs(seg), matrixDoc(seg, m, activation));
    this.predictedCorrect = r.correct;
    return { name: seg.name, activation: 'adc', adc: { bits: o.readoutBits, offset: r.offset, step: r.step }, trainCorrect: r.correct, seconds: 0 };
  }
}

/** Indices sorted by value, ties by index (stable). */
function argsort(v: Int32Array): Int32Array {
  return Int32Array.from(Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b));
}

