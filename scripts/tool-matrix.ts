// The hand-off check of issue 15: every bundled example's build folder, read
// by each tool exactly as an integrator would, with no extra flags:
//   lint     verilator --lint-only -Wall -f files.f --top-module <top>   (no output, exit 0)
//   icarus   iverilog -g2012 -o tb.vvp -f tb.f && vvp -n tb.vvp          (prints PASS)
//   yosys    yosys -p "read_verilog -sv <files.f>; hierarchy -check -top <top>; proc; synth -top <top>"
//            (--yosys read stops after proc: elaboration only, for nets whose
//            full synthesis takes longer than this machine can spare)
//   sim      rram-gen sim <net> --vectors N: the Verilator model bit-exact against
//            the golden model on every inter-layer beat, with random stalls (--sim N, N > 0)
// Prints a Markdown table example × tool; exits 1 when any cell fails.
//
//   npx tsx scripts/tool-matrix.ts                       all examples, full synth for tiny and lenet.json
//   npx tsx scripts/tool-matrix.ts --nets a.json b.json --yosys synth
//   npx tsx scripts/tool-matrix.ts --cifar --yosys read --sim 20
//       the CIFAR-10-shaped scale net of examples/make-cifar.ts (seed 10), made
//       into a temporary folder: build, plain lint, Icarus, Yosys read, Verilator sim
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { buildNetFile } from '../src/index.js';

const CLI = join(import.meta.dirname, '..', 'bin', 'rram-gen.js');

const { values, positionals } = parseArgs({
  options: {
    nets: { type: 'string', multiple: true },
    yosys: { type: 'string' }, // synth | read; default: synth for examples/*.json, read for the MNIST nets
    vectors: { type: 'string', default: '4' },
    sim: { type: 'string', default: '0' },
    cifar: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});
const nets = [...(values.nets ?? []), ...positionals];
const madeDir = mkdtempSync(join(tmpdir(), 'rram-gen-matrix-nets-'));
if (values.cifar) {
  const cifar = join(madeDir, 'cifar.json');
  await execa('npx', ['tsx', join(import.meta.dirname, '..', 'examples', 'make-cifar.ts'), cifar, '--seed', '10']);
  nets.push(cifar);
}
if (nets.length === 0) {
  nets.push(...readdirSync('examples').filter((f) => f.endsWith('.json')).sort().map((f) => join('examples', f)));
  nets.push(...readdirSync('examples/mnist').filter((f) => f.endsWith('.json')).sort().map((f) => join('examples/mnist', f)));
}

type Cell = { ok: boolean; note: string; seconds: number; out: string };
async function tool(cmd: string, args: string[], cwd: string, pass: (out: string, code: number) => boolean): Promise<Cell> {
  const t0 = performance.now();
  const r = await execa('nice', [cmd, ...args], { cwd, reject: false, all: true, timeout: 3_600_000 });
  const out = r.all ?? '';
  const ok = pass(out, r.exitCode ?? 1);
  const firstBad = out.split('\n').find((l) => /error|warning|FAIL|sorry/i.test(l)) ?? '';
  return { ok, note: ok ? '' : (firstBad || out.slice(-200)).slice(0, 160), seconds: (performance.now() - t0) / 1000, out };
}

const simVectors = Number(values.sim);
const rows: string[] = [
  `| example | widest literal (bits) | Verilator lint | Icarus tb | Yosys |${simVectors > 0 ? ' rram-gen sim |' : ''}`,
  `|---|---:|---|---|---|${simVectors > 0 ? '---|' : ''}`,
];
let failed = 0;
for (const net of nets) {
  const dir = mkdtempSync(join(tmpdir(), 'rram-gen-matrix-'));
  try {
    const built = await buildNetFile(net, { outDir: join(dir, 'out'), tbVectors: Number(values.vectors) });
    const out = built.outDir;
    const top = built.manifest.top;
    const files = readFileSync(join(out, 'files.f'), 'utf8').split('\n').filter(Boolean);
    const widest = Math.max(...files.map((f) => Math.max(0, ...[...readFileSync(join(out, f), 'utf8').matchAll(/\b(\d+)'[sS]?[hHbBdDoO]/g)].map((m) => Number(m[1])))));
    const lint = await tool('verilator', ['--lint-only', '-Wall', '-f', 'files.f', '--top-module', top], out, (o, c) => c === 0 && o.trim() === '');
    const ivc = await tool('iverilog', ['-g2012', '-o', 'tb.vvp', '-f', 'tb.f'], out, (_o, c) => c === 0);
    const ivr = ivc.ok ? await tool('vvp', ['-n', 'tb.vvp'], out, (o, c) => c === 0 && /^PASS/m.test(o)) : ivc;
    const mode = values.yosys ?? (net.includes('mnist') ? 'read' : 'synth');
    const script = `read_verilog -sv ${files.join(' ')}; hierarchy -check -top ${top}; proc${mode === 'synth' ? `; synth -top ${top}` : ''}`;
    const ys = await tool('yosys', ['-q', '-p', script], out, (o, c) => c === 0 && !/ERROR/.test(o));
    const cell = (c: Cell, what: string) => (c.ok ? `pass (${what}${c.seconds.toFixed(0)} s)` : `**FAIL**: ${c.note.replace(/\|/g, '\\|')}`);
    // sim prints "<n> passed, 0 failed" and its images/s; exit 0 only when every image matched.
    const sim = simVectors > 0
      ? await tool('node', [CLI, 'sim', join(process.cwd(), net), '--vectors', String(simVectors)], out, (o, c) => c === 0 && new RegExp(`^${simVectors} passed, 0 failed`, 'm').test(o))
      : undefined;
    const rate = sim?.ok ? / \(([\d.]+ images\/s)\)/.exec(sim.out)?.[1] ?? '' : '';
    rows.push(`| ${net} | ${widest} | ${cell(lint, '')} | ${cell(ivr, `${values.vectors} images, `)} | ${cell(ys, mode === 'synth' ? 'synth, ' : 'read+proc, ')} |${sim ? ` ${cell(sim, `${simVectors} images bit-exact, ${rate}, `)} |` : ''}`);
    if (!lint.ok || !ivr.ok || !ys.ok || (sim && !sim.ok)) failed++;
  } catch (e) {
    rows.push(`| ${net} | – | **FAIL**: ${(e as Error).message.slice(0, 160)} | | |`);
    failed++;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stderr.write(`${rows[rows.length - 1]}\n`);
}
rmSync(madeDir, { recursive: true, force: true });
process.stdout.write(`${rows.join('\n')}\n`);
process.exit(failed > 0 ? 1 : 0);
