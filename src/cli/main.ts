// The rram-gen command line: yargs command modules over the library API.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { GENERATOR_VERSION } from '../package-info.js';
import { diag, formatDiagnostic } from '../diagnostics/index.js';
import { EXIT } from './run.js';
import { validateCommand } from './commands/validate.js';
import { inferCommand } from './commands/infer.js';
import { quantizeCommand } from './commands/quantize.js';
import { buildCommand } from './commands/build.js';
import { simCommand } from './commands/sim.js';
import { estimateCommand } from './commands/estimate.js';
import { synthCommand } from './commands/synth.js';
import { doctorCommand } from './commands/doctor.js';
import { setupCommand } from './commands/setup.js';
import { variationCommand } from './commands/variation.js';

export async function main(argv: string[]): Promise<void> {
  await yargs(hideBin(argv))
    .scriptName('rram-gen')
    .version(GENERATOR_VERSION)
    .usage('$0 <command> [options]\n\nCompile a quantized CNN into Verilog for an RRAM-crossbar accelerator with 1-bit intermediate data.')
    .command(validateCommand)
    .command(inferCommand)
    .command(quantizeCommand)
    .command(buildCommand)
    .command(simCommand)
    .command(estimateCommand)
    .command(synthCommand)
    .command(doctorCommand)
    .command(setupCommand)
    .command(variationCommand)
    .demandCommand(1, 'name a command')
    .strict()
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .epilog('Exit codes: 0 ok, 1 check failed, 2 bad input or usage, 3 internal error.')
    // Usage problems: yargs's own (msg) and those our .check() functions throw
    // (err; command handlers catch their own errors in runCommand). Printed
    // like every other error: `error: … [usage]`.
    .fail((msg, err) => {
      const text = String(msg ?? err?.message).replace(/:?\s*\n\s*/g, ': '); // yargs's "Invalid values:\n  Argument: …" on one line
      process.stderr.write(`${formatDiagnostic(diag('usage', '', `${text} (rram-gen --help lists the options)`))}\n`);
      process.exit(EXIT.badInput);
    })
    .parseAsync();
}
