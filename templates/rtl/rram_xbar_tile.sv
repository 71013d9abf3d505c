// rram-gen hand-written RTL library: rram_xbar_tile
//
// One RRAM crossbar tile, modelled digitally: the column sums the analog array
// would produce, read once per beat and held in a register (the registered
// read: in silicon the sampled bitline / the sense amplifier's latch). It is
// its own module so an ASIC flow can replace it by an analog macro with the
// same ports and timing.
//
// Parameters
//   ROWS      used wordlines (>= 1)
//   COLS      used bitlines (>= 1)
//   IN_BITS   unsigned input width per row (>= 1); 1 for the 1-bit design
//   W_BITS    weight width (>= 1): weights are in +-(2^(W_BITS-1)) at most
//   SUM_BITS  two's complement column sum width (>= 1). The result is the exact
//             sum modulo 2^SUM_BITS, so choose SUM_BITS large enough for the
//             column's range (e.g. W_BITS + IN_BITS + $clog2(ROWS) always is).
//   MASKS     [COLS*2*W_BITS*ROWS-1:0], the weights as signed-digit masks:
//             bit ((c*2*W_BITS + 2*b + s)*ROWS + r) is set when weight (r, c)
//             has digit (+1 if s = 0, -1 if s = 1) at power 2^b, i.e.
//             w[r][c] = sum over b of 2^b * (P_b[c][r] - N_b[c][r]).
//             The generator writes it as one ROWS-bit literal per (column,
//             digit), so no literal is wider than ROWS bits, and picks the
//             canonical signed digits (fewest non-zero digits: 7 = 8 - 1).
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
//   sum[c] = sum_i sum_b 2^(i+b) * (popcount(x_i & P_b[c]) - popcount(x_i & N_b[c])).
// The popcounts are computed inside the clocked process under the read enable,
// so a simulator evaluates a tile once per read, not once per clock; synthesis
// builds one popcount (adder tree) per (column, digit, input bit).
module rram_xbar_tile #(
  parameter int                                 ROWS     = 4,
  parameter int                                 COLS     = 4,
  parameter int                                 IN_BITS  = 1,
  parameter int                                 W_BITS   = 2,
  parameter int                                 SUM_BITS = 8,
  parameter logic [COLS*2*W_BITS*ROWS-1:0]      MASKS    = '0
) (
  input  logic                     clk_i,
  input  logic                     en_i,
  input  logic [ROWS*IN_BITS-1:0]  x_i,
  output logic [COLS*SUM_BITS-1:0] sum_o
);

`ifndef SYNTHESIS
  initial begin : p_param_check
    if (ROWS < 1 || COLS < 1 || IN_BITS < 1 || W_BITS < 1 || SUM_BITS < 1) begin
      $fatal(1, "rram_xbar_tile: ROWS, COLS, IN_BITS, W_BITS, SUM_BITS must be >= 1");
    end
  end
`endif

  localparam int MW = 2 * W_BITS * ROWS;  // mask bits per column

  // Transpose rows x input bits into input-bit planes (plane i: bit i of every
  // row, row r at bit r). A function: Icarus-safe, one process.
  function automatic logic [IN_BITS*ROWS-1:0] bit_planes(input logic [ROWS*IN_BITS-1:0] x);
    logic [IN_BITS*ROWS-1:0] p;
    for (int i = 0; i < IN_BITS; i++) begin
      for (int r = 0; r < ROWS; r++) begin
        p[i * ROWS + r] = x[r * IN_BITS + i];
      end
    end
    bit_planes = p;
  endfunction

  logic [IN_BITS*ROWS-1:0] xpl;
  if (IN_BITS == 1) begin : g_plane1
    assign xpl = x_i;
  end else begin : g_planes
    assign xpl = bit_planes(x_i);
  end

  for (genvar c = 0; c < COLS; c++) begin : g_col
    localparam logic [MW-1:0] M = MASKS[c * MW +: MW];

    // One term per (digit power b, input bit i), weighted 2^(b+i).
    function automatic logic [SUM_BITS-1:0] column_sum(input logic [IN_BITS*ROWS-1:0] x);
      logic [SUM_BITS-1:0] acc;
      acc = '0;
      for (int b = 0; b < W_BITS; b++) begin
        for (int i = 0; i < IN_BITS; i++) begin
          acc = acc + ((SUM_BITS'($countones(x[i * ROWS +: ROWS] & M[(2 * b) * ROWS +: ROWS]))
                      - SUM_BITS'($countones(x[i * ROWS +: ROWS] & M[(2 * b + 1) * ROWS +: ROWS]))) << (b + i));
        end
      end
      column_sum = acc;
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
