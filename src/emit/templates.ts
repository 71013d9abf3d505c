// Handlebars templates under templates/: compiled once, rendered from view
// models. Templates hold no logic beyond #if/#each over precomputed fields.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { packagePath } from '../package-info.js';

const compiled = new Map<string, HandlebarsTemplateDelegate>();

export function render(template: string, view: object): string {
  let t = compiled.get(template);
  if (t === undefined) {
    const source = readFileSync(packagePath('templates', template), 'utf8');
    // Verilog is not HTML: no escaping; strict so a missing field is an error, not an empty string.
    t = Handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(template, t);
  }
  return t(view);
}
