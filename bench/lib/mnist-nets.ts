// The committed MNIST networks: examples/mnist/<model>-1bit.json and
// <model>-8bit.json for each trained model <model>.onnx. Whatever exists is
// used; the ones expected but missing are named.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const MNIST_EXAMPLES = join('examples', 'mnist');
export const MODELS = ['small', 'lenet5', 'deep'] as const;
export const MODES = ['1bit', '8bit'] as const;

export interface MnistNet { model: string; mode: string; path: string; onnx: string }

export function mnistNets(modes: readonly string[] = MODES): { found: MnistNet[]; missing: string[] } {
  const files = existsSync(MNIST_EXAMPLES) ? new Set(readdirSync(MNIST_EXAMPLES)) : new Set<string>();
  const models = new Set<string>(MODELS);
  for (const f of files) {
    const m = /^(.+)-(\d+bit)\.json$/.exec(f);
    if (m) models.add(m[1]);
  }
  const found: MnistNet[] = [];
  const missing: string[] = [];
  for (const model of models) {
    for (const mode of modes) {
      const name = `${model}-${mode}.json`;
      const net = { model, mode, path: join(MNIST_EXAMPLES, name), onnx: join(MNIST_EXAMPLES, `${model}.onnx`) };
      if (files.has(name)) found.push(net);
      else missing.push(net.path);
    }
  }
  return { found, missing };
}
