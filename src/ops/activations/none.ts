// none: the raw accumulator (final layer only), signed, as wide as the merged
// accumulator — in silicon a full-resolution ADC per column.
import { rangeUnion, signedBitsFor } from '../../ir/ranges.js';
import { MAX_RAW_OUTPUT_BITS, type NoActivation } from '../../ir/types.js';
import type { ActivationOp } from './types.js';

export function rawLevel(acc: number): number {
  // The golden model holds outputs as Int32 (the validator bounds the width).
  if (acc !== (acc | 0)) throw new RangeError(`accumulator ${acc} does not fit in 32 bits`);
  return acc;
}

export const noneOp: ActivationOp<NoActivation> = {
  type: 'none',
  // The output is the accumulator itself: as wide as its reachable range, within what the golden model holds.
  validate: (_ra, checks) => {
    const total = rangeUnion(checks.columnRanges());
    const bits = signedBitsFor(total.min, total.max);
    if (bits > MAX_RAW_OUTPUT_BITS) {
      // The golden model and the result port hold raw accumulators as 32-bit integers.
      checks.error('limit-exceeded', `${checks.pointer}/type`, `the raw accumulator of this 'none' layer may reach [${total.min}, ${total.max}], ${bits} bits; the limit is ${MAX_RAW_OUTPUT_BITS} (use an adc read-out or smaller weights/bias)`);
      return undefined;
    }
    return { activation: { type: 'none' }, out: { bits, signed: true } };
  },
  column: () => rawLevel,
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
