// Structural validation of net.json against the shipped JSON Schema (ajv),
// with every ajv error mapped to one catalogue diagnostic at its JSON pointer.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { type Diagnostic, type DiagnosticCode, diag } from '../diagnostics/index.js';
import { packagePath } from '../package-info.js';
import { escapePointer } from './read-json.js';

export const NET_FORMAT = 'rram-gen/net@1';
export const NET_SCHEMA_PATH = packagePath('schemas', 'net-1.schema.json');
const MAX_SCHEMA_DIAGNOSTICS = 50;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled === undefined) {
    const schema = JSON.parse(readFileSync(NET_SCHEMA_PATH, 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, discriminator: true, strict: true, strictRequired: false, verbose: true });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** All structural problems of `doc`, or [] when it matches the schema. */
export function checkNetSchema(doc: unknown, file: string): Diagnostic[] {
  const validate = validator();
  if (validate(doc)) return [];
  const errors = pruneBranchNoise(validate.errors ?? []);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const d = toDiagnostic(e, file);
    const key = `${d.code}|${d.pointer}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  if (out.length > MAX_SCHEMA_DIAGNOSTICS) {
    const rest = out.length - MAX_SCHEMA_DIAGNOSTICS;
    return [...out.slice(0, MAX_SCHEMA_DIAGNOSTICS), diag('schema-other', '', `${rest} more structural problems not shown`, file)];
  }
  return out;
}

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

function toDiagnostic(e: ErrorObject, file: string): Diagnostic {
  const at = e.instancePath;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return diag('schema-required', at, `missing required field "${String(p.missingProperty)}"`, file);
    case 'additionalProperties':
      return diag('schema-unknown-field', `${at}/${escapePointer(String(p.additionalProperty))}`, `unknown field "${String(p.additionalProperty)}"`, file);
    case 'type':
      return diag('schema-type', at, `expected ${String(p.type)}, got ${describe(e.data)}`, file);
    case 'const':
      if (at === '/format') return diag('schema-format', at, `expected "${NET_FORMAT}", got ${describe(e.data)}`, file);
      return diag('schema-enum', at, `expected ${JSON.stringify(p.allowedValue)}, got ${describe(e.data)}`, file);
    case 'enum':
      return diag('schema-enum', at, `expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${describe(e.data)}`, file);
    case 'discriminator':
      return diag('schema-enum', `${at}/type`, p.error === 'mapping'
        ? `unknown type ${describe((e.data as Record<string, unknown>)?.type)}`
        : 'field "type" must be a string', file);
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
    case 'minItems': case 'maxItems': case 'minLength': case 'maxLength':
      return diag('schema-range', at, `${describe(e.data)} ${e.message ?? 'is out of range'}`, file);
    case 'oneOf':
      return diag('schema-type', at, `expected an array of integers or a sidecar {"file", "encoding"}, got ${describe(e.data)}`, file);
    default:
      return diag('schema-other' as DiagnosticCode, at, e.message ?? 'does not match the schema', file);
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}
