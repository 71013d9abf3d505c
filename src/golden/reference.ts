// The reference golden model: DESIGN.md section 2 written out as plain loops,
// one value at a time, so it can be checked by reading. Each operator's loops
// live with the operator (src/ops/<op>.ts, `reference`); this runs them. The
// fast path (fast.ts, program.ts) must agree with it bit for bit.
//
// Accumulators are plain JS numbers (doubles): every partial sum is an exact
// integer far below 2^53 (|bias| < 2^31, |w| < 2^7, x < 2^8, and the schema
// bounds the number of terms), whereas Int32 arithmetic could overflow.

import type { Layer } from '../ir/types.js';
import { opFor } from '../ops/index.js';

/** One layer's output; `inputs`: every input's map for a layer with several (add, concat). */
export function referenceLayer(layer: Layer, input: Int32Array, inputs?: readonly Int32Array[]): Int32Array {
  return opFor(layer).reference(layer, input, inputs);
}
