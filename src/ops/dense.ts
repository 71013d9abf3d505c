// dense: acc[o] = Σ w[o][i] · in[i] + bias[o], `in` being the input map
// flattened in C,H,W order; then the layer's activation. One crossbar read
// per image, its input from a flatten buffer (templates/rtl/rram_flatten_buf.sv)
// unless the input map is a single pixel.
import type { DenseLayer } from '../ir/types.js';
import { activationOp } from './activations/index.js';
import type { RawLayer } from '../ir/validate.js';
import { type Geometry, type LayerChecks, type LayerCommon, type MatrixOp, checkOutShape, describeMatrixStage } from './layer-op.js';

/** Weight-matrix rows of a dense layer: its whole input map. */
export function denseRows(inShape: Geometry): number {
  return inShape.channels * inShape.height * inShape.width;
}

export function denseOutGeometry(layer: Pick<DenseLayer, 'outFeatures'>): Geometry {
  return { channels: layer.outFeatures, height: 1, width: 1 };
}

function validate(rl: RawLayer, common: LayerCommon, checks: LayerChecks): DenseLayer | undefined {
  const { pointer, inShape } = common;
  const outFeatures = rl.outFeatures!;
  const rows = denseRows(inShape);
  const what = inShape.height * inShape.width > 1
    ? `${outFeatures}×(${inShape.channels}·${inShape.height}·${inShape.width}) (the ${inShape.channels}×${inShape.height}×${inShape.width} input flattened in C,H,W order)`
    : `${outFeatures}×${rows}`;
  const m = checks.matrix(rl, pointer, rows, outFeatures, what, inShape);
  if (m === undefined) return undefined;
  const outShape = { ...denseOutGeometry({ outFeatures }), ...m.out };
  return { ...common, type: 'dense', outFeatures, weights: m.weights, bias: m.bias, activation: m.activation, outShape };
}

function reference(layer: DenseLayer, input: Int32Array): Int32Array {
  // The input map is already stored flattened in C,H,W order.
  const n = input.length;
  const out = new Int32Array(layer.outFeatures);
  checkOutShape(layer, denseOutGeometry(layer));
  const act = activationOp(layer.activation);
  for (let o = 0; o < layer.outFeatures; o++) {
    let acc = layer.bias[o];
    for (let i = 0; i < n; i++) acc += layer.weights[o * n + i] * input[i];
    out[o] = act.column(layer.activation, o)(acc);
  }
  return out;
}

export const denseOp: MatrixOp<DenseLayer> = {
  type: 'dense',
  outGeometry: denseOutGeometry,
  validate,
  reference,
  inputBuffer: (layer) => {
    const { height, width, bits } = layer.inShape;
    return height * width > 1 ? { kind: 'flatten', bits } : { kind: 'direct', bits: 0 };
  },
  rows: (layer) => denseRows(layer.inShape),
  cols: (layer) => layer.outFeatures,
  groups: () => 1,
  stageTemplate: 'matrix-stage.sv.hbs',
  describe: describeMatrixStage,
  cost: 'crossbar',
};
