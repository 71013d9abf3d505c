// Handlebars templates under templates/: compiled once, rendered from view
// models. Templates hold no logic beyond #if/#each over precomputed fields.
// Blocks shared by several templates live in templates/partials/NAME.sv.hbs
// and are included as {{> NAME}}.
// Compiling them costs about 0.1 s at every start, so `npm run build`
// (scripts/precompile.mjs) writes them precompiled into
// dist/precompiled/templates.cjs, each with a hash of its source; a run uses
// that with the small Handlebars runtime, and compiles (full Handlebars) only
// a template whose source differs (running from the sources after an edit).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { packagePath } from '../package-info.js';

type Template = (view: object) => string;
interface Precompiled { [relPath: string]: { hash: string; spec: object } }
type HandlebarsEnv = typeof import('handlebars');

const require = createRequire(import.meta.url);
const PRECOMPILED_PATH = packagePath('dist', 'precompiled', 'templates.cjs');
// Verilog is not HTML: no escaping; strict so a missing field is an error, not an empty string.
const OPTIONS = { noEscape: true, strict: true } as const;

const compiled = new Map<string, Template>();
let env: { hb: HandlebarsEnv; precompiled: Precompiled } | undefined;

const hashOf = (source: string) => createHash('sha256').update(source).digest('hex').slice(0, 16);

function load(): { hb: HandlebarsEnv; precompiled: Precompiled } {
  if (env !== undefined) return env;
  let precompiled: Precompiled = {};
  try {
    precompiled = require(PRECOMPILED_PATH) as Precompiled;
  } catch { /* not built: compile everything */ }
  const partials = readdirSync(packagePath('templates', 'partials')).filter((name) => name.endsWith('.sv.hbs'));
  const sources = partials.map((f) => readFileSync(packagePath('templates', 'partials', f), 'utf8'));
  const allPrecompiled = partials.every((f, i) => precompiled[`partials/${f}`]?.hash === hashOf(sources[i]));
  // The runtime alone when every partial is precompiled; templates compiled later need the full one.
  const hb = (allPrecompiled && Object.keys(precompiled).length > 0 ? require('handlebars/runtime') : require('handlebars')) as HandlebarsEnv;
  env = { hb, precompiled };
  partials.forEach((f, i) => hb.registerPartial(f.replace(/\.sv\.hbs$/, ''), templateOf(`partials/${f}`, sources[i])));
  return env;
}

function templateOf(relPath: string, source: string): Template {
  const { hb, precompiled } = env!;
  const pre = precompiled[relPath];
  if (pre?.hash === hashOf(source)) return hb.template(pre.spec as Parameters<HandlebarsEnv['template']>[0]) as Template;
  const full = (typeof hb.compile === 'function' ? hb : require('handlebars')) as HandlebarsEnv;
  return full.compile(source, OPTIONS) as Template;
}

export function render(template: string, view: object): string {
  load();
  let t = compiled.get(template);
  if (t === undefined) {
    t = templateOf(template, readFileSync(packagePath('templates', template), 'utf8'));
    compiled.set(template, t);
  }
  return t(view);
}

/** dist/precompiled/templates.cjs: every template and partial precompiled, with its source hash; for scripts/precompile.mjs. */
export function precompileTemplates(): { path: string; code: string } {
  const hb = require('handlebars') as HandlebarsEnv;
  const entries: string[] = [];
  const add = (rel: string) => {
    const source = readFileSync(packagePath('templates', rel), 'utf8');
    entries.push(`  ${JSON.stringify(rel)}: { hash: ${JSON.stringify(hashOf(source))}, spec: ${hb.precompile(source, OPTIONS)} },`);
  };
  for (const f of readdirSync(packagePath('templates')).filter((n) => n.endsWith('.hbs')).sort()) add(f);
  for (const f of readdirSync(packagePath('templates', 'partials')).filter((n) => n.endsWith('.sv.hbs')).sort()) add(`partials/${f}`);
  return { path: PRECOMPILED_PATH, code: `// Precompiled Handlebars templates (scripts/precompile.mjs); not edited by hand.\nmodule.exports = {\n${entries.join('\n')}\n};\n` };
}
