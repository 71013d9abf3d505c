// Property tests on random graph nets (src/golden/random-graph.ts): each is a
// valid net@2 document, the fast golden model equals the reference on it,
// and the plan and RTL render; the drawn shapes cover every block kind.
import { describe, expect, it } from 'vitest';
import { formatNetJson, netToDocument, validateNetDocument } from '../../src/ir/index.js';
import { mulberry32, randomGraphNet, randomInput, runNet } from '../../src/golden/index.js';
import { planNet } from '../../src/plan/index.js';
import { renderBuild } from '../../src/emit/build.js';

const SEEDS = Array.from({ length: 150 }, (_, i) => i + 1);

describe('random graph nets', () => {
  it('are valid net@2 documents that read back to the same layers', () => {
    for (const seed of SEEDS) {
      const net = randomGraphNet(seed);
      const doc = netToDocument(net);
      const again = validateNetDocument(JSON.parse(formatNetJson(doc)), '/nowhere/x.json', 'x.json').net;
      expect(again.layers.map((l) => [l.type, l.inputs, l.outShape]), `graph ${seed}`).toEqual(net.layers.map((l) => [l.type, l.inputs, l.outShape]));
    }
  });

  it('cover residual adds (fused and of their own), concats and forks', () => {
    const kinds = new Set<string>();
    for (const seed of SEEDS) {
      const net = randomGraphNet(seed);
      for (const l of net.layers) {
        if (l.type === 'add') kinds.add(l.inShapes.some((s) => s.signed) ? 'fused add' : 'own add');
        if (l.type === 'concat') kinds.add('concat');
      }
      const readers = new Map<number, number>();
      for (const l of net.layers) for (const j of l.inputs) readers.set(j, (readers.get(j) ?? 0) + 1);
      if ([...readers.values()].some((n) => n > 1)) kinds.add('fork');
    }
    expect([...kinds].sort()).toEqual(['concat', 'fork', 'fused add', 'own add']);
  });

  it('fast golden model == reference, layer by layer', () => {
    for (const seed of SEEDS) {
      const net = randomGraphNet(seed);
      const rng = mulberry32(seed);
      for (let k = 0; k < 3; k++) {
        const x = randomInput(net, rng);
        const fast = runNet(net, x, { trace: true });
        const ref = runNet(net, x, { impl: 'reference', trace: true });
        fast.trace!.forEach((t, i) => expect(Array.from(t.values), `graph ${seed}, layer ${t.name}`).toEqual(Array.from(ref.trace![i].values)));
      }
    }
  });

  it('plan and render: a fused add is one stage with skip rows, every FIFO has room', () => {
    for (const seed of SEEDS.slice(0, 60)) {
      const net = randomGraphNet(seed);
      const plan = planNet(net);
      const fusedRaw = net.layers.filter((l) => 'activation' in l && l.activation.type === 'none' && l !== net.layers[net.layers.length - 1]);
      expect(plan.stages.length, `graph ${seed}`).toBe(net.layers.length - fusedRaw.length);
      for (const s of plan.stages) {
        if (s.kind === 'matrix' && s.add?.raw) expect(s.add.skipRows).toBe(s.cols * (s.add.layer.inputs.length - 1));
        // Every multi-input stage reads at least one edge through a FIFO (the skip, or a joined input).
        if ((s.inputs ?? []).length > 1) expect(Math.max(...s.inputs!.map((e) => e.fifoDepth))).toBeGreaterThanOrEqual(3);
      }
      expect(renderBuild(net).files.size).toBeGreaterThan(0);
    }
  });
});
