// A float ONNX model with the layers and weights of a net.json, for the
// ONNX Runtime reference of the golden-model benchmark when no trained ONNX
// model exists (the LeNet-sized example). Each hidden activation becomes a
// ReLU: the float network does the same multiply-accumulate work, which is
// what the reference is for; its outputs are not compared.
import onnxPkg from 'onnx-proto';
import type { NetIR } from '../src/ir/types.js';

const { onnx } = onnxPkg;
const FLOAT = 1;

export function onnxOfNet(net: NetIR): Uint8Array {
  const nodes: onnxPkg.onnx.INodeProto[] = [];
  const inits: onnxPkg.onnx.ITensorProto[] = [];
  let x = 'input';
  let flat = false;
  const next = (op: string, inputs: string[], attrs: onnxPkg.onnx.IAttributeProto[] = []): void => {
    const out = `${op.toLowerCase()}${nodes.length}`;
    nodes.push({ opType: op, input: [x, ...inputs], output: [out], name: out, attribute: attrs });
    x = out;
  };
  const tensor = (name: string, dims: number[], values: Int32Array): string => {
    inits.push({ name, dataType: FLOAT, dims, floatData: Array.from(values) });
    return name;
  };
  const ints = (name: string, v: number[]): onnxPkg.onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
  for (const [i, layer] of net.layers.entries()) {
    if (layer.type === 'add' || layer.type === 'concat') throw new Error(`layer ${layer.name}: graph layers are not exported`);
    if (layer.type === 'conv') {
      const C = layer.inShape.channels;
      const w = tensor(`w${i}`, [layer.outChannels, C, layer.kernel, layer.kernel], layer.weights);
      const b = tensor(`b${i}`, [layer.outChannels], layer.bias);
      const p = layer.padding;
      next('Conv', [w, b], [ints('kernel_shape', [layer.kernel, layer.kernel]), ints('strides', [layer.stride, layer.stride]), ints('pads', [p, p, p, p])]);
    } else if (layer.type === 'maxpool') {
      next('MaxPool', [], [ints('kernel_shape', [layer.kernel, layer.kernel]), ints('strides', [layer.stride, layer.stride])]);
      continue;
    } else {
      if (!flat) {
        next('Flatten', []);
        flat = true;
      }
      const n = layer.inShape.channels * layer.inShape.height * layer.inShape.width;
      const w = tensor(`w${i}`, [layer.outFeatures, n], layer.weights);
      const b = tensor(`b${i}`, [layer.outFeatures], layer.bias);
      next('Gemm', [w, b], [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]);
    }
    if (layer.activation.type !== 'none' && i < net.layers.length - 1) next('Relu', []);
  }
  const { channels, height, width } = net.input;
  const dim = (v: number | string) => (typeof v === 'string' ? { dimParam: v } : { dimValue: v });
  const valueInfo = (name: string, dims: Array<number | string>): onnxPkg.onnx.IValueInfoProto => ({
    name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map(dim) } } },
  });
  const outs = net.output.channels * net.output.height * net.output.width;
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'rram-gen bench',
    graph: {
      name: net.name, node: nodes, initializer: inits,
      input: [valueInfo('input', ['N', channels, height, width])],
      output: [{ ...valueInfo(x, ['N', outs]) }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
