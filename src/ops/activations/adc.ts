// adc: out = clamp(floor((acc − offset) / step), 0, 2^bits − 1) — a k-bit
// ADC per column (hand-written RTL: templates/rtl/rram_adc_quant.sv, a flash
// converter counting the levels offset + L·step that acc reaches).
import type { AdcActivation } from '../../ir/types.js';
import type { ActivationOp } from './types.js';

/**
 * The ADC's code of an accumulator value, as a function with the ADC's
 * constants taken once. Also the quantizer's read-out
 * (src/quantize/refine.ts), so it takes the plain fields.
 */
export function adcCode(act: Pick<AdcActivation, 'bits' | 'offset' | 'step'>): (acc: number) => number {
  const { offset, step } = act;
  const top = 2 ** act.bits - 1;
  // Math.floor of an exact integer quotient n/d (|n| < 2^53) is the true
  // floor, also for negative n: rounding cannot reach the next integer.
  return (acc) => Math.min(Math.max(Math.floor((acc - offset) / step), 0), top);
}

export const adcOp: ActivationOp<AdcActivation> = {
  type: 'adc',
  // The schema bounds bits (1..8) and step (>= 1); any integer offset is meaningful.
  validate: (ra) => ({ activation: { type: 'adc', bits: ra.bits!, offset: ra.offset!, step: ra.step! }, out: { bits: ra.bits!, signed: false } }),
  column: (act) => adcCode(act),
  label: (act) => `adc${act.bits}`,
  outBits: (act) => act.bits,
  readout: 'adc',
  comparedValues: (act) => [act.offset],
  // Code L is reached at acc ≥ offset + L·step, L = 1 .. 2^bits − 1.
  decisionLevels: (act) => Array.from({ length: (1 << act.bits) - 1 }, (_, l) => act.offset + (l + 1) * act.step),
  groupView: (act) => ({ adc: { bits: act.bits, offset: act.offset, step: act.step }, none: false }),
  macroOutput: (bits) => `One ${bits}-bit ADC per column: the code is the number of levels the column reaches (a flash converter's thermometer count).`,
  cost: (act) => ({ sense: false, adcBits: act.bits, label: '' }),
  baseline: (act, _k, _accBits, outBits) => ({ adcBits: act.bits, outBits }),
};
