// rram-gen unit testbench: rram_window_gen
//
// Self-checking. Each case streams NIMG random images back to back through one
// rram_window_gen instance, with random input bubbles (IN_GAP % of cycles
// without valid) and random back-pressure (OUT_GAP % of cycles without ready),
// and compares every window with a behavioural model. It also checks that the
// output holds stable while stalled and that nothing extra comes out.
// Cases with IN_GAP == OUT_GAP == 0 report the steady-state cycles per image.
//
// Runs under Icarus Verilog 11 (iverilog -g2012) and Verilator 5 (--binary --timing).
// Prints "PASS tb_rram_window_gen" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_window_gen_case #(
  parameter int CASE_ID = 0,
  parameter int CH      = 1,
  parameter int BITS    = 1,
  parameter int H       = 4,
  parameter int W       = 4,
  parameter int K       = 3,
  parameter int STRIDE  = 1,
  parameter int PAD     = 0,
  parameter int NIMG    = 3,
  parameter int IN_GAP  = 0,
  parameter int OUT_GAP = 0,
  parameter int SEED    = 1,
  // Per-axis geometry (rram_window_gen's own defaults: the square K, STRIDE, PAD).
  parameter int KH      = K,
  parameter int KW      = K,
  parameter int SH      = STRIDE,
  parameter int SW      = STRIDE,
  parameter int PT      = PAD,
  parameter int PL      = PAD,
  parameter int PB      = PAD,
  parameter int PR      = PAD,
  parameter int DH      = 1,
  parameter int DW      = 1
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  output logic        done_o,
  output logic [31:0] errors_o
);
  localparam int PX    = CH * BITS;
  localparam int WINB  = KH * KW * PX;
  localparam int HO    = (H + PT + PB - DH * (KH - 1) - 1) / SH + 1;
  localparam int WO    = (W + PL + PR - DW * (KW - 1) - 1) / SW + 1;
  localparam int NIN   = NIMG * H * W;
  localparam int NOUT  = NIMG * HO * WO;
  localparam int LIMIT = 40 * (NIN + NOUT) + 1000;   // cycle budget

  logic [PX-1:0] mem [0:NIN-1];

  logic            in_valid, in_ready;
  logic [PX-1:0]   in_data;
  logic            out_valid, out_ready;
  logic [WINB-1:0] out_data;

  rram_window_gen #(
    .CH(CH), .BITS(BITS), .H(H), .W(W), .K(K), .STRIDE(STRIDE), .PAD(PAD),
    .KH(KH), .KW(KW), .SH(SH), .SW(SW), .PT(PT), .PL(PL), .PB(PB), .PR(PR), .DH(DH), .DW(DW)
  ) u_dut (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .in_valid_i  (in_valid),
    .in_ready_o  (in_ready),
    .in_data_i   (in_data),
    .out_valid_o (out_valid),
    .out_ready_i (out_ready),
    .out_data_o  (out_data)
  );

  // Deterministic xorshift32 generators (same sequence in every simulator).
  function automatic logic [31:0] xs32(input logic [31:0] s);
    logic [31:0] t;
    t = s ^ (s << 13);
    t = t ^ (t >> 17);
    t = t ^ (t << 5);
    return t;
  endfunction

  initial begin : p_fill
    logic [31:0] r;
    r = 32'h9e3779b9 ^ SEED;
    for (int i = 0; i < NIN; i++) begin
      r = xs32(r);
      mem[i] = r[PX-1:0];
      if (PX > 32) begin
        for (int b = 32; b < PX; b++) begin
          r = xs32(r);
          mem[i][b] = r[0];
        end
      end
    end
  end

  // Expected window number n (images back to back).
  function automatic logic [WINB-1:0] expected(input int n);
    logic [WINB-1:0] v;
    int img, pos, oy, ox, y, x, idx;
    img = n / (HO * WO);
    pos = n % (HO * WO);
    oy  = pos / WO;
    ox  = pos % WO;
    v   = '0;
    for (int c = 0; c < CH; c++) begin
      for (int ky = 0; ky < KH; ky++) begin
        for (int kx = 0; kx < KW; kx++) begin
          y   = oy * SH + ky * DH - PT;
          x   = ox * SW + kx * DW - PL;
          idx = (c * KH + ky) * KW + kx;
          if (y >= 0 && y < H && x >= 0 && x < W) begin
            for (int b = 0; b < BITS; b++) begin
              v[idx * BITS + b] = mem[(img * H + y) * W + x][c * BITS + b];
            end
          end
        end
      end
    end
    return v;
  endfunction

  // ---------------------------------------------------------------------------
  // Source: random bubbles, data held while stalled.
  // ---------------------------------------------------------------------------
  int          in_ptr;
  logic [31:0] rng_in;

  always @(posedge clk_i) begin : p_src
    int p;
    if (!rst_ni) begin
      in_valid <= 1'b0;
      in_data  <= '0;
      in_ptr   <= 0;
      rng_in   <= 32'h1234567 ^ (SEED * 7919);
    end else begin
      p = in_ptr;
      if (in_valid && in_ready) p = p + 1;
      in_ptr <= p;
      if (!(in_valid && !in_ready)) begin
        rng_in <= xs32(rng_in);
        if (p < NIN && int'(rng_in % 100) >= IN_GAP) begin
          in_valid <= 1'b1;
          in_data  <= mem[p];
        end else begin
          in_valid <= 1'b0;
        end
      end
    end
  end

  // ---------------------------------------------------------------------------
  // Sink: random back-pressure, checks.
  // ---------------------------------------------------------------------------
  int              out_ptr;
  int              cycle;
  int              errors;
  logic [31:0]     rng_out;
  logic            prev_stall;
  logic [WINB-1:0] prev_data;
  int              t_first [0:NIMG-1];
  int              t_in0;
  int              extra;
  logic            finished;

  always @(posedge clk_i) begin : p_sink
    logic [WINB-1:0] e;
    if (!rst_ni) begin
      out_ready  <= 1'b0;
      out_ptr    <= 0;
      cycle      <= 0;
      errors     <= 0;
      rng_out    <= 32'h7654321 ^ (SEED * 104729);
      prev_stall <= 1'b0;
      prev_data  <= '0;
      t_in0      <= -1;
      extra      <= 0;
    end else begin
      cycle <= cycle + 1;
      if (in_valid && in_ready && in_ptr == 0) t_in0 <= cycle;
      // Output must hold while stalled.
      if (prev_stall && (!out_valid || out_data !== prev_data)) begin
        errors <= errors + 1;
        $display("FAIL case %0d: output changed while stalled at cycle %0d", CASE_ID, cycle);
      end
      prev_stall <= out_valid && !out_ready;
      prev_data  <= out_data;
      if (out_valid && out_ready) begin
        if (out_ptr >= NOUT) begin
          errors <= errors + 1;
          $display("FAIL case %0d: extra window after %0d", CASE_ID, NOUT);
        end else begin
          e = expected(out_ptr);
          if (out_data !== e) begin
            errors <= errors + 1;
            if (errors < 5) begin
              $display("FAIL case %0d: window %0d (img %0d oy %0d ox %0d) got %h expected %h",
                       CASE_ID, out_ptr, out_ptr / (HO * WO), (out_ptr % (HO * WO)) / WO,
                       out_ptr % WO, out_data, e);
            end
          end
          if (out_ptr % (HO * WO) == 0) t_first[out_ptr / (HO * WO)] <= cycle;
        end
        out_ptr <= out_ptr + 1;
      end
      rng_out   <= xs32(rng_out);
      out_ready <= int'(rng_out % 100) >= OUT_GAP;
      if (out_ptr >= NOUT && in_ptr >= NIN) extra <= extra + 1;
      if (cycle == LIMIT && !finished) begin
        errors <= errors + 1;
        $display("FAIL case %0d: timeout, %0d/%0d pixels in, %0d/%0d windows out",
                 CASE_ID, in_ptr, NIN, out_ptr, NOUT);
      end
    end
  end

  assign finished = out_ptr >= NOUT && in_ptr >= NIN && extra >= 20;
  assign done_o   = finished || cycle >= LIMIT;
  assign errors_o = errors;

  // Report once done.
  logic reported = 1'b0;
  always @(posedge clk_i) begin : p_report
    if (done_o && !reported) begin
      reported <= 1'b1;
      if (IN_GAP == 0 && OUT_GAP == 0 && NIMG >= 3) begin
        $display("PERF case %0d CH=%0d BITS=%0d H=%0d W=%0d K=%0dx%0d S=%0dx%0d P=%0d,%0d,%0d,%0d D=%0dx%0d: cycles/image=%0d (steady state), max(H*W,HO*WO)=%0d, first window after %0d cycles",
                 CASE_ID, CH, BITS, H, W, KH, KW, SH, SW, PT, PL, PB, PR, DH, DW,
                 (t_first[NIMG-1] - t_first[1]) / (NIMG - 2),
                 (H * W > HO * WO) ? H * W : HO * WO, t_first[0] - t_in0);
      end
      $display("case %0d (CH=%0d BITS=%0d H=%0d W=%0d K=%0dx%0d S=%0dx%0d P=%0d,%0d,%0d,%0d D=%0dx%0d gaps %0d/%0d): %0d windows, %0d errors",
               CASE_ID, CH, BITS, H, W, KH, KW, SH, SW, PT, PL, PB, PR, DH, DW, IN_GAP, OUT_GAP, out_ptr, errors);
    end
  end
endmodule

module tb_rram_window_gen;
  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  localparam int NC = 38;
  logic [NC-1:0] done;
  logic [NC*32-1:0] errs;

  // id, CH, BITS, H, W, K, S, P, NIMG, IN_GAP, OUT_GAP
  // Throughput cases (no stalls)
  tb_rram_window_gen_case #(0, 1, 8, 28, 28, 5, 1, 0, 4, 0, 0, 11) u_c0 (clk, rst_n, done[0], errs[0*32 +: 32]);
  tb_rram_window_gen_case #(1, 6, 1, 24, 24, 2, 2, 0, 4, 0, 0, 12) u_c1 (clk, rst_n, done[1], errs[1*32 +: 32]);
  tb_rram_window_gen_case #(2, 16, 1, 8, 8, 2, 2, 0, 5, 0, 0, 13) u_c2 (clk, rst_n, done[2], errs[2*32 +: 32]);
  tb_rram_window_gen_case #(3, 16, 1, 8, 8, 3, 1, 1, 5, 0, 0, 14) u_c3 (clk, rst_n, done[3], errs[3*32 +: 32]);
  tb_rram_window_gen_case #(4, 2, 1, 10, 10, 3, 1, 1, 5, 0, 0, 15) u_c4 (clk, rst_n, done[4], errs[4*32 +: 32]);
  tb_rram_window_gen_case #(5, 1, 2, 5, 5, 3, 1, 2, 5, 0, 0, 16) u_c5 (clk, rst_n, done[5], errs[5*32 +: 32]);
  tb_rram_window_gen_case #(6, 1, 1, 7, 7, 2, 2, 0, 5, 0, 0, 17) u_c6 (clk, rst_n, done[6], errs[6*32 +: 32]);
  tb_rram_window_gen_case #(7, 6, 1, 12, 12, 5, 1, 0, 4, 0, 0, 18) u_c7 (clk, rst_n, done[7], errs[7*32 +: 32]);
  // Random stalls on both sides
  tb_rram_window_gen_case #(8, 3, 2, 7, 5, 3, 2, 1, 4, 30, 30, 21) u_c8 (clk, rst_n, done[8], errs[8*32 +: 32]);
  tb_rram_window_gen_case #(9, 1, 1, 7, 7, 2, 2, 0, 4, 25, 40, 22) u_c9 (clk, rst_n, done[9], errs[9*32 +: 32]);
  tb_rram_window_gen_case #(10, 2, 3, 9, 8, 3, 3, 0, 4, 20, 20, 23) u_c10 (clk, rst_n, done[10], errs[10*32 +: 32]);
  tb_rram_window_gen_case #(11, 1, 4, 6, 7, 1, 1, 0, 3, 40, 10, 24) u_c11 (clk, rst_n, done[11], errs[11*32 +: 32]);
  tb_rram_window_gen_case #(12, 2, 1, 5, 6, 1, 2, 0, 4, 10, 40, 25) u_c12 (clk, rst_n, done[12], errs[12*32 +: 32]);
  tb_rram_window_gen_case #(13, 1, 2, 5, 5, 3, 1, 2, 4, 30, 30, 26) u_c13 (clk, rst_n, done[13], errs[13*32 +: 32]);
  tb_rram_window_gen_case #(14, 1, 3, 11, 10, 2, 4, 1, 3, 20, 30, 27) u_c14 (clk, rst_n, done[14], errs[14*32 +: 32]);
  tb_rram_window_gen_case #(15, 1, 1, 1, 1, 1, 1, 0, 6, 30, 30, 28) u_c15 (clk, rst_n, done[15], errs[15*32 +: 32]);
  tb_rram_window_gen_case #(16, 1, 2, 3, 3, 3, 1, 0, 5, 30, 30, 29) u_c16 (clk, rst_n, done[16], errs[16*32 +: 32]);
  tb_rram_window_gen_case #(17, 1, 1, 4, 4, 3, 1, 3, 3, 30, 30, 30) u_c17 (clk, rst_n, done[17], errs[17*32 +: 32]);
  tb_rram_window_gen_case #(18, 2, 1, 2, 9, 2, 1, 1, 4, 30, 30, 31) u_c18 (clk, rst_n, done[18], errs[18*32 +: 32]);
  tb_rram_window_gen_case #(19, 1, 2, 6, 1, 1, 1, 0, 4, 30, 30, 32) u_c19 (clk, rst_n, done[19], errs[19*32 +: 32]);
  tb_rram_window_gen_case #(20, 2, 1, 5, 1, 3, 1, 1, 4, 30, 30, 33) u_c20 (clk, rst_n, done[20], errs[20*32 +: 32]);
  tb_rram_window_gen_case #(21, 4, 1, 12, 12, 5, 1, 2, 3, 15, 15, 34) u_c21 (clk, rst_n, done[21], errs[21*32 +: 32]);
  tb_rram_window_gen_case #(22, 3, 1, 10, 9, 4, 3, 2, 3, 50, 50, 35) u_c22 (clk, rst_n, done[22], errs[22*32 +: 32]);
  tb_rram_window_gen_case #(23, 2, 2, 8, 8, 3, 1, 1, 4, 0, 60, 36) u_c23 (clk, rst_n, done[23], errs[23*32 +: 32]);
  // More throughput cases: "same" padding, stride > K, stride 3, output-bound K=1 P=1
  tb_rram_window_gen_case #(24, 1, 1, 28, 28, 5, 1, 2, 4, 0, 0, 41) u_c24 (clk, rst_n, done[24], errs[24*32 +: 32]);
  tb_rram_window_gen_case #(25, 1, 3, 11, 10, 2, 4, 1, 4, 0, 0, 42) u_c25 (clk, rst_n, done[25], errs[25*32 +: 32]);
  tb_rram_window_gen_case #(26, 2, 3, 9, 8, 3, 3, 0, 4, 0, 0, 43) u_c26 (clk, rst_n, done[26], errs[26*32 +: 32]);
  tb_rram_window_gen_case #(27, 3, 1, 6, 5, 1, 1, 1, 4, 0, 0, 44) u_c27 (clk, rst_n, done[27], errs[27*32 +: 32]);
  // Long random-stall run on a pool-like and a conv-like layer
  tb_rram_window_gen_case #(28, 6, 1, 12, 12, 2, 2, 0, 6, 35, 35, 45) u_c28 (clk, rst_n, done[28], errs[28*32 +: 32]);
  tb_rram_window_gen_case #(29, 1, 8, 10, 10, 5, 1, 2, 5, 20, 45, 46) u_c29 (clk, rst_n, done[29], errs[29*32 +: 32]);
  // Per-axis geometry (net@2): ..., SEED, KH, KW, SH, SW, PT, PL, PB, PR, DH, DW
  // Rectangular 3x5 kernel, at full rate
  tb_rram_window_gen_case #(30, 2, 1, 9, 11, 3, 1, 0, 4, 0, 0, 51, 3, 5, 1, 1, 0, 0, 0, 0, 1, 1) u_c30 (clk, rst_n, done[30], errs[30*32 +: 32]);
  // Stride 2 x 1 with padding 1, at full rate
  tb_rram_window_gen_case #(31, 1, 2, 9, 8, 3, 1, 1, 4, 0, 0, 52, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1) u_c31 (clk, rst_n, done[31], errs[31*32 +: 32]);
  // Asymmetric padding top 0, left 1, bottom 2, right 0, with stalls
  tb_rram_window_gen_case #(32, 1, 3, 7, 7, 3, 1, 0, 4, 30, 30, 53, 3, 3, 1, 1, 0, 1, 2, 0, 1, 1) u_c32 (clk, rst_n, done[32], errs[32*32 +: 32]);
  // Dilation 2 x 2, padding 2 ("same"), at full rate
  tb_rram_window_gen_case #(33, 2, 1, 9, 9, 3, 1, 2, 4, 0, 0, 54, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2) u_c33 (clk, rst_n, done[33], errs[33*32 +: 32]);
  // Kernel 2x3, dilation 1 x 3, stride 1 x 2, with stalls
  tb_rram_window_gen_case #(34, 1, 2, 8, 12, 2, 1, 0, 4, 25, 35, 55, 2, 3, 1, 2, 0, 0, 0, 0, 1, 3) u_c34 (clk, rst_n, done[34], errs[34*32 +: 32]);
  // Pool-like 3x2 window, stride 2 x 1, padding 1,0,1,1, with stalls
  tb_rram_window_gen_case #(35, 3, 1, 8, 8, 3, 2, 0, 4, 30, 30, 56, 3, 2, 2, 1, 1, 0, 1, 1, 1, 1) u_c35 (clk, rst_n, done[35], errs[35*32 +: 32]);
  // Everything at once: kernel 2x4, stride 3 x 2, padding 1,3,0,2, dilation 2 x 1
  tb_rram_window_gen_case #(36, 2, 2, 10, 9, 2, 1, 0, 4, 40, 40, 57, 2, 4, 3, 2, 1, 3, 0, 2, 2, 1) u_c36 (clk, rst_n, done[36], errs[36*32 +: 32]);
  // One-row map: kernel 1x3 dilated 1 x 2, padding 0,2,0,2, at full rate
  tb_rram_window_gen_case #(37, 1, 1, 1, 5, 1, 1, 0, 5, 0, 0, 58, 1, 3, 1, 1, 0, 2, 0, 2, 1, 2) u_c37 (clk, rst_n, done[37], errs[37*32 +: 32]);

  int total;
  initial begin : p_main
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    wait (&done);
    @(posedge clk);
    total = 0;
    for (int i = 0; i < NC; i++) total = total + errs[i*32 +: 32];
    if (total == 0) begin
      $display("PASS tb_rram_window_gen (%0d cases)", NC);
      $finish;
    end else begin
      $display("FAIL tb_rram_window_gen: %0d errors", total);
      $fatal(1, "tb_rram_window_gen failed");
    end
  end
endmodule
