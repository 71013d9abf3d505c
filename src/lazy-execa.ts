// execa, loaded when a command first starts a process rather than at every
// command's start-up: most runs (a build, an estimate) start none (issue 19).
import type { execa } from 'execa';

export async function loadExeca(): Promise<typeof execa> {
  return (await import('execa')).execa;
}
