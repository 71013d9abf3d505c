// JSON Schema validators for the schemas we ship. Compiling one with ajv costs
// about 0.1 s at every start, so `npm run build` (scripts/precompile.mjs)
// writes each as ajv "standalone" code into dist/precompiled/, named by a hash
// of the schema and the options; a run loads that file and compiles with ajv
// only when it is absent or was made from another schema (from the sources).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Options, ValidateFunction } from 'ajv';
import { packagePath } from '../package-info.js';

const require = createRequire(import.meta.url);

/** dist/precompiled/<schema name>-<hash>.cjs for this schema text and these options. */
export function precompiledSchemaPath(schemaPath: string, schemaText: string, options: Options): string {
  const hash = createHash('sha256').update(schemaText).update('\0').update(JSON.stringify(options)).digest('hex').slice(0, 16);
  const name = schemaPath.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
  return packagePath('dist', 'precompiled', `${name}-${hash}.cjs`);
}

function compileWithAjv(schemaText: string, options: Options): { ajv: import('ajv').Ajv; validate: ValidateFunction } {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const ajv = new Ajv(options);
  return { ajv, validate: ajv.compile(JSON.parse(schemaText) as object) };
}

export function schemaValidator(schemaPath: string, options: Options): ValidateFunction {
  const text = readFileSync(schemaPath, 'utf8');
  try {
    return require(precompiledSchemaPath(schemaPath, text, options)) as ValidateFunction;
  } catch {
    return compileWithAjv(text, options).validate;
  }
}

/** The standalone module of one validator (CommonJS) and where it goes; for scripts/precompile.mjs. */
export function precompileSchema(schemaPath: string, options: Options): { path: string; code: string } {
  const text = readFileSync(schemaPath, 'utf8');
  const { ajv, validate } = compileWithAjv(text, { ...options, code: { ...options.code, source: true } });
  const standalone = (require('ajv/dist/standalone') as { default: (ajv: import('ajv').Ajv, v: ValidateFunction) => string }).default;
  return { path: precompiledSchemaPath(schemaPath, text, options), code: standalone(ajv, validate) };
}
