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
//
// The passes live in first-pass.ts and later-passes.ts, sharing one
// Quantization (quantization.ts); this file runs them and checks and reports
// the result.
import { validateNetDocument } from '../ir/validate.js';
import { loadData, spacedSubset } from './dataset.js';
import { diagnose, type Diagnosis } from './diagnose.js';
import { evaluate, evaluateFloat } from './evaluate.js';
import { type FineTuneReport, fineTuneTail } from './fine-tune.js';
import { adcLayer, finalLayer, floatScales, thresholdLayer } from './first-pass.js';
import { isFloatChain } from './float-net.js';
import { quantizeGraphModel } from './graph-model.js';
import { columns, netDoc } from './integer.js';
import { refine, revisit } from './later-passes.js';
import { baseName, safeName, segments } from './model-layers.js';
import { importOnnxFile } from './onnx.js';
import { type QuantizeOptions, resolveOptions } from './options.js';
import { ThreadPool } from './pool.js';
import { Quantization } from './quantization.js';
import type { LayerReport, QuantizeReport, QuantizeResult } from './quantize-report.js';

export { chooseReadout } from './readout.js';
export { safeName } from './model-layers.js';
export { SCALE_FLOOR, floorScales } from './scales.js';
export type { DataFiles, QuantizeOptions } from './options.js';
export type { LayerReport, QuantizeEvent, QuantizeReport, QuantizeResult } from './quantize-report.js';

export async function quantizeModel(modelPath: string, opts: QuantizeOptions): Promise<QuantizeResult> {
  const started = Date.now();
  const o = resolveOptions(opts);
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
    const q = new Quantization(float, segs, train, pool, o, emit);
    const layers = await runPasses(q);
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

/** The first pass, then the later passes and the fine-tune as the options ask. */
async function runPasses(q: Quantization): Promise<LayerReport[]> {
  const { segs, o } = q;
  q.emit({ type: 'phase', text: `calibrating the float model on ${Math.min(o.calibration, q.train.n)} training images` });
  const floatScale = floatScales(q);
  let maps = q.trainMaps;
  let bits = o.inputBits;
  let units: Float64Array = new Float64Array(q.float.input.channels).fill(1 / (2 ** o.inputBits - 1));
  const reports: LayerReport[] = [];
  for (let l = 0; l < segs.length - 1; l++) {
    const t0 = Date.now();
    const r = o.actBits === 1
      ? await thresholdLayer(q, l, maps, bits, units, floatScale)
      : await adcLayer(q, l, maps, bits, units, floatScale[l]);
    maps = r.next;
    units = r.units;
    bits = o.actBits;
    r.report.seconds = (Date.now() - t0) / 1000;
    reports.push(r.report);
    q.emit({ type: 'layer-done', report: r.report });
  }
  const t0 = Date.now();
  reports.push(await finalLayer(q, maps, bits, units));
  reports[reports.length - 1].seconds = (Date.now() - t0) / 1000;
  q.emit({ type: 'layer-done', report: reports[reports.length - 1] });
  for (let pass = 2; pass <= o.passes && q.searched.length > 0; pass++) reports.push(...await revisit(q, pass));
  if (o.refine > 0 && q.searched.length > 0) reports.push(...await refine(q));
  if (o.actBits === 1 && o.fineTune > 0) {
    q.fineTune = await fineTuneTail({
      docs: q.docs, input: q.float.input, inputBits: o.inputBits, weightBits: o.weightBits, crossbar: o.crossbar, trainMaps: q.trainMaps, segs: q.segs,
      correct: q.predictedCorrect, epochs: o.fineTune, pool: q.pool, onPhase: (text) => q.emit({ type: 'phase', text }),
    });
    if (q.fineTune?.kept !== undefined) q.predictedCorrect = q.fineTune.trials[q.fineTune.kept].trainCorrect;
  }
  return reports;
}

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

