// The interface description of each crossbar macro (`build --xbar macro`):
// macros/<module>.json for tools and macros/<module>.md for people — ports,
// timing assumptions, and every column's decision levels as reference currents.
import { columnBitlines } from '../device/mapping.js';
import type { HwPlan, MatrixStage } from '../plan/index.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../package-info.js';
import { macroModule } from './names.js';
import { activationOp, activationOpOfType } from '../ops/activations/index.js';

/**
 * The shipped technology table's device (tech/default.json /device: MNSIM 2.0
 * defaults, 0.15 V read, 10 kΩ on, 1 MΩ off).
 */
export const READ_VOLTAGE_V = 0.15;
export const R_LRS_OHM = 1e4;
export const ON_OFF_RATIO = 100;
/**
 * Unit current of one weight unit: the read voltage times one conductance
 * step of a cell with `levels` levels, (G_on − G_off) / (levels − 1); slice s
 * of a column is merged with gain levels^s (src/device/mapping.ts).
 */
export function unitCurrentMicroamps(levels: number): number {
  const gOn = 1 / R_LRS_OHM;
  return READ_VOLTAGE_V * ((gOn - gOn / ON_OFF_RATIO) / (levels - 1)) * 1e6;
}

export interface MacroColumn {
  /** Output channel of the layer. */
  channel: number;
  bias: number;
  /** Accumulator levels the column is compared against (threshold: one; ADC: 2^k − 1). */
  levels: number[];
  /** The same levels as differential column currents, level − bias, in units of the unit cell current, and in µA. */
  referenceUnits: number[];
  referenceMicroamps: number[];
}

export interface MacroDescription {
  generator: string;
  version: string;
  module: string;
  layer: string;
  columnGroup: number;
  ports: { name: string; direction: 'input' | 'output'; width: number; meaning: string }[];
  rows: number;
  inputBitsPerRow: number;
  weightBits: number;
  output: { kind: 'threshold' | 'adc' | 'none'; bitsPerColumn: number; signed: boolean };
  timing: string[];
  /** The bitlines of every column: a differential pair of bit-sliced cell stacks, merged with their significance before the read-out. */
  bitlinesPerColumn: { name: string; sign: 1 | -1; slice: number; significance: number }[];
  unitCurrent: { microamps: number; assumption: string };
  columns: MacroColumn[];
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

export function macroDescriptions(plan: HwPlan, s: MatrixStage): MacroDescription[] {
  const layer = s.layer;
  const act = layer.activation;
  const op = activationOp(act);
  const inBits = s.inShape.bits;
  const groups = [...new Set(s.tiles.map((t) => t.colTile))].sort((a, b) => a - b);
  const sl = plan.slicing;
  const unitUa = unitCurrentMicroamps(sl.levels);
  return groups.map((ct) => {
    const tiles = s.tiles.filter((t) => t.colTile === ct);
    const { colStart, colCount } = tiles[0];
    const outBits = op.outBits(act, s.accBits);
    const columns: MacroColumn[] = [];
    for (let c = colStart; c < colStart + colCount; c++) {
      const bias = layer.bias[c];
      const levels = op.decisionLevels(act, c);
      const units = levels.map((v) => v - bias);
      columns.push({ channel: c, bias, levels, referenceUnits: units, referenceMicroamps: units.map((u) => round(u * unitUa)) });
    }
    return {
      generator: GENERATOR_NAME,
      version: GENERATOR_VERSION,
      module: macroModule(plan.net.name, layer.name, ct),
      layer: layer.name,
      columnGroup: ct,
      ports: [
        { name: 'clk_i', direction: 'input', width: 1, meaning: 'clock of the accelerator; the read happens at its rising edge' },
        { name: 'en_i', direction: 'input', width: 1, meaning: 'read enable: x_i is read at a rising edge of clk_i where en_i is high' },
        { name: 'x_i', direction: 'input', width: s.rows * inBits, meaning: `wordline inputs: row r of the layer's weight matrix (docs/format.md) at [r*${inBits} +: ${inBits}], unsigned` },
        { name: 'y_o', direction: 'output', width: colCount * outBits, meaning: `column c (output channel ${colStart} + c) at [c*${outBits} +: ${outBits}]` },
      ],
      rows: s.rows,
      inputBitsPerRow: inBits,
      weightBits: plan.net.weightBits,
      output: { kind: act.type, bitsPerColumn: outBits, signed: act.type === 'none' },
      timing: [
        'A registered read: at a rising edge of clk_i where en_i is high the macro reads x_i (wordline drive, column current settling, sensing) and latches the result; y_o shows it from then on and holds it until the next read. No reset inside the macro.',
        'x_i comes from a register of the same clock (the window generator\'s output register, the flatten buffer, or the previous stage\'s rram_pipe_reg; only a first layer that reads the input stream directly sees the top-level in_data_i) and is stable for the cycle in which en_i is high; the whole read must fit in one clock period minus setup.',
        'y_o goes into the stage\'s rram_pipe_reg one cycle after the read, same clock.',
        `One read per output position: ${s.reads} per image.`,
      ],
      bitlinesPerColumn: columnBitlines(sl),
      unitCurrent: {
        microamps: round(unitUa),
        assumption: `Each weight is a differential pair of ${sl.slicesPerWeight} cell${sl.slicesPerWeight > 1 ? 's' : ''} of ${sl.bitsPerCell} bit${sl.bitsPerCell > 1 ? 's' : ''} (${sl.levels} levels) per side: ${2 * sl.slicesPerWeight} bitlines per column (p<s> positive, n<s> negative, slice s of significance ${sl.levels}^s). The bitline currents are merged in the analog domain before the read-out, slice s with gain ${sl.levels}^s and the negative side subtracted (the off-state leakage cancelling between the sides), so the column current is I = I_u × Σ w·x with I_u = V_read × (G_on − G_off) / ${sl.levels - 1} = ${READ_VOLTAGE_V} V × (1/${R_LRS_OHM / 1000} kΩ − 1/${R_LRS_OHM * ON_OFF_RATIO / 1e6} MΩ) / ${sl.levels - 1} = ${round(unitUa)} µA per unit of weight × input (tech/default.json, /device). The bias is not stored in cells: it is folded into the reference, so a column decides acc = Σ w·x + bias ≥ level ⇔ I ≥ I_u × (level − bias).`,
      },
      columns,
    };
  });
}

export function macroMarkdown(d: MacroDescription): string {
  const out: string[] = [];
  out.push(`# Crossbar macro ${d.module}`, '');
  out.push(`Generated by ${d.generator} ${d.version}. Layer \`${d.layer}\`, column group ${d.columnGroup}: ${d.rows} rows × ${d.columns.length} columns, ${d.weightBits}-bit weights, ${d.inputBitsPerRow}-bit inputs per row. Black box in \`rtl/${d.module}.sv\`, behaviour in \`sim-models/${d.module}.sv\`.`, '');
  out.push('## Ports', '', '| port | direction | width | meaning |', '|---|---|---:|---|');
  for (const p of d.ports) out.push(`| \`${p.name}\` | ${p.direction} | ${p.width} | ${p.meaning} |`);
  out.push('', '## Timing', '');
  for (const t of d.timing) out.push(`- ${t}`);
  out.push('', '## Output', '');
  out.push(activationOpOfType(d.output.kind).macroOutput(d.output.bitsPerColumn));
  out.push('', '## Bitlines per column', '', '| bitline | side | slice | significance |', '|---|---|---:|---:|');
  for (const b of d.bitlinesPerColumn) out.push(`| ${b.name} | ${b.sign > 0 ? 'positive' : 'negative'} | ${b.slice} | ${b.significance} |`);
  out.push('', '## Reference currents', '', d.unitCurrent.assumption, '');
  if (d.output.kind !== 'none') {
    out.push('| channel | bias | levels | reference (× I_u) | reference (µA) |', '|---:|---:|---|---|---|');
    for (const c of d.columns) out.push(`| ${c.channel} | ${c.bias} | ${c.levels.join(', ')} | ${c.referenceUnits.join(', ')} | ${c.referenceMicroamps.join(', ')} |`);
    out.push('');
  }
  return out.join('\n');
}
