// rram-gen hand-written RTL library: rram_merge
//
// Adds the partial column sums of N row tiles that share the same columns, plus
// a per-column bias (in silicon the bitline currents merge before sensing).
//
// Parameters
//   N         number of row tiles (>= 1)
//   COLS      columns (>= 1)
//   SUM_BITS  signed width of one tile's column sum (>= 1)
//   ACC_BITS  signed width of the merged accumulator (>= 1). The result is the
//             exact sum modulo 2^ACC_BITS: choose it large enough.
//   BIAS      [COLS*ACC_BITS-1:0], signed bias of column c at [c*ACC_BITS +: ACC_BITS]
//
// Ports
//   sums_i  [N*COLS*SUM_BITS-1:0]  tile t column c at [(t*COLS + c)*SUM_BITS +: SUM_BITS]
//   acc_o   [COLS*ACC_BITS-1:0]    column c at [c*ACC_BITS +: ACC_BITS]:
//                                  acc[c] = bias[c] + sum over t of sums[t][c]
//                                  (each partial sum sign-extended)
//
// Timing: combinational, no clock.
module rram_merge #(
  parameter int                     N        = 2,
  parameter int                     COLS     = 4,
  parameter int                     SUM_BITS = 8,
  parameter int                     ACC_BITS = 10,
  parameter logic [COLS*ACC_BITS-1:0] BIAS   = '0
) (
  input  logic [N*COLS*SUM_BITS-1:0] sums_i,
  output logic [COLS*ACC_BITS-1:0]   acc_o
);

`ifndef SYNTHESIS
  initial begin : p_param_check
    if (N < 1 || COLS < 1 || SUM_BITS < 1 || ACC_BITS < 1) begin
      $fatal(1, "rram_merge: N, COLS, SUM_BITS, ACC_BITS must be >= 1");
    end
  end
`endif

  // Bias plus the column's partial sums, sign-extended (inputs passed as
  // arguments so every simulator sees the dependency). A function, not an
  // always_comb accumulator: Icarus 11 re-triggers such a block on its own writes.
  function automatic logic [ACC_BITS-1:0] column_sum(input logic [N*COLS*SUM_BITS-1:0] sums, input int c);
    logic [ACC_BITS-1:0] a;
    a = BIAS[c * ACC_BITS +: ACC_BITS];
    for (int t = 0; t < N; t++) a = a + ACC_BITS'($signed(sums[(t * COLS + c) * SUM_BITS +: SUM_BITS]));
    column_sum = a;
  endfunction

  for (genvar c = 0; c < COLS; c++) begin : g_col
    assign acc_o[c * ACC_BITS +: ACC_BITS] = column_sum(sums_i, c);
  end

endmodule
