// Property tests (fast-check). Random valid networks (src/golden/random-net.ts
// from generated seeds and options) always validate from their JSON text, keep
// their meaning, build, lint clean and, for a sample, simulate bit-exactly.
// Random mutations of valid networks never crash: every run ends in success or
// in diagnostics (exit code 2 through the CLI).
//
// Scale: RRAM_GEN_FUZZ_RUNS=N multiplies every run count (default 1).
// Replay: a failure prints its seed and path; rerun with
//   RRAM_GEN_FUZZ_SEED=<seed> RRAM_GEN_FUZZ_PATH=<path> npx vitest run test/robustness/property.test.ts
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { RramGenError, catalogue } from '../../src/diagnostics/index.js';
import { buildRtl, renderBuild } from '../../src/emit/build.js';
import { estimatePlan, loadDefaultTech } from '../../src/estimate/index.js';
import { randomGraphNet, randomInputs, randomNet, runBatch } from '../../src/golden/index.js';
import { formatNetJson, netToDocument, validateNetDocument } from '../../src/ir/index.js';
import { parseJsonText } from '../../src/ir/read-json.js';
import type { NetIR } from '../../src/ir/types.js';
import { planNet } from '../../src/plan/index.js';
import { expectBitExact, expectLintClean } from '../rtl/sim-helpers.js';
import { badInputViolations, inPool, runCli, sameTree, sandboxWithBuild, snapshotTree } from './cli-contract.js';
import { MUTATION_KINDS, type Mutation, mutate } from './mutate.js';

const SCALE = Math.max(1, Number(process.env.RRAM_GEN_FUZZ_RUNS ?? 1) || 1);
const REPLAY = process.env.RRAM_GEN_FUZZ_SEED !== undefined
  ? { seed: Number(process.env.RRAM_GEN_FUZZ_SEED), path: process.env.RRAM_GEN_FUZZ_PATH }
  : {};
const counts = { valid: 0, linted: 0, simulated: 0, mutated: 0, mutatedAccepted: 0, cli: 0, cliAccepted: 0 };

/** fc.check with the seed, path and counterexample in the failure message, ready to replay. */
async function holds<T>(name: string, arb: fc.Arbitrary<T>, runs: number, body: (v: T) => Promise<void> | void, shrink = true): Promise<void> {
  const out = await fc.check(fc.asyncProperty(arb, async (v) => { await body(v); }), { numRuns: runs * SCALE, endOnFailure: !shrink, ...REPLAY });
  if (out.failed) {
    const error = out.errorInstance instanceof Error ? out.errorInstance.stack ?? out.errorInstance.message : String(out.errorInstance);
    throw new Error(`${name} failed after ${out.numRuns} runs: seed ${out.seed}, path "${out.counterexamplePath}"\n` +
      `replay: RRAM_GEN_FUZZ_SEED=${out.seed} RRAM_GEN_FUZZ_PATH=${out.counterexamplePath} npx vitest run test/robustness/property.test.ts\n` +
      `counterexample: ${fc.stringify(out.counterexample)}\n${error}`);
  }
}

// Every kind of net the format holds: net@1 chains, chains with net@2 window
// geometry, groups and sum-pools, and graphs with skips (residual adds, concats, forks).
const netOptions = (maxWeights: number) => fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  maxLayers: fc.integer({ min: 1, max: 6 }),
  maxWeights: fc.integer({ min: 20, max: maxWeights }),
  kind: fc.constantFrom('chain', 'net2-chain', 'graph'),
});
type NetOptions = { seed: number; maxLayers: number; maxWeights: number; kind: 'chain' | 'net2-chain' | 'graph' };
function netOf(o: NetOptions): NetIR {
  if (o.kind === 'graph') return randomGraphNet(o.seed, { maxBlocks: Math.min(o.maxLayers, 3) });
  const net2 = o.kind === 'net2-chain';
  return randomNet(o.seed, { maxLayers: o.maxLayers, maxWeights: o.maxWeights, geometry: net2, sumpool: net2 });
}

const mutations = fc.array(
  fc.tuple(fc.nat(MUTATION_KINDS.length - 1), fc.nat(1000), fc.nat(1000)) as fc.Arbitrary<Mutation>,
  { minLength: 1, maxLength: 4 },
);

/** What a reader of the net's JSON text gets: the net validated back from its serialization. */
function roundTrip(net: NetIR): NetIR {
  const doc = parseJsonText(formatNetJson(netToDocument(net)), 'random.json');
  const { net: back, warnings } = validateNetDocument(doc, '<memory>', 'random.json');
  // Thresholds come from probe inputs; a column the probes never move may be flagged, nothing else.
  expect(warnings.filter((w) => w.code !== 'threshold-constant')).toEqual([]);
  return back;
}

describe('random valid networks', () => {
  it('validate from their JSON text, keep every shape and answer, and build', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rram-gen-prop-'));
    await holds('valid nets', netOptions(20000), 40, async (o) => {
      const net = netOf(o);
      const back = roundTrip(net);
      expect(back.layers.map((l) => l.outShape)).toEqual(net.layers.map((l) => l.outShape));
      const inputs = randomInputs(net, 3, o.seed);
      expect(runBatch(back, inputs).map((r) => Array.from(r.output))).toEqual(runBatch(net, inputs).map((r) => Array.from(r.output)));
      const built = await buildRtl(back, { outDir: join(out, `n${counts.valid}`), tbVectors: 2 });
      for (const f of built.manifest.files) expect(existsSync(join(built.outDir, f)), f).toBe(true);
      counts.valid++;
    });
  });

  it('lint clean with verilator --lint-only -Wall', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rram-gen-prop-lint-'));
    await holds('lint', netOptions(6000), 6, async (o) => {
      const built = await buildRtl(roundTrip(netOf(o)), { outDir: join(out, `n${counts.linted}`), tbVectors: 1 });
      await expectLintClean(built.outDir, built.manifest.top, undefined, `seed ${o.seed}`);
      counts.linted++;
    });
  });

  // Found by the lint property in CI (fast-check seed -1382455626): a single conv
  // with a raw 32-bit output gives an 8,590-bit result register, and its reset
  // to '0 tripped Verilator's WIDTHCONCAT (> 8192-bit replication). The library
  // now waives it on wide zero fills; test/rtl-lib.test.ts lints each such module wide.
  it('regression: randomNet(25, { maxLayers: 1, maxWeights: 20 }) lints clean', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rram-gen-prop-lint-'));
    const built = await buildRtl(roundTrip(randomNet(25, { maxLayers: 1, maxWeights: 20 })), { outDir: join(out, 'n'), tbVectors: 1 });
    await expectLintClean(built.outDir, built.manifest.top);
  });

  it('simulate bit-exactly in Verilator (a sample)', async () => {
    await holds('simulation', netOptions(2500), 2, async (o) => {
      await expectBitExact(roundTrip(netOf(o)), { vectors: 4, seed: o.seed, stallProb: 0.3 });
      counts.simulated++;
    }, false); // no shrinking: every step would be another Verilator compile
  });

  // Found by the sample above (fast-check seed -1861214696): a max-pool first
  // layer on 1×8×7 then two strided 1×1 convs, so the result depends on pool
  // pixel (0,0) only and comes out after 3 of the pool's 9 beats of the last
  // image; the harness stopped at the last result and missed the other 6 tap
  // beats. It now runs until every tap beat is logged. Kept as a fixed case.
  it('regression: randomNet(29, { maxLayers: 6, maxWeights: 24 }) simulates bit-exactly', async () => {
    await expectBitExact(roundTrip(randomNet(29, { maxLayers: 6, maxWeights: 24 })), { vectors: 4, seed: 29, stallProb: 0 });
  });
});

describe('random mutations of valid networks', () => {
  it('never crash the library: success, or an RramGenError with catalogue diagnostics', async () => {
    const tech = loadDefaultTech();
    await holds('mutations', fc.record({ net: netOptions(3000), mutations }), 1000, (m) => {
      const doc = mutate(netToDocument(netOf(m.net)), m.mutations);
      counts.mutated++;
      try {
        const { net } = validateNetDocument(parseJsonText(JSON.stringify(doc), 'mutated.json'), '<memory>', 'mutated.json');
        const plan = planNet(net);
        renderBuild(net, { tbVectors: 2 });
        estimatePlan(plan, tech);
        counts.mutatedAccepted++;
      } catch (e) {
        if (!(e instanceof RramGenError)) throw e;
        expect(e.diagnostics.length).toBeGreaterThan(0);
        for (const d of e.diagnostics) {
          expect(d.code in catalogue, d.code).toBe(true);
          expect(d.pointer === '' || d.pointer.startsWith('/'), d.pointer).toBe(true);
        }
      }
    });
  });

  it('through the CLI: exit 0 with a complete new build, or exit 2 with diagnostics and the old build untouched', async () => {
    const ref = mkdtempSync(join(tmpdir(), 'rram-gen-prop-ref-'));
    const tiny = await buildRtl(randomNet(1, { maxWeights: 500 }), { outDir: join(ref, 'old'), tbVectors: 1 });
    const old = snapshotTree(tiny.outDir);
    const samples = fc.sample(fc.record({ net: netOptions(2000), mutations }), { numRuns: 16 * SCALE, ...REPLAY });
    const problems = await inPool(samples.map((m) => async () => {
      const { dir, out } = sandboxWithBuild(tiny.outDir);
      const file = join(dir, 'mutated.json');
      writeFileSync(file, JSON.stringify(mutate(netToDocument(netOf(m.net)), m.mutations)));
      const r = await runCli(['build', file, '-o', out, '--vectors', '2', '--quiet'], dir);
      counts.cli++;
      const found: string[] = [];
      if (r.exitCode === 0) {
        counts.cliAccepted++;
        if (!existsSync(join(out, 'manifest.json')) || sameTree(snapshotTree(out), old)) found.push('exit 0 without a new complete build');
      } else {
        found.push(...badInputViolations(r));
        if (!sameTree(snapshotTree(out), old)) found.push('the old build changed');
      }
      const left = readdirSync(dir).sort();
      if (JSON.stringify(left) !== '["mutated.json","out"]') found.push(`left behind: ${JSON.stringify(left)}`);
      return found.length === 0 ? '' : `${fc.stringify(m)}: ${found.join('; ')}\n${r.stderr}`;
    }));
    expect(problems.filter((p) => p !== '')).toEqual([]);
  });
});

afterAll(() => {
  console.log(`property tests (scale ${SCALE}): ${counts.valid} valid nets validated and built, ${counts.linted} linted, ${counts.simulated} simulated; ` +
    `${counts.mutated} mutated nets in process (${counts.mutatedAccepted} still valid), ${counts.cli} through the CLI (${counts.cliAccepted} exit 0); ` +
    `load average ${loadavg()[0].toFixed(1)}`);
});
