// The float model's activations: every one the importer accepts is monotonic
// non-decreasing, so a threshold on f(z) is a threshold on z (f⁻¹ on the part
// where f strictly increases), and the quantizer folds it into a `threshold`
// (or an `adc`) on the integer accumulator. Each activation's formula, its
// inverse and its knees are written here once.

export type FloatActivation =
  | { type: 'identity' } | { type: 'relu' }
  | { type: 'leakyrelu'; alpha: number }            // also PReLU with one slope
  | { type: 'prelu'; slopes: Float64Array }          // per channel, all > 0
  | { type: 'sigmoid' } | { type: 'tanh' }
  | { type: 'clip'; min: number; max: number }       // HardTanh, Clip, ReLU6
  | { type: 'hardsigmoid'; alpha: number; beta: number };

export const IDENTITY: FloatActivation = { type: 'identity' };
export const RELU: FloatActivation = { type: 'relu' };

/** f(x) for output channel `channel`. */
export function applyActivation(a: FloatActivation, x: number, channel: number): number {
  switch (a.type) {
    case 'identity': return x;
    case 'relu': return x < 0 ? 0 : x;
    case 'leakyrelu': return x < 0 ? a.alpha * x : x;
    case 'prelu': return x < 0 ? a.slopes[channel] * x : x;
    case 'sigmoid': return 1 / (1 + Math.exp(-x));
    case 'tanh': return Math.tanh(x);
    case 'clip': return x < a.min ? a.min : x > a.max ? a.max : x;
    case 'hardsigmoid': return Math.max(0, Math.min(1, a.alpha * x + a.beta));
  }
}

/**
 * Where f strictly increases: [from, to] (±Infinity when unbounded). Below
 * `from` and above `to` f is constant, so a threshold there means nothing
 * more than one at the end.
 */
export function increasingPart(a: FloatActivation): { from: number; to: number } {
  switch (a.type) {
    case 'relu': return { from: 0, to: Infinity };
    case 'clip': return { from: a.min, to: a.max };
    case 'hardsigmoid': return { from: -a.beta / a.alpha, to: (1 - a.beta) / a.alpha };
    default: return { from: -Infinity, to: Infinity };
  }
}

/**
 * The threshold on z equivalent to f(z) ≥ v: the smallest z of the
 * increasing part with f(z) ≥ v (its lower end when v is at or below f
 * there; +Infinity when f never reaches v).
 */
export function activationInverse(a: FloatActivation, v: number, channel: number): number {
  const { from, to } = increasingPart(a);
  if (from > -Infinity && v <= applyActivation(a, from, channel)) return from;
  if (to < Infinity && v > applyActivation(a, to, channel)) return Infinity;
  switch (a.type) {
    case 'identity': case 'relu': case 'clip': return v;
    case 'leakyrelu': return v < 0 ? v / a.alpha : v;
    case 'prelu': return v < 0 ? v / a.slopes[channel] : v;
    case 'sigmoid': return v <= 0 ? -Infinity : v >= 1 ? Infinity : Math.log(v / (1 - v));
    case 'tanh': return v <= -1 ? -Infinity : v >= 1 ? Infinity : Math.atanh(v);
    case 'hardsigmoid': return (v - a.beta) / a.alpha;
  }
}

/**
 * What an ADC on the pre-activation can reproduce of f: an ADC is affine in
 * the accumulator and clamps at both ends, so it implements exactly an f that
 * is affine between two knees and constant outside — ReLU (one knee), Clip /
 * HardTanh / ReLU6 and HardSigmoid (two). The others are read through the
 * chord between two knees: Sigmoid on z ∈ [−2, 2] and Tanh on [−1, 1] (the
 * same part of the curve, tanh(z) = 2σ(2z) − 1), clamped outside as f
 * saturates; LeakyReLU and PReLU through ReLU (the ADC's lower clamp drops the
 * negative part). Returns the knees (zHigh = Infinity without an upper one).
 */
export function adcView(a: FloatActivation): { zLow: number; zHigh: number } {
  switch (a.type) {
    case 'clip': return { zLow: a.min, zHigh: a.max };
    case 'hardsigmoid': return { zLow: -a.beta / a.alpha, zHigh: (1 - a.beta) / a.alpha };
    case 'sigmoid': return { zLow: -2, zHigh: 2 };
    case 'tanh': return { zLow: -1, zHigh: 1 };
    default: return { zLow: 0, zHigh: Infinity };
  }
}

/** The activation's name in messages and reports. */
export function activationName(a: FloatActivation): string {
  switch (a.type) {
    case 'leakyrelu': return `LeakyReLU(${a.alpha})`;
    case 'clip': return `Clip(${a.min}, ${a.max})`;
    case 'hardsigmoid': return `HardSigmoid(${a.alpha}, ${a.beta})`;
    case 'prelu': return `PReLU(${a.slopes.length} slopes)`;
    default: return a.type;
  }
}
