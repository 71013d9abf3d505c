// The reference golden model: DESIGN.md section 2 written out as plain loops,
// one value at a time, so it can be checked by reading. The fast path
// (fast.ts) must agree with it bit for bit.
//
// Accumulators are plain JS numbers (doubles): every partial sum is an exact
// integer far below 2^53 (|bias| < 2^31, |w| < 2^7, x < 2^8, and the schema
// bounds the number of terms), whereas Int32 arithmetic could overflow.

import type { ConvLayer, DenseLayer, Layer, MapShape, MaxPoolLayer } from '../ir/types.js';
import { activate } from '../ops/activations/index.js';

export function referenceLayer(layer: Layer, input: Int32Array): Int32Array {
  switch (layer.type) {
    case 'conv': return conv(layer, input);
    case 'dense': return dense(layer, input);
    case 'maxpool': return maxpool(layer, input);
  }
}

function conv(layer: ConvLayer, input: Int32Array): Int32Array {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { outChannels: O, kernel: k, stride: s, padding: p } = layer;
  const OH = Math.floor((H + 2 * p - k) / s) + 1;
  const OW = Math.floor((W + 2 * p - k) / s) + 1;
  checkShape(layer, { channels: O, height: OH, width: OW });
  const out = new Int32Array(O * OH * OW);
  for (let o = 0; o < O; o++) {
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        let acc = layer.bias[o];
        for (let c = 0; c < C; c++) {
          for (let ky = 0; ky < k; ky++) {
            for (let kx = 0; kx < k; kx++) {
              const iy = y * s + ky - p;
              const ix = x * s + kx - p;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue; // padding reads 0
              acc += layer.weights[((o * C + c) * k + ky) * k + kx] * input[(c * H + iy) * W + ix];
            }
          }
        }
        out[(o * OH + y) * OW + x] = activate(layer.activation, o, acc);
      }
    }
  }
  return out;
}

function dense(layer: DenseLayer, input: Int32Array): Int32Array {
  // The input map is already stored flattened in C,H,W order.
  const n = input.length;
  const out = new Int32Array(layer.outFeatures);
  checkShape(layer, { channels: layer.outFeatures, height: 1, width: 1 });
  for (let o = 0; o < layer.outFeatures; o++) {
    let acc = layer.bias[o];
    for (let i = 0; i < n; i++) acc += layer.weights[o * n + i] * input[i];
    out[o] = activate(layer.activation, o, acc);
  }
  return out;
}

function maxpool(layer: MaxPoolLayer, input: Int32Array): Int32Array {
  const { channels: C, height: H, width: W } = layer.inShape;
  const { kernel: k, stride: s } = layer;
  const OH = Math.floor((H - k) / s) + 1;
  const OW = Math.floor((W - k) / s) + 1;
  checkShape(layer, { channels: C, height: OH, width: OW });
  const out = new Int32Array(C * OH * OW);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        let m = -Infinity;
        for (let ky = 0; ky < k; ky++) {
          for (let kx = 0; kx < k; kx++) {
            m = Math.max(m, input[(c * H + y * s + ky) * W + x * s + kx]);
          }
        }
        out[(c * OH + y) * OW + x] = m;
      }
    }
  }
  return out;
}

/** The IR's shapes come from the validator; a disagreement is a bug there or here. */
function checkShape(layer: Layer, want: Pick<MapShape, 'channels' | 'height' | 'width'>): void {
  const got = layer.outShape;
  if (got.channels !== want.channels || got.height !== want.height || got.width !== want.width) {
    throw new Error(
      `layer ${layer.name}: outShape ${got.channels}x${got.height}x${got.width} ` +
        `disagrees with section 2 (${want.channels}x${want.height}x${want.width})`,
    );
  }
}
