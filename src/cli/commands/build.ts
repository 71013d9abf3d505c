import type { CommandModule } from 'yargs';
import { XBAR_FORMS, type XbarForm } from '../../emit/xbar-form.js';
import { buildNetFile } from '../../file-api.js';
import { checkTestbenchOptions } from '../vector-range.js';
import { EXIT, printJson, printWarnings, runCommand } from '../run.js';

interface Args { charts?: boolean; net: string; out?: string; tech?: string; vectors?: number; seed?: number; input?: string; skip?: number; count?: number; xbar?: XbarForm; json?: boolean; quiet?: boolean }

export const buildCommand: CommandModule<object, Args> = {
  command: 'build <net>',
  describe: 'Generate the RTL, file lists, self-checking testbench and manifest for a network',
  builder: (y) => y
    .positional('net', { type: 'string', demandOption: true, describe: 'network description (rram-gen/net@1 or net@2)' })
    .option('out', { type: 'string', alias: 'o', describe: 'output folder (default rtl-out/<name>)' })
    .option('vectors', { type: 'number', default: 8, describe: 'random testbench vectors (ignored with --input)' })
    .option('seed', { type: 'number', default: 1, describe: 'seed of the random testbench vectors' })
    .option('input', { type: 'string', describe: 'testbench vectors from a file (text vectors or IDX images)' })
    .option('skip', { type: 'number', describe: 'leave out the first N vectors of --input' })
    .option('count', { type: 'number', describe: 'use only the first N vectors of --input (after --skip); default all' })
    .option('tech', { type: 'string', describe: 'technology table for the estimate reports (default: the shipped 32 nm table)' })
    .option('xbar', { choices: XBAR_FORMS, default: 'rtl' as const, describe: 'crossbar tiles as RTL, or as black-box macros (behavioural models in sim-models/, interfaces in macros/)' })
    .option('charts', { type: 'boolean', describe: 'draw the charts of report.html (loads Vega: slower)' })
    .option('json', { type: 'boolean', describe: 'machine-readable output' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'print nothing on success' })
    .check(checkTestbenchOptions),
  handler: (args) => runCommand(args, async () => {
    const r = await buildNetFile(args.net, { outDir: args.out, tbVectors: args.vectors, seed: args.seed, inputFile: args.input, skip: args.skip, count: args.count, techFile: args.tech, xbar: args.xbar, charts: args.charts });
    printWarnings(r.warnings, args);
    if (args.json) printJson({ ok: true, outDir: r.outDir, manifest: r.manifest });
    else if (!args.quiet) {
      process.stdout.write(`wrote ${r.outDir}: ${r.manifest.files.length} RTL files, top ${r.manifest.top}, testbench ${r.manifest.testbenchTop} (${r.manifest.testbench.images} images)\n`);
      process.stdout.write(`plan: ${r.manifest.cyclesPerImage} cycles per image; estimate in report.md, report.html, report.json\n`);
    }
    return EXIT.ok;
  }),
};
