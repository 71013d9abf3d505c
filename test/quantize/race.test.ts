// The race after the pre-scan, on hand-made right/wrong patterns whose sign
// tests are counted by hand (z = 3).
import { describe, expect, it } from 'vitest';
import { RACE_Z, raceSurvivors } from '../../src/quantize/race.js';

/** Candidate-major oks from one string of 0/1 per candidate. */
const oks = (rows: string[]) => Uint8Array.from(rows.join('').split(''), Number);

describe('raceSurvivors', () => {
  it('drops a candidate only when the leader wins more than z·√(disagreements) of the images they disagree on', () => {
    expect(RACE_Z).toBe(3);
    const rows = [
      '1111111111111111', // 0: the leader
      '0000000000000000', // 1: leader alone right on 16: 16 > 3·4 → dropped
      '0000111111111111', // 2: 4 > 3·2 = 6? no → kept
      '0000000001111111', // 3: 9 > 3·3 = 9? no (the bound is kept) → kept
      '0000000000111111', // 4: 10 > 3·√10 ≈ 9.49 → dropped
      '1111111111111111', // 5: the same as the leader → kept
    ];
    expect(raceSurvivors(oks(rows), 16, 0, [1, 2, 3, 4, 5])).toEqual([2, 3, 5]);
  });

  it('counts the images only the candidate gets right for it, and keeps the given order', () => {
    const rows = [
      '0000000011111111', // 0: candidate better than the leader on its own images
      '1111111100000000', // 1: the leader here: 8 each way → kept
      '0000000000000000', // 2: leader alone right on 8: 8 > 3·√8 ≈ 8.49? no → kept
      '0000000000000011', // 3: leader alone right on 8, candidate on 2: 6 > 3·√10 ≈ 9.49? no → kept
    ];
    expect(raceSurvivors(oks(rows), 16, 1, [3, 2, 0])).toEqual([3, 2, 0]);
    // With z = 1 the same patterns drop 3 (6 > √10) and 2 (8 > √8); 0 stays (0 > 4? no).
    expect(raceSurvivors(oks(rows), 16, 1, [3, 2, 0], 1)).toEqual([0]);
  });
});
