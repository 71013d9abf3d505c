// The hand-written RTL library (templates/rtl/*.sv): every module must lint
// clean under `verilator --lint-only -Wall` for several parameter sets, and
// every unit testbench (sim/unit/tb_<module>.sv) must pass under Icarus
// Verilog. The real toolchain is the oracle. (The crossbar's simulation form
// is generated per net: test/rtl/sim-models.test.ts.)
//
// Needs `verilator` and `iverilog`/`vvp` on PATH (Debian: apt-get install
// verilator iverilog). Set RRAM_GEN_SKIP_RTL=1 to skip this file on a machine
// without them. Set RRAM_GEN_RTL_VERILATOR_SIM=1 to also run the window
// generator and crossbar tile testbenches under Verilator (minutes to build
// each on a shared machine) and compare them with Icarus line by line. The library
// has one form for every tool: no `ifdef on the simulator or SYNTHESIS other
// than around parameter checks.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { packFieldsHex } from '../src/emit/literals.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RTL_DIR = join(ROOT, 'templates', 'rtl');
const TB_DIR = join(ROOT, 'sim', 'unit');


const SKIP = process.env.RRAM_GEN_SKIP_RTL === '1';
const VERILATOR_SIM = process.env.RRAM_GEN_RTL_VERILATOR_SIM === '1';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd = ROOT): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

// Deterministic pseudo-random hex literal of `bits` bits (xorshift32).
function randomLiteral(bits: number, seed: number): string {
  let s = (0x9e3779b9 ^ seed) >>> 0;
  let hex = '';
  for (let i = 0; i < Math.ceil(bits / 4); i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const top = i === 0 && bits % 4 !== 0 ? (1 << (bits % 4)) - 1 : 15;
    hex += ((s >>> 8) & top).toString(16);
  }
  return `${bits}'h${hex}`;
}

// rram_xbar_tile's weight parameters (NZ, IDX_BITS, PTR_BITS, ROW_IDX, GROUP_PTR)
// for pseudo-random signed-digit masks: each cell set with probability 1/2.
function digitGroups(rows: number, cols: number, wBits: number, seed: number): Params {
  let s = (0x2545f491 ^ seed) >>> 0;
  const rowIdx: number[] = [];
  const groupPtr: number[] = [];
  for (let g = 0; g < cols * 2 * wBits; g++) {
    groupPtr.push(rowIdx.length);
    for (let r = 0; r < rows; r++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      if (s & 0x100) rowIdx.push(r);
    }
  }
  groupPtr.push(rowIdx.length);
  const nz = rowIdx.length;
  const idxBits = rows > 1 ? Math.ceil(Math.log2(rows)) : 1;
  const ptrBits = nz > 0 ? Math.ceil(Math.log2(nz + 1)) : 1;
  const packed = (values: number[], width: number) => `${values.length * width}'h${packFieldsHex(values, () => width)}`;
  return { NZ: nz, IDX_BITS: idxBits, PTR_BITS: ptrBits, ROW_IDX: packed(nz > 0 ? rowIdx : [0], idxBits), GROUP_PTR: packed(groupPtr, ptrBits) };
}

type Params = Record<string, number | string>;

interface LintCase {
  params: Params;
  defines?: string[];
}

// Representative parameter sets per module (defaults are linted too).
const LINT: Record<string, LintCase[]> = {
  rram_window_gen: [
    { params: {} },
    { params: { CH: 1, BITS: 8, H: 28, W: 28, K: 5, STRIDE: 1, PAD: 0 } },
    { params: { CH: 6, BITS: 1, H: 24, W: 24, K: 2, STRIDE: 2, PAD: 0 } },
    { params: { CH: 3, BITS: 2, H: 7, W: 5, K: 3, STRIDE: 2, PAD: 1 } },
    { params: { CH: 16, BITS: 1, H: 8, W: 8, K: 3, STRIDE: 3, PAD: 2 } },
    { params: { CH: 1, BITS: 1, H: 1, W: 1, K: 1, STRIDE: 1, PAD: 0 } },
    { params: { CH: 1, BITS: 8, H: 28, W: 28, K: 5, STRIDE: 1, PAD: 2 } },
    // Window and image row wider than 8192 bits (Verilator's WIDTHCONCAT limit).
    { params: { CH: 128, BITS: 8, H: 9, W: 9, K: 3, STRIDE: 1, PAD: 1 } },
    // Per-axis geometry (net@2): rectangular, strided per axis, asymmetric, dilated.
    { params: { CH: 2, BITS: 1, H: 9, W: 11, K: 3, STRIDE: 1, PAD: 0, KW: 5, SH: 2, PL: 1, PB: 2, DH: 2 } },
    { params: { CH: 1, BITS: 3, H: 1, W: 5, K: 1, STRIDE: 1, PAD: 0, KW: 3, PL: 2, PR: 2, DW: 2 } },
  ],
  rram_xbar_tile: [
    { params: {} },
    { params: { ROWS: 25, COLS: 6, IN_BITS: 1, W_BITS: 2, SUM_BITS: 7, ...digitGroups(25, 6, 2, 1) } },
    { params: { ROWS: 16, COLS: 10, IN_BITS: 8, W_BITS: 4, SUM_BITS: 16, ...digitGroups(16, 10, 4, 2) } },
    { params: { ROWS: 1, COLS: 1, IN_BITS: 1, W_BITS: 1, SUM_BITS: 1 } },
    { params: { ROWS: 3, COLS: 2, IN_BITS: 2, W_BITS: 3, SUM_BITS: 40, ...digitGroups(3, 2, 3, 3) } },
    // A tall column (600 rows, 8-bit weights): about 4,800 listed cells.
    { params: { ROWS: 600, COLS: 1, IN_BITS: 1, W_BITS: 8, SUM_BITS: 17, ...digitGroups(600, 1, 8, 5) } },
  ],
  rram_merge: [
    { params: {} },
    { params: { N: 1, COLS: 1, SUM_BITS: 8, ACC_BITS: 8 } },
    { params: { N: 7, COLS: 10, SUM_BITS: 12, ACC_BITS: 8, BIAS: randomLiteral(80, 3) } },
    { params: { N: 3, COLS: 4, SUM_BITS: 4, ACC_BITS: 16 } },
  ],
  rram_sense_amp: [
    { params: {} },
    { params: { COLS: 1, ACC_BITS: 1 } },
    { params: { COLS: 120, ACC_BITS: 12, THRESHOLDS: randomLiteral(120 * 12, 4) } },
  ],
  rram_adc_quant: [
    { params: {} },
    { params: { COLS: 3, ACC_BITS: 8, OUT_BITS: 4, OFFSET: -20, STEP: 3 } },
    { params: { COLS: 10, ACC_BITS: 16, OUT_BITS: 8, OFFSET: -1000, STEP: 7 } },
    { params: { COLS: 2, ACC_BITS: 40, OUT_BITS: 8, OFFSET: 5, STEP: 1024 } },
    { params: { COLS: 1, ACC_BITS: 1, OUT_BITS: 1, OFFSET: 0, STEP: 1 } },
  ],
  rram_pipe_reg: [{ params: {} }, { params: { WIDTH: 1 } }, { params: { WIDTH: 1000 } }, { params: { WIDTH: 9000 } }],
  rram_stream_check: [{ params: {} }, { params: { WIDTH: 1 } }, { params: { WIDTH: 9000 } }],
  rram_maxpool_reduce: [
    { params: {} },
    { params: { CH: 6, BITS: 1, K: 2 } },
    { params: { CH: 3, BITS: 4, K: 3 } },
    { params: { CH: 2, BITS: 2, K: 1 } },
    { params: { CH: 3, BITS: 2, K: 3, KW: 2 } },
  ],
  rram_sumpool_reduce: [
    { params: {} },
    { params: { CH: 6, BITS: 1, OUT_BITS: 3, K: 2 } },
    { params: { CH: 3, BITS: 4, OUT_BITS: 8, K: 3 } },
    { params: { CH: 2, BITS: 2, OUT_BITS: 2, K: 1 } },
  ],
  rram_flatten_buf: [
    { params: {} },
    { params: { CH: 16, BITS: 1, H: 4, W: 4 } },
    { params: { CH: 2, BITS: 3, H: 1, W: 1 } },
    { params: { CH: 3, BITS: 2, H: 3, W: 5 } },
    // A buffer wider than 8192 bits (Verilator's WIDTHCONCAT limit).
    { params: { CH: 16, BITS: 8, H: 9, W: 9 } },
  ],
  rram_fifo: [{ params: {} }, { params: { WIDTH: 1, DEPTH: 2 } }, { params: { WIDTH: 12, DEPTH: 37 } }, { params: { WIDTH: 9000, DEPTH: 3 } }],
  rram_fork: [{ params: {} }, { params: { N: 5 } }],
  rram_join: [{ params: {} }, { params: { N: 7 } }],
  rram_argmax: [
    { params: {} },
    { params: { N: 1, BITS: 4 } },
    { params: { N: 2, BITS: 1, SIGNED: 1 } },
    { params: { N: 10, BITS: 16, SIGNED: 1, IDX_BITS: 8 } },
  ],
};

// Unit testbenches: top module tb_<module> in sim/unit/tb_<module>.sv.
interface TbCase {
  module: string;
  defines?: string[];
}

// The module's file and the library modules it instantiates (rram_pipe_reg carries rram_stream_check), transitively.
function sourceOf(module: string): string[] {
  const file = join(RTL_DIR, `${module}.sv`);
  const used = [...readFileSync(file, 'utf8').matchAll(/^\s*(rram_\w+)\s+(?:#\s*\(|u_\w+\s*\()/gm)].map((x) => x[1]);
  return [file, ...[...new Set(used)].filter((m) => m !== module).flatMap((m) => sourceOf(m))];
}
const TBS: TbCase[] = [
  { module: 'rram_window_gen' },
  { module: 'rram_xbar_tile' },
  { module: 'rram_merge' },
  { module: 'rram_sense_amp' },
  { module: 'rram_adc_quant' },
  { module: 'rram_pipe_reg' },
  { module: 'rram_maxpool_reduce' },
  { module: 'rram_sumpool_reduce' },
  { module: 'rram_flatten_buf' },
  { module: 'rram_argmax' },
  { module: 'rram_stream_check' },
  { module: 'rram_fifo' },
  { module: 'rram_fork' },
  { module: 'rram_join' },
];

const rtlFiles = readdirSync(RTL_DIR).filter((f) => f.endsWith('.sv')).sort();
const modules = rtlFiles.map((f) => f.replace(/\.sv$/, ''));

let work: string | undefined;
function workDir(): string {
  work ??= mkdtempSync(join(tmpdir(), 'rram-gen-rtl-lib-'));
  return work;
}
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function describeParams(c: LintCase): string {
  const p = Object.entries(c.params)
    .map(([k, v]) => `${k}=${typeof v === 'string' && v.length > 16 ? '<literal>' : v}`)
    .join(' ');
  const d = (c.defines ?? []).map((x) => `+${x}`).join(' ');
  return [p || 'defaults', d].filter(Boolean).join(' ');
}

describe.skipIf(SKIP)('hand-written RTL library (templates/rtl)', () => {
  it('has the tools it needs', async () => {
    const v = await run('verilator', ['--version']);
    expect(v.code, 'verilator not found: apt-get install verilator').toBe(0);
    const i = await run('iverilog', ['-V']);
    // iverilog -V exits 1 without input files but prints its version.
    expect(`${i.stdout}${i.stderr}`, 'iverilog not found: apt-get install iverilog').toMatch(/Icarus Verilog/);
  });

  it('has a lint table and a unit testbench for every module', () => {
    expect(modules.length).toBeGreaterThanOrEqual(9);
    for (const m of modules) {
      expect(Object.keys(LINT), `lint cases for ${m}`).toContain(m);
      expect(TBS.map((t) => t.module), `testbench for ${m}`).toContain(m);
      expect(existsSync(join(TB_DIR, `tb_${m}.sv`)), `sim/unit/tb_${m}.sv`).toBe(true);
    }
  });

  it.each(modules.map((m) => ({ m, file: join(RTL_DIR, `${m}.sv`) })))('$file follows the file conventions', ({ m, file }) => {
    const text = readFileSync(file, 'utf8');
    const first = text.split('\n')[0];
    expect(first).toMatch(/rram-gen/);
    expect(text).not.toMatch(/\b(19|20)\d\d-\d\d-\d\d\b/); // no dates
    const decls = [...text.matchAll(/^\s*module\s+(\w+)/gm)].map((x) => x[1]);
    expect(decls).toEqual([m]); // one module per file, named like the file
    if (/always_ff/.test(text)) {
      // Sequential modules: clk_i first, then rst_ni (asynchronous, active low) when
      // there is state to reset; data-only registers (the tile's sums) have none.
      const ports = [...text.matchAll(/^\s*(?:input|output)\s+logic\b[^;,)]*?\b(\w+)\s*,?\s*$/gm)].map((x) => x[1]);
      expect(ports[0]).toBe('clk_i');
      const blocks = [...text.matchAll(/always_ff @\(([^)]*)\)/g)].map((x) => x[1]);
      for (const b of blocks) expect(['posedge clk_i', 'posedge clk_i or negedge rst_ni']).toContain(b);
      if (ports.includes('rst_ni')) {
        expect(ports[1]).toBe('rst_ni');
        expect(blocks).toContain('posedge clk_i or negedge rst_ni');
        // Every block that reads rst_ni resets asynchronously.
        for (const m of text.matchAll(/always_ff @\(([^)]*)\) begin\s*\n\s*if \(!rst_ni\)/g)) expect(m[1]).toBe('posedge clk_i or negedge rst_ni');
      }
    }
    // One RTL for every tool: the only conditional compilation allowed is
    // `ifndef SYNTHESIS around a parameter check (initial blocks with $fatal)
    // or protocol assertions (rram_stream_check), neither of which changes behaviour.
    for (const m of text.matchAll(/`(ifdef|ifndef|elsif)\s+(\w+)/g)) expect(`${m[1]} ${m[2]}`).toBe('ifndef SYNTHESIS');
    for (const m of text.matchAll(/`ifndef SYNTHESIS\n([\s\S]*?)`endif/g)) expect(m[1]).toMatch(/^\s*(initial begin : p_param_check|\/\/ Protocol assertions)[\s\S]*\$fatal/);
    expect(text).not.toMatch(/\t/);
  });

  const lintCases = Object.entries(LINT).flatMap(([m, cases]) => cases.map((c) => ({ m, c, name: `${m} ${describeParams(c)}` })));
  it.concurrent.each(lintCases)('verilator -Wall lint: $name', async ({ m, c }) => {
    const args = ['--lint-only', '-Wall', '--top-module', m];
    for (const d of c.defines ?? []) args.push(`-D${d}`);
    for (const [k, v] of Object.entries(c.params)) args.push(`-G${k}=${v}`);
    args.push(...sourceOf(m));
    const r = await run('verilator', args);
    const out = `${r.stdout}${r.stderr}`;
    expect(out, out).not.toMatch(/%(Warning|Error)/);
    expect(r.code, out).toBe(0);
  });

  // The window generator's testbench needs about 15 CPU seconds: on a shared machine, minutes.
  it.concurrent.each(TBS.map((t) => ({ ...t, name: `${t.module}${(t.defines ?? []).map((d) => ` +${d}`).join('')}` })))(
    'unit testbench under Icarus: $name',
    { timeout: 900_000 },
    async ({ module, defines }) => {
      const tag = `${module}${(defines ?? []).map((d) => `_${d}`).join('')}`;
      const out = join(workDir(), `${tag}.vvp`);
      const args = ['-g2012', '-Wall', '-o', out, '-s', `tb_${module}`];
      for (const d of defines ?? []) args.push(`-D${d}`);
      args.push(...sourceOf(module), join(TB_DIR, `tb_${module}.sv`));
      const c = await run('iverilog', args);
      const cout = `${c.stdout}${c.stderr}`;
      expect(c.code, cout).toBe(0);
      expect(cout, cout).not.toMatch(/warning|sorry/i);
      const r = await run('vvp', ['-n', out]);
      const rout = `${r.stdout}${r.stderr}`;
      expect(rout, rout).not.toMatch(/FAIL|FATAL/);
      expect(rout, rout).toMatch(new RegExp(`^PASS tb_${module}\\b`, 'm'));
      expect(r.code, rout).toBe(0);
    },
  );

  // The checker must catch each kind of violation under both simulators: the
  // testbench breaks the rule once and the run must stop with $fatal, no PASS.
  it.concurrent.each(['RRAM_TB_DROP_VALID', 'RRAM_TB_CHANGE_DATA'])('rram_stream_check stops a run that breaks the protocol: %s', { timeout: 300_000 }, async (define) => {
    const srcs = [...sourceOf('rram_stream_check'), join(TB_DIR, 'tb_rram_stream_check.sv')];
    const ivOut = join(workDir(), `stream_check_${define}.vvp`);
    const c = await run('iverilog', ['-g2012', '-o', ivOut, `-D${define}`, '-s', 'tb_rram_stream_check', ...srcs]);
    expect(c.code, c.stderr).toBe(0);
    const i = await run('vvp', ['-n', ivOut]);
    expect(i.code).not.toBe(0);
    expect(`${i.stdout}${i.stderr}`).toMatch(/FATAL[\s\S]*u_dut[.\w]*: (valid fell|data changed)/);
    expect(i.stdout).not.toMatch(/PASS/);
    const dir = join(workDir(), `vl_stream_check_${define}`);
    const b = await run('nice', ['verilator', '--binary', '--timing', `-D${define}`, '--top-module', 'tb_rram_stream_check', '--Mdir', dir, ...srcs]);
    expect(b.code, `${b.stdout}${b.stderr}`).toBe(0);
    const v = await run(join(dir, 'Vtb_rram_stream_check'), []);
    expect(v.code).not.toBe(0);
    expect(`${v.stdout}${v.stderr}`).toMatch(/u_dut[.\w]*: (valid fell|data changed)/);
    expect(v.stdout).not.toMatch(/PASS/);
  });

  // The same testbench under both simulators: the tile and the window
  // generator are the modules whose code Verilator and Icarus treat most
  // differently (wide popcounts, parallel-case loops, many processes).
  it.skipIf(!VERILATOR_SIM).each(['rram_window_gen', 'rram_xbar_tile'])('%s testbench agrees between Verilator and Icarus', { timeout: 600_000 }, async (module) => {
    const dir = join(workDir(), `vl_${module}`);
    const srcs = [...sourceOf(module), join(TB_DIR, `tb_${module}.sv`)];
    const b = await run('nice', ['verilator', '--binary', '--timing', '-O1', '-j', '2', '--top-module', `tb_${module}`, '--Mdir', dir, ...srcs]);
    expect(b.code, `${b.stdout}${b.stderr}`).toBe(0);
    expect(`${b.stdout}${b.stderr}`).not.toMatch(/%Warning/);
    const v = await run(join(dir, `Vtb_${module}`), []);
    expect(v.code, v.stdout).toBe(0);
    const ivOut = join(workDir(), `${module}_cmp.vvp`);
    const c = await run('iverilog', ['-g2012', '-o', ivOut, '-s', `tb_${module}`, ...srcs]);
    expect(c.code, c.stderr).toBe(0);
    const i = await run('vvp', ['-n', ivOut]);
    const norm = (s: string) => s.split('\n').filter((l) => /^(PASS|FAIL|PERF|case )/.test(l)).sort();
    expect(norm(v.stdout)).toEqual(norm(i.stdout));
    expect(v.stdout).toMatch(new RegExp(`^PASS tb_${module}\\b`, 'm'));
  });
});
