// The options of the commands that read an input vector file (--skip/--count)
// or make a testbench of random vectors (--vectors/--seed).

/** yargs check: --skip a non-negative integer, --count a positive one (else a usage error, exit 2). */
export function checkVectorRange(a: { skip?: number; count?: number }): true {
  if (a.skip !== undefined && !(Number.isInteger(a.skip) && a.skip >= 0)) throw new Error('--skip must be a non-negative integer');
  if (a.count !== undefined && !(Number.isInteger(a.count) && a.count >= 1)) throw new Error('--count must be a positive integer');
  return true;
}

/**
 * yargs check of build's and sim's testbench vectors: at least one random
 * vector (a testbench with no images could not fail), a non-negative seed,
 * and --skip/--count only with --input.
 */
export function checkTestbenchOptions(a: { vectors?: number; seed?: number; input?: string; skip?: number; count?: number }): true {
  if (!(Number.isInteger(a.vectors) && a.vectors! >= 1)) throw new Error('--vectors must be a positive integer');
  if (!(Number.isInteger(a.seed) && a.seed! >= 0)) throw new Error('--seed must be a non-negative integer');
  if ((a.skip !== undefined || a.count !== undefined) && a.input === undefined) throw new Error('--skip and --count need --input');
  return checkVectorRange(a);
}
