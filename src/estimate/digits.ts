// Counts as the estimate's formulas print them.

/** Integers with thousands separators, independent of the locale. */
export function groupDigits(n: number): string {
  const s = String(Math.abs(Math.round(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
