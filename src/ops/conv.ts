// conv: acc[o][y][x] = Σ w[o][c][ky][kx] · in[c][y·s+ky−p][x·s+kx−p] + bias[o],
// positions outside the map reading 0; then the layer's activation. One
// crossbar column per output channel, one read per output position, its
// input from a window generator (templates/rtl/rram_window_gen.sv).
import type { ConvLayer } from '../ir/types.js';
import { activate } from './activations/index.js';
import { type Geometry, type MatrixOp, checkOutShape, describeMatrixStage } from './layer-op.js';

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

function reference(layer: ConvLayer, input: Int32Array): Int32Array {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { outChannels: O, kernel: k, stride: s, padding: p } = layer;
  const { height: OH, width: OW } = convOutGeometry(layer, layer.inShape);
  checkOutShape(layer, { channels: O, height: OH, width: OW });
  const out = new Int32Array(O * OH * OW);
  for (let o = 0; o < O; o++) {
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
        out[(o * OH + y) * OW + x] = activate(layer.activation, o, acc);
      }
    }
  }
  return out;
}

export const convOp: MatrixOp<ConvLayer> = {
  type: 'conv',
  outGeometry: convOutGeometry,
  reference,
  inputBuffer: (layer) => ({ kind: 'window', kernel: layer.kernel, stride: layer.stride, padding: layer.padding, bits: layer.inShape.bits }),
  rows: (layer) => convRows(layer.kernel, layer.inShape.channels),
  cols: (layer) => layer.outChannels,
  stageTemplate: 'matrix-stage.sv.hbs',
  describe: describeMatrixStage,
};
