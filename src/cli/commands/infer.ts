import type { CommandModule } from 'yargs';
import { inferFile } from '../../file-api.js';
import { EXIT, printJson, printWarnings, runCommand } from '../run.js';
import { checkVectorRange } from '../vector-range.js';

interface Args { net: string; input: string; trace?: boolean; skip?: number; count?: number; labels?: string; json?: boolean; quiet?: boolean }

export const inferCommand: CommandModule<object, Args> = {
  command: 'infer <net>',
  describe: 'Run the bit-exact golden model on input vectors and print the class of each',
  builder: (y) => y
    .positional('net', { type: 'string', demandOption: true, describe: 'network description (rram-gen/net@1 or net@2)' })
    .option('input', { type: 'string', demandOption: true, describe: 'input vectors: a text vector file (docs/vectors.md) or an IDX image file' })
    .option('skip', { type: 'number', describe: 'leave out the first N vectors' })
    .option('count', { type: 'number', describe: 'use only the first N vectors (after --skip)' })
    .option('labels', { type: 'string', describe: 'IDX label file: also print the accuracy' })
    .option('trace', { type: 'boolean', describe: "print every layer's output values" })
    .option('json', { type: 'boolean', describe: 'machine-readable output' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'print only the summary' })
    .check(checkVectorRange),
  handler: (args) => runCommand(args, () => {
    const { results, warnings, accuracy } = inferFile(args.net, args.input, args);
    printWarnings(warnings, args);
    if (args.json) {
      printJson({
        ok: true,
        results: results.map((r) => ({
          class: r.answer,
          output: Array.from(r.output),
          ...(r.trace ? { trace: r.trace.map((t) => ({ layer: t.name, shape: [t.shape.channels, t.shape.height, t.shape.width], values: Array.from(t.values) })) } : {}),
        })),
        ...(accuracy ? { accuracy } : {}),
      });
      return EXIT.ok;
    }
    const out: string[] = [];
    results.forEach((r, i) => {
      if (!args.quiet) out.push(`vector ${i}: class ${r.answer}  output [${Array.from(r.output).join(' ')}]`);
      if (!args.quiet && r.trace) {
        for (const t of r.trace) out.push(`  ${t.name} ${t.shape.channels}×${t.shape.height}×${t.shape.width}: ${Array.from(t.values).join(' ')}`);
      }
    });
    if (accuracy) out.push(`accuracy: ${accuracy.correct}/${accuracy.total} = ${(100 * accuracy.correct / accuracy.total).toFixed(2)}%`);
    process.stdout.write(out.length > 0 ? `${out.join('\n')}\n` : '');
    return EXIT.ok;
  }),
};
