// rram-gen hand-written RTL library: rram_xbar_tile
//
// One RRAM crossbar tile, modelled digitally: the column sums the analog array
// would produce. Purely combinational, so an ASIC flow can replace this module
// by an analog macro with the same ports.
//
// Parameters
//   ROWS      used wordlines (>= 1)
//   COLS      used bitlines (>= 1)
//   IN_BITS   unsigned input width per row (>= 1); 1 for the 1-bit design
//   W_BITS    two's complement weight width (>= 1)
//   SUM_BITS  two's complement column sum width (>= 1). The result is the exact
//             sum modulo 2^SUM_BITS, so choose SUM_BITS large enough for the
//             column's range (e.g. W_BITS + IN_BITS + $clog2(ROWS) always is).
//   WEIGHTS   [ROWS*COLS*W_BITS-1:0], weight (r, c) at [(r*COLS + c)*W_BITS +: W_BITS]
//
// Ports
//   x_i    [ROWS*IN_BITS-1:0]   row r at [r*IN_BITS +: IN_BITS], unsigned
//   sum_o  [COLS*SUM_BITS-1:0]  column c at [c*SUM_BITS +: SUM_BITS], signed:
//                               sum[c] = sum over r of w[r][c] * x[r]
//
// Timing: combinational, no clock.
//
// Implementation: bit-sliced and differential like the array itself (one cell
// of a pair per sign), no multipliers. With x[r] = sum_i 2^i x_i[r] and
// w = sum_b 2^b s_b (signed digits s_b in {-1, 0, 1}, see col_masks),
//   sum[c] = sum_i sum_b 2^(i+b) * (popcount(x_i & P_b[c]) - popcount(x_i & N_b[c]))
// where P_b[c] / N_b[c] are the constant masks of the rows whose digit b is
// +1 / -1 in column c. For 1-bit inputs and ternary
// weights that is popcount(x & pos) - popcount(x & neg): one 1-bit addend per
// non-zero weight, i.e. a conditional add of the constant weight per row.
// All arithmetic is modulo 2^SUM_BITS. The masks are elaboration-time
// constants (a constant function over WEIGHTS), so each popcount sees only
// the rows with a non-zero cell. Verilator counts with $countones; every
// other tool (Yosys, Icarus) sees the same sum sign-folded into one flat sum
// of single bits per column, which synthesis maps to one carry-save tree
// (both forms are checked by the unit test).
module rram_xbar_tile #(
  parameter int                          ROWS     = 4,
  parameter int                          COLS     = 4,
  parameter int                          IN_BITS  = 1,
  parameter int                          W_BITS   = 2,
  parameter int                          SUM_BITS = 8,
  parameter logic [ROWS*COLS*W_BITS-1:0] WEIGHTS  = '0
) (
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

  // Constant masks of column c (evaluated at elaboration only), from each
  // weight's canonical signed-digit (CSD) form: |w| = sum_b d_b 2^b with
  // d_b in {-1, 0, 1} and no two adjacent non-zero digits (7 = 8 - 1), the
  // fewest non-zero digits there are — about 8 % fewer addends than plain
  // binary for uniform 4-bit weights, 15 % for trained 8-bit ones. Bit
  // (2*b + 0)*ROWS + r is set when row r's signed digit sign(w)*d_b is +1,
  // bit (2*b + 1)*ROWS + r when it is -1. |w| <= 2^(W_BITS-1) needs at most
  // W_BITS digits. The weights are passed as an argument (not read from the
  // parameter inside the function): that keeps Verilator's and Yosys's
  // constant evaluation fast.
  function automatic logic [2*W_BITS*ROWS-1:0] col_masks(input logic [ROWS*COLS*W_BITS-1:0] wts, input int c);
    logic [W_BITS-1:0]        w;
    logic [W_BITS:0]          mag;
    logic                     neg;
    logic                     minus;
    logic [2*W_BITS*ROWS-1:0] m;
    /* verilator lint_off WIDTHCONCAT */  // zero fill of any width, even > 8192 bits
    m = '0;
    /* verilator lint_on WIDTHCONCAT */
    for (int r = 0; r < ROWS; r++) begin
      w   = wts[(r * COLS + c) * W_BITS +: W_BITS];
      neg = w[W_BITS - 1];
      mag = {1'b0, neg ? (~w + 1'b1) : w};
      for (int b = 0; b < W_BITS; b++) begin
        if (mag[0]) begin
          // Odd: digit +1 when mag = 1 (mod 4), else -1 (mag + 1 is then a multiple of 4).
          minus = mag[1];
          mag   = minus ? mag + 1'b1 : mag - 1'b1;
          m[(2 * b + ((minus != neg) ? 1 : 0)) * ROWS + r] = 1'b1;
        end
        mag = mag >> 1;
      end
    end
    col_masks = m;
  endfunction

  // Sum of the W_BITS*IN_BITS weighted terms of one column. A function, not an
  // always_comb accumulator: Icarus 11 re-triggers such a block on its own writes.
  function automatic logic [SUM_BITS-1:0] sum_terms(input logic [W_BITS*IN_BITS*SUM_BITS-1:0] t);
    logic [SUM_BITS-1:0] acc;
    acc = '0;
    for (int k = 0; k < W_BITS * IN_BITS; k++) acc = acc + t[k * SUM_BITS +: SUM_BITS];
    sum_terms = acc;
  endfunction

  // Transpose rows x input bits into input-bit planes (a function: Icarus-safe).
  function automatic logic [IN_BITS*ROWS-1:0] bit_planes(input logic [ROWS*IN_BITS-1:0] x);
    logic [IN_BITS*ROWS-1:0] p;
    for (int i = 0; i < IN_BITS; i++) begin
      for (int r = 0; r < ROWS; r++) begin
        p[i * ROWS + r] = x[r * IN_BITS + i];
      end
    end
    bit_planes = p;
  endfunction

  // Input bit planes: plane i holds bit i of every row, row r at bit r. One
  // process (not an assign per bit: in an event-driven simulator every bit
  // event would re-run every popcount of the tile).
  logic [IN_BITS*ROWS-1:0] xpl;
  if (IN_BITS == 1) begin : g_plane1
    assign xpl = x_i;
  end else begin : g_planes
    assign xpl = bit_planes(x_i);
  end

`ifdef VERILATOR
  // Simulation (Verilator): per term a word-wide popcount, fast C++, computed
  // only when the input has changed. Verilator runs every combinational
  // process on every clock, changed inputs or not, and most tiles see a new
  // input on few clocks (a dense layer's input changes a few times per image):
  // re-counting all of them every clock made LeNet-sized nets simulate about
  // 5x slower. So the tile numbers its distinct inputs (version) and each
  // column re-counts only when the number moves. The state lives in latches
  // that only hold the last result: the sums stay a function of x_i. Built
  // with -fno-dfg (src/sim/verilator-build.ts): the DFG optimizer would hoist
  // the counts out of the latches' conditions.
  /* verilator lint_off UNOPTFLAT */  // the latches read their own state
  logic [IN_BITS*ROWS-1:0] x_seen;
  logic                    primed  = 1'b0;
  int unsigned             version = 0;
  /* verilator lint_on UNOPTFLAT */
  always_latch begin
    if (!primed || xpl != x_seen) begin
      primed  = 1'b1;
      x_seen  = xpl;
      version = version + 1;
    end
  end

  for (genvar c = 0; c < COLS; c++) begin : g_col
    localparam logic [2*W_BITS*ROWS-1:0] MASKS = col_masks(WEIGHTS, c);

    // One term per (weight magnitude bit b, input bit i), weighted 2^(b+i).
    function automatic logic [SUM_BITS-1:0] column_sum(input logic [IN_BITS*ROWS-1:0] x);
      logic [SUM_BITS-1:0] acc;
      acc = '0;
      for (int b = 0; b < W_BITS; b++) begin
        for (int i = 0; i < IN_BITS; i++) begin
          acc = acc + ((SUM_BITS'($countones(x[i * ROWS +: ROWS] & MASKS[(2 * b) * ROWS +: ROWS]))
                      - SUM_BITS'($countones(x[i * ROWS +: ROWS] & MASKS[(2 * b + 1) * ROWS +: ROWS]))) << (b + i));
        end
      end
      column_sum = acc;
    endfunction

    /* verilator lint_off UNOPTFLAT */  // the latch reads its own state
    int unsigned         seen = 0;
    /* verilator lint_on UNOPTFLAT */
    logic [SUM_BITS-1:0] col_sum;
    always_latch begin
      if (seen != version) begin
        seen    = version;
        col_sum = column_sum(xpl);
      end
    end
    assign sum_o[c * SUM_BITS +: SUM_BITS] = col_sum;
  end
`else
  // Synthesis (and Icarus): the column as ONE sum of single bits, sign-folded
  // so that every addend is positive. A negative cell contributes
  //   -x * 2^k = (~x) * 2^k - 2^k,
  // so the column is sum over its cells of (x ^ neg) * 2^k plus the constant
  // -(sum of 2^k over its negative cells). One flat sum lets Yosys (alumacc,
  // maccmap) build a single carry-save tree per column over about 1.6 bits
  // per 4-bit weight, instead of two popcounts per bit plane and a subtractor
  // tree: fewer LUTs and a faster run (docs/rtl.md, "Synthesis").
  function automatic logic [SUM_BITS-1:0] folded_sum(input logic [IN_BITS*ROWS-1:0] xp, input logic [2*W_BITS*ROWS-1:0] m);
    logic [SUM_BITS-1:0] acc;
    acc = '0;
    for (int i = 0; i < IN_BITS; i++) begin
      for (int b = 0; b < W_BITS; b++) begin
        for (int r = 0; r < ROWS; r++) begin
          if (m[(2 * b) * ROWS + r]) acc = acc + (SUM_BITS'(xp[i * ROWS + r]) << (i + b));
          // The braces make the inversion 1 bit wide before the cast widens it.
          if (m[(2 * b + 1) * ROWS + r]) acc = acc + (SUM_BITS'({~xp[i * ROWS + r]}) << (i + b));
        end
      end
    end
    folded_sum = acc;
  endfunction

  // The constant of the sign folding: minus the sum of 2^(i+b) over the negative cells.
  function automatic logic [SUM_BITS-1:0] folded_offset(input logic [2*W_BITS*ROWS-1:0] m);
    logic [SUM_BITS-1:0] k;
    k = '0;
    for (int i = 0; i < IN_BITS; i++) begin
      for (int b = 0; b < W_BITS; b++) begin
        for (int r = 0; r < ROWS; r++) begin
          if (m[(2 * b + 1) * ROWS + r]) k = k - (SUM_BITS'(1) << (i + b));
        end
      end
    end
    folded_offset = k;
  endfunction

  for (genvar c = 0; c < COLS; c++) begin : g_col
    localparam logic [2*W_BITS*ROWS-1:0] MASKS  = col_masks(WEIGHTS, c);
    localparam logic [SUM_BITS-1:0]      OFFSET = folded_offset(MASKS);
    assign sum_o[c * SUM_BITS +: SUM_BITS] = folded_sum(xpl, MASKS) + OFFSET;
  end
`endif

endmodule
