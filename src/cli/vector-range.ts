// The --skip/--count pair of the commands that read an input vector file.

/** yargs check: --skip a non-negative integer, --count a positive one (else a usage error, exit 2). */
export function checkVectorRange(a: { skip?: number; count?: number }): true {
  if (a.skip !== undefined && !(Number.isInteger(a.skip) && a.skip >= 0)) throw new Error('--skip must be a non-negative integer');
  if (a.count !== undefined && !(Number.isInteger(a.count) && a.count >= 1)) throw new Error('--count must be a positive integer');
  return true;
}
