// Technology tables (rram-gen/tech@1): unit costs for the estimator, each
// number with its published source. Read like a net.json: size and depth
// limits, the shipped JSON Schema (ajv), then semantic checks, every problem a
// catalogue diagnostic at its JSON pointer.
import type { Options, ValidateFunction } from 'ajv';
import { schemaValidator } from '../ir/compiled-schema.js';
import { type Diagnostic, RramGenError, diag } from '../diagnostics/index.js';
import { readJsonFile } from '../ir/read-json.js';
import { schemaDiagnostics } from '../ir/schema-diagnostics.js';
import { packagePath } from '../package-info.js';

export const TECH_FORMAT = 'rram-gen/tech@1';
export const TECH_SCHEMA_PATH = packagePath('schemas', 'tech-1.schema.json');
/** The default table shipped with the package (ISAAC 32 nm + MNSIM 2.0 figures). */
export const DEFAULT_TECH_PATH = packagePath('tech', 'default.json');
const MAX_TECH_BYTES = 4 * 1024 * 1024;

export type CostField = 'energyPj' | 'areaUm2' | 'timeNs';
export const COST_FIELDS: readonly CostField[] = ['energyPj', 'areaUm2', 'timeNs'];
export const DEVICE_FIELDS = [
  'bitsPerCell', 'onResistanceOhm', 'onOffRatio', 'readVoltageV', 'readPulseNs',
  'conductanceSigma', 'stuckAtOnRate', 'stuckAtOffRate', 'senseAmpOffsetSigma',
] as const;
export type DeviceField = typeof DEVICE_FIELDS[number];

export interface Citation { ref: string; where: string; covers?: (CostField | DeviceField)[] }
export interface SourceDoc { citation: string; url?: string; note?: string }

/** One component's unit costs: energy per operation, area per instance, time per operation. */
export interface CostEntry {
  energyPj: number;
  areaUm2: number;
  timeNs?: number;
  node?: string;
  source: Citation[];
  derivation?: string;
}
export interface ResolutionEntry extends CostEntry { bits: number }
export interface TimingEntry { timeNs: number; node?: string; source: Citation[]; derivation?: string }
/** The RRAM device (schema: /definitions/device). */
export interface DeviceEntry extends Record<DeviceField, number> { node?: string; source: Citation[]; derivation?: string }
/** The cell entry: its read energy is absent when the table has a device (derived from it then). */
export interface CellEntry extends Omit<CostEntry, 'energyPj'> { energyPj?: number }

export interface TechTable {
  format: typeof TECH_FORMAT;
  name: string;
  description?: string;
  node: string;
  sources: Record<string, SourceDoc>;
  /** Absent when the table has a device (the read takes /device/readPulseNs). */
  readCycle?: TimingEntry;
  device?: DeviceEntry;
  cell: CellEntry;
  dac: ResolutionEntry[];
  adc: (ResolutionEntry & { timeNs: number })[];
  senseAmp: CostEntry;
  sampleHold: CostEntry;
  tilePeripheral?: CostEntry;
  adder: CostEntry;
  comparator: CostEntry;
  buffer: { register: CostEntry; edram: CostEntry };
}

/** A table as loaded: the document plus where it came from (for reports). */
export interface LoadedTech { table: TechTable; file: string }

/** A cost entry picked from a table, with the JSON pointer it lives at. */
export interface TechRef<T = CostEntry> { pointer: string; entry: T }

export const TECH_AJV_OPTIONS: Options = { allErrors: true, strict: true, strictRequired: false, verbose: true };

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= schemaValidator(TECH_SCHEMA_PATH, TECH_AJV_OPTIONS);
  return compiled;
}

/** Load and check a technology table file; throws RramGenError (exit 2 in the CLI) when it is bad. */
export function loadTechFile(path: string, displayName = path): LoadedTech {
  const doc = readJsonFile(path, displayName, MAX_TECH_BYTES);
  return { table: validateTechDocument(doc, displayName), file: displayName };
}

/** The shipped default table. */
export function loadDefaultTech(): LoadedTech {
  return loadTechFile(DEFAULT_TECH_PATH, 'tech/default.json');
}

/** Check a parsed technology table: JSON Schema first, then sources and resolutions. */
export function validateTechDocument(doc: unknown, file: string): TechTable {
  const structural = checkTechSchema(doc, file);
  if (structural.length > 0) throw new RramGenError(structural);
  const table = doc as TechTable;
  const problems = checkTechSemantics(table, file);
  if (problems.length > 0) throw new RramGenError(problems);
  return table;
}

/**
 * Every numeric field of every entry is covered by a citation of a known
 * source; resolutions are unique; the read pulse and the cell read energy are
 * given once (by the device, or by readCycle and /cell/energyPj).
 */
function checkTechSemantics(t: TechTable, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (t.device !== undefined) {
    if (t.readCycle !== undefined) out.push(diag('tech-invalid', '/readCycle', 'give the read time once: with /device the read takes /device/readPulseNs (remove /readCycle)', file));
    if (t.cell.energyPj !== undefined) out.push(diag('tech-invalid', '/cell/energyPj', 'with /device the cell read energy is V² × G × readPulseNs (remove /cell/energyPj)', file));
    const d = t.device;
    d.source.forEach((c, i) => {
      if (!Object.prototype.hasOwnProperty.call(t.sources, c.ref)) out.push(diag('tech-invalid', `/device/source/${i}/ref`, `unknown source "${c.ref}" (not a key of /sources)`, file));
    });
    for (const field of DEVICE_FIELDS) {
      if (!d.source.some((c) => c.covers === undefined || c.covers.includes(field))) {
        out.push(diag('tech-invalid', `/device/${field}`, `no source covers ${field} (list it in a citation's "covers")`, file));
      }
    }
    if (d.stuckAtOnRate + d.stuckAtOffRate > 1) out.push(diag('tech-invalid', '/device/stuckAtOffRate', `stuck-at rates add up to ${d.stuckAtOnRate + d.stuckAtOffRate} > 1`, file));
  } else {
    if (t.readCycle === undefined) out.push(diag('tech-invalid', '/readCycle', 'a table without /device needs /readCycle (the read time)', file));
    if (t.cell.energyPj === undefined) out.push(diag('tech-invalid', '/cell/energyPj', 'a table without /device needs /cell/energyPj', file));
  }
  for (const { pointer, entry } of allEntries(t)) {
    entry.source.forEach((c, i) => {
      if (!Object.prototype.hasOwnProperty.call(t.sources, c.ref)) {
        out.push(diag('tech-invalid', `${pointer}/source/${i}/ref`, `unknown source "${c.ref}" (not a key of /sources)`, file));
      }
    });
    for (const field of COST_FIELDS) {
      if ((entry as unknown as Record<string, unknown>)[field] === undefined) continue;
      const cited = entry.source.some((c) => c.covers === undefined || c.covers.includes(field));
      if (!cited) out.push(diag('tech-invalid', `${pointer}/${field}`, `no source covers ${field} (list it in a citation's "covers")`, file));
    }
  }
  for (const kind of ['dac', 'adc'] as const) {
    const seen = new Map<number, number>();
    t[kind].forEach((e, i) => {
      const first = seen.get(e.bits);
      if (first !== undefined) out.push(diag('tech-invalid', `/${kind}/${i}/bits`, `a ${e.bits}-bit ${kind.toUpperCase()} is already given at /${kind}/${first}`, file));
      else seen.set(e.bits, i);
    });
  }
  return out;
}

/** Every cost entry of a table with its pointer, in document order. */
export function allEntries(t: TechTable): { pointer: string; entry: CostEntry | CellEntry | TimingEntry; name: string }[] {
  const list: { pointer: string; entry: CostEntry | CellEntry | TimingEntry; name: string }[] = [
    ...(t.readCycle !== undefined ? [{ pointer: '/readCycle', entry: t.readCycle, name: 'crossbar read cycle' }] : []),
    { pointer: '/cell', entry: t.cell, name: 'RRAM cell' },
    ...t.dac.map((e, i) => ({ pointer: `/dac/${i}`, entry: e, name: e.bits === 1 ? 'wordline driver (1-bit DAC)' : `DAC ${e.bits}b` })),
    ...t.adc.map((e, i) => ({ pointer: `/adc/${i}`, entry: e, name: `ADC ${e.bits}b` })),
    { pointer: '/senseAmp', entry: t.senseAmp, name: 'sense amplifier' },
    { pointer: '/sampleHold', entry: t.sampleHold, name: 'sample-and-hold' },
  ];
  if (t.tilePeripheral !== undefined) list.push({ pointer: '/tilePeripheral', entry: t.tilePeripheral, name: 'tile periphery' });
  list.push(
    { pointer: '/adder', entry: t.adder, name: 'adder' },
    { pointer: '/comparator', entry: t.comparator, name: 'comparator (per bit)' },
    { pointer: '/buffer/register', entry: t.buffer.register, name: 'register buffer (per bit)' },
    { pointer: '/buffer/edram', entry: t.buffer.edram, name: 'eDRAM buffer (per bit)' },
  );
  return list;
}

/**
 * The entry for a `bits`-wide DAC or ADC: the exact resolution when the table
 * has it, else the next larger one, else the largest (reported as a
 * `tech-substituted` warning by the caller via `substituted`).
 */
export function pickResolution<T extends ResolutionEntry>(t: TechTable, kind: 'dac' | 'adc', bits: number): TechRef<T> & { substituted: boolean } {
  const list = t[kind] as T[];
  let best = -1;
  for (let i = 0; i < list.length; i++) {
    const b = list[i].bits;
    if (b >= bits && (best < 0 || b < list[best].bits)) best = i;
  }
  if (best < 0) {
    for (let i = 0; i < list.length; i++) if (best < 0 || list[i].bits > list[best].bits) best = i;
  }
  return { pointer: `/${kind}/${best}`, entry: list[best], substituted: list[best].bits !== bits };
}

/**
 * The measured envelope of the interface components: ADCs at ≥ 80 MS/s
 * spend at least about 0.2 pJ per conversion (B. Murmann, "ADC Performance
 * Survey 1997–2024", the energy floor of the survey's high-speed designs),
 * and a current sense amplifier decision costs 1–100 fJ (the default table's
 * MNSIM 2.0 SA is 1.6 fJ). Unit costs outside are not errors — a table may
 * model a future circuit — but the estimate says so.
 */
export const ENVELOPE = { adcMinPj: 0.2, adcMinMsps: 80, senseMinPj: 0.001, senseMaxPj: 0.1 } as const;

export function envelopeWarnings(t: TechTable, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  t.adc.forEach((e, i) => {
    const msps = 1000 / e.timeNs;
    if (msps >= ENVELOPE.adcMinMsps && e.energyPj < ENVELOPE.adcMinPj) {
      out.push(diag('tech-outside-envelope', `/adc/${i}/energyPj`,
        `${e.bits}-bit ADC at ${Math.round(msps)} MS/s costs ${e.energyPj} pJ per conversion, below the ~${ENVELOPE.adcMinPj} pJ that converters at ≥ ${ENVELOPE.adcMinMsps} MS/s reach in Murmann's ADC survey`, file));
    }
  });
  const sa = t.senseAmp.energyPj;
  if (sa < ENVELOPE.senseMinPj || sa > ENVELOPE.senseMaxPj) {
    out.push(diag('tech-outside-envelope', '/senseAmp/energyPj', `sense amplifier at ${sa * 1000} fJ per decision, outside 1–100 fJ`, file));
  }
  return out;
}

/** One crossbar read (one pipeline beat): the device's read pulse, else the table's read cycle. */
export function readTimeNs(t: TechTable): number {
  return t.device !== undefined ? t.device.readPulseNs : t.readCycle!.timeNs;
}

/** Cell conductances of a device, in siemens: level l of L is G_off + l/(L−1) × (G_on − G_off). */
export function deviceConductances(d: DeviceEntry): { gOn: number; gOff: number; step: number; levels: number } {
  const levels = 2 ** d.bitsPerCell;
  const gOn = 1 / d.onResistanceOhm;
  const gOff = gOn / d.onOffRatio;
  return { gOn, gOff, step: (gOn - gOff) / (levels - 1), levels };
}

export function checkTechSchema(doc: unknown, file: string): Diagnostic[] {
  const validate = validator();
  if (validate(doc)) return [];
  return schemaDiagnostics(validate.errors ?? [], file, TECH_FORMAT);
}
