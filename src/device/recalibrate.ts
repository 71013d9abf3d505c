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
// the already re-calibrated earlier ones.
import type { MatrixLayer, NetIR } from '../ir/types.js';
import { type Die, type DieLayer, columnValues, maxpoolValues, readOut } from './variation.js';

function idealLayer(layer: MatrixLayer): DieLayer {
  const cols = layer.type === 'conv' ? layer.outChannels : layer.outFeatures;
  const act = layer.activation;
  return {
    weights: Float64Array.from(layer.weights),
    offsets: new Float64Array(cols),
    ...(act.type === 'threshold' ? { thresholds: Float64Array.from(act.thresholds) } : {}),
    ...(act.type === 'adc' ? { adcOffsets: new Float64Array(cols).fill(act.offset) } : {}),
  };
}

export function recalibrateDie(net: NetIR, die: Die, images: Int32Array[]): void {
  let dieIn: Float64Array[] = images.map((x) => Float64Array.from(x));
  let idealIn: Float64Array[] = dieIn;
  for (const layer of net.layers) {
    if (layer.type === 'maxpool') {
      dieIn = dieIn.map((x) => maxpoolValues(layer, x));
      idealIn = idealIn.map((x) => maxpoolValues(layer, x));
      continue;
    }
    const d = die.layers[layer.index]!;
    const ideal = idealLayer(layer);
    const dv = dieIn.map((x) => columnValues(layer, d, x));
    const iv = idealIn.map((x) => columnValues(layer, ideal, x));
    const per = layer.outShape.height * layer.outShape.width;
    const cols = layer.outShape.channels;
    const act = layer.activation;
    if (act.type === 'threshold' || act.type === 'adc') {
      for (let c = 0; c < cols; c++) {
        const v: number[] = [];
        let idealOn = 0;
        let idealSum = 0;
        for (let n = 0; n < dv.length; n++) {
          for (let j = c * per; j < (c + 1) * per; j++) {
            v.push(dv[n][j]);
            idealSum += iv[n][j];
            if (act.type === 'threshold' && iv[n][j] >= act.thresholds[c]) idealOn++;
          }
        }
        if (act.type === 'threshold') {
          const t = act.thresholds[c];
          v.sort((a, b) => b - a);
          const k = idealOn;
          d.thresholds![c] = k === 0 ? Math.max(t, v[0] + 1) : k === v.length ? Math.min(t, v[v.length - 1]) : (v[k - 1] + v[k]) / 2;
        } else {
          const dieSum = v.reduce((a, b) => a + b, 0);
          d.adcOffsets![c] = act.offset + (dieSum - idealSum) / v.length;
        }
      }
    }
    dieIn = dv.map((x) => readOut(layer, d, x));
    idealIn = iv.map((x) => readOut(layer, ideal, x));
  }
}
