// conv: acc[o][y][x] = Σ w[o][c][ky][kx] · in[c][y·s+ky−p][x·s+kx−p] + bias[o],
// positions outside the map reading 0; then the layer's activation. One
// crossbar column per output channel, one read per output position, its
// input from a window generator (templates/rtl/rram_window_gen.sv).
import type { ConvLayer } from '../ir/types.js';
import { activationOp } from './activations/index.js';
import type { RawLayer } from '../ir/validate.js';
import { type Geometry, type LayerChecks, type LayerCommon, type MatrixOp, checkOutShape, describeMatrixStage } from './layer-op.js';

/** Output positions along one axis: a `kernel` window at `stride` over n values padded by `padding` each side. */
export function convOutSide(n: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((n + 2 * padding - kernel) / stride) + 1;
}

/** Weight-matrix rows of a conv: its unrolled k×k×C window. */
export function convRows(kernel: number, inChannels: number): number {
  return kernel * kernel * inChannels;
}

type ConvGeometry = Pick<ConvLayer, 'outChannels' | 'kernel' | 'stride' | 'padding'>;

export function convOutGeometry(layer: ConvGeometry, inShape: Geometry): Geometry {
  const { kernel: k, stride: s, padding: p } = layer;
  return { channels: layer.outChannels, height: convOutSide(inShape.height, k, s, p), width: convOutSide(inShape.width, k, s, p) };
}

function validate(rl: RawLayer, common: LayerCommon, checks: LayerChecks): ConvLayer | undefined {
  const { pointer, inShape } = common;
  const kernel = rl.kernel!;
  const stride = rl.stride ?? 1;
  const padding = rl.padding ?? 0;
  const outChannels = rl.outChannels!;
  if (padding >= kernel) {
    checks.error('padding-too-large', `${pointer}/padding`, `padding ${padding} must be smaller than the kernel ${kernel} (a window of padding only)`);
    return undefined;
  }
  if (kernel > inShape.height + 2 * padding || kernel > inShape.width + 2 * padding) {
    checks.error('kernel-too-large', `${pointer}/kernel`, `kernel ${kernel} is larger than the padded ${inShape.height + 2 * padding}×${inShape.width + 2 * padding} input map`);
    return undefined;
  }
  const rows = convRows(kernel, inShape.channels);
  const m = checks.matrix(rl, pointer, rows, outChannels, `${outChannels}×${inShape.channels}×${kernel}×${kernel}`, inShape);
  if (m === undefined) return undefined;
  const outShape = { ...convOutGeometry({ outChannels, kernel, stride, padding }, inShape), ...m.out };
  if (!checks.mapSize(outShape, pointer)) return undefined;
  return { ...common, type: 'conv', outChannels, kernel, stride, padding, weights: m.weights, bias: m.bias, activation: m.activation, outShape };
}

function reference(layer: ConvLayer, input: Int32Array): Int32Array {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { outChannels: O, kernel: k, stride: s, padding: p } = layer;
  const { height: OH, width: OW } = convOutGeometry(layer, layer.inShape);
  checkOutShape(layer, { channels: O, height: OH, width: OW });
  const out = new Int32Array(O * OH * OW);
  const act = activationOp(layer.activation);
  for (let o = 0; o < O; o++) {
    const activate = act.column(layer.activation, o);
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        let acc = layer.bias[o];
        for (let c = 0; c < C; c++) {
          for (let ky = 0; ky < k; ky++) {
            for (let kx = 0; kx < k; kx++) {
              const iy = y * s + ky - p;
              const ix = x * s + kx - p;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue; // padding reads 0
              acc += layer.weights[((o * C + c) * k + ky) * k + kx] * input[(c * H + iy) * W + ix];
            }
          }
        }
        out[(o * OH + y) * OW + x] = activate(acc);
      }
    }
  }
  return out;
}

export const convOp: MatrixOp<ConvLayer> = {
  type: 'conv',
  outGeometry: convOutGeometry,
  validate,
  reference,
  inputBuffer: (layer) => ({ kind: 'window', kernel: layer.kernel, stride: layer.stride, padding: layer.padding, bits: layer.inShape.bits }),
  rows: (layer) => convRows(layer.kernel, layer.inShape.channels),
  cols: (layer) => layer.outChannels,
  stageTemplate: 'matrix-stage.sv.hbs',
  describe: describeMatrixStage,
  cost: 'crossbar',
};
