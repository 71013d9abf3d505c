// After the first pass: more passes over the threshold layers (`--passes`),
// each search scoring the real network, and the per-column refinement
// (`--refine`). Both are exact: the current choice stays among the
// candidates, so neither loses training accuracy.
import { inPoolDocs } from './avg-pool.js';
import { binaryMaps, columnMaps } from './dataset.js';
import { evaluate } from './evaluate.js';
import { type ActivationDoc, columns, matrixDoc, netDoc } from './integer.js';
import type { Maps } from './jobs.js';
import { candidateRanks, layerJob } from './layer-passes.js';
import { sharedBytes, sharedInts } from './pool.js';
import type { Quantization, SearchedLayer } from './quantization.js';
import { type LayerReport, thresholdReport } from './quantize-report.js';
import { chooseReadout } from './readout.js';
import { inputEffects, readoutLevel, refineColumns, type RefineProblem } from './refine.js';
import { search } from './search.js';

/**
 * A later pass: each threshold layer, first to last, searched again over
 * the same candidates with every other layer as it stands (the weights
 * downstream stay those of the first pass). The tail is the rest of the
 * emitted network, read-out included, so each score is the real network's
 * training accuracy and the current threshold is among the candidates: a
 * pass never loses training accuracy.
 */
export async function revisit(q: Quantization, pass: number): Promise<LayerReport[]> {
  const { o } = q;
  const reports: LayerReport[] = [];
  let maps = q.trainMaps;
  let bits = o.inputBits;
  for (const [k, { seg, m, cands, docIndex }] of q.searched.entries()) {
    const t0 = Date.now();
    q.emit({ type: 'layer', layer: `${seg.name} (pass ${pass})`, index: k, of: q.searched.length, candidates: cands.length });
    const { ranks, F } = await candidateRanks(q, seg, m, cands, maps, bits);
    const tail = netDoc({ name: 'tail', input: seg.pooledShape, inputBits: 1, weightBits: o.weightBits, crossbar: o.crossbar,
      layers: q.docs.slice(docIndex + 1 + seg.pools.length) });
    // No race here: the current threshold must stay in, or a pass could lose accuracy.
    const best = await search(q, `${seg.name} (pass ${pass})`, ranks, F, maps, cands.map(() => tail), cands.map((c) => c.t), false);
    q.docs[docIndex] = matrixDoc(seg, m, { type: 'threshold', thresholds: Array.from(cands[best.candidate].T) });
    maps = binaryMaps(ranks, best.candidate, maps, F);
    bits = 1;
    q.searched[k].chosen.fill(best.candidate);
    q.margins = best.margins;
    q.predictedCorrect = best.correct;
    const { name, ...rest } = thresholdReport(seg.name, cands, best);
    const report: LayerReport = { name, pass, ...rest, seconds: (Date.now() - t0) / 1000 };
    reports.push(report);
    q.emit({ type: 'layer-done', report });
  }
  return reports;
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
export async function refine(q: Quantization): Promise<LayerReport[]> {
  const { o } = q;
  const reports: LayerReport[] = [];
  for (let sweep = 1; sweep <= o.refine; sweep++) {
    const before = q.predictedCorrect;
    const results = await currentResults(q);
    let finalAcc: Int32Array | undefined;
    let maps = q.trainMaps;
    let bits = o.inputBits;
    for (const [k, layer] of q.searched.entries()) {
      const t0 = Date.now();
      const { seg, m, cands, docIndex, chosen } = layer;
      const last = k === q.searched.length - 1;
      const label = `${seg.name} (per column, sweep ${sweep})`;
      q.emit({ type: 'layer', layer: label, index: k, of: q.searched.length, candidates: cands.length });
      const { ranks, F } = await candidateRanks(q, seg, m, cands, maps, bits);
      const was = Int32Array.from(chosen);
      if (last) finalAcc = await refineLinear(q, layer, ranks, F);
      else await refineBySearch(q, layer, ranks, F, maps, results, (c, of) => `${label} column ${c + 1}/${of}`, k);
      const thresholds = Array.from(chosen, (i, c) => cands[i].T[c]);
      q.docs[docIndex] = matrixDoc(seg, m, { type: 'threshold', thresholds });
      maps = columnMaps(ranks, chosen, maps, F);
      bits = 1;
      const perColumn = { sweep, moved: chosen.filter((i, c) => i !== was[c]).length };
      const report: LayerReport = {
        name: seg.name, perColumn, activation: 'threshold', thresholds: { min: Math.min(...thresholds), max: Math.max(...thresholds) },
        candidates: cands.length, trainCorrect: q.predictedCorrect, seconds: (Date.now() - t0) / 1000,
      };
      reports.push(report);
      q.emit({ type: 'layer-done', report });
    }
    const readout = finalAcc && readoutReport(q, finalAcc, sweep);
    if (readout) reports.push(readout);
    if (q.predictedCorrect === before) break;
  }
  return reports;
}

/** One layer's columns, each searched over the layer's candidates with the others fixed. */
export async function refineBySearch(q: Quantization, layer: SearchedLayer, ranks: Uint8Array, F: number, maps: Maps, results: { oks: Uint8Array; margins: Int32Array },
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
  const tail = netDoc({ name: 'tail', input: seg.pooledShape, inputBits: 1, weightBits: q.o.weightBits, crossbar: q.o.crossbar,
    layers: q.docs.slice(docIndex + 1 + seg.pools.length) });
  const tails = cands.map(() => tail);
  for (let c = 0; c < O; c++) {
    for (let img = 0; img < n; img++) free.set(ranks.subarray(img * F + c * P, img * F + (c + 1) * P), img * F + c * P);
    q.emit({ type: 'layer', layer: label(c, O), index: k, of: q.searched.length, candidates: cands.length });
    // Images whose column-c bits are those of its current candidate keep their result.
    const known = { from: c * P, to: (c + 1) * P, candidate: chosen[c], ...results };
    // Exact: one column's candidates differ on few images, and the column's current threshold must stay in.
    const best = await search(q, label(c, O), free, F, maps, tails, cands.map((x) => x.t), false, known);
    chosen[c] = best.candidate;
    q.margins = results.margins = best.margins;
    results.oks = best.oks;
    q.predictedCorrect = best.correct;
    fix(c);
  }
}

/** Every training image's result (right or not, margin) under the network as it stands. */
export async function currentResults(q: Quantization): Promise<{ oks: Uint8Array; margins: Int32Array }> {
  const { o } = q;
  const doc = netDoc({ name: 'current', input: q.float.input, inputBits: o.inputBits, weightBits: o.weightBits, crossbar: o.crossbar, layers: q.docs });
  const results = { oks: sharedBytes(q.trainMaps.n), margins: sharedInts(q.trainMaps.n) };
  const correct = await evaluate(q.pool, doc, q.trainMaps, results);
  if (correct !== q.predictedCorrect) throw new Error(`the network scores ${correct} on the training set, the search predicted ${q.predictedCorrect}`);
  q.margins = results.margins;
  return results;
}

/** The last hidden layer's columns, one sweep of refine.ts's coordinate descent; gives the final layer's raw outputs after it. */
export async function refineLinear(q: Quantization, layer: SearchedLayer, ranks: Uint8Array, F: number): Promise<Int32Array> {
  const { segs, o } = q;
  const { seg, cands, chosen } = layer;
  const finalSeg = segs[segs.length - 1];
  const finalMatrix = q.finalMatrix!;
  const { n, labels } = q.trainMaps;
  const O = columns(finalSeg);
  const acc = sharedInts(n * O);
  await q.pool.run(layerJob(q, finalSeg, finalMatrix, { type: 'none' }, columnMaps(ranks, chosen, q.trainMaps, F), 1, { type: 'acc', out: acc }));
  q.effect ??= inputEffects(netDoc({ name: 'readout', input: seg.pooledShape, inputBits: 1, weightBits: o.weightBits, crossbar: o.crossbar,
    layers: [...inPoolDocs(finalSeg), matrixDoc(finalSeg, finalMatrix, { type: 'none' })] }), F, O);
  const problem: RefineProblem = {
    ranks, F, channels: columns(seg), count: cands.length, acc, outputs: O, labels, effect: q.effect,
    level: readoutLevel(q.docs[q.docs.length - 1].activation as ActivationDoc), chosen,
  };
  const r = refineColumns(problem, 1, (_, column) => {
    q.emit({ type: 'phase', text: `${seg.name} (per column): column ${column + 1}/${problem.channels}` });
  });
  q.predictedCorrect = r.correct;
  return acc;
}

/** After a refinement sweep: the read-out chosen again for the new outputs, kept only if it scores better. */
export function readoutReport(q: Quantization, finalAcc: Int32Array, sweep: number): LayerReport | undefined {
  const { segs } = q;
  const finalSeg = segs[segs.length - 1];
  const readout = q.docs[q.docs.length - 1].activation as ActivationDoc;
  if (readout.type !== 'adc') return undefined;
  const again = chooseReadout(finalAcc, q.trainMaps.labels, columns(finalSeg), readout.bits);
  const better = again.correct > q.predictedCorrect;
  const activation = better ? { type: 'adc' as const, bits: readout.bits, offset: again.offset, step: again.step } : readout;
  if (better) {
    q.docs[q.docs.length - 1] = matrixDoc(finalSeg, q.finalMatrix!, activation);
    q.predictedCorrect = again.correct;
  }
  const report: LayerReport = { name: finalSeg.name, perColumn: { sweep, moved: better ? 1 : 0 }, activation: 'adc', adc: { bits: activation.bits, offset: activation.offset, step: activation.step }, trainCorrect: q.predictedCorrect, seconds: 0 };
  q.emit({ type: 'layer-done', report });
  return report;
}
