// `rram-gen synth` on small networks, for both targets: Yosys (npm wasm)
// must synthesize the RTL with no latch, no undriven signal and no
// combinational loop, and its figures must agree with what the hardware plan
// says has to exist. Slow (Yosys in WebAssembly): a handful of small nets.
import { describe, expect, it } from 'vitest';
import { renderBuild } from '../../src/emit/build.js';
import { randomNet } from '../../src/golden/index.js';
import { loadNet, type NetIR } from '../../src/ir/index.js';
import { planNet, summarize } from '../../src/plan/index.js';
import { type ModuleFigures, type SynthTarget, synthesizeRendered } from '../../src/synth/index.js';

const TIMEOUT = 600_000;

/** Flip-flops the plan says must hold state: every input buffer (window rings, flatten buffers), as the estimator counts them. */
function plannedBufferBits(net: NetIR): number {
  return planNet(net).stages.reduce((n, s) => n + s.bufferValues * s.input.bits, 0);
}

/** Register bits of the output side: each stage's output register (data + valid) and the result register (class, values, valid). */
function plannedRegisterBits(net: NetIR): number {
  const plan = planNet(net);
  // Output register of every stage, and the registered crossbar read of every matrix stage.
  const stages = plan.stages.reduce((n, s) => n + s.outShape.channels * s.outShape.bits + 1 + (s.kind === 'matrix' ? s.readRegisterBits : 0), 0);
  return stages + plan.output.classBits + plan.output.values * plan.output.bits + 1;
}

/** Σ over modules of figure × instances, instances counted down the hierarchy from the top. */
function weightedSum(modules: ModuleFigures[], top: string, key: 'luts' | 'flipFlops'): number {
  const byName = new Map(modules.map((m) => [m.module, m]));
  const count = (name: string, times: number): number => {
    const m = byName.get(name)!;
    return times * m[key] + Object.entries(m.instances).reduce((n, [sub, k]) => n + count(sub, times * k), 0);
  };
  return count(top, 1);
}

const nets: [string, () => NetIR][] = [
  ['examples/tiny.json', () => loadNet('examples/tiny.json').net],
  // conv (3-bit inputs, ADC) → maxpool → dense (ADC) → conv: multi-bit rows, both activations, two tiles per layer.
  ['random net 91 (conv, maxpool, ADC)', () => randomNet(91, { maxWeights: 600 })],
];
const targets: SynthTarget[] = ['generic', 'ice40'];

describe.each(nets)('synth %s', (_, makeNet) => {
  it.each(targets)('target %s: no problems, figures consistent with the plan', async (target) => {
    const net = makeNet();
    const { files, manifest, plan } = renderBuild(net, { tbVectors: 1 });
    const { result, log } = await synthesizeRendered(files, manifest, summarize(plan).totalWeights, { target });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(log).toContain('Found and reported 0 problems.');
    const t = result.stats.total;
    expect(t.cells).toBeGreaterThan(0);
    expect(t.luts).toBeGreaterThan(0);
    // Every buffered input bit is state; Yosys may keep it in FFs or memory, never in nothing.
    const buffers = plannedBufferBits(net);
    expect(t.flipFlops + t.memoryBits).toBeGreaterThanOrEqual(buffers);
    // Beyond buffers and output registers only control state (counters, valid flags): a few dozen bits per stage.
    expect(t.flipFlops).toBeLessThanOrEqual(buffers + plannedRegisterBits(net) + 64 * plan.stages.length);
    // Yosys's design total equals the per-module figures weighted by how often each module is instantiated.
    expect(t.luts).toBe(weightedSum(result.stats.modules, manifest.top, 'luts'));
    expect(t.flipFlops).toBe(weightedSum(result.stats.modules, manifest.top, 'flipFlops'));
    // Every generated module appears.
    for (const f of manifest.files.filter((p) => !p.startsWith('rtl/rram_'))) {
      const mod = f.slice('rtl/'.length, -'.sv'.length);
      expect(result.stats.modules.map((m) => m.module)).toContain(mod);
    }
    if (target === 'ice40') expect(Object.keys(t.byType).every((k) => k.startsWith('SB_'))).toBe(true);
  }, TIMEOUT);
});
