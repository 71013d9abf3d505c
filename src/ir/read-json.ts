// Reading a JSON document defensively: size and depth limits before parsing,
// and a check for keys that could alter prototypes, all as diagnostics.
import { readFileSync, statSync } from 'node:fs';
import { RramGenError } from '../diagnostics/index.js';

export const MAX_JSON_BYTES = 64 * 1024 * 1024;
export const MAX_JSON_DEPTH = 64;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function readJsonFile(path: string, displayName = path, maxBytes = MAX_JSON_BYTES): unknown {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw RramGenError.of('file-unreadable', '', 'not a regular file', displayName);
    size = st.size;
  } catch (e) {
    if (e instanceof RramGenError) throw e;
    throw RramGenError.of('file-unreadable', '', `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, displayName);
  }
  if (size > maxBytes) {
    throw RramGenError.of('file-too-large', '', `${size} bytes; the limit is ${maxBytes} bytes (keep large weight sets in int8 sidecar files)`, displayName);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw RramGenError.of('file-unreadable', '', `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, displayName);
  }
  return parseJsonText(text, displayName);
}

export function parseJsonText(text: string, displayName: string): unknown {
  if (text.trim() === '') throw RramGenError.of('json-syntax', '', 'file is empty', displayName);
  const depth = maxNestingDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw RramGenError.of('json-too-deep', '', `nesting depth exceeds ${MAX_JSON_DEPTH}`, displayName);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw RramGenError.of('json-syntax', '', describeSyntaxError(text, (e as Error).message), displayName);
  }
  const bad = findForbiddenKey(value, '');
  if (bad !== undefined) {
    throw RramGenError.of('forbidden-key', bad, `key "${bad.split('/').pop()}" is not allowed`, displayName);
  }
  return value;
}

/** Bracket depth outside strings; a cheap scan so deep nesting never reaches a recursive walker. */
function maxNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max) max = depth;
      if (max > MAX_JSON_DEPTH) return max;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return max;
}

function describeSyntaxError(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (m === null) return `not valid JSON (${message})`;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}

function findForbiddenKey(value: unknown, pointer: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v === 'object') {
        const found = findForbiddenKey(v, `${pointer}/${i}`);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const here = `${pointer}/${escapePointer(key)}`;
    if (FORBIDDEN_KEYS.has(key)) return here;
    const found = findForbiddenKey((value as Record<string, unknown>)[key], here);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
