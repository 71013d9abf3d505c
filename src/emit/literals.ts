// Verilog literals for constants fixed at generation time (weights,
// thresholds, biases) and for testbench data: packed vectors with element 0
// at the least significant end, each element in two's complement.

/** Hex digits (no prefix) of fields packed LSB-first, each `width` bits wide. */
export function packFieldsHex(values: ArrayLike<number>, widths: (i: number) => number): string {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += widths(i);
  if (total === 0) throw new RangeError('empty packed value');
  const bits = new Uint8Array(Math.ceil(total / 4) * 4);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const width = widths(i);
    if (v < -(2 ** (width - 1)) || v > 2 ** width - 1) throw new RangeError(`${v} does not fit ${width} bits`);
    if (width <= 31) {
      const u = v & ((1 << width) - 1); // 32-bit ops give two's complement for free
      for (let b = 0; b < width; b++) bits[at + b] = (u >>> b) & 1;
    } else {
      let u = BigInt(v < 0 ? 2 ** width + v : v);
      for (let b = 0; b < width; b++) {
        bits[at + b] = Number(u & 1n);
        u >>= 1n;
      }
    }
    at += width;
  }
  let hex = '';
  for (let nib = bits.length / 4 - 1; nib >= 0; nib--) {
    hex += (bits[nib * 4] | (bits[nib * 4 + 1] << 1) | (bits[nib * 4 + 2] << 2) | (bits[nib * 4 + 3] << 3)).toString(16);
  }
  return hex;
}

/** One value in two's complement, `width` bits (at most 31), as hex digits without prefix (a $readmemh word). */
export function twosComplementHex(v: number, width: number): string {
  if (width > 31 || v < -(2 ** (width - 1)) || v > 2 ** width - 1) throw new RangeError(`${v} does not fit ${width} bits`);
  return ((v & ((1 << width) - 1)) >>> 0).toString(16).padStart(Math.ceil(width / 4), '0');
}

/** A sized literal `N'h…` of equally wide fields. */
export function packedHex(values: ArrayLike<number>, width: number): string {
  return `${width * values.length}'h${packFieldsHex(values, () => width)}`;
}

/** Widest literal the generator writes: every tool's scanner reads it (Icarus's overflows near 100 k bits, Verilator's default limit is 64 k). */
export const MAX_LITERAL_BITS = 4096;

/**
 * The same packed value as packedHex, as a concatenation `{hi, …, lo}` of
 * literals of at most MAX_LITERAL_BITS bits each (whole fields) when one
 * literal would be wider.
 */
export function packedConcat(values: ArrayLike<number>, width: number): string {
  const per = Math.max(1, Math.floor(MAX_LITERAL_BITS / width));
  if (values.length <= per) return packedHex(values, width);
  const parts: string[] = [];
  for (let at = 0; at < values.length; at += per) parts.push(packedHex(Array.prototype.slice.call(values, at, at + per) as number[], width));
  return `{${parts.reverse().join(', ')}}`;
}
