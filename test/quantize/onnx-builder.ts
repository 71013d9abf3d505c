// Builds small ONNX models in memory for tests, with the protobuf classes of
// the onnx-proto package (the same ones the importer decodes with).
import onnxPkg from 'onnx-proto';
import { mulberry32 } from '../../src/golden/prng.js';

const { onnx } = onnxPkg;

export type Attr = number | number[] | string | { float: number };

export interface NodeSpec { op: string; inputs: string[]; outputs: string[]; attrs?: Record<string, Attr>; name?: string; domain?: string }

export function tensor(name: string, dims: number[], data: ArrayLike<number>, type: 'float' | 'int64' = 'float'): onnxPkg.onnx.ITensorProto {
  if (type === 'int64') return { name, dims, dataType: 7, int64Data: Array.from(data) };
  const raw = new Uint8Array(new Float32Array(Array.from(data)).buffer);
  return { name, dims, dataType: 1, rawData: raw };
}

function attribute(name: string, v: Attr): onnxPkg.onnx.IAttributeProto {
  if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: 7, ints: v };
  if (typeof v === 'object') return { name, type: 1, f: v.float };
  return { name, type: 2, i: v };
}

export function buildModel(spec: {
  nodes: NodeSpec[];
  initializers: onnxPkg.onnx.ITensorProto[];
  input?: { name: string; dims: (number | string)[] };
  output?: { name: string; dims: (number | string)[] };
  extraInputs?: string[];
  /** Default-domain operator set version (default 13). */
  opset?: number;
}): Uint8Array {
  const input = spec.input ?? { name: 'image', dims: ['batch', 1, 8, 8] };
  const output = spec.output ?? { name: 'logits', dims: ['batch', 10] };
  const valueInfo = (v: { name: string; dims: (number | string)[] }): onnxPkg.onnx.IValueInfoProto => ({
    name: v.name,
    type: { tensorType: { elemType: 1, shape: { dim: v.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'rram-gen-test',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'test',
      node: spec.nodes.map((n, i) => ({
        name: n.name ?? `${n.op.toLowerCase()}_${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
        ...(n.domain !== undefined ? { domain: n.domain } : {}),
      })),
      initializer: spec.initializers,
      input: [valueInfo(input), ...(spec.extraInputs ?? []).map((name) => valueInfo({ name, dims: [1] }))],
      output: [valueInfo(output)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Seeded uniform values in [-scale, scale). */
export function randomValues(seed: number, n: number, scale = 0.5): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);
}

/** Largest |TS float forward − onnxruntime| over a batch of seeded inputs in [0,1] (shape C,H,W). */
export async function floatVsOnnxRuntime(bytes: Uint8Array, shape: [number, number, number], batch = 20): Promise<number> {
  const [{ importOnnx, floatForward }, ort] = await Promise.all([import('../../src/quantize/index.js'), import('onnxruntime-node')]);
  const net = importOnnx(bytes);
  const size = shape[0] * shape[1] * shape[2];
  const x = Float32Array.from(randomValues(99, batch * size, 0.5), (v) => v + 0.5);
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [batch, ...shape]) });
  const ref = out[session.outputNames[0]].data as Float32Array;
  const per = ref.length / batch;
  let diff = 0;
  for (let n = 0; n < batch; n++) {
    const y = floatForward(net, Float64Array.from(x.subarray(n * size, (n + 1) * size)));
    if (y.length !== per) throw new Error(`float forward gives ${y.length} outputs, onnxruntime ${per}`);
    for (let i = 0; i < per; i++) diff = Math.max(diff, Math.abs(y[i] - ref[n * per + i]));
  }
  return diff;
}
