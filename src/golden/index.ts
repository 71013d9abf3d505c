export { argmax, runBatch, runNet, type LayerTrace, type RunOptions, type RunResult } from './model.js';
export { mulberry32, type Prng } from './prng.js';
export { referenceLayer } from './reference.js';
export { randomInput, randomInputs, randomNet, type RandomNetOptions } from './random-net.js';
export { randomGraphNet, type RandomGraphOptions } from './random-graph.js';
export { accumulatorRange, signedBitsFor, valueRange, type AccumulatorRange } from './ranges.js';
export { formatVectors, readIdxImages, readIdxLabels, readVectors, type IdxImages, type ReadVectorsOptions } from './vectors.js';
