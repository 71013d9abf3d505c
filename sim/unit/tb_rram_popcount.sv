// rram-gen unit testbench: rram_popcount
//
// Self-checking: every input of the small widths (N = 1..9), random inputs of
// wider ones, all-ones, and a count width W below $clog2(N + 1), where the
// count must wrap modulo 2^W. The expected count is a plain loop over the bits.
// Prints "PASS tb_rram_popcount" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_popcount_case #(
  parameter int CASE_ID = 0,
  parameter int N       = 4,
  parameter int W       = 3,
  parameter int NVEC    = 16,  // random vectors when N > 9
  parameter int SEED    = 1
) (
  output logic        done_o,
  output logic [31:0] errors_o
);
  logic [N-1:0] x;
  logic [W-1:0] count;

  rram_popcount #(.N(N), .W(W)) u_dut (.x_i(x), .count_o(count));

  int errors = 0;
  logic done = 1'b0;
  assign done_o   = done;
  assign errors_o = errors;

  task automatic check(input logic [N-1:0] v);
    int ones;
    logic [31:0] want;
    x = v;
    #1;
    ones = 0;
    for (int i = 0; i < N; i++) ones = ones + int'(v[i]);
    want = ones;
    if (count !== want[W-1:0]) begin
      errors = errors + 1;
      if (errors < 5) $display("FAIL case %0d: N=%0d W=%0d x=%h got %0d expected %0d", CASE_ID, N, W, v, count, want[W-1:0]);
    end
  endtask

  initial begin : p_run
    logic [31:0]  s;
    logic [N-1:0] v;
    if (N <= 9) begin
      for (int n = 0; n < (1 << N); n++) check(N'(n));
    end else begin
      check('0);
      check('1);
      s = 32'h2545f491 ^ SEED;
      for (int n = 0; n < NVEC; n++) begin
        for (int i = 0; i < N; i++) begin
          s = s ^ (s << 13);
          s = s ^ (s >> 17);
          s = s ^ (s << 5);
          v[i] = (s % 8) < (n % 8);  // densities from empty to 7/8
        end
        check(v);
      end
    end
    $display("case %0d (N=%0d W=%0d): %0d errors", CASE_ID, N, W, errors);
    done = 1'b1;
  end
endmodule

module tb_rram_popcount;
  localparam int NC = 8;
  logic [NC-1:0]    done;
  logic [NC*32-1:0] errs;

  // id, N, W, NVEC, SEED
  tb_rram_popcount_case #(0, 1, 1, 0, 1)     u_c0 (done[0], errs[0*32 +: 32]);
  tb_rram_popcount_case #(1, 2, 2, 0, 2)     u_c1 (done[1], errs[1*32 +: 32]);
  tb_rram_popcount_case #(2, 7, 3, 0, 3)     u_c2 (done[2], errs[2*32 +: 32]);
  tb_rram_popcount_case #(3, 9, 4, 0, 4)     u_c3 (done[3], errs[3*32 +: 32]);
  tb_rram_popcount_case #(4, 9, 2, 0, 5)     u_c4 (done[4], errs[4*32 +: 32]);   // wraps
  tb_rram_popcount_case #(5, 33, 6, 64, 6)   u_c5 (done[5], errs[5*32 +: 32]);
  tb_rram_popcount_case #(6, 128, 8, 64, 7)  u_c6 (done[6], errs[6*32 +: 32]);
  tb_rram_popcount_case #(7, 255, 10, 64, 8) u_c7 (done[7], errs[7*32 +: 32]);  // wider than needed

  int total;
  initial begin : p_main
    wait (&done);
    #1;
    total = 0;
    for (int i = 0; i < NC; i++) total = total + errs[i*32 +: 32];
    if (total == 0) begin
      $display("PASS tb_rram_popcount (%0d cases)", NC);
      $finish;
    end else begin
      $display("FAIL tb_rram_popcount: %0d errors", total);
      $fatal(1, "tb_rram_popcount failed");
    end
  end
endmodule
