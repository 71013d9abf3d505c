// Where the package's shipped files (schemas, templates, sim sources) live,
// whether running from src/ (tests) or dist/ (the installed CLI): both sit one
// level below the package root.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

export const GENERATOR_NAME = 'rram-gen';
export const GENERATOR_VERSION: string = (
  JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }
).version;
