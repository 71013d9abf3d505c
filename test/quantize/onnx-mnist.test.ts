// The float forward pass of the imported example models against onnxruntime
// on 1000 MNIST test images: the largest absolute logit difference is
// reported and must stay within 1e-4.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readIdxImages } from '../../src/golden/vectors.js';
import { floatForward, importOnnxFile, mnistFiles } from '../../src/quantize/index.js';

const IMAGES = 1000;
const models = ['small', 'lenet5', 'deep'].map((m) => join(import.meta.dirname, `../../examples/mnist/${m}.onnx`));

describe('float forward pass vs onnxruntime on MNIST', () => {
  const images = readIdxImages(mnistFiles().test.images);
  const x = Float32Array.from(images.pixels.subarray(0, IMAGES * 784), (p) => p / 255);
  for (const model of models) {
    it.skipIf(!existsSync(model))(model.split('/').pop()!, async () => {
      const net = importOnnxFile(model);
      const session = await ort.InferenceSession.create(model);
      const out = await session.run({ [net.inputName]: new ort.Tensor('float32', x, [IMAGES, 1, 28, 28]) });
      const ref = out[net.outputName].data as Float32Array;
      let diff = 0;
      for (let n = 0; n < IMAGES; n++) {
        const y = floatForward(net, Float64Array.from(x.subarray(n * 784, (n + 1) * 784)));
        for (let i = 0; i < 10; i++) diff = Math.max(diff, Math.abs(y[i] - ref[n * 10 + i]));
      }
      console.log(`${model.split('/').pop()}: largest |logit difference| over ${IMAGES} MNIST test images: ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(1e-4);
    });
  }
});
