// rram-gen simulation model: rram_xbar_tile
//
// The crossbar tile of templates/rtl/rram_xbar_tile.sv (same ports, same
// parameters, same cycle behaviour: read x_i at a rising edge where en_i is
// high, hold the registered sums), for simulation only. It rebuilds each
// column's digit masks from ROW_IDX / GROUP_PTR at elaboration and counts
// with `$countones` inside the clocked process, so a simulator evaluates a
// tile once per read with a few word operations per column and digit, where
// the synthesizable form has one adder input per non-zero digit.
//
// Listed in tb.f and manifest.json's simulationFiles in place of
// rtl/rram_xbar_tile.sv; never in files.f. The unit
// testbench (sim/unit/tb_rram_xbar_tile.sv) runs on both forms and the
// gate-level test simulates the synthesized files.f, so the two cannot drift.
module rram_xbar_tile #(
  parameter int                                      ROWS      = 4,
  parameter int                                      COLS      = 4,
  parameter int                                      IN_BITS   = 1,
  parameter int                                      W_BITS    = 2,
  parameter int                                      SUM_BITS  = 8,
  parameter int                                      NZ        = 0,
  parameter int                                      IDX_BITS  = (ROWS > 1) ? $clog2(ROWS) : 1,
  parameter int                                      PTR_BITS  = (NZ > 0) ? $clog2(NZ + 1) : 1,
  parameter logic [((NZ > 0) ? NZ : 1)*IDX_BITS-1:0] ROW_IDX   = '0,
  parameter logic [(COLS*2*W_BITS+1)*PTR_BITS-1:0]   GROUP_PTR = '0
) (
  input  logic                     clk_i,
  input  logic                     en_i,
  input  logic [ROWS*IN_BITS-1:0]  x_i,
  output logic [COLS*SUM_BITS-1:0] sum_o
);

  localparam int NG = 2 * W_BITS;  // digit groups per column

  // Digit group j of column c as a ROWS-bit mask at [j*ROWS +: ROWS].
  function automatic logic [NG*ROWS-1:0] column_masks(input int c);
    logic [NG*ROWS-1:0] m;
    for (int j = 0; j < NG; j++) begin
      m[j * ROWS +: ROWS] = '0;
      for (int k = 32'(GROUP_PTR[(c * NG + j) * PTR_BITS +: PTR_BITS]);
           k < 32'(GROUP_PTR[(c * NG + j + 1) * PTR_BITS +: PTR_BITS]); k++) begin
        m[j * ROWS + 32'(ROW_IDX[k * IDX_BITS +: IDX_BITS])] = 1'b1;
      end
    end
    return m;
  endfunction

  // Transpose rows x input bits into input-bit planes (plane i: bit i of every row).
  function automatic logic [IN_BITS*ROWS-1:0] bit_planes(input logic [ROWS*IN_BITS-1:0] x);
    logic [IN_BITS*ROWS-1:0] p;
    for (int i = 0; i < IN_BITS; i++) begin
      for (int r = 0; r < ROWS; r++) begin
        p[i * ROWS + r] = x[r * IN_BITS + i];
      end
    end
    return p;
  endfunction

  logic [IN_BITS*ROWS-1:0] xpl;
  assign xpl = bit_planes(x_i);

  for (genvar c = 0; c < COLS; c++) begin : g_col
    localparam logic [NG*ROWS-1:0] M = column_masks(c);

    function automatic logic [SUM_BITS-1:0] column_sum(input logic [IN_BITS*ROWS-1:0] x);
      logic [SUM_BITS-1:0] acc;
      acc = '0;
      for (int b = 0; b < W_BITS; b++) begin
        for (int i = 0; i < IN_BITS; i++) begin
          acc = acc + ((SUM_BITS'($countones(x[i * ROWS +: ROWS] & M[(2 * b) * ROWS +: ROWS]))
                      - SUM_BITS'($countones(x[i * ROWS +: ROWS] & M[(2 * b + 1) * ROWS +: ROWS]))) << (b + i));
        end
      end
      return acc;
    endfunction

    logic [SUM_BITS-1:0] sum_q;
    always_ff @(posedge clk_i) begin
      if (en_i) begin
        sum_q <= column_sum(xpl);
      end
    end
    assign sum_o[c * SUM_BITS +: SUM_BITS] = sum_q;
  end

endmodule
