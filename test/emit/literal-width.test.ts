// Every tool reads the delivered RTL without flags of ours only while no
// sized literal is wide (Verilator refuses more than 65,536 bits, Icarus's
// scanner overflows long before). The tile wrappers write one row-index
// literal per non-zero weight digit; biases and thresholds are cut at 4,096
// bits. Checked on the trained nets, whose dense tiles were 131,072-bit
// literals before.
import { describe, expect, it } from 'vitest';
import { renderBuild } from '../../src/emit/build.js';
import { loadNet } from '../../src/ir/index.js';
import { twosComplementHex } from '../../src/emit/literals.js';

const LIMIT = 4096;

/** The widest sized literal (N'h…, N'b…, N'd…, N'o…) in the given RTL texts. */
function widestLiteral(texts: Iterable<string>): number {
  let widest = 0;
  for (const text of texts) {
    for (const m of text.matchAll(/\b(\d+)'[sS]?[hHbBdDoO]/g)) widest = Math.max(widest, Number(m[1]));
  }
  return widest;
}

describe('no wide literal in the delivered RTL', () => {
  it('finds a wide literal when there is one', () => {
    expect(widestLiteral(["localparam logic [9:0] P = 10'h3ff;", "x = 131072'h0;"])).toBe(131072);
  });

  it.each(['examples/mnist/lenet5-1bit.json', 'examples/mnist/lenet5-8bit.json', 'examples/mnist/deep-1bit.json', 'examples/lenet.json'])('%s', (path) => {
    const { files } = renderBuild(loadNet(path).net, { tbVectors: 1 });
    // Synthesis RTL, simulation models and testbench alike.
    const rtl = [...files].filter(([p]) => p.endsWith('.sv')).map(([, text]) => text);
    expect(rtl.length).toBeGreaterThan(0);
    expect(widestLiteral(rtl)).toBeLessThanOrEqual(LIMIT);
  });
});

describe('weights of the simulation models ($readmemh words)', () => {
  it('are two\'s complement in the given width, hex digits padded', () => {
    expect(twosComplementHex(3, 5)).toBe('03');
    expect(twosComplementHex(-1, 5)).toBe('1f');
    expect(twosComplementHex(-16, 5)).toBe('10');
    expect(twosComplementHex(-255, 9)).toBe('101');
    expect(twosComplementHex(-1, 2)).toBe('3');
    expect(() => twosComplementHex(-17, 5)).toThrow(RangeError);
    expect(() => twosComplementHex(32, 5)).toThrow(RangeError);
  });
});
