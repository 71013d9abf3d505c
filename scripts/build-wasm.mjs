// Builds the golden model's WebAssembly kernel: src/golden/kernels.wat →
// wasm/golden-kernels.wasm, with wabt (the WebAssembly Binary Toolkit). Run by
// `npm run build`; the output is a build product, not committed.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src/golden/kernels.wat');
const target = join(root, 'wasm/golden-kernels.wasm');
const wabt = await wabtInit();
const module = wabt.parseWat(source, readFileSync(source, 'utf8'), { simd: true });
module.validate();
const { buffer } = module.toBinary({});
mkdirSync(dirname(target), { recursive: true });
writeFileSync(`${target}.tmp`, buffer);
renameSync(`${target}.tmp`, target);
