// Finds the external tools rram-gen drives and checks they are usable; when
// one is missing the error says exactly how to install it.
import { RramGenError } from '../diagnostics/index.js';
import { loadExeca } from '../lazy-execa.js';

export interface ToolInfo { path: string; version: string }

const INSTALL = {
  verilator: 'apt-get install -y verilator (Debian 12 ships 5.006)',
  iverilog: 'apt-get install -y iverilog',
} as const;

let verilatorInfo: Promise<ToolInfo> | undefined;

/** Verilator ≥ 5.006, as Debian 12 ships it. */
export function findVerilator(): Promise<ToolInfo> {
  verilatorInfo ??= (async () => {
    const out = await probe('verilator', ['--version']);
    const m = /Verilator (\d+)\.(\d+)/.exec(out);
    if (m === null) throw RramGenError.of('tool-missing', '', `cannot read the Verilator version from "${out.trim()}"; install: ${INSTALL.verilator}`);
    const [major, minor] = [Number(m[1]), Number(m[2])];
    if (major < 5 || (major === 5 && minor < 6)) {
      throw RramGenError.of('tool-missing', '', `Verilator ${major}.${String(minor).padStart(3, '0')} is too old (5.006 or newer needed); install: ${INSTALL.verilator}`);
    }
    return { path: 'verilator', version: `${major}.${String(minor).padStart(3, '0')}` };
  })();
  // A failure is not kept: `rram-gen setup` looks again after installing.
  verilatorInfo.catch(() => { verilatorInfo = undefined; });
  return verilatorInfo;
}

export async function findIverilog(): Promise<ToolInfo> {
  const out = await probe('iverilog', ['-V']);
  const m = /Icarus Verilog version (\S+)/.exec(out);
  return { path: 'iverilog', version: m?.[1] ?? 'unknown' };
}

async function probe(tool: keyof typeof INSTALL, args: string[]): Promise<string> {
  try {
    const execa = await loadExeca();
    const r = await execa(tool, args, { reject: false, all: true });
    if (r.failed && r.exitCode === undefined) throw new Error(String(r.message));
    return r.all ?? '';
  } catch {
    throw RramGenError.of('tool-missing', '', `${tool} not found on PATH; install: ${INSTALL[tool]}`);
  }
}
