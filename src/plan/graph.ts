// The plan of a graph (residual adds, concats, forks): one stage per layer,
// except that an add with a raw input (a conv/dense with activation `none`)
// is fused into that conv/dense stage, and each stage lists the streams it
// reads (StageInput). No digital adder anywhere:
//   - fused add: the other inputs' values become extra crossbar rows after the
//     window's (input i, channel c: weights[i][c] in column c only), read in
//     the same cycle as the window; the add's bias joins the layer's, its
//     activation is the stage's sense amplifier or ADC;
//   - an add without a raw input: a crossbar stage of its own, a 1×1 "conv"
//     over all inputs' channels side by side (diagonal weights), each input
//     read as is;
//   - concat: the inputs joined side by side, then the stage's register.
// FIFOs on the edges into stages with several inputs: src/plan/fifo-depth.ts.
import { RramGenError } from '../diagnostics/index.js';
import type { AddLayer, ConvLayer, MatrixLayer, NetIR } from '../ir/types.js';
import { matrixOpFor } from '../ops/index.js';
import { setFifoDepths } from './fifo-depth.js';
import { type MatrixStage, type Stage, type StageInput, planMatrixStage, planStage } from './plan.js';

export function planGraph(net: NetIR): Stage[] {
  // A raw conv/dense feeds exactly one add (the validator's rule): it becomes part of that add's stage.
  const fused = new Set<number>();
  for (const l of net.layers) {
    if (l.type === 'add') l.inputs.forEach((j, i) => { if (l.inShapes[i].signed) fused.add(j); });
  }
  const stageOf: number[] = [];
  const streamOf = (j: number): number => (j < 0 ? -1 : stageOf[j]);
  const stages: Stage[] = [];
  for (const layer of net.layers) {
    if (fused.has(layer.index)) continue;
    let stage: Stage;
    if (layer.type === 'add') {
      const rawAt = layer.inShapes.findIndex((s) => s.signed);
      stage = rawAt >= 0 ? fusedAdd(net, layer, rawAt, streamOf) : ownAdd(net, layer, streamOf);
    } else {
      const inputs: StageInput[] = layer.inputs.map((j, i) => ({ stage: streamOf(j), port: 'main', shape: layer.inShapes[i], fifoDepth: 0 }));
      stage = { ...planStage(net, layer), inputs };
    }
    stageOf[layer.index] = stages.length;
    stages.push(stage);
  }
  setFifoDepths(stages, net.input);
  return stages;
}

/** The add's inputs other than `rawAt`, whose channels become extra rows. */
function unsupportedWidth(add: AddLayer, i: number, bits: number): RramGenError {
  return RramGenError.of('plan-unsupported', `${add.pointer}/inputs/${i}`,
    `add ${add.name}: input ${i} has ${add.inShapes[i].bits}-bit values, the crossbar rows it joins read ${bits}-bit values; the hardware plan maps an add whose inputs share one value width`);
}

function fusedAdd(net: NetIR, add: AddLayer, rawAt: number, streamOf: (j: number) => number): MatrixStage {
  const raw = net.layers[add.inputs[rawAt]] as MatrixLayer;
  const op = matrixOpFor(raw);
  const windowRows = op.rows(raw);
  const cols = op.cols(raw);
  const skips = add.inputs.map((j, i) => ({ j, i })).filter((s) => s.i !== rawAt);
  for (const s of skips) if (add.inShapes[s.i].bits !== raw.inShape.bits) throw unsupportedWidth(add, s.i, raw.inShape.bits);
  const skipRows = skips.length * cols;
  const rows = windowRows + skipRows;
  const weights = new Int32Array(rows * cols);
  const bias = new Int32Array(cols);
  for (let o = 0; o < cols; o++) {
    weights.set(raw.weights.subarray(o * windowRows, (o + 1) * windowRows), o * rows);
    skips.forEach((s, k) => { weights[o * rows + windowRows + k * cols + o] = add.weights[s.i][o]; });
    bias[o] = raw.bias[o] + add.bias[o];
  }
  // The stage's matrix: the conv/dense's with the skip rows, named after the add, reading out with the add's activation.
  const matrix: MatrixLayer = {
    ...raw, name: add.name, pointer: add.pointer, index: add.index, weights, bias, activation: add.activation, outShape: add.outShape,
  };
  const inputs: StageInput[] = [
    { stage: streamOf(raw.inputs[0]), port: 'main', shape: raw.inShape, fifoDepth: 0 },
    ...skips.map((s): StageInput => ({ stage: streamOf(s.j), port: 'skip', shape: add.inShapes[s.i], fifoDepth: 0 })),
  ];
  return { ...planMatrixStage(net, matrix, op.inputBuffer(raw), rows, cols), inputs, add: { layer: add, raw, skipRows } };
}

function ownAdd(net: NetIR, add: AddLayer, streamOf: (j: number) => number): MatrixStage {
  const C = add.inShape.channels;
  const n = add.inputs.length;
  add.inShapes.forEach((s, i) => { if (s.bits !== add.inShape.bits) throw unsupportedWidth(add, i, add.inShape.bits); });
  const rows = n * C;
  const weights = new Int32Array(rows * C);
  for (let o = 0; o < C; o++) for (let i = 0; i < n; i++) weights[o * rows + i * C + o] = add.weights[i][o];
  // A 1×1 conv over the inputs' channels side by side (input i's channel c is row i·C + c).
  const matrix: ConvLayer = {
    type: 'conv', name: add.name, pointer: add.pointer, index: add.index, inputs: add.inputs, inShapes: add.inShapes,
    inShape: { ...add.inShape, channels: rows }, outShape: add.outShape,
    outChannels: C, kernel: 1, stride: 1, padding: 0, weights, bias: add.bias, activation: add.activation,
  };
  const inputs = add.inputs.map((j, i): StageInput => ({ stage: streamOf(j), port: 'main', shape: add.inShapes[i], fifoDepth: 0 }));
  return { ...planMatrixStage(net, matrix, { kind: 'direct', bits: 0 }, rows, C), inputs, add: { layer: add, skipRows: 0 } };
}
