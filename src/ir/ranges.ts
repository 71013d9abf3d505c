// Bounds on accumulator values, used to size hardware words and to give the
// final `none` layer's output width. A bound, not the exact reachable set:
// every input is assumed free to take any value in 0..inMax independently.

export interface Range { min: number; max: number }

/** Per-column [min, max] of acc = Σ_r w[col][r]·x[r] + bias[col] for x in 0..inMax. */
export function columnRanges(weights: Int32Array, cols: number, rows: number, bias: Int32Array, inMax: number): Range[] {
  const out: Range[] = [];
  for (let c = 0; c < cols; c++) {
    let pos = 0;
    let neg = 0;
    const base = c * rows;
    for (let r = 0; r < rows; r++) {
      const w = weights[base + r];
      if (w > 0) pos += w; else neg += w;
    }
    out.push({ min: neg * inMax + bias[c], max: pos * inMax + bias[c] });
  }
  return out;
}

export function rangeUnion(ranges: Range[]): Range {
  let min = 0;
  let max = 0;
  for (const r of ranges) {
    if (r.min < min) min = r.min;
    if (r.max > max) max = r.max;
  }
  return { min, max };
}

/** Smallest two's complement width holding every value in [min, max] (at least 2 bits). */
export function signedBitsFor(min: number, max: number): number {
  let bits = 2;
  while (-(2 ** (bits - 1)) > min || 2 ** (bits - 1) - 1 < max) bits++;
  return bits;
}
