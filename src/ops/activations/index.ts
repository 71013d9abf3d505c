// The activations of matrix layers, by type. A new one is one file here plus
// a line in ACTIVATIONS (and its schema, validator and RTL).
import type { Activation } from '../../ir/types.js';
import { adcOp } from './adc.js';
import { noneOp } from './none.js';
import { thresholdOp } from './threshold.js';
import type { ActivationOp } from './types.js';

export { adcCode } from './adc.js';
export { rawLevel } from './none.js';
export type { ActivationChecks, ActivationGroupView, ActivationOp, Readout } from './types.js';

type ActivationOps = { [T in Activation['type']]: ActivationOp<Extract<Activation, { type: T }>> };

const ACTIVATIONS: ActivationOps = { threshold: thresholdOp, adc: adcOp, none: noneOp };

export function activationOp<A extends Activation>(act: A): ActivationOp<A> {
  return ACTIVATIONS[act.type] as unknown as ActivationOp<A>;
}

/** The operator of an activation type, for callers that hold only the type (a macro description). */
export function activationOpOfType(type: Activation['type']): ActivationOp {
  return ACTIVATIONS[type] as ActivationOp;
}

/** Column o's output for accumulator `acc` (DESIGN.md section 2, Activations). */
export function activate(act: Activation, o: number, acc: number): number {
  return activationOp(act).column(act, o)(acc);
}
