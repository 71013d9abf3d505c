// concat: the inputs' channels side by side, in input order; every input has
// the same H×W and value width (unsigned). Hardware: a join of the input
// streams (templates/rtl/rram_join.sv, FIFOs on skip paths sized by the plan,
// src/plan/fifo-depth.ts), one output pixel carrying all channels; no logic.
import type { ConcatLayer } from '../ir/types.js';
import type { RawLayer } from '../ir/validate.js';
import type { GraphStage } from '../plan/plan.js';
import { type Geometry, type LayerChecks, type LayerCommon, type LayerOp, type OpCost, checkOutShape } from './layer-op.js';

export function concatOutGeometry(inShapes: readonly Geometry[]): Geometry {
  return { channels: inShapes.reduce((n, s) => n + s.channels, 0), height: inShapes[0].height, width: inShapes[0].width };
}

function validate(_rl: RawLayer, common: LayerCommon, checks: LayerChecks): ConcatLayer | undefined {
  if (!checks.sameShapes(common, common.pointer, 'a concat', true)) return undefined;
  const outShape = { ...common.inShape, ...concatOutGeometry(common.inShapes) };
  if (!checks.mapSize(outShape, common.pointer)) return undefined;
  return { ...common, type: 'concat', outShape };
}

function reference(layer: ConcatLayer, _input: Int32Array, inputs: readonly Int32Array[] = [_input]): Int32Array {
  checkOutShape(layer, concatOutGeometry(layer.inShapes));
  // C,H,W order: concatenating channels is concatenating the arrays.
  const out = new Int32Array(inputs.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of inputs) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}

/** Wires and the stage's output register only: nothing to price but its buffer (none). */
function cost(_stage: GraphStage, inBits: number): OpCost {
  return { lines: [], compareBits: 0, outBits: inBits };
}

export const concatOp: LayerOp<ConcatLayer> = {
  type: 'concat',
  outGeometry: (layer, inShape) => concatOutGeometry(layer.inShapes.length > 0 ? layer.inShapes : [inShape]),
  validate,
  reference,
  inputBuffer: () => ({ kind: 'direct', bits: 0 }),
  stageTemplate: 'concat-stage.sv.hbs',
  describe: (s) => `Layer ${s.layer.name}: channel concat of ${s.layer.inShapes.length} inputs (${s.layer.inShapes.map((x) => x.channels).join(' + ')} channels).`,
  cost,
};
