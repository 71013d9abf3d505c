// The rram-gen command line: yargs command modules over the library API.
import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { GENERATOR_VERSION } from '../package-info.js';
import { diag, formatDiagnostic } from '../diagnostics/index.js';
import { EXIT } from './run.js';

// Each command's module, loaded on demand: a command loads only its own part of
// the library (build does not load the quantizer, the device model or the
// doctor), which keeps the fixed cost of a small build low. `--help` and an
// unknown first word load them all, so help lists every command.
const COMMANDS: Record<string, () => Promise<CommandModule<object, any>>> = {
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  infer: async () => (await import('./commands/infer.js')).inferCommand,
  quantize: async () => (await import('./commands/quantize.js')).quantizeCommand,
  build: async () => (await import('./commands/build.js')).buildCommand,
  sim: async () => (await import('./commands/sim.js')).simCommand,
  estimate: async () => (await import('./commands/estimate.js')).estimateCommand,
  synth: async () => (await import('./commands/synth.js')).synthCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  setup: async () => (await import('./commands/setup.js')).setupCommand,
  variation: async () => (await import('./commands/variation.js')).variationCommand,
};

/**
 * Whether yargs will print help: --help, or -h alone or among short flags
 * (-qh), before any `--`. yargs renders a command's help after running it
 * even when nobody asked (and our fail() prints one line, never the help);
 * wrapping that text measures the width of every character, tens of ms of a
 * small build, so the help is wrapped only when it will be shown.
 */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => /^--help(=|$)/.test(a) || /^-[^-]*h/.test(a));
}

export async function main(argv: string[]): Promise<void> {
  const args = hideBin(argv);
  const named = Object.hasOwn(COMMANDS, args[0] ?? '') ? [COMMANDS[args[0]]] : Object.values(COMMANDS);
  const commands = await Promise.all(named.map((load) => load()));
  let cli = yargs(args)
    .scriptName('rram-gen')
    .version(GENERATOR_VERSION)
    .usage('$0 <command> [options]\n\nCompile a quantized CNN into Verilog for an RRAM-crossbar accelerator with 1-bit intermediate data.');
  for (const command of commands) cli = cli.command(command);
  await cli
    .demandCommand(1, 'name a command')
    .strict()
    .help()
    .alias('h', 'help')
    .wrap(asksForHelp(args) ? Math.min(100, process.stdout.columns ?? 100) : null)
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
