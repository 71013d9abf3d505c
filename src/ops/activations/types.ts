// What an activation (a matrix layer's read-out) defines: the integer formula
// and everything each pass derives from it. See src/ops/index.ts.
import type { Activation } from '../../ir/types.js';

/** The read-out hardware of one column. */
export type Readout = 'sense' | 'adc' | 'none';

/** The column-group fields templates/partials/column-group.sv.hbs switches on. */
export interface ActivationGroupView {
  threshold?: string;
  adc?: { bits: number; offset: number; step: number };
  none: boolean;
}

export interface ActivationOp<A extends Activation = Activation> {
  type: A['type'];
  /**
   * Column o's output for accumulator `acc` (an exact integer): the meaning
   * of the activation (docs/format.md). The golden reference, the fast path,
   * the quantizer and the macro docs all compute it through this function.
   */
  level(act: A, o: number, acc: number): number;
  /** How summaries name it, e.g. "threshold", "adc4". */
  label(act: A): string;
  /** Bits of each output value, given the signed width of the merged accumulator (the raw read-out outputs that). */
  outBits(act: A, accBits: number): number;
  /** Hardware per column in the plan: a sense amplifier, an ADC, or nothing (the raw sum leaves the stage). */
  readout: Readout;
  /** Constants the hardware compares the accumulator with: the accumulator's width must hold them too. */
  comparedValues(act: A): ArrayLike<number>;
  /** The accumulator levels column o decides at (a macro's reference currents, before the bias). */
  decisionLevels(act: A, o: number): number[];
  /** RTL view of one column group (columns `colStart` .. + `colCount`). */
  groupView(act: A, colStart: number, colCount: number, accBits: number): ActivationGroupView;
  /** What a macro's output is, one sentence of its .md (bitsPerColumn: the output width). */
  macroOutput(bitsPerColumn: number): string;
  /**
   * Cost: the 1-bit design's read-out (a sense amplifier, or an ADC of
   * `bits` with a label suffix), and in a k-bit baseline the ADC resolution
   * and the width of the values passed on.
   */
  cost(act: A, accBits: number): { sense: true } | { sense: false; adcBits: number; label: string };
  baseline(act: A, k: number, accBits: number, outBits: number): { adcBits: number; outBits: number };
}
