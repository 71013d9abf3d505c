// One quantization run's state, shared by its passes (first-pass.ts,
// later-passes.ts) and the search (search.ts): the network as decided so far
// (docs), the threshold layers searched, and what the next decision needs of
// the last one (margins, shift).
import type { DataSet } from './dataset.js';
import type { FineTuneReport } from './fine-tune.js';
import type { FloatNet } from './float-net.js';
import type { IntMatrix, LayerDoc, Segment } from './integer.js';
import type { Maps } from './jobs.js';
import type { ResolvedOptions } from './options.js';
import { type ThreadPool, sharedBytes } from './pool.js';
import type { QuantizeEvent } from './quantize-report.js';

/** What a later pass or the refinement needs of a searched threshold layer. */
export interface SearchedLayer {
  seg: Segment; m: IntMatrix; cands: Candidate[]; docIndex: number;
  /** Each column's candidate (all the same until the per-column refinement). */
  chosen: Int32Array;
}

/** A threshold candidate: t and the integer threshold of each column it gives. */
export interface Candidate { t: number; T: Int32Array }

export class Quantization {
  readonly docs: LayerDoc[] = [];
  predictedCorrect = -1;
  fineTune: FineTuneReport | undefined;
  /** The training set as the network's input; the search and the final check both read it. */
  readonly trainMaps: Maps;
  margins: Int32Array | undefined;
  readonly searched: SearchedLayer[] = [];
  finalMatrix: IntMatrix | undefined;
  /** The per-column refinement's view of the final layer: each input bit's effect on its outputs. */
  effect: Int32Array | undefined;
  /** Per channel of the current input map: what its integers miss on average (folded into the next bias). */
  shift: Float64Array | undefined;

  constructor(
    readonly float: FloatNet,
    readonly segs: Segment[],
    readonly train: DataSet,
    readonly pool: ThreadPool,
    readonly o: ResolvedOptions,
    readonly emit: (e: QuantizeEvent) => void,
  ) {
    this.trainMaps = this.inputMaps(train);
  }

  /** The network input as net.json sees it: each pixel's top `inputBits` bits. */
  inputMaps(d: DataSet): Maps {
    const x = sharedBytes(d.pixels.length);
    const shift = 8 - this.o.inputBits;
    for (let i = 0; i < x.length; i++) x[i] = d.pixels[i] >> shift;
    const labels = sharedBytes(d.n);
    labels.set(d.labels);
    return { n: d.n, size: d.pixels.length / d.n, x, labels };
  }
}
