// Semantic validation: shape inference through every layer, counts, value
// ranges, names, limits. Turns a schema-valid document into the Net IR, or
// throws one RramGenError carrying every problem found.
import { resolve } from 'node:path';
import { type Diagnostic, RramGenError, diag } from '../diagnostics/index.js';
import { checkNetSchema } from './schema.js';
import { readJsonFile } from './read-json.js';
import { nameProblem } from './names.js';
import { type Range, columnRanges } from './ranges.js';
import { graphInputs } from './graph.js';
import { type SidecarRef, loadSidecar } from './sidecar.js';
import { type Activation, type Layer, type MapShape, type NetIR, isMatrixLayer } from './types.js';
import { activationOpOfType } from '../ops/activations/index.js';
import { type LayerChecks, opOfType } from '../ops/index.js';

/** Stated limits, checked before anything of that size is allocated. */
export const LIMITS = {
  layerWeights: 2 ** 24,
  netWeights: 2 ** 26,
  mapValues: 2 ** 22,
} as const;

export interface LoadedNet {
  net: NetIR;
  warnings: Diagnostic[];
}

/** Read, parse and validate a net.json file. `displayName` is how messages name it. */
export function loadNet(path: string, displayName = path): LoadedNet {
  const doc = readJsonFile(path, displayName);
  return validateNetDocument(doc, resolve(path), displayName);
}

// Raw shapes as the schema guarantees them.
export type RawValues = number[] | SidecarRef;
export interface RawActivation { type: 'threshold' | 'adc' | 'none'; thresholds?: RawValues; bits?: number; offset?: number; step?: number }
export interface RawLayer {
  type: 'conv' | 'dense' | 'maxpool' | 'add' | 'concat';
  name: string;
  /** net@2: the producing layers' names ("input": the network input); absent: the previous layer. */
  inputs?: string[];
  outChannels?: number;
  outFeatures?: number;
  kernel?: number;
  stride?: number;
  padding?: number;
  weights?: RawValues;
  bias?: RawValues;
  activation?: RawActivation;
}
interface RawNet {
  name: string;
  input: { channels: number; height: number; width: number; bits: number };
  weightBits: number;
  crossbar: { rows: number; cols: number };
  layers: RawLayer[];
}

/** Validate a parsed document. `source` is the absolute path sidecar files are relative to. */
export function validateNetDocument(doc: unknown, source: string, file: string): LoadedNet {
  const structural = checkNetSchema(doc, file);
  if (structural.length > 0) throw new RramGenError(structural);
  return new NetChecker(doc as RawNet, source, file).run();
}

class NetChecker {
  private readonly errors: Diagnostic[] = [];
  private readonly warnings: Diagnostic[] = [];
  private totalWeights = 0;
  /** The IR of each layer checked so far (undefined after an error). */
  private readonly byIndex: (Layer | undefined)[] = [];

  constructor(private readonly raw: RawNet, private readonly source: string, private readonly file: string) {}

  run(): LoadedNet {
    const { raw } = this;
    this.checkName(raw.name, '/name', 'network');
    const input: MapShape = { ...raw.input, signed: false };
    this.checkMapSize(input, '/input');
    const seen = new Map<string, number>();
    const layers: Layer[] = [];
    // Each layer's producers (−1: the network input) and consumers, checked before any shape.
    const graph = graphInputs(raw.layers, (code, pointer, message) => this.error(code, pointer, message));
    raw.layers.forEach((rl, i) => {
      const pointer = `/layers/${i}`;
      this.checkName(rl.name, `${pointer}/name`, 'layer');
      const key = rl.name.toLowerCase(); // names become file names: clash case-insensitively
      const first = seen.get(key);
      if (first !== undefined) {
        this.error('name-duplicate', `${pointer}/name`, `layer name "${rl.name}" is already used by /layers/${first}`);
      } else seen.set(key, i);
      const isLast = i === raw.layers.length - 1;
      // A raw accumulator may feed an add (which fuses into its crossbar), else only the output.
      const intoAdd = graph.consumers[i].length === 1 && raw.layers[graph.consumers[i][0]].type === 'add' && rl.type !== 'add';
      if (rl.activation?.type === 'none' && !isLast && !intoAdd) {
        this.error('activation-none-hidden', `${pointer}/activation/type`, `activation "none" (raw accumulator) is only allowed on the final layer, or on a conv/dense whose only consumer is an add`);
      }
      if (isLast && (rl.type === 'maxpool' || rl.type === 'concat')) {
        this.error('final-layer-kind', pointer, 'the final layer must be conv, dense or add (its values are the network output)');
      }
      const inputs = graph.inputs[i];
      if (inputs === undefined) return; // a bad reference, already reported
      const inShapes = inputs.map((j) => (j < 0 ? input : this.byIndex[j]?.outShape));
      if (inShapes.some((s) => s === undefined)) return; // an input's shape is unknown: nothing to infer
      const layer = this.checkLayer(rl, i, pointer, inputs, inShapes as MapShape[]);
      if (layer !== undefined) layers.push(layer);
      this.byIndex[i] = layer;
    });
    if (this.errors.length > 0) throw new RramGenError(this.errors);
    const last = layers[layers.length - 1];
    const net: NetIR = {
      name: raw.name,
      input,
      weightBits: raw.weightBits,
      crossbar: { ...raw.crossbar },
      layers,
      output: last.outShape,
      source: this.source,
    };
    return { net, warnings: this.warnings };
  }

  /** What an operator's check (src/ops/<op>.ts, validate) may use of this checker. */
  private readonly checks: LayerChecks = {
    error: (code, pointer, message) => this.error(code, pointer, message),
    matrix: (rl, pointer, rows, cols, what, inShape) => this.checkMatrix(rl, pointer, rows, cols, what, inShape),
    mapSize: (shape, pointer) => this.checkMapSize(shape, pointer),
    sameShapes: (common, pointer, what, channelsMayDiffer) => this.checkSameShapes(common.inShapes, pointer, what, channelsMayDiffer),
    weightRange: (values, pointer) => this.checkWeightRange(values, pointer),
    inputRanges: (input, shape) => this.inputRanges(input, shape),
    activation: (rl, pointer, cols, ranges) => this.checkActivation(rl, pointer, cols, ranges),
  };

  private checkLayer(rl: RawLayer, index: number, pointer: string, inputs: number[], inShapes: MapShape[]): Layer | undefined {
    return opOfType(rl.type).validate(rl, { name: rl.name, pointer, index, inputs, inShapes, inShape: inShapes[0] }, this.checks);
  }

  private checkSameShapes(shapes: MapShape[], pointer: string, what: string, channelsMayDiffer: boolean): boolean {
    const [a] = shapes;
    const dims = (s: MapShape) => (channelsMayDiffer ? `${s.height}×${s.width}` : `${s.channels}×${s.height}×${s.width}`);
    for (let j = 1; j < shapes.length; j++) {
      const b = shapes[j];
      // An add weighs each input on its own; a concat passes values on side by side, so they share one unsigned width.
      if (dims(a) !== dims(b) || (channelsMayDiffer && (a.bits !== b.bits || a.signed || b.signed))) {
        const why = dims(a) !== dims(b)
          ? `input ${j} is ${dims(b)}, input 0 is ${dims(a)}: ${what} needs the same ${channelsMayDiffer ? 'H×W' : 'C×H×W'}`
          : a.signed || b.signed ? `${what} takes no raw accumulator (activation "none")`
          : `input ${j} has ${b.bits}-bit values, input 0 ${a.bits}-bit: ${what} needs one value width`;
        this.error('input-shape', `${pointer}/inputs/${j}`, why);
        return false;
      }
    }
    return true;
  }

  private checkWeightRange(values: Int32Array, pointer: string): boolean {
    const before = this.errors.length;
    const limit = 2 ** (this.raw.weightBits - 1) - 1;
    this.checkRange(values, -limit, limit, pointer, 'weight-range', `±${limit} (${this.raw.weightBits}-bit weights)`);
    return this.errors.length === before;
  }

  private inputRanges(input: number, shape: MapShape): Range[] {
    const producer = input < 0 ? undefined : this.byIndex[input];
    if (producer !== undefined && shape.signed && isMatrixLayer(producer)) {
      const rows = producer.weights.length / producer.bias.length;
      return columnRanges(producer.weights, producer.bias.length, rows, producer.bias, 2 ** producer.inShape.bits - 1);
    }
    return Array.from({ length: shape.channels }, () => ({ min: 0, max: 2 ** shape.bits - 1 }));
  }

  /** An activation; its warnings only when the layer had no error since `errorsBefore`. */
  private checkActivation(rl: RawLayer, pointer: string, cols: number, ranges: () => Range[], errorsBefore = this.errors.length):
    { activation: Activation; out: { bits: number; signed: boolean } } | undefined {
    return activationOpOfType(rl.activation!.type).validate(rl.activation!, {
      pointer: `${pointer}/activation`,
      cols,
      columnRanges: ranges,
      clean: () => this.errors.length === errorsBefore,
      values: (v, p) => this.values(v, p),
      error: (code, p, message) => this.error(code, p, message),
      warn: (code, p, message) => this.warnings.push(diag(code, p, message, this.file)),
    });
  }

  /**
   * Weights, bias and activation of a conv or dense layer with a rows×cols
   * matrix. Problems are recorded; placeholders keep shape inference going so
   * later layers are still checked (any error discards the result anyway).
   */
  private checkMatrix(rl: RawLayer, pointer: string, rows: number, cols: number, what: string, inShape: MapShape):
    { weights: Int32Array; bias: Int32Array; activation: Activation; out: { bits: number; signed: boolean } } | undefined {
    const expected = rows * cols;
    if (expected > LIMITS.layerWeights) {
      this.error('limit-exceeded', `${pointer}/weights`, `${what} = ${expected} weights exceeds the limit of ${LIMITS.layerWeights} per layer`);
      return undefined;
    }
    this.totalWeights += expected;
    if (this.totalWeights > LIMITS.netWeights) {
      this.error('limit-exceeded', `${pointer}/weights`, `the network exceeds the limit of ${LIMITS.netWeights} weights in all`);
      return undefined;
    }
    const errorsBefore = this.errors.length;
    let weights: Int32Array = this.values(rl.weights!, `${pointer}/weights`) ?? new Int32Array(expected);
    if (weights.length !== expected) {
      this.error('weight-count', `${pointer}/weights`, `expected ${expected} values for ${what}, got ${weights.length}`);
      weights = new Int32Array(expected);
    }
    const limit = 2 ** (this.raw.weightBits - 1) - 1;
    this.checkRange(weights, -limit, limit, `${pointer}/weights`, 'weight-range', `±${limit} (${this.raw.weightBits}-bit weights)`);
    let bias: Int32Array = new Int32Array(cols);
    if (rl.bias !== undefined) {
      const b = this.values(rl.bias, `${pointer}/bias`);
      if (b !== undefined && b.length !== cols) {
        this.error('bias-count', `${pointer}/bias`, `expected ${cols} values (one per output channel), got ${b.length}`);
      } else if (b !== undefined) bias = b;
    }
    // Weights are stored [out][in], so each column's weights are contiguous.
    const checked = this.checkActivation(rl, pointer, cols, () => columnRanges(weights, cols, rows, bias, 2 ** inShape.bits - 1), errorsBefore);
    return checked === undefined ? undefined : { weights, bias, ...checked };
  }

  private values(v: RawValues, pointer: string): Int32Array | undefined {
    if (Array.isArray(v)) return Int32Array.from(v);
    try {
      return loadSidecar(v, this.source, pointer, this.file);
    } catch (e) {
      if (!(e instanceof RramGenError)) throw e;
      this.errors.push(...e.diagnostics);
      return undefined;
    }
  }

  private checkRange(values: Int32Array, min: number, max: number, pointer: string, code: 'weight-range', what: string): void {
    let first = -1;
    let count = 0;
    for (let i = 0; i < values.length; i++) {
      if (values[i] < min || values[i] > max) {
        if (first < 0) first = i;
        count++;
      }
    }
    if (first >= 0) {
      const more = count > 1 ? ` (${count - 1} more out of range)` : '';
      this.error(code, `${pointer}/${first}`, `${values[first]} is outside ${what}${more}`);
    }
  }

  private checkName(name: string, pointer: string, what: string): void {
    const problem = nameProblem(name);
    if (problem === 'not-identifier') {
      this.error('name-not-identifier', pointer, `${what} name ${JSON.stringify(name)} must be a letter followed by letters, digits or _`);
    } else if (problem === 'reserved') {
      this.error('name-reserved', pointer, `${what} name "${name}" is reserved (a Verilog/SystemVerilog keyword or the rram prefix of the library modules)`);
    }
  }

  private checkMapSize(shape: MapShape, pointer: string): boolean {
    const size = shape.channels * shape.height * shape.width;
    if (size <= LIMITS.mapValues) return true;
    this.error('limit-exceeded', pointer, `a ${shape.channels}×${shape.height}×${shape.width} map has ${size} values; the limit is ${LIMITS.mapValues}`);
    return false;
  }

  private error(code: Parameters<typeof diag>[0], pointer: string, message: string): void {
    this.errors.push(diag(code, pointer, message, this.file));
  }
}
