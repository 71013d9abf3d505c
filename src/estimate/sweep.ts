// `estimate --sweep`: the same plan costed over a grid of the unit costs the
// headline depends on most — the cell's on-resistance, the read pulse, the
// sense-amplifier energy and the ADC table — so the interface share and the
// 1-bit design's saving are printed as ranges, with the corners that give
// their ends, instead of as one point.
import { RramGenError } from '../diagnostics/index.js';
import type { HwPlan } from '../plan/index.js';
import { type EstimateOptions, estimatePlan } from './model.js';
import type { LoadedTech, TechTable } from './tech.js';

export interface SweepPoint {
  onResistanceOhm: number;
  readPulseNs: number;
  senseAmpPj: number;
  adcTable: string;
  /** Per design (given design first, then baselines): energy per image and interface energy share. */
  energyPj: number[];
  interfaceEnergyShare: number[];
  /** Per baseline: 1 − E(design) / E(baseline). */
  energySaving: number[];
}

export interface SweepResult {
  axes: { onResistanceOhm: number[]; readPulseNs: number[]; senseAmpPj: number[]; adcTable: string[] };
  designs: string[];
  baselineBits: number[];
  points: SweepPoint[];
}

export const SWEEP_AXES = {
  onResistanceOhm: [1e4, 1e5, 1e6],
  readPulseNs: [1, 10, 100],
  senseAmpPj: [0.001, 0.01, 0.1],
};

/** Cost `plan` at every point of the grid (plus the base table's own values); `adcTables` lend their ADC entries (the base table's first). */
export function sweepEstimate(plan: HwPlan, base: LoadedTech, adcTables: LoadedTech[], opts: EstimateOptions = {}): SweepResult {
  const dev = base.table.device;
  if (dev === undefined) throw RramGenError.of('tech-no-device', '/device', 'the table has no device model; --sweep varies the device', base.file);
  const tables = [base, ...adcTables.filter((t) => t.file !== base.file)];
  // The grid plus the table's own values, so its own point is one of the points.
  const axis = (values: number[], own: number) => [...new Set([...values, own])].sort((a, b) => a - b);
  const axes = {
    onResistanceOhm: axis(SWEEP_AXES.onResistanceOhm, dev.onResistanceOhm),
    readPulseNs: axis(SWEEP_AXES.readPulseNs, dev.readPulseNs),
    senseAmpPj: axis(SWEEP_AXES.senseAmpPj, base.table.senseAmp.energyPj),
  };
  const points: SweepPoint[] = [];
  // The designs and baselines are the plan's and the options', the same at every point: named from the first.
  let names: Pick<SweepResult, 'designs' | 'baselineBits'> | undefined;
  for (const adc of tables) {
    for (const onResistanceOhm of axes.onResistanceOhm) {
      for (const readPulseNs of axes.readPulseNs) {
        for (const senseAmpPj of axes.senseAmpPj) {
          const table: TechTable = {
            ...base.table,
            device: { ...dev, onResistanceOhm, readPulseNs },
            senseAmp: { ...base.table.senseAmp, energyPj: senseAmpPj },
            adc: adc.table.adc,
          };
          const est = estimatePlan(plan, { table, file: base.file }, opts);
          names ??= { designs: est.designs.map((d) => d.label), baselineBits: est.savings.map((s) => s.baselineBits) };
          points.push({
            onResistanceOhm, readPulseNs, senseAmpPj, adcTable: adc.table.name,
            energyPj: est.designs.map((d) => d.energyPj),
            interfaceEnergyShare: est.designs.map((d) => d.interfaceEnergyShare),
            energySaving: est.savings.map((s) => s.energySaving),
          });
        }
      }
    }
  }
  return { axes: { ...axes, adcTable: tables.map((t) => t.table.name) }, ...names!, points };
}

/** The point of the sweep where f is smallest and where it is largest. */
export function extremes(points: SweepPoint[], f: (p: SweepPoint) => number): { min: SweepPoint; max: SweepPoint } {
  let min = points[0];
  let max = points[0];
  for (const p of points) {
    if (f(p) < f(min)) min = p;
    if (f(p) > f(max)) max = p;
  }
  return { min, max };
}
