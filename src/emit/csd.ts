// Canonical signed-digit (CSD) form of the crossbar weights, as the tile
// library module (templates/rtl/rram_xbar_tile.sv, ROW_IDX / GROUP_PTR) takes
// them: per column and digit power 2^b, the rows whose digit is +1 and the
// rows whose digit is -1. CSD has no two adjacent non-zero digits (7 = 8 - 1),
// the fewest there are: fewer adder inputs per column than plain binary (about
// 8 % for uniform 4-bit weights, 15 % for trained 8-bit ones). Precomputed here
// so the RTL holds no constant function over a huge weight vector.

/** Signed CSD digits of w (least significant first), `count` of them; sum of d[b]·2^b = w. */
export function csdDigits(w: number, count: number): number[] {
  const digits = new Array<number>(count).fill(0);
  const sign = w < 0 ? -1 : 1;
  let mag = Math.abs(w);
  for (let b = 0; b < count && mag !== 0; b++) {
    if (mag & 1) {
      // Odd: digit +1 when mag = 1 (mod 4), else -1 (mag + 1 is then a multiple of 4).
      const minus = (mag & 2) !== 0;
      mag = minus ? mag + 1 : mag - 1;
      digits[b] = sign * (minus ? -1 : 1);
    }
    mag /= 2;
  }
  if (mag !== 0) throw new RangeError(`${w} needs more than ${count} signed digits`);
  return digits;
}

/**
 * The non-zero digits of one tile, grouped as rram_xbar_tile's ROW_IDX /
 * GROUP_PTR take them: group g = (c*wBits + b)*2 + s lists, ascending, the
 * rows whose weight in column c (0-based) has digit +1 (s = 0) or -1 (s = 1)
 * at power 2^b. weight(r, c) is the weight of row r, column c.
 */
export function tileDigitGroups(rows: number, cols: number, wBits: number, weight: (r: number, c: number) => number): number[][] {
  const groups = Array.from({ length: cols * wBits * 2 }, (): number[] => []);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      const d = csdDigits(weight(r, c), wBits);
      for (let b = 0; b < wBits; b++) {
        if (d[b] !== 0) groups[(c * wBits + b) * 2 + (d[b] === 1 ? 0 : 1)].push(r);
      }
    }
  }
  return groups;
}
