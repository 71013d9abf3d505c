// Accumulator bounds of a matrix layer, from its IR object, for sizing
// hardware words and the width of a final `none` layer. The arithmetic lives
// in src/ir/ranges.ts (the validator sizes `none` outputs with it); this is
// the layer-level view of it for the golden model, random nets and the planner.

import { type Range, columnRanges, rangeUnion, signedBitsFor } from '../ir/ranges.js';
import type { MapShape, MatrixLayer } from '../ir/types.js';
import { matrixCols, weightsPerColumn } from '../ops/index.js';

export { signedBitsFor };

export interface AccumulatorRange {
  /** Bounds over all columns, widened to include 0. */
  min: number;
  max: number;
  /** Bounds per output column (channel). */
  columns: Range[];
}

/** Smallest and largest value a map of this shape can hold. */
export function valueRange(shape: MapShape): Range {
  return shape.signed
    ? { min: -(2 ** (shape.bits - 1)), max: 2 ** (shape.bits - 1) - 1 }
    : { min: 0, max: 2 ** shape.bits - 1 };
}

/**
 * A bound, not the exact reachable set: every input value may be anything
 * 0..max of its width, and every window may see all weights (padded edges
 * only narrow the range). Matrix-layer inputs are never signed.
 */
export function accumulatorRange(layer: MatrixLayer): AccumulatorRange {
  const columns = columnRanges(layer.weights, matrixCols(layer), weightsPerColumn(layer), layer.bias, valueRange(layer.inShape).max);
  return { ...rangeUnion(columns), columns };
}

/** Weights the fast kernels hold (Int8 / i16 tables): |w| ≤ 127, i.e. at most 8-bit weights. */
export function weightsFit8Bits(layer: MatrixLayer): boolean {
  return layer.weights.every((w) => w >= -127 && w <= 127);
}

/** Whether every sum of the layer fits an int32, so the wrapping i32 kernels (fast.ts, program.ts, kernels.wat) are exact. */
export function accumulatorFitsInt32(layer: MatrixLayer): boolean {
  const { min, max } = accumulatorRange(layer);
  return min >= -(2 ** 31) && max <= 2 ** 31 - 1;
}
