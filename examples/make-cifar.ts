// Makes a CIFAR-10-shaped network for scale tests (not committed: about 2 MB),
// or with --mlp issue 15's plain MLP instead (examples/lib/scale-nets.ts says
// what each is). Same seed, same bytes.
//   npx tsx examples/make-cifar.ts [OUT.json] [--seed N] [--mlp]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { scaleNet } from './lib/scale-nets.js';

const { values, positionals } = parseArgs({ options: { seed: { type: 'string', default: '10' }, mlp: { type: 'boolean', default: false } }, allowPositionals: true });
const out = positionals[0] ?? (values.mlp ? 'mlp.json' : 'cifar.json');
writeFileSync(out, scaleNet(values.mlp ? 'mlp' : 'cifar', Number(values.seed)).text);
console.log(`wrote ${out}`);
