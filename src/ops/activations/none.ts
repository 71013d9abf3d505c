// none: the raw accumulator (final layer only), signed, as wide as the merged
// accumulator — in silicon a full-resolution ADC per column.
import type { NoActivation } from '../../ir/types.js';
import type { ActivationOp } from './types.js';

export function rawLevel(acc: number): number {
  // The golden model holds outputs as Int32 (the validator bounds the width).
  if (acc !== (acc | 0)) throw new RangeError(`accumulator ${acc} does not fit in 32 bits`);
  return acc;
}

export const noneOp: ActivationOp<NoActivation> = {
  type: 'none',
  level: (_act, _o, acc) => rawLevel(acc),
  label: () => 'none',
  outBits: (_act, accBits) => accBits,
  readout: 'none',
  comparedValues: () => [],
  decisionLevels: () => [],
  groupView: () => ({ none: true }),
  macroOutput: (bits) => `No activation: the column value Σ w·x + bias itself, ${bits}-bit two's complement — a full-resolution ADC per column.`,
  cost: (_act, accBits) => ({ sense: false, adcBits: accBits, label: ` (raw ${accBits}-bit sum)` }),
  baseline: (_act, _k, accBits, outBits) => ({ adcBits: accBits, outBits }),
};
