// net@2 window geometry and conv groups on small nets whose every value was
// worked out by hand (in the comments): rectangular kernel, stride [2, 1],
// asymmetric padding, dilation 2, groups 2, depthwise, padded rectangular
// max-pool. Both golden implementations; and the same nets read from net@2
// JSON through the validator.

import { describe, expect, it } from 'vitest';
import { runNet } from '../../src/golden/index.js';
import { validateNetDocument } from '../../src/ir/validate.js';
import { RramGenError } from '../../src/diagnostics/index.js';
import type { NetIR } from '../../src/ir/types.js';
import { buildNet, none } from './build.js';

const impls = ['reference', 'fast'] as const;

interface HandCase { what: string; net: NetIR; input: number[]; want: number[]; shape: [number, number, number] }

const cases: HandCase[] = [
  {
    // 1×2×3 1-bit map [[1,0,1],[1,1,0]], kernel 1×2 weights [1, 2] → 2×2:
    // (0,0) 1+0 = 1; (0,1) 0+2 = 2; (1,0) 1+2 = 3; (1,1) 1+0 = 1.
    what: 'rectangular kernel 1×2',
    net: buildNet({ channels: 1, height: 2, width: 3, bits: 1 }, 3, [{ type: 'conv', outChannels: 1, kernel: [1, 2], weights: [1, 2], activation: none }], 4),
    input: [1, 0, 1, 1, 1, 0], want: [1, 2, 3, 1], shape: [1, 2, 2],
  },
  {
    // 1×4×2 map rows [1,0],[0,1],[1,1],[0,0]; kernel 2×1 weights [1, −1], stride [2, 1]
    // → ⌊(4−2)/2⌋+1 = 2 rows, 2 columns: out[y][x] = in[2y][x] − in[2y+1][x]
    // = [1−0, 0−1; 1−0, 1−0] = [1, −1, 1, 1].
    what: 'stride [2, 1]',
    net: buildNet({ channels: 1, height: 4, width: 2, bits: 1 }, 3, [{ type: 'conv', outChannels: 1, kernel: [2, 1], stride: [2, 1], weights: [1, -1], activation: none }], 3),
    input: [1, 0, 0, 1, 1, 1, 0, 0], want: [1, -1, 1, 1], shape: [1, 2, 2],
  },
  {
    // 1×2×2 map [[1,2],[3,4]], padding [top 1, left 0, bottom 0, right 1], 2×2 ones:
    // padded 3×3 = [0 0 0; 1 2 0; 3 4 0] → (0,0) 0+0+1+2 = 3; (0,1) 0+0+2+0 = 2;
    // (1,0) 1+2+3+4 = 10; (1,1) 2+0+4+0 = 6.
    what: 'asymmetric padding [1, 0, 0, 1]',
    net: buildNet({ channels: 1, height: 2, width: 2, bits: 3 }, 3, [{ type: 'conv', outChannels: 1, kernel: 2, padding: [1, 0, 0, 1], weights: [1, 1, 1, 1], activation: none }], 6),
    input: [1, 2, 3, 4], want: [3, 2, 10, 6], shape: [1, 2, 2],
  },
  {
    // 1×3×4 map 1..12 (row-major), kernel 2×2 dilation 2, weights [1,2,3,−1], bias 5:
    // span 3×3 → 1×2 outputs; taps (0,0),(0,2),(2,0),(2,2) from the corner.
    // (0,0): 1·1 + 2·3 + 3·9 − 11 + 5 = 28; (0,1): 1·2 + 2·4 + 3·10 − 12 + 5 = 33.
    what: 'dilation 2',
    net: buildNet({ channels: 1, height: 3, width: 4, bits: 4 }, 4, [{ type: 'conv', outChannels: 1, kernel: 2, dilation: 2, weights: [1, 2, 3, -1], bias: [5], activation: none }], 8),
    input: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], want: [28, 33], shape: [1, 1, 2],
  },
  {
    // 2×1×2 map c0 [1,2], c1 [3,4]; groups 2, 1×1 kernel, weights [3] for o0 (reads c0 only)
    // and [5] for o1 (reads c1 only): o0 = [3, 6], o1 = [15, 20].
    what: 'groups 2',
    net: buildNet({ channels: 2, height: 1, width: 2, bits: 3 }, 4, [{ type: 'conv', outChannels: 2, kernel: 1, groups: 2, weights: [3, 5], activation: none }], 6),
    input: [1, 2, 3, 4], want: [3, 6, 15, 20], shape: [2, 1, 2],
  },
  {
    // Depthwise: 2×1×3 map c0 [1,0,2], c1 [0,3,1]; groups 2, 4 outputs, kernel 1×2:
    // o0 [1,1] on c0 → [1, 2]; o1 [1,−1] on c0 → [1, −2];
    // o2 [2,0] on c1 → [0, 6]; o3 [0,2] on c1 → [6, 2].
    what: 'depthwise (groups = channels, 2 outputs each)',
    net: buildNet({ channels: 2, height: 1, width: 3, bits: 2 }, 3, [{ type: 'conv', outChannels: 4, kernel: [1, 2], groups: 2, weights: [1, 1, 1, -1, 2, 0, 0, 2], activation: none }], 5),
    input: [1, 0, 2, 0, 3, 1], want: [1, 2, 1, -2, 0, 6, 6, 2], shape: [4, 1, 2],
  },
  {
    // Max-pool 2×3, stride [1, 2], padding [0, 1, 1, 1] on 1×2×3 [[1,5,2],[7,0,3]]:
    // padded 3×5 = [0 1 5 2 0; 0 7 0 3 0; 0 0 0 0 0] → 2×2:
    // (0,0) max(0,1,5,0,7,0) = 7; (0,1) max(5,2,0,0,3,0) = 5; (1,0) 7; (1,1) 3.
    // Then a 1×1 conv of weight 1 (the net must end in a matrix layer).
    what: 'padded rectangular max-pool',
    net: buildNet({ channels: 1, height: 2, width: 3, bits: 3 }, 3, [
      { type: 'maxpool', kernel: [2, 3], stride: [1, 2], padding: [0, 1, 1, 1] },
      { type: 'conv', outChannels: 1, kernel: 1, weights: [1], activation: none },
    ], 4),
    input: [1, 5, 2, 7, 0, 3], want: [7, 5, 7, 3], shape: [1, 2, 2],
  },
];

describe('golden model on hand-computed net@2 geometry', () => {
  for (const c of cases) {
    it.each(impls)(`${c.what} (%s)`, (impl) => {
      const r = runNet(c.net, Int32Array.from(c.input), { impl });
      expect(Array.from(r.output)).toEqual(c.want);
      const o = c.net.output;
      expect([o.channels, o.height, o.width]).toEqual(c.shape);
    });
  }
});

/** The same nets as net@2 documents, written by hand. */
function doc(layers: unknown[], input: { channels: number; height: number; width: number; bits: number }, weightBits = 4): unknown {
  return { format: 'rram-gen/net@2', name: 'g', input, weightBits, crossbar: { rows: 4, cols: 2 }, layers };
}

describe('net@2 documents with window geometry', () => {
  it('read into the same layers and outputs', () => {
    const { net } = validateNetDocument(doc([
      { type: 'maxpool', name: 'p', kernel: [2, 3], stride: [1, 2], padding: [0, 1, 1, 1] },
      { type: 'conv', name: 'c', outChannels: 2, kernel: [1, 2], stride: [1, 1], padding: [0, 0, 0, 1], dilation: [1, 1], groups: 1, weights: [1, 1, 1, -1], activation: { type: 'none' } },
    ], { channels: 1, height: 2, width: 3, bits: 3 }), '/x/g.json', 'g.json');
    // Pool 2×2 as above ([7,5; 7,3]); conv 1×2 with one column of right padding → 2×2:
    // o0 = [7+5, 5+0; 7+3, 3+0] = [12, 5, 10, 3]; o1 = [7−5, 5, 7−3, 3] = [2, 5, 4, 3].
    expect(Array.from(runNet(net, Int32Array.from([1, 5, 2, 7, 0, 3])).output)).toEqual([12, 5, 10, 3, 2, 5, 4, 3]);
    expect(net.layers[1].type === 'conv' && net.layers[1].window).toMatchObject({ kernelH: 1, kernelW: 2, padRight: 1, padBottom: 0 });
  });

  const problems: [string, unknown, string, string][] = [
    ['groups not dividing the channels', { type: 'conv', name: 'c', outChannels: 3, kernel: 1, groups: 2, weights: [1, 1, 1], activation: { type: 'none' } }, 'groups-indivisible', '/layers/0/groups'],
    ['a side of padding as large as the span', { type: 'conv', name: 'c', outChannels: 1, kernel: [3, 1], padding: [0, 1, 0, 0], weights: [1, 1, 1], activation: { type: 'none' } }, 'padding-too-large', '/layers/0/padding'],
    ['a dilated span larger than the map', { type: 'conv', name: 'c', outChannels: 1, kernel: 2, dilation: [1, 4], weights: [1, 1, 1, 1], activation: { type: 'none' } }, 'kernel-too-large', '/layers/0/kernel'],
    ['weights counted per group', { type: 'conv', name: 'c', outChannels: 2, kernel: 1, groups: 2, weights: [1, 1, 1, 1], activation: { type: 'none' } }, 'weight-count', '/layers/0/weights'],
    ['a kernel of three sides', { type: 'conv', name: 'c', outChannels: 1, kernel: [1, 1, 1], weights: [1], activation: { type: 'none' } }, 'schema-range', '/layers/0/kernel'],
  ];
  it.each(problems)('%s is an error at its pointer', (_, layer, code, pointer) => {
    let error: RramGenError | undefined;
    try {
      validateNetDocument(doc([layer], { channels: 2, height: 3, width: 3, bits: 1 }), '/x/g.json', 'g.json');
    } catch (e) {
      if (!(e instanceof RramGenError)) throw e;
      error = e;
    }
    expect(error?.diagnostics.map((d) => [d.code, d.pointer])).toContainEqual([code, pointer]);
  });

  it('net@1 keeps its numbers only', () => {
    const layer = { type: 'conv', name: 'c', outChannels: 1, kernel: [1, 2], weights: [1, 1], activation: { type: 'none' } };
    expect(() => validateNetDocument({ ...(doc([layer], { channels: 1, height: 2, width: 2, bits: 1 }) as object), format: 'rram-gen/net@1' }, '/x/g.json', 'g.json')).toThrow(RramGenError);
  });
});
