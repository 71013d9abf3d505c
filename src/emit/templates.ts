// Handlebars templates under templates/: compiled once, rendered from view
// models. Templates hold no logic beyond #if/#each over precomputed fields.
// Blocks shared by several templates live in templates/partials/NAME.sv.hbs
// and are included as {{> NAME}}.
import { readFileSync, readdirSync } from 'node:fs';
import Handlebars from 'handlebars';
import { packagePath } from '../package-info.js';

const compiled = new Map<string, HandlebarsTemplateDelegate>();
let partialsRegistered = false;

// Verilog is not HTML: no escaping; strict so a missing field is an error, not an empty string.
const compile = (source: string) => Handlebars.compile(source, { noEscape: true, strict: true });

function registerPartials(): void {
  const dir = packagePath('templates', 'partials');
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.sv.hbs'))) {
    Handlebars.registerPartial(f.replace(/\.sv\.hbs$/, ''), compile(readFileSync(`${dir}/${f}`, 'utf8')));
  }
  partialsRegistered = true;
}

export function render(template: string, view: object): string {
  if (!partialsRegistered) registerPartials();
  let t = compiled.get(template);
  if (t === undefined) {
    t = compile(readFileSync(packagePath('templates', template), 'utf8'));
    compiled.set(template, t);
  }
  return t(view);
}
