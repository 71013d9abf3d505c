/** Bits that index n things (0 .. n-1), at least 1: $clog2(n) with a floor of one bit. */
export function indexBits(n: number): number {
  return Math.max(1, Math.ceil(Math.log2(n)));
}
