// rram-gen simulation model: rram_xbar_tile
//
// The crossbar tile of templates/rtl/rram_xbar_tile.sv (same ports, same
// parameters, same cycle behaviour: read x_i at a rising edge where en_i is
// high, hold the registered sums), for simulation only. It rebuilds each
// column's weights from ROW_IDX / GROUP_PTR at elaboration and computes the
// sums inside the clocked process, under the read enable, so a simulator
// evaluates a tile once per read:
//   - 1-bit inputs: per digit group one `$countones(x & mask)`, a few word
//     operations for any number of rows;
//   - multi-bit inputs: one multiply-add per row.
// No function runs per clock: Verilator re-initializes a function's locals on
// every evaluation of the process that calls it, read or not.
//
// Listed in tb.f and manifest.json's simulationFiles in place of
// rtl/rram_xbar_tile.sv; never in files.f. The unit testbench
// (sim/unit/tb_rram_xbar_tile.sv) runs on both forms and the gate-level test
// simulates the synthesized files.f, so the two cannot drift.
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

  localparam int NG = 2 * W_BITS;       // digit groups per column
  localparam int WW = W_BITS + 2;       // a signed weight of up to 2^W_BITS - 1 in magnitude

  // Digit group j of column c as a ROWS-bit mask at [j*ROWS +: ROWS].
  function automatic logic [NG*ROWS-1:0] column_masks(input int c);
    logic [NG*ROWS-1:0] m;
    // A variable, not the parameter: a tool copies a parameter at every select.
    logic [((NZ > 0) ? NZ : 1)*IDX_BITS-1:0] rows;
    rows = ROW_IDX;
    for (int j = 0; j < NG; j++) begin
      m[j * ROWS +: ROWS] = '0;
      for (int k = 32'(GROUP_PTR[(c * NG + j) * PTR_BITS +: PTR_BITS]);
           k < 32'(GROUP_PTR[(c * NG + j + 1) * PTR_BITS +: PTR_BITS]); k++) begin
        m[j * ROWS + 32'(rows[k * IDX_BITS +: IDX_BITS])] = 1'b1;
      end
    end
    return m;
  endfunction

  // The column's weights, row r at [r*WW +: WW], signed: sum over b of 2^b * (P_b[r] - N_b[r]).
  function automatic logic [ROWS*WW-1:0] column_weights(input logic [NG*ROWS-1:0] m);
    logic [ROWS*WW-1:0] w;
    for (int r = 0; r < ROWS; r++) begin
      w[r * WW +: WW] = '0;
      for (int b = 0; b < W_BITS; b++) begin
        w[r * WW +: WW] = w[r * WW +: WW] + (WW'(m[(2 * b) * ROWS + r]) << b) - (WW'(m[(2 * b + 1) * ROWS + r]) << b);
      end
    end
    return w;
  endfunction

  for (genvar c = 0; c < COLS; c++) begin : g_col
    localparam logic [NG*ROWS-1:0] M = column_masks(c);
    logic [SUM_BITS-1:0] sum_q;

    if (IN_BITS == 1) begin : g_count
      always_ff @(posedge clk_i) begin
        if (en_i) begin : b_read
          logic [SUM_BITS-1:0] acc;
          acc = '0;
          for (int b = 0; b < W_BITS; b++) begin
            acc = acc + ((SUM_BITS'($countones(x_i & M[(2 * b) * ROWS +: ROWS]))
                        - SUM_BITS'($countones(x_i & M[(2 * b + 1) * ROWS +: ROWS]))) << b);
          end
          sum_q <= acc;
        end
      end
    end else begin : g_mac
      localparam logic [ROWS*WW-1:0] W = column_weights(M);
      always_ff @(posedge clk_i) begin
        if (en_i) begin : b_read
          logic [SUM_BITS-1:0] acc;
          acc = '0;
          for (int r = 0; r < ROWS; r++) begin
            acc = acc + SUM_BITS'($signed(W[r * WW +: WW])) * SUM_BITS'(x_i[r * IN_BITS +: IN_BITS]);
          end
          sum_q <= acc;
        end
      end
    end
    assign sum_o[c * SUM_BITS +: SUM_BITS] = sum_q;
  end

endmodule
