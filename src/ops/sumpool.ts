// sumpool: out[c][y][x] = Σ in[c][y·s+ky−p][x·s+kx−p] over the k×k window at
// stride s, positions outside the map reading 0 — ONNX AveragePool /
// GlobalAveragePool without the 1/k², which the quantizer folds into the
// consumer (on a 1-bit map the sum is a count the next crossbar reads as a
// multi-bit input). Its own window generator and
// templates/rtl/rram_sumpool_reduce.sv; no crossbar.
import type { SumPoolLayer } from '../ir/types.js';
import type { PoolStage } from '../plan/plan.js';
import type { RawLayer } from '../ir/validate.js';
import { groupDigits } from '../estimate/digits.js';
import { convOutSide } from './conv.js';
import { type Geometry, type LayerChecks, type LayerCommon, type LayerOp, type OpCost, checkOutShape } from './layer-op.js';

/** Widest sum a sumpool may output: the next stage reads it as a multi-bit input. */
export const MAX_SUMPOOL_BITS = 16;

type SumPoolGeometry = Pick<SumPoolLayer, 'kernel' | 'stride' | 'padding'>;

export function sumpoolOutGeometry(layer: SumPoolGeometry, inShape: Geometry): Geometry {
  const { kernel: k, stride: s, padding: p } = layer;
  return { channels: inShape.channels, height: convOutSide(inShape.height, k, s, p), width: convOutSide(inShape.width, k, s, p) };
}

/** Bits of the largest sum: k² values of `inBits` bits each at their maximum. */
export function sumpoolOutBits(kernel: number, inBits: number): number {
  return Math.ceil(Math.log2(kernel * kernel * (2 ** inBits - 1) + 1));
}

function validate(rl: RawLayer, common: LayerCommon, checks: LayerChecks): SumPoolLayer | undefined {
  const { pointer, inShape } = common;
  const kernel = rl.kernel!;
  const stride = rl.stride ?? kernel;
  const padding = rl.padding ?? 0;
  if (padding >= kernel) {
    checks.error('padding-too-large', `${pointer}/padding`, `padding ${padding} must be smaller than the kernel ${kernel} (a window of padding only)`);
    return undefined;
  }
  if (kernel > inShape.height + 2 * padding || kernel > inShape.width + 2 * padding) {
    checks.error('kernel-too-large', `${pointer}/kernel`, `kernel ${kernel} is larger than the padded ${inShape.height + 2 * padding}×${inShape.width + 2 * padding} input map`);
    return undefined;
  }
  const bits = sumpoolOutBits(kernel, inShape.bits);
  if (bits > MAX_SUMPOOL_BITS) {
    checks.error('limit-exceeded', pointer, `a ${kernel}×${kernel} sum of ${inShape.bits}-bit values needs ${bits} bits; the limit is ${MAX_SUMPOOL_BITS}`);
    return undefined;
  }
  const outShape = { ...sumpoolOutGeometry({ kernel, stride, padding }, inShape), bits, signed: false };
  if (!checks.mapSize(outShape, pointer)) return undefined;
  return { ...common, type: 'sumpool', kernel, stride, padding, outShape };
}

function reference(layer: SumPoolLayer, input: Int32Array): Int32Array {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { kernel: k, stride: s, padding: p } = layer;
  const { height: OH, width: OW } = sumpoolOutGeometry(layer, layer.inShape);
  checkOutShape(layer, { channels: C, height: OH, width: OW });
  const out = new Int32Array(C * OH * OW);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        let sum = 0;
        for (let ky = 0; ky < k; ky++) {
          for (let kx = 0; kx < k; kx++) {
            const iy = y * s + ky - p;
            const ix = x * s + kx - p;
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
  const k2 = stage.layer.kernel * stage.layer.kernel;
  const c = stage.inShape.channels;
  const outBits = sumpoolOutBits(stage.layer.kernel, inBits);
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
export function sumpoolViewFields(s: PoolStage): { channels: number; bits: number; kernel: number; outBits: number } {
  return { channels: s.inShape.channels, bits: s.inShape.bits, kernel: s.layer.kernel, outBits: s.outShape.bits };
}

export const sumpoolOp: LayerOp<SumPoolLayer> = {
  type: 'sumpool',
  outGeometry: sumpoolOutGeometry,
  validate,
  reference,
  inputBuffer: (layer) => ({ kind: 'window', kernel: layer.kernel, stride: layer.stride, padding: layer.padding, bits: layer.inShape.bits }),
  stageTemplate: 'sumpool-stage.sv.hbs',
  describe: (s) => {
    const { name, kernel: k, stride, padding } = s.layer as SumPoolLayer;
    return `Layer ${name}: sum-pool ${k}×${k}, stride ${stride}, padding ${padding} (average pooling; the 1/${k * k} is in the next layer).`;
  },
  cost,
};
