// rram-gen unit testbench: rram_merge
//
// Self-checking: random partial sums (including the extreme values) and
// pseudo-random signed biases, compared with bias + sum of sign-extended
// partial sums, modulo 2^ACC_BITS.
// Prints "PASS tb_rram_merge" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_merge_case #(
  parameter int CASE_ID  = 0,
  parameter int N        = 2,
  parameter int COLS     = 4,
  parameter int SUM_BITS = 8,
  parameter int ACC_BITS = 10,
  parameter int NVEC     = 100,
  parameter int SEED     = 1
) (
  output logic        done_o,
  output logic [31:0] errors_o
);
  localparam int NB = COLS * ACC_BITS;

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
    v = '0;
    for (int i = 0; i < NB; i++) begin
      s    = s ^ (s << 13);
      s    = s ^ (s >> 17);
      s    = s ^ (s << 5);
      v[i] = s[9];
    end
    return v;
  endfunction

  localparam logic [NB-1:0] BIAS = rand_bits(SEED);

  logic [N*COLS*SUM_BITS-1:0] sums;
  logic [COLS*ACC_BITS-1:0]   acc;

  rram_merge #(
    .N(N), .COLS(COLS), .SUM_BITS(SUM_BITS), .ACC_BITS(ACC_BITS), .BIAS(BIAS)
  ) u_dut (
    .sums_i (sums),
    .acc_o  (acc)
  );

  // Sign-extend a value of width w held in the low bits of v.
  function automatic longint sext(input logic [63:0] v, input int w);
    longint r;
    r = 0;
    for (int b = 0; b < w; b++) begin
      if (v[b]) begin
        if (b == w - 1) r = r - (longint'(1) << b);
        else            r = r + (longint'(1) << b);
      end
    end
    return r;
  endfunction

  int errors = 0;
  logic done = 1'b0;
  assign done_o   = done;
  assign errors_o = errors;

  initial begin : p_run
    logic [31:0]                s;
    logic [N*COLS*SUM_BITS-1:0] v;
    longint                     e;
    logic [63:0]                eb;
    logic [63:0]                tmp;
    s = 32'h2545f491 ^ (SEED * 131);
    for (int n = 0; n < NVEC; n++) begin
      for (int k = 0; k < N * COLS; k++) begin
        for (int b = 0; b < SUM_BITS; b++) begin
          s = xs32(s);
          // vectors 0/1/2: all most-negative / all most-positive / all -1
          if (n == 0)      v[k * SUM_BITS + b] = (b == SUM_BITS - 1);
          else if (n == 1) v[k * SUM_BITS + b] = (b != SUM_BITS - 1);
          else if (n == 2) v[k * SUM_BITS + b] = 1'b1;
          else             v[k * SUM_BITS + b] = s[4];
        end
      end
      sums = v;
      #1;
      for (int c = 0; c < COLS; c++) begin
        tmp = '0;
        for (int b = 0; b < ACC_BITS; b++) tmp[b] = BIAS[c * ACC_BITS + b];
        e = sext(tmp, ACC_BITS);
        for (int t = 0; t < N; t++) begin
          tmp = '0;
          for (int b = 0; b < SUM_BITS; b++) tmp[b] = v[(t * COLS + c) * SUM_BITS + b];
          e = e + sext(tmp, SUM_BITS);
        end
        eb = e;
        for (int b = 0; b < ACC_BITS; b++) begin
          if (acc[c * ACC_BITS + b] !== eb[b]) begin
            errors = errors + 1;
            if (errors < 5) begin
              $display("FAIL case %0d: vector %0d column %0d bit %0d (exact %0d)", CASE_ID, n, c, b, e);
            end
          end
        end
      end
    end
    $display("case %0d (N=%0d COLS=%0d SUM_BITS=%0d ACC_BITS=%0d): %0d vectors, %0d errors",
             CASE_ID, N, COLS, SUM_BITS, ACC_BITS, NVEC, errors);
    done = 1'b1;
  end
endmodule

module tb_rram_merge;
  localparam int NC = 6;
  logic [NC-1:0]    done;
  logic [NC*32-1:0] errs;

  // id, N, COLS, SUM_BITS, ACC_BITS, NVEC, SEED
  tb_rram_merge_case #(0, 1, 1, 8, 8, 60, 1)     u_c0 (done[0], errs[0*32 +: 32]);
  tb_rram_merge_case #(1, 2, 4, 8, 10, 100, 2)   u_c1 (done[1], errs[1*32 +: 32]);
  tb_rram_merge_case #(2, 7, 10, 10, 14, 100, 3) u_c2 (done[2], errs[2*32 +: 32]);
  tb_rram_merge_case #(3, 3, 5, 12, 8, 100, 4)   u_c3 (done[3], errs[3*32 +: 32]);   // narrower acc: wraps
  tb_rram_merge_case #(4, 5, 3, 1, 6, 60, 5)     u_c4 (done[4], errs[4*32 +: 32]);   // 1-bit partial sums
  tb_rram_merge_case #(5, 4, 2, 20, 40, 100, 6)  u_c5 (done[5], errs[5*32 +: 32]);

  int total;
  initial begin : p_main
    wait (&done);
    #1;
    total = 0;
    for (int i = 0; i < NC; i++) total = total + errs[i*32 +: 32];
    if (total == 0) begin
      $display("PASS tb_rram_merge (%0d cases)", NC);
      $finish;
    end else begin
      $display("FAIL tb_rram_merge: %0d errors", total);
      $fatal(1, "tb_rram_merge failed");
    end
  end
endmodule
