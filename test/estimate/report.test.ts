// Reports: deterministic bytes, a self-contained HTML page with rendered
// charts, a JSON document that is the estimate, and Markdown with the
// arithmetic of one layer.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadNet } from '../../src/ir/index.js';
import { planNet } from '../../src/plan/index.js';
import { estimatePlan, loadDefaultTech } from '../../src/estimate/index.js';
import { REPORT_FILES, htmlEscape, mdEscape, renderReports } from '../../src/report/index.js';

const tech = loadDefaultTech();

async function render(path: string, baselineBits = [4, 6, 8]) {
  const plan = planNet(loadNet(path).net);
  const est = estimatePlan(plan, tech, { baselineBits });
  return { plan, est, files: await renderReports(plan, est) };
}

describe('renderReports', () => {
  it('returns report.json, report.md and report.html in that order', async () => {
    const { files } = await render('examples/tiny.json');
    expect([...files.keys()]).toEqual([...REPORT_FILES]);
  });

  it('is deterministic: two renders give the same bytes', async () => {
    const a = await render('examples/lenet.json');
    const b = await render('examples/lenet.json');
    for (const name of REPORT_FILES) expect(b.files.get(name), name).toBe(a.files.get(name));
    // A render in between of another net does not disturb ids or counters.
    await render('examples/tiny.json', [8]);
    const c = await render('examples/lenet.json');
    expect(c.files.get('report.html')).toBe(a.files.get('report.html'));
  }, 60_000);

  it('report.json is the estimate, keys in a fixed order', async () => {
    const { est, files } = await render('examples/lenet.json');
    const doc = JSON.parse(files.get('report.json')!);
    expect(doc).toEqual(JSON.parse(JSON.stringify(est)));
    expect(Object.keys(doc)).toEqual(['format', 'generator', 'net', 'tech', 'options', 'designs', 'savings', 'warnings']);
    expect(doc.format).toBe('rram-gen/estimate@1');
    expect(Object.keys(doc.designs[0].byComponent)).toEqual(['crossbar', 'dac', 'adc', 'sense', 'adder', 'buffer', 'logic']);
    expect(doc.designs.map((d: { id: string }) => d.id)).toEqual(['1bit', 'k4', 'k6', 'k8']);
    // The used table entries travel with their citations.
    expect(doc.tech.entries.find((e: { pointer: string }) => e.pointer === '/senseAmp').source[0].ref).toBe('mnsim2');
    expect(Object.keys(doc.tech.sources)).toEqual(['isaac', 'mnsim2', 'issue4', 'neurosim', 'issue18']);
    expect(files.get('report.json')!.endsWith('}\n')).toBe(true);
  });

  it('report.html is self-contained, with three rendered SVG charts', async () => {
    const { files } = await render('examples/lenet.json');
    const html = files.get('report.html')!;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    expect(html).not.toMatch(/\bsrc=/i);
    expect(html.match(/<svg /g)?.length).toBe(3);
    // Vega drew bars (paths) and axes with the design labels.
    expect(html).toMatch(/role-mark[^"]*"[^>]*aria-roledescription="rect mark container"/);
    for (const label of ['1-bit design', '8-bit baseline', 'ADCs (+S/H)', 'conv1']) expect(html).toContain(`>${label}</text>`);
    // Ids (clip paths, gradients) are unique across the inlined charts.
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(html).not.toMatch(/\b(19|20)\d\d-\d\d-\d\d\b/); // no dates
  }, 60_000);

  it('report.md shows the arithmetic of one layer, the sources, and the savings', async () => {
    const { files } = await render('examples/lenet.json');
    const md = files.get('report.md')!;
    // conv2: the first thresholded layer on two row tiles, so the baseline's per-tile ADCs and adders show.
    expect(md).toContain('## Worked arithmetic: layer conv2');
    expect(md).toContain('| sense amplifier | /senseAmp | 16 (16 columns) × 1 µm² | 16 µm² | 1,024 decisions (64 reads × 16 columns) × 0.001629 pJ | 1.668 pJ |');
    expect(md).toContain('| ADC 8b (per row tile) | /adc/4 | 32 (2 row tiles × 16 columns) × 1,200 µm² | 0.0384 mm² | 2,048 conversions (64 reads × 32 columns (all row tiles)) × 1.5625 pJ | 3.2 nJ |');
    expect(md).toContain('| partial-sum adder | /adder | 16 ((2 row tiles − 1) × 16 columns) × 60 µm² | 960 µm² | 1,024 additions (64 reads × 16 adders) × 0.021 pJ | 21.5 pJ |');
    expect(md).toMatch(/against the 8-bit baseline the 1-bit design uses \d+\.\d % less energy per image/);
    expect(md).toContain('**[isaac]** A. Shafiee');
  });

  it('escapes text from the technology table', () => {
    expect(htmlEscape('<b>"x" & \'y\'</b>')).toBe('&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;');
    expect(mdEscape('a | b\n<c>')).toBe('a \\| b &lt;c&gt;');
  });
});

describe('rram-gen estimate', () => {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'rram-gen.js');
  const run = (...args: string[]) => execa('node', [bin, ...args], { reject: false });

  it('prints the comparison with interface shares and savings', async () => {
    const r = await run('estimate', 'examples/lenet.json', '--baseline-bits', '4,8');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/energy\/image\s+\S+ nJ\s+\S+ nJ\s+\S+ nJ/);
    expect(r.stdout).toMatch(/interface energy \(DAC\+ADC\+sense\)\s+\d+\.\d %/);
    expect(r.stdout).toMatch(/1-bit design vs 8-bit: energy −\d+\.\d % \([\d.]+× less\), area −\d+\.\d %/);
    expect(r.stdout).toContain('fc1');
  });

  it('does not call a net with k-bit hidden maps a 1-bit design', async () => {
    const r = await run('estimate', 'examples/mnist/small-8bit.json', '-q');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain('1-bit');
    expect(r.stdout).toMatch(/design as given \(8-bit hidden maps\) vs 8-bit: energy/);
  });

  it('--json prints report.json; --report writes the three files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-gen-report-'));
    const r = await run('estimate', 'examples/tiny.json', '--json', '--report', dir);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.designs.map((d: { id: string }) => d.id)).toEqual(['1bit', 'k8']);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toEqual(doc);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg ');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('# Cost estimate: tiny');
  }, 60_000);

  it('build writes report.html without charts (no Vega) unless --charts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rram-gen-report-'));
    expect((await run('build', 'examples/tiny.json', '-o', join(dir, 'plain'), '-q')).exitCode).toBe(0);
    const plain = readFileSync(join(dir, 'plain', 'report.html'), 'utf8');
    expect(plain).not.toContain('<svg');
    expect(plain.match(/rram-gen build --charts/g)?.length).toBe(3);
    expect((await run('build', 'examples/tiny.json', '-o', join(dir, 'charts'), '-q', '--charts')).exitCode).toBe(0);
    expect(readFileSync(join(dir, 'charts', 'report.html'), 'utf8').match(/<svg /g)?.length).toBe(3);
  }, 60_000);

  it('bad usage exits 2', async () => {
    for (const args of [['--baseline-bits', '4,x'], ['--adc-share', '0'], ['--baseline-bits', '1']]) {
      const r = await run('estimate', 'examples/tiny.json', ...args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('[usage]');
    }
  });
});
