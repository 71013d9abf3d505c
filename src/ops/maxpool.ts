// maxpool: out[c][y][x] = max over the k×k window at stride s (an OR for
// 1-bit maps); no padding. Its own window generator and
// templates/rtl/rram_maxpool_reduce.sv; no crossbar.
import type { MaxPoolLayer } from '../ir/types.js';
import type { PoolStage } from '../plan/plan.js';
import type { RawLayer } from '../ir/validate.js';
import { groupDigits } from '../estimate/digits.js';
import { type Geometry, type LayerChecks, type LayerCommon, type LayerOp, type OpCost, checkOutShape } from './layer-op.js';

/** Output positions along one axis: a `kernel` window at `stride` over n values. */
export function poolOutSide(n: number, kernel: number, stride: number): number {
  return Math.floor((n - kernel) / stride) + 1;
}

export function poolOutGeometry(layer: Pick<MaxPoolLayer, 'kernel' | 'stride'>, inShape: Geometry): Geometry {
  return { channels: inShape.channels, height: poolOutSide(inShape.height, layer.kernel, layer.stride), width: poolOutSide(inShape.width, layer.kernel, layer.stride) };
}

function validate(rl: RawLayer, common: LayerCommon, checks: LayerChecks): MaxPoolLayer | undefined {
  const { pointer, inShape } = common;
  const kernel = rl.kernel!;
  const stride = rl.stride ?? kernel;
  if (kernel > inShape.height || kernel > inShape.width) {
    checks.error('kernel-too-large', `${pointer}/kernel`, `kernel ${kernel} is larger than the ${inShape.height}×${inShape.width} input map`);
    return undefined;
  }
  const outShape = { ...inShape, ...poolOutGeometry({ kernel, stride }, inShape) };
  return { ...common, type: 'maxpool', kernel, stride, outShape };
}

function reference(layer: MaxPoolLayer, input: Int32Array): Int32Array {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { kernel: k, stride: s } = layer;
  const { height: OH, width: OW } = poolOutGeometry(layer, layer.inShape);
  checkOutShape(layer, { channels: C, height: OH, width: OW });
  const out = new Int32Array(C * OH * OW);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        let m = -Infinity;
        for (let ky = 0; ky < k; ky++) {
          for (let kx = 0; kx < k; kx++) {
            m = Math.max(m, input[(c * H + y * s + ky) * W + x * s + kx]);
          }
        }
        out[(c * OH + y) * OW + x] = m;
      }
    }
  }
  return out;
}

/** k²−1 two-input comparators per channel and bit (an OR tree for 1-bit maps), one window per output. */
function cost(stage: PoolStage, inBits: number): OpCost {
  const k2 = stage.layer.kernel * stage.layer.kernel;
  const c = stage.inShape.channels;
  const compareBits = stage.outBeats * c * (k2 - 1) * inBits;
  return {
    lines: [{
      component: 'logic', item: inBits === 1 ? `max-pool OR (${k2}-input)` : `max-pool comparators (${k2}-input)`, tech: 'comparator',
      instances: c * (k2 - 1) * inBits, instancesFormula: `${c} channels × ${k2 - 1} comparators × ${inBits} b`,
      op: 'bit compare', opsPerImage: compareBits, opsFormula: `${groupDigits(stage.outBeats)} outputs × ${c} channels × ${k2 - 1} × ${inBits} b`,
    }],
    compareBits,
    // A max passes its input's width on.
    outBits: inBits,
  };
}

/** The fields templates/pool-stage.sv.hbs adds to the common stage view. */
export function poolViewFields(s: PoolStage): { channels: number; bits: number; kernel: number } {
  return { channels: s.inShape.channels, bits: s.inShape.bits, kernel: s.layer.kernel };
}

export const maxpoolOp: LayerOp<MaxPoolLayer> = {
  type: 'maxpool',
  outGeometry: poolOutGeometry,
  validate,
  reference,
  inputBuffer: (layer) => ({ kind: 'window', kernel: layer.kernel, stride: layer.stride, padding: 0, bits: layer.inShape.bits }),
  stageTemplate: 'pool-stage.sv.hbs',
  describe: (s) => `Layer ${s.layer.name}: max-pool ${s.layer.kernel}×${s.layer.kernel}, stride ${s.layer.stride}.`,
  cost,
};
