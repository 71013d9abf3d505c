// Folding a layer's float activation f into its integer read-out. f is
// monotonic non-decreasing, so out = [f(z) ≥ v] is out = [z ≥ f⁻¹(v)]: a
// threshold on the accumulator (z ≈ acc·α). ReLU keeps the method's exact
// integer grid (thresholds ⌈i·S/grid⌉); every other f gets the same grid laid
// over its own values, from f where it starts to increase (or at 0) to f at
// the re-scaling percentile. An ADC (an affine read-out that clamps) is given
// f's ADC view (float-activation.ts): the accumulator is shifted so the ADC's
// lower clamp sits at f's lower knee, and with an upper knee the ADC's top
// sits there too.
import type { Segment } from './integer.js';
import { type FloatActivation, activationInverse, adcView, applyActivation, increasingPart } from './float-activation.js';

/** The activation of a segment's matrix layer. */
export function segmentActivation(seg: Segment): FloatActivation {
  return seg.matrix.activation;
}

/** True when f is ReLU: the method's original, exact integer paths apply unchanged. */
export function isRelu(f: FloatActivation): boolean {
  return f.type === 'relu';
}

/**
 * Integer thresholds of candidate i (of 0..grid) for every column: the
 * smallest accumulator whose f reaches the candidate's value, the values
 * spaced evenly from f(z₀) (z₀ = max(0, where f starts to increase)) to f at
 * S[c] accumulator units (α[c] per unit).
 */
export function candidateThresholds(f: FloatActivation, S: Float64Array, alpha: Float64Array, i: number, grid: number): Int32Array {
  const z0 = Math.max(0, increasingPart(f).from);
  return Int32Array.from(S, (s, c) => {
    const lo = applyActivation(f, z0, c);
    const hi = applyActivation(f, Math.max(z0, s * alpha[c]), c);
    const z = activationInverse(f, lo + (i / grid) * (hi - lo), c);
    // A hair below the integer: f⁻¹(f(z)) may land an ulp above z.
    const t = Math.ceil(z / alpha[c] - 1e-9);
    return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, t));
  });
}

/**
 * The provisional or K-bit ADC of a layer with activation f: the float value
 * subtracted from every column's bias (the lower knee), the column scale when
 * f has an upper knee (it then maps to 1.0), the slope of f's chord between
 * the knees (1 without an upper knee) and f at the lower knee (what a level 0
 * stands for, per channel).
 */
export interface AdcFold { zLow: number; kneeScale: number | undefined; slope: number; floor: (channel: number) => number }

export function adcFold(f: FloatActivation): AdcFold {
  const v = adcView(f);
  return {
    zLow: v.zLow,
    kneeScale: v.zHigh < Infinity ? v.zHigh - v.zLow : undefined,
    slope: v.zHigh < Infinity ? (applyActivation(f, v.zHigh, 0) - applyActivation(f, v.zLow, 0)) / (v.zHigh - v.zLow) : 1,
    floor: (c) => applyActivation(f, v.zLow, c),
  };
}

/** The segment with zLow subtracted from its float bias (unchanged when zLow is 0). */
export function shiftedSegment(seg: Segment, zLow: number): Segment {
  if (zLow === 0) return seg;
  return { ...seg, matrix: { ...seg.matrix, bias: Float64Array.from(seg.matrix.bias, (b) => b - zLow) } };
}

/** f at the lower knee per channel, as the next layer's input shift; undefined when all 0 (ReLU). */
export function floorShift(fold: AdcFold, channels: number): Float64Array | undefined {
  const s = Float64Array.from({ length: channels }, (_, c) => fold.floor(c));
  return s.every((x) => x === 0) ? undefined : s;
}
