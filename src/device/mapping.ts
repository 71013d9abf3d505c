// How a signed integer weight is stored in RRAM cells: a differential pair of
// columns (positive and negative part), each part bit-sliced over as many
// cells as its magnitude needs at `bitsPerCell` bits (2^bitsPerCell
// conductance levels) per cell. Slice s of a column has significance
// L^s, L = 2^bitsPerCell. The plan (cell counts), the estimator (cell area and
// read energy), the macro documentation (bitlines per column) and the
// variation simulator (perturbed cells) all take the mapping from here.

/** The slicing of one network's weights onto cells. */
export interface CellSlicing {
  /** Bits stored per cell (1 = two conductance levels). */
  bitsPerCell: number;
  /** Conductance levels per cell: 2^bitsPerCell. */
  levels: number;
  /** Cells per weight magnitude: ⌈(weightBits − 1) / bitsPerCell⌉ (the sign picks the column of the pair). */
  slicesPerWeight: number;
  /** Cells per weight: a differential pair of slice stacks, 2 × slicesPerWeight. */
  cellsPerWeight: number;
  /** Significance of each slice, least significant first: L^s. */
  significance: number[];
}

/** bitsPerCell when neither a technology table nor the caller says otherwise: ISAAC's 2-bit cells (tech/default.json /device). */
export const DEFAULT_BITS_PER_CELL = 2;
export const MAX_BITS_PER_CELL = 8;

export function cellSlicing(weightBits: number, bitsPerCell: number): CellSlicing {
  if (!Number.isInteger(bitsPerCell) || bitsPerCell < 1 || bitsPerCell > MAX_BITS_PER_CELL) {
    throw new RangeError(`bits per cell ${bitsPerCell} is not an integer in 1..${MAX_BITS_PER_CELL}`);
  }
  const levels = 2 ** bitsPerCell;
  // A b-bit signed weight (symmetric range) has a (b − 1)-bit magnitude.
  const slicesPerWeight = Math.max(1, Math.ceil((weightBits - 1) / bitsPerCell));
  return {
    bitsPerCell,
    levels,
    slicesPerWeight,
    cellsPerWeight: 2 * slicesPerWeight,
    significance: Array.from({ length: slicesPerWeight }, (_, s) => levels ** s),
  };
}

/**
 * The level (0 .. L−1) each cell of a weight is programmed to: `pos[s]` and
 * `neg[s]` for slice s. Σ_s L^s (pos[s] − neg[s]) = w exactly.
 */
export function sliceWeight(w: number, sl: CellSlicing, pos: Int32Array, neg: Int32Array): void {
  let m = Math.abs(w);
  const target = w >= 0 ? pos : neg;
  const other = w >= 0 ? neg : pos;
  for (let s = 0; s < sl.slicesPerWeight; s++) {
    target[s] = m % sl.levels;
    other[s] = 0;
    m = Math.floor(m / sl.levels);
  }
  if (m !== 0) throw new RangeError(`weight ${w} needs more than ${sl.slicesPerWeight} slices of ${sl.bitsPerCell} bits`);
}

/** Bitline names of one logical column (output channel), for the macro documentation: "+s0", "−s0", … with their significance. */
export function columnBitlines(sl: CellSlicing): { name: string; sign: 1 | -1; slice: number; significance: number }[] {
  const out: { name: string; sign: 1 | -1; slice: number; significance: number }[] = [];
  for (let s = 0; s < sl.slicesPerWeight; s++) {
    out.push({ name: `p${s}`, sign: 1, slice: s, significance: sl.significance[s] });
    out.push({ name: `n${s}`, sign: -1, slice: s, significance: sl.significance[s] });
  }
  return out;
}
