// Number formatting for estimate reports and the CLI: fixed rules, no locale,
// so the same estimate always prints the same bytes.
import { groupDigits } from '../estimate/model.js';

export { groupDigits };

/** `x` to `digits` significant digits, never in exponent form, trailing zeros dropped. */
export function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const mag = Math.floor(Math.log10(Math.abs(x)));
  if (mag >= digits - 1) return groupDigits(x);
  const decimals = Math.min(12, digits - 1 - mag);
  let s = x.toFixed(decimals);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  const [int, frac] = s.split('.');
  return frac === undefined ? groupDigits(Number(int)) : `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

const ENERGY_UNITS: [number, string][] = [[1e9, 'mJ'], [1e6, 'µJ'], [1e3, 'nJ'], [1, 'pJ'], [1e-3, 'fJ']];

/** Energy given in pJ, in the largest unit that keeps the number ≥ 1. */
export function fmtEnergy(pj: number, digits = 3): string {
  if (pj === 0) return '0 pJ';
  for (const [scale, unit] of ENERGY_UNITS) {
    if (Math.abs(pj) >= scale) return `${sig(pj / scale, digits)} ${unit}`;
  }
  return `${sig(pj * 1e3, digits)} fJ`;
}

/** Area given in µm²: µm² below 0.01 mm², mm² above. */
export function fmtArea(um2: number, digits = 3): string {
  if (Math.abs(um2) >= 1e4) return `${sig(um2 / 1e6, digits)} mm²`;
  return `${sig(um2, digits)} µm²`;
}

/** Time given in ns. */
export function fmtTime(ns: number, digits = 3): string {
  if (Math.abs(ns) >= 1e6) return `${sig(ns / 1e6, digits)} ms`;
  if (Math.abs(ns) >= 1e3) return `${sig(ns / 1e3, digits)} µs`;
  return `${sig(ns, digits)} ns`;
}

export function fmtPct(fraction: number, decimals = 1): string {
  return `${(fraction * 100).toFixed(decimals)} %`;
}

export function fmtRate(perSecond: number): string {
  return `${sig(perSecond, 4)}/s`;
}

/** A unit cost as it sits in the table (up to 5 significant digits). */
export function fmtUnit(x: number): string {
  return sig(x, 5);
}
