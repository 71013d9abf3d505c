// ajv errors as catalogue diagnostics, for every JSON Schema we ship (net.json,
// technology tables): one line per problem at its JSON pointer, duplicates
// dropped, at most MAX_SCHEMA_DIAGNOSTICS and then one line saying how many more.
import type { ErrorObject } from 'ajv';
import { type Diagnostic, diag } from '../diagnostics/index.js';
import { escapePointer } from './read-json.js';

export const MAX_SCHEMA_DIAGNOSTICS = 50;

/** A schema's own wording for some errors: a diagnostic, null to drop the error, undefined for the common wording. */
export type SchemaErrorWording = (e: ErrorObject, file: string) => Diagnostic | null | undefined;

/** The diagnostics of ajv's errors; `format` is the document's format tag, named when `/format` is wrong. */
export function schemaDiagnostics(errors: ErrorObject[], file: string, format: string, own?: SchemaErrorWording): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const mine = own?.(e, file);
    const d = mine === undefined ? commonDiagnostic(e, file, format) : mine;
    if (d === null) continue;
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

function commonDiagnostic(e: ErrorObject, file: string, format: string): Diagnostic | null {
  const at = e.instancePath;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return diag('schema-required', at, `missing required field "${String(p.missingProperty)}"`, file);
    case 'additionalProperties':
      return diag('schema-unknown-field', `${at}/${escapePointer(String(p.additionalProperty))}`, `unknown field "${String(p.additionalProperty)}"`, file);
    case 'type':
      return diag('schema-type', at, `expected ${String(p.type)}, got ${describeValue(e.data)}`, file);
    case 'const':
      if (at === '/format') return diag('schema-format', at, `expected "${format}", got ${describeValue(e.data)}`, file);
      return diag('schema-enum', at, `expected ${JSON.stringify(p.allowedValue)}, got ${describeValue(e.data)}`, file);
    case 'enum':
      return diag('schema-enum', at, `expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(e.data)}`, file);
    case 'discriminator':
      return diag('schema-enum', `${at}/type`, p.error === 'mapping'
        ? `unknown type ${describeValue((e.data as Record<string, unknown>)?.type)}`
        : 'field "type" must be a string', file);
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
    case 'minItems': case 'maxItems': case 'minLength': case 'maxLength':
    case 'minProperties': case 'maxProperties':
      return diag('schema-range', at, `${describeValue(e.data)} ${e.message ?? 'is out of range'}`, file);
    case 'pattern':
      // Inside `propertyNames` ajv names the offending key; point at it.
      if (e.propertyName !== undefined) return diag('schema-other', `${at}/${escapePointer(e.propertyName)}`, `key ${JSON.stringify(e.propertyName)} ${e.message ?? 'does not match the pattern'}`, file);
      return diag('schema-other', at, `${describeValue(e.data)} ${e.message ?? 'does not match the pattern'}`, file);
    case 'propertyNames':
      // ajv reports the offending name through a nested `pattern` error as well; that one says which.
      return null;
    case 'uniqueItems':
      return diag('schema-other', at, 'items must be unique', file);
    default:
      return diag('schema-other', at, e.message ?? 'does not match the schema', file);
  }
}

/** A value as a diagnostic names it: short, never the whole of a large array or object. */
export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}
