// rram-gen hand-written RTL library: rram_adc_quant
//
// k-bit ADC per column (multi-bit activation):
//   q = clamp(floor((acc - OFFSET) / STEP), 0, 2^OUT_BITS - 1)
// computed without a divider as a flash converter: q is the number of levels
// L in 1 .. 2^OUT_BITS-1 with acc >= OFFSET + L*STEP (thresholds are constants
// computed at elaboration in a width that cannot overflow). When STEP is a
// power of two the same function is built as subtract, arithmetic shift, clamp.
//
// Parameters
//   COLS      columns (>= 1)
//   ACC_BITS  signed accumulator width (>= 1, <= 64)
//   OUT_BITS  output width, 1 .. 8
//   OFFSET    signed integer (32-bit int)
//   STEP      integer >= 1 (32-bit int)
//
// Ports
//   acc_i  [COLS*ACC_BITS-1:0]  signed accumulator of column c at [c*ACC_BITS +: ACC_BITS]
//   q_o    [COLS*OUT_BITS-1:0]  unsigned code of column c at [c*OUT_BITS +: OUT_BITS]
//
// Timing: combinational, no clock.
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
  localparam bit POW2 = (STEP & (STEP - 1)) == 0;
  localparam int SH = $clog2(STEP);                             // shift when POW2

  localparam logic signed [TW-1:0] C_OFFSET = TW'(OFFSET);
  localparam logic signed [TW-1:0] C_NL     = TW'(NL);
  localparam logic signed [TW-1:0] C_ZERO   = TW'(0);

`ifndef SYNTHESIS
  initial begin : p_param_check
    if (COLS < 1 || ACC_BITS < 1 || ACC_BITS > 64 || OUT_BITS < 1 || OUT_BITS > 8 || STEP < 1) begin
      $fatal(1, "rram_adc_quant: need COLS >= 1, 1 <= ACC_BITS <= 64, 1 <= OUT_BITS <= 8, STEP >= 1");
    end
  end
`endif

  // A function with its inputs as arguments, not an always_comb block: Icarus 11
  // re-triggers an always_comb on its own writes and never settles.
  // Highest level reached in a thermometer code (0 when none).
  function automatic logic [OUT_BITS-1:0] level_of(input logic [NL-1:0] ge);
    logic [OUT_BITS-1:0] q;
    q = '0;
    for (int l = 0; l < NL; l++) if (ge[l]) q = OUT_BITS'(l + 1);
    level_of = q;
  endfunction

  for (genvar c = 0; c < COLS; c++) begin : g_col
    logic signed [TW-1:0] accx;
    logic [OUT_BITS-1:0]  q;

    assign accx = TW'($signed(acc_i[c * ACC_BITS +: ACC_BITS]));

    if (POW2) begin : g_shift
      logic signed [TW-1:0] diff;
      logic signed [TW-1:0] lvl;
      assign diff = accx - C_OFFSET;
      assign lvl  = diff >>> SH;
      assign q    = (lvl < C_ZERO) ? '0 :
                    (lvl > C_NL)   ? OUT_BITS'(NL) : lvl[OUT_BITS-1:0];
    end else begin : g_flash
      logic [NL-1:0] ge;   // ge[l] = acc >= OFFSET + (l+1)*STEP (thermometer code)
      for (genvar l = 0; l < NL; l++) begin : g_lvl
        localparam logic signed [TW-1:0] THR = C_OFFSET + TW'(l + 1) * TW'(STEP);
        assign ge[l] = (accx >= THR);
      end
      assign q = level_of(ge);
    end

    assign q_o[c * OUT_BITS +: OUT_BITS] = q;
  end

endmodule
