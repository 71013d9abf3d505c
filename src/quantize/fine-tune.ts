// The last step of the 1-bit method: the network's last layers fine-tuned on
// the labels with their thresholds in place (tail-fit.ts). Two tails are
// tried, every layer after the first and the trailing dense layers alone; the
// one that then gets more training images right is kept, if either beats the
// network as it stands.
import type { Chw } from './float-net.js';
import type { ActivationDoc, LayerDoc, Segment } from './integer.js';
import { netDoc } from './integer.js';
import type { Job, Maps } from './jobs.js';
import { type ThreadPool, sharedBytes, sharedInts } from './pool.js';
import { chooseReadout } from './readout.js';
import { countCorrect, readoutLevel } from './refine.js';
import { TAIL_FIT, type TailFit, type TailLayer, heldBackCount, tailIntegers, tailLayers, tailWork } from './tail-fit.js';
import { validateNetDocument } from '../ir/validate.js';

/** One tail tried: the matrix layers fine-tuned (the last one the final layer) and what it gave. */
export interface TailTrial {
  layers: string[];
  /** Training images per epoch (the work budget may draw fewer than the training set holds). */
  images: number;
  /** False when the budget allowed too few images (FINE_TUNE_MIN_IMAGES) and the tail was not trained. */
  trained: boolean;
  /** The epoch kept by the fit (0: none beat the start on the held-back images). */
  epoch: number;
  /** Held-back training images (never trained on), and how many of them the emitted network gets right before and with this tail. */
  held: number;
  heldBefore: number;
  heldAfter: number;
  /** Training images the emitted network gets right with this tail. */
  trainCorrect: number;
  seconds: number;
}

export interface FineTuneReport {
  epochs: number;
  /** Training images right before the fine-tune. */
  trainBefore: number;
  trials: TailTrial[];
  /** The trial kept: the one with most held-back images right, when that beats the network as it stood. */
  kept?: number;
  seconds: number;
}

export interface FineTuneContext {
  /** The emitted network's layers; the tail's are replaced when a fine-tune is kept. */
  docs: LayerDoc[];
  input: Chw;
  inputBits: number;
  weightBits: number;
  crossbar: { rows: number; cols: number };
  trainMaps: Maps;
  /** The float layers by name: the max-pools after the last matrix layer before a tail, and its output shape. */
  segs: Segment[];
  /** Training images the network as it stands gets right. */
  correct: number;
  epochs: number;
  pool: ThreadPool;
  onPhase: (text: string) => void;
}

/**
 * Multiply-adds (tailWork × images × epochs) one tail's training may spend:
 * about 30 s on this project's 2-core machine, where one unit costs about
 * 2 ns. A tail that needs more trains on a random part of the training set.
 */
const WORK_BUDGET = 1e10;

/**
 * A tail the budget lets train on fewer images than this is not tried. On
 * the development half (10,000 training images) no tail trained on 1,000 to
 * 3,500 was the better one: m-stride2-bn's, f-stride2-bn's and f-bn3's beat
 * their start in no epoch, f-2conv-2dense's by 0.7 held-back points where
 * its dense tail on 9,000 images gained 2.9.
 */
export const FINE_TUNE_MIN_IMAGES = 5000;

/**
 * Fine-tunes the tails of `ctx.docs` (tailStarts) and keeps the one whose
 * emitted network gets most held-back training images right, if it beats the
 * network as it stands (`ctx.docs` then updated). Judged on the held-back
 * images alone: on the images it trained on, a tail wins by memorizing.
 * Undefined when the network has no tail. The tails train at the same time,
 * each on a worker thread of its own (each fit is one thread's work, so the
 * result does not depend on the thread count).
 */
export async function fineTuneTail(ctx: FineTuneContext): Promise<FineTuneReport | undefined> {
  const t0 = Date.now();
  const report: FineTuneReport = { epochs: ctx.epochs, trainBefore: ctx.correct, trials: [], seconds: 0 };
  const prepared: { first: number; tail: PreparedTail | TailTrial }[] = [];
  for (const first of tailStarts(ctx.docs)) {
    const tail = await prepareTail(ctx, first);
    if (tail !== undefined) prepared.push({ first, tail });
  }
  if (prepared.length === 0) return undefined;
  const toTrain = prepared.flatMap((p) => ('start' in p.tail ? [p.tail] : []));
  ctx.onPhase(`${toTrain.map((t) => t.label.join(', ')).join(' and ')}: fine-tuning with the thresholds in place, ${ctx.epochs} epochs`);
  const fits = await Promise.all(toTrain.map(async (t, k) => {
    const began = Date.now();
    const fit = await ctx.pool.runOn(k, { kind: 'fit-tail', start: t.start, maps: t.maps, opts: { ...TAIL_FIT, epochs: ctx.epochs, images: t.images } });
    return { fit, ms: Date.now() - began };
  }));
  let best: { trial: TailTrial; first: number; docs: LayerDoc[] } | undefined;
  for (const { first, tail } of prepared) {
    if (!('start' in tail)) {
      report.trials.push(tail);
      continue;
    }
    const { fit, ms } = fits[toTrain.indexOf(tail)];
    const { trial, docs } = await scoreFit(ctx, tail, fit, ms);
    report.trials.push(trial);
    if (docs !== undefined && trial.heldAfter > trial.heldBefore && (best === undefined || trial.heldAfter > best.trial.heldAfter)) best = { trial, first, docs };
  }
  if (best !== undefined) {
    ctx.docs.splice(best.first, best.docs.length, ...best.docs);
    report.kept = report.trials.indexOf(best.trial);
  }
  report.seconds = (Date.now() - t0) / 1000;
  return report;
}

/** A tail ready to train: its layers as the fit starts them, its input on every training image, and how many it may train on per epoch. */
interface PreparedTail {
  label: string[];
  tailDocs: LayerDoc[];
  tailNet: (layers: LayerDoc[]) => Record<string, unknown>;
  start: TailLayer[];
  maps: Maps;
  images: number;
  /** Milliseconds it took to prepare. */
  ms: number;
}

/** The tail from `docs[first]` on, ready to train; a TailTrial when its work budget allows too few images. */
async function prepareTail(ctx: FineTuneContext, first: number): Promise<PreparedTail | TailTrial | undefined> {
  const t0 = Date.now();
  const tailDocs = ctx.docs.slice(first);
  const label = tailDocs.filter((d) => d.type !== 'maxpool').map((d) => d.name as string);
  const prefix = prefixOf(ctx, ctx.docs.slice(0, first));
  if (prefix === undefined) return undefined;
  // The tail reads a threshold layer's max-pooled map: 1 bit.
  const tailNet = (layers: LayerDoc[]): Record<string, unknown> =>
    netDoc({ name: 'tail', input: prefix.seg.pooledShape, inputBits: 1, weightBits: ctx.weightBits, crossbar: ctx.crossbar, layers });
  const start = tailLayers(validateNetDocument(tailNet(tailDocs), '<memory>', '<tail>').net);
  if (start === undefined) return undefined;
  const trainable = ctx.trainMaps.n - heldBackCount(ctx.trainMaps.n);
  const images = Math.min(trainable, Math.floor(WORK_BUDGET / (tailWork(start) * ctx.epochs)));
  if (images < Math.min(FINE_TUNE_MIN_IMAGES, trainable)) {
    return { layers: label, images, trained: false, epoch: 0, held: 0, heldBefore: 0, heldAfter: 0, trainCorrect: ctx.correct, seconds: (Date.now() - t0) / 1000 };
  }
  ctx.onPhase(`${label.join(', ')}: the tail's input on ${ctx.trainMaps.n} training images (golden model)`);
  const maps = await prefixOutput(ctx, prefix);
  return { label, tailDocs, tailNet, start, maps, images, ms: Date.now() - t0 };
}

/** A trained tail re-quantized and scored; `docs` only when an epoch beat the start. */
async function scoreFit(ctx: FineTuneContext, tail: PreparedTail, fit: TailFit, fitMs: number): Promise<{ trial: TailTrial; docs?: LayerDoc[] }> {
  const t0 = Date.now();
  const { label, tailDocs, tailNet, maps, images } = tail;
  const before = await scoreTail(ctx, tailNet, tailDocs, maps, fit.heldImages, false);
  const trial: TailTrial = {
    layers: label, images, trained: true, epoch: fit.epoch, held: fit.held, heldBefore: before.heldCorrect, heldAfter: before.heldCorrect,
    trainCorrect: ctx.correct, seconds: 0,
  };
  let docs: LayerDoc[] | undefined;
  if (fit.epoch > 0) {
    const ints = new Map(tailIntegers(fit.layers, ctx.weightBits).map((m) => [m.name, m]));
    const tuned = tailDocs.map((d) => {
      const m = ints.get(d.name as string);
      if (d.type === 'maxpool' || m === undefined) return d;
      return { ...d, weights: m.weights, bias: m.bias, activation: m.thresholds ? { type: 'threshold', thresholds: m.thresholds } : d.activation };
    });
    const after = await scoreTail(ctx, tailNet, tuned, maps, fit.heldImages, true);
    docs = after.docs;
    trial.heldAfter = after.heldCorrect;
    trial.trainCorrect = after.trainCorrect;
  }
  // Its own time: preparing, its fit (alongside the other tail's) and scoring.
  trial.seconds = (tail.ms + fitMs + Date.now() - t0) / 1000;
  return { trial, docs };
}

/**
 * The tail `docs` run on every image of `maps` (golden model): the training
 * and held-back images it gets right, with the final layer's read-out chosen
 * again for its new outputs when `rechoose` (as the search chooses it).
 */
async function scoreTail(ctx: FineTuneContext, tailNet: (layers: LayerDoc[]) => Record<string, unknown>, docs: LayerDoc[], maps: Maps, held: Int32Array,
  rechoose: boolean): Promise<{ docs: LayerDoc[]; trainCorrect: number; heldCorrect: number }> {
  const final = docs[docs.length - 1];
  const O = (final.bias as number[]).length;
  const acc = sharedInts(maps.n * O);
  const raw = [...docs.slice(0, -1), { ...final, activation: { type: 'none' } }];
  await ctx.pool.run({ kind: 'layer', net: tailNet(raw), pools: [], outShape: { channels: O, height: 1, width: 1 }, maps, next: sharedInts(1),
    mode: { type: 'acc', out: acc } } satisfies Job);
  let readout = final.activation as ActivationDoc;
  if (rechoose && readout.type === 'adc') {
    const r = chooseReadout(acc, maps.labels, O, readout.bits);
    readout = { type: 'adc', bits: readout.bits, offset: r.offset, step: r.step };
  }
  const level = readoutLevel(readout);
  const heldAcc = new Int32Array(held.length * O);
  held.forEach((img, k) => heldAcc.set(acc.subarray(img * O, (img + 1) * O), k * O));
  return {
    docs: [...docs.slice(0, -1), { ...final, activation: readout }],
    trainCorrect: countCorrect(acc, O, maps.labels, level),
    heldCorrect: countCorrect(heldAcc, O, Uint8Array.from(held, (img) => maps.labels[img]), level),
  };
}

/**
 * Where a fine-tuned tail may start: the first matrix layer after the
 * network's first one (whose multi-bit input would make training slow and
 * whose 1-bit output is then the tail's fixed input), and, when the network
 * ends in dense layers after convolutions, the first of those (much cheaper
 * to train). A tail holds only layers the training models (matrix layers and
 * max-pools) and starts where the layer before it, max-pools aside, is a
 * matrix layer: its 1-bit map is the tail's input.
 */
function tailStarts(docs: LayerDoc[]): number[] {
  const isMatrix = (d: LayerDoc): boolean => d.type === 'conv' || d.type === 'dense';
  let start: number | undefined;
  let dense: number | undefined;
  let afterMatrix = false;
  for (const [i, d] of docs.entries()) {
    if (d.type === 'maxpool') continue;
    if (!isMatrix(d)) {
      start = undefined;
      dense = undefined;
    } else {
      if (start === undefined && afterMatrix) start = i;
      if (d.type !== 'dense') dense = undefined;
      else if (dense === undefined && afterMatrix) dense = i;
    }
    afterMatrix = isMatrix(d);
  }
  if (start === undefined) return [];
  return dense === undefined || dense === start ? [start] : [dense, start];
}

/**
 * The layers before a tail as a net.json can hold them (it cannot end in a
 * max-pool: the last matrix layer's pools run as the job's) and that layer's
 * float segment; undefined unless that layer is a threshold layer.
 */
function prefixOf(ctx: FineTuneContext, layers: LayerDoc[]): { layers: LayerDoc[]; seg: Segment } | undefined {
  let last = layers.length - 1;
  while (layers[last].type === 'maxpool') last--;
  if ((layers[last].activation as ActivationDoc | undefined)?.type !== 'threshold') return undefined;
  const seg = ctx.segs.find((s) => s.name === layers[last].name);
  if (seg === undefined) throw new Error(`fine-tune: no float layer named ${String(layers[last].name)}`);
  return { layers: layers.slice(0, last + 1), seg };
}

/** Each training image through the prefix (golden model): the tail's input, flattened. */
async function prefixOutput(ctx: FineTuneContext, prefix: { layers: LayerDoc[]; seg: Segment }): Promise<Maps> {
  const { trainMaps: train } = ctx;
  const { seg } = prefix;
  const shape = seg.pooledShape;
  const size = shape.channels * shape.height * shape.width;
  const x = sharedBytes(train.n * size);
  const net = netDoc({ name: 'prefix', input: ctx.input, inputBits: ctx.inputBits, weightBits: ctx.weightBits, crossbar: ctx.crossbar, layers: prefix.layers });
  await ctx.pool.run({ kind: 'layer', net, pools: seg.pools.map((p) => ({ window: p.window })), outShape: seg.outShape, maps: train, next: sharedInts(1),
    mode: { type: 'levels', out: x } } satisfies Job);
  return { n: train.n, size, x, labels: train.labels };
}

/** The fine-tune in one line per tail tried: what it gained on the held-back and all training images, and which was kept. */
export function fineTuneLines(f: FineTuneReport, trainImages: number): string[] {
  const pct = (c: number, n: number): string => `${(100 * c / n).toFixed(2)}%`;
  return f.trials.map((t, i) => {
    if (!t.trained) return `fine-tune of ${t.layers.join(', ')}: not tried, its work budget allows ${t.images} training images per epoch (fewer than ${FINE_TUNE_MIN_IMAGES} and than the training set)`;
    const what = t.epoch === 0
      ? `no epoch of ${f.epochs} beat the start on ${t.held} held-back training images`
      : `epoch ${t.epoch}/${f.epochs}, held-back training images ${pct(t.heldBefore, t.held)} → ${pct(t.heldAfter, t.held)} (of ${t.held}), ` +
        `all training images ${pct(f.trainBefore, trainImages)} → ${pct(t.trainCorrect, trainImages)}${f.kept === i ? ', kept' : ''}`;
    return `fine-tune of ${t.layers.join(', ')} with the thresholds in place on ${t.images} images: ${what} (${t.seconds.toFixed(1)} s)`;
  });
}
