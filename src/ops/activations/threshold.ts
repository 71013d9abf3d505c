// threshold: out = 1 if acc >= T[o] else 0 — one sense amplifier per column
// (hand-written RTL: templates/rtl/rram_sense_amp.sv).
import type { ThresholdActivation } from '../../ir/types.js';
import { packedConcat } from '../../emit/literals.js';
import type { ActivationOp } from './types.js';

export function thresholdLevel(act: ThresholdActivation, o: number, acc: number): number {
  return acc >= act.thresholds[o] ? 1 : 0;
}

export const thresholdOp: ActivationOp<ThresholdActivation> = {
  type: 'threshold',
  level: thresholdLevel,
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
