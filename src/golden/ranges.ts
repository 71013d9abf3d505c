// Bounds of a matrix layer's accumulator, for sizing hardware words and the
// width of a final `none` layer. A bound, not the exact reachable set: every
// input value is taken as free to be anything its map width allows, and every
// window as seeing all weights (padded edges only narrow the range).

import type { MapShape, MatrixLayer } from '../ir/types.js';
import { matrixCols, matrixRows } from '../ir/types.js';

export interface AccumulatorRange {
  /** Smallest / largest accumulator over all columns. */
  min: number;
  max: number;
  /** Per output column (channel). */
  columnMin: Float64Array;
  columnMax: Float64Array;
}

/** Smallest and largest value a map of this shape can hold. */
export function valueRange(shape: MapShape): { min: number; max: number } {
  return shape.signed
    ? { min: -(2 ** (shape.bits - 1)), max: 2 ** (shape.bits - 1) - 1 }
    : { min: 0, max: 2 ** shape.bits - 1 };
}

export function accumulatorRange(layer: MatrixLayer): AccumulatorRange {
  const rows = matrixRows(layer);
  const cols = matrixCols(layer);
  const x = valueRange(layer.inShape);
  const columnMin = new Float64Array(cols);
  const columnMax = new Float64Array(cols);
  let min = Infinity;
  let max = -Infinity;
  for (let o = 0; o < cols; o++) {
    // Exact in doubles: |Σ| < 2^31 + rows·2^7·2^8, far below 2^53.
    let lo = layer.bias[o];
    let hi = layer.bias[o];
    for (let r = 0; r < rows; r++) {
      const w = layer.weights[o * rows + r];
      lo += Math.min(w * x.min, w * x.max);
      hi += Math.max(w * x.min, w * x.max);
    }
    columnMin[o] = lo;
    columnMax[o] = hi;
    min = Math.min(min, lo);
    max = Math.max(max, hi);
  }
  return { min, max, columnMin, columnMax };
}

/**
 * Width of the smallest two's complement word holding every value in
 * [min, max]. At least 2 bits, so a signed word always has a sign and a value
 * bit (this matches src/ir/ranges.ts).
 */
export function signedBitsFor(min: number, max: number): number {
  let bits = 2;
  while (-(2 ** (bits - 1)) > min || 2 ** (bits - 1) - 1 < max) bits++;
  return bits;
}
