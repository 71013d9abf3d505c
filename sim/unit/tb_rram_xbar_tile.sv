// rram-gen unit testbench: rram_xbar_tile
//
// Runs on the synthesizable tile (templates/rtl/rram_xbar_tile.sv).
//
// Self-checking: several tile shapes with pseudo-random signed-digit masks
// (any mix of +1, -1 and both at one power, so every weight the masks can
// express) and random inputs, compared with sum[c] = sum_r w[r][c] * x[r],
// w[r][c] = sum_b 2^b (P_b[c][r] - N_b[c][r]), taken modulo 2^SUM_BITS (a
// SUM_BITS that is too small must wrap exactly like two's complement). Each
// vector is read with en_i high; then a different vector with en_i low must
// leave the registered sums unchanged.
// Prints "PASS tb_rram_xbar_tile" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_xbar_tile_case #(
  parameter int CASE_ID  = 0,
  parameter int ROWS     = 4,
  parameter int COLS     = 4,
  parameter int IN_BITS  = 1,
  parameter int W_BITS   = 2,
  parameter int SUM_BITS = 8,
  parameter int NVEC     = 50,
  parameter int SEED     = 1
) (
  output logic        done_o,
  output logic [31:0] errors_o
);
  localparam int NB = COLS * 2 * W_BITS * ROWS;

  function automatic logic [31:0] xs32(input logic [31:0] s);
    logic [31:0] t;
    t = s ^ (s << 13);
    t = t ^ (t >> 17);
    t = t ^ (t << 5);
    return t;
  endfunction

  function automatic logic [NB-1:0] rand_bits(input int seed);
    logic [31:0]   s;
    logic [NB-1:0] v;
    s = 32'h9e3779b9 ^ seed;
    // Every bit is assigned below (no '0 fill: Verilator flags > 8k-bit fills).
    // 16 bits per step keeps elaboration fast for 128x128 tiles.
    for (int i = 0; i < (NB + 15) / 16; i++) begin
      s = s ^ (s << 13);   // xorshift32, inlined (constant function)
      s = s ^ (s >> 17);
      s = s ^ (s << 5);
      for (int k = 0; k < 16; k++) begin
        if (i * 16 + k < NB) v[i * 16 + k] = s[k + 8];
      end
    end
    return v;
  endfunction

  localparam logic [NB-1:0] WTS = rand_bits(SEED);

  // The masks in the tile's compressed form: digit group g = (c*W_BITS + b)*2 + s
  // is mask bits [g*ROWS +: ROWS]; ROW_IDX lists their set rows group by group,
  // GROUP_PTR where each group starts.
  localparam int NGA = COLS * 2 * W_BITS;

  function automatic int count_cells(input logic [NB-1:0] w);
    int n;
    n = 0;
    for (int g = 0; g < NGA; g++) begin
      for (int r = 0; r < ROWS; r++) begin
        if (w[g * ROWS + r]) n = n + 1;
      end
    end
    return n;
  endfunction

  localparam int NZ       = count_cells(WTS);
  localparam int NZ1      = (NZ > 0) ? NZ : 1;
  localparam int IDX_BITS = (ROWS > 1) ? $clog2(ROWS) : 1;
  localparam int PTR_BITS = (NZ > 0) ? $clog2(NZ + 1) : 1;

  function automatic logic [NZ1*IDX_BITS-1:0] row_idx(input logic [NB-1:0] w);
    logic [NZ1*IDX_BITS-1:0] v;
    int k;
    k = 0;
    v[IDX_BITS-1:0] = '0;  // the one unused entry when NZ = 0
    for (int g = 0; g < NGA; g++) begin
      for (int r = 0; r < ROWS; r++) begin
        if (w[g * ROWS + r]) begin
          v[k * IDX_BITS +: IDX_BITS] = IDX_BITS'(r);
          k = k + 1;
        end
      end
    end
    return v;
  endfunction

  function automatic logic [(NGA+1)*PTR_BITS-1:0] group_ptr(input logic [NB-1:0] w);
    logic [(NGA+1)*PTR_BITS-1:0] v;
    int k;
    k = 0;
    for (int g = 0; g < NGA; g++) begin
      v[g * PTR_BITS +: PTR_BITS] = PTR_BITS'(k);
      for (int r = 0; r < ROWS; r++) begin
        if (w[g * ROWS + r]) k = k + 1;
      end
    end
    v[NGA * PTR_BITS +: PTR_BITS] = PTR_BITS'(k);
    return v;
  endfunction

  logic                     clk = 1'b0;
  logic                     en;
  logic [ROWS*IN_BITS-1:0]  x;
  logic [COLS*SUM_BITS-1:0] sum;

  rram_xbar_tile #(
    .ROWS(ROWS), .COLS(COLS), .IN_BITS(IN_BITS), .W_BITS(W_BITS),
    .SUM_BITS(SUM_BITS), .NZ(NZ), .IDX_BITS(IDX_BITS), .PTR_BITS(PTR_BITS),
    .ROW_IDX(row_idx(WTS)), .GROUP_PTR(group_ptr(WTS))
  ) u_dut (
    .clk_i (clk),
    .en_i  (en),
    .x_i   (x),
    .sum_o (sum)
  );

  // The same bit sequence as rand_bits(), generated at run time into an
  // unpacked array (selecting bits of a very wide localparam is slow in Icarus).
  logic wbit [0:NB-1];
  initial begin : p_unpack
    logic [31:0] s;
    s = 32'h9e3779b9 ^ SEED;
    for (int i = 0; i < (NB + 15) / 16; i++) begin
      s = xs32(s);
      for (int k = 0; k < 16; k++) begin
        if (i * 16 + k < NB) wbit[i * 16 + k] = s[k + 8];
      end
    end
  end

  int errors = 0;
  logic done = 1'b0;
  assign done_o   = done;
  assign errors_o = errors;

  initial begin : p_run
    logic [31:0]         s;
    longint              acc;
    longint              wv;
    longint              xv;
    logic [SUM_BITS-1:0] exp_v;
    logic [63:0]         acc_bits;
    logic [ROWS*IN_BITS-1:0] xn;
    logic [COLS*SUM_BITS-1:0] held;
    #1;
    s = 32'h51ed270b ^ (SEED * 31);
    for (int n = 0; n < NVEC; n++) begin
      // Vector 0: all ones; vector 1: all zeros; then random with varying density.
      for (int r = 0; r < ROWS * IN_BITS; r++) begin
        s = xs32(s);
        if (n == 0)      xn[r] = 1'b1;
        else if (n == 1) xn[r] = 1'b0;
        else             xn[r] = (s % 8) < (n % 8);
      end
      x  = xn;   // one update per vector
      en = 1'b1;
      #1 clk = 1'b1;
      #1 clk = 1'b0;
      en = 1'b0;
      for (int c = 0; c < COLS; c++) begin
        acc = 0;
        for (int r = 0; r < ROWS; r++) begin
          wv = 0;
          for (int b = 0; b < W_BITS; b++) begin
            if (wbit[(c * 2 * W_BITS + 2 * b) * ROWS + r])     wv = wv + (longint'(1) << b);
            if (wbit[(c * 2 * W_BITS + 2 * b + 1) * ROWS + r]) wv = wv - (longint'(1) << b);
          end
          xv = 0;
          for (int i = 0; i < IN_BITS; i++) begin
            if (x[r * IN_BITS + i]) xv = xv + (longint'(1) << i);
          end
          acc = acc + wv * xv;
        end
        acc_bits = acc;
        exp_v    = acc_bits[SUM_BITS-1:0];
        if (sum[c * SUM_BITS +: SUM_BITS] !== exp_v) begin
          errors = errors + 1;
          if (errors < 5) begin
            $display("FAIL case %0d: vector %0d column %0d got %0d expected %0d (exact %0d)",
                     CASE_ID, n, c, sum[c * SUM_BITS +: SUM_BITS], exp_v, acc);
          end
        end
      end
      // Without en_i the tile must hold its last read.
      held = sum;
      x    = ~xn;
      #1 clk = 1'b1;
      #1 clk = 1'b0;
      if (sum !== held) begin
        errors = errors + 1;
        $display("FAIL case %0d: vector %0d: sums changed without en_i", CASE_ID, n);
      end
    end
    $display("case %0d (ROWS=%0d COLS=%0d IN_BITS=%0d W_BITS=%0d SUM_BITS=%0d): %0d vectors, %0d errors",
             CASE_ID, ROWS, COLS, IN_BITS, W_BITS, SUM_BITS, NVEC, errors);
    done = 1'b1;
  end
endmodule

module tb_rram_xbar_tile;
  localparam int NC = 8;
  logic [NC-1:0]    done;
  logic [NC*32-1:0] errs;

  // id, ROWS, COLS, IN_BITS, W_BITS, SUM_BITS, NVEC, SEED
  tb_rram_xbar_tile_case #(0, 1, 1, 1, 1, 2, 8, 1)     u_c0 (done[0], errs[0*32 +: 32]);
  tb_rram_xbar_tile_case #(1, 25, 6, 1, 2, 7, 60, 2)   u_c1 (done[1], errs[1*32 +: 32]);
  tb_rram_xbar_tile_case #(2, 9, 5, 1, 2, 3, 40, 3)    u_c2 (done[2], errs[2*32 +: 32]);   // wraps
  tb_rram_xbar_tile_case #(3, 16, 10, 8, 2, 16, 40, 4) u_c3 (done[3], errs[3*32 +: 32]);
  tb_rram_xbar_tile_case #(4, 7, 4, 3, 4, 10, 60, 5)   u_c4 (done[4], errs[4*32 +: 32]);
  tb_rram_xbar_tile_case #(5, 33, 3, 1, 8, 16, 40, 6)  u_c5 (done[5], errs[5*32 +: 32]);
  tb_rram_xbar_tile_case #(6, 128, 6, 1, 2, 10, 12, 7)   u_c6 (done[6], errs[6*32 +: 32]);
  tb_rram_xbar_tile_case #(7, 20, 7, 2, 1, 6, 40, 8)   u_c7 (done[7], errs[7*32 +: 32]);

  int total;
  initial begin : p_main
    wait (&done);
    #1;
    total = 0;
    for (int i = 0; i < NC; i++) total = total + errs[i*32 +: 32];
    if (total == 0) begin
      $display("PASS tb_rram_xbar_tile (%0d cases)", NC);
      $finish;
    end else begin
      $display("FAIL tb_rram_xbar_tile: %0d errors", total);
      $fatal(1, "tb_rram_xbar_tile failed");
    end
  end
endmodule
