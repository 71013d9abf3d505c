// The Yosys script of `rram-gen synth`: read the generated RTL, check that
// `proc` infers no latch, synthesize per module (no flattening, so figures
// stay per module), then write the statistics and the structural check
// (undriven signals, combinational loops, multiple drivers) to files.
export const SYNTH_TARGETS = ['generic', 'ice40'] as const;
export type SynthTarget = (typeof SYNTH_TARGETS)[number];

/** Files Yosys writes into its virtual folder; read back by stats.ts. */
export const OUT = { stat: 'stat.json', latches: 'latches.txt', check: 'check.txt' } as const;

/** Cell types that are latches, before and after technology mapping. */
const LATCH_SELECT = 't:$dlatch t:$adlatch t:$dlatchsr t:$sr t:$_DLATCH_* t:$_DLATCHSR_* t:$_SR_*';

export function synthScript(files: string[], top: string, target: SynthTarget): string {
  const map = target === 'ice40'
    // Flattening is ice40's default; keep modules so the report is per module.
    ? `synth_ice40 -top ${top} -noflatten`
    // A generic 6-input-LUT architecture (ABC), the common FPGA fabric.
    : `synth -top ${top} -lut 6`;
  // read_verilog defines SYNTHESIS, which selects the synthesis forms of the RTL.
  return [
    `read_verilog -sv ${files.join(' ')}`,
    `hierarchy -check -top ${top}`,
    'proc',
    `tee -q -o ${OUT.latches} select -list ${LATCH_SELECT}`,
    map,
    `tee -q -a ${OUT.latches} select -list ${LATCH_SELECT}`,
    `tee -q -o ${OUT.stat} stat -json -top ${top}`,
    // Not quiet: the check verdict belongs in synth.log too.
    `tee -o ${OUT.check} check`,
  ].join('; ');
}
