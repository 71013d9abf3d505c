// Render the LeNet estimate report and photograph it in headless Chromium, to
// check by eye that the inlined Vega charts render. Not part of `npm test`
// (CI does not install Chromium). Debian: `apt-get install -y chromium`.
//
//   npx tsx scripts/screenshot-report.ts [out.png] [net.json]
//
// Prints the paths of the report and of the PNG.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { estimateNetFile, renderReports, writeReports } from '../src/index.js';
import { packagePath } from '../src/package-info.js';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome'];

function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM;
  if (fromEnv) return fromEnv;
  for (const name of CANDIDATES) {
    const r = spawnSync('which', [name], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim() !== '') return r.stdout.trim();
  }
  return undefined;
}

async function main(): Promise<number> {
  const out = resolve(process.argv[2] ?? join(tmpdir(), 'rram-gen-report', 'lenet-report.png'));
  const netPath = process.argv[3] ?? packagePath('examples', 'lenet.json');
  const chromium = findChromium();
  if (chromium === undefined) {
    process.stderr.write('chromium not found: install it (Debian: apt-get install -y chromium) or set CHROMIUM=/path/to/chrome\n');
    return 2;
  }
  const { plan, estimate } = estimateNetFile(netPath, { baselineBits: [4, 6, 8] });
  const reportDir = join(tmpdir(), 'rram-gen-report');
  const [, , html] = writeReports(reportDir, await renderReports(plan, estimate));
  const profile = mkdtempSync(join(tmpdir(), 'rram-gen-chromium-'));
  try {
    const r = spawnSync(chromium, [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${profile}`, `--screenshot=${out}`, '--window-size=1200,2000',
      '--hide-scrollbars', pathToFileURL(html).href,
    ], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0 || !existsSync(out) || statSync(out).size === 0) {
      process.stderr.write(`chromium failed (status ${r.status}):\n${r.stderr}\n`);
      return 1;
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(`report: ${html}\nscreenshot: ${out} (${statSync(out).size} bytes)\n`);
  return 0;
}

process.exitCode = await main();
