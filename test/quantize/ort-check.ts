// Shared by the ONNX import tests: the float forward pass against onnxruntime,
// and the one error an import must fail with.
import { expect } from 'vitest';
import * as ort from 'onnxruntime-node';
import { RramGenError } from '../../src/diagnostics/index.js';
import { floatForward, importOnnx } from '../../src/quantize/index.js';
import { randomValues } from './onnx-builder.js';

/** Largest |TS float forward − onnxruntime| over `batch` seeded inputs in [0,1] of shape [batch, ...chw]. */
export async function maxDiffVsOrt(bytes: Uint8Array, chw: [number, number, number], batch = 16, seed = 5): Promise<number> {
  const net = importOnnx(bytes);
  const size = chw[0] * chw[1] * chw[2];
  const x = Float32Array.from(randomValues(seed, batch * size, 0.5), (v) => v + 0.5);
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [batch, ...chw]) });
  const ref = out[session.outputNames[0]].data as Float32Array;
  const per = ref.length / batch;
  let diff = 0;
  for (let n = 0; n < batch; n++) {
    const y = floatForward(net, Float64Array.from(x.subarray(n * size, (n + 1) * size)));
    expect(y.length).toBe(per);
    for (let i = 0; i < per; i++) diff = Math.max(diff, Math.abs(y[i] - ref[n * per + i]));
  }
  return diff;
}

/** The error importing `bytes` (as m.onnx) throws; fails the test when it imports. */
export function importError(bytes: Uint8Array): RramGenError {
  try {
    importOnnx(bytes, 'm.onnx');
  } catch (e) {
    if (e instanceof RramGenError) return e;
    throw e;
  }
  throw new Error('expected an import error');
}
