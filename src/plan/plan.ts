// The hardware plan (HwPlan): how each layer maps onto crossbar tiles,
// buffers and sense amplifiers or ADCs, and what it costs in cycles. The RTL
// emitter and the estimator both read this one structure, so their counts
// cannot disagree.
import { indexBits } from '../bits.js';
import { type CellSlicing, DEFAULT_BITS_PER_CELL, cellSlicing } from '../device/mapping.js';
import { columnRanges, signedBitsFor } from '../ir/ranges.js';
import {
  type AddLayer, type ConcatLayer, type Layer, type MapShape, type MatrixLayer, type MaxPoolLayer, type NetIR,
} from '../ir/types.js';
import { isChain } from '../ir/graph.js';
import { planGraph } from './graph.js';
import { matrixOpFor, opFor } from '../ops/index.js';
import { activationOp } from '../ops/activations/index.js';

export interface TilePlan {
  rowTile: number;
  colTile: number;
  /** First matrix row (unrolled-window index) and column (output channel) this tile holds. */
  rowStart: number;
  rowCount: number;
  colStart: number;
  colCount: number;
  /** Signed width of this tile's column sums. */
  sumBits: number;
}

/** How a stage receives its input: a sliding window, a whole-map buffer, or the stream as is. */
export type InputBuffer =
  | { kind: 'window'; kernel: number; stride: number; padding: number; bits: number }
  | { kind: 'flatten'; bits: number }
  | { kind: 'direct'; bits: 0 };

interface StageBase {
  layer: Layer;
  inShape: MapShape;
  outShape: MapShape;
  input: InputBuffer;
  /** Input beats (pixels) and output beats per image, one per cycle at best. */
  inBeats: number;
  outBeats: number;
  /** Steady-state cycles per image of this stage alone: max(inBeats, outBeats). */
  cycles: number;
  /**
   * Values held by the stage's input buffer (multiply by `input.bits` for
   * flip-flops): a window generator keeps kernel+1 rows of the input map plus
   * its k×k×C output register (templates/rtl/rram_window_gen.sv, "Storage");
   * a flatten buffer keeps the whole map; a direct input keeps nothing.
   */
  bufferValues: number;
  /**
   * A graph's stages only (src/plan/graph.ts): the streams the stage reads,
   * in order; a chain's stage reads the previous stage's stream.
   */
  inputs?: StageInput[];
}

/** One stream a stage of a graph reads. */
export interface StageInput {
  /** The producing stage (−1: the network input). */
  stage: number;
  /**
   * 'main': into the stage's input buffer (several main inputs are joined
   * side by side first: a concat, an add of its own); 'skip': a fused add's
   * extra crossbar rows, joined with the window at the read.
   */
  port: 'main' | 'skip';
  shape: MapShape;
  /** Entries of the FIFO on this edge (src/plan/fifo-depth.ts); 0: none. */
  fifoDepth: number;
}

export interface MatrixStage extends StageBase {
  kind: 'matrix';
  layer: MatrixLayer;
  rows: number;
  cols: number;
  rowTiles: number;
  colTiles: number;
  tiles: TilePlan[];
  /** Signed width of the merged accumulator (covers every reachable value, threshold and ADC offset). */
  accBits: number;
  /** Crossbar reads per image: one per output position. */
  reads: number;
  /**
   * Flip-flops of the registered crossbar read (templates/rtl/rram_xbar_tile.sv):
   * every tile's column sums, at its column group's sum width, plus the stage's
   * read-valid bit. The read adds one cycle of latency, not cycles per image.
   */
  readRegisterBits: number;
  /** Register stages a beat passes through in this stage when nothing stalls: input buffer (window or flatten; none when direct), read, output. */
  pipelineRegisters: number;
  /** Sense amplifiers (threshold) or ADCs (adc) per column; none for a raw final layer. */
  senseAmps: number;
  adcs: number;
  /**
   * A residual add mapped onto this crossbar (src/plan/graph.ts): `layer` is
   * then the stage's matrix (rows: the window's, then `skipRows` rows of the
   * other inputs' channels with the add's weights on the diagonal), named
   * after the add. `raw`: the conv/dense fused with it (none: an add of its own).
   */
  add?: { layer: AddLayer; raw?: MatrixLayer; skipRows: number };
}

export interface PoolStage extends StageBase {
  kind: 'maxpool';
  layer: MaxPoolLayer;
}

/** How reports name a stage's layer: its type, "add" for an add of its own, "conv+add" for an add fused into a conv. */
export function stageType(s: Stage): string {
  if (s.kind === 'matrix' && s.add !== undefined) return s.add.raw === undefined ? 'add' : `${s.add.raw.type}+add`;
  return s.layer.type;
}

/** A channel concat: its inputs joined side by side, then the stage's output register. */
export interface GraphStage extends StageBase {
  kind: 'concat';
  layer: ConcatLayer;
}

export type Stage = MatrixStage | PoolStage | GraphStage;

export interface HwPlan {
  net: NetIR;
  stages: Stage[];
  /** Analytic bound on steady-state cycles per image: the busiest stage. */
  cyclesPerImage: number;
  output: { values: number; bits: number; signed: boolean; classBits: number; buffered: boolean };
  /**
   * How each weight is stored in cells (src/device/mapping.ts): a tile column
   * (one output channel) is 2 × slicesPerWeight physical bitlines.
   */
  slicing: CellSlicing;
}

export interface PlanOptions {
  /** Bits per RRAM cell (the technology table's /device/bitsPerCell); default 2. */
  bitsPerCell?: number;
}

export function planNet(net: NetIR, opts: PlanOptions = {}): HwPlan {
  const stages = isChain(net.layers) ? net.layers.map((layer) => planStage(net, layer)) : planGraph(net);
  const out = net.output;
  const values = out.channels * out.height * out.width;
  return {
    net,
    stages,
    cyclesPerImage: Math.max(...stages.map((s) => s.cycles)),
    output: {
      values,
      bits: out.bits,
      signed: out.signed,
      classBits: indexBits(values),
      // A final map larger than one pixel is collected before the argmax.
      buffered: out.height * out.width > 1,
    },
    slicing: cellSlicing(net.weightBits, opts.bitsPerCell ?? DEFAULT_BITS_PER_CELL),
  };
}

/** Input and output beats of a layer's stage, and its cycles per image. */
export function stageBeats(layer: Pick<Layer, 'inShape' | 'outShape'>) {
  const inPixels = layer.inShape.height * layer.inShape.width;
  const outPixels = layer.outShape.height * layer.outShape.width;
  return { inShape: layer.inShape, outShape: layer.outShape, inBeats: inPixels, outBeats: outPixels, cycles: Math.max(inPixels, outPixels) };
}

export function planStage(net: NetIR, layer: Layer): Stage {
  const base = stageBeats(layer);
  const input = opFor(layer).inputBuffer(layer);
  if (layer.type === 'maxpool') {
    return { ...base, kind: 'maxpool', layer, input, bufferValues: inputBufferValues(input, layer.inShape) };
  }
  if (layer.type === 'concat') return { ...base, kind: 'concat', layer, input, bufferValues: 0 };
  if (layer.type === 'add') throw new Error(`layer ${layer.name}: an add is planned as a crossbar (src/plan/graph.ts)`);
  const op = matrixOpFor(layer);
  return planMatrixStage(net, layer, input, op.rows(layer), op.cols(layer));
}

/** The crossbar stage of a rows×cols matrix layer read through `input`. */
export function planMatrixStage(net: NetIR, layer: MatrixLayer, input: InputBuffer, rows: number, cols: number): MatrixStage {
  const base = stageBeats(layer);
  const outPixels = base.outBeats;
  const { rows: xr, cols: xc } = net.crossbar;
  const rowTiles = Math.ceil(rows / xr);
  const colTiles = Math.ceil(cols / xc);
  const inMax = 2 ** layer.inShape.bits - 1;
  const tiles: TilePlan[] = [];
  for (let rt = 0; rt < rowTiles; rt++) {
    for (let ct = 0; ct < colTiles; ct++) {
      const rowStart = rt * xr;
      const colStart = ct * xc;
      const rowCount = Math.min(xr, rows - rowStart);
      const colCount = Math.min(xc, cols - colStart);
      tiles.push({ rowTile: rt, colTile: ct, rowStart, rowCount, colStart, colCount, sumBits: tileSumBits(layer, rows, rowStart, rowCount, colStart, colCount, inMax) });
    }
  }
  const { readout } = activationOp(layer.activation);
  return {
    ...base,
    kind: 'matrix',
    layer,
    input,
    bufferValues: inputBufferValues(input, layer.inShape),
    rows,
    cols,
    rowTiles,
    colTiles,
    tiles,
    accBits: accumulatorBits(layer, rows, cols, inMax),
    reads: outPixels,
    readRegisterBits: readRegisterBits(tiles),
    pipelineRegisters: (input.kind === 'direct' ? 0 : 1) + 2,
    senseAmps: readout === 'sense' ? cols : 0,
    adcs: readout === 'adc' ? cols : 0,
  };
}

/** Bits of the tiles' sum registers: each column group's tiles share the group's widest sum. */
function readRegisterBits(tiles: TilePlan[]): number {
  const groupBits = new Map<number, number>();
  for (const t of tiles) groupBits.set(t.colTile, Math.max(groupBits.get(t.colTile) ?? 0, t.sumBits));
  return tiles.reduce((n, t) => n + t.colCount * groupBits.get(t.colTile)!, 0) + 1;
}

/** Values stored by an input buffer (see StageBase.bufferValues). */
function inputBufferValues(input: InputBuffer, shape: MapShape): number {
  switch (input.kind) {
    case 'window': return ((input.kernel + 1) * shape.width + input.kernel * input.kernel) * shape.channels;
    case 'flatten': return shape.channels * shape.height * shape.width;
    case 'direct': return 0;
  }
}

function tileSumBits(layer: MatrixLayer, rows: number, rowStart: number, rowCount: number, colStart: number, colCount: number, inMax: number): number {
  let min = 0;
  let max = 0;
  for (let c = colStart; c < colStart + colCount; c++) {
    let pos = 0;
    let neg = 0;
    for (let r = rowStart; r < rowStart + rowCount; r++) {
      const w = layer.weights[c * rows + r];
      if (w > 0) pos += w; else neg += w;
    }
    min = Math.min(min, neg * inMax);
    max = Math.max(max, pos * inMax);
  }
  return signedBitsFor(min, max);
}

function accumulatorBits(layer: MatrixLayer, rows: number, cols: number, inMax: number): number {
  let min = 0;
  let max = 0;
  for (const r of columnRanges(layer.weights, cols, rows, layer.bias, inMax)) {
    min = Math.min(min, r.min);
    max = Math.max(max, r.max);
  }
  // The hardware compares the accumulator with constants (thresholds, the ADC offset) of the same width.
  const compared = activationOp(layer.activation).comparedValues(layer.activation);
  for (let i = 0; i < compared.length; i++) {
    min = Math.min(min, compared[i]);
    max = Math.max(max, compared[i]);
  }
  return signedBitsFor(min, max);
}
