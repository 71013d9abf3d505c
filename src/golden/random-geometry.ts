// The draws of net@2's window geometry for random nets (randomNet with
// `geometry: true`): rectangular kernels, per-axis strides, asymmetric
// padding, dilation, conv groups (depthwise among them) and padded,
// rectangular max-pools. Every draw is a valid layer (window.ts's rules).
import type { ConvLayer, MapShape } from '../ir/types.js';
import type { Window2d } from '../ops/window.js';
import type { Prng } from './prng.js';
import { type LayerSpec, convWithWeights } from './random-net.js';

export function randomGeometryConv(rng: Prng, spec: LayerSpec): ConvLayer {
  const { channels: C, height: H, width: W } = spec.inShape;
  // Groups: any divisor of C, so depthwise (groups = C) and plain (1) convs come up too.
  const divisors = Array.from({ length: C }, (_, i) => i + 1).filter((d) => C % d === 0);
  const groups = rng.pick(divisors);
  let kernelH = rng.int(1, 5);
  let kernelW = rng.int(1, 5);
  if ((C / groups) * kernelH * kernelW * groups > spec.budget) kernelH = kernelW = 1;
  const dilationH = kernelH > 1 ? rng.int(1, 2) : 1;
  const dilationW = kernelW > 1 ? rng.int(1, 2) : 1;
  const [padTop, padBottom] = sidePads(rng, dilationH * (kernelH - 1) + 1, H);
  const [padLeft, padRight] = sidePads(rng, dilationW * (kernelW - 1) + 1, W);
  const window: Window2d = { kernelH, kernelW, strideH: rng.int(1, 3), strideW: rng.int(1, 3), padTop, padLeft, padBottom, padRight, dilationH, dilationW };
  const perGroup = Math.max(1, Math.min(Math.floor(8 / groups), Math.floor(spec.budget / ((C / groups) * kernelH * kernelW * groups))));
  return convWithWeights(rng, spec, groups * rng.int(1, perGroup), window, groups);
}

/** A window of padded max-pooling: kernel up to 3×3 (not 1×1), stride up to the kernel, each padding below the kernel. */
export function randomPoolWindow(rng: Prng, inShape: MapShape): Window2d {
  const kernelH = rng.int(1, Math.min(3, inShape.height));
  const kernelW = rng.int(kernelH === 1 ? 2 : 1, Math.min(3, inShape.width));
  return {
    kernelH, kernelW, strideH: rng.int(1, kernelH), strideW: rng.int(1, kernelW),
    padTop: rng.int(0, kernelH - 1), padLeft: rng.int(0, kernelW - 1), padBottom: rng.int(0, kernelH - 1), padRight: rng.int(0, kernelW - 1),
    dilationH: 1, dilationW: 1,
  };
}

/** Padding before and after on one axis: each below the span, together enough for the span to fit n + both. */
function sidePads(rng: Prng, span: number, n: number): [number, number] {
  const before = rng.int(0, span - 1);
  const after = rng.int(Math.max(0, span - n - before), span - 1);
  return [before, after];
}
