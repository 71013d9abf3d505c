// Where a quantized network lost its accuracy, and what to change in the
// model. The greedy search turns one hidden layer binary at a time and scores
// the network on the training set after each (LayerReport.trainCorrect), so
// the cost of a layer is the training accuracy before it turned binary minus
// after; the first layer's "before" is the float model's. The layer that costs
// most is named with the likely cause, read from its shape: a 1-bit map
// carries one bit per channel and position, so narrow layers (few channels, a
// small dense layer) and maps that pooling or striding made small are where
// the information runs out.
import type { LayerReport } from './quantize.js';

/** What the diagnosis needs of a hidden layer's shape. */
export interface LayerShape {
  name: string;
  kind: 'conv' | 'dense';
  /** Output channels (conv) or units (dense): the bits per position of its 1-bit map. */
  channels: number;
  /** Positions of its (pooled) 1-bit map. */
  positions: number;
}

export interface LayerCost {
  name: string;
  /** Training accuracy (%) of the network once this layer was decided (the rest provisional). */
  trainAccuracy: number;
  /** Training accuracy lost (points) when this layer turned binary; the final layer's: the read-out. */
  cost: number;
}

export interface Diagnosis {
  /** The float model on (up to) `floatImages` evenly spaced training images: the baseline of the first layer's cost. */
  floatTrainAccuracy: number;
  floatImages: number;
  layers: LayerCost[];
  /** The layer that loses most, when any loses at least MIN_COST points. */
  worst?: { name: string; cost: number; cause: string; advice: string };
  /** Float training accuracy minus the emitted network's, in points. */
  trainLoss: number;
}

/** A layer losing less than this (points of training accuracy) is not worth naming. */
export const MIN_COST = 0.1;
/** At most this many channels (conv) or units (dense) count as narrow for a 1-bit map. */
export const NARROW_CHANNELS = 8;
export const NARROW_UNITS = 64;
/** A 1-bit map with fewer bits than this in all is small (MNIST-sized inputs carry 784 pixels). */
export const SMALL_MAP_BITS = 256;

/**
 * The first pass's threshold layers and the final layer, in order, from the
 * reports of quantizeModel (later passes and refinement sweeps are left out:
 * they move thresholds of layers already counted).
 */
export function diagnose(reports: LayerReport[], shapes: LayerShape[], trainImages: number, floatTrainAccuracy: number, floatImages: number, trainAccuracy: number): Diagnosis {
  const first = reports.filter((r) => (r.pass ?? 1) === 1 && r.perColumn === undefined);
  const layers: LayerCost[] = [];
  let before = floatTrainAccuracy;
  for (const r of first) {
    const correct = decidedCorrect(r);
    if (correct === undefined) continue;
    const trainAccuracy = (100 * correct) / trainImages;
    layers.push({ name: r.name, trainAccuracy: round2(trainAccuracy), cost: round2(before - trainAccuracy) });
    before = trainAccuracy;
  }
  const diagnosis: Diagnosis = { floatTrainAccuracy: round2(floatTrainAccuracy), floatImages, layers, trainLoss: round2(floatTrainAccuracy - trainAccuracy) };
  const worst = layers.reduce<LayerCost | undefined>((a, b) => (a === undefined || b.cost > a.cost ? b : a), undefined);
  if (worst && worst.cost >= MIN_COST) {
    const shape = shapes.find((s) => s.name === worst.name);
    diagnosis.worst = { name: worst.name, cost: worst.cost, ...cause(shape, worst === layers[layers.length - 1] && shape === undefined) };
  }
  return diagnosis;
}

function cause(shape: LayerShape | undefined, readout: boolean): { cause: string; advice: string } {
  if (shape === undefined) {
    return readout
      ? { cause: 'the final read-out ADC rounds the outputs that decide the answer', advice: 'give the read-out more bits (--readout-bits) or keep the raw accumulator (--readout none)' }
      : { cause: 'unknown layer', advice: '' };
  }
  const bits = shape.channels * shape.positions;
  if (shape.kind === 'dense' && shape.channels <= NARROW_UNITS) {
    return {
      cause: `a dense layer of ${shape.channels} units passes only ${shape.channels} bits to the next layer once each unit is one bit`,
      advice: `widen it (${Math.max(128, 2 * shape.channels)} units or more), or remove it and let the layer before it feed the next`,
    };
  }
  if (shape.kind === 'conv' && shape.channels <= NARROW_CHANNELS) {
    return {
      cause: `${shape.channels} channels carry one bit each per position: too few to hold what the float layer's graded activations held`,
      advice: `widen it to ${Math.max(16, 2 * shape.channels)} channels or more`,
    };
  }
  if (bits < SMALL_MAP_BITS) {
    return {
      cause: `its 1-bit map is only ${bits} bits (${shape.channels} × ${shape.positions} positions after pooling or stride)`,
      advice: 'keep more positions (less pooling or stride before it) or more channels',
    };
  }
  return {
    cause: `its float activations are graded, and one threshold per channel keeps only whether each is large (${shape.channels} ${shape.kind === 'conv' ? 'channels' : 'units'} × ${shape.positions} positions)`,
    advice: `widen it (more ${shape.kind === 'conv' ? 'channels' : 'units'}) so that more one-bit features share the work, or train the model with binary activations (a straight-through estimator) before quantizing`,
  };
}

/** Training images right once the layer was decided: after its kept re-fit, if any. */
export function decidedCorrect(r: LayerReport): number | undefined {
  if (r.refit?.kept) return r.refit.trainCorrect;
  return r.trainCorrect;
}

function round2(x: number): number {
  return Math.round(100 * x) / 100;
}
