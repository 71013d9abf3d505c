// What an activation (a matrix layer's read-out) defines: the integer formula
// and everything each pass derives from it. See src/ops/index.ts.
import type { DiagnosticCode } from '../../diagnostics/index.js';
import type { Range } from '../../ir/ranges.js';
import type { Activation } from '../../ir/types.js';
import type { RawActivation, RawValues } from '../../ir/validate.js';

/** The read-out hardware of one column. */
export type Readout = 'sense' | 'adc' | 'none';

/** The column-group fields templates/partials/column-group.sv.hbs switches on. */
export interface ActivationGroupView {
  threshold?: string;
  adc?: { bits: number; offset: number; step: number };
  none: boolean;
}

/** What the validator (src/ir/validate.ts) lends an activation's check, for a layer of `cols` columns. */
export interface ActivationChecks {
  /** JSON pointer of the activation, e.g. "/layers/2/activation". */
  pointer: string;
  cols: number;
  /** Reachable accumulator range of each column, from the layer's weights, bias and input width. */
  columnRanges(): Range[];
  /** Whether the layer has no error so far (a warning about its values makes sense only then). */
  clean(): boolean;
  /** Values given inline or in a sidecar file; undefined after recording why not. */
  values(v: RawValues, pointer: string): Int32Array | undefined;
  error(code: DiagnosticCode, pointer: string, message: string): void;
  warn(code: DiagnosticCode, pointer: string, message: string): void;
}

export interface ActivationOp<A extends Activation = Activation> {
  type: A['type'];
  /**
   * Validation: the IR activation from its schema-valid JSON and the width of
   * the values it outputs, or undefined after recording why there is none.
   */
  validate(raw: RawActivation, checks: ActivationChecks): { activation: A; out: { bits: number; signed: boolean } } | undefined;
  /**
   * Column o's output as a function of its accumulator (an exact integer),
   * the activation's constants taken once: the meaning of the activation
   * (docs/format.md), written only here. The golden reference (activate),
   * the fast path and the quantizer all compute outputs through it.
   */
  column(act: A, o: number): (acc: number) => number;
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
