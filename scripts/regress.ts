// The MNIST regression on the RTL: every committed MNIST network
// (examples/mnist/*-1bit.json, *-8bit.json) runs the 10,000 MNIST test images
// through its Verilator model with `rram-gen sim`, which compares every
// inter-layer beat with the golden model and counts the RTL's correct classes.
// Writes regress/results.json and regress/results.md; exits 1 when any image
// mismatches or the RTL accuracy differs from the golden model's.
// Long (minutes per network), so not part of `npm test`.
//
//   npm run regress                     all 10,000 images (builds dist first)
//   npm run regress -- --count 500      a quick run on the first 500
//   npm run regress -- --nets examples/mnist/small-1bit.json --out /tmp/r
//   npm run regress -- --nets examples/mnist/deep-1bit.json --merge
//       run one net and keep the other rows of regress/results.json (each row
//       names its net file's SHA-256, run date and commit, so a stale row shows)
//   npm run regress -- --nets examples/mnist/lenet5-1bit.json --jobs 2 --merge
//       split each net's images into 2 parts simulated side by side (sim --skip/--count),
//       one per core; the row counts every image once and quotes the combined images/s
//   npm run regress -- --no-run --merge-from /tmp/a/results.json --merge-from /tmp/b/results.json
//       only combine the rows of runs made apart (e.g. in parallel) into regress/
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type MachineInfo, describeMachine, finishMachineInfo, machineInfo } from '../bench/lib/machine.js';
import { CLI, MNIST_TEST, type Measured, measure, measureAsync } from '../bench/lib/measure.js';
import { mnistNets } from '../bench/lib/mnist-nets.js';

interface Row {
  net: string;
  /** First 12 hex digits of the net file's SHA-256: which version of the file was run. */
  netSha256: string;
  date: string;
  commit: string;
  images: number;
  passed: number;
  mismatches: number;
  rtlCorrect: number;
  goldenCorrect: number;
  rtlAccuracy: number;
  goldenAccuracy: number;
  simSeconds: number;
  imagesPerSecond: number;
  verilatorBuildSeconds: number;
  verilatorCached: boolean;
  /** Simulations run side by side on parts of the images (1 when absent). */
  jobs?: number;
  cyclesPerImage?: number;
  cyclesBound: number;
  wallSeconds: number;
  peakRssMiB?: number;
  ok: boolean;
  firstMismatch?: string;
  error?: string;
}

const { values: opts } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    jobs: { type: 'string', default: '1' },
    nets: { type: 'string', multiple: true },
    out: { type: 'string', default: 'regress' },
    quiet: { type: 'boolean', short: 'q', default: false },
    merge: { type: 'boolean', default: false },
    'merge-from': { type: 'string', multiple: true },
    'no-run': { type: 'boolean', default: false },
  },
});
const count = Number(opts.count);
if (!(Number.isInteger(count) && count >= 1 && count <= 10000)) {
  console.error(`regress: --count must be an integer in 1..10000, got ${opts.count}`);
  process.exit(2);
}
const jobs = Number(opts.jobs);
if (!(Number.isInteger(jobs) && jobs >= 1 && jobs <= 64)) {
  console.error(`regress: --jobs must be an integer in 1..64, got ${opts.jobs}`);
  process.exit(2);
}
const tty = process.stderr.isTTY === true && !opts.quiet;
const say = (msg: string) => { if (!opts.quiet) console.log(msg); };

const discovered = mnistNets();
const nets = opts['no-run'] ? [] : opts.nets ?? discovered.found.map((n) => n.path);
if (!opts.nets && discovered.missing.length > 0) say(`missing (not run): ${discovered.missing.join(', ')}`);
if (nets.length === 0 && !opts['no-run']) {
  console.error('regress: no MNIST networks found in examples/mnist/');
  process.exit(2);
}

const machine = machineInfo();
const rows: Row[] = [];
for (const net of nets) {
  say(`${net}: ${count} MNIST test images through the RTL${jobs > 1 ? ` in ${jobs} parts side by side` : ''}…`);
  rows.push(jobs === 1 ? rowOf(net, measure('node', simArgs(net, 0, count), { inheritStderr: tty })) : await partedRow(net));
  const r = rows[rows.length - 1];
  say(r.error ? `  error: ${r.error}` : `  RTL ${pct(r.rtlAccuracy)} golden ${pct(r.goldenAccuracy)}, ${r.mismatches} mismatches, ${r.imagesPerSecond.toFixed(1)} images/s`);
}

const done = finishMachineInfo(machine);
const sources = [...(opts.merge && existsSync(join(opts.out, 'results.json')) ? [join(opts.out, 'results.json')] : []), ...(opts['merge-from'] ?? [])];
for (const source of sources.reverse()) { // later sources win over earlier ones, this run over all
  const old = JSON.parse(readFileSync(source, 'utf8')) as { rows: Row[]; machine: MachineInfo };
  rows.push(...old.rows.filter((r) => !rows.some((n) => n.net === r.net)).map((r) => ({ ...r, commit: r.commit ?? old.machine.commit })));
}
rows.sort((a, b) => a.net.localeCompare(b.net));
const stillMissing = discovered.missing.filter((m) => !rows.some((r) => r.net === m));
const results = { machine: done, count, missing: stillMissing, rows };
mkdirSync(opts.out, { recursive: true });
writeAtomic(join(opts.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
const md = markdown(done, count, stillMissing, rows);
writeAtomic(join(opts.out, 'results.md'), md);
if (!opts.quiet) process.stdout.write(`\n${md}`);
const failed = rows.filter((r) => !r.ok);
if (failed.length > 0) {
  console.error(`regress: FAILED on ${failed.map((r) => r.net).join(', ')}`);
  process.exit(1);
}

function simArgs(net: string, skip: number, n: number): string[] {
  return [...CLI, 'sim', net, '--input-idx', MNIST_TEST.images, '--labels', MNIST_TEST.labels, ...(skip > 0 ? ['--skip', String(skip)] : []), '--count', String(n), '--json'];
}

/** The `sim --json` report of a run, or undefined when it has none (the run failed before comparing). */
function reportOf(m: Measured): SimReport | undefined {
  try {
    const report = JSON.parse(m.stdout).report as SimReport | undefined;
    return report?.accuracy === undefined ? undefined : report;
  } catch {
    return undefined;
  }
}

/**
 * `jobs` simulations of consecutive parts of the images, side by side. The
 * Verilator model is built (or found in the cache) first, by a run on one
 * image, so the parts do not each build it.
 */
async function partedRow(net: string): Promise<Row> {
  const warm = measure('node', simArgs(net, 0, 1), { inheritStderr: tty });
  const warmReport = reportOf(warm);
  if (warmReport === undefined) return rowOf(net, warm);
  const parts = Array.from({ length: jobs }, (_, k) => {
    const skip = Math.floor((k * count) / jobs);
    return { skip, n: Math.floor(((k + 1) * count) / jobs) - skip };
  }).filter((p) => p.n > 0);
  let finished = 0;
  const runs = await Promise.all(parts.map(async (p) => {
    const m = await measureAsync('node', simArgs(net, p.skip, p.n));
    say(`  part ${++finished}/${parts.length} done (images ${p.skip}..${p.skip + p.n - 1})`);
    return m;
  }));
  const reports = runs.map(reportOf);
  const failedRun = runs.find((_, k) => reports[k] === undefined);
  if (failedRun !== undefined) return rowOf(net, failedRun);
  const rs = reports as SimReport[];
  const images = rs.reduce((a, r) => a + r.images, 0);
  const measured = rs.filter((r) => r.cycles.perImageMeasured !== undefined);
  const perImage = measured.reduce((a, r) => a + r.cycles.perImageMeasured! * r.images, 0) / measured.reduce((a, r) => a + r.images, 0);
  const firstMismatch = rs.find((r) => r.firstMismatch)?.firstMismatch; // parts in image order
  const combined: SimReport = {
    images,
    failed: rs.reduce((a, r) => a + r.failed, 0),
    // The parts run at once: the combined rate is all images over the slowest part.
    simSeconds: Math.max(...rs.map((r) => r.simSeconds)),
    accuracy: { rtl: rs.reduce((a, r) => a + r.accuracy!.rtl, 0), golden: rs.reduce((a, r) => a + r.accuracy!.golden, 0), total: images },
    model: warmReport.model,
    cycles: { perImageBound: rs[0].cycles.perImageBound, ...(measured.length > 0 ? { perImageMeasured: perImage } : {}) },
    ...(firstMismatch ? { firstMismatch } : {}),
  };
  const all: Measured = {
    wallSeconds: warm.wallSeconds + Math.max(...runs.map((m) => m.wallSeconds)), exitCode: 0, stdout: '', stderr: '',
    ...(runs.every((m) => m.peakRssMiB !== undefined) ? { peakRssMiB: Math.max(warm.peakRssMiB ?? 0, ...runs.map((m) => m.peakRssMiB!)) } : {}),
  };
  return { ...rowFromReport(net, combined, all), jobs: parts.length };
}

/** What regress reads of a `sim --json` report. */
interface SimReport {
  images: number;
  failed: number;
  simSeconds: number;
  accuracy?: { rtl: number; golden: number; total: number };
  model: { buildSeconds: number; cached: boolean };
  cycles: { perImageMeasured?: number; perImageBound: number };
  firstMismatch?: { image: number; detail: string };
}

function rowOf(net: string, m: Measured): Row {
  const report = reportOf(m);
  if (report === undefined) {
    const why = (m.stderr || m.stdout).trim().split('\n').slice(-3).join(' | ').slice(0, 500);
    return { ...rowBase(net, m), images: 0, passed: 0, mismatches: 0, rtlCorrect: 0, goldenCorrect: 0, rtlAccuracy: 0, goldenAccuracy: 0, simSeconds: 0,
      imagesPerSecond: 0, verilatorBuildSeconds: 0, verilatorCached: false, cyclesBound: 0, ok: false, error: `sim exited with ${m.exitCode}: ${why}` };
  }
  return rowFromReport(net, report, m);
}

function rowBase(net: string, m: Measured): Pick<Row, 'net' | 'netSha256' | 'date' | 'commit' | 'wallSeconds' | 'peakRssMiB'> {
  const netSha256 = createHash('sha256').update(readFileSync(net)).digest('hex').slice(0, 12);
  return { net, netSha256, date: new Date().toISOString().slice(0, 10), commit: machine.commit, wallSeconds: m.wallSeconds, peakRssMiB: m.peakRssMiB };
}

function rowFromReport(net: string, report: SimReport, m: Measured): Row {
  const a = report.accuracy!;
  const row: Row = {
    ...rowBase(net, m),
    images: report.images,
    passed: report.images - report.failed,
    mismatches: report.failed,
    rtlCorrect: a.rtl,
    goldenCorrect: a.golden,
    rtlAccuracy: a.rtl / a.total,
    goldenAccuracy: a.golden / a.total,
    simSeconds: report.simSeconds,
    imagesPerSecond: report.images / report.simSeconds,
    verilatorBuildSeconds: report.model.buildSeconds,
    verilatorCached: report.model.cached,
    cyclesPerImage: report.cycles.perImageMeasured,
    cyclesBound: report.cycles.perImageBound,
    // Pass: every image bit-exact at every layer, the RTL's correct count equal to the golden model's, and all images run.
    ok: report.failed === 0 && a.rtl === a.golden && report.images === count,
  };
  if (report.firstMismatch) row.firstMismatch = `image ${report.firstMismatch.image}: ${report.firstMismatch.detail}`;
  return row;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function markdown(m: MachineInfo, n: number, missing: string[], rs: Row[]): string {
  const lines = [
    `# MNIST test images on the RTL (\`npm run regress\`)`,
    '',
    `MNIST test images through each network's Verilator model (\`rram-gen sim NET --input-idx t10k-images --labels t10k-labels --count ${n}\`),`,
    'every inter-layer beat compared with the golden model. Written by scripts/regress.ts.',
    '',
    `Last run (the machine of every row; each row names its own date and commit): ${describeMachine(m)}`,
    '',
    '| network (SHA-256; run on, commit) | images | mismatches | RTL accuracy | golden accuracy | equal | simulated images/s | cycles/image (bound) | Verilator build s | peak RSS MiB |',
    '|---|---:|---:|---:|---:|:---:|---:|---:|---:|---:|',
    ...rs.map((r) => r.error
      ? `| ${r.net} (${r.netSha256}; ${r.date}, ${r.commit}) | – | – | – | – | no | – | – | – | – |`
      : `| ${r.net} (${r.netSha256}; ${r.date}, ${r.commit}) | ${r.images} | ${r.mismatches} | ${r.rtlCorrect} (${pct(r.rtlAccuracy)}) | ${r.goldenCorrect} (${pct(r.goldenAccuracy)}) | ${r.rtlCorrect === r.goldenCorrect ? 'yes' : 'NO'} `
        + `| ${r.imagesPerSecond.toFixed(1)}${(r.jobs ?? 1) > 1 ? ` (${r.jobs} side by side)` : ''} | ${r.cyclesPerImage?.toFixed(1) ?? '–'} (${r.cyclesBound}) | ${r.verilatorCached ? 'cached' : r.verilatorBuildSeconds.toFixed(0)} | ${r.peakRssMiB?.toFixed(0) ?? '–'} |`),
    '',
  ];
  if (missing.length > 0) lines.push(`Not run (file missing): ${missing.join(', ')}.`, '');
  for (const r of rs) {
    if (r.error) lines.push(`- ${r.net}: ${r.error}`);
    else if (r.firstMismatch) lines.push(`- ${r.net}: first mismatch: ${r.firstMismatch}`);
  }
  const bad = rs.filter((r) => !r.ok).length;
  lines.push(bad === 0 ? `Result: PASS — ${rs.length} network${rs.length === 1 ? '' : 's'}, 0 mismatches, RTL accuracy equal to the golden model's on every network.` : `Result: FAIL on ${bad} of ${rs.length} networks.`, '');
  return lines.join('\n');
}

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}
