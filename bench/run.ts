// `npm run bench`: the benchmarks of issue 8, one table on stdout and
// bench/results.json. Every figure is the median of several runs with min
// and max; every speed also as a ratio to a reference measured in the same
// run; every measured process's peak RSS. Not part of `npm test`, and no
// time is asserted anywhere.
//
//   npm run bench                                  all sections, 3 runs each
//   npm run bench -- --only golden,build           some sections (build, golden, quantize, rtl)
//   npm run bench -- --skip quantize --runs 5
//   npm run bench -- --only quantize --train-count 6000 --runs 1
//   npm run bench -- --quantize-runs 1 --rtl-runs 1   the slow sections (minutes per run) once
//   npm run bench -- --only golden,rtl --merge     re-measure some sections, keep the other sections'
//                                                  rows of bench/results.json (named as an earlier run)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, finishMachineInfo, machineInfo } from './lib/machine.js';
import { hasGnuTime } from './lib/measure.js';
import { type EarlierRun, type Results, type Row, formatTable } from './lib/rows.js';
import type { Context } from './sections/context.js';
import { benchGenerator } from './sections/generator.js';
import { benchGolden } from './sections/golden.js';
import { benchQuantize } from './sections/quantize.js';
import { benchRtl } from './sections/rtl.js';

// In this order: later sections use the golden model's rates as references.
const SECTIONS: Record<string, (ctx: Context) => Row[]> = { build: benchGenerator, golden: benchGolden, quantize: benchQuantize, rtl: benchRtl };

const { values: o } = parseArgs({
  options: {
    only: { type: 'string' },
    skip: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'quantize-runs': { type: 'string' },
    'rtl-runs': { type: 'string' },
    'train-count': { type: 'string' },
    'sim-images': { type: 'string', default: '500' },
    'golden-images': { type: 'string', default: '2000' },
    batch: { type: 'string', default: '1000' },
    out: { type: 'string', default: 'bench/results.json' },
    quiet: { type: 'boolean', short: 'q', default: false },
    merge: { type: 'boolean', default: false },
  },
});
const list = (s: string | undefined) => (s === undefined ? [] : s.split(',').map((x) => x.trim()).filter(Boolean));
const only = list(o.only);
const skip = list(o.skip);
for (const name of [...only, ...skip]) {
  if (!(name in SECTIONS)) fail(`unknown section "${name}" (sections: ${Object.keys(SECTIONS).join(', ')})`);
}
const positive = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= 1)) fail(`--${name} must be a positive integer, got ${v}`);
  return n;
};
const tty = process.stderr.isTTY === true && !o.quiet;
const work = mkdtempSync(`${tmpdir()}/rram-gen-bench-`);
const ctx: Context = {
  runs: positive('runs', o.runs),
  work,
  say: (msg) => { if (tty) process.stderr.write(`\r\x1b[K${msg}`); },
  goldenRate: new Map(),
  quantizeRuns: positive('quantize-runs', o['quantize-runs'] ?? o.runs),
  rtlRuns: positive('rtl-runs', o['rtl-runs'] ?? o.runs),
  ...(o['train-count'] !== undefined ? { trainCount: positive('train-count', o['train-count']) } : {}),
  simImages: positive('sim-images', o['sim-images']),
  goldenImages: positive('golden-images', o['golden-images']),
  batch: positive('batch', o.batch),
};

const previous = o.merge && existsSync(o.out) ? JSON.parse(readFileSync(o.out, 'utf8')) as Results : undefined;

const machine = machineInfo();
const rows: Row[] = [];
const ran: string[] = [];
try {
  for (const [name, section] of Object.entries(SECTIONS)) {
    if ((only.length > 0 && !only.includes(name)) || skip.includes(name)) continue;
    rows.push(...section(ctx));
    ran.push(name);
    save(); // after every section: a long run stopped half-way keeps what it measured
  }
} finally {
  if (tty) process.stderr.write('\r\x1b[K');
  rmSync(work, { recursive: true, force: true });
}
const { done, settings } = save();
process.stdout.write(`${describeMachine(done)}\n${JSON.stringify(settings)}${hasGnuTime ? '' : ' (no /usr/bin/time: no CPU or memory figures)'}\n\n${formatTable(rows)}\n`);

function save() {
  const done = finishMachineInfo(machine);
  const settings = { runs: ctx.runs, quantizeRuns: ctx.quantizeRuns, rtlRuns: ctx.rtlRuns, sections: ran, trainCount: ctx.trainCount ?? 60000,
    simImages: ctx.simImages, goldenImages: ctx.goldenImages, batch: ctx.batch };
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(`${o.out}.tmp`, `${JSON.stringify({ machine: done, settings, ...merged(rows) }, null, 2)}\n`);
  renameSync(`${o.out}.tmp`, o.out);
  return { done, settings };
}

/** With --merge: this run's rows, and the previous file's rows of the sections this run did not measure, in table order. */
function merged(fresh: Row[]): Pick<Results, 'rows' | 'earlierRuns'> {
  if (previous === undefined) return { rows: fresh };
  const measured = new Set(fresh.map((r) => r.section));
  const kept = previous.rows.filter((r) => !measured.has(r.section));
  const order = [...new Set([...previous.rows, ...fresh].map((r) => r.section))];
  const rows = order.flatMap((section) => (measured.has(section) ? fresh : kept).filter((r) => r.section === section));
  // Each earlier run names the sections it still provides; the previous run
  // itself provided the sections no run before it did.
  const keptSections = new Set(kept.map((r) => r.section));
  const before = previous.earlierRuns ?? [];
  const own = [...new Set(previous.rows.map((r) => r.section))].filter((sec) => !before.some((e) => e.sections.includes(sec)));
  const earlier = [...before, { machine: previous.machine, settings: previous.settings, sections: own }]
    .map((e) => ({ ...e, sections: e.sections.filter((sec) => keptSections.has(sec)) }))
    .filter((e) => e.sections.length > 0);
  return { rows, earlierRuns: earlier };
}

function fail(msg: string): never {
  console.error(`bench: ${msg}`);
  process.exit(2);
}
