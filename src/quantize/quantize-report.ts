// What a quantization reports: progress events while it runs, and per layer
// and in all when it is done (`--json` prints QuantizeReport).
import type { Diagnostic } from '../diagnostics/index.js';
import type { NetIR } from '../ir/types.js';
import type { FineTuneReport } from './fine-tune.js';
import type { Diagnosis } from './diagnose.js';
import type { Candidate } from './quantization.js';

export type QuantizeEvent =
  | { type: 'start'; model: string; layers: number; hidden: number; trainImages: number; threads: number; mode: string }
  | { type: 'layer'; layer: string; index: number; of: number; candidates: number }
  | { type: 'candidate'; layer: string; candidate: number; t: number; scored: number; correct: number; total: number; best?: { t: number; correct: number }; finished: number; pruned: number; candidates: number }
  | { type: 'layer-done'; report: LayerReport }
  | { type: 'phase'; text: string };

export interface LayerReport {
  name: string;
  /** Search pass (1 when absent); later passes revisit the threshold layers. */
  pass?: number;
  /** Set on the per-column refinement's reports (each layer per sweep, then the read-out chosen again): columns moved. */
  perColumn?: { sweep: number; moved: number };
  /**
   * Threshold layers of the first pass: the least-squares re-fit of the next
   * layer, its training accuracy, whether it was kept, and its share of `seconds`.
   */
  refit?: { images: number; trainCorrect: number; kept: boolean; seconds: number };
  activation: 'threshold' | 'adc' | 'none';
  /** Threshold layers: the chosen t, its integer thresholds' range, and the search effort. */
  t?: number;
  thresholds?: { min: number; max: number };
  candidates?: number;
  /** Candidates scored on every training image (the others were provably worse and stopped early, or lost the race). */
  fullyScored?: number;
  /** Candidates dropped after the pre-scan, clearly worse than its leader (race.ts). */
  raceDropped?: number;
  /** Training images scored in all, over every candidate. */
  imagesScored?: number;
  /** ADC layers: integer offset and step. */
  adc?: { bits: number; offset: number; step: number };
  /** Training accuracy of the network as it stood after this layer was decided. */
  trainCorrect?: number;
  seconds: number;
}

export interface QuantizeReport {
  name: string;
  model: string;
  mode: '1-bit' | `${number}-bit ADC`;
  weightBits: number;
  inputBits: number;
  percentile: number;
  grid: number;
  passes: number;
  refine: number;
  trainImages: number;
  trainCorrect: number;
  testImages?: number;
  testCorrect?: number;
  floatTestCorrect?: number;
  layers: LayerReport[];
  /** 1-bit mode: the tails fine-tuned with the thresholds in place (absent when off or the net has one matrix layer). */
  fineTune?: FineTuneReport;
  /** 1-bit mode: each threshold layer's cost in training accuracy and the layer that loses most, with the likely cause. */
  diagnosis?: Diagnosis;
  warnings: Diagnostic[];
  threads: number;
  seconds: number;
}

export interface QuantizeResult {
  /** The net.json document (validated). */
  doc: Record<string, unknown>;
  net: NetIR;
  report: QuantizeReport;
}

/** A threshold layer's report from its search's outcome. */
export function thresholdReport(name: string, cands: Candidate[], best: { candidate: number; correct: number; fullyScored: number; raceDropped: number; imagesScored: number }): Omit<LayerReport, 'seconds'> {
  const T = cands[best.candidate].T;
  return {
    name, activation: 'threshold', t: cands[best.candidate].t, thresholds: { min: Math.min(...T), max: Math.max(...T) },
    candidates: cands.length, fullyScored: best.fullyScored, raceDropped: best.raceDropped, imagesScored: best.imagesScored, trainCorrect: best.correct,
  };
}
