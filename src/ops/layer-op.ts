// What a layer operator module defines (see index.ts for how to add one).
import type { DiagnosticCode } from '../diagnostics/index.js';
import type { RawLayer } from '../ir/validate.js';
import type { Activation, AddLayer, ConcatLayer, Layer, MapShape, MatrixLayer } from '../ir/types.js';
import type { Range } from '../ir/ranges.js';
import type { GraphStage, InputBuffer, MatrixStage, PoolStage } from '../plan/plan.js';

/** Channels, height and width of a map, without its value width. */
export type Geometry = Pick<MapShape, 'channels' | 'height' | 'width'>;

/** Fields every IR layer has, filled in by the validator before the op checks the rest. */
export type LayerCommon = Pick<Layer, 'name' | 'pointer' | 'index' | 'inputs' | 'inShapes' | 'inShape'>;

/** What the validator (src/ir/validate.ts) lends an operator's check: its error list and its shared checks. */
export interface LayerChecks {
  error(code: DiagnosticCode, pointer: string, message: string): void;
  /**
   * Weights, bias and activation of a rows×cols crossbar matrix (`what`
   * names its shape in messages), and the output width they give; undefined
   * after recording the problems.
   */
  matrix(raw: RawLayer, pointer: string, rows: number, cols: number, what: string, inShape: MapShape):
    { weights: Int32Array; bias: Int32Array; activation: Activation; out: { bits: number; signed: boolean } } | undefined;
  /** False (and an error recorded) when the map is larger than the stated limit. */
  mapSize(shape: MapShape, pointer: string): boolean;
  /**
   * False (and an error recorded at /inputs/j) when the inputs differ in C×H×W
   * (add), or in H×W or value width or one is raw (concat: `channelsMayDiffer`);
   * `what` names the layer ("an add").
   */
  sameShapes(common: LayerCommon, pointer: string, what: string, channelsMayDiffer: boolean): boolean;
  /** False (and an error recorded) when a weight is outside the weight width. */
  weightRange(values: Int32Array, pointer: string): boolean;
  /** Per-channel value range of an input: 0..2^bits−1, or the accumulator range of a raw (activation none) producer. */
  inputRanges(input: number, shape: MapShape): Range[];
  /** The activation of a `cols`-column layer and its output width, given its reachable accumulator ranges. */
  activation(raw: RawLayer, pointer: string, cols: number, columnRanges: () => Range[]):
    { activation: Activation; out: { bits: number; signed: boolean } } | undefined;
}

/**
 * A stage's own cost, in counts: the estimator (src/estimate/model.ts)
 * prices each line with the technology-table entry it names and adds the
 * stage's input buffer.
 */
export interface OpCost {
  lines: {
    component: 'logic' | 'adder';
    item: string;
    /** The technology-table entry (/comparator, /adder) that prices one instance and one operation. */
    tech: 'comparator' | 'adder';
    instances: number;
    instancesFormula: string;
    op: string;
    opsPerImage: number;
    opsFormula: string;
  }[];
  /** Bit-comparisons per image (LayerCounts.compareBits). */
  compareBits: number;
  /** Width of the values the stage passes on. */
  outBits: number;
}

/** The plan's stage of a layer of type L. */
export type StageOf<L extends Layer> = [L] extends [MatrixLayer] ? MatrixStage & { layer: L }
  : [L] extends [AddLayer] ? MatrixStage : [L] extends [ConcatLayer] ? GraphStage : PoolStage;

export interface LayerOp<L extends Layer = Layer> {
  type: L['type'];
  /** Shape rule: the output map's geometry (the value width is the activation's, or the input's). */
  outGeometry(layer: L, inShape: Geometry): Geometry;
  /** Validation: the IR layer from its schema-valid JSON, or undefined after recording its problems in `checks`. */
  validate(raw: RawLayer, common: LayerCommon, checks: LayerChecks): L | undefined;
  /** Golden reference: DESIGN.md section 2 as plain loops, one value at a time (src/golden/reference.ts runs it); `inputs`: every input's map (add, concat), `input` the first. */
  reference(layer: L, input: Int32Array, inputs?: readonly Int32Array[]): Int32Array;
  /** Plan entry: how the stage receives its input (window generator, flatten buffer, or the stream as is). */
  inputBuffer(layer: L): InputBuffer;
  /** RTL view: the template that renders the stage, and the sentence its header says about it. */
  stageTemplate: string;
  describe(stage: StageOf<L>): string;
  /**
   * Cost entry: 'crossbar' for a layer the estimator costs as a crossbar
   * stage (wordline DACs, cells, the activation's read-out, merge adders,
   * input buffer), else the stage's own counts (input bits: its input width
   * in the design being costed).
   */
  cost: 'crossbar' | ((stage: StageOf<L>, inBits: number) => OpCost);
}

/** A layer that is a crossbar matrix-vector product (conv, dense): its matrix is what the plan cuts into tiles. */
export interface MatrixOp<L extends MatrixLayer = MatrixLayer> extends LayerOp<L> {
  /** Rows of the weight matrix: the length of one unrolled input window. */
  rows(layer: L): number;
  /** Columns: one per output channel. */
  cols(layer: L): number;
}

/** The header sentence of a matrix stage (conv, dense): its matrix, tiles and activation. */
export function describeMatrixStage(s: MatrixStage): string {
  return `Layer ${s.layer.name}: ${s.layer.type} ${s.rows}×${s.cols} on ${s.rowTiles}×${s.colTiles} tiles, activation ${s.layer.activation.type}.`;
}

/** The IR's shapes come from the validator; a disagreement is a bug there or in the op. */
export function checkOutShape(layer: Layer, want: Geometry): void {
  const got = layer.outShape;
  if (got.channels !== want.channels || got.height !== want.height || got.width !== want.width) {
    throw new Error(
      `layer ${layer.name}: outShape ${got.channels}x${got.height}x${got.width} ` +
        `disagrees with section 2 (${want.channels}x${want.height}x${want.width})`,
    );
  }
}
