// rram-gen hand-written RTL library: rram_popcount
//
// Number of set bits of x_i, as a balanced tree of adders (by recursion): the synthesizable
// count behind each crossbar column (rram_xbar_tile). Written as an explicit
// tree, not `$countones`, because Yosys expands `$countones` into a chain of
// 32-bit adders whose optimization dominates synthesis time.
//
// Parameters
//   N  input bits (>= 1)
//   W  count width (>= 1); the count is exact when W >= $clog2(N + 1),
//      otherwise it is taken modulo 2^W
//
// Ports
//   x_i      [N-1:0]
//   count_o  [W-1:0]  number of ones in x_i
//
// Timing: combinational, no clock.
module rram_popcount #(
  parameter int N = 4,
  parameter int W = 3
) (
  input  logic [N-1:0] x_i,
  output logic [W-1:0] count_o
);

`ifndef SYNTHESIS
  initial begin : p_param_check
    if (N < 1 || W < 1) begin
      $fatal(1, "rram_popcount: N and W must be >= 1");
    end
  end
`endif

  if (N == 1) begin : g_single
    assign count_o = W'(x_i);
  end else begin : g_split
    // Count each half at its own exact width (no wider than W: the count is
    // modulo 2^W anyway), then add: a balanced tree of ceil(log2 N) levels
    // whose adders are no wider than their counts.
    localparam int H  = N / 2;
    localparam int WL = ($clog2(H + 1) < W) ? $clog2(H + 1) : W;
    localparam int WH = ($clog2(N - H + 1) < W) ? $clog2(N - H + 1) : W;
    logic [WL-1:0] count_lo;
    logic [WH-1:0] count_hi;
    rram_popcount #(
      .N(H),
      .W(WL)
    ) u_lo (
      .x_i    (x_i[H-1:0]),
      .count_o(count_lo)
    );
    rram_popcount #(
      .N(N - H),
      .W(WH)
    ) u_hi (
      .x_i    (x_i[N-1:H]),
      .count_o(count_hi)
    );
    assign count_o = W'(count_lo) + W'(count_hi);
  end

endmodule
