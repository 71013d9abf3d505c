// The generated RTL must be accepted unchanged by Yosys (`read_verilog -sv`),
// the WebAssembly build from npm, and pass its structural checks (no
// undriven signals, no combinational loops) after `proc`. (tiny.json goes
// through the same checks in test/synth/synth.test.ts.)
import { describe, expect, it } from 'vitest';
import { runYosys } from '@yowasp/yosys';
import { renderBuild } from '../../src/emit/build.js';
import { randomNet } from '../../src/golden/index.js';
import type { NetIR } from '../../src/ir/index.js';

async function yosysCheck(net: NetIR): Promise<string> {
  const { files, manifest } = renderBuild(net, { tbVectors: 1 });
  const rtl: Record<string, string> = {};
  for (const f of manifest.files) rtl[f.slice('rtl/'.length)] = files.get(f)!;
  let log = '';
  const sink = (b: Uint8Array | null) => { if (b) log += new TextDecoder().decode(b); };
  await runYosys(['-p', `read_verilog -sv ${manifest.files.join(' ')}; hierarchy -check -top ${manifest.top}; proc; check -assert`],
    { rtl }, { stdout: sink, stderr: sink });
  return log;
}

describe('Yosys reads the generated RTL', () => {
  it('random net 2 (maxpool, ADC, dense)', async () => {
    const log = await yosysCheck(randomNet(2, { maxWeights: 4000 }));
    expect(log).toContain('Found and reported 0 problems.');
  });
});
