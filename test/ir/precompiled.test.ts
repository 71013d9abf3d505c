// What `npm run build` precompiles for a fast start (scripts/precompile.mjs):
// the schema validators and the templates must be there for the current
// sources, and a precompiled validator must report exactly what ajv compiled
// at run time reports.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { TECH_AJV_OPTIONS, TECH_SCHEMA_PATH } from '../../src/estimate/tech.js';
import { precompiledSchemaPath } from '../../src/ir/compiled-schema.js';
import { NET2_SCHEMA_PATH, NET_AJV_OPTIONS, NET_SCHEMA_PATH } from '../../src/ir/schema.js';
import { precompileTemplates } from '../../src/emit/templates.js';

const require = createRequire(import.meta.url);
const schemas = [['net', NET_SCHEMA_PATH, NET_AJV_OPTIONS], ['net@2', NET2_SCHEMA_PATH, NET_AJV_OPTIONS], ['tech', TECH_SCHEMA_PATH, TECH_AJV_OPTIONS]] as const;

describe('precompiled by npm run build', () => {
  it.each(schemas)('the %s schema validator, for the current schema', (_, path, options) => {
    expect(existsSync(precompiledSchemaPath(path, readFileSync(path, 'utf8'), options))).toBe(true);
  });

  it('the templates, for their current sources', () => {
    const { path, code } = precompileTemplates();
    expect(readFileSync(path, 'utf8')).toBe(code);
  });

  it('the precompiled net validator reports what ajv reports', () => {
    const text = readFileSync(NET_SCHEMA_PATH, 'utf8');
    const pre = require(precompiledSchemaPath(NET_SCHEMA_PATH, text, NET_AJV_OPTIONS)) as ValidateFunction;
    const ajv = new Ajv(NET_AJV_OPTIONS).compile(JSON.parse(text) as object);
    const good = JSON.parse(readFileSync('examples/tiny.json', 'utf8'));
    const bad = structuredClone(good);
    bad.layers[0].weights = 'x';
    bad.layers[1].bias = [1.5];
    bad.crossbar = { rows: -1 };
    bad.extra = true;
    for (const doc of [good, bad]) {
      expect(pre(doc)).toBe(ajv(doc));
      expect(pre.errors ?? null).toEqual(ajv.errors ?? null);
    }
    expect(pre.errors?.length).toBeGreaterThan(3);
  });
});
