import type { CommandModule } from 'yargs';
import { runDoctor } from '../../doctor/checks.js';
import { EXIT, printJson, runCommand } from '../run.js';
import { formatTable } from '../table.js';

interface Args { json?: boolean; quiet?: boolean }

export const doctorCommand: CommandModule<object, Args> = {
  command: 'doctor',
  describe: 'Check the external tools (Verilator, C++ compiler, Icarus, Yosys via npm, Chromium, …): present, usable, what each enables, how to install',
  builder: (y) => y
    .option('json', { type: 'boolean', describe: 'machine-readable output' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'print only what is missing' }),
  // Exit 0 when every tool the tests need runs; 1 (check failed) otherwise. Optional tools never fail it.
  handler: (args) => runCommand(args, async () => {
    const checks = await runDoctor();
    const missing = checks.filter((c) => !c.ok);
    const blocking = missing.filter((c) => c.neededByTests);
    if (args.json) {
      printJson({ ok: blocking.length === 0, tools: checks });
    } else {
      if (!args.quiet) {
        process.stdout.write(formatTable(
          ['tool', 'status', 'version', 'enables'],
          checks.map((c) => [c.tool, c.ok ? 'ok' : c.neededByTests ? 'MISSING' : 'missing (optional)', c.version ?? '-', c.enables]),
        ));
      }
      for (const c of missing) process.stdout.write(`${c.tool}: ${c.problem}\n  install: ${c.install}\n`);
      if (!args.quiet || blocking.length > 0) {
        process.stdout.write(blocking.length === 0
          ? 'everything the tests need is present\n'
          : `missing for the tests: ${blocking.map((c) => c.tool).join(', ')}\n`);
      }
    }
    return blocking.length === 0 ? EXIT.ok : EXIT.checkFailed;
  }),
};
