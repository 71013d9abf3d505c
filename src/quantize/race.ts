// The race after the pre-scan: which threshold candidates still go on to be
// scored on the whole training set. Every candidate has been scored on the
// same evenly spaced sample; a candidate is dropped when it is clearly worse
// than the sample's leader there. Paired on the same images, only the images
// the two disagree on carry information: of those d, the candidate gets a
// right and the leader b; if the candidate were as good as the leader on the
// whole set, b − a would be about 0 ± √d (a sign test). Dropping at
// b − a > RACE_Z·√d keeps any candidate within noise of the leader, so what
// is lost is at most a candidate no better than noise can tell apart from the
// one kept; far candidates (most of the grid) stop after the sample.

/** Standard deviations of the sign test beyond which a candidate is dropped (about 1 in 1,000 for one as good as the leader). */
export const RACE_Z = 3;

/**
 * The candidates (of `candidates`) not clearly worse than `leader`. oks:
 * candidate-major, `images` per candidate, 1 where it got the image right.
 */
export function raceSurvivors(oks: Uint8Array, images: number, leader: number, candidates: readonly number[], z = RACE_Z): number[] {
  const lead = oks.subarray(leader * images, (leader + 1) * images);
  return candidates.filter((c) => {
    const mine = oks.subarray(c * images, (c + 1) * images);
    let onlyMine = 0;
    let onlyLeader = 0;
    for (let j = 0; j < images; j++) {
      if (mine[j] > lead[j]) onlyMine++;
      else if (mine[j] < lead[j]) onlyLeader++;
    }
    return onlyLeader - onlyMine <= z * Math.sqrt(onlyMine + onlyLeader);
  });
}
