// rram-gen simulation model: rram_adc_quant
//
// The k-bit ADC of templates/rtl/rram_adc_quant.sv (same ports, same
// parameters, combinational like it), for simulation only:
//   q = clamp(floor((acc - OFFSET) / STEP), 0, 2^OUT_BITS - 1)
// as one division per column, where the synthesizable form is a flash
// converter of 2^OUT_BITS - 1 comparators that a simulator evaluates on
// every clock (an 8-bit read-out of 10 columns: 2,550 wide comparisons).
//
// Listed in tb.f and manifest.json's simulationFiles in place of
// rtl/rram_adc_quant.sv; never in files.f. The unit testbench
// (sim/unit/tb_rram_adc_quant.sv) runs on both forms and the gate-level test
// simulates the synthesized files.f, so the two cannot drift.
module rram_adc_quant #(
  parameter int COLS     = 4,
  parameter int ACC_BITS = 8,
  parameter int OUT_BITS = 4,
  parameter int OFFSET   = 0,
  parameter int STEP     = 1
) (
  input  logic [COLS*ACC_BITS-1:0] acc_i,
  output logic [COLS*OUT_BITS-1:0] q_o
);

  localparam int NL = (1 << OUT_BITS) - 1;                      // number of levels above 0
  // Wide signed width: holds any ACC_BITS value, OFFSET and OFFSET + NL*STEP.
  localparam int TW = ((ACC_BITS > 32) ? ACC_BITS : 32) + OUT_BITS + 2;

  localparam logic signed [TW-1:0] C_OFFSET = TW'(OFFSET);
  localparam logic signed [TW-1:0] C_STEP   = TW'(STEP);
  localparam logic signed [TW-1:0] C_NL     = TW'(NL);

  for (genvar c = 0; c < COLS; c++) begin : g_col
    logic signed [TW-1:0] diff;
    logic signed [TW-1:0] lvl;

    assign diff = TW'($signed(acc_i[c * ACC_BITS +: ACC_BITS])) - C_OFFSET;
    // Below one step (negative included) the code is 0; above it diff > 0, so / is floor.
    assign lvl  = (diff < C_STEP) ? '0 : diff / C_STEP;
    assign q_o[c * OUT_BITS +: OUT_BITS] = (lvl > C_NL) ? OUT_BITS'(NL) : lvl[OUT_BITS-1:0];
  end

endmodule
