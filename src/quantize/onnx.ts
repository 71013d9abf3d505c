// ONNX import: a model file → FloatNet. Decoding uses the protobuf classes of
// the onnx-proto package; the graph must be one chain of supported operators
// from the image input to the logits (or a graph of them: a residual Add of two
// maps, a Concat on the channel axis, a map read by several nodes):
//   Conv (kernel_shape, strides, pads, dilations, group, auto_pad; 2-D), a
//   monotonic activation (Relu, LeakyRelu/PRelu with positive slopes,
//   Sigmoid, Tanh, Clip — HardTanh and ReLU6 export as Clip —, HardSigmoid;
//   see float-activation.ts), MaxPool (kernel_shape, strides, pads, auto_pad;
//   no dilation, floor mode), Pad (zeros on H and W, folded into the Conv or
//   MaxPool after it: onnx-window.ts), AveragePool (padding only with
//   count_include_pad=1) and GlobalAveragePool (square maps), Gemm,
//   MatMul (+ Add of a constant), Flatten / Reshape to
//   [batch, features] before a dense layer, BatchNormalization (folded into the
//   conv or dense layer before it), Identity and Dropout (inference: no-ops),
//   Constant (only as a value other nodes read).
// Anything else is one error line naming the node (name, operator), the
// attribute or input, and what is supported (docs/quantize.md lists it all).
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, extname } from 'node:path';
import type onnxPkg from 'onnx-proto';
import { type Diagnostic, RramGenError, diag } from '../diagnostics/index.js';
import { type Chw, type FloatLayer, type FloatMatrix, type FloatNet, floatOutShape, isFloatMatrix } from './float-net.js';
import { type OnnxWindowAttributes, onnxWindow, padNodePads } from './onnx-window.js';
import { squareWindow } from '../ops/window.js';
import { type FloatActivation, IDENTITY, RELU, activationName } from './float-activation.js';
import { type TensorState, checkAllUsed, concatLayer, residualAdd } from './onnx-graph.js';

// The protobuf classes are loaded on first use: every other command would
// otherwise pay for them at start-up.
const require = createRequire(import.meta.url);
let classes: typeof onnxPkg.onnx | undefined;
function onnxClasses(): typeof onnxPkg.onnx {
  classes ??= (require('onnx-proto') as typeof onnxPkg).onnx;
  return classes;
}
type NodeProto = onnxPkg.onnx.NodeProto;
type TensorProto = onnxPkg.onnx.ITensorProto;
type AttributeProto = onnxPkg.onnx.IAttributeProto;

export const MAX_ONNX_BYTES = 256 * 2 ** 20;

/** The operators the importer maps (docs/quantize.md lists their attributes and PyTorch modules). */
const SUPPORTED_OPS = 'Conv, Relu, LeakyRelu, PRelu, Sigmoid, Tanh, Clip, HardSigmoid, MaxPool, Pad before Conv or MaxPool, AveragePool, GlobalAveragePool, Gemm, MatMul, Add after MatMul or of two maps, Concat, Flatten, Reshape, BatchNormalization, Identity, Dropout, Constant';

interface Tensor { dims: number[]; data: Float64Array }

type LongLike = number | { toNumber(): number } | string | null | undefined;
function num(v: LongLike): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  return v.toNumber();
}

/** Reads and imports an ONNX model file. `displayName` is how messages name it. */
export function importOnnxFile(path: string, displayName = path): FloatNet {
  let bytes: Uint8Array;
  try {
    const size = statSync(path).size;
    if (size > MAX_ONNX_BYTES) throw RramGenError.of('file-too-large', '', `file is ${size} bytes, the limit is ${MAX_ONNX_BYTES}`, displayName);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof RramGenError) throw e;
    throw RramGenError.of('file-unreadable', '', `cannot read the file: ${(e as Error).message}`, displayName);
  }
  const name = basename(path, extname(path));
  return importOnnx(bytes, displayName, name);
}

/** Imports an ONNX model held in memory. */
export function importOnnx(bytes: Uint8Array, file = '<memory>', name = 'net'): FloatNet {
  let model: onnxPkg.onnx.ModelProto;
  try {
    model = onnxClasses().ModelProto.decode(bytes);
  } catch (e) {
    throw RramGenError.of('onnx-invalid', '', `not an ONNX model (protobuf decoding failed: ${(e as Error).message})`, file);
  }
  if (model.graph === null || model.graph === undefined || (model.graph.node ?? []).length === 0) {
    throw RramGenError.of('onnx-invalid', '/graph', 'the model has no graph nodes', file);
  }
  for (const op of model.opsetImport ?? []) {
    if ((op.domain ?? '') !== '' && op.domain !== 'ai.onnx') {
      throw RramGenError.of('onnx-unsupported', '/opset_import', `operator set domain "${op.domain}" is not supported (only the default ONNX domain)`, file);
    }
  }
  // Clip reads min/max as inputs from opset 11 on, as attributes before.
  const opset = (model.opsetImport ?? []).filter((op) => (op.domain ?? '') === '' || op.domain === 'ai.onnx').map((op) => num(op.version as LongLike));
  return new Importer(model.graph, file, name, opset.length > 0 ? Math.max(...opset) : 1).run();
}

/** The error of one node: "node "/0/Conv" (Conv): …". */
class NodeError {
  constructor(readonly code: 'onnx-unsupported' | 'onnx-invalid', readonly message: string) {}
}

class Importer {
  private readonly consts = new Map<string, Tensor>();
  private readonly layers: FloatLayer[] = [];
  private readonly shapes: Chw[] = [];
  /** Name of the tensor the chain has reached. */
  private current: string;
  /** Shape of that tensor: a C×H×W map, or flattened (features = C·H·W in C,H,W order). */
  private shape: Chw;
  private flat = false;
  /** Index into `layers` of the matrix layer whose raw output `current` still is (BatchNormalization/Add may fold into it). */
  private rawOutputOf = -1;
  private readonly consumers = new Map<string, number>();
  /** [top, left, bottom, right] of a Pad node the next node (a Conv or MaxPool) takes into its own padding. */
  private pendingPads: [number, number, number, number] = [0, 0, 0, 0];
  /** The layer whose output the current tensor is (−1: the network input). */
  private producer = -1;
  /** The conv, dense or add layer an activation on the current tensor belongs to (max-pools commute with it), −1 for none. */
  private activationTarget = -1;
  /** Every feature-map tensor seen so far: what the fields above were when it was made. */
  private readonly tensors = new Map<string, TensorState>();

  constructor(private readonly graph: onnxPkg.onnx.IGraphProto, private readonly file: string, private readonly name: string, private readonly opset: number) {
    for (const t of graph.initializer ?? []) {
      if (t.name) this.consts.set(t.name, this.tensor(t, `/graph/initializer/${t.name}`));
    }
    const inputs = (graph.input ?? []).filter((i) => !this.consts.has(i.name ?? ''));
    if (inputs.length !== 1) {
      throw RramGenError.of('onnx-unsupported', '/graph/input', `the graph has ${inputs.length} inputs besides its weights; exactly one (the image) is supported`, file);
    }
    const input = inputs[0];
    const dims = input.type?.tensorType?.shape?.dim ?? [];
    const fixed = dims.map((d) => (d.dimValue !== null && d.dimValue !== undefined && num(d.dimValue as LongLike) > 0 ? num(d.dimValue as LongLike) : undefined));
    if (dims.length !== 4 || fixed.slice(1).some((d) => d === undefined)) {
      const text = dims.map((d, i) => fixed[i] ?? (d.dimParam || '?')).join('×');
      throw RramGenError.of('onnx-unsupported', '/graph/input/0',
        `input "${input.name}" has shape [${text}]; expected [batch, C, H, W] with fixed C, H and W`, file);
    }
    if ((input.type?.tensorType?.elemType ?? 1) !== 1) {
      throw RramGenError.of('onnx-unsupported', '/graph/input/0', `input "${input.name}" is not a float tensor`, file);
    }
    this.current = input.name ?? '';
    this.shape = { channels: fixed[1]!, height: fixed[2]!, width: fixed[3]! };
    for (const n of graph.node ?? []) for (const i of n.input ?? []) this.consumers.set(i, (this.consumers.get(i) ?? 0) + 1);
    this.save();
  }

  private save(): void {
    this.tensors.set(this.current, { producer: this.producer, shape: this.shape, flat: this.flat, raw: this.rawOutputOf, activationTarget: this.activationTarget });
  }

  /** Makes `name` the current tensor. A tensor read by several nodes is a fork: nothing may fold into the layer that made it. */
  private load(name: string): void {
    const t = this.tensors.get(name)!;
    const forked = (this.consumers.get(name) ?? 0) > 1;
    this.current = name;
    this.producer = t.producer;
    this.shape = t.shape;
    this.flat = t.flat;
    this.rawOutputOf = forked ? -1 : t.raw;
    this.activationTarget = forked ? -1 : t.activationTarget;
  }

  run(): FloatNet {
    const { graph, file } = this;
    const inputShape = { ...this.shape };
    const inputName = this.current;
    const nodes = graph.node ?? [];
    nodes.forEach((node, i) => {
      const pointer = `/graph/node/${i}`;
      const label = `node "${node.name || `#${i}`}" (${node.opType})`;
      try {
        this.node(node as NodeProto);
      } catch (e) {
        if (e instanceof NodeError) throw RramGenError.of(e.code, pointer, `${label}: ${e.message}`, file);
        throw e;
      }
    });
    const outputs = graph.output ?? [];
    if (outputs.length !== 1) {
      throw RramGenError.of('onnx-unsupported', '/graph/output', `the graph has ${outputs.length} outputs; exactly one (the logits) is supported`, file);
    }
    const outputName = outputs[0].name ?? '';
    if (this.tensors.get(outputName)?.producer !== this.layers.length - 1 || this.layers.length === 0) {
      throw RramGenError.of('onnx-unsupported', '/graph/output/0', `output "${outputName}" is not the output of the last layer (${this.layers[this.layers.length - 1]?.node ?? 'none'})`, file);
    }
    checkAllUsed(this.layers, file);
    const last = this.layers[this.layers.length - 1];
    if (last === undefined || !isFloatMatrix(last)) {
      throw RramGenError.of('onnx-unsupported', '/graph/output/0', 'the network must end in a Conv, Gemm or MatMul layer (its values are the answer)', file);
    }
    if (last.activation.type !== 'identity') {
      throw RramGenError.of('onnx-unsupported', '/graph/output/0', `the final layer (${last.node}) is followed by an activation (${activationName(last.activation)}); export the logits of the last layer instead`, file);
    }
    return { name: this.name, input: inputShape, layers: this.layers, shapes: this.shapes, inputName, outputName };
  }

  private node(node: NodeProto): void {
    const op = node.opType ?? '';
    if ((node.domain ?? '') !== '' && node.domain !== 'ai.onnx') throw new NodeError('onnx-unsupported', `operator domain "${node.domain}" is not supported`);
    // Add is commutative: bring the map first (add() finds its constant either side).
    const given = node.input ?? [];
    const inputs = op === 'Add' && this.consts.has(given[0]) && this.tensors.has(given[1]) ? [given[1], given[0]] : given;
    const outputs = (node.output ?? []).filter((o) => o !== '');
    if (op === 'Constant') {
      this.attributes(node, ['value', 'value_float', 'value_floats', 'value_int', 'value_ints']);
      this.consts.set(outputs[0], this.constantValue(node));
      return;
    }
    if (!this.tensors.has(inputs[0] ?? '')) {
      const why = this.consts.has(inputs[0] ?? '') ? 'a constant' : `"${inputs[0]}", which no supported node made`;
      throw new NodeError('onnx-unsupported', `reads ${why} as its first input; it must be a feature map (the image or a layer's output)`);
    }
    this.load(inputs[0]);
    const out = outputs[0];
    if ((op === 'Add' && this.tensors.has(inputs[1] ?? '')) || op === 'Concat') {
      const maps = inputs.map((name) => this.tensors.get(name));
      const missing = inputs.findIndex((name, k) => maps[k] === undefined);
      if (missing >= 0) throw new NodeError('onnx-unsupported', `input "${inputs[missing]}" is not a feature map (${op} of a constant ${op === 'Add' ? 'folds only into the bias of the Conv, Gemm or MatMul before it' : 'is not supported'})`);
      const made = op === 'Add'
        ? residualAdd(node.name || 'Add', maps as TensorState[], this.layers.length)
        : concatLayer(node.name || 'Concat', maps as TensorState[], this.layers.length, this.attributes(node, ['axis']).axis);
      if (typeof made === 'string') throw new NodeError('onnx-unsupported', made);
      if (op === 'Add') this.attributes(node, []);
      if (outputs.length !== 1) throw new NodeError('onnx-unsupported', `has ${outputs.length} outputs; expected 1`);
      this.push(made.layer, false, made.more);
      this.current = out;
      this.save();
      return;
    }
    for (const extra of inputs.slice(1)) {
      if (extra !== '' && !this.consts.has(extra)) throw new NodeError('onnx-unsupported', `input "${extra}" is not a constant (weights must be initializers or Constant nodes)`);
    }
    switch (op) {
      case 'Conv': this.conv(node); break;
      case 'Gemm': this.gemm(node); break;
      case 'MatMul': this.matmul(node); break;
      case 'Add': this.add(node); break;
      case 'BatchNormalization': this.batchNorm(node); break;
      case 'Relu': this.attributes(node, []); this.activation(RELU); break;
      case 'LeakyRelu': this.activation(this.leakyRelu(node)); break;
      case 'PRelu': this.activation(this.prelu(node)); break;
      case 'Sigmoid': this.attributes(node, []); this.activation({ type: 'sigmoid' }); break;
      case 'Tanh': this.attributes(node, []); this.activation({ type: 'tanh' }); break;
      case 'Clip': this.activation(this.clip(node)); break;
      case 'HardSigmoid': this.activation(this.hardSigmoid(node)); break;
      case 'MaxPool': this.maxpool(node); break;
      case 'Pad': this.pad(node, out); break;
      case 'AveragePool': this.avgpool(node); break;
      case 'GlobalAveragePool': this.globalAvgPool(node); break;
      case 'Flatten': this.flatten(node); break;
      case 'Reshape': this.reshape(node); break;
      case 'Identity':
        this.attributes(node, []);
        break;
      case 'Dropout':
        this.attributes(node, ['ratio', 'seed', 'is_test']);
        if (inputs[2] !== undefined && inputs[2] !== '' && this.consts.get(inputs[2])!.data[0] !== 0) {
          throw new NodeError('onnx-unsupported', 'training_mode is true; export the model for inference');
        }
        if (outputs.length > 1 && (this.consumers.get(outputs[1]) ?? 0) > 0) throw new NodeError('onnx-unsupported', 'its mask output is used');
        break;
      default:
        throw new NodeError('onnx-unsupported', `operator ${op} is not supported (supported: ${SUPPORTED_OPS})`);
    }
    if (outputs.length !== 1 && op !== 'Dropout') throw new NodeError('onnx-unsupported', `has ${outputs.length} outputs; expected 1`);
    this.current = out;
    this.save();
  }

  // ---- layers -------------------------------------------------------------

  private conv(node: NodeProto): void {
    const a = this.attributes(node, ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides']);
    if (this.flat) throw new NodeError('onnx-unsupported', 'a Conv after Flatten/Reshape is not supported');
    const w = this.constInput(node, 1, 'weight');
    const inputs = node.input ?? [];
    if (w.dims.length !== 4) throw new NodeError('onnx-unsupported', `weight has ${w.dims.length} dimensions; only 2-D convolutions ([O, C, k, k]) are supported`);
    const [O, Cg, kh, kw] = w.dims;
    const C = this.shape.channels;
    const groups = a.group === undefined ? 1 : num(a.group.i as LongLike);
    if (!Number.isSafeInteger(groups) || groups < 1 || C % groups !== 0 || O % groups !== 0) {
      throw new NodeError('onnx-invalid', `group=${groups} must divide the ${C} input channels and the ${O} output channels`);
    }
    if (Cg * groups !== C) {
      throw new NodeError('onnx-invalid', `weight expects ${Cg} input channels per group (group=${groups}: ${Cg * groups} in all), the map has ${C}`);
    }
    const window = onnxWindow(this.windowAttributes(a), 'Conv', [kh, kw], this.shape, this.takePads(), (code, message) => { throw new NodeError(code, message); });
    const bias = inputs[2] !== undefined && inputs[2] !== '' ? this.constInput(node, 2, 'bias').data : new Float64Array(O);
    if (bias.length !== O) throw new NodeError('onnx-invalid', `bias has ${bias.length} values, expected ${O}`);
    this.push({ type: 'conv', node: node.name || 'Conv', inChannels: C, outChannels: O, window, groups, weights: Float64Array.from(w.data), bias: Float64Array.from(bias), activation: IDENTITY }, true);
  }

  private gemm(node: NodeProto): void {
    const a = this.attributes(node, ['alpha', 'beta', 'transA', 'transB']);
    if (a.transA !== undefined && num(a.transA.i as LongLike) !== 0) throw new NodeError('onnx-unsupported', 'transA=1 is not supported');
    const transB = a.transB !== undefined && num(a.transB.i as LongLike) !== 0;
    const alpha = a.alpha?.f ?? 1;
    const beta = a.beta?.f ?? 1;
    const b = this.constInput(node, 1, 'B');
    if (b.dims.length !== 2) throw new NodeError('onnx-invalid', `B has ${b.dims.length} dimensions, expected 2`);
    const [outF, inF] = transB ? b.dims : [b.dims[1], b.dims[0]];
    const weights = this.denseWeights(b, transB, inF, outF);
    for (let i = 0; i < weights.length; i++) weights[i] *= alpha;
    const bias = new Float64Array(outF);
    const inputs = node.input ?? [];
    if (inputs[2] !== undefined && inputs[2] !== '') {
      const c = this.constInput(node, 2, 'C');
      this.broadcastAdd(bias, c, beta);
    }
    this.pushDense(node, inF, outF, weights, bias);
  }

  private matmul(node: NodeProto): void {
    this.attributes(node, []);
    const b = this.constInput(node, 1, 'B');
    if (b.dims.length !== 2) throw new NodeError('onnx-unsupported', `B has ${b.dims.length} dimensions; only a 2-D weight matrix is supported`);
    const [inF, outF] = b.dims;
    this.pushDense(node, inF, outF, this.denseWeights(b, false, inF, outF), new Float64Array(outF));
  }

  private add(node: NodeProto): void {
    this.attributes(node, []);
    const layer = this.rawLayer('Add');
    const c = this.constInput(node, (node.input ?? [])[0] === this.current ? 1 : 0, 'the added constant');
    const O = layer.type === 'conv' ? layer.outChannels : layer.outFeatures;
    const perChannel = layer.type === 'conv' && c.data.length === O && c.dims.length >= 3 && c.dims.slice(-2).every((d) => d === 1);
    if (!perChannel && !(c.data.length === O && c.dims.filter((d) => d !== 1).length <= 1) && c.data.length !== 1) {
      throw new NodeError('onnx-unsupported', `adds a constant of shape [${c.dims.join(', ')}]; only a per-output bias (${O} values) can be folded into ${layer.node}`);
    }
    this.broadcastAdd(layer.bias, c, 1);
  }

  private batchNorm(node: NodeProto): void {
    const a = this.attributes(node, ['epsilon', 'momentum', 'training_mode', 'spatial', 'is_test']);
    if (a.training_mode !== undefined && num(a.training_mode.i as LongLike) !== 0) throw new NodeError('onnx-unsupported', 'training_mode=1 is not supported; export the model for inference');
    if (a.spatial !== undefined && num(a.spatial.i as LongLike) !== 1) throw new NodeError('onnx-unsupported', 'spatial=0 is not supported');
    if ((node.output ?? []).filter((o) => o !== '').length > 1) throw new NodeError('onnx-unsupported', 'training outputs (running mean/var) are not supported');
    const layer = this.rawLayer('BatchNormalization');
    const eps = a.epsilon?.f ?? 1e-5;
    const O = layer.type === 'conv' ? layer.outChannels : layer.outFeatures;
    const [scale, shift, mean, variance] = [1, 2, 3, 4].map((i) => this.constInput(node, i, ['scale', 'B', 'mean', 'var'][i - 1]).data);
    for (const v of [scale, shift, mean, variance]) {
      if (v.length !== O) throw new NodeError('onnx-invalid', `parameters have ${v.length} values, the layer has ${O} channels`);
    }
    const per = layer.weights.length / O;
    for (let o = 0; o < O; o++) {
      const g = scale[o] / Math.sqrt(variance[o] + eps);
      for (let r = 0; r < per; r++) layer.weights[o * per + r] *= g;
      layer.bias[o] = (layer.bias[o] - mean[o]) * g + shift[o];
    }
  }

  /**
   * A monotonic non-decreasing activation: max-pooling and flattening commute
   * with it, so it belongs to the last matrix layer (one activation per layer).
   */
  private activation(f: FloatActivation): void {
    const l = this.activationTarget >= 0 ? this.layers[this.activationTarget] : undefined;
    if (l?.type === 'avgpool') {
      throw new NodeError('onnx-unsupported', `an activation after average pooling (${l.node}) is not supported (only before it: the activation must belong to the conv/dense layer)`);
    }
    if (l !== undefined && l.type !== 'maxpool' && l.type !== 'concat') {
      if (l.activation.type !== 'identity') {
        throw new NodeError('onnx-unsupported', `${l.node} already has an activation (${activationName(l.activation)}); only one activation per layer is supported`);
      }
      l.activation = f;
      this.rawOutputOf = -1;
      return;
    }
    if (this.layers.length === 0) throw new NodeError('onnx-unsupported', 'an activation on the network input is not supported (only after a Conv, Gemm, MatMul or a residual Add)');
    throw new NodeError('onnx-unsupported', `an activation on "${this.current}" is not supported: it must follow a Conv, Gemm, MatMul or a residual Add (max-pools in between are fine) whose output nothing else reads`);
  }

  private leakyRelu(node: NodeProto): FloatActivation {
    const a = this.attributes(node, ['alpha']);
    const alpha = a.alpha?.f ?? 0.01;
    if (alpha < 0) throw new NodeError('onnx-unsupported', `attribute alpha=${alpha} makes the activation non-monotonic; only alpha ≥ 0 is supported (a threshold on it must be a threshold on its input)`);
    return alpha === 0 ? RELU : { type: 'leakyrelu', alpha };
  }

  private prelu(node: NodeProto): FloatActivation {
    this.attributes(node, []);
    const slope = this.constInput(node, 1, 'slope');
    const C = this.shape.channels;
    // Broadcast from the right: per channel is [C, 1, 1] on a C×H×W map, [C] on features.
    const d = slope.dims;
    const perChannel = slope.data.length === C && (this.flat ? d[d.length - 1] === C : d.length >= 3 && d[d.length - 3] === C);
    if (slope.data.length !== 1 && !perChannel) {
      throw new NodeError('onnx-unsupported', `input slope has shape [${slope.dims.join(', ')}]; only one slope or one per channel (${C}) is supported`);
    }
    const bad = slope.data.findIndex((s) => !(s > 0));
    if (bad >= 0) throw new NodeError('onnx-unsupported', `input slope has ${slope.data[bad]} at index ${bad}; only positive slopes are supported (the activation must be increasing)`);
    return slope.data.length === 1 ? { type: 'leakyrelu', alpha: slope.data[0] } : { type: 'prelu', slopes: Float64Array.from(slope.data) };
  }

  private clip(node: NodeProto): FloatActivation {
    let min: number;
    let max: number;
    if (this.opset >= 11) {
      this.attributes(node, []);
      const bound = (i: number, what: string, dflt: number): number => {
        const name = (node.input ?? [])[i];
        if (name === undefined || name === '') return dflt;
        const t = this.constInput(node, i, what);
        if (t.data.length !== 1) throw new NodeError('onnx-unsupported', `input ${what} has ${t.data.length} values; only a scalar is supported`);
        return t.data[0];
      };
      min = bound(1, 'min', -Infinity);
      max = bound(2, 'max', Infinity);
    } else {
      const a = this.attributes(node, ['min', 'max']);
      min = a.min?.f ?? -Infinity;
      max = a.max?.f ?? Infinity;
    }
    if (!(min < max)) throw new NodeError('onnx-unsupported', `min=${min} is not below max=${max}; only min < max is supported (a constant carries nothing)`);
    if (min === -Infinity && max === Infinity) return IDENTITY;
    if (min === 0 && max === Infinity) return RELU;
    return { type: 'clip', min, max };
  }

  private hardSigmoid(node: NodeProto): FloatActivation {
    const a = this.attributes(node, ['alpha', 'beta']);
    const alpha = a.alpha?.f ?? 0.2;
    const beta = a.beta?.f ?? 0.5;
    if (!(alpha > 0)) throw new NodeError('onnx-unsupported', `attribute alpha=${alpha}: only alpha > 0 is supported (the activation must be increasing)`);
    return { type: 'hardsigmoid', alpha, beta };
  }

  private maxpool(node: NodeProto): void {
    const a = this.attributes(node, ['auto_pad', 'ceil_mode', 'dilations', 'kernel_shape', 'pads', 'storage_order', 'strides']);
    if (this.flat) throw new NodeError('onnx-unsupported', 'a MaxPool after Flatten/Reshape is not supported');
    if ((node.output ?? []).filter((o) => o !== '').length > 1) throw new NodeError('onnx-unsupported', 'the Indices output is not supported');
    const window = onnxWindow(this.windowAttributes(a), 'MaxPool', undefined, this.shape, this.takePads(), (code, message) => { throw new NodeError(code, message); });
    const { height: H, width: W } = this.shape;
    const extraH = H + window.padTop + window.padBottom - window.kernelH;
    const extraW = W + window.padLeft + window.padRight - window.kernelW;
    if (a.ceil_mode !== undefined && num(a.ceil_mode.i as LongLike) !== 0 && (extraH % window.strideH !== 0 || extraW % window.strideW !== 0)) {
      throw new NodeError('onnx-unsupported', `ceil_mode=1 on a ${H}×${W} map would add a window past the padding; only floor mode is supported`);
    }
    this.push({ type: 'maxpool', node: node.name || 'MaxPool', window }, false);
  }

  /**
   * A Pad node: zeros around H and W, folded into the Conv or MaxPool that
   * reads it (the Conv's zero padding; a MaxPool's only after a Relu, where
   * a zero never wins over the map's values... or ties them).
   */
  private pad(node: NodeProto, out: string): void {
    const a = this.attributes(node, ['mode', 'pads', 'value']);
    if (this.flat) throw new NodeError('onnx-unsupported', 'a Pad after Flatten/Reshape is not supported');
    const inputs = node.input ?? [];
    if (inputs[3] !== undefined && inputs[3] !== '') throw new NodeError('onnx-unsupported', 'the axes input is not supported (pad all four N, C, H, W axes)');
    const fail = (code: 'onnx-unsupported' | 'onnx-invalid', message: string): never => { throw new NodeError(code, message); };
    const mode = a.mode === undefined ? 'constant' : new TextDecoder().decode(a.mode.s ?? new Uint8Array());
    // Opset 11 on: pads and the value are inputs; before: attributes.
    const pads = a.pads !== undefined ? this.ints(a.pads)! : Array.from(this.constInput(node, 1, 'pads').data);
    const value = a.value !== undefined ? (a.value.f ?? 0) : inputs[2] !== undefined && inputs[2] !== '' ? this.constInput(node, 2, 'constant_value').data[0] : 0;
    const spatial = padNodePads(pads, mode, value, fail);
    const readers = (this.graph.node ?? []).filter((n) => (n.input ?? []).includes(out));
    const reader = readers.length === 1 ? readers[0].opType ?? '' : '';
    if (reader !== 'Conv' && reader !== 'MaxPool') {
      fail('onnx-unsupported', `its output feeds ${readers.length === 1 ? `a ${reader}` : `${readers.length} nodes`}; a Pad is supported only right before one Conv or MaxPool (folded into its padding)`);
    }
    if (reader === 'MaxPool' && this.rawOutputOf >= 0) {
      fail('onnx-unsupported', 'a Pad before a MaxPool is supported only after a Relu (then its zeros never exceed the map); put the Relu before the Pad');
    }
    this.pendingPads = spatial.map((p, i) => p + this.pendingPads[i]) as [number, number, number, number];
    this.rawOutputOf = -1;
  }

  private avgpool(node: NodeProto): void {
    const a = this.attributes(node, ['auto_pad', 'ceil_mode', 'count_include_pad', 'dilations', 'kernel_shape', 'pads', 'strides']);
    if (this.flat) throw new NodeError('onnx-unsupported', 'an AveragePool after Flatten/Reshape is not supported');
    const window = onnxWindow(this.windowAttributes(a), 'AveragePool', undefined, this.shape, this.takePads(), (code, message) => { throw new NodeError(code, message); });
    if (window.kernelH !== window.kernelW) {
      throw new NodeError('onnx-unsupported', `kernel_shape=[${window.kernelH}, ${window.kernelW}] is not supported: an AveragePool kernel must be square (the sum-pool's adder tree)`);
    }
    const padded = window.padTop + window.padLeft + window.padBottom + window.padRight > 0;
    const includePad = a.count_include_pad !== undefined && num(a.count_include_pad.i as LongLike) !== 0;
    if (padded && !includePad) {
      throw new NodeError('onnx-unsupported', 'attribute count_include_pad=0 with padding: padded average pooling is supported only with count_include_pad=1 (every window divides by kernel², PyTorch\'s default)');
    }
    const { height: H, width: W } = this.shape;
    const extraH = H + window.padTop + window.padBottom - window.kernelH;
    const extraW = W + window.padLeft + window.padRight - window.kernelW;
    if (a.ceil_mode !== undefined && num(a.ceil_mode.i as LongLike) !== 0 && (extraH % window.strideH !== 0 || extraW % window.strideW !== 0)) {
      throw new NodeError('onnx-unsupported', `attribute ceil_mode=1 on a ${H}×${W} map would add a partial window; only floor mode is supported`);
    }
    this.push({ type: 'avgpool', node: node.name || 'AveragePool', window }, false);
  }

  private globalAvgPool(node: NodeProto): void {
    this.attributes(node, []);
    if (this.flat) throw new NodeError('onnx-unsupported', 'a GlobalAveragePool after Flatten/Reshape is not supported');
    const { height: H, width: W } = this.shape;
    if (H !== W) throw new NodeError('onnx-unsupported', `the input map is ${H}×${W}; GlobalAveragePool is supported on square maps only (a square kernel)`);
    this.push({ type: 'avgpool', node: node.name || 'GlobalAveragePool', window: squareWindow(H, H, 0) }, false);
  }

  private flatten(node: NodeProto): void {
    const a = this.attributes(node, ['axis']);
    const axis = a.axis === undefined ? 1 : num(a.axis.i as LongLike);
    if (axis !== 1) throw new NodeError('onnx-unsupported', `axis=${axis} is not supported (only 1: [batch, features])`);
    this.flat = true;
  }

  private reshape(node: NodeProto): void {
    const a = this.attributes(node, ['allowzero']);
    if (a.allowzero !== undefined && num(a.allowzero.i as LongLike) !== 0) throw new NodeError('onnx-unsupported', 'allowzero=1 is not supported');
    const target = Array.from(this.constInput(node, 1, 'shape').data);
    const features = this.shape.channels * this.shape.height * this.shape.width;
    const ok = target.length === 2 && (target[0] === 1 || target[0] === 0 || target[0] === -1) &&
      (target[1] === features || (target[1] === -1 && target[0] !== -1));
    if (!ok) throw new NodeError('onnx-unsupported', `reshape to [${target.join(', ')}] is not supported; only flattening to [batch, ${features}] before a dense layer`);
    this.flat = true;
  }

  // ---- helpers --------------------------------------------------------------

  private push(layer: FloatLayer, raw: boolean, more: Chw[] = []): void {
    const shape = floatOutShape(layer, this.shape, more);
    layer.inputs ??= [this.producer];
    this.layers.push(layer);
    this.shapes.push(shape);
    this.shape = shape;
    this.producer = this.layers.length - 1;
    this.rawOutputOf = raw ? this.layers.length - 1 : -1;
    if (layer.type !== 'maxpool') this.activationTarget = layer.type === 'concat' ? -1 : this.layers.length - 1;
    if (layer.type === 'dense') this.flat = true;
  }

  private pushDense(node: NodeProto, inF: number, outF: number, weights: Float64Array, bias: Float64Array): void {
    const features = this.shape.channels * this.shape.height * this.shape.width;
    if (!this.flat && this.shape.height * this.shape.width !== 1) {
      throw new NodeError('onnx-unsupported', `reads a ${this.shape.channels}×${this.shape.height}×${this.shape.width} map; flatten it (Flatten or Reshape) first`);
    }
    if (inF !== features) throw new NodeError('onnx-invalid', `weight expects ${inF} input features, the input has ${features}`);
    this.push({ type: 'dense', node: node.name || node.opType || 'dense', inFeatures: inF, outFeatures: outF, weights, bias, activation: IDENTITY }, true);
  }

  /** [out][in] weights from a 2-D tensor stored [out][in] (transposed) or [in][out]. */
  private denseWeights(b: Tensor, outIn: boolean, inF: number, outF: number): Float64Array {
    if (outIn) return Float64Array.from(b.data);
    const w = new Float64Array(outF * inF);
    for (let i = 0; i < inF; i++) for (let o = 0; o < outF; o++) w[o * inF + i] = b.data[i * outF + o];
    return w;
  }

  private broadcastAdd(bias: Float64Array, c: Tensor, scale: number): void {
    if (c.data.length === 1) {
      for (let o = 0; o < bias.length; o++) bias[o] += scale * c.data[0];
    } else if (c.data.length === bias.length) {
      for (let o = 0; o < bias.length; o++) bias[o] += scale * c.data[o];
    } else {
      throw new NodeError('onnx-unsupported', `bias of shape [${c.dims.join(', ')}] does not broadcast to ${bias.length} outputs`);
    }
  }

  /** The matrix layer whose raw (pre-activation) output is the current tensor. */
  private rawLayer(op: string): FloatMatrix {
    const l = this.rawOutputOf >= 0 ? this.layers[this.rawOutputOf] : undefined;
    if (l === undefined || !isFloatMatrix(l)) {
      throw new NodeError('onnx-unsupported', `${op} must directly follow a Conv, Gemm or MatMul whose output nothing else reads (it is folded into that layer)`);
    }
    return l;
  }

  private attributes(node: NodeProto, allowed: string[]): Record<string, AttributeProto> {
    const out: Record<string, AttributeProto> = {};
    for (const a of node.attribute ?? []) {
      const name = a.name ?? '';
      if (!allowed.includes(name)) throw new NodeError('onnx-unsupported', `attribute ${name} is not supported${allowed.length > 0 ? ` (supported: ${allowed.join(', ')})` : ''}`);
      out[name] = a;
    }
    return out;
  }

  /** The window attributes of a Conv or MaxPool as numbers and text (onnx-window.ts reads them). */
  private windowAttributes(a: Record<string, AttributeProto>): OnnxWindowAttributes {
    return {
      kernel_shape: this.ints(a.kernel_shape),
      strides: this.ints(a.strides),
      pads: this.ints(a.pads),
      dilations: this.ints(a.dilations),
      auto_pad: a.auto_pad === undefined ? undefined : new TextDecoder().decode(a.auto_pad.s ?? new Uint8Array()),
    };
  }

  /** The pads of the Pad node just before, for the Conv or MaxPool reading it (none after taking). */
  private takePads(): [number, number, number, number] {
    const pads = this.pendingPads;
    this.pendingPads = [0, 0, 0, 0];
    return pads;
  }

  private ints(a: AttributeProto | undefined): number[] | undefined {
    return a === undefined ? undefined : (a.ints ?? []).map((v) => num(v as LongLike));
  }

  private constInput(node: NodeProto, index: number, what: string): Tensor {
    const name = (node.input ?? [])[index];
    const t = name === undefined || name === '' ? undefined : this.consts.get(name);
    if (t === undefined) throw new NodeError('onnx-invalid', `${what} (input ${index}) is missing or not a constant`);
    return t;
  }

  private constantValue(node: NodeProto): Tensor {
    const a = (node.attribute ?? [])[0];
    if (a === undefined) throw new NodeError('onnx-invalid', 'Constant without a value');
    switch (a.name) {
      case 'value': return this.tensor(a.t ?? {}, '', true);
      case 'value_float': return { dims: [], data: Float64Array.of(a.f ?? 0) };
      case 'value_floats': return { dims: [(a.floats ?? []).length], data: Float64Array.from(a.floats ?? []) };
      case 'value_int': return { dims: [], data: Float64Array.of(num(a.i as LongLike)) };
      default: {
        const v = (a.ints ?? []).map((x) => num(x as LongLike));
        return { dims: [v.length], data: Float64Array.from(v) };
      }
    }
  }

  /** Decodes a tensor's values (float, double, int32/64) to float64. */
  private tensor(t: TensorProto, pointer: string, inNode = false): Tensor {
    const fail = (message: string): never => {
      if (inNode) throw new NodeError('onnx-unsupported', message);
      throw RramGenError.of('onnx-unsupported', pointer, message, this.file);
    };
    const dims = (t.dims ?? []).map((d) => num(d as LongLike));
    const count = dims.reduce((a, b) => a * b, 1);
    if ((t.dataLocation ?? 0) !== 0 || (t.externalData ?? []).length > 0) fail(`tensor "${t.name}" keeps its data in an external file; save the model with its weights inside`);
    const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
    const type = t.dataType ?? 0;
    const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
    const size: Record<number, number> = { 1: 4, 11: 8, 6: 4, 7: 8 };
    if (size[type] === undefined) fail(`tensor "${t.name}" has data type ${type}; only float, double, int32 and int64 are supported`);
    // Shape first, allocation after the data is known to fill it: a tensor of
    // absurd or negative dims is an input error, not a failed allocation.
    if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      const message = `tensor "${t.name}" has shape [${dims.join(', ')}]; dimensions must be non-negative integers`;
      if (inNode) throw new NodeError('onnx-invalid', message);
      throw RramGenError.of('onnx-invalid', pointer, message, this.file);
    }
    let data = new Float64Array(0);
    if (view) {
      if (raw!.byteLength !== count * size[type]) {
        const d: Diagnostic = diag('onnx-invalid', pointer, `tensor "${t.name}" holds ${raw!.byteLength} bytes, its shape [${dims.join(', ')}] needs ${count * size[type]}`, this.file);
        if (inNode) throw new NodeError('onnx-invalid', d.message);
        throw new RramGenError([d]);
      }
      data = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        data[i] = type === 1 ? view.getFloat32(4 * i, true) : type === 11 ? view.getFloat64(8 * i, true)
          : type === 6 ? view.getInt32(4 * i, true) : Number(view.getBigInt64(8 * i, true));
      }
    } else {
      const src: LongLike[] = (type === 1 ? t.floatData : type === 11 ? t.doubleData : type === 6 ? t.int32Data : t.int64Data) as LongLike[] ?? [];
      if (src.length !== count) {
        const message = `tensor "${t.name}" holds ${src.length} values, its shape [${dims.join(', ')}] needs ${count}`;
        if (inNode) throw new NodeError('onnx-invalid', message);
        throw RramGenError.of('onnx-invalid', pointer, message, this.file);
      }
      data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = num(src[i]);
    }
    for (let i = 0; i < count; i++) {
      if (!Number.isFinite(data[i])) fail(`tensor "${t.name}" holds a non-finite value at index ${i}`);
    }
    return { dims, data };
  }
}

export type { FloatNet } from './float-net.js';
