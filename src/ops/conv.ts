// conv: acc[o][y][x] = Σ_{c in group(o)} Σ w[o][c−g0][ky][kx] ·
// in[c][y·sh+ky·dh−top][x·sw+kx·dw−left] + bias[o], positions outside the
// map reading 0 (window geometry: window.ts); then the layer's activation.
// One crossbar column per output channel, one read per output position, its
// input from a window generator (templates/rtl/rram_window_gen.sv). With
// groups, output group g reads input group g only: its weights are the block
// of window rows [g·Rg, (g+1)·Rg) and columns [g·Og, (g+1)·Og), and the plan
// cuts tiles per group block.
import type { ConvLayer } from '../ir/types.js';
import { activationOp } from './activations/index.js';
import type { RawLayer } from '../ir/validate.js';
import { type Geometry, type LayerChecks, type LayerCommon, type MatrixOp, checkOutShape, describeMatrixStage } from './layer-op.js';
import { type Window2d, describeWindow, isSquareWindow, windowOfFields, windowOutGeometry, windowProblems, windowTaps } from './window.js';

/** Weight-matrix rows of a conv: its unrolled window, kh·kw taps of every input channel. */
export function convRows(window: Window2d, inChannels: number): number {
  return windowTaps(window) * inChannels;
}

type ConvGeometry = Pick<ConvLayer, 'outChannels' | 'window'>;

export function convOutGeometry(layer: ConvGeometry, inShape: Geometry): Geometry {
  return { channels: layer.outChannels, ...windowOutGeometry(layer.window, inShape) };
}

/** Window rows and output columns of one group's block: rows [g·rows, (g+1)·rows), columns [g·cols, (g+1)·cols). */
export function convGroupBlock(layer: Pick<ConvLayer, 'window' | 'groups' | 'outChannels' | 'inShape'>): { rows: number; cols: number } {
  return { rows: convRows(layer.window, layer.inShape.channels / layer.groups), cols: layer.outChannels / layer.groups };
}

function validate(rl: RawLayer, common: LayerCommon, checks: LayerChecks): ConvLayer | undefined {
  const { pointer, inShape } = common;
  const window = windowOfFields(rl, 'one');
  const groups = rl.groups ?? 1;
  const outChannels = rl.outChannels!;
  const problem = windowProblems(window, inShape, 'always')[0];
  if (problem !== undefined) {
    checks.error(problem.code, `${pointer}/${problem.field}`, problem.message);
    return undefined;
  }
  if (inShape.channels % groups !== 0 || outChannels % groups !== 0) {
    checks.error('groups-indivisible', `${pointer}/groups`, `groups ${groups} must divide both the ${inShape.channels} input channels and the ${outChannels} output channels`);
    return undefined;
  }
  const rows = convRows(window, inShape.channels / groups);
  const perColumn = groups === 1 ? `${inShape.channels}` : `${inShape.channels / groups} (${inShape.channels} in ${groups} groups)`;
  const m = checks.matrix(rl, pointer, rows, outChannels, `${outChannels}×${perColumn}×${window.kernelH}×${window.kernelW}`, inShape);
  if (m === undefined) return undefined;
  const outShape = { ...convOutGeometry({ outChannels, window }, inShape), ...m.out };
  if (!checks.mapSize(outShape, pointer)) return undefined;
  return { ...common, type: 'conv', outChannels, window, groups, weights: m.weights, bias: m.bias, activation: m.activation, outShape };
}

function reference(layer: ConvLayer, input: Int32Array): Int32Array {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { outChannels: O, groups } = layer;
  const { kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padTop: top, padLeft: left, dilationH: dh, dilationW: dw } = layer.window;
  const { height: OH, width: OW } = convOutGeometry(layer, layer.inShape);
  checkOutShape(layer, { channels: O, height: OH, width: OW });
  const Cg = C / groups;
  const Og = O / groups;
  const out = new Int32Array(O * OH * OW);
  const act = activationOp(layer.activation);
  for (let o = 0; o < O; o++) {
    const activate = act.column(layer.activation, o);
    const c0 = Math.floor(o / Og) * Cg;
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        let acc = layer.bias[o];
        for (let c = 0; c < Cg; c++) {
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              const iy = y * sh + ky * dh - top;
              const ix = x * sw + kx * dw - left;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue; // padding reads 0
              acc += layer.weights[((o * Cg + c) * kh + ky) * kw + kx] * input[((c0 + c) * H + iy) * W + ix];
            }
          }
        }
        out[(o * OH + y) * OW + x] = activate(acc);
      }
    }
  }
  return out;
}

/** A grouped conv's header sentence names its groups and per-group blocks; an ungrouped one is any matrix stage's. */
function describe(s: Parameters<typeof describeMatrixStage>[0] & { layer: ConvLayer }): string {
  const { layer } = s;
  const plain = describeMatrixStage(s);
  const window = isSquareWindow(layer.window) ? '' : ` Window ${describeWindow(layer.window)}.`;
  if (layer.groups === 1) return `${plain}${window}`;
  const block = convGroupBlock(layer);
  return `Layer ${layer.name}: conv ${s.rows}×${s.cols} in ${layer.groups} groups of ${block.rows}×${block.cols}, ${s.tiles.length} tiles (${s.rowTiles}×${s.colTiles / layer.groups} per group), activation ${layer.activation.type}.${window}`;
}

export const convOp: MatrixOp<ConvLayer> = {
  type: 'conv',
  outGeometry: convOutGeometry,
  validate,
  reference,
  inputBuffer: (layer) => ({ kind: 'window', window: layer.window, bits: layer.inShape.bits }),
  rows: (layer) => convRows(layer.window, layer.inShape.channels),
  cols: (layer) => layer.outChannels,
  groups: (layer) => layer.groups,
  stageTemplate: 'matrix-stage.sv.hbs',
  describe,
  cost: 'crossbar',
};
