export { importOnnx, importOnnxFile } from './onnx.js';
export { floatForward, argmaxFloat, type FloatNet, type FloatLayer, type FloatConv, type FloatDense, type FloatPool } from './float-net.js';
export {
  quantizeModel, chooseReadout, safeName,
  type QuantizeOptions, type QuantizeResult, type QuantizeReport, type QuantizeEvent, type LayerReport, type DataFiles,
} from './quantize.js';
export { writeQuantizedNet, mnistFiles, SIDECAR_AUTO_WEIGHTS } from './files.js';
