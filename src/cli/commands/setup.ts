import type { CommandModule } from 'yargs';
import { diag, formatDiagnostic } from '../../diagnostics/index.js';
import type { ToolCheck } from '../../doctor/checks.js';
import { aptInstall, aptPrivilege, planSetup } from '../../doctor/setup.js';
import { EXIT, printJson, runCommand } from '../run.js';
import { formatTable } from '../table.js';

interface Args { check?: boolean; json?: boolean; quiet?: boolean }

const table = (checks: ToolCheck[]) => formatTable(['tool', 'status', 'version'], checks.map((c) => [c.tool, c.ok ? 'ok' : 'missing', c.version ?? '-']));

export const setupCommand: CommandModule<object, Args> = {
  command: 'setup',
  describe: 'Find Verilator (5.006+), a C++ compiler and Icarus Verilog; install what is missing with apt-get (with ccache and Yosys) when it can run, else print the command',
  builder: (y) => y
    .option('check', { type: 'boolean', describe: 'only report; install nothing' })
    .option('json', { type: 'boolean', describe: 'machine-readable output' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'print only problems' }),
  // Exit 0 when the required tools are there (after installing, if it did);
  // 2 when some are missing and it did not or could not install them (the
  // command is printed); 1 when apt-get ran but they are still missing.
  handler: (args) => runCommand(args, async () => {
    const say = (s: string) => { if (!args.quiet && !args.json) process.stdout.write(s); };
    let plan = await planSetup();
    say(table(plan.checks));
    let installed: string[] = [];
    if (plan.packages.length > 0 && !args.check) {
      const privilege = await aptPrivilege();
      if (privilege !== 'none') {
        say(`installing with apt-get${privilege === 'sudo' ? ' (sudo)' : ''}: ${plan.packages.join(' ')}\n`);
        const code = await aptInstall(plan.packages, privilege, args.quiet === true || args.json === true);
        installed = plan.packages;
        plan = await planSetup();
        say(table(plan.checks));
        if (plan.missing.length > 0) {
          const problem = diag('tool-failed', '', `apt-get ${code === 0 ? 'ran' : `exited with ${code}`}, but ${plan.missing.map((c) => `${c.tool} (${c.problem})`).join(', ')} still missing`);
          if (args.json) printJson({ ok: false, installed, tools: plan.checks, diagnostics: [problem] });
          process.stderr.write(`${formatDiagnostic(problem)}\n`);
          return EXIT.checkFailed;
        }
      }
    }
    const ok = plan.missing.length === 0;
    if (args.json) printJson({ ok, installed, tools: plan.checks, ...(plan.command ? { command: plan.command } : {}) });
    if (!ok) {
      const why = args.check ? '' : ' (apt-get needs root or sudo without a password)';
      process.stderr.write(`${formatDiagnostic(diag('tool-missing', '', `missing: ${plan.missing.map((c) => c.tool).join(', ')}${why}; install with: ${plan.command}`))}\n`);
      return EXIT.badInput;
    }
    if (plan.packages.length > 0) say(`optional, not installed: ${plan.packages.join(' ')} (${plan.command})\n`);
    say('ready: rram-gen sim and npm test have the tools they need\n');
    return EXIT.ok;
  }),
};
