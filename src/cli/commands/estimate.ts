import type { CommandModule } from 'yargs';
import { RramGenError, diag } from '../../diagnostics/index.js';
import { COMPONENTS, COMPONENT_LABELS, type Estimate } from '../../estimate/index.js';
import { estimateNetFile } from '../../file-api.js';
import { loadDefaultTech, loadTechFile } from '../../estimate/tech.js';
import { type SweepPoint, type SweepResult, extremes, sweepEstimate } from '../../estimate/sweep.js';
import { packagePath } from '../../package-info.js';
import { renderReports, writeReports } from '../../report/index.js';
import { fmtArea, fmtEnergy, fmtPct, fmtRate, fmtTime, groupDigits, sig } from '../../report/format.js';
import { EXIT, printJson, printWarnings, runCommand } from '../run.js';
import { formatTable } from '../table.js';

interface Args {
  net: string;
  tech?: string;
  'baseline-bits'?: string;
  'adc-share'?: number;
  'edram-above'?: number;
  report?: string;
  sweep?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** "4,6,8" → [4, 6, 8]; anything else is a usage error. */
export function parseBitsList(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) {
    throw new RramGenError([diag('usage', '', `--baseline-bits expects a comma-separated list of integers such as 4,6,8, got "${text}"`)]);
  }
  return parts.map(Number);
}

export const estimateCommand: CommandModule<object, Args> = {
  command: 'estimate <net>',
  describe: 'Estimate energy, area and time per image of the 1-bit design against multi-bit ADC/DAC baselines',
  builder: (y) => y
    .positional('net', { type: 'string', demandOption: true, describe: 'network description (rram-gen/net@1 or net@2)' })
    .option('tech', { type: 'string', describe: 'technology table (rram-gen/tech@1); default: the shipped ISAAC 32 nm / MNSIM 2.0 table' })
    .option('baseline-bits', { type: 'string', default: '8', describe: 'resolutions k of the multi-bit baselines, comma-separated' })
    .option('adc-share', { type: 'number', default: 1, describe: 'columns sharing one ADC: ADC area ÷ N, an ADC-bound read takes N conversions (docs/estimate.md)' })
    .option('edram-above', { type: 'number', describe: 'cost buffers larger than this many bits as eDRAM (default: all flip-flops)' })
    .option('report', { type: 'string', describe: 'also write report.json, report.md and report.html into this folder' })
    .option('sweep', { type: 'boolean', describe: 'cost the net over on-resistance × read pulse × sense-amp energy × ADC table (shipped tables) and print interface share and saving as ranges' })
    .option('json', { type: 'boolean', describe: 'machine-readable output (the report.json document)' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'print only the summary' }),
  handler: (args) => runCommand(args, async () => {
    const { plan, estimate, warnings, tech } = estimateNetFile(args.net, {
      ...(args.tech !== undefined ? { tech: args.tech } : {}),
      baselineBits: parseBitsList(args['baseline-bits'] ?? '8'),
      adcShare: args['adc-share'] ?? 1,
      edramAboveBits: args['edram-above'] ?? null,
    });
    printWarnings(warnings, args);
    if (args.sweep) {
      // The ADC tables: the default's (already loaded unless --tech named another) and the others shipped.
      const defaultTech = args.tech === undefined ? tech : loadDefaultTech();
      const others = SWEEP_TABLES.map((f) => loadTechFile(packagePath('tech', f), `tech/${f}`));
      const sweep = sweepEstimate(plan, tech, [defaultTech, ...others], estimate.options);
      if (args.json) printJson(sweep);
      else process.stdout.write(formatSweep(sweep));
      return EXIT.ok;
    }
    if (args.report !== undefined) {
      const written = writeReports(args.report, await renderReports(plan, estimate));
      if (!args.json && !args.quiet) process.stdout.write(`wrote ${written.join(', ')}\n`);
    }
    if (args.json) printJson(estimate);
    else process.stdout.write(formatEstimate(estimate, args.quiet === true));
    return EXIT.ok;
  }),
};

/** The ADC tables the sweep borrows besides the default and the --tech table. */
const SWEEP_TABLES = ['neurosim-like.json', 'mnsim-like.json'];

const corner = (p: SweepPoint): string => `R_on ${p.onResistanceOhm / 1000} kΩ, ${p.readPulseNs} ns pulse, SA ${p.senseAmpPj * 1000} fJ, ADCs of ${p.adcTable}`;

export function formatSweep(s: SweepResult): string {
  const out: string[] = [];
  out.push(`sweep over ${s.points.length} points: R_on ${s.axes.onResistanceOhm.map((r) => `${r / 1000} kΩ`).join(', ')} × read pulse ${s.axes.readPulseNs.join(', ')} ns × sense amplifier ${s.axes.senseAmpPj.map((e) => `${e * 1000} fJ`).join(', ')} × ADC table ${s.axes.adcTable.join(', ')}\n`);
  const rows: string[][] = [];
  s.designs.forEach((label, i) => {
    const e = extremes(s.points, (p) => p.interfaceEnergyShare[i]);
    rows.push([`${label}: interface share of energy`, `${fmtPct(e.min.interfaceEnergyShare[i])} – ${fmtPct(e.max.interfaceEnergyShare[i])}`, corner(e.min), corner(e.max)]);
  });
  s.baselineBits.forEach((k, i) => {
    const e = extremes(s.points, (p) => p.energySaving[i]);
    rows.push([`${s.designs[0]} energy saving vs ${k}-bit`, `${fmtPct(e.min.energySaving[i])} – ${fmtPct(e.max.energySaving[i])}`, corner(e.min), corner(e.max)]);
  });
  out.push(formatTable(['quantity', 'range', 'low end at', 'high end at'], rows));
  return out.join('');
}

/** The terminal view: summary, savings, then per component and per layer. */
export function formatEstimate(est: Estimate, quiet = false): string {
  const ds = est.designs;
  const n = est.net;
  const o = est.options;
  const out: string[] = [];
  out.push(`${n.name}: input ${n.input} (${n.inputBits}-bit), ${n.weightBits}-bit weights, ${n.crossbar} crossbar; technology ${est.tech.name} (${est.tech.node}); `
    + `${o.adcShare === 1 ? 'one ADC per column' : `${o.adcShare} columns per ADC`}; buffers ${o.edramAboveBits === null ? 'flip-flops' : `flip-flops ≤ ${o.edramAboveBits} bits, eDRAM above`}\n`);
  const head = ['', ...ds.map((d) => d.label)];
  out.push(formatTable(head, [
    ['energy/image', ...ds.map((d) => fmtEnergy(d.energyPj))],
    ['area', ...ds.map((d) => fmtArea(d.areaUm2))],
    ['interface energy (DAC+ADC+sense)', ...ds.map((d) => fmtPct(d.interfaceEnergyShare))],
    ['interface area', ...ds.map((d) => fmtPct(d.interfaceAreaShare))],
    ['tiles', ...ds.map((d) => groupDigits(d.counts.tiles))],
    ['cycles/image', ...ds.map((d) => groupDigits(d.cyclesPerImage))],
    ['time/image', ...ds.map((d) => fmtTime(d.timePerImageNs))],
    ['images/s', ...ds.map((d) => fmtRate(d.imagesPerSecond))],
  ]));
  for (const s of est.savings) {
    out.push(`${ds[0].label} vs ${s.baselineBits}-bit: energy −${fmtPct(s.energySaving)} (${sig(s.energyRatio, 3)}× less), area −${fmtPct(s.areaSaving)} (${sig(s.areaRatio, 3)}× less)\n`);
  }
  if (quiet) return out.join('');
  out.push('\nenergy/image by component\n');
  out.push(formatTable(['component', ...ds.map((d) => d.label)], COMPONENTS
    .filter((c) => ds.some((d) => d.byComponent[c].energyPj > 0 || d.byComponent[c].areaUm2 > 0))
    .map((c) => [COMPONENT_LABELS[c], ...ds.map((d) => share(d.byComponent[c].energyPj, d.energyPj, fmtEnergy))])));
  out.push('\narea by component\n');
  out.push(formatTable(['component', ...ds.map((d) => d.label)], COMPONENTS
    .filter((c) => ds.some((d) => d.byComponent[c].energyPj > 0 || d.byComponent[c].areaUm2 > 0))
    .map((c) => [COMPONENT_LABELS[c], ...ds.map((d) => share(d.byComponent[c].areaUm2, d.areaUm2, fmtArea))])));
  out.push('\nper layer: energy/image | area\n');
  out.push(formatTable(['layer', ...ds.map((d) => d.label)], ds[0].layers.map((l, i) => [
    l.name, ...ds.map((d) => `${fmtEnergy(d.layers[i].energyPj)} | ${fmtArea(d.layers[i].areaUm2)}`),
  ])));
  out.push(`\ncounts per image (${ds[0].label} / each baseline): reads, DAC conversions, ADC conversions, sense decisions, buffer bits, additions\n`);
  out.push(formatTable(['layer', ...ds.map((d) => d.label)], ds[0].layers.map((l, i) => [
    l.name, ...ds.map((d) => {
      const c = d.layers[i].counts;
      return [c.crossbarReads, c.dacConversions, c.adcConversions, c.senseDecisions, c.bufferBits, c.additions].map((x) => (x === 0 ? '-' : groupDigits(x))).join(' ');
    }),
  ])));
  return out.join('');
}

function share(v: number, total: number, f: (x: number) => string): string {
  return v === 0 ? '-' : `${f(v)} (${fmtPct(v / total, 0)})`;
}
