// Operators: one module per operator, holding everything its meaning
// decides, in the manner of FINN's custom ops (a thresholding.py next to its
// RTL wrapper). Every pass asks the operator instead of switching on the
// layer type itself, so an operator's meaning is written in one place.
//
// A layer operator (conv.ts, dense.ts, maxpool.ts; the LayerOp interface in
// layer-op.ts) holds:
//   - its validation and shape rule: validate (the checks of its own
//     parameters, given the validator's shared ones as LayerChecks, and the
//     IR layer it makes) and outGeometry,
//   - its golden reference: DESIGN.md section 2 as plain loops (reference),
//   - its plan entry: how the stage receives its input (inputBuffer) and,
//     for a crossbar layer (MatrixOp), the weight matrix's rows and columns
//     that the planner cuts into tiles, read registers and cycles,
//   - its RTL view: the stage template and the header sentence (the
//     template's own fields where it has any, e.g. poolViewFields),
//   - its cost entry: 'crossbar' (the estimator's shared crossbar costing,
//     whose read-out part is the activation's) or its own counts (OpCost),
//     which src/estimate/model.ts prices from the technology table.
// An activation (activations/threshold.ts, adc.ts, none.ts; ActivationOp in
// activations/types.ts) holds its validation (validate: its fields, the
// width of what it outputs, its warnings), the integer formula ONCE (level) —
// the golden reference, the fast path, the quantizer's read-out and the macro
// docs all call it — and what the plan, the RTL view (column-group fields),
// the macro description and the estimate derive from it.
//
// Still elsewhere, on purpose: the fast golden kernels (src/golden/fast.ts,
// program.ts, kernels.wat), which serve every matrix layer through one im2col
// view and are proven equal to the references here by test/golden; the
// hand-written RTL (templates/rtl/) and its unit testbenches (sim/unit/),
// whose comments name the formula's TS file; the schema (schemas/).
//
// Adding an operator (avgpool, add, concat, ...): write src/ops/<name>.ts
// exporting a LayerOp (or MatrixOp), add its IR type to src/ir/types.ts and
// schemas/, register it in LAYER_OPS below, and give it its template and
// hand-written RTL. An activation: a file in activations/ registered in
// ACTIVATIONS (activations/index.ts).
import type { Layer, MatrixLayer } from '../ir/types.js';
import { convOp } from './conv.js';
import { denseOp } from './dense.js';
import type { LayerOp, MatrixOp } from './layer-op.js';
import { maxpoolOp } from './maxpool.js';
import { addOp } from './add.js';
import { concatOp } from './concat.js';

export type { Geometry, LayerChecks, LayerCommon, LayerOp, MatrixOp, OpCost, StageOf } from './layer-op.js';

type LayerOps = { [T in Layer['type']]: LayerOp<Extract<Layer, { type: T }>> };

const LAYER_OPS: LayerOps = { conv: convOp, dense: denseOp, maxpool: maxpoolOp, add: addOp, concat: concatOp };

/** The operator of a layer. */
export function opFor<L extends Layer>(layer: L): LayerOp<L> {
  return LAYER_OPS[layer.type] as unknown as LayerOp<L>;
}

/** The operator of a layer type (the validator holds only the raw JSON). */
export function opOfType(type: Layer['type']): LayerOp {
  return LAYER_OPS[type] as LayerOp;
}

/** The operator of a crossbar layer. */
export function matrixOpFor<L extends MatrixLayer>(layer: L): MatrixOp<L> {
  return LAYER_OPS[layer.type] as unknown as MatrixOp<L>;
}

/** Rows of the layer's weight matrix: the length of one unrolled input window. */
export function matrixRows(layer: MatrixLayer): number {
  return matrixOpFor(layer).rows(layer);
}

/** Columns of the layer's weight matrix: one per output channel. */
export function matrixCols(layer: MatrixLayer): number {
  return matrixOpFor(layer).cols(layer);
}
