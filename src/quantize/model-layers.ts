// The float model as the greedy method walks it: one segment per matrix layer
// with the max-pools after it, named as in the emitted net.json.
import { RramGenError } from '../diagnostics/index.js';
import { nameProblem } from '../ir/names.js';
import type { Chw, FloatConv, FloatNet } from './float-net.js';
import type { Segment } from './integer.js';

/** Matrix layers with the max-pools after each, named conv1.., fc1.., pool1... */
export function segments(float: FloatNet, file: string): Segment[] {
  const segs: Segment[] = [];
  let shape: Chw = float.input;
  let convs = 0;
  let fcs = 0;
  let pools = 0;
  // Pools from an average pool on wait for the next matrix layer (avg-pool.ts).
  let pending: { pools: NonNullable<Segment['inPools']>; names: string[]; from: Chw } | undefined;
  float.layers.forEach((l, i) => {
    const out = float.shapes[i];
    if (l.type === 'avgpool' || (l.type === 'maxpool' && pending !== undefined)) {
      pending ??= { pools: [], names: [], from: shape };
      pending.pools.push(l);
      pending.names.push(`pool${++pools}`);
    } else if (l.type === 'maxpool') {
      const seg = segs[segs.length - 1];
      if (seg === undefined) throw RramGenError.of('onnx-unsupported', '', `${l.node}: max-pooling the input image is not supported`, file);
      seg.pools.push(l);
      seg.poolNames.push(`pool${++pools}`);
      seg.pooledShape = out;
    } else if (l.type === 'add' || l.type === 'concat') {
      throw RramGenError.of('onnx-unsupported', '', `${l.node}: ${l.type} layers are quantized by the graph method (graph-quantize.ts), not as a chain`, file);
    } else {
      const grouped = l.type === 'conv' && l.groups > 1 ? { matrix: ungroupedConv(l), groups: l.groups } : { matrix: l };
      const inPools = pending === undefined ? {} : { inPools: pending.pools, inPoolNames: pending.names, poolInShape: pending.from };
      pending = undefined;
      segs.push({ ...grouped, index: i, pools: [], inShape: shape, outShape: out, pooledShape: out, name: l.type === 'conv' ? `conv${++convs}` : `fc${++fcs}`, poolNames: [], ...inPools });
    }
    shape = out;
  });
  segs.slice(0, -1).forEach((s) => {
    if (s.matrix.activation.type === 'identity') throw RramGenError.of('onnx-unsupported', '', `${s.matrix.node}: a hidden layer without an activation is not supported (the method turns each hidden activation into a threshold)`, file);
  });
  return segs;
}

/** A grouped conv as one conv of all input channels, zeros between its blocks (Segment.groups keeps the groups). */
function ungroupedConv(l: FloatConv): FloatConv {
  const O = l.outChannels;
  const Kg = l.weights.length / O;
  const K = Kg * l.groups;
  const Og = O / l.groups;
  const weights = new Float64Array(O * K);
  for (let o = 0; o < O; o++) weights.set(l.weights.subarray(o * Kg, (o + 1) * Kg), o * K + Math.floor(o / Og) * Kg);
  return { ...l, groups: 1, weights };
}

/** A net.json name from a file name: letters, digits and _, starting with a letter. */
export function safeName(s: string): string {
  let n = s.replace(/[^A-Za-z0-9_]/g, '_').replace(/^[^A-Za-z]+/, '').slice(0, 44);
  if (n === '') n = 'net';
  return nameProblem(n) === undefined ? n : `net_${n}`;
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
