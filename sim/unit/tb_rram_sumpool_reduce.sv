// rram-gen unit testbench: rram_sumpool_reduce
//
// Self-checking: random windows (window layout of rram_window_gen), compared
// with the per-channel sum of the K*K unsigned values (a count for 1-bit
// values), including all-ones windows at every value's maximum (the widest sum).
// Prints "PASS tb_rram_sumpool_reduce" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_sumpool_reduce_case #(
  parameter int CASE_ID  = 0,
  parameter int CH       = 1,
  parameter int BITS     = 1,
  parameter int OUT_BITS = 3,
  parameter int K        = 2,
  parameter int NVEC     = 200,
  parameter int SEED     = 1
) (
  output logic        done_o,
  output logic [31:0] errors_o
);
  localparam int WINB = K * K * CH * BITS;

  logic [WINB-1:0]        win;
  logic [CH*OUT_BITS-1:0] sum;

  rram_sumpool_reduce #(.CH(CH), .BITS(BITS), .OUT_BITS(OUT_BITS), .K(K)) u_dut (
    .win_i (win),
    .sum_o (sum)
  );

  function automatic logic [31:0] xs32(input logic [31:0] s);
    logic [31:0] t;
    t = s ^ (s << 13);
    t = t ^ (t >> 17);
    t = t ^ (t << 5);
    return t;
  endfunction

  int errors = 0;
  logic done = 1'b0;
  assign done_o   = done;
  assign errors_o = errors;

  initial begin : p_run
    logic [31:0]     s;
    logic [WINB-1:0] v;
    int              m;
    int              e;
    int              got;
    s = 32'h85ebca6b ^ SEED;
    for (int n = 0; n < NVEC; n++) begin
      for (int b = 0; b < WINB; b++) begin
        s = xs32(s);
        // Sparse, dense, all-ones (the largest sum) and all-zero windows.
        v[b] = (n % 4 == 0) ? ((s % 16) == 0) : (n % 4 == 1) ? s[7] : (n % 4 == 2) ? 1'b1 : ((n % 7) == 3 ? 1'b0 : s[9]);
      end
      win = v;
      #1;
      for (int c = 0; c < CH; c++) begin
        e = 0;
        for (int ky = 0; ky < K; ky++) begin
          for (int kx = 0; kx < K; kx++) begin
            m = 0;
            for (int b = 0; b < BITS; b++) begin
              if (v[(((c * K + ky) * K + kx) * BITS) + b]) m = m + (1 << b);
            end
            e = e + m;
          end
        end
        got = 0;
        for (int b = 0; b < OUT_BITS; b++) if (sum[c * OUT_BITS + b]) got = got + (1 << b);
        if (got != e) begin
          errors = errors + 1;
          if (errors < 5) $display("FAIL case %0d: vector %0d channel %0d got %0d expected %0d", CASE_ID, n, c, got, e);
        end
      end
    end
    $display("case %0d (CH=%0d BITS=%0d OUT_BITS=%0d K=%0d): %0d vectors, %0d errors", CASE_ID, CH, BITS, OUT_BITS, K, NVEC, errors);
    done = 1'b1;
  end
endmodule

module tb_rram_sumpool_reduce;
  localparam int NC = 6;
  logic [NC-1:0]    done;
  logic [NC*32-1:0] errs;

  // id, CH, BITS, OUT_BITS (bits of K*K*(2^BITS-1)), K, NVEC, SEED
  tb_rram_sumpool_reduce_case #(0, 1, 1, 3, 2, 100, 1) u_c0 (done[0], errs[0*32 +: 32]);
  tb_rram_sumpool_reduce_case #(1, 6, 1, 3, 2, 200, 2) u_c1 (done[1], errs[1*32 +: 32]);
  tb_rram_sumpool_reduce_case #(2, 3, 4, 8, 3, 200, 3) u_c2 (done[2], errs[2*32 +: 32]);
  tb_rram_sumpool_reduce_case #(3, 2, 2, 2, 1, 100, 4) u_c3 (done[3], errs[3*32 +: 32]);
  tb_rram_sumpool_reduce_case #(4, 4, 8, 10, 2, 200, 5) u_c4 (done[4], errs[4*32 +: 32]);
  tb_rram_sumpool_reduce_case #(5, 16, 1, 8, 14, 200, 6) u_c5 (done[5], errs[5*32 +: 32]);

  int total;
  initial begin : p_main
    wait (&done);
    #1;
    total = 0;
    for (int i = 0; i < NC; i++) total = total + errs[i*32 +: 32];
    if (total == 0) begin
      $display("PASS tb_rram_sumpool_reduce (%0d cases)", NC);
      $finish;
    end else begin
      $display("FAIL tb_rram_sumpool_reduce: %0d errors", total);
      $fatal(1, "tb_rram_sumpool_reduce failed");
    end
  end
endmodule
