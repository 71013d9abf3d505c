// Per-die re-calibration of the read-out references, layer by layer: run a
// few hundred images through the die and through the ideal (golden) network,
// then move each column's reference so the die behaves like the ideal column
// on those images:
//  - a sense amplifier's threshold goes to the die-value quantile at which the
//    column fires as often as the ideal column does (the ideal's firing rate);
//  - an ADC's offset shifts by the mean difference between the die's column
//    values and the ideal ones (offset calibration).
// It needs no labels (the ideal network is the reference), only images
// disjoint from those scored. Later layers are calibrated on the outputs of
// the already re-calibrated earlier ones. The ideal network's side is the
// same for every die, so it is computed once per design (idealCalibration).
import type { NetIR } from '../ir/types.js';
import { type Die, columnValues, dieLayerWith, graphUnsupported, maxpoolValues, readOut } from './variation.js';

/** The ideal network on the calibration images: per matrix layer, what each column should match. */
export interface IdealCalibration {
  images: Int32Array[];
  /**
   * By layer index, one number per column: for a sense-amplifier layer how
   * many of the column's values fire, for an ADC layer the sum of its values.
   */
  targets: (Float64Array | undefined)[];
}

export function idealCalibration(net: NetIR, images: Int32Array[]): IdealCalibration {
  const targets: (Float64Array | undefined)[] = [];
  let idealIn: Float64Array[] = images.map((x) => Float64Array.from(x));
  for (const layer of net.layers) {
    if (layer.type === 'add' || layer.type === 'concat') throw graphUnsupported(layer);
    if (layer.type === 'maxpool') {
      idealIn = idealIn.map((x) => maxpoolValues(layer, x));
      continue;
    }
    // The ideal column: the net's integer weights, no offset, the net's references.
    const ideal = dieLayerWith(layer, Float64Array.from(layer.weights), new Float64Array(layer.outShape.channels));
    const iv = idealIn.map((x) => columnValues(layer, ideal, x));
    const per = layer.outShape.height * layer.outShape.width;
    const act = layer.activation;
    if (act.type === 'threshold' || act.type === 'adc') {
      const t = new Float64Array(layer.outShape.channels);
      for (let c = 0; c < t.length; c++) {
        for (let n = 0; n < iv.length; n++) {
          for (let j = c * per; j < (c + 1) * per; j++) {
            if (act.type === 'adc') t[c] += iv[n][j];
            else if (iv[n][j] >= act.thresholds[c]) t[c]++;
          }
        }
      }
      targets[layer.index] = t;
    }
    idealIn = iv.map((x) => readOut(layer, ideal, x));
  }
  return { images, targets };
}

export function recalibrateDie(net: NetIR, die: Die, ideal: IdealCalibration): void {
  let dieIn: Float64Array[] = ideal.images.map((x) => Float64Array.from(x));
  for (const layer of net.layers) {
    if (layer.type === 'add' || layer.type === 'concat') throw graphUnsupported(layer);
    if (layer.type === 'maxpool') {
      dieIn = dieIn.map((x) => maxpoolValues(layer, x));
      continue;
    }
    const d = die.layers[layer.index]!;
    const dv = dieIn.map((x) => columnValues(layer, d, x));
    const per = layer.outShape.height * layer.outShape.width;
    const cols = layer.outShape.channels;
    const act = layer.activation;
    const target = ideal.targets[layer.index];
    if (target !== undefined && (act.type === 'threshold' || act.type === 'adc')) {
      for (let c = 0; c < cols; c++) {
        const v: number[] = [];
        for (let n = 0; n < dv.length; n++) {
          for (let j = c * per; j < (c + 1) * per; j++) v.push(dv[n][j]);
        }
        if (act.type === 'threshold') {
          const t = act.thresholds[c];
          v.sort((a, b) => b - a);
          const k = target[c]; // how often the ideal column fires
          d.thresholds![c] = k === 0 ? Math.max(t, v[0] + 1) : k === v.length ? Math.min(t, v[v.length - 1]) : (v[k - 1] + v[k]) / 2;
        } else {
          const dieSum = v.reduce((a, b) => a + b, 0);
          d.adcOffsets![c] = act.offset + (dieSum - target[c]) / v.length;
        }
      }
    }
    dieIn = dv.map((x) => readOut(layer, d, x));
  }
}
