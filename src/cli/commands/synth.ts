import type { CommandModule } from 'yargs';
import { XBAR_FORMS, type XbarForm } from '../../emit/xbar-form.js';
import { synthNetFile } from '../../file-api.js';
import { SYNTH_TARGETS, type SynthTarget, YOSYS_CHOICES, type YosysChoice } from '../../synth/index.js';
import { endProgress, progressReporter } from '../progress.js';
import { diag, formatDiagnostic } from '../../diagnostics/index.js';
import { EXIT, printJson, printWarnings, runCommand } from '../run.js';

interface Args { net: string; out?: string; target: SynthTarget; xbar?: XbarForm; yosys: YosysChoice; json?: boolean; quiet?: boolean }

export const synthCommand: CommandModule<object, Args> = {
  command: 'synth <net>',
  describe: 'Build the RTL and synthesize it with Yosys (the system\'s, or npm @yowasp/yosys): cells, LUTs, flip-flops, memory bits per module',
  builder: (y) => y
    .positional('net', { type: 'string', demandOption: true, describe: 'network description (rram-gen/net@1 or net@2)' })
    .option('target', { choices: SYNTH_TARGETS, default: 'generic' as SynthTarget, describe: 'generic 6-input LUTs, or Lattice iCE40 (LUT4, carry, BRAM)' })
    .option('out', { type: 'string', alias: 'o', describe: 'output folder (default rtl-out/<name>)' })
    .option('xbar', { choices: XBAR_FORMS, default: 'rtl' as const, describe: 'crossbar tiles as RTL, or as black-box macros' })
    .option('yosys', { choices: YOSYS_CHOICES, default: 'auto' as YosysChoice, describe: 'which Yosys: the system\'s (0.23 or newer), npm\'s @yowasp/yosys (WebAssembly), or auto: the system\'s when its figures agree with npm\'s (0.55+) or npm\'s is not installed' })
    .option('json', { type: 'boolean', describe: 'machine-readable output' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'print nothing on success' }),
  handler: (args) => runCommand(args, async () => {
    const progress = progressReporter(args.quiet || args.json);
    const started = Date.now();
    const r = await synthNetFile(args.net, {
      outDir: args.out, target: args.target, xbar: args.xbar, yosys: args.yosys,
      onPass: progress && ((pass) => progress(`yosys: ${pass} (${Math.round((Date.now() - started) / 1000)} s)`)),
    });
    endProgress(progress);
    printWarnings(r.warnings, args);
    const { result } = r;
    if (args.json) printJson({ ok: result.ok, outDir: r.outDir, synth: result });
    else {
      for (const p of result.problems) process.stderr.write(`${formatDiagnostic(diag('synth-problem', '', p, r.outDir))}\n`);
      if (!args.quiet || !result.ok) {
        const t = result.stats.total;
        process.stdout.write(`${result.ok ? 'synthesized' : 'synthesis FAILED'}: ${result.top} (${result.target}, Yosys ${result.yosys} from ${result.yosysFrom}) in ${Math.round((Date.now() - started) / 100) / 10} s\n`);
        const perWeight = result.lutsPerWeight === null ? `${Object.values(t.blackBoxes).reduce((a, b) => a + b, 0)} black-box macros` : `${result.lutsPerWeight} LUTs per weight (${result.weights} weights)`;
        process.stdout.write(`total: ${t.cells} cells, ${t.luts} LUTs, ${t.flipFlops} flip-flops, ${t.memoryBits} memory bits; ${perWeight}\n`);
        process.stdout.write(`wrote ${r.outDir}: synth.json, synth.log, report.md section\n`);
      }
    }
    return result.ok ? EXIT.ok : EXIT.checkFailed;
  }),
};
