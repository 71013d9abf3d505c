// `quantize` of a model whose layers form a graph (residual adds, concats,
// forks): the graph method (graph-quantize.ts), its net@2 document, and the
// same checks as a chain's — validated, run by the golden model on the images
// the search scored (it must get exactly the predicted number right), scored
// on the test set next to the float model.
import { validateNetDocument } from '../ir/validate.js';
import type { DataSet } from './dataset.js';
import { evaluate, evaluateFloat } from './evaluate.js';
import type { FloatNet } from './float-net.js';
import { graphLayerDocs } from './graph-doc.js';
import { netDoc } from './integer.js';
import { GRAPH_SEARCH_IMAGES, type GraphOptions, quantizeGraph } from './graph-quantize.js';
import type { Maps } from './jobs.js';
import { baseName } from './model-layers.js';
import { type ThreadPool, sharedBytes } from './pool.js';
import type { QuantizeEvent, QuantizeReport, QuantizeResult } from './quantize.js';

export interface GraphModelArgs {
  float: FloatNet;
  modelPath: string;
  name: string;
  train: DataSet;
  test?: DataSet;
  o: Omit<GraphOptions, 'searchImages'> & { crossbar: { rows: number; cols: number }; threads: number; searchImages?: number };
  pool: ThreadPool;
  emit: (e: QuantizeEvent) => void;
  started: number;
}

export async function quantizeGraphModel(a: GraphModelArgs): Promise<QuantizeResult> {
  const { float, o, name, train, test, pool, emit } = a;
  const searchImages = Math.min(train.n, o.searchImages ?? GRAPH_SEARCH_IMAGES);
  const mode = o.actBits === 1 ? '1-bit' as const : `${o.actBits}-bit ADC` as const;
  emit({ type: 'start', model: a.modelPath, layers: float.layers.length, hidden: float.layers.length - 1, trainImages: searchImages, threads: Math.max(1, o.threads), mode });
  const q = quantizeGraph(float, train, { ...o, searchImages }, emit, a.modelPath);
  const description = `Quantized by rram-gen quantize from ${baseName(a.modelPath)} (a graph): ${o.actBits === 1
    ? `1-bit hidden maps (thresholds from a greedy search in topological order over t = i/${o.grid} on ${searchImages} training images, residual adds as extra crossbar rows of the conv before them)`
    : `${o.actBits}-bit ADC after every hidden layer (multi-bit baseline)`}, ${o.weightBits}-bit weights, ${o.inputBits}-bit input, ` +
    `re-scaling to the ${o.percentile}th percentile per channel; final read-out ${o.readout === 'adc' ? `${o.readoutBits}-bit ADC` : 'raw accumulator'}.`;
  const doc = netDoc({ name, description, input: float.input, inputBits: o.inputBits, weightBits: o.weightBits, crossbar: o.crossbar, layers: graphLayerDocs(q.nodes, q.names) });
  const { net, warnings } = validateNetDocument(doc, '<memory>', `<${name}>`);
  emit({ type: 'phase', text: 'checking the emitted network on the search images (golden model)' });
  const trainCorrect = await evaluate(pool, doc, inputMaps(q.search, o.inputBits));
  if (trainCorrect !== q.predictedCorrect) {
    throw new Error(`the emitted net scores ${trainCorrect} on the search images, the quantizer predicted ${q.predictedCorrect}`);
  }
  let testCorrect: number | undefined;
  let floatTestCorrect: number | undefined;
  if (test) {
    emit({ type: 'phase', text: 'scoring the test set (golden model and float model)' });
    testCorrect = await evaluate(pool, doc, inputMaps(test, o.inputBits));
    floatTestCorrect = await evaluateFloat(pool, float, test);
  }
  const report: QuantizeReport = {
    name, model: a.modelPath, mode, weightBits: o.weightBits, inputBits: o.inputBits, percentile: o.percentile, grid: o.grid, passes: 1, refine: 0,
    trainImages: searchImages, trainCorrect, ...(test ? { testImages: test.n, testCorrect, floatTestCorrect } : {}),
    layers: q.reports, warnings, threads: Math.max(1, o.threads), seconds: (Date.now() - a.started) / 1000,
  };
  return { doc, net, report };
}

/** The images as net.json sees them: each pixel's top `inputBits` bits. */
export function inputMaps(d: DataSet, inputBits: number): Maps {
  const x = sharedBytes(d.pixels.length);
  for (let i = 0; i < x.length; i++) x[i] = d.pixels[i] >> (8 - inputBits);
  const labels = sharedBytes(d.n);
  labels.set(d.labels);
  return { n: d.n, size: d.pixels.length / d.n, x, labels };
}
