// Designs with a literal wider than Verilator's 64K-bit default get
// --max-num-width; all others get no extra flag (their cache keys stay).
import { describe, expect, it } from 'vitest';
import { numWidthFlags, widestLiteral } from '../../src/sim/num-width.js';

describe('numWidthFlags', () => {
  it('finds the widest sized literal of any base, signed or not', () => {
    expect(widestLiteral(["localparam X = 8'hff;", "parameter W = 131072'sh0f, V = 12'b1;", "x = 70000'd5;"])).toBe(131072);
    expect(widestLiteral(['no literals here', "a = 'h5; b = 16'o7;"])).toBe(16);
  });
  it('asks for the width only above 65536 bits', () => {
    expect(numWidthFlags(["p = 65536'h0;"])).toEqual([]);
    expect(numWidthFlags(["p = 65537'h0;"])).toEqual(['--max-num-width', '65537']);
    expect(numWidthFlags(["w = 131072'h38f8;", "q = 4'h1;"])).toEqual(['--max-num-width', '131072']);
  });
});
