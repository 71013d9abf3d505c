// Precompiles what every run would otherwise compile at start-up (about a
// fifth of a second): the JSON Schema validators (ajv standalone code) and the
// Handlebars templates, into dist/precompiled/. Run by `npm run build` after
// tsc; the output is a build product, not committed. The modules that use
// them fall back to compiling when a file is missing or stale.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { precompileSchema } = await import(join(root, 'dist/ir/compiled-schema.js'));
const { NET_AJV_OPTIONS, NET_SCHEMA_PATH, NET2_SCHEMA_PATH } = await import(join(root, 'dist/ir/schema.js'));
const { TECH_AJV_OPTIONS, TECH_SCHEMA_PATH } = await import(join(root, 'dist/estimate/tech.js'));
const { precompileTemplates } = await import(join(root, 'dist/emit/templates.js'));

rmSync(join(root, 'dist/precompiled'), { recursive: true, force: true });
for (const { path, code } of [precompileSchema(NET_SCHEMA_PATH, NET_AJV_OPTIONS), precompileSchema(NET2_SCHEMA_PATH, NET_AJV_OPTIONS), precompileSchema(TECH_SCHEMA_PATH, TECH_AJV_OPTIONS), precompileTemplates()]) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
}
