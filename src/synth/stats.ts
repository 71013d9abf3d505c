// Reads Yosys's `stat -json -top` output into per-module and total figures:
// cells, LUTs, flip-flops, memory bits, and instances of other modules of the
// design (black boxes included).
export interface CellFigures {
  /** Primitive cells (LUTs, flip-flops, carry, RAM, gates); instances of design modules are not counted. */
  cells: number;
  luts: number;
  flipFlops: number;
  /** Bits in inferred memories plus block RAMs (4096 bits per iCE40 SB_RAM40_4K). */
  memoryBits: number;
  /** Cell types and their counts, sorted by name (primitives only). */
  byType: Record<string, number>;
  /** Instances of black-box modules (the crossbar macros of `--xbar macro`), by module name. */
  blackBoxes: Record<string, number>;
}

export interface ModuleFigures extends CellFigures {
  module: string;
  /** Instances of other modules of the design, by module name. */
  instances: Record<string, number>;
}

export interface SynthStats { modules: ModuleFigures[]; total: CellFigures }

interface StatModule { num_memory_bits?: number; num_cells_by_type?: Record<string, number> }
interface StatJson { modules?: Record<string, StatModule>; design?: StatModule }

const isLut = (t: string): boolean => t === '$lut' || t === 'SB_LUT4';
const isFlipFlop = (t: string): boolean => /^\$_(S?DFF|DFFE|SDFFE|SDFFCE|ALDFF|ALDFFE|DFFSR|DFFSRE)_/.test(t) || /^\$(s?dff|dffe|sdffe|sdffce|adff|adffe|aldff|dffsr)$/.test(t) || /^SB_DFF/.test(t);
const BRAM_BITS: Record<string, number> = { SB_RAM40_4K: 4096, SB_RAM40_4KNR: 4096, SB_RAM40_4KNW: 4096, SB_RAM40_4KNRNW: 4096, SB_SPRAM256KA: 262144 };
/** Bookkeeping cells that are not hardware. */
const isNotHardware = (t: string): boolean => t === '$scopeinfo';
/** Yosys's own cells start with `$`, iCE40 primitives with `SB_`; any other cell type is a module Yosys did not get: a black box. */
const isPrimitive = (t: string): boolean => t.startsWith('$') || t.startsWith('SB_');

/**
 * A specialized library module (`$paramod$<hash>\\rram_xbar_tile`) is shown as
 * its module name and the modules that instantiate it, which say more than the hash.
 */
function displayName(id: string, parents: string[]): string {
  if (!id.startsWith('$paramod')) return id;
  const base = id.split('\\')[1] ?? id;
  return parents.length > 0 ? `${base} in ${[...parents].sort().join(', ')}` : base;
}

/**
 * Two specializations with the same display name (say two rram_merge of one
 * stage) are told apart as "<display> #k"; unspecializedName undoes it.
 */
const numberedSpecialization = (display: string, k: number): string => `${display} #${k}`;
export const unspecializedName = (shown: string): string => shown.replace(/ #\d+$/, '');

/** Yosys names modules `\name`, and specialized parameterized ones `$paramod$…\name`; print the plain name. */
export function plainName(id: string): string {
  return id.startsWith('\\') ? id.slice(1) : id;
}

function figures(m: StatModule, designModules: Set<string>): { fig: CellFigures; instances: Record<string, number> } {
  const byType: Record<string, number> = {};
  const instances: Record<string, number> = {};
  const blackBoxes: Record<string, number> = {};
  let cells = 0, luts = 0, flipFlops = 0, memoryBits = m.num_memory_bits ?? 0;
  for (const type of Object.keys(m.num_cells_by_type ?? {}).sort()) {
    const n = m.num_cells_by_type![type];
    if (isNotHardware(type)) continue;
    if (designModules.has(type)) {
      instances[plainName(type)] = n;
      continue;
    }
    if (!isPrimitive(type)) {
      blackBoxes[plainName(type)] = n;
      continue;
    }
    byType[plainName(type)] = n;
    cells += n;
    if (isLut(type)) luts += n;
    if (isFlipFlop(type)) flipFlops += n;
    memoryBits += (BRAM_BITS[type] ?? 0) * n;
  }
  return { fig: { cells, luts, flipFlops, memoryBits, byType, blackBoxes }, instances };
}

export function parseStat(text: string): SynthStats {
  // Yosys 0.23 (Debian 12's) also prints `stat -top`'s hierarchy tree into the
  // JSON as plain text lines; every JSON line starts with a quote or a bracket.
  const json = JSON.parse(text.split('\n').filter((l) => /^\s*(["{}[\]]|$)/.test(l)).join('\n')) as StatJson;
  const mods = json.modules ?? {};
  // Module ids carry Yosys's leading backslash, cell types do not: compare plain names.
  const names = new Set(Object.keys(mods).map(plainName));
  const parsed = Object.keys(mods).map((id) => ({ id: plainName(id), ...figures(mods[id], names) }));
  const parents = new Map<string, string[]>();
  for (const p of parsed) for (const sub of Object.keys(p.instances)) parents.set(sub, [...(parents.get(sub) ?? []), p.id]);
  // Display names, made unique: two specializations in the same parent (say two
  // rram_merge of one stage) get #1, #2 in the order of their Yosys ids.
  const shown = new Map<string, string>();
  const byDisplay = new Map<string, string[]>();
  for (const p of [...parsed].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const d = displayName(p.id, parents.get(p.id) ?? []);
    byDisplay.set(d, [...(byDisplay.get(d) ?? []), p.id]);
  }
  for (const [d, ids] of byDisplay) ids.forEach((id, i) => shown.set(id, ids.length > 1 ? numberedSpecialization(d, i + 1) : d));
  const modules = parsed.map((p) => ({ module: shown.get(p.id)!, ...p.fig, instances: p.instances }))
    .sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
  // Instance maps name the displayed modules too.
  for (const m of modules) m.instances = Object.fromEntries(Object.entries(m.instances).map(([k, v]) => [shown.get(k) ?? k, v]));
  // `stat -top` adds the design total (submodules counted once per instance).
  if (!json.design) throw new Error('Yosys stat -json gave no design total (the script runs stat -top)');
  const total = figures(json.design, names).fig;
  return { modules, total };
}

/** Latch cells listed by `select -list` (lines `module/cell`). */
export function parseLatches(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l.includes('/'));
}

/** Problems of `check`: its warning lines, and the count it reports. */
export function parseCheck(text: string): { count: number; warnings: string[] } {
  const m = /Found and reported (\d+) problems?/.exec(text);
  const warnings = text.split('\n').filter((l) => /^Warning:/.test(l.trim())).map((l) => l.trim());
  return { count: m ? Number(m[1]) : warnings.length, warnings };
}
