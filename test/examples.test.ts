// The bundled examples: the tiny net's outputs are worked out by hand in
// docs/format.md (independently of the code); the LeNet-sized net must
// validate with the shapes of the classic architecture.
import { describe, expect, it } from 'vitest';
import { inferFile, validateNetFile } from '../src/index.js';

describe('examples/tiny.json (worked by hand in docs/format.md)', () => {
  it('gives the hand-computed layer outputs and class', () => {
    const { results } = inferFile('examples/tiny.json', 'examples/tiny.vec', { trace: true });
    const [r] = results;
    // c1: o0 = [1 0; 1 1], o1 = [1 1; 0 1]  (table in docs/format.md)
    expect(Array.from(r.trace![0].values)).toEqual([1, 0, 1, 1, 1, 1, 0, 1]);
    // d1: [3, 3, 1]; the tie between 0 and 1 goes to the lowest index.
    expect(Array.from(r.output)).toEqual([3, 3, 1]);
    expect(r.answer).toBe(0);
  });

  it('plans the tiles stated in docs/format.md', () => {
    const { summary } = validateNetFile('examples/tiny.json');
    expect(summary.layers.map((l) => l.tileGrid)).toEqual(['1×1', '2×2']);
  });
});

describe('examples/lenet.json', () => {
  it('is conv-pool-conv-pool-dense-dense on 1×28×28', () => {
    const { summary, warnings } = validateNetFile('examples/lenet.json');
    expect(warnings).toEqual([]);
    expect(summary.layers.map((l) => `${l.type} ${l.output}`)).toEqual([
      'conv 6×24×24', 'maxpool 6×12×12', 'conv 16×8×8', 'maxpool 16×4×4', 'dense 120×1×1', 'dense 10×1×1',
    ]);
    // Weights: 6·25 + 16·6·25 + 120·256 + 10·120
    expect(summary.totalWeights).toBe(150 + 2400 + 30720 + 1200);
  });
});
