// The accuracy table of the three MNIST examples, on the 10,000 MNIST test
// images: the float model (the ONNX file run by rram-gen's float forward pass,
// which test/quantize checks against onnxruntime), the 1-bit net.json and the
// 8-bit-ADC baseline net.json under the bit-exact golden model.
//
//   npx tsx examples/mnist/accuracy-table.ts               # score the committed files
//   npx tsx examples/mnist/accuracy-table.ts --requantize  # first rebuild every net.json
//
// Writes the table to stdout and to examples/mnist/accuracy.md.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNet, readIdxImages, readIdxLabels, readVectors, runNet } from '../../src/index.js';
import { argmaxFloat, floatForward, importOnnxFile, mnistFiles, quantizeModel, writeQuantizedNet } from '../../src/quantize/index.js';
import { NETWORKS } from './networks.js';

const HERE = import.meta.dirname;

const mnist = mnistFiles();

async function requantize(): Promise<void> {
  for (const n of NETWORKS) {
    for (const actBits of [1, 8]) {
      const variant = actBits === 1 ? '1bit' : '8bit';
      const started = Date.now();
      const { doc, report } = await quantizeModel(join(HERE, `${n.file}.onnx`), {
        train: mnist.train, actBits, crossbar: n.crossbar, name: `mnist_${n.file}_${variant}`,
        ...(actBits === 1 ? { passes: n.passes, refine: n.refine, refitImages: n.refit, fineTune: n.fineTune } : {}),
      });
      writeQuantizedNet(doc, join(HERE, `${n.file}-${variant}.json`));
      const pct = (100 * report.trainCorrect / report.trainImages).toFixed(2);
      process.stderr.write(`${n.file}-${variant}.json: train ${pct}% (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    }
  }
}

function floatAccuracy(model: string, images: Uint8Array, labels: Uint8Array): number {
  const net = importOnnxFile(model);
  const x = new Float64Array(784);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let p = 0; p < 784; p++) x[p] = Math.fround(images[i * 784 + p] / 255);
    if (argmaxFloat(floatForward(net, x)) === labels[i]) correct++;
  }
  return correct / labels.length;
}

function goldenAccuracy(path: string, labels: Uint8Array): number {
  if (!existsSync(path)) return NaN; // not built yet: run with --requantize
  const { net } = loadNet(path);
  const inputs = readVectors(mnist.test.images, net);
  return inputs.filter((x, i) => runNet(net, x).answer === labels[i]).length / labels.length;
}

async function table(): Promise<string> {
  const images = readIdxImages(mnist.test.images).pixels;
  const labels = readIdxLabels(mnist.test.labels);
  const pct = (a: number): string => (Number.isNaN(a) ? '-' : `${(100 * a).toFixed(2)}%`);
  const rows = NETWORKS.map((n) => {
    const float = floatAccuracy(join(HERE, `${n.file}.onnx`), images, labels);
    const one = goldenAccuracy(join(HERE, `${n.file}-1bit.json`), labels);
    const eight = goldenAccuracy(join(HERE, `${n.file}-8bit.json`), labels);
    const loss = Number.isNaN(one) ? '-' : (100 * (float - one)).toFixed(2);
    return `| ${n.title} | ${pct(float)} | ${pct(one)} | ${loss} | ${pct(eight)} |`;
  });
  return [
    '| network | float (ONNX) | 1-bit net.json | loss (points) | 8-bit ADC baseline |',
    '|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

if (process.argv.includes('--requantize')) await requantize();
const text = await table();
const doc = `# MNIST accuracy of the examples\n\nAccuracy on the 10,000 MNIST test images. Float: the ONNX model (rram-gen's float\nforward pass). 1-bit and 8-bit: the committed net.json files under the bit-exact\ngolden model. Loss: float minus 1-bit, in percentage points.\nRegenerate with \`npx tsx examples/mnist/accuracy-table.ts\` (add \`--requantize\` to\nrebuild the net.json files first).\n\n${text}\n`;
writeFileSync(join(HERE, 'accuracy.md'), doc);
process.stdout.write(`${text}\n`);
