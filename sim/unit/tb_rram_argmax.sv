// rram-gen unit testbench: rram_argmax
//
// Self-checking: random unsigned and signed values (few bits, so ties are
// frequent, plus all-equal vectors), compared with the index of the first
// maximum.
// Prints "PASS tb_rram_argmax" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_argmax_case #(
  parameter int CASE_ID  = 0,
  parameter int N        = 10,
  parameter int BITS     = 8,
  parameter int SIGNED   = 0,
  parameter int IDX_BITS = (N > 1) ? $clog2(N) : 1,
  parameter int NVEC     = 300,
  parameter int SEED     = 1
) (
  output logic        done_o,
  output logic [31:0] errors_o
);
  logic [N*BITS-1:0]   vals;
  logic [IDX_BITS-1:0] idx;

  rram_argmax #(.N(N), .BITS(BITS), .SIGNED(SIGNED), .IDX_BITS(IDX_BITS)) u_dut (
    .values_i (vals),
    .index_o  (idx)
  );

  function automatic logic [31:0] xs32(input logic [31:0] s);
    logic [31:0] t;
    t = s ^ (s << 13);
    t = t ^ (t >> 17);
    t = t ^ (t << 5);
    return t;
  endfunction

  function automatic longint value(input logic [N*BITS-1:0] v, input int i);
    longint r;
    r = 0;
    for (int b = 0; b < BITS; b++) begin
      if (v[i * BITS + b]) begin
        if (SIGNED != 0 && b == BITS - 1) r = r - (longint'(1) << b);
        else                              r = r + (longint'(1) << b);
      end
    end
    return r;
  endfunction

  int errors = 0;
  logic done = 1'b0;
  assign done_o   = done;
  assign errors_o = errors;

  initial begin : p_run
    logic [31:0]       s;
    logic [N*BITS-1:0] v;
    int                e;
    longint            best;
    s = 32'h68e31da4 ^ SEED;
    for (int n = 0; n < NVEC; n++) begin
      for (int b = 0; b < N * BITS; b++) begin
        s    = xs32(s);
        v[b] = s[13];
      end
      if (n == 0) v = '0;
      if (n == 1) v = '1;
      vals = v;
      #1;
      e    = 0;
      best = value(v, 0);
      for (int i = 1; i < N; i++) begin
        if (value(v, i) > best) begin
          best = value(v, i);
          e    = i;
        end
      end
      if (int'(idx) != e) begin
        errors = errors + 1;
        if (errors < 5) $display("FAIL case %0d: vector %h got %0d expected %0d", CASE_ID, v, idx, e);
      end
    end
    $display("case %0d (N=%0d BITS=%0d SIGNED=%0d IDX_BITS=%0d): %0d vectors, %0d errors",
             CASE_ID, N, BITS, SIGNED, IDX_BITS, NVEC, errors);
    done = 1'b1;
  end
endmodule

module tb_rram_argmax;
  localparam int NC = 8;
  logic [NC-1:0]    done;
  logic [NC*32-1:0] errs;

  // id, N, BITS, SIGNED, IDX_BITS, NVEC, SEED
  tb_rram_argmax_case #(0, 10, 8, 0, 4, 300, 1)  u_c0 (done[0], errs[0*32 +: 32]);
  tb_rram_argmax_case #(1, 10, 8, 1, 4, 300, 2)  u_c1 (done[1], errs[1*32 +: 32]);
  tb_rram_argmax_case #(2, 1, 4, 0, 1, 20, 3)    u_c2 (done[2], errs[2*32 +: 32]);
  tb_rram_argmax_case #(3, 2, 1, 1, 1, 50, 4)    u_c3 (done[3], errs[3*32 +: 32]);
  tb_rram_argmax_case #(4, 7, 3, 1, 3, 300, 5)   u_c4 (done[4], errs[4*32 +: 32]);
  tb_rram_argmax_case #(5, 16, 2, 0, 4, 300, 6)  u_c5 (done[5], errs[5*32 +: 32]);
  tb_rram_argmax_case #(6, 10, 16, 1, 6, 200, 7) u_c6 (done[6], errs[6*32 +: 32]);
  tb_rram_argmax_case #(7, 5, 2, 1, 3, 200, 8)   u_c7 (done[7], errs[7*32 +: 32]);

  int total;
  initial begin : p_main
    wait (&done);
    #1;
    total = 0;
    for (int i = 0; i < NC; i++) total = total + errs[i*32 +: 32];
    if (total == 0) begin
      $display("PASS tb_rram_argmax (%0d cases)", NC);
      $finish;
    end else begin
      $display("FAIL tb_rram_argmax: %0d errors", total);
      $fatal(1, "tb_rram_argmax failed");
    end
  end
endmodule
