// rram-gen unit testbench: rram_adc_quant
//
// Self-checking: q = clamp(floor((acc - OFFSET) / STEP), 0, 2^OUT_BITS - 1)
// for power-of-two and other steps, negative and positive offsets, levels
// beyond the accumulator range. Exhaustive over acc for ACC_BITS <= 10,
// otherwise every level boundary +/- 1 plus random values. The formula is
// the one src/ops/activations/adc.ts (adcCode) defines for the golden model.
// Prints "PASS tb_rram_adc_quant" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_adc_quant_case #(
  parameter int CASE_ID  = 0,
  parameter int COLS     = 2,
  parameter int ACC_BITS = 8,
  parameter int OUT_BITS = 4,
  parameter int OFFSET   = 0,
  parameter int STEP     = 1,
  parameter int SEED     = 1
) (
  output logic        done_o,
  output logic [31:0] errors_o
);
  localparam int NL = (1 << OUT_BITS) - 1;

  logic [COLS*ACC_BITS-1:0] acc;
  logic [COLS*OUT_BITS-1:0] q;

  rram_adc_quant #(
    .COLS(COLS), .ACC_BITS(ACC_BITS), .OUT_BITS(OUT_BITS), .OFFSET(OFFSET), .STEP(STEP)
  ) u_dut (
    .acc_i (acc),
    .q_o   (q)
  );

  function automatic logic [31:0] xs32(input logic [31:0] s);
    logic [31:0] t;
    t = s ^ (s << 13);
    t = t ^ (t >> 17);
    t = t ^ (t << 5);
    return t;
  endfunction

  function automatic longint model(input longint a);
    longint d;
    longint f;
    d = a - longint'(OFFSET);
    if (d >= 0) f = d / longint'(STEP);
    else        f = -((-d + longint'(STEP) - 1) / longint'(STEP));
    if (f < 0)  f = 0;
    if (f > longint'(NL)) f = longint'(NL);
    return f;
  endfunction

  int errors = 0;
  int count  = 0;
  logic done = 1'b0;
  assign done_o   = done;
  assign errors_o = errors;

  longint lo, hi;

  // Drive value a into column (k mod COLS) and a scrambled value elsewhere; check all.
  task automatic check(input longint a, input int k);
    logic [COLS*ACC_BITS-1:0] v;
    longint                   vals [0:COLS-1];
    logic [63:0]              ab;
    longint                   e;
    longint                   got;
    for (int c = 0; c < COLS; c++) begin
      vals[c] = (c == k % COLS) ? a : (a + longint'(37 * c) + longint'(k));
      if (vals[c] < lo) vals[c] = lo;
      if (vals[c] > hi) vals[c] = hi;
      ab = vals[c];
      for (int b = 0; b < ACC_BITS; b++) v[c * ACC_BITS + b] = ab[b];
    end
    acc = v;
    #1;
    for (int c = 0; c < COLS; c++) begin
      e   = model(vals[c]);
      got = 0;
      for (int b = 0; b < OUT_BITS; b++) if (q[c * OUT_BITS + b]) got = got + (longint'(1) << b);
      count = count + 1;
      if (got != e) begin
        errors = errors + 1;
        if (errors < 5) begin
          $display("FAIL case %0d: acc %0d got %0d expected %0d", CASE_ID, vals[c], got, e);
        end
      end
    end
  endtask

  initial begin : p_run
    logic [31:0] s;
    longint      a;
    logic [63:0] ab;
    lo = -(longint'(1) << (ACC_BITS - 1));
    hi = (longint'(1) << (ACC_BITS - 1)) - 1;
    s  = 32'h3c6ef372 ^ (SEED * 7);
    if (ACC_BITS <= 10) begin
      for (longint x = lo; x <= hi; x++) check(x, int'(x - lo));
    end else begin
      for (int l = 0; l <= NL + 1; l++) begin
        for (int d = -1; d <= 1; d++) begin
          a = longint'(OFFSET) + longint'(l) * longint'(STEP) + longint'(d);
          check(a, l * 3 + d + 1);
        end
      end
      check(lo, 0);
      check(hi, 1);
      for (int n = 0; n < 300; n++) begin
        for (int b = 0; b < 64; b++) begin
          s     = xs32(s);
          ab[b] = s[2];
        end
        a = 0;
        for (int b = 0; b < ACC_BITS; b++) begin
          if (ab[b]) begin
            if (b == ACC_BITS - 1) a = a - (longint'(1) << b);
            else                   a = a + (longint'(1) << b);
          end
        end
        check(a, n);
      end
    end
    $display("case %0d (COLS=%0d ACC_BITS=%0d OUT_BITS=%0d OFFSET=%0d STEP=%0d): %0d checks, %0d errors",
             CASE_ID, COLS, ACC_BITS, OUT_BITS, OFFSET, STEP, count, errors);
    done = 1'b1;
  end
endmodule

module tb_rram_adc_quant;
  localparam int NC = 11;
  logic [NC-1:0]    done;
  logic [NC*32-1:0] errs;

  // id, COLS, ACC_BITS, OUT_BITS, OFFSET, STEP, SEED
  tb_rram_adc_quant_case #(0, 1, 6, 2, 0, 1, 1)              u_c0  (done[0], errs[0*32 +: 32]);
  tb_rram_adc_quant_case #(1, 3, 8, 4, -20, 3, 2)            u_c1  (done[1], errs[1*32 +: 32]);
  tb_rram_adc_quant_case #(2, 2, 12, 8, 100, 7, 3)           u_c2  (done[2], errs[2*32 +: 32]);
  tb_rram_adc_quant_case #(3, 2, 10, 3, -300, 64, 4)         u_c3  (done[3], errs[3*32 +: 32]);
  tb_rram_adc_quant_case #(4, 1, 1, 1, 0, 1, 5)              u_c4  (done[4], errs[4*32 +: 32]);
  tb_rram_adc_quant_case #(5, 2, 16, 4, 30000, 5000, 6)      u_c5  (done[5], errs[5*32 +: 32]);
  tb_rram_adc_quant_case #(6, 2, 40, 8, -1000000, 1000, 7)   u_c6  (done[6], errs[6*32 +: 32]);
  tb_rram_adc_quant_case #(7, 1, 8, 8, -128, 1, 8)           u_c7  (done[7], errs[7*32 +: 32]);
  tb_rram_adc_quant_case #(8, 2, 20, 5, 12345, 1024, 9)      u_c8  (done[8], errs[8*32 +: 32]);
  tb_rram_adc_quant_case #(9, 1, 6, 4, -100, 3, 10)          u_c9  (done[9], errs[9*32 +: 32]);
  tb_rram_adc_quant_case #(10, 2, 24, 8, -2000000, 2147483647, 11) u_c10 (done[10], errs[10*32 +: 32]);

  int total;
  initial begin : p_main
    wait (&done);
    #1;
    total = 0;
    for (int i = 0; i < NC; i++) total = total + errs[i*32 +: 32];
    if (total == 0) begin
      $display("PASS tb_rram_adc_quant (%0d cases)", NC);
      $finish;
    end else begin
      $display("FAIL tb_rram_adc_quant: %0d errors", total);
      $fatal(1, "tb_rram_adc_quant failed");
    end
  end
endmodule
