// The quantizer on a real trained model (examples/mnist/small.onnx) and a
// small slice of MNIST: the emitted net.json is valid, scores what the report
// says under the golden model, does not depend on the thread count, and the
// pruned search picks what an exhaustive one picks.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isMatrixLayer, loadNet, runNet } from '../../src/index.js';
import { readIdxLabels, readVectors } from '../../src/golden/vectors.js';
import { formatNetJson } from '../../src/ir/serialize.js';
import { mnistFiles, quantizeModel, writeQuantizedNet, type QuantizeOptions, type QuantizeResult } from '../../src/quantize/index.js';

const MODEL = join(import.meta.dirname, '../../examples/mnist/small.onnx');
const mnist = mnistFiles();
const TRAIN = 300;
const quick: QuantizeOptions = { train: mnist.train, trainCount: TRAIN, grid: 6, threads: 1, calibrationImages: 50, prescanImages: 60, raceImages: 100 };
let one: QuantizeResult;
beforeAll(async () => { one = await quantizeModel(MODEL, quick); });

function goldenAccuracy(path: string, images: string, labels: string, count: number): number {
  const { net } = loadNet(path);
  const inputs = readVectors(images, net, { count });
  const want = readIdxLabels(labels);
  return inputs.filter((x, i) => runNet(net, x).answer === want[i]).length;
}

describe('quantize (1-bit)', () => {
  it('emits a valid net.json whose golden-model accuracy is the reported one', async () => {
    const { doc, net, report } = one;
    expect(report.mode).toBe('1-bit');
    const kinds = net.layers.map((l) => (!isMatrixLayer(l) ? l.type : `${l.type}:${l.activation.type}`));
    expect(kinds).toEqual(['conv:threshold', 'maxpool', 'conv:threshold', 'maxpool', 'dense:adc']);
    expect(net.layers.slice(0, -1).every((l) => l.outShape.bits === 1)).toBe(true);
    expect(net.weightBits).toBe(8);
    const dir = mkdtempSync(join(tmpdir(), 'rram-quantize-'));
    const path = join(dir, 'net.json');
    writeQuantizedNet(doc, path);
    // The train accuracy in the report is that of the file, under the golden model.
    expect(goldenAccuracy(path, mnist.train.images, mnist.train.labels, TRAIN)).toBe(report.trainCorrect);
    expect(report.trainCorrect / report.trainImages).toBeGreaterThan(0.9);
  });

  it('gives the same bytes with two threads; the exact pruned search agrees with an exhaustive one; the race drops candidates', async () => {
    const two = await quantizeModel(MODEL, { ...quick, threads: 2 });
    const exact = await quantizeModel(MODEL, { ...quick, exactSearch: true });
    const exhaustive = await quantizeModel(MODEL, { ...quick, exhaustive: true });
    expect(formatNetJson(two.doc)).toBe(formatNetJson(one.doc));
    expect(formatNetJson(exhaustive.doc)).toBe(formatNetJson(exact.doc));
    expect(exhaustive.report.layers[0].fullyScored).toBe(exhaustive.report.layers[0].candidates);
    expect(exact.report.layers[0].raceDropped).toBe(0);
    expect(exact.report.layers[0].imagesScored!).toBeLessThan(exhaustive.report.layers[0].imagesScored!);
    // The race drops candidates after its pre-scan (on 100 of these 300 images it
    // costs more images than it saves; on 60,000 it saves most: docs/quantize.md),
    // never scores a dropped one fully, and picks nothing better than the exact search.
    const raced = one.report.layers.filter((l) => l.activation === 'threshold' && l.pass === undefined);
    expect(raced.reduce((n, l) => n + l.raceDropped!, 0)).toBeGreaterThan(0);
    for (const l of raced) expect(l.fullyScored! + l.raceDropped!).toBeLessThanOrEqual(l.candidates!);
    expect(one.report.layers[0].trainCorrect!).toBeLessThanOrEqual(exact.report.layers[0].trainCorrect!);
  });

  it('a second pass revisits each threshold with the weights kept, never losing training accuracy', async () => {
    const two = await quantizeModel(MODEL, { ...quick, passes: 2 });
    expect(two.report.layers.map((l) => `${l.name}/${l.pass ?? 1}`)).toEqual(['conv1/1', 'conv2/1', 'fc1/1', 'conv1/2', 'conv2/2']);
    expect(two.report.trainCorrect).toBeGreaterThanOrEqual(one.report.trainCorrect);
    const layers = (d: Record<string, unknown>) => d.layers as { weights?: number[]; bias?: number[] }[];
    expect(layers(two.doc).map((l) => [l.weights, l.bias])).toEqual(layers(one.doc).map((l) => [l.weights, l.bias]));
    const dir = mkdtempSync(join(tmpdir(), 'rram-quantize-'));
    writeQuantizedNet(two.doc, join(dir, 'net.json'));
    expect(goldenAccuracy(join(dir, 'net.json'), mnist.train.images, mnist.train.labels, TRAIN)).toBe(two.report.trainCorrect);
    const exhaustive = await quantizeModel(MODEL, { ...quick, passes: 2, exhaustive: true });
    expect(formatNetJson(exhaustive.doc)).toBe(formatNetJson(two.doc));
  });

  it('--refine gives every threshold layer per-column thresholds; only they and the read-out change', async () => {
    // grid 10, no re-fit: on this slice columns of both layers move (with grid 6 conv1's do not).
    // No fine-tune either: it would retrain the layers after conv1 differently after each.
    // The first pass exact (no race), as when these columns were chosen.
    const base = await quantizeModel(MODEL, { ...quick, grid: 10, refitImages: 0, fineTune: 0, exactSearch: true });
    const refined = await quantizeModel(MODEL, { ...quick, grid: 10, refine: 2, refitImages: 0, fineTune: 0, exactSearch: true });
    const labels = refined.report.layers.map((l) => `${l.name}/${l.perColumn ? `sweep ${l.perColumn.sweep}` : l.pass ?? 1}`);
    expect(labels).toEqual(['conv1/1', 'conv2/1', 'fc1/1', 'conv1/sweep 1', 'conv2/sweep 1', 'fc1/sweep 1', 'conv1/sweep 2', 'conv2/sweep 2', 'fc1/sweep 2']);
    expect(refined.report.trainCorrect).toBeGreaterThanOrEqual(base.report.trainCorrect);
    const layers = (d: Record<string, unknown>) => d.layers as { name: string; weights?: number[]; bias?: number[]; activation?: { thresholds?: number[] } }[];
    const before = layers(base.doc);
    const after = layers(refined.doc);
    expect(after.map((l) => [l.weights, l.bias])).toEqual(before.map((l) => [l.weights, l.bias]));
    // Every column starts at its layer's t; on this slice some move in both layers.
    expect(after[0].activation!.thresholds).not.toEqual(before[0].activation!.thresholds);
    expect(after[2].activation!.thresholds).not.toEqual(before[2].activation!.thresholds);
    // Each layer's report counts the training images its choice gets right.
    const steps = refined.report.layers.filter((l) => l.perColumn).map((l) => l.trainCorrect!);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps[0]).toBeGreaterThanOrEqual(base.report.trainCorrect);
    // The per-column searches prune exactly, and threads do not change a byte.
    const check = await quantizeModel(MODEL, { ...quick, grid: 10, refine: 2, refitImages: 0, fineTune: 0, threads: 2, exhaustive: true });
    expect(formatNetJson(check.doc)).toBe(formatNetJson(refined.doc));
    const dir = mkdtempSync(join(tmpdir(), 'rram-quantize-'));
    writeQuantizedNet(refined.doc, join(dir, 'net.json'));
    expect(goldenAccuracy(join(dir, 'net.json'), mnist.train.images, mnist.train.labels, TRAIN)).toBe(refined.report.trainCorrect);
  });

  it('re-fits the layer after each threshold layer, keeping it only when it scores better; --refit 0 does not', async () => {
    // Without the fine-tune, which would retrain the layers after conv1 in both.
    const on = await quantizeModel(MODEL, { ...quick, fineTune: 0 });
    const off = await quantizeModel(MODEL, { ...quick, refitImages: 0, fineTune: 0 });
    const matrices = (d: Record<string, unknown>) => (d.layers as { type: string; weights?: number[]; bias?: number[]; activation?: unknown }[]).filter((l) => l.type !== 'maxpool');
    expect(off.report.layers.every((l) => l.refit === undefined)).toBe(true);
    const hidden = on.report.layers.filter((l) => l.activation === 'threshold');
    for (const l of hidden) {
      expect(l.refit!.images).toBe(TRAIN);
      expect(l.refit!.kept).toBe(l.refit!.trainCorrect > l.trainCorrect!);
    }
    // Up to the first kept re-fit, every layer (weights and thresholds) is that
    // of the run without re-fits; the layer it re-fitted is not.
    const first = hidden.findIndex((l) => l.refit!.kept);
    expect(first).toBeGreaterThanOrEqual(0); // else this slice tests nothing
    expect(matrices(on.doc).slice(0, first + 1)).toEqual(matrices(off.doc).slice(0, first + 1));
    expect(matrices(on.doc)[first + 1].weights).not.toEqual(matrices(off.doc)[first + 1].weights);
  });

  it('fine-tunes the layers after the first, keeping a tail only when its network gets more held-back images right; --fine-tune 0 does not', async () => {
    const off = await quantizeModel(MODEL, { ...quick, fineTune: 0 });
    expect(off.report.fineTune).toBeUndefined();
    const f = one.report.fineTune!;
    // small is conv1, conv2, fc1: the tails conv2, fc1 and fc1 alone.
    expect(f.trials.map((t) => t.layers)).toEqual([['fc1'], ['conv2', 'fc1']]);
    expect(f.kept).toBeDefined(); // else this slice tests nothing
    const kept = f.trials[f.kept!];
    expect(kept.heldAfter).toBeGreaterThan(kept.heldBefore);
    expect(Math.max(...f.trials.map((t) => t.heldAfter))).toBe(kept.heldAfter);
    // The search's network up to the tail, the tail's layers retrained.
    const layers = (d: Record<string, unknown>) => d.layers as { name: string; weights?: number[] }[];
    const tail = new Set(kept.layers);
    expect(layers(one.doc).filter((l) => !tail.has(l.name))).toEqual(layers(off.doc).filter((l) => !tail.has(l.name)));
    for (const name of tail) expect(layers(one.doc).find((l) => l.name === name)!.weights).not.toEqual(layers(off.doc).find((l) => l.name === name)!.weights);
    expect(f.trainBefore).toBe(off.report.trainCorrect);
    expect(kept.trainCorrect).toBe(one.report.trainCorrect);
  });

  it('--act-bits 8 emits the multi-bit baseline; readout none keeps the raw accumulator', async () => {
    const adc = await quantizeModel(MODEL, { ...quick, actBits: 8, test: mnist.test, testCount: 200 });
    const acts = adc.net.layers.flatMap((l) => (!isMatrixLayer(l) ? [] : [l.activation]));
    expect(acts.map((a) => a.type)).toEqual(['adc', 'adc', 'adc']);
    expect(acts.every((a) => a.type === 'adc' && a.bits === 8)).toBe(true);
    expect(adc.report.testImages).toBe(200);
    expect(adc.report.floatTestCorrect! - adc.report.testCorrect!).toBeLessThanOrEqual(3);
    const raw = await quantizeModel(MODEL, { ...quick, readout: 'none', weightBits: 4, inputBits: 1 });
    const last = raw.net.layers[raw.net.layers.length - 1];
    expect(isMatrixLayer(last) && last.activation.type).toBe('none');
    expect(raw.net.input.bits).toBe(1);
    expect(raw.net.weightBits).toBe(4);
  });

  it('writes int8 sidecars when asked, and they read back', async () => {
    const { doc } = one;
    const dir = mkdtempSync(join(tmpdir(), 'rram-quantize-'));
    const { files } = writeQuantizedNet(doc, join(dir, 'q.json'), { sidecars: 'always' });
    expect(readdirSync(dir).sort()).toEqual(['q.conv1.weights.bin', 'q.conv2.weights.bin', 'q.fc1.weights.bin', 'q.json']);
    expect(files[0]).toBe(join(dir, 'q.json'));
    expect(JSON.parse(readFileSync(join(dir, 'q.json'), 'utf8')).layers[0].weights).toEqual({ file: 'q.conv1.weights.bin', encoding: 'int8' });
    const { net } = loadNet(join(dir, 'q.json'));
    const conv1 = net.layers[0];
    expect(conv1.type === 'conv' && Array.from(conv1.weights)).toEqual((doc.layers as { weights: number[] }[])[0].weights);
  });
});
