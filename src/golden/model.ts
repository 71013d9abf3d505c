// The golden model's public API: run a validated net on one input or a batch,
// with either implementation, optionally keeping every layer's output.

import { RramGenError } from '../diagnostics/index.js';
import type { Layer, MapShape, NetIR } from '../ir/types.js';
import { MAX_RAW_OUTPUT_BITS, mapSize } from '../ir/types.js';
import { fastLayer } from './fast.js';
import { programOf } from './program.js';
import { referenceLayer } from './reference.js';

export interface LayerTrace {
  name: string;
  index: number;
  shape: MapShape;
  /** The layer's output, C,H,W order. */
  values: Int32Array;
}

export interface RunOptions {
  /** Keep every layer's output in `trace`. */
  trace?: boolean;
  /** 'fast' (default) or the plain-loop 'reference'; both are bit-exact. */
  impl?: 'fast' | 'reference';
}

export interface RunResult {
  /** The final layer's output, C,H,W order. */
  output: Int32Array;
  answer: number;
  trace?: LayerTrace[];
}

/** Runs `net` on one input map given in C,H,W order. */
export function runNet(net: NetIR, input: Int32Array, opts: RunOptions = {}): RunResult {
  checkNet(net);
  checkInput(net, input);
  const trace: LayerTrace[] = [];
  // The fast path runs the whole net in WebAssembly when it can (program.ts).
  const program = opts.impl === 'reference' ? undefined : programOf(net);
  if (program !== undefined) {
    const r = program.run(input, opts.trace === true);
    if (opts.trace !== true) return { output: r.output, answer: argmax(r.output) };
    net.layers.forEach((layer, i) => trace.push({ name: layer.name, index: layer.index, shape: layer.outShape, values: r.trace![i] }));
    return { output: r.output, answer: argmax(r.output), trace };
  }
  const step: (layer: Layer, x: Int32Array, inputs?: readonly Int32Array[]) => Int32Array = opts.impl === 'reference' ? referenceLayer : fastLayer;
  // Layers in topological order, each reading its producers' outputs (−1: the network input).
  const outputs: Int32Array[] = [];
  const mapOf = (j: number): Int32Array => (j < 0 ? input : outputs[j]);
  let x = input;
  for (const layer of net.layers) {
    const inputs = layer.inputs.map(mapOf);
    x = step(layer, inputs[0], inputs);
    outputs.push(x);
    if (opts.trace === true) trace.push({ name: layer.name, index: layer.index, shape: layer.outShape, values: x });
  }
  return { output: x, answer: argmax(x), ...(opts.trace === true ? { trace } : {}) };
}

export function runBatch(net: NetIR, inputs: Int32Array[], opts: RunOptions = {}): RunResult[] {
  return inputs.map((input) => runNet(net, input, opts));
}

/** Index of the largest value; ties go to the lowest index. */
export function argmax(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError('argmax of an empty array');
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function checkInput(net: NetIR, input: Int32Array): void {
  const { channels, height, width, bits } = net.input;
  const want = mapSize(net.input);
  if (input.length !== want) {
    throw RramGenError.of('vectors-shape', '', `input has ${input.length} values, net ${net.name} takes ${channels}x${height}x${width} = ${want}`);
  }
  const top = 2 ** bits - 1;
  for (let i = 0; i < input.length; i++) {
    if (input[i] < 0 || input[i] > top) {
      throw RramGenError.of('vectors-shape', '', `input value ${i} is ${input[i]}, outside 0..${top} for ${bits}-bit input`);
    }
  }
}

// Outputs are stored as Int32; a wider raw accumulator would wrap silently.
const checkedNets = new WeakSet<NetIR>();

function checkNet(net: NetIR): void {
  if (checkedNets.has(net)) return;
  for (const layer of net.layers) {
    if (layer.outShape.bits > MAX_RAW_OUTPUT_BITS) {
      throw RramGenError.of('limit-exceeded', layer.pointer, `layer ${layer.name} outputs ${layer.outShape.bits}-bit values; the golden model holds at most ${MAX_RAW_OUTPUT_BITS}`);
    }
  }
  checkedNets.add(net);
}
