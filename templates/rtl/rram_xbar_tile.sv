// rram-gen hand-written RTL library: rram_xbar_tile
//
// One RRAM crossbar tile, modelled digitally: the column sums the analog array
// would produce, read once per beat and held in a register (the registered
// read: in silicon the sampled bitline / the sense amplifier's latch). It is
// its own module so an ASIC flow can replace it by an analog macro with the
// same ports and timing.
//
// Parameters
//   ROWS       used wordlines (>= 1)
//   COLS       used bitlines (>= 1)
//   IN_BITS    unsigned input width per row (>= 1); 1 for the 1-bit design
//   W_BITS     weight width (>= 1): weights are in +-(2^(W_BITS-1)) at most
//   SUM_BITS   two's complement column sum width (>= 1). The result is the
//              exact sum modulo 2^SUM_BITS, so choose SUM_BITS large enough
//              for the column's range (W_BITS + IN_BITS + $clog2(ROWS) always is).
//   NZ         number of non-zero signed digits of all weights (>= 0)
//   IDX_BITS   width of a row index (>= $clog2(ROWS), >= 1)
//   PTR_BITS   width of a cell index (>= $clog2(NZ + 1), >= 1)
//   ROW_IDX    [max(NZ,1)*IDX_BITS-1:0], the rows of the non-zero digits,
//              grouped by digit group: entry k at [k*IDX_BITS +: IDX_BITS]
//   GROUP_PTR  [(COLS*2*W_BITS+1)*PTR_BITS-1:0], where each digit group starts
//              in ROW_IDX: group g = (c*W_BITS + b)*2 + s holds the rows whose
//              weight in column c has digit +1 (s = 0) or -1 (s = 1) at power
//              2^b; its entries are GROUP_PTR[g] .. GROUP_PTR[g+1]-1, and
//              GROUP_PTR[COLS*2*W_BITS] = NZ. So
//              w[r][c] = sum over b of 2^b * (P_b[c][r] - N_b[c][r]).
//              (The compressed sparse column form of the digit masks: the
//              hardware is one adder input per listed cell, and elaboration
//              time is linear in NZ, not in ROWS x COLS x W_BITS.)
//
// Ports
//   clk_i  clock (no reset: the sums are data, the stage keeps the valid bit)
//   en_i   read enable: the tile reads x_i at a rising edge where en_i is high
//   x_i    [ROWS*IN_BITS-1:0]   row r at [r*IN_BITS +: IN_BITS], unsigned
//   sum_o  [COLS*SUM_BITS-1:0]  column c at [c*SUM_BITS +: SUM_BITS], signed,
//                               registered: sum[c] = sum over r of w[r][c] * x[r]
//                               of the last read, held until the next one
//
// Timing: one cycle from x_i (sampled when en_i) to sum_o.
//
// Implementation: bit-sliced and differential like the array itself (one cell
// of a pair per sign), no multipliers. With x[r] = sum_i 2^i x_i[r],
//   sum[c] = sum_i sum_b 2^(i+b) * (count_i(P_b[c]) - count_i(N_b[c])),
// where count_i(S) is the number of rows of S whose input bit i is set: a sum
// over exactly the listed rows of each group (Yosys's alumacc/maccmap turns
// each into an adder tree). A loop, not a generate block per cell, so every
// tool elaborates a tile in time linear in NZ.
//
// Simulation: tb.f replaces each column group (its tiles, merge and sensing)
// by a behavioural model (sim-models/<net>_<layer>_macro_c<j>.sv) that does
// a read's work once per read; test/rtl/sim-models.test.ts runs the emitted
// testbench on both forms.
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

`ifndef SYNTHESIS
  initial begin : p_param_check
    if (ROWS < 1 || COLS < 1 || IN_BITS < 1 || W_BITS < 1 || SUM_BITS < 1 || NZ < 0) begin
      $fatal(1, "rram_xbar_tile: ROWS, COLS, IN_BITS, W_BITS, SUM_BITS must be >= 1, NZ >= 0");
    end
  end
`endif

  localparam int NG = 2 * W_BITS;            // digit groups per column
  localparam int CW = $clog2(ROWS + 1);      // a group's count

  // Rows with no non-zero digit feed no adder; that is the weights' doing.
  logic unused_rows;
  assign unused_rows = ^x_i;

  for (genvar c = 0; c < COLS; c++) begin : g_col
    // Count of group j, input bit i at [(j*IN_BITS + i)*CW +: CW].
    logic [NG*IN_BITS*CW-1:0] counts;
    for (genvar j = 0; j < NG; j++) begin : g_group
      localparam int FIRST = 32'(GROUP_PTR[(c * NG + j) * PTR_BITS +: PTR_BITS]);
      localparam int K     = 32'(GROUP_PTR[(c * NG + j + 1) * PTR_BITS +: PTR_BITS]) - FIRST;
      // The group's own rows: indexing this small slice, not all of ROW_IDX,
      // keeps elaboration linear in NZ (tools copy a constant per select).
      localparam int KS    = (K > 0) ? K : 1;
      localparam logic [KS*IDX_BITS-1:0] LISTED = ROW_IDX[((K > 0) ? FIRST : 0) * IDX_BITS +: KS * IDX_BITS];
      for (genvar i = 0; i < IN_BITS; i++) begin : g_plane
        // The number of listed rows whose input bit i is set.
        logic [CW-1:0] count;
        always_comb begin
          count = '0;
          for (int k = 0; k < K; k++) begin
            count = count + CW'(x_i[LISTED[k * IDX_BITS +: IDX_BITS] * IN_BITS + i]);
          end
        end
        assign counts[(j * IN_BITS + i) * CW +: CW] = count;
      end
    end

    // One term per (digit power b, input bit i), weighted 2^(b+i).
    logic [SUM_BITS-1:0] sum_q;
    always_ff @(posedge clk_i) begin
      if (en_i) begin
        sum_q <= weighted_sum(counts);
      end
    end
    assign sum_o[c * SUM_BITS +: SUM_BITS] = sum_q;
  end

  function automatic logic [SUM_BITS-1:0] weighted_sum(input logic [NG*IN_BITS*CW-1:0] counts);
    logic [SUM_BITS-1:0] acc;
    acc = '0;
    for (int b = 0; b < W_BITS; b++) begin
      for (int i = 0; i < IN_BITS; i++) begin
        acc = acc + ((SUM_BITS'(counts[((2 * b) * IN_BITS + i) * CW +: CW])
                    - SUM_BITS'(counts[((2 * b + 1) * IN_BITS + i) * CW +: CW])) << (b + i));
      end
    end
    weighted_sum = acc;
  endfunction

endmodule
