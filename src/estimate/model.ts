// The cost model: every figure is a count taken from the HwPlan times a unit
// cost from the technology table. The same plan is costed as the 1-bit design
// (as planned: sense amplifiers, analog merge of row tiles) and as multi-bit
// baselines (k-bit DACs, k-bit ADCs on every row tile's partial sums, digital
// adders, k-bit buffers). docs/estimate.md states the model and its assumptions.
import { type Diagnostic, RramGenError, diag } from '../diagnostics/index.js';
import type { GraphStage, HwPlan, MatrixStage, PoolStage, Stage } from '../plan/index.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../package-info.js';
import { type CellSlicing, cellSlicing } from '../device/mapping.js';
import {
  type Citation, type LoadedTech, type ResolutionEntry, type SourceDoc, type TechRef, type TechTable, DEVICE_FIELDS,
  allEntries, deviceConductances, envelopeWarnings, pickResolution, readTimeNs,
} from './tech.js';
import { activationOp } from '../ops/activations/index.js';
import { type OpCost, opFor } from '../ops/index.js';
import { groupDigits } from './digits.js';

export const ESTIMATE_FORMAT = 'rram-gen/estimate@1';

/** Component classes, in the order reports list and stack them. */
export const COMPONENTS = ['crossbar', 'dac', 'adc', 'sense', 'adder', 'buffer', 'logic'] as const;
export type Component = typeof COMPONENTS[number];
export const COMPONENT_LABELS: Record<Component, string> = {
  crossbar: 'crossbar cells',
  dac: 'DACs / wordline drivers',
  adc: 'ADCs (+S/H)',
  sense: 'sense amplifiers',
  adder: 'partial-sum adders',
  buffer: 'buffers',
  logic: 'pool / argmax logic',
};
/** The interface: what the 1-bit design replaces. */
export const INTERFACE_COMPONENTS: readonly Component[] = ['dac', 'adc', 'sense'];

export interface EstimateOptions {
  /** Resolutions k of the multi-bit baselines (default [8]). */
  baselineBits?: number[];
  /** Columns sharing one ADC (default 1: one ADC per column). */
  adcShare?: number;
  /**
   * Buffers larger than this many bits are costed as eDRAM instead of
   * flip-flops; null (the default) keeps every buffer in flip-flops, as the
   * generated RTL builds them.
   */
  edramAboveBits?: number | null;
}

export const DEFAULT_OPTIONS: Required<EstimateOptions> = { baselineBits: [8], adcShare: 1, edramAboveBits: null };
export const MAX_ADC_SHARE = 4096;

/** One costed thing: instances × area each, operations × energy each. */
export interface LineItem {
  component: Component;
  /** What is counted, e.g. "ADC 8b", "sense amplifier", "register buffer". */
  item: string;
  /** JSON pointer of the technology-table entry the unit costs come from. */
  tech: string;
  instances: number;
  /** How `instances` follows from the plan, e.g. "6 columns". */
  instancesFormula: string;
  areaEachUm2: number;
  /** instances × areaEachUm2. */
  areaUm2: number;
  /** What one operation is ("conversion", "cell read", "bit access", ...). */
  op: string;
  opsPerImage: number;
  /** How `opsPerImage` follows from the plan, e.g. "576 reads × 6 columns". */
  opsFormula: string;
  energyEachPj: number;
  /** opsPerImage × energyEachPj. */
  energyPj: number;
}

export interface LayerCounts {
  tiles: number;
  /** Programmed cells: cellsPerWeight per weight (a differential pair of bit-sliced cell stacks). */
  cells: number;
  /** Cells of the allocated tiles (tiles × rows × cols × cellsPerWeight): the crossbar area. */
  tileCells: number;
  crossbarReads: number;
  dacConversions: number;
  adcConversions: number;
  senseDecisions: number;
  /** Bits stored in the stage's input buffer. */
  bufferBits: number;
  /** Bits written into and read out of that buffer per image. */
  bufferAccessBits: number;
  additions: number;
  /** Bit-comparisons of max-pool and argmax logic per image. */
  compareBits: number;
}

export interface LayerEstimate {
  name: string;
  /** conv, dense, maxpool, or output (argmax and output buffer). */
  type: string;
  inBits: number;
  outBits: number;
  counts: LayerCounts;
  items: LineItem[];
  energyPj: number;
  areaUm2: number;
  /** Pipeline beats per image of this stage (from the plan). */
  cycles: number;
  /** Length of one beat: the crossbar read cycle, or longer when shared ADCs bound the read. */
  beatNs: number;
  /** cycles × beatNs. */
  timeNs: number;
}

export interface ComponentTotals { energyPj: number; areaUm2: number }

export interface DesignEstimate {
  /** "1bit" (every hidden map 1 bit), "given" (the network as given, with wider hidden maps) or "k<bits>". */
  id: string;
  label: string;
  /** Baseline resolution k; null for the 1-bit design. */
  bits: number | null;
  layers: LayerEstimate[];
  byComponent: Record<Component, ComponentTotals>;
  counts: LayerCounts;
  energyPj: number;
  areaUm2: number;
  cyclesPerImage: number;
  /** Steady-state time per image: the slowest stage's cycles × beat. */
  timePerImageNs: number;
  imagesPerSecond: number;
  /** (DAC + ADC + sense) / total. */
  interfaceEnergyShare: number;
  interfaceAreaShare: number;
}

/** A technology-table entry used by the estimate, copied with its citations so reports stand alone. */
export interface UsedTechEntry {
  pointer: string;
  name: string;
  energyPj?: number;
  areaUm2?: number;
  timeNs?: number;
  node?: string;
  source: Citation[];
  derivation?: string;
  /** The device's numbers (only for /device). */
  values?: Record<string, number>;
}

export interface EstimateTech {
  name: string;
  node: string;
  /** The table's file as the user named it (tech/default.json for the shipped one). */
  file: string;
  /** Entries the figures use, in table order, plus the read cycle. */
  entries: UsedTechEntry[];
  /** The cited sources of those entries. */
  sources: Record<string, SourceDoc>;
}

export interface Saving {
  baselineBits: number;
  /** 1 − E(1-bit) / E(baseline). */
  energySaving: number;
  areaSaving: number;
  /** E(baseline) / E(1-bit). */
  energyRatio: number;
  areaRatio: number;
}

export interface Estimate {
  format: typeof ESTIMATE_FORMAT;
  generator: { name: string; version: string };
  net: { name: string; input: string; inputBits: number; weightBits: number; crossbar: string; weights: number; bitsPerCell: number; cellsPerWeight: number };
  tech: EstimateTech;
  options: Required<EstimateOptions>;
  designs: DesignEstimate[];
  savings: Saving[];
  warnings: Diagnostic[];
}

/** Check and complete estimate options; bad values are usage errors. */
export function resolveOptions(opts: EstimateOptions = {}): Required<EstimateOptions> {
  const baselineBits = opts.baselineBits ?? DEFAULT_OPTIONS.baselineBits;
  const adcShare = opts.adcShare ?? DEFAULT_OPTIONS.adcShare;
  const edramAboveBits = opts.edramAboveBits === undefined ? DEFAULT_OPTIONS.edramAboveBits : opts.edramAboveBits;
  const problems: Diagnostic[] = [];
  if (baselineBits.length === 0) problems.push(diag('usage', '', 'give at least one baseline resolution'));
  for (const k of baselineBits) {
    if (!Number.isInteger(k) || k < 2 || k > 16) problems.push(diag('usage', '', `baseline resolution ${k} is not an integer in 2..16`));
  }
  if (new Set(baselineBits).size !== baselineBits.length) problems.push(diag('usage', '', 'baseline resolutions repeat'));
  if (!Number.isInteger(adcShare) || adcShare < 1 || adcShare > MAX_ADC_SHARE) problems.push(diag('usage', '', `ADC share ${adcShare} is not an integer in 1..${MAX_ADC_SHARE}`));
  if (edramAboveBits !== null && (!Number.isInteger(edramAboveBits) || edramAboveBits < 0)) problems.push(diag('usage', '', `eDRAM threshold ${edramAboveBits} is not a non-negative integer`));
  if (problems.length > 0) throw new RramGenError(problems);
  return { baselineBits: [...baselineBits].sort((a, b) => a - b), adcShare, edramAboveBits };
}

/** Cost the plan as the 1-bit design and as each multi-bit baseline. */
export function estimatePlan(plan: HwPlan, tech: LoadedTech, options: EstimateOptions = {}): Estimate {
  const opts = resolveOptions(options);
  const warnings = new WarningSink(tech.file);
  warnings.list.push(...envelopeWarnings(tech.table, tech.file));
  // The table's device decides the slicing; a plan made for other cells is re-sliced with the same mapping.
  const slicing = tech.table.device !== undefined ? cellSlicing(plan.net.weightBits, tech.table.device.bitsPerCell) : plan.slicing;
  const designs = [
    costDesign(plan, tech.table, opts, null, warnings, slicing),
    ...opts.baselineBits.map((k) => costDesign(plan, tech.table, opts, k, warnings, slicing)),
  ];
  const one = designs[0];
  const savings = designs.slice(1).map((d): Saving => ({
    baselineBits: d.bits as number,
    energySaving: 1 - one.energyPj / d.energyPj,
    areaSaving: 1 - one.areaUm2 / d.areaUm2,
    energyRatio: d.energyPj / one.energyPj,
    areaRatio: d.areaUm2 / one.areaUm2,
  }));
  const { net } = plan;
  const i = net.input;
  return {
    format: ESTIMATE_FORMAT,
    generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION },
    net: {
      name: net.name,
      input: `${i.channels}×${i.height}×${i.width}`,
      inputBits: i.bits,
      weightBits: net.weightBits,
      crossbar: `${net.crossbar.rows}×${net.crossbar.cols}`,
      weights: plan.stages.reduce((a, s) => a + (s.kind === 'matrix' ? s.layer.weights.length : 0), 0),
      bitsPerCell: slicing.bitsPerCell,
      cellsPerWeight: slicing.cellsPerWeight,
    },
    tech: usedTech(tech, designs),
    options: opts,
    designs,
    savings,
    warnings: warnings.list,
  };
}

function usedTech(tech: LoadedTech, designs: DesignEstimate[]): EstimateTech {
  const used = new Set<string>([tech.table.device !== undefined ? '/device' : '/readCycle']);
  for (const d of designs) for (const l of d.layers) for (const it of l.items) used.add(it.tech);
  const entries: UsedTechEntry[] = [];
  const refs = new Set<string>();
  for (const { pointer, entry, name } of allEntries(tech.table)) {
    if (!used.has(pointer)) continue;
    const e = entry as Partial<Record<'energyPj' | 'areaUm2' | 'timeNs', number>> & { node?: string; source: Citation[]; derivation?: string };
    entries.push({
      pointer,
      name,
      ...(e.energyPj !== undefined ? { energyPj: e.energyPj } : {}),
      ...(e.areaUm2 !== undefined ? { areaUm2: e.areaUm2 } : {}),
      ...(e.timeNs !== undefined ? { timeNs: e.timeNs } : {}),
      ...(e.node !== undefined ? { node: e.node } : {}),
      source: e.source.map((c) => ({ ref: c.ref, where: c.where, ...(c.covers ? { covers: [...c.covers] } : {}) })),
      ...(e.derivation !== undefined ? { derivation: e.derivation } : {}),
    });
    for (const c of e.source) refs.add(c.ref);
  }
  const d = tech.table.device;
  if (d !== undefined) {
    entries.unshift({
      pointer: '/device',
      name: 'RRAM device',
      ...(d.node !== undefined ? { node: d.node } : {}),
      source: d.source.map((c) => ({ ref: c.ref, where: c.where, ...(c.covers ? { covers: [...c.covers] } : {}) })),
      ...(d.derivation !== undefined ? { derivation: d.derivation } : {}),
      values: Object.fromEntries(DEVICE_FIELDS.map((f) => [f, d[f]])),
    });
    for (const c of d.source) refs.add(c.ref);
  }
  const sources: Record<string, SourceDoc> = {};
  for (const id of Object.keys(tech.table.sources)) {
    if (!refs.has(id)) continue;
    const s = tech.table.sources[id];
    sources[id] = { citation: s.citation, ...(s.url !== undefined ? { url: s.url } : {}), ...(s.note !== undefined ? { note: s.note } : {}) };
  }
  return { name: tech.table.name, node: tech.table.node, file: tech.file, entries, sources };
}

class WarningSink {
  readonly list: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly file: string) {}
  substituted(kind: 'dac' | 'adc', wanted: number, ref: TechRef<ResolutionEntry>, where: string): void {
    const key = `${kind}|${wanted}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(diag('tech-substituted', ref.pointer,
      `no ${wanted}-bit ${kind.toUpperCase()} in the table (first needed by ${where}); costed as the ${ref.entry.bits}-bit entry`, this.file));
  }
}

const zeroCounts = (): LayerCounts => ({
  tiles: 0, cells: 0, tileCells: 0, crossbarReads: 0, dacConversions: 0, adcConversions: 0,
  senseDecisions: 0, bufferBits: 0, bufferAccessBits: 0, additions: 0, compareBits: 0,
});

export { groupDigits };
const g = groupDigits;

function item(component: Component, name: string, ref: TechRef, instances: number, instancesFormula: string, op: string, opsPerImage: number, opsFormula: string): LineItem {
  const { energyPj, areaUm2 } = ref.entry;
  return {
    component,
    item: name,
    tech: ref.pointer,
    instances,
    instancesFormula,
    areaEachUm2: areaUm2,
    areaUm2: instances * areaUm2,
    op,
    opsPerImage,
    opsFormula,
    energyEachPj: energyPj,
    energyPj: opsPerImage * energyPj,
  };
}

/** What the network as given is: a 1-bit design when every hidden matrix layer thresholds, else named by its hidden maps' widths. */
export function givenDesignLabel(plan: HwPlan): { id: string; label: string } {
  const hidden = plan.stages.slice(0, -1).filter((s): s is MatrixStage => s.kind === 'matrix');
  const widths = [...new Set(hidden.map((s) => s.outShape.bits))].sort((a, b) => a - b);
  if (widths.every((b) => b === 1)) return { id: '1bit', label: '1-bit design' };
  return { id: 'given', label: `design as given (${widths.join('/')}-bit hidden maps)` };
}

function costDesign(plan: HwPlan, t: TechTable, opts: Required<EstimateOptions>, k: number | null, warnings: WarningSink, slicing: CellSlicing): DesignEstimate {
  const readNs = readTimeNs(t);
  const layers: LayerEstimate[] = [];
  let bits = plan.net.input.bits;
  // A graph's stage reads its first input's stream, not necessarily the previous stage's.
  const outBits: number[] = [];
  for (const stage of plan.stages) {
    const from = stage.inputs?.[0].stage;
    if (from !== undefined) bits = from < 0 ? plan.net.input.bits : outBits[from];
    const est = stage.kind === 'matrix'
      ? costMatrix(stage, plan.net.crossbar, t, opts, k, bits, warnings, slicing)
      : costOwn(stage, opCost(stage, bits), t, opts, bits);
    layers.push(est);
    bits = est.outBits;
    outBits.push(bits);
  }
  layers.push(costOutput(plan, t, opts, bits, readNs));

  const byComponent = Object.fromEntries(COMPONENTS.map((c) => [c, { energyPj: 0, areaUm2: 0 }])) as Record<Component, ComponentTotals>;
  const counts = zeroCounts();
  let energyPj = 0;
  let areaUm2 = 0;
  for (const l of layers) {
    for (const it of l.items) {
      byComponent[it.component].energyPj += it.energyPj;
      byComponent[it.component].areaUm2 += it.areaUm2;
    }
    energyPj += l.energyPj;
    areaUm2 += l.areaUm2;
    for (const key of Object.keys(counts) as (keyof LayerCounts)[]) counts[key] += l.counts[key];
  }
  const timePerImageNs = Math.max(...layers.map((l) => l.timeNs));
  const share = (f: (c: ComponentTotals) => number, total: number) =>
    total > 0 ? INTERFACE_COMPONENTS.reduce((a, c) => a + f(byComponent[c]), 0) / total : 0;
  return {
    id: k === null ? givenDesignLabel(plan).id : `k${k}`,
    label: k === null ? givenDesignLabel(plan).label : `${k}-bit baseline`,
    bits: k,
    layers,
    byComponent,
    counts,
    energyPj,
    areaUm2,
    cyclesPerImage: plan.cyclesPerImage,
    timePerImageNs,
    imagesPerSecond: 1e9 / timePerImageNs,
    interfaceEnergyShare: share((c) => c.energyPj, energyPj),
    interfaceAreaShare: share((c) => c.areaUm2, areaUm2),
  };
}

function finish(name: string, type: string, inBits: number, outBits: number, counts: LayerCounts, items: LineItem[], cycles: number, beatNs: number): LayerEstimate {
  return {
    name,
    type,
    inBits,
    outBits,
    counts,
    items,
    energyPj: items.reduce((a, i) => a + i.energyPj, 0),
    areaUm2: items.reduce((a, i) => a + i.areaUm2, 0),
    cycles,
    beatNs,
    timeNs: cycles * beatNs,
  };
}

function bufferRef(t: TechTable, opts: Required<EstimateOptions>, bits: number): { ref: TechRef; what: string } {
  const edram = opts.edramAboveBits !== null && bits > opts.edramAboveBits;
  return edram
    ? { ref: { pointer: '/buffer/edram', entry: t.buffer.edram }, what: 'eDRAM' }
    : { ref: { pointer: '/buffer/register', entry: t.buffer.register }, what: 'flip-flops' };
}

/**
 * The stage's input buffer. Storage: the plan's bufferValues × bits. Accesses
 * per image: every input value is written once; a window generator then reads
 * one k×k×C window per output position, a flatten buffer the whole map once.
 */
function bufferItems(stage: Stage, t: TechTable, opts: Required<EstimateOptions>, inBits: number, counts: LayerCounts): LineItem[] {
  if (stage.bufferValues === 0) return fifoItems(stage, t, opts, inBits, counts);
  const inp = stage.inShape;
  const written = stage.inBeats * inp.channels;
  let read: number;
  let readFormula: string;
  if (stage.input.kind === 'window') {
    const kk = stage.input.kernel * stage.input.kernel;
    read = stage.outBeats * kk * inp.channels;
    readFormula = `${g(stage.outBeats)} windows × ${kk * inp.channels} values`;
  } else {
    read = inp.channels * inp.height * inp.width;
    readFormula = `${g(read)} values`;
  }
  const bufferBits = stage.bufferValues * inBits;
  const accessBits = (written + read) * inBits;
  counts.bufferBits += bufferBits;
  counts.bufferAccessBits += accessBits;
  const { ref, what } = bufferRef(t, opts, bufferBits);
  const kind = stage.input.kind === 'window' ? 'line buffer' : 'flatten buffer';
  return [item('buffer', `${kind} (${what})`, ref,
    bufferBits, `${g(stage.bufferValues)} values × ${inBits} b`,
    'bit access', accessBits, `(${g(written)} values written + ${readFormula} read) × ${inBits} b`), ...fifoItems(stage, t, opts, inBits, counts)];
}

/**
 * A graph stage's skip-path FIFOs (src/plan/fifo-depth.ts): depth × pixel
 * bits each; every value of the edge's map written and read once per image.
 * (Its inputs share the stage's value width, as the plan requires.)
 */
function fifoItems(stage: Stage, t: TechTable, opts: Required<EstimateOptions>, inBits: number, counts: LayerCounts): LineItem[] {
  return (stage.inputs ?? []).filter((e) => e.fifoDepth > 0).map((e) => {
    const { channels: C, height: H, width: W } = e.shape;
    const bits = e.fifoDepth * C * inBits;
    const access = 2 * H * W * C * inBits;
    counts.bufferBits += bits;
    counts.bufferAccessBits += access;
    const { ref, what } = bufferRef(t, opts, bits);
    return item('buffer', `skip FIFO from ${e.stage < 0 ? 'the input' : `stage ${e.stage}`} (${what})`, ref,
      bits, `${e.fifoDepth} beats × ${C} values × ${inBits} b`,
      'bit access', access, `(${g(H * W * C)} values written + read) × ${inBits} b`);
  });
}

/**
 * Σ of the programmed conductances of a layer's cells, in siemens: every
 * weight's pair of slice stacks at the levels the mapping gives
 * (src/device/mapping.ts), level l at G_off + l × step.
 */
function layerConductance(stage: MatrixStage, t: TechTable, sl: CellSlicing): number {
  const { gOff, step } = deviceConductances(t.device!);
  let levelSum = 0;
  for (const w of stage.layer.weights) {
    let m = Math.abs(w);
    while (m > 0) { levelSum += m % sl.levels; m = Math.floor(m / sl.levels); }
  }
  return stage.layer.weights.length * sl.cellsPerWeight * gOff + levelSum * step;
}

function costMatrix(stage: MatrixStage, crossbar: { rows: number; cols: number }, t: TechTable, opts: Required<EstimateOptions>, k: number | null, inBits: number, warnings: WarningSink, sl: CellSlicing): LayerEstimate {
  const layer = stage.layer;
  const act = layer.activation;
  const counts = zeroCounts();
  const items: LineItem[] = [];
  const reads = stage.reads;
  const nTiles = stage.tiles.length;
  counts.tiles = nTiles;
  counts.crossbarReads = reads;

  // Wordline inputs: one DAC (a plain driver when the input is 1 bit) per row of every tile.
  const dacRef = pickResolution(t, 'dac', inBits);
  if (dacRef.substituted) warnings.substituted('dac', inBits, dacRef, `layer ${layer.name}`);
  const wordlines = stage.tiles.reduce((a, tile) => a + tile.rowCount, 0);
  counts.dacConversions = reads * wordlines;
  items.push(item('dac', inBits === 1 ? 'wordline driver (1-bit DAC)' : `DAC ${dacRef.entry.bits}b`, dacRef,
    wordlines, `${stage.rows} rows × ${stage.colTiles} column tile${stage.colTiles > 1 ? 's' : ''}`,
    'conversion', counts.dacConversions, `${g(reads)} reads × ${g(wordlines)} wordlines`));

  // Cells: every cell of every weight (a differential pair of bit-sliced
  // stacks) takes part in every read; the area is that of the whole
  // allocated (fixed-size) tiles, each logical column being cellsPerWeight bitlines.
  const weights = stage.tiles.reduce((a, tile) => a + tile.rowCount * tile.colCount, 0);
  const cpw = sl.cellsPerWeight;
  counts.cells = cpw * weights;
  counts.tileCells = cpw * nTiles * crossbar.rows * crossbar.cols;
  // With a device: E = V² × G × pulse per cell read (every wordline at the full read voltage: an upper bound).
  const cellEnergyPj = t.device !== undefined
    ? (t.device.readVoltageV ** 2 * layerConductance(stage, t, sl) * t.device.readPulseNs * 1e-9 * 1e12) / counts.cells
    : t.cell.energyPj!;
  const cellRef: TechRef = { pointer: '/cell', entry: { ...t.cell, energyPj: cellEnergyPj } };
  items.push(item('crossbar', `RRAM cells (${cpw} per weight: 2 × ${sl.slicesPerWeight} slice${sl.slicesPerWeight > 1 ? 's' : ''} of ${sl.bitsPerCell} b)`, cellRef,
    counts.tileCells, `${nTiles} tile${nTiles > 1 ? 's' : ''} × ${crossbar.rows}×${crossbar.cols} × ${cpw}`,
    'cell read', reads * counts.cells, `${g(reads)} reads × ${cpw} × ${g(weights)} weights`));
  if (t.tilePeripheral !== undefined) {
    items.push(item('crossbar', 'tile periphery', { pointer: '/tilePeripheral', entry: t.tilePeripheral },
      nTiles, `${nTiles} tiles`, 'tile read', reads * nTiles, `${g(reads)} reads × ${nTiles} tiles`));
  }

  // Read-out.
  let outBits: number;
  let beatNs = readTimeNs(t);
  const share = opts.adcShare;
  /** groups: the column counts that are converted side by side (one per tile, or per column tile). */
  const adcReadout = (resolution: number, groups: number[], label: string, groupFormula: string) => {
    const adcRef = pickResolution<ResolutionEntry & { timeNs: number }>(t, 'adc', resolution);
    if (adcRef.substituted) warnings.substituted('adc', resolution, adcRef, `layer ${layer.name}`);
    const columns = groups.reduce((a, n) => a + n, 0);
    const adcs = groups.reduce((a, n) => a + Math.ceil(n / share), 0);
    counts.adcConversions = reads * columns;
    items.push(item('adc', `ADC ${adcRef.entry.bits}b${label}`, adcRef,
      adcs, share === 1 ? groupFormula : `Σ ⌈columns / ${share}⌉ over ${groups.length} ${groupFormula.includes('row tile') ? 'tiles' : 'column groups'}`,
      'conversion', counts.adcConversions, `${g(reads)} reads × ${g(columns)} columns${stage.rowTiles > 1 && groups.length > stage.colTiles ? ' (all row tiles)' : ''}`));
    if (share > 1) {
      items.push(item('adc', 'sample-and-hold', { pointer: '/sampleHold', entry: t.sampleHold },
        columns, `${g(columns)} columns`, 'sample', counts.adcConversions, `${g(reads)} reads × ${g(columns)} columns`));
    }
    const perAdc = Math.min(share, Math.max(...groups));
    beatNs = Math.max(beatNs, perAdc * adcRef.entry.timeNs);
  };
  const op = activationOp(act);
  if (k === null) {
    // The 1-bit design: row tiles merge in the analog domain (bitline
    // currents), then one sense amplifier or ADC per column.
    const colGroups = Array.from({ length: stage.colTiles }, (_, ct) => stage.tiles.find((tile) => tile.colTile === ct)!.colCount);
    const readout = op.cost(act, stage.accBits);
    if (readout.sense) {
      counts.senseDecisions = reads * stage.senseAmps;
      items.push(item('sense', 'sense amplifier', { pointer: '/senseAmp', entry: t.senseAmp },
        stage.senseAmps, `${stage.senseAmps} columns`, 'decision', counts.senseDecisions, `${g(reads)} reads × ${stage.senseAmps} columns`));
      if (t.senseAmp.timeNs !== undefined) beatNs = Math.max(beatNs, t.senseAmp.timeNs);
      outBits = 1;
    } else {
      adcReadout(readout.adcBits, colGroups, readout.label, `${stage.cols} columns`);
      outBits = stage.outShape.bits;
    }
  } else {
    // Baseline: every row tile's column sums are digitized, then added digitally.
    const baseline = op.baseline(act, k, stage.accBits, stage.outShape.bits);
    const perTile = stage.rowTiles > 1;
    adcReadout(baseline.adcBits, stage.tiles.map((tile) => tile.colCount), perTile ? ' (per row tile)' : '',
      perTile ? `${stage.rowTiles} row tiles × ${stage.cols} columns` : `${stage.cols} columns`);
    if (perTile) {
      const adders = (stage.rowTiles - 1) * stage.cols;
      counts.additions = reads * adders;
      items.push(item('adder', 'partial-sum adder', { pointer: '/adder', entry: t.adder },
        adders, `(${stage.rowTiles} row tiles − 1) × ${stage.cols} columns`, 'addition', counts.additions, `${g(reads)} reads × ${g(adders)} adders`));
    }
    outBits = baseline.outBits;
  }

  items.push(...bufferItems(stage, t, opts, inBits, counts));
  return finish(layer.name, layer.type, inBits, outBits, counts, items, stage.cycles, beatNs);
}

/** The cost entry of a stage that is not a crossbar (estimates are required: an op without one is a bug). */
function opCost(stage: PoolStage | GraphStage, inBits: number): OpCost {
  const cost = opFor(stage.layer).cost;
  if (cost === 'crossbar') throw new Error(`layer ${stage.layer.name}: a ${stage.layer.type} stage planned without a crossbar has no cost entry`);
  return (cost as (s: typeof stage, b: number) => OpCost)(stage, inBits);
}

/** A stage with its own cost entry (src/ops/<op>.ts, cost): its lines priced from the table, plus its input buffer. */
function costOwn(stage: PoolStage | GraphStage, own: OpCost, t: TechTable, opts: Required<EstimateOptions>, inBits: number): LayerEstimate {
  const counts = zeroCounts();
  counts.compareBits = own.compareBits;
  const items: LineItem[] = [
    ...own.lines.map((l) => item(l.component, l.item, { pointer: `/${l.tech}`, entry: t[l.tech] },
      l.instances, l.instancesFormula, l.op, l.opsPerImage, l.opsFormula)),
    ...bufferItems(stage, t, opts, inBits, counts),
  ];
  return finish(stage.layer.name, stage.layer.type, inBits, own.outBits, counts, items, stage.cycles, readTimeNs(t));
}

/** The argmax over the final values and, when the final map is larger than a pixel, its collection buffer. */
function costOutput(plan: HwPlan, t: TechTable, opts: Required<EstimateOptions>, bits: number, readNs: number): LayerEstimate {
  const counts = zeroCounts();
  const o = plan.output;
  const items: LineItem[] = [];
  if (o.values > 1) {
    counts.compareBits = (o.values - 1) * bits;
    items.push(item('logic', 'argmax comparators', { pointer: '/comparator', entry: t.comparator },
      counts.compareBits, `(${o.values} values − 1) × ${bits} b`, 'bit compare', counts.compareBits, `(${o.values} values − 1) × ${bits} b`));
  }
  if (o.buffered) {
    counts.bufferBits = o.values * bits;
    counts.bufferAccessBits = 2 * counts.bufferBits;
    const { ref, what } = bufferRef(t, opts, counts.bufferBits);
    items.push(item('buffer', `output buffer (${what})`, ref, counts.bufferBits, `${o.values} values × ${bits} b`,
      'bit access', counts.bufferAccessBits, `(${o.values} written + ${o.values} read) × ${bits} b`));
  }
  return finish('output', 'output', bits, bits, counts, items, 1, readNs);
}
