import type { CommandModule } from 'yargs';
import { validateNetFile } from '../../file-api.js';
import { EXIT, printJson, printWarnings, runCommand } from '../run.js';
import { formatTable } from '../table.js';

interface Args { net: string; json?: boolean; quiet?: boolean }

export const validateCommand: CommandModule<object, Args> = {
  command: 'validate <net>',
  describe: 'Check a net.json and print per layer its output shape, weight count and crossbar tiles',
  builder: (y) => y
    .positional('net', { type: 'string', demandOption: true, describe: 'network description (rram-gen/net@1 or net@2)' })
    .option('json', { type: 'boolean', describe: 'machine-readable output' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'print nothing on success' }),
  handler: (args) => runCommand(args, () => {
    const { summary, warnings } = validateNetFile(args.net);
    printWarnings(warnings, args);
    if (args.json) {
      printJson({ ok: true, summary, warnings });
    } else if (!args.quiet) {
      process.stdout.write(`${summary.name}: input ${summary.input}, ${summary.weightBits}-bit weights, ${summary.crossbar} crossbar\n`);
      process.stdout.write(formatTable(
        ['layer', 'type', 'activation', 'output', 'bits', 'weights', 'tiles', 'cycles/image'],
        summary.layers.map((l) => [l.name, l.type, l.activation, l.output, l.outputBits, l.weights, l.tiles === 0 ? '-' : `${l.tiles} (${l.tileGrid})`, l.cyclesPerImage]),
      ));
      process.stdout.write(`total: ${summary.totalWeights} weights on ${summary.totalTiles} tiles (${summary.cellsPerWeight} cells per weight at ${summary.bitsPerCell} bits per cell); ${summary.cyclesPerImage} cycles per image (pipeline bound)\n`);
    }
    return EXIT.ok;
  }),
};
