// FIFO depths on the edges into a stage that reads several streams (a fused
// add's skip rows, an add of its own, a concat), so that the pipeline never
// deadlocks, whatever stalls either end.
//
// Why a FIFO: a stream that forks (x feeds a conv and, as the skip, the add
// after it) moves on only when every branch takes the pixel. The add needs
// skip pixel q when its window for position q is complete, which needs x
// pixels well after q (k−1−p rows further per conv on the way). Until then
// the skip branch must hold every x pixel the other branch has to see; if it
// cannot, x stops, the window never completes: deadlock.
//
// The rule, per image (raster order, one pixel per beat):
//   T_s(q): the last network-input pixel that pixel q of stream s depends
//     on: T_input(q) = q; for a stage, T(q) = max over its inputs e of
//     T_src(e)(need_e(q)), running max over q, where need_e(q) is the last
//     pixel of e the stage needs for its output q (a window generator:
//     (min(H−1, oy·s+k−1−p), min(W−1, ox·s+k−1−p)), rram_window_gen.sv
//     "Timing"; a flatten buffer: the whole map; a direct input: q).
//   The stage can take its output q once the network input has reached
//     Tmax(q) = T_stage(q). By then the source of edge e may have produced
//     every pixel q' with T_src(q') ≤ Tmax(q) (last_e(q) the largest). The
//     stage has taken: into a window generator or flatten buffer (a main
//     input), pixels 0..need_e(q) (it holds what its next output needs); read
//     as is (a skip input, or a main input joined directly), pixels 0..q−1.
//     So edge e must hold
//       bound_e = max_q (last_e(q) − taken_e(q) + 1)
//     pixels; the FIFO gets bound_e + FIFO_SLACK entries, FIFO_SLACK covering
//     the beats in flight (the fork, the producer's output register) and the
//     FIFO's read. A buffered main edge with bound 0 never waits for the
//     others: no FIFO.
// A stage with one input needs none (it only stalls its producer).
import type { MapShape } from '../ir/types.js';
import type { Stage, StageInput } from './plan.js';

/** Entries beyond the bound, for beats in flight (fork, producer output register, FIFO read). */
export const FIFO_SLACK = 2;

export function setFifoDepths(stages: Stage[], input: MapShape): void {
  const inputT = Int32Array.from({ length: input.height * input.width }, (_, q) => q);
  const T: Int32Array[] = [];
  const tOf = (s: number): Int32Array => (s < 0 ? inputT : T[s]);
  for (const stage of stages) {
    const edges = stage.inputs ?? [];
    const P = stage.outBeats;
    const needs = edges.map((e) => needOf(stage, e, P));
    const tmax = new Int32Array(P);
    for (let q = 0; q < P; q++) {
      let t = q > 0 ? tmax[q - 1] : 0;
      edges.forEach((e, i) => { t = Math.max(t, tOf(e.stage)[needs[i][q]]); });
      tmax[q] = t;
    }
    T.push(tmax);
    if (edges.length < 2) continue;
    edges.forEach((e, i) => {
      const buffered = e.port === 'main' && stage.input.kind !== 'direct';
      const bound = edgeBound(tOf(e.stage), needs[i], tmax, buffered);
      e.fifoDepth = bound > 0 ? bound + FIFO_SLACK : 0;
    });
  }
}

/** max over q of (last pixel of the source ready by Tmax(q)) − (pixels of it the stage has taken) + 1. */
function edgeBound(src: Int32Array, need: Int32Array, tmax: Int32Array, buffered: boolean): number {
  let bound = 0;
  let last = -1;
  for (let q = 0; q < tmax.length; q++) {
    while (last + 1 < src.length && src[last + 1] <= tmax[q]) last++;
    const taken = buffered ? need[q] + 1 : q;
    bound = Math.max(bound, last - taken + 1);
  }
  return bound;
}

/** need[q]: the last pixel of edge e (raster index, running max) the stage needs for its output q. */
function needOf(stage: Stage, e: StageInput, P: number): Int32Array {
  const { height: H, width: W } = e.shape;
  const need = new Int32Array(P);
  const buf = stage.input;
  if (e.port === 'skip' || buf.kind === 'direct') {
    for (let q = 0; q < P; q++) need[q] = q;
    return need;
  }
  if (buf.kind === 'flatten') return need.fill(H * W - 1);
  const { kernel: k, stride: s, padding: p } = buf;
  const OW = stage.outShape.width;
  let run = 0;
  for (let q = 0; q < P; q++) {
    const oy = Math.floor(q / OW);
    const ox = q % OW;
    const y = Math.min(H - 1, oy * s + k - 1 - p);
    const x = Math.min(W - 1, ox * s + k - 1 - p);
    run = Math.max(run, y * W + x);
    need[q] = run;
  }
  return need;
}
