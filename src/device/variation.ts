// Monte-Carlo device variation: one simulated die = every cell of every
// weight (src/device/mapping.ts: differential pair × bit slices) programmed
// with a random conductance error and a chance to be stuck on or off, plus a
// random input offset per sense amplifier or ADC. The die's column values are
// the analog sums of the perturbed cells, computed in floating point, in the
// golden model's integer units (one unit = one conductance step × one input
// step); the sense amplifiers (threshold layers) or ADCs then decide. With no
// variation, no faults and no offset every perturbation is exactly 0 and the
// die computes the golden model's integers exactly (the sums of integer
// products stay far below 2^53).
import type { ConvLayer, DenseLayer, Layer, MatrixLayer, MaxPoolLayer, NetIR } from '../ir/types.js';
import { type Prng, argmax, mulberry32, referenceLayer } from '../golden/index.js';
import { type CellSlicing, sliceWeight } from './mapping.js';
import { RramGenError } from '../diagnostics/index.js';

export interface VariationModel {
  /** Relative σ of a cell's programmed conductance. */
  sigma: number;
  /** 'lognormal': G × exp(σ·n) (never negative); 'normal': G × (1 + σ·n), floored at 0. */
  distribution: 'lognormal' | 'normal';
  /** Probability that a cell is stuck at on / at off. */
  stuckOn: number;
  stuckOff: number;
  /** Sense-amplifier / ADC input offset σ, in on-state cell currents at full read voltage. */
  saOffset: number;
  /** The device's on/off ratio (sets the off-state conductance in steps). */
  onOffRatio: number;
}

/** One layer of one die: the perturbed weights (in units of one conductance step) and per-column read-out. */
export interface DieLayer {
  /** Effective weights, same layout as layer.weights. */
  weights: Float64Array;
  /** Input-referred offset of each column's sense amplifier or ADC, in integer units. */
  offsets: Float64Array;
  /** Thresholds used by the die (the net's, or re-calibrated ones). */
  thresholds?: Float64Array;
  /** ADC offsets used by the die (the net's, or re-calibrated ones). */
  adcOffsets?: Float64Array;
}

export interface Die { layers: (DieLayer | undefined)[] }

/** A 32-bit seed for one random stream of one die (layer, purpose). */
function streamSeed(seed: number, die: number, layer: number, purpose: number): number {
  let h = (seed >>> 0) ^ Math.imul(die + 1, 0x9e3779b1) ^ Math.imul(layer + 1, 0x85ebca77) ^ Math.imul(purpose + 1, 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Standard normal from two uniforms (Box–Muller); always consumes two draws so dies line up cell for cell. */
function normal(r: Prng): number {
  const u1 = 1 - r.next(); // (0, 1]
  const u2 = r.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Build die number `die` of `net`. The random draws depend only on (seed,
 * die, layer, weight index, slice, side), never on the weights, so two nets of
 * the same shape (a 1-bit design and its k-bit baseline) get the same die.
 */
export function makeDie(net: NetIR, sl: CellSlicing, m: VariationModel, seed: number, die: number): Die {
  const L = sl.levels;
  // Conductances in units of one level step: off = (L − 1) / (ratio − 1), on = off + L − 1.
  const off = (L - 1) / (m.onOffRatio - 1);
  const on = off + (L - 1);
  const pos = new Int32Array(sl.slicesPerWeight);
  const neg = new Int32Array(sl.slicesPerWeight);
  const perturb = (u: number, r: Prng): number => {
    const n = normal(r);
    const s = r.next();
    if (s < m.stuckOn) return on;
    if (s < m.stuckOn + m.stuckOff) return off;
    if (m.sigma === 0) return u;
    return m.distribution === 'lognormal' ? u * Math.exp(m.sigma * n) : Math.max(0, u * (1 + m.sigma * n));
  };
  const layers = net.layers.map((layer): DieLayer | undefined => {
    if (layer.type === 'maxpool') return undefined;
    if (layer.type === 'add' || layer.type === 'concat') throw graphUnsupported(layer);
    const r = mulberry32(streamSeed(seed, die, layer.index, 0));
    const w = layer.weights;
    const eff = new Float64Array(w.length);
    for (let i = 0; i < w.length; i++) {
      sliceWeight(w[i], sl, pos, neg);
      let delta = 0;
      for (let s = 0; s < sl.slicesPerWeight; s++) {
        const up = off + pos[s];
        const un = off + neg[s];
        delta += sl.significance[s] * ((perturb(up, r) - up) - (perturb(un, r) - un));
      }
      eff[i] = w[i] + delta;
    }
    const offsets = new Float64Array(layer.type === 'conv' ? layer.outChannels : layer.outFeatures);
    if (m.saOffset > 0) {
      // One on-cell at full input is `on` steps × (2^inBits − 1) input steps.
      const scale = m.saOffset * on * (2 ** layer.inShape.bits - 1);
      const ro = mulberry32(streamSeed(seed, die, layer.index, 1));
      for (let c = 0; c < offsets.length; c++) offsets[c] = scale * normal(ro);
    }
    return dieLayerWith(layer, eff, offsets);
  });
  return { layers };
}

/** A die layer with these weights and column offsets, reading out against the net's own thresholds or ADC offset. */
export function dieLayerWith(layer: MatrixLayer, weights: Float64Array, offsets: Float64Array): DieLayer {
  const act = layer.activation;
  return {
    weights,
    offsets,
    ...(act.type === 'threshold' ? { thresholds: Float64Array.from(act.thresholds) } : {}),
    ...(act.type === 'adc' ? { adcOffsets: new Float64Array(offsets.length).fill(act.offset) } : {}),
  };
}

/** Column values (bias + Σ w·x + offset) of a matrix layer on a die, before the read-out decides; C,H,W order. */
export function columnValues(layer: MatrixLayer, d: DieLayer, input: Float64Array): Float64Array {
  return layer.type === 'conv' ? convValues(layer, d, input) : denseValues(layer, d, input);
}

function convValues(layer: ConvLayer, d: DieLayer, input: Float64Array): Float64Array {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { outChannels: O, kernel: k, stride: s, padding: p } = layer;
  const OH = layer.outShape.height;
  const OW = layer.outShape.width;
  const w = d.weights;
  const out = new Float64Array(O * OH * OW);
  for (let o = 0; o < O; o++) {
    const base = layer.bias[o] + d.offsets[o];
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        let acc = 0;
        for (let c = 0; c < C; c++) {
          for (let ky = 0; ky < k; ky++) {
            const iy = y * s + ky - p;
            if (iy < 0 || iy >= H) continue;
            const wRow = ((o * C + c) * k + ky) * k;
            const iRow = (c * H + iy) * W;
            for (let kx = 0; kx < k; kx++) {
              const ix = x * s + kx - p;
              if (ix < 0 || ix >= W) continue;
              acc += w[wRow + kx] * input[iRow + ix];
            }
          }
        }
        out[(o * OH + y) * OW + x] = base + acc;
      }
    }
  }
  return out;
}

function denseValues(layer: DenseLayer, d: DieLayer, input: Float64Array): Float64Array {
  const n = input.length;
  const out = new Float64Array(layer.outFeatures);
  const w = d.weights;
  for (let o = 0; o < layer.outFeatures; o++) {
    let acc = 0;
    const row = o * n;
    for (let i = 0; i < n; i++) acc += w[row + i] * input[i];
    out[o] = layer.bias[o] + d.offsets[o] + acc;
  }
  return out;
}

/** The read-out of a matrix layer on a die: sense amplifier, ADC, or the raw value. */
export function readOut(layer: MatrixLayer, d: DieLayer, values: Float64Array): Float64Array {
  const act = layer.activation;
  if (act.type === 'none') return values;
  const per = layer.outShape.height * layer.outShape.width;
  const out = new Float64Array(values.length);
  if (act.type === 'threshold') {
    const t = d.thresholds!;
    for (let i = 0; i < values.length; i++) out[i] = values[i] >= t[Math.floor(i / per)] ? 1 : 0;
  } else {
    const top = 2 ** act.bits - 1;
    const offs = d.adcOffsets!;
    for (let i = 0; i < values.length; i++) {
      const q = Math.floor((values[i] - offs[Math.floor(i / per)]) / act.step);
      out[i] = q < 0 ? 0 : q > top ? top : q;
    }
  }
  return out;
}

/**
 * Max-pool on a die is the golden model's: its inputs are read-out values
 * (sense-amplifier bits or ADC codes, never a raw accumulator: 'none' is
 * final-layer only), so they are small integers and Int32 holds them exactly.
 */
export function maxpoolValues(layer: MaxPoolLayer, input: Float64Array): Float64Array {
  return Float64Array.from(referenceLayer(layer, Int32Array.from(input)));
}

/** One layer on a die. */
export function dieLayer(layer: Layer, d: DieLayer | undefined, x: Float64Array): Float64Array {
  if (layer.type === 'add' || layer.type === 'concat') throw graphUnsupported(layer);
  return layer.type === 'maxpool' ? maxpoolValues(layer, x) : readOut(layer, d!, columnValues(layer, d!, x));
}

/** The die's final values for one input, and the golden model's answer (argmax, ties to the lowest index). */
export function runDie(net: NetIR, die: Die, input: Int32Array): { output: Float64Array; answer: number } {
  let x: Float64Array = Float64Array.from(input);
  for (const layer of net.layers) x = dieLayer(layer, die.layers[layer.index], x);
  return { output: x, answer: argmax(x) };
}

/** The die model runs chains of conv, dense and max-pool layers; a graph layer (add, concat) is refused. */
export function graphUnsupported(layer: Layer): RramGenError {
  return RramGenError.of('usage', layer.pointer, `layer ${layer.name}: the device-variation model runs chains of conv, dense and max-pool layers only, not ${layer.type}`);
}
