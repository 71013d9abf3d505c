// Channel scales: the percentile statistic of the re-scaling and the floor
// that keeps shared-α layers usable.

/** Smallest channel scale, as a fraction of the layer's median channel scale. */
export const SCALE_FLOOR = 1 / 4;

/**
 * Float-calibrated channel scales of a layer whose columns share one weight
 * scale α (ADC layers: one step for all columns). A channel that is almost
 * never active has a tiny scale, so dividing by it makes its weights the
 * largest of the layer, and the shared α then rounds every other column to
 * zero (seen on LeNet-5: one fc1 unit at 1/500 of the median killed the
 * layer). Such channels carry little; they get at least SCALE_FLOOR × the
 * median scale, which only leaves their small activations in the lower part of
 * [0, 1].
 */
export function floorScales(scales: Float64Array): Float64Array {
  const sorted = Float64Array.from(scales).sort();
  const floor = SCALE_FLOOR * sorted[sorted.length >> 1];
  return scales.map((s) => Math.max(s, floor));
}

/** The p-th percentile of sorted values (nearest rank). */
export function percentileOfSorted(v: Float32Array, p: number): number {
  if (v.length === 0) return 0;
  const k = Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1));
  return v[k];
}
