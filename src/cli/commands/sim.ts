import type { CommandModule } from 'yargs';
import { XBAR_FORMS, type XbarForm } from '../../emit/xbar-form.js';
import { simulateNetFile } from '../../file-api.js';
import { DEFAULT_SIM_VECTORS, type SimReport } from '../../sim/simulate.js';
import { endProgress, progressReporter } from '../progress.js';
import { EXIT, printJson, printWarnings, runCommand } from '../run.js';
import { checkTestbenchOptions } from '../vector-range.js';

interface Args {
  net: string; vectors: number; seed: number; input?: string; 'stall-prob': number;
  labels?: string; skip?: number; count?: number; xbar?: XbarForm; cache: boolean; json?: boolean; quiet?: boolean;
}

export const simCommand: CommandModule<object, Args> = {
  command: 'sim <net>',
  describe: 'Build the RTL with Verilator, stream vectors through it and compare every layer with the golden model',
  builder: (y) => y
    .positional('net', { type: 'string', demandOption: true, describe: 'network description (rram-gen/net@1 or net@2)' })
    .option('vectors', { type: 'number', default: DEFAULT_SIM_VECTORS, describe: 'number of random input vectors' })
    .option('seed', { type: 'number', default: 1, describe: 'seed of the random vectors and stalls' })
    .option('input', { type: 'string', alias: 'input-idx', describe: 'input vectors from a file (text vectors or IDX images) instead of random ones' })
    .option('labels', { type: 'string', describe: 'IDX labels of --input: also report the accuracy measured on the RTL' })
    .option('skip', { type: 'number', describe: 'leave out the first N vectors of --input (split a long run into parts)' })
    .option('count', { type: 'number', describe: 'use only the first N vectors of --input (after --skip)' })
    .option('stall-prob', { type: 'number', default: 0, describe: 'probability per cycle of a stall on the input and on the output side' })
    .option('xbar', { choices: XBAR_FORMS, default: 'rtl' as const, describe: 'simulate the RTL tiles, or the macros\' behavioural models' })
    .option('cache', { type: 'boolean', default: true, describe: 'keep the Verilator model in $RRAM_GEN_CACHE, else $XDG_CACHE_HOME/rram-gen, else ~/.cache/rram-gen (--no-cache: a temporary folder)' })
    .option('json', { type: 'boolean', describe: 'machine-readable output' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'print only the final line' })
    .check((a) => {
      if (!(a['stall-prob'] >= 0 && a['stall-prob'] < 1)) throw new Error('--stall-prob must be in [0, 1)');
      return checkTestbenchOptions(a);
    }),
  handler: (args) => runCommand(args, async () => {
    const progress = progressReporter(args.quiet || args.json);
    const { report, warnings } = await simulateNetFile(args.net, {
      vectors: args.vectors, seed: args.seed, inputFile: args.input, labelsFile: args.labels, skip: args.skip, count: args.count,
      stallProb: args['stall-prob'], xbar: args.xbar, cache: args.cache, onProgress: progress,
    }).finally(() => endProgress(progress));
    printWarnings(warnings, args);
    if (args.json) printJson({ ok: report.failed === 0, report });
    else process.stdout.write(formatReport(report, args.quiet === true));
    return report.failed === 0 ? EXIT.ok : EXIT.checkFailed;
  }),
};

function formatReport(r: SimReport, quiet: boolean): string {
  const lines: string[] = [];
  if (!quiet) {
    const m = r.model;
    lines.push(`sim ${r.network}: ${r.images} vectors`);
    lines.push(`verilator model ${m.hash}: ${m.cached ? 'cached' : `built in ${m.buildSeconds.toFixed(1)} s`}; simulated in ${r.simSeconds.toFixed(2)} s (${(r.images / r.simSeconds).toFixed(1)} images/s)`);
    const c = r.cycles;
    lines.push(c.perImageMeasured !== undefined
      ? `cycles per image: measured ${c.perImageMeasured.toFixed(1)}, plan bound ${c.perImageBound} (ratio ${c.ratio!.toFixed(3)})`
      : `cycles per image: plan bound ${c.perImageBound} (at least 3 vectors needed to measure)`);
    if (r.accuracy) {
      const a = r.accuracy;
      lines.push(`accuracy on the RTL: ${a.rtl}/${a.total} = ${(100 * a.rtl / a.total).toFixed(2)}% (golden model: ${(100 * a.golden / a.total).toFixed(2)}%)`);
    }
    if (r.firstMismatch) {
      const f = r.firstMismatch;
      lines.push(`first mismatch: image ${f.image}, layer ${f.layer}: ${f.detail}`);
    }
  }
  lines.push(`${r.passed} passed, ${r.failed} failed`);
  return `${lines.join('\n')}\n`;
}
