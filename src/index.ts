// The library API: everything the CLI does, callable without spawning a process.
export * from './diagnostics/index.js';
export * from './ir/index.js';
export * from './plan/index.js';
export * from './golden/index.js';
export { GENERATOR_NAME, GENERATOR_VERSION } from './package-info.js';
export { buildRtl, renderBuild, type BuildOptions, type Manifest, type RenderedBuild } from './emit/build.js';
export { simulate, type SimOptions, type SimReport } from './sim/simulate.js';

// The file-level entry points of the CLI's commands (validate, infer, build, sim, synth, estimate).
export * from './file-api.js';

export { synthNet, SYNTH_TARGETS, type SynthTarget, type SynthResult, type SynthRunOptions, type SynthStats } from './synth/index.js';
// Estimates (area, energy, latency: 1-bit design against multi-bit baselines) and their reports.
export * from './estimate/index.js';
export { renderReports, renderReportJson, renderMarkdown, renderHtml, writeReports, REPORT_FILES } from './report/index.js';
// ONNX import and the threshold optimization (src/quantize, docs/quantize.md).
export {
  importOnnx, importOnnxFile, floatForward, argmaxFloat, quantizeModel, chooseReadout, writeQuantizedNet, mnistFiles, SIDECAR_AUTO_WEIGHTS,
  type FloatNet, type FloatLayer, type FloatConv, type FloatDense, type FloatPool,
  type QuantizeOptions, type QuantizeResult, type QuantizeReport, type QuantizeEvent, type LayerReport, type DataFiles,
} from './quantize/index.js';
