// rram-gen unit testbench: rram_sense_amp
//
// Self-checking: pseudo-random signed thresholds; accumulators random and
// exactly at T-1, T, T+1 (where representable), compared with acc >= T
// (src/ops/activations/threshold.ts, column).
// Prints "PASS tb_rram_sense_amp" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_sense_amp_case #(
  parameter int CASE_ID  = 0,
  parameter int COLS     = 4,
  parameter int ACC_BITS = 8,
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
      v[i] = s[5];
    end
    return v;
  endfunction

  localparam logic [NB-1:0] THR = rand_bits(SEED);

  logic [COLS*ACC_BITS-1:0] acc;
  logic [COLS-1:0]          bits;

  rram_sense_amp #(
    .COLS(COLS), .ACC_BITS(ACC_BITS), .THRESHOLDS(THR)
  ) u_dut (
    .acc_i (acc),
    .bit_o (bits)
  );

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
    logic [31:0]              s;
    logic [COLS*ACC_BITS-1:0] v;
    logic [63:0]              tb;
    logic [63:0]              ab;
    longint                   t;
    longint                   a;
    longint                   lo;
    longint                   hi;
    logic                     e;
    s  = 32'h6c8e9cf5 ^ (SEED * 17);
    lo = -(longint'(1) << (ACC_BITS - 1));
    hi = (longint'(1) << (ACC_BITS - 1)) - 1;
    for (int n = 0; n < NVEC; n++) begin
      for (int c = 0; c < COLS; c++) begin
        tb = '0;
        for (int b = 0; b < ACC_BITS; b++) tb[b] = THR[c * ACC_BITS + b];
        t = sext(tb, ACC_BITS);
        s = xs32(s);
        case (n % 4)
          0: a = t - 1;
          1: a = t;
          2: a = t + 1;
          default: begin
            a = 0;
            for (int b = 0; b < ACC_BITS; b++) begin
              s = xs32(s);
              ab[b] = s[3];
            end
            a = sext(ab, ACC_BITS);
          end
        endcase
        if (a < lo) a = lo;
        if (a > hi) a = hi;
        ab = a;
        for (int b = 0; b < ACC_BITS; b++) v[c * ACC_BITS + b] = ab[b];
      end
      acc = v;
      #1;
      for (int c = 0; c < COLS; c++) begin
        tb = '0;
        ab = '0;
        for (int b = 0; b < ACC_BITS; b++) begin
          tb[b] = THR[c * ACC_BITS + b];
          ab[b] = v[c * ACC_BITS + b];
        end
        e = sext(ab, ACC_BITS) >= sext(tb, ACC_BITS);
        if (bits[c] !== e) begin
          errors = errors + 1;
          if (errors < 5) begin
            $display("FAIL case %0d: column %0d acc %0d threshold %0d got %b",
                     CASE_ID, c, sext(ab, ACC_BITS), sext(tb, ACC_BITS), bits[c]);
          end
        end
      end
    end
    $display("case %0d (COLS=%0d ACC_BITS=%0d): %0d vectors, %0d errors",
             CASE_ID, COLS, ACC_BITS, NVEC, errors);
    done = 1'b1;
  end
endmodule

module tb_rram_sense_amp;
  localparam int NC = 4;
  logic [NC-1:0]    done;
  logic [NC*32-1:0] errs;

  // id, COLS, ACC_BITS, NVEC, SEED
  tb_rram_sense_amp_case #(0, 1, 1, 40, 1)     u_c0 (done[0], errs[0*32 +: 32]);
  tb_rram_sense_amp_case #(1, 6, 8, 200, 2)    u_c1 (done[1], errs[1*32 +: 32]);
  tb_rram_sense_amp_case #(2, 120, 12, 24, 3)  u_c2 (done[2], errs[2*32 +: 32]);
  tb_rram_sense_amp_case #(3, 3, 40, 100, 4)   u_c3 (done[3], errs[3*32 +: 32]);

  int total;
  initial begin : p_main
    wait (&done);
    #1;
    total = 0;
    for (int i = 0; i < NC; i++) total = total + errs[i*32 +: 32];
    if (total == 0) begin
      $display("PASS tb_rram_sense_amp (%0d cases)", NC);
      $finish;
    end else begin
      $display("FAIL tb_rram_sense_amp: %0d errors", total);
      $fatal(1, "tb_rram_sense_amp failed");
    end
  end
endmodule
