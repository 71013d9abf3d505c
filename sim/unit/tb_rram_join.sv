// rram-gen unit testbench: rram_join
//
// Self-checking: N sources with random bubbles each, one sink with random
// back-pressure; every output handshake must take beat k of every source at
// once (no source ahead of another), every beat exactly once, and with no
// stalls one beat per cycle.
// Prints "PASS tb_rram_join" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_join_case #(
  parameter int CASE_ID = 0,
  parameter int N       = 2,
  parameter int NBEAT   = 300,
  parameter int IN_GAP  = 0,
  parameter int OUT_GAP = 0,
  parameter int SEED    = 1
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  output logic        done_o,
  output logic [31:0] errors_o
);
  logic [N-1:0] in_valid, in_ready;
  logic         out_valid, out_ready;
  int           sent [N];
  int           taken, cycle, errors, t_first, t_last;
  logic [31:0]  rng_in, rng_out;

  rram_join #(.N(N)) u_dut (
    .in_valid_i  (in_valid),
    .in_ready_o  (in_ready),
    .out_valid_o (out_valid),
    .out_ready_i (out_ready)
  );

  function automatic logic [31:0] xs32(input logic [31:0] s);
    logic [31:0] t;
    t = s ^ (s << 13);
    t = t ^ (t >> 17);
    t = t ^ (t << 5);
    return t;
  endfunction

  always @(posedge clk_i) begin : p_srcs
    logic [31:0] r;
    if (!rst_ni) begin
      in_valid <= '0;
      rng_in   <= 32'h1f123bb5 ^ SEED;
      for (int i = 0; i < N; i++) sent[i] <= 0;
    end else begin
      r = rng_in;
      for (int i = 0; i < N; i++) begin
        int p;
        p = sent[i];
        if (in_valid[i] && in_ready[i]) p = p + 1;
        sent[i] <= p;
        r = xs32(r);
        if (!(in_valid[i] && !in_ready[i])) in_valid[i] <= p < NBEAT && int'(r % 100) >= IN_GAP;
      end
      rng_in <= r;
    end
  end

  always @(posedge clk_i) begin : p_sink
    if (!rst_ni) begin
      out_ready <= 1'b0;
      taken     <= 0;
      cycle     <= 0;
      errors    <= 0;
      rng_out   <= 32'h5bd1e995 ^ SEED;
      t_first   <= 0;
      t_last    <= 0;
    end else begin
      cycle <= cycle + 1;
      for (int i = 0; i < N; i++) begin
        // A source is taken only with the output beat, and then every source's beat `taken` at once.
        if (in_valid[i] && in_ready[i] && !(out_valid && out_ready)) begin
          errors <= errors + 1;
          $display("FAIL case %0d: source %0d taken without an output beat", CASE_ID, i);
        end
        if (out_valid && out_ready && (sent[i] != taken || !in_ready[i])) begin
          errors <= errors + 1;
          $display("FAIL case %0d: output beat %0d with source %0d at beat %0d", CASE_ID, taken, i, sent[i]);
        end
      end
      if (out_valid && out_ready) begin
        if (taken == 0) t_first <= cycle;
        t_last <= cycle;
        taken  <= taken + 1;
      end
      rng_out   <= xs32(rng_out);
      out_ready <= int'(rng_out % 100) >= OUT_GAP;
    end
  end

  assign errors_o = errors + ((taken != NBEAT) ? 1 : 0) +
                    ((IN_GAP == 0 && OUT_GAP == 0 && t_last - t_first != NBEAT - 1) ? 1 : 0);
  assign done_o = cycle > 20 * NBEAT;
endmodule

module tb_rram_join;
  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  localparam int NC = 4;
  logic [NC-1:0] done;
  logic [31:0]   errs [NC];

  tb_rram_join_case #(.CASE_ID(0), .N(2), .IN_GAP(0),  .OUT_GAP(0))            c0 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[0]), .errors_o(errs[0]));
  tb_rram_join_case #(.CASE_ID(1), .N(2), .IN_GAP(30), .OUT_GAP(40), .SEED(7)) c1 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[1]), .errors_o(errs[1]));
  tb_rram_join_case #(.CASE_ID(2), .N(3), .IN_GAP(50), .OUT_GAP(10), .SEED(3)) c2 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[2]), .errors_o(errs[2]));
  tb_rram_join_case #(.CASE_ID(3), .N(4), .IN_GAP(20), .OUT_GAP(20), .SEED(9)) c3 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[3]), .errors_o(errs[3]));

  initial begin
    int total;
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    wait (&done);
    total = 0;
    for (int i = 0; i < NC; i++) begin
      if (errs[i] != 0) $display("FAIL case %0d: %0d errors", i, errs[i]);
      total += int'(errs[i]);
    end
    if (total == 0) begin
      $display("PASS tb_rram_join");
      $finish;
    end else begin
      $fatal(1, "FAIL tb_rram_join: %0d errors", total);
    end
  end
endmodule
