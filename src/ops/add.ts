// add (residual): acc[c][y][x] = Σ_i weights[i][c]·in_i[c][y][x] + bias[c],
// then the layer's activation. Every input has the same C×H×W. An input that
// is a raw accumulator (a conv/dense with activation `none`, whose only
// consumer is this add) has weight 1 on every channel; at most one does.
// Hardware (src/plan/graph.ts, docs/rtl.md): no digital adder. With a raw
// input the add is fused into that conv/dense stage: the other inputs become
// extra crossbar rows (input i, channel c: weights[i][c] in column c only),
// the bias joins the layer's, the activation is the stage's read-out. Without
// one it is a crossbar stage of its own over all inputs' channels (diagonal
// weights), each input read as is, one pixel per beat.
import type { AddLayer, MapShape } from '../ir/types.js';
import type { RawLayer } from '../ir/validate.js';
import type { Range } from '../ir/ranges.js';
import { activationOp } from './activations/index.js';
import { type Geometry, type LayerChecks, type LayerCommon, type LayerOp, checkOutShape } from './layer-op.js';

function outGeometry(_layer: AddLayer, inShape: Geometry): Geometry {
  return { channels: inShape.channels, height: inShape.height, width: inShape.width };
}

/** Each input's value range per channel: 0..2^bits−1, or a raw input's accumulator range. */
export type InputRanges = (input: number, shape: MapShape) => Range[];

function validate(rl: RawLayer, common: LayerCommon, checks: LayerChecks): AddLayer | undefined {
  const { pointer, inShapes, inShape } = common;
  const C = inShape.channels;
  if (!checks.sameShapes(common, pointer, 'an add', false)) return undefined;
  const rawWeights = rl.weights as unknown as number[][];
  let ok = true;
  if (rawWeights.length !== inShapes.length) {
    checks.error('weight-count', `${pointer}/weights`, `expected ${inShapes.length} arrays (one per input), got ${rawWeights.length}`);
    return undefined;
  }
  const weights = rawWeights.map((w, i) => {
    if (w.length !== C) {
      checks.error('weight-count', `${pointer}/weights/${i}`, `expected ${C} values (one per channel of input ${i}), got ${w.length}`);
      ok = false;
    }
    return Int32Array.from({ length: C }, (_, c) => w[c] ?? 0);
  });
  weights.forEach((w, i) => { if (!checks.weightRange(w, `${pointer}/weights/${i}`)) ok = false; });
  let raws = 0;
  inShapes.forEach((s, i) => {
    if (!s.signed) return;
    raws++;
    if (raws > 1) {
      checks.error('add-raw-input', `${pointer}/inputs/${i}`, 'an add takes at most one raw accumulator (activation "none") input');
      ok = false;
    }
    const c = weights[i].findIndex((w) => w !== 1);
    if (c >= 0) {
      checks.error('add-raw-input', `${pointer}/weights/${i}/${c}`, `input ${i} is a raw accumulator: its weights must all be 1 (the sum joins the crossbar's), got ${weights[i][c]}`);
      ok = false;
    }
  });
  let bias = new Int32Array(C);
  if (rl.bias !== undefined) {
    const b = rl.bias as number[];
    if (b.length !== C) {
      checks.error('bias-count', `${pointer}/bias`, `expected ${C} values (one per channel), got ${b.length}`);
      ok = false;
    } else bias = Int32Array.from(b);
  }
  if (!ok) return undefined;
  const columnRanges = (): Range[] => {
    const per = common.inputs.map((_, i) => checks.inputRanges(common.inputs[i], inShapes[i]));
    return Array.from({ length: C }, (_, c) => {
      let min = bias[c];
      let max = bias[c];
      per.forEach((r, i) => {
        const w = weights[i][c];
        const a = w * r[c].min;
        const b = w * r[c].max;
        min += Math.min(a, b);
        max += Math.max(a, b);
      });
      return { min, max };
    });
  };
  const act = checks.activation(rl, pointer, C, columnRanges);
  if (act === undefined) return undefined;
  const outShape = { ...outGeometry({} as AddLayer, inShape), ...act.out };
  return { ...common, type: 'add', weights, bias, activation: act.activation, outShape };
}

function reference(layer: AddLayer, _input: Int32Array, inputs: readonly Int32Array[] = [_input]): Int32Array {
  const { channels: C, height: H, width: W } = layer.inShape;
  checkOutShape(layer, { channels: C, height: H, width: W });
  const P = H * W;
  const out = new Int32Array(C * P);
  const act = activationOp(layer.activation);
  for (let c = 0; c < C; c++) {
    const activate = act.column(layer.activation, c);
    for (let q = 0; q < P; q++) {
      let acc = layer.bias[c];
      for (let i = 0; i < inputs.length; i++) acc += layer.weights[i][c] * inputs[i][c * P + q];
      out[c * P + q] = activate(acc);
    }
  }
  return out;
}

export const addOp: LayerOp<AddLayer> = {
  type: 'add',
  outGeometry,
  validate,
  reference,
  // Each input is read as is, one pixel per beat (a fused add's main input is its conv/dense's).
  inputBuffer: () => ({ kind: 'direct', bits: 0 }),
  // The plan makes an add a crossbar stage (src/plan/graph.ts): the matrix stage renders and costs it.
  stageTemplate: 'matrix-stage.sv.hbs',
  describe: (s) => {
    const raw = s.add?.raw;
    const how = raw === undefined
      ? `a crossbar of its own over its ${s.layer.inShapes.length} inputs' channels (diagonal weights)`
      : `fused into ${raw.type} ${raw.name} (its ${s.rows - s.add!.skipRows} rows, then ${s.add!.skipRows} skip rows)`;
    return `Layer ${s.layer.name}: residual add, ${how}: ${s.rows}×${s.cols} on ${s.rowTiles}×${s.colTiles} tiles, activation ${s.layer.activation.type}.`;
  },
  cost: 'crossbar',
};
