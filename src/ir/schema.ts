// Structural validation of net.json against the shipped JSON Schema (ajv),
// with every ajv error mapped to one catalogue diagnostic at its JSON pointer.
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import { type Diagnostic, diag } from '../diagnostics/index.js';
import { packagePath } from '../package-info.js';
import { schemaValidator } from './compiled-schema.js';
import { describeValue, schemaDiagnostics } from './schema-diagnostics.js';

/** The format written for a network that net@1 can express (a chain of net@1 layers): older readers keep reading it. */
export const NET_FORMAT = 'rram-gen/net@1';
/** The graph format: layers name their inputs; a superset of net@1 (docs/format.md). */
export const NET2_FORMAT = 'rram-gen/net@2';
export const NET_SCHEMA_PATH = packagePath('schemas', 'net-1.schema.json');
export const NET2_SCHEMA_PATH = packagePath('schemas', 'net-2.schema.json');

export const NET_AJV_OPTIONS: Options = { allErrors: true, discriminator: true, strict: true, strictRequired: false, verbose: true };

const compiled = new Map<string, ValidateFunction>();

/** The schema of the document's format: net@2 when it says so, else net@1 (whose errors name the format expected). */
function validator(format: string): ValidateFunction {
  const path = format === NET2_FORMAT ? NET2_SCHEMA_PATH : NET_SCHEMA_PATH;
  let v = compiled.get(path);
  if (!v) compiled.set(path, v = schemaValidator(path, NET_AJV_OPTIONS));
  return v;
}

/** All structural problems of `doc`, or [] when it matches the schema of its format. */
export function checkNetSchema(doc: unknown, file: string): Diagnostic[] {
  const format = (doc as { format?: unknown } | null)?.format === NET2_FORMAT ? NET2_FORMAT : NET_FORMAT;
  const validate = validator(format);
  if (validate(doc)) return [];
  return schemaDiagnostics(pruneBranchNoise(validate.errors ?? []), file, format, (e) => e.keyword !== 'oneOf' ? undefined
    : WINDOW_FIELD.test(e.instancePath)
      ? diag('schema-type', e.instancePath, `expected an integer or an array of ${e.instancePath.endsWith('/padding') ? 4 : 2} integers (within the field's range), got ${describeValue(e.data)}`, file)
      : diag('schema-type', e.instancePath, `expected an array of integers or a sidecar {"file", "encoding"}, got ${describeValue(e.data)}`, file));
}

/** net@2's number-or-array window fields (src/ops/window.ts). */
const WINDOW_FIELD = /\/(kernel|stride|padding|dilation)$/;

// A value that matches none of a `oneOf` (e.g. weights that are neither an
// array nor a sidecar object) yields errors from every branch; keep the
// summary and the errors of the branch that got furthest instead.
function pruneBranchNoise(errors: ErrorObject[]): ErrorObject[] {
  const oneOfAt = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const kept = errors.filter((e) => e.keyword !== 'oneOf' &&
    !(oneOfAt.has(e.instancePath) && (e.keyword === 'type' || e.keyword === 'required')));
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf' &&
    !kept.some((k) => k.instancePath.startsWith(`${e.instancePath}/`)));
  return [...kept, ...oneOfs];
}
