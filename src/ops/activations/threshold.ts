// threshold: out = 1 if acc >= T[o] else 0 — one sense amplifier per column
// (hand-written RTL: templates/rtl/rram_sense_amp.sv).
import type { ThresholdActivation } from '../../ir/types.js';
import { packedConcat } from '../../emit/literals.js';
import type { RawActivation } from '../../ir/validate.js';
import type { ActivationChecks, ActivationOp } from './types.js';

function column(act: ThresholdActivation, o: number): (acc: number) => number {
  const t = act.thresholds[o];
  return (acc) => (acc >= t ? 1 : 0);
}

/** One threshold per column; a warning when a column's threshold lies outside what its accumulator can reach. */
function validate(ra: RawActivation, checks: ActivationChecks): { activation: ThresholdActivation; out: { bits: number; signed: boolean } } {
  const { pointer, cols } = checks;
  const out = { bits: 1, signed: false };
  const thresholds = checks.values(ra.thresholds!, `${pointer}/thresholds`) ?? new Int32Array(cols);
  if (thresholds.length !== cols) {
    checks.error('threshold-count', `${pointer}/thresholds`, `expected ${cols} thresholds (one per output channel), got ${thresholds.length}`);
    return { activation: { type: 'threshold', thresholds: new Int32Array(cols) }, out };
  }
  if (checks.clean()) warnConstantColumns(thresholds, checks.columnRanges(), `${pointer}/thresholds`, checks);
  return { activation: { type: 'threshold', thresholds }, out };
}

function warnConstantColumns(thresholds: Int32Array, ranges: { min: number; max: number }[], pointer: string, checks: ActivationChecks): void {
  const constant = ranges.flatMap((r, c) => (thresholds[c] <= r.min || thresholds[c] > r.max ? [c] : []));
  if (constant.length === 0) return;
  const c = constant[0];
  const always = thresholds[c] <= ranges[c].min ? 1 : 0;
  const more = constant.length > 1 ? ` (${constant.length - 1} more columns alike)` : '';
  checks.warn('threshold-constant', `${pointer}/${c}`,
    `threshold ${thresholds[c]} lies outside the reachable accumulator range [${ranges[c].min}, ${ranges[c].max}]: column ${c} is always ${always}${more}`);
}

export const thresholdOp: ActivationOp<ThresholdActivation> = {
  type: 'threshold',
  validate,
  column,
  label: () => 'threshold',
  outBits: () => 1,
  readout: 'sense',
  comparedValues: (act) => act.thresholds,
  decisionLevels: (act, o) => [act.thresholds[o]],
  groupView: (act, colStart, colCount, accBits) => ({
    threshold: packedConcat(act.thresholds.subarray(colStart, colStart + colCount), accBits),
    none: false,
  }),
  macroOutput: () => 'One sense amplifier per column: y = (Σ w·x + bias ≥ T), 1 bit.',
  cost: () => ({ sense: true }),
  // A k-bit baseline reads the same column with a k-bit ADC and passes k bits on.
  baseline: (_act, k) => ({ adcBits: k, outBits: k }),
};
