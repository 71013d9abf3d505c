// Average pooling in the quantizer. A threshold (or an ADC) does not commute
// with an average, so an average pool cannot be folded into the ranks of the
// layer before it as a max-pool is: it (and any pool after it) belongs to the
// input of the next matrix layer instead — Segment.inPools — and becomes a
// sumpool in net.json, placed right before that layer. The 1/k² of the
// average goes into that layer's weights: each of its input channels' units
// (the float value one integer level stands for) is divided by k², so the
// integer path sees the sum (a count of ones on a 1-bit map) while the float
// net keeps the average.
import { sumpoolOutBits } from '../ops/sumpool.js';
import type { LayerDoc, Segment } from './integer.js';
import { type Window2d, windowFields } from '../ops/window.js';

/** The net.json layers of the pools a segment's matrix layer reads through (none for most nets). */
export function inPoolDocs(seg: Segment): LayerDoc[] {
  return (seg.inPools ?? []).map((p, i) => (p.type === 'avgpool'
    ? { type: 'sumpool', name: seg.inPoolNames![i], ...windowFields(p.window, false) }
    : maxpoolDoc(seg.inPoolNames![i], p.window)));
}

/** A max-pool's net.json fields, its padding only when it has one (as src/ir/serialize.ts writes it). */
function maxpoolDoc(name: string, window: Window2d): LayerDoc {
  const { kernel, stride, padding } = windowFields(window, false);
  return { type: 'maxpool', name, kernel, stride, ...(padding !== 0 ? { padding } : {}) };
}

/** Units of the matrix layer's inputs: the units of the map before the in-pools, over k² per average pool (the same array when there are none). */
export function pooledUnits(seg: Segment, units: Float64Array): Float64Array {
  const area = (seg.inPools ?? []).reduce((a, p) => (p.type === 'avgpool' ? a * p.window.kernelH * p.window.kernelW : a), 1);
  return area === 1 ? units : Float64Array.from(units, (u) => u / area);
}

/** Width of the matrix layer's input values, given the width of the map before the in-pools. */
export function pooledBits(seg: Segment, bits: number): number {
  return (seg.inPools ?? []).reduce((b, p) => (p.type === 'avgpool' ? sumpoolOutBits(p.window.kernelH, b) : b), bits);
}

/** The map the segment reads before its in-pools (its matrix layer's input when it has none). */
export function poolInShape(seg: Segment): Segment['inShape'] {
  return seg.poolInShape ?? seg.inShape;
}

/** True when the segment reads through an average pool (the re-fit assumes it reads a 1-bit map directly). */
export function readsAveragePool(seg: Segment): boolean {
  return (seg.inPools ?? []).some((p) => p.type === 'avgpool');
}
