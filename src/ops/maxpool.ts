// maxpool: out[c][y][x] = max over the kh×kw window at stride (sh, sw)
// (an OR for 1-bit maps), padded positions reading 0 — the neutral element
// of an unsigned max, so the same as padding never winning (every window
// holds a map value, padding being smaller than the kernel; the quantizer
// pools signed accumulators so). Window geometry: window.ts; no dilation. Its own
// window generator and templates/rtl/rram_maxpool_reduce.sv; no crossbar.
import type { MaxPoolLayer } from '../ir/types.js';
import type { PoolStage } from '../plan/plan.js';
import type { RawLayer } from '../ir/validate.js';
import { groupDigits } from '../estimate/digits.js';
import { type Geometry, type LayerChecks, type LayerCommon, type LayerOp, type OpCost, checkOutShape } from './layer-op.js';
import { describeWindow, isSquareWindow, windowOfFields, windowOutGeometry, windowProblems, windowTaps } from './window.js';

export function poolOutGeometry(layer: Pick<MaxPoolLayer, 'window'>, inShape: Geometry): Geometry {
  return { channels: inShape.channels, ...windowOutGeometry(layer.window, inShape) };
}

function validate(rl: RawLayer, common: LayerCommon, checks: LayerChecks): MaxPoolLayer | undefined {
  const { pointer, inShape } = common;
  const window = windowOfFields({ kernel: rl.kernel, stride: rl.stride, padding: rl.padding }, 'kernel');
  const problem = windowProblems(window, inShape, 'when-padded')[0];
  if (problem !== undefined) {
    checks.error(problem.code, `${pointer}/${problem.field}`, problem.message);
    return undefined;
  }
  const outShape = { ...inShape, ...poolOutGeometry({ window }, inShape) };
  return { ...common, type: 'maxpool', window, outShape };
}

function reference(layer: MaxPoolLayer, input: Int32Array): Int32Array {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padTop: top, padLeft: left } = layer.window;
  const { height: OH, width: OW } = poolOutGeometry(layer, layer.inShape);
  checkOutShape(layer, { channels: C, height: OH, width: OW });
  const out = new Int32Array(C * OH * OW);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        let m = -Infinity;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const iy = y * sh + ky - top;
            const ix = x * sw + kx - left;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue; // padding never wins
            m = Math.max(m, input[(c * H + iy) * W + ix]);
          }
        }
        out[(c * OH + y) * OW + x] = m;
      }
    }
  }
  return out;
}

/** kh·kw−1 two-input comparators per channel and bit (an OR tree for 1-bit maps), one window per output. */
function cost(stage: PoolStage, inBits: number): OpCost {
  const k2 = windowTaps(stage.layer.window);
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

/**
 * The fields templates/pool-stage.sv.hbs adds to the common stage view: the
 * kernel height (the reduction's K) and, for a rectangular window, its width
 * (reduceShape: the KW parameter, else none).
 */
export function poolViewFields(s: PoolStage): { channels: number; bits: number; kernel: number; reduceShape: { kw: number }[] } {
  const w = s.layer.window;
  const reduceShape = w.kernelH === w.kernelW ? [] : [{ kw: w.kernelW }];
  return { channels: s.inShape.channels, bits: s.inShape.bits, kernel: w.kernelH, reduceShape };
}

function describe(s: PoolStage): string {
  const w = s.layer.window;
  return isSquareWindow(w) && w.padTop === 0
    ? `Layer ${s.layer.name}: max-pool ${w.kernelH}×${w.kernelH}, stride ${w.strideH}.`
    : `Layer ${s.layer.name}: max-pool ${describeWindow(w)}.`;
}

export const maxpoolOp: LayerOp<MaxPoolLayer> = {
  type: 'maxpool',
  outGeometry: poolOutGeometry,
  validate,
  reference,
  inputBuffer: (layer) => ({ kind: 'window', window: layer.window, bits: layer.inShape.bits }),
  stageTemplate: 'pool-stage.sv.hbs',
  describe,
  cost,
};
