// sumpool: out[c][y][x] = Σ in[c][y·sh+ky−top][x·sw+kx−left] over the k×k
// window (a max-pool's window geometry, window.ts: square kernel, no dilation),
// positions outside the map reading 0 — ONNX AveragePool /
// GlobalAveragePool without the 1/k², which the quantizer folds into the
// consumer (on a 1-bit map the sum is a count the next crossbar reads as a
// multi-bit input). Its own window generator and
// templates/rtl/rram_sumpool_reduce.sv; no crossbar.
import type { SumPoolLayer } from '../ir/types.js';
import type { PoolStage } from '../plan/plan.js';
import type { RawLayer } from '../ir/validate.js';
import { groupDigits } from '../estimate/digits.js';
import { type Geometry, type LayerChecks, type LayerCommon, type LayerOp, type OpCost, checkOutShape } from './layer-op.js';
import { describeWindow, windowOfFields, windowOutGeometry, windowProblems } from './window.js';

/** Widest sum a sumpool may output: the next stage reads it as a multi-bit input. */
export const MAX_SUMPOOL_BITS = 16;

export function sumpoolOutGeometry(layer: Pick<SumPoolLayer, 'window'>, inShape: Geometry): Geometry {
  return { channels: inShape.channels, ...windowOutGeometry(layer.window, inShape) };
}

/** Bits of the largest sum: k² values of `inBits` bits each at their maximum. */
export function sumpoolOutBits(kernel: number, inBits: number): number {
  return Math.ceil(Math.log2(kernel * kernel * (2 ** inBits - 1) + 1));
}

function validate(rl: RawLayer, common: LayerCommon, checks: LayerChecks): SumPoolLayer | undefined {
  const { pointer, inShape } = common;
  const window = windowOfFields({ kernel: rl.kernel, stride: rl.stride, padding: rl.padding }, 'kernel');
  // The adder tree (rram_sumpool_reduce) sums a square window.
  if (window.kernelH !== window.kernelW) {
    checks.error('kernel-too-large', `${pointer}/kernel`, `a sum-pool kernel is square (k, or [k, k]); got ${window.kernelH}×${window.kernelW}`);
    return undefined;
  }
  const problem = windowProblems(window, inShape, 'when-padded')[0];
  if (problem !== undefined) {
    checks.error(problem.code, `${pointer}/${problem.field}`, problem.message);
    return undefined;
  }
  const kernel = window.kernelH;
  const bits = sumpoolOutBits(kernel, inShape.bits);
  if (bits > MAX_SUMPOOL_BITS) {
    checks.error('limit-exceeded', pointer, `a ${kernel}×${kernel} sum of ${inShape.bits}-bit values needs ${bits} bits; the limit is ${MAX_SUMPOOL_BITS}`);
    return undefined;
  }
  const outShape = { ...sumpoolOutGeometry({ window }, inShape), bits, signed: false };
  if (!checks.mapSize(outShape, pointer)) return undefined;
  return { ...common, type: 'sumpool', window, outShape };
}

function reference(layer: SumPoolLayer, input: Int32Array): Int32Array {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { kernelH: k, strideH: sh, strideW: sw, padTop: top, padLeft: left } = layer.window;
  const { height: OH, width: OW } = sumpoolOutGeometry(layer, layer.inShape);
  checkOutShape(layer, { channels: C, height: OH, width: OW });
  const out = new Int32Array(C * OH * OW);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        let sum = 0;
        for (let ky = 0; ky < k; ky++) {
          for (let kx = 0; kx < k; kx++) {
            const iy = y * sh + ky - top;
            const ix = x * sw + kx - left;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W) sum += input[(c * H + iy) * W + ix];
          }
        }
        out[(c * OH + y) * OW + x] = sum;
      }
    }
  }
  return out;
}

/** An adder tree per channel: k²−1 two-input adders, each at most the output's width, one window per output. */
function cost(stage: PoolStage, inBits: number): OpCost {
  const k = (stage.layer as SumPoolLayer).window.kernelH;
  const k2 = k * k;
  const c = stage.inShape.channels;
  const outBits = sumpoolOutBits(k, inBits);
  const adds = stage.outBeats * c * (k2 - 1);
  return {
    lines: [{
      component: 'adder', item: `sum-pool adders (${k2}-input, ${outBits} b)`, tech: 'adder',
      instances: c * (k2 - 1), instancesFormula: `${c} channels × ${k2 - 1} adders`,
      op: 'addition', opsPerImage: adds, opsFormula: `${groupDigits(stage.outBeats)} outputs × ${c} channels × ${k2 - 1}`,
    }],
    compareBits: 0,
    outBits,
  };
}

/** The fields templates/sumpool-stage.sv.hbs adds to the common stage view. */
export function sumpoolViewFields(s: PoolStage): { channels: number; bits: number; kernel: number; reduceShape: { kw: number }[]; outBits: number } {
  // A square kernel: no KW override (reduceShape is the max-pool's rectangular case).
  return { channels: s.inShape.channels, bits: s.inShape.bits, kernel: (s.layer as SumPoolLayer).window.kernelH, reduceShape: [], outBits: s.outShape.bits };
}

export const sumpoolOp: LayerOp<SumPoolLayer> = {
  type: 'sumpool',
  outGeometry: sumpoolOutGeometry,
  validate,
  reference,
  inputBuffer: (layer) => ({ kind: 'window', window: layer.window, bits: layer.inShape.bits }),
  stageTemplate: 'sumpool-stage.sv.hbs',
  describe: (s) => {
    const { name, window } = s.layer as SumPoolLayer;
    const k = window.kernelH;
    return `Layer ${name}: sum-pool ${describeWindow(window)} (average pooling; the 1/${k * k} is in the next layer).`;
  },
  cost,
};
