// The tables shared by the Markdown and HTML reports: plain rows of strings,
// computed once from the estimate so both formats say the same thing.
import { COMPONENTS, COMPONENT_LABELS, type DesignEstimate, type Estimate, type LayerEstimate, type LineItem } from '../estimate/model.js';
import { type HwPlan, type MatrixStage, stageType } from '../plan/index.js';
import { fmtArea, fmtEnergy, fmtPct, fmtRate, fmtTime, fmtUnit, groupDigits, sig } from './format.js';

export interface Table { header: string[]; rows: string[][]; /** Columns to right-align. */ numeric: boolean[] }

function table(header: string[], rows: string[][], firstText = 1): Table {
  return { header, rows, numeric: header.map((_, i) => i >= firstText) };
}

export function summaryTable(est: Estimate): Table {
  const ds = est.designs;
  const saving = (d: DesignEstimate, f: 'energy' | 'area'): string => {
    const s = est.savings.find((x) => x.baselineBits === d.bits);
    if (s === undefined) return '—';
    return f === 'energy'
      ? `${fmtPct(s.energySaving)} (${sig(s.energyRatio, 3)}× less)`
      : `${fmtPct(s.areaSaving)} (${sig(s.areaRatio, 3)}× less)`;
  };
  return table(['', ...ds.map((d) => d.label)], [
    ['energy per image', ...ds.map((d) => fmtEnergy(d.energyPj))],
    ['area', ...ds.map((d) => fmtArea(d.areaUm2))],
    ['interface share of energy (DAC+ADC+sense)', ...ds.map((d) => fmtPct(d.interfaceEnergyShare))],
    ['interface share of area', ...ds.map((d) => fmtPct(d.interfaceAreaShare))],
    ['crossbar tiles', ...ds.map((d) => groupDigits(d.counts.tiles))],
    ['cycles per image', ...ds.map((d) => groupDigits(d.cyclesPerImage))],
    ['time per image', ...ds.map((d) => fmtTime(d.timePerImageNs))],
    ['images per second', ...ds.map((d) => fmtRate(d.imagesPerSecond))],
    [`${ds[0].label} saves (energy)`, ...ds.map((d) => saving(d, 'energy'))],
    [`${ds[0].label} saves (area)`, ...ds.map((d) => saving(d, 'area'))],
  ]);
}

export function savingLines(est: Estimate): string[] {
  const one = est.designs[0];
  return est.savings.map((s) => {
    const b = est.designs.find((d) => d.bits === s.baselineBits)!;
    return `against the ${s.baselineBits}-bit baseline the ${one.label} uses ${fmtPct(s.energySaving)} less energy per image `
      + `(${fmtEnergy(one.energyPj)} vs ${fmtEnergy(b.energyPj)}, ${sig(s.energyRatio, 3)}×) and ${fmtPct(s.areaSaving)} less area `
      + `(${fmtArea(one.areaUm2)} vs ${fmtArea(b.areaUm2)}, ${sig(s.areaRatio, 3)}×)`;
  });
}

export function componentTable(est: Estimate, what: 'energy' | 'area'): Table {
  const ds = est.designs;
  const rows = COMPONENTS
    .filter((c) => ds.some((d) => (what === 'energy' ? d.byComponent[c].energyPj : d.byComponent[c].areaUm2) > 0))
    .map((c) => [COMPONENT_LABELS[c], ...ds.map((d) => {
      const v = what === 'energy' ? d.byComponent[c].energyPj : d.byComponent[c].areaUm2;
      const total = what === 'energy' ? d.energyPj : d.areaUm2;
      return v === 0 ? '—' : `${what === 'energy' ? fmtEnergy(v) : fmtArea(v)} (${fmtPct(v / total)})`;
    })]);
  rows.push(['total', ...ds.map((d) => (what === 'energy' ? fmtEnergy(d.energyPj) : fmtArea(d.areaUm2)))]);
  return table(['component', ...ds.map((d) => d.label)], rows);
}

export function layerTable(est: Estimate, what: 'energy' | 'area'): Table {
  const ds = est.designs;
  const rows = ds[0].layers.map((l, i) => [l.name, ...ds.map((d) => {
    const x = d.layers[i];
    return what === 'energy' ? fmtEnergy(x.energyPj) : fmtArea(x.areaUm2);
  })]);
  rows.push(['total', ...ds.map((d) => (what === 'energy' ? fmtEnergy(d.energyPj) : fmtArea(d.areaUm2)))]);
  return table(['layer', ...ds.map((d) => d.label)], rows);
}

/** Plan facts per layer: shape, tiles, cycles (the same for every design). */
export function planTable(plan: HwPlan): Table {
  const rows = plan.stages.map((s) => {
    const o = s.outShape;
    const tiles = s.kind === 'matrix' ? `${s.tiles.length} (${s.rowTiles}×${s.colTiles})` : '—';
    const act = s.kind === 'matrix' ? (s.layer.activation.type === 'adc' ? `adc ${s.layer.activation.bits}b` : s.layer.activation.type) : '—';
    const matrix = s.kind === 'matrix' ? `${s.rows}×${s.cols}` : '—';
    return [s.layer.name, stageType(s), act, `${o.channels}×${o.height}×${o.width}`, matrix, tiles,
      s.kind === 'matrix' ? groupDigits(s.reads) : '—', groupDigits(s.bufferValues), groupDigits(s.cycles)];
  });
  return { header: ['layer', 'type', 'activation', 'output', 'matrix K×O', 'tiles (grid)', 'reads/image', 'buffer values', 'cycles/image'], rows, numeric: [false, false, false, false, false, false, true, true, true] };
}

export function countsTable(d: DesignEstimate): Table {
  const rows = d.layers.map((l) => countRow(l.name, l));
  rows.push(countRow('total', { counts: d.counts, inBits: NaN, outBits: NaN } as unknown as LayerEstimate));
  return table(['layer', 'in/out bits', 'tiles', 'cells', 'reads', 'DAC conv.', 'ADC conv.', 'sense dec.', 'buffer bits', 'buffer bit acc.', 'additions', 'compare bits'], rows);
}

function countRow(name: string, l: LayerEstimate): string[] {
  const c = l.counts;
  const n = (x: number) => (x === 0 ? '—' : groupDigits(x));
  return [name, Number.isNaN(l.inBits) ? '' : `${l.inBits}/${l.outBits}`, n(c.tiles), n(c.cells), n(c.crossbarReads), n(c.dacConversions), n(c.adcConversions),
    n(c.senseDecisions), n(c.bufferBits), n(c.bufferAccessBits), n(c.additions), n(c.compareBits)];
}

/**
 * The layer whose arithmetic the reports show: the first thresholded matrix
 * layer spanning several row tiles (so the baselines' per-tile ADCs and adders
 * appear), else the first thresholded one, else the first matrix layer.
 */
export function workedLayerIndex(_est: Estimate, plan: HwPlan): number {
  const s = plan.stages;
  const threshold = (i: number) => s[i].kind === 'matrix' && (s[i] as MatrixStage).layer.activation.type === 'threshold';
  for (const ok of [(i: number) => threshold(i) && (s[i] as MatrixStage).rowTiles > 1, threshold, (i: number) => s[i].kind === 'matrix']) {
    const i = s.findIndex((_, j) => ok(j));
    if (i >= 0) return i;
  }
  return 0;
}

function plural(word: string, n: number): string {
  if (n === 1) return word;
  return /(s|x|ch|sh)$/.test(word) ? `${word}es` : `${word}s`;
}

export function arithmeticTable(l: LayerEstimate): Table {
  const rows = l.items.map((it: LineItem) => [
    it.item,
    it.tech,
    `${groupDigits(it.instances)} (${it.instancesFormula}) × ${fmtUnit(it.areaEachUm2)} µm²`,
    fmtArea(it.areaUm2, 4),
    `${groupDigits(it.opsPerImage)} ${plural(it.op, it.opsPerImage)} (${it.opsFormula}) × ${fmtUnit(it.energyEachPj)} pJ`,
    fmtEnergy(it.energyPj, 4),
  ]);
  rows.push(['total', '', '', fmtArea(l.areaUm2, 4), '', fmtEnergy(l.energyPj, 4)]);
  return { header: ['item', 'table entry', 'instances × area each', '= area', 'operations per image × energy each', '= energy'], rows, numeric: [false, false, false, true, false, true] };
}

export function techTable(est: Estimate): Table {
  const rows = est.tech.entries.map((e) => [
    e.pointer,
    // The device's numbers are not per-operation costs: listed by name.
    e.values !== undefined ? `${e.name} (${Object.entries(e.values).map(([k, v]) => `${k} ${v}`).join(', ')})` : e.name,
    e.energyPj !== undefined ? `${fmtUnit(e.energyPj)} pJ` : '—',
    e.areaUm2 !== undefined ? `${fmtUnit(e.areaUm2)} µm²` : '—',
    e.timeNs !== undefined ? `${fmtUnit(e.timeNs)} ns` : '—',
    e.node ?? '',
    e.source.map((c) => `[${c.ref}] ${c.where}${c.covers ? ` (${c.covers.join(', ')})` : ''}`).join('; '),
    e.derivation ?? '',
  ]);
  return { header: ['entry', 'component', 'energy / op', 'area / instance', 'time / op', 'node', 'source', 'derivation'], rows, numeric: [false, false, true, true, true, false, false, false] };
}

export function optionLines(est: Estimate): string[] {
  const o = est.options;
  return [
    `baselines: ${o.baselineBits.map((k) => `${k}-bit`).join(', ')} (k-bit DACs on hidden-layer inputs, k-bit ADCs on every row tile's partial sums, digital adders, k-bit buffers)`,
    `ADC sharing: ${o.adcShare === 1 ? 'one ADC per column' : `${o.adcShare} columns share one ADC (with a sample-and-hold per column)`}`,
    `buffers: ${o.edramAboveBits === null ? 'all flip-flops' : `flip-flops up to ${groupDigits(o.edramAboveBits)} bits, eDRAM above`}`,
    `technology: ${est.tech.name} (${est.tech.node}), ${est.tech.file}`,
  ];
}

export const ASSUMPTIONS: string[] = [
  'Counts come from the hardware plan the RTL is generated from; every figure is count × unit cost from the technology table.',
  'One crossbar read per output position; one pipeline beat per read cycle. Time per image = the slowest stage\'s cycles × its beat (steady state, pipeline fill not counted).',
  '1-bit design: row tiles merge in the analog domain, one sense amplifier per column; 1-bit inputs drive wordlines through plain drivers (costed as 1-bit DACs).',
  'Multi-bit input (network input wider than 1 bit): one DAC of that width per wordline, one read per position (no bit-serial input).',
  'Baselines: every threshold layer becomes a k-bit ADC layer; the read-out layer keeps its resolution; every row tile\'s columns are digitized and merged by adders.',
  'Weights are differential pairs of bit-sliced cell stacks (src/device/mapping.ts): 2 × ⌈(weight bits − 1) / bits per cell⌉ cells per weight, merged with their significance before the read-out (analog in the 1-bit design; the baselines are costed with the same analog merge).',
  'With a device in the table, a cell read costs V² × G × read pulse at the cell\'s programmed conductance, every wordline at the full read voltage (an upper bound: inputs below full scale draw less), and one read takes the pulse.',
  'Buffers: storage = the plan\'s buffer values × bits; accesses = every value written once plus each window (or the flattened map) read once.',
  'Not counted: weight programming, leakage and clock power, control, interconnect and I/O, reference generation for the sense amplifiers, the pipeline fill.',
];
