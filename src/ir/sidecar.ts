// Weight or bias values kept in a file next to net.json. The path must stay
// inside the folder of the file that names it (symbolic links included).
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { RramGenError } from '../diagnostics/index.js';
import { readJsonFile } from './read-json.js';

export interface SidecarRef { file: string; encoding: 'int8' | 'json' }
export const MAX_SIDECAR_BYTES = 256 * 1024 * 1024;

export function loadSidecar(ref: SidecarRef, netPath: string, pointer: string, displayName: string): Int32Array {
  const where = `${pointer}/file`;
  if (netPath === '<memory>') {
    throw RramGenError.of('sidecar-invalid', where, 'sidecar files need a net.json on disk to be relative to', displayName);
  }
  const folder = realpathSync(dirname(netPath));
  const target = resolve(folder, ref.file);
  if (isAbsolute(ref.file) || !isInside(folder, target)) {
    throw RramGenError.of('sidecar-escape', where, `"${ref.file}" is outside the folder of ${displayName}`, displayName);
  }
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    throw RramGenError.of('sidecar-invalid', where, `"${ref.file}" does not exist`, displayName);
  }
  if (!isInside(folder, real)) {
    throw RramGenError.of('sidecar-escape', where, `"${ref.file}" links outside the folder of ${displayName}`, displayName);
  }
  const size = statSync(real).size;
  if (size > MAX_SIDECAR_BYTES) {
    throw RramGenError.of('file-too-large', where, `"${ref.file}" is ${size} bytes; the limit is ${MAX_SIDECAR_BYTES}`, displayName);
  }
  if (ref.encoding === 'int8') return Int32Array.from(new Int8Array(readFileSync(real)));
  const doc = readJsonFile(real, ref.file, MAX_SIDECAR_BYTES);
  if (!Array.isArray(doc) || !doc.every((v) => Number.isSafeInteger(v))) {
    throw RramGenError.of('sidecar-invalid', where, `"${ref.file}" must hold a JSON array of integers`, displayName);
  }
  return Int32Array.from(doc as number[]);
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
