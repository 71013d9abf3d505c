// A per-layer summary of a network and its plan, shared by `validate` and reports.
import { type HwPlan, stageType } from './plan.js';
import { activationOp } from '../ops/activations/index.js';

export interface LayerSummary {
  name: string;
  type: string;
  activation: string;
  output: string;
  outputBits: number;
  weights: number;
  tiles: number;
  tileGrid: string;
  cyclesPerImage: number;
}

export interface NetSummary {
  name: string;
  input: string;
  weightBits: number;
  crossbar: string;
  layers: LayerSummary[];
  totalWeights: number;
  totalTiles: number;
  /** Cell mapping: bits per cell, cells per weight (differential pair × slices). */
  bitsPerCell: number;
  cellsPerWeight: number;
  cyclesPerImage: number;
}

export function summarize(plan: HwPlan): NetSummary {
  const { net } = plan;
  const layers = plan.stages.map((s): LayerSummary => {
    const o = s.outShape;
    const isMatrix = s.kind === 'matrix';
    const act = isMatrix ? s.layer.activation : undefined;
    return {
      name: s.layer.name,
      type: stageType(s),
      activation: act === undefined ? '-' : activationOp(act).label(act),
      output: `${o.channels}×${o.height}×${o.width}`,
      outputBits: o.bits,
      weights: isMatrix ? s.layer.weights.length : 0,
      tiles: isMatrix ? s.tiles.length : 0,
      tileGrid: isMatrix ? `${s.rowTiles}×${s.colTiles}` : '-',
      cyclesPerImage: s.cycles,
    };
  });
  const i = net.input;
  return {
    name: net.name,
    input: `${i.channels}×${i.height}×${i.width}`,
    weightBits: net.weightBits,
    crossbar: `${net.crossbar.rows}×${net.crossbar.cols}`,
    layers,
    totalWeights: layers.reduce((a, l) => a + l.weights, 0),
    totalTiles: layers.reduce((a, l) => a + l.tiles, 0),
    bitsPerCell: plan.slicing.bitsPerCell,
    cellsPerWeight: plan.slicing.cellsPerWeight,
    cyclesPerImage: plan.cyclesPerImage,
  };
}
