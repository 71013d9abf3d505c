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

  // Bias plus the column's partial sums, sign-extended. A function, not an
  // always_comb accumulator: Icarus 11 re-triggers such a block on its own
  // writes. Its argument is the column's own N partial sums, gathered by
  // constant part-selects: passing all of sums_i would make Verilator copy
  // the whole vector for every column on every evaluation.
  function automatic logic [ACC_BITS-1:0] column_sum(input logic [N*SUM_BITS-1:0] parts, input logic [ACC_BITS-1:0] bias);
    logic [ACC_BITS-1:0] a;
    a = bias;
    for (int t = 0; t < N; t++) a = a + ACC_BITS'($signed(parts[t * SUM_BITS +: SUM_BITS]));
    column_sum = a;
  endfunction

  for (genvar c = 0; c < COLS; c++) begin : g_col
    logic [N*SUM_BITS-1:0] parts;
    for (genvar t = 0; t < N; t++) begin : g_tile
      assign parts[t * SUM_BITS +: SUM_BITS] = sums_i[(t * COLS + c) * SUM_BITS +: SUM_BITS];
    end
    assign acc_o[c * ACC_BITS +: ACC_BITS] = column_sum(parts, BIAS[c * ACC_BITS +: ACC_BITS]);
  end

endmodule
