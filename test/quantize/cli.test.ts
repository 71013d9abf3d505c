// `rram-gen quantize` end to end, in process: files written, report printed,
// exit codes of the contract (0 ok, 2 bad input).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadNet } from '../../src/index.js';
import { mnistFiles } from '../../src/quantize/index.js';

const MODEL = join(import.meta.dirname, '../../examples/mnist/small.onnx');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
  try {
    process.exitCode = 0;
    await main(['node', 'rram-gen', ...args]);
    return { code: Number(process.exitCode ?? 0), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => { process.exitCode = 0; });

describe('rram-gen quantize', () => {
  it('writes a valid net.json and prints the per-layer report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-cli-'));
    const out = join(dir, 'small.json');
    const r = await run(['quantize', MODEL, '--mnist', '--train-count', '300', '--test-count', '200', '--grid', '5', '--threads', '1', '--crossbar', '64x32', '--name', 'q_small', '-o', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/q_small: 1-bit hidden maps, 8-bit weights, 8-bit input; 300 training images/);
    expect(r.out).toMatch(/conv1 +threshold/);
    expect(r.out).toMatch(/train accuracy \(golden model, .*small\.json\): \d+\.\d\d%/);
    expect(r.out).toMatch(/test accuracy: float model \d+\.\d\d%, .* \d+\.\d\d% \(loss -?\d+\.\d\d points\)/);
    // The diagnosis: each layer's cost, the float baseline, the layer that loses most.
    expect(r.out).toMatch(/cost \(points\)/);
    expect(r.out).toMatch(/float model on 300 training images: \d+\.\d\d%; the 1-bit network loses -?\d+\.\d\d points of training accuracy/);
    const { net } = loadNet(out);
    expect(net.name).toBe('q_small');
    expect(net.crossbar).toEqual({ rows: 64, cols: 32 });
  });

  it('--json prints the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-cli-'));
    const r = await run(['quantize', MODEL, '--train', ...trainFiles(), '--train-count', '200', '--grid', '3', '--threads', '1', '--act-bits', '4', '-o', join(dir, 'n.json'), '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { ok: boolean; report: { mode: string; trainImages: number; layers: { activation: string }[] } };
    expect(doc.ok).toBe(true);
    expect(doc.report.mode).toBe('4-bit ADC');
    expect(doc.report.trainImages).toBe(200);
    expect(doc.report.layers.map((l) => l.activation)).toEqual(['adc', 'adc', 'adc']);
  });

  it('reads gzipped IDX files as they are, with the same result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-cli-'));
    const [images, labels] = trainFiles();
    writeFileSync(join(dir, 'images.gz'), gzipSync(readFileSync(images)));
    writeFileSync(join(dir, 'labels.gz'), gzipSync(readFileSync(labels)));
    const args = ['--train-count', '200', '--grid', '3', '--threads', '1', '--act-bits', '4', '--json'];
    const plain = await run(['quantize', MODEL, '--train', images, labels, ...args, '-o', join(dir, 'a.json')]);
    const gz = await run(['quantize', MODEL, '--train', join(dir, 'images.gz'), join(dir, 'labels.gz'), ...args, '-o', join(dir, 'b.json')]);
    expect(gz.code).toBe(0);
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(readFileSync(join(dir, 'a.json'), 'utf8'));
    expect(JSON.parse(gz.out).report.trainCorrect).toBe(JSON.parse(plain.out).report.trainCorrect);
  });

  it('a file that is not ONNX exits with 2 and a one-line diagnostic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-cli-'));
    const bad = join(dir, 'bad.onnx');
    writeFileSync(bad, 'not a model');
    const r = await run(['quantize', bad, '--mnist', '-o', join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.onnx: error: not an ONNX model .*\[onnx-invalid\]/);
  });

  it('images that do not fit the model exit with 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-cli-'));
    const idx = join(dir, 'img.idx');
    const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 5]);
    writeFileSync(idx, Buffer.concat([header, Buffer.alloc(25)]));
    const [, labels] = trainFiles();
    const r = await run(['quantize', MODEL, '--train', idx, labels, '-o', join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\[data-mismatch\]/);
  });
});

function trainFiles(): [string, string] {
  const { images, labels } = mnistFiles().train;
  return [images, labels];
}
