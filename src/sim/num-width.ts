// Verilator refuses number literals wider than 64K bits unless told
// (--max-num-width); a crossbar tile's weight parameter (rows × cols × weight
// bits, e.g. 128 × 128 × 8 = 131072) can be wider. Only designs that need it
// get the flag, so the model cache keys of all others stay as they were.
const VERILATOR_DEFAULT = 65536;

/** The widest sized literal (N'h…, N'b…, N'd…, N'o…) in the given RTL texts. */
export function widestLiteral(texts: Iterable<string>): number {
  let widest = 0;
  for (const text of texts) {
    for (const m of text.matchAll(/\b(\d+)'[sS]?[hHbBdDoO]/g)) widest = Math.max(widest, Number(m[1]));
  }
  return widest;
}

export function numWidthFlags(texts: Iterable<string>): string[] {
  const widest = widestLiteral(texts);
  return widest > VERILATOR_DEFAULT ? ['--max-num-width', String(widest)] : [];
}
