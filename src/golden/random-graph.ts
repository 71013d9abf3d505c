// Random valid graph nets (residual adds, concats, forks) for the property
// tests and the RTL regression, built directly from a seed like randomNet
// (random-net.ts), whose nets stay as they were: a graph is drawn only here.
// A net is a trunk of blocks, each reading the trunk map t:
//   - fused residual: a = conv(t), b = conv(a) with activation none, add(b, t)
//     (the add joins b's crossbar as skip rows);
//   - residual of its own: a = conv(t) with t's shape, add(a, t);
//   - concat: a = conv(t), concat(t, a) in either order;
//   - plain: a layer as randomNet draws it (conv, max-pool, dense);
// then a final layer as randomNet draws it. Branch convs keep the map's size
// (kernel 1 or 3, padding to match), and a branch that rejoins the trunk
// outputs the trunk's value width, as the hardware plan maps it.
import type { AddLayer, ConcatLayer, ConvLayer, Layer, MapShape, NetIR } from '../ir/types.js';
import { type Prng, mulberry32 } from './prng.js';
import { accumulatorRange } from './ranges.js';
import { referenceLayer } from './reference.js';
import {
  type LayerSpec, PROBES, probeAccumulators, randomBias, randomLayer, randomMap, randomWeights, setActivation,
} from './random-net.js';

export interface RandomGraphOptions {
  /** Most blocks before the final layer (default 3). */
  maxBlocks?: number;
}

/** Kept apart from randomNet's streams: the same seed draws an unrelated net. */
const STREAM = 0x6a09e667;

export function randomGraphNet(seed: number, opts: RandomGraphOptions = {}): NetIR {
  const rng = mulberry32((seed ^ STREAM) >>> 0);
  const weightBits = rng.int(2, 6);
  const input: MapShape = { channels: rng.int(1, 3), height: rng.int(3, 8), width: rng.int(3, 8), bits: rng.int(1, 3), signed: false };
  const g = new GraphBuilder(rng, input, weightBits);
  const blocks = rng.int(1, opts.maxBlocks ?? 3);
  for (let b = 0; b < blocks; b++) {
    const t = g.trunk;
    const ts = g.shapeOf(t);
    switch (rng.pick(['fused', 'own', 'concat', 'plain'] as const)) {
      case 'fused': {
        const a = g.conv(t, rng.int(1, 4), ts.bits);
        const raw = g.conv(a, ts.channels, 'none');
        g.add(rng.int(0, 1) === 0 ? [raw, t] : [t, raw]);
        break;
      }
      case 'own': {
        const a = g.conv(t, ts.channels, ts.bits);
        g.add([a, t]);
        break;
      }
      case 'concat': {
        const a = g.conv(t, rng.int(1, 3), ts.bits);
        g.concat(rng.int(0, 1) === 0 ? [t, a] : [a, t]);
        break;
      }
      case 'plain':
        g.push(randomLayer(rng, g.spec(false)));
    }
  }
  g.push(randomLayer(rng, g.spec(true)));
  return {
    name: `graph_${seed >>> 0}`,
    input,
    weightBits,
    crossbar: { rows: rng.int(4, 32), cols: rng.int(2, 8) },
    layers: g.layers,
    output: g.layers[g.layers.length - 1].outShape,
    source: '<memory>',
  };
}

class GraphBuilder {
  readonly layers: Layer[] = [];
  /** Each layer's output on every probe input. */
  private readonly probes: Int32Array[][] = [];
  private readonly inputProbes: Int32Array[];

  constructor(private readonly rng: Prng, private readonly input: MapShape, private readonly weightBits: number) {
    this.inputProbes = Array.from({ length: PROBES }, () => randomMap(input, rng));
  }

  /** The latest layer (−1: the network input): every block reads it and ends with a layer that becomes it. */
  get trunk(): number {
    return this.layers.length - 1;
  }

  shapeOf(j: number): MapShape {
    return j < 0 ? this.input : this.layers[j].outShape;
  }

  private probesOf(j: number): Int32Array[] {
    return j < 0 ? this.inputProbes : this.probes[j];
  }

  spec(final: boolean): LayerSpec {
    return { index: this.layers.length, inShape: this.shapeOf(this.trunk), final, weightBits: this.weightBits, budget: 3000, probes: this.probesOf(this.trunk) };
  }

  push(layer: Layer): number {
    this.layers.push(layer);
    this.probes.push(this.probesOf(-1).map((_, p) => {
      const ins = layer.inputs.map((j) => this.probesOf(j)[p]);
      return referenceLayer(layer, ins[0], ins);
    }));
    return layer.index;
  }

  private base(kind: string, inputs: number[]) {
    const index = this.layers.length;
    const inShapes = inputs.map((j) => this.shapeOf(j));
    return { name: `${kind}${index}`, pointer: `/layers/${index}`, index, inputs, inShapes, inShape: inShapes[0] };
  }

  /** A conv that keeps the map's size, with a threshold or ADC of `bits` (1: threshold), or a raw read-out. */
  conv(from: number, outChannels: number, bits: number | 'none'): number {
    const { rng } = this;
    const inShape = this.shapeOf(from);
    const kernel = rng.pick([1, 3]);
    const layer: ConvLayer = {
      ...this.base('conv', [from]), type: 'conv', outChannels, kernel, stride: 1, padding: (kernel - 1) / 2,
      outShape: { channels: outChannels, height: inShape.height, width: inShape.width, bits: 1, signed: false },
      weights: randomWeights(rng, outChannels * inShape.channels * kernel * kernel, this.weightBits),
      bias: randomBias(rng, outChannels, { inShape, weightBits: this.weightBits } as LayerSpec),
      activation: { type: 'none' },
    };
    const kind = bits === 'none' ? 'none' : bits === 1 && rng.int(0, 1) === 0 ? 'threshold' : 'adc';
    setActivation(rng, layer, probeAccumulators(layer, this.probesOf(from)), kind, () => bits as number, () => accumulatorRange(layer));
    return this.push(layer);
  }

  /** An add of `inputs`: weight 1 on a raw input, random weights on the others, a threshold or ADC read-out. */
  add(inputs: number[]): number {
    const { rng } = this;
    const base = this.base('add', inputs);
    const C = base.inShape.channels;
    const limit = 2 ** (this.weightBits - 1) - 1;
    const weights = base.inShapes.map((s) => Int32Array.from({ length: C }, () => (s.signed ? 1 : rng.int(-limit, limit))));
    const bias = Int32Array.from({ length: C }, () => rng.int(-limit, limit));
    const layer: AddLayer = {
      ...base, type: 'add', weights, bias, activation: { type: 'none' },
      outShape: { ...base.inShape, bits: 32, signed: true },
    };
    // Accumulator samples: the add with a raw read-out on the probes.
    const P = base.inShape.height * base.inShape.width;
    const columns: number[][] = Array.from({ length: C }, () => []);
    for (let p = 0; p < PROBES; p++) {
      const ins = inputs.map((j) => this.probesOf(j)[p]);
      referenceLayer(layer, ins[0], ins).forEach((acc, i) => columns[Math.floor(i / P)].push(acc));
    }
    layer.outShape = { ...layer.outShape, signed: false };
    setActivation(rng, layer, columns, rng.pick(['threshold', 'adc'] as const), () => rng.int(1, 3), () => ({ min: 0, max: 0 }));
    return this.push(layer);
  }

  concat(inputs: number[]): number {
    const base = this.base('concat', inputs);
    const channels = base.inShapes.reduce((n, s) => n + s.channels, 0);
    const layer: ConcatLayer = { ...base, type: 'concat', outShape: { ...base.inShape, channels } };
    return this.push(layer);
  }
}
