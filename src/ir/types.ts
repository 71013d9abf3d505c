// The validated network (Net IR): what every later pass consumes.
// Produced only by `validateNet` (src/ir/validate.ts), so every field here has
// already been checked against the schema and the semantic rules of
// docs/format.md; passes may rely on shapes and counts without re-checking.

/** Widest raw accumulator a final 'none' layer may output (the golden model stores them as Int32). */
export const MAX_RAW_OUTPUT_BITS = 32;

/** A feature map's shape and value width. Values are unsigned unless `signed`. */
export interface MapShape {
  channels: number;
  height: number;
  width: number;
  /** Bits per value: 1 after a threshold layer, k after a k-bit ADC, the accumulator width after `none`. */
  bits: number;
  /** Only the raw accumulator of a final `none` layer is signed. */
  signed: boolean;
}

export interface ThresholdActivation {
  type: 'threshold';
  /** out[o] = 1 if acc[o] >= thresholds[o] else 0. One per output channel. */
  thresholds: Int32Array;
}

export interface AdcActivation {
  type: 'adc';
  /** out = clamp(floor((acc - offset) / step), 0, 2^bits - 1). */
  bits: number;
  offset: number;
  step: number;
}

export interface NoActivation {
  type: 'none';
}

export type Activation = ThresholdActivation | AdcActivation | NoActivation;

interface LayerBase {
  name: string;
  /** JSON pointer of the layer in net.json, e.g. "/layers/2". */
  pointer: string;
  index: number;
  /** Producing layers (indices), −1 for the network input; a chain's layer i reads [i − 1]. */
  inputs: number[];
  /** One shape per input; `inShape` is inShapes[0]. */
  inShapes: MapShape[];
  inShape: MapShape;
  outShape: MapShape;
}

export interface ConvLayer extends LayerBase {
  type: 'conv';
  outChannels: number;
  kernel: number;
  stride: number;
  padding: number;
  /** [out][in][ky][kx], signed, within ±(2^(weightBits-1) - 1). */
  weights: Int32Array;
  /** One per output channel; zeros when net.json gives none. */
  bias: Int32Array;
  activation: Activation;
}

export interface DenseLayer extends LayerBase {
  type: 'dense';
  outFeatures: number;
  /** [out][in], `in` being the input map flattened in C,H,W order. */
  weights: Int32Array;
  bias: Int32Array;
  activation: Activation;
}

export interface MaxPoolLayer extends LayerBase {
  type: 'maxpool';
  kernel: number;
  stride: number;
}

/** Residual add: acc[c][y][x] = Σ_i weights[i][c]·in_i[c][y][x] + bias[c], then the activation. */
export interface AddLayer extends LayerBase {
  type: 'add';
  /** One array per input, C weights each. */
  weights: Int32Array[];
  bias: Int32Array;
  activation: Activation;
}

/** Channel concatenation of the inputs, in input order. */
export interface ConcatLayer extends LayerBase {
  type: 'concat';
}

export type Layer = ConvLayer | DenseLayer | MaxPoolLayer | AddLayer | ConcatLayer;
export type MatrixLayer = ConvLayer | DenseLayer;

export interface NetIR {
  name: string;
  input: MapShape;
  weightBits: number;
  crossbar: { rows: number; cols: number };
  layers: Layer[];
  /** Shape of the final layer's output (the values the network answers with). */
  output: MapShape;
  /** Absolute path of the net.json, or "<memory>" for nets built in code. */
  source: string;
}

export function isMatrixLayer(layer: Layer): layer is MatrixLayer {
  return layer.type === 'conv' || layer.type === 'dense';
}

export function mapSize(shape: MapShape): number {
  return shape.channels * shape.height * shape.width;
}
