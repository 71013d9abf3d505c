// The interface description of each crossbar macro (`build --xbar macro`):
// macros/<module>.json for tools and macros/<module>.md for people — ports,
// timing assumptions, and every column's decision levels as reference currents.
import type { HwPlan, MatrixStage } from '../plan/index.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../package-info.js';
import { macroModule } from './names.js';

/**
 * Unit cell current assumed for the reference currents: the read voltage over
 * the low-resistance state of the shipped technology table's cell entry
 * (tech/default.json /cell: MNSIM 2.0 defaults, 0.15 V read, 10 kΩ LRS).
 */
export const READ_VOLTAGE_V = 0.15;
export const R_LRS_OHM = 1e4;
export const UNIT_CURRENT_UA = (READ_VOLTAGE_V / R_LRS_OHM) * 1e6;

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
  unitCurrent: { microamps: number; assumption: string };
  columns: MacroColumn[];
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

export function macroDescriptions(plan: HwPlan, s: MatrixStage): MacroDescription[] {
  const layer = s.layer;
  const act = layer.activation;
  const inBits = s.inShape.bits;
  const groups = [...new Set(s.tiles.map((t) => t.colTile))].sort((a, b) => a - b);
  return groups.map((ct) => {
    const tiles = s.tiles.filter((t) => t.colTile === ct);
    const { colStart, colCount } = tiles[0];
    const outBits = act.type === 'threshold' ? 1 : act.type === 'adc' ? act.bits : s.accBits;
    const columns: MacroColumn[] = [];
    for (let c = colStart; c < colStart + colCount; c++) {
      const bias = layer.bias[c];
      const levels = act.type === 'threshold' ? [act.thresholds[c]]
        : act.type === 'adc' ? Array.from({ length: (1 << act.bits) - 1 }, (_, l) => act.offset + (l + 1) * act.step)
          : [];
      const units = levels.map((v) => v - bias);
      columns.push({ channel: c, bias, levels, referenceUnits: units, referenceMicroamps: units.map((u) => round(u * UNIT_CURRENT_UA)) });
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
      unitCurrent: {
        microamps: round(UNIT_CURRENT_UA),
        assumption: `Differential pair per weight: the column current I = I_u × Σ w·x (positive cells on one bitline, negative on the other, the high-resistance leakage cancelling between them), with I_u = V_read / R_LRS = ${READ_VOLTAGE_V} V / ${R_LRS_OHM / 1000} kΩ = ${round(UNIT_CURRENT_UA)} µA per unit of weight × input (tech/default.json, /cell). The bias is not stored in cells: it is folded into the reference, so a column decides acc = Σ w·x + bias ≥ level ⇔ I ≥ I_u × (level − bias).`,
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
  if (d.output.kind === 'threshold') out.push('One sense amplifier per column: y = (Σ w·x + bias ≥ T), 1 bit.');
  else if (d.output.kind === 'adc') out.push(`One ${d.output.bitsPerColumn}-bit ADC per column: the code is the number of levels the column reaches (a flash converter's thermometer count).`);
  else out.push(`No activation: the column value Σ w·x + bias itself, ${d.output.bitsPerColumn}-bit two's complement — a full-resolution ADC per column.`);
  out.push('', '## Reference currents', '', d.unitCurrent.assumption, '');
  if (d.output.kind !== 'none') {
    out.push('| channel | bias | levels | reference (× I_u) | reference (µA) |', '|---:|---:|---|---|---|');
    for (const c of d.columns) out.push(`| ${c.channel} | ${c.bias} | ${c.levels.join(', ')} | ${c.referenceUnits.join(', ')} | ${c.referenceMicroamps.join(', ')} |`);
    out.push('');
  }
  return out.join('\n');
}
