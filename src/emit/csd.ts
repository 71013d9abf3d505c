// Canonical signed-digit (CSD) form of the crossbar weights, as the masks the
// tile library module (templates/rtl/rram_xbar_tile.sv, MASKS) takes: per
// column and digit power 2^b, one ROWS-bit mask of the rows whose digit is +1
// and one of the rows whose digit is -1. CSD has no two adjacent non-zero
// digits (7 = 8 - 1), the fewest there are: fewer popcount terms per column
// than plain binary (about 8 % for uniform 4-bit weights, 15 % for trained
// 8-bit ones). Precomputed here so the RTL holds no constant function over a
// huge weight vector and no literal wider than ROWS bits.

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
 * The masks of one tile: for column c (0-based) and power b, `plus[c][b]` and
 * `minus[c][b]` are the hex digits (no prefix) of a rows-bit mask, row r at bit r.
 * weight(r, c) is the weight of row r, column c.
 */
export function tileMasks(rows: number, cols: number, wBits: number, weight: (r: number, c: number) => number): { plus: string[][]; minus: string[][] } {
  const plus: string[][] = [];
  const minus: string[][] = [];
  const nibbles = Math.ceil(rows / 4);
  for (let c = 0; c < cols; c++) {
    const p = Array.from({ length: wBits }, () => new Uint8Array(nibbles));
    const m = Array.from({ length: wBits }, () => new Uint8Array(nibbles));
    for (let r = 0; r < rows; r++) {
      const d = csdDigits(weight(r, c), wBits);
      for (let b = 0; b < wBits; b++) {
        if (d[b] === 1) p[b][r >> 2] |= 1 << (r & 3);
        else if (d[b] === -1) m[b][r >> 2] |= 1 << (r & 3);
      }
    }
    const hex = (a: Uint8Array) => Array.from(a).reverse().map((x) => x.toString(16)).join('');
    plus.push(p.map(hex));
    minus.push(m.map(hex));
  }
  return { plus, minus };
}
