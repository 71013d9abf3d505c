// rram-gen unit testbench: rram_fork
//
// Self-checking: one source with random bubbles, N branches with random
// back-pressure each; every branch must take every beat exactly once, in
// order (the data is broadcast), and with every branch ready the fork must
// pass one beat per cycle.
// Prints "PASS tb_rram_fork" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_fork_case #(
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
  logic         in_valid, in_ready;
  logic [N-1:0] out_valid, out_ready;
  int           in_ptr, cycle, errors, t_first, t_last;
  int           got [N];
  logic [31:0]  rng_in, rng_out;

  rram_fork #(.N(N)) u_dut (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
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

  always @(posedge clk_i) begin : p_src
    int p;
    if (!rst_ni) begin
      in_valid <= 1'b0;
      in_ptr   <= 0;
      rng_in   <= 32'h1f123bb5 ^ SEED;
    end else begin
      p = in_ptr;
      if (in_valid && in_ready) p = p + 1;
      in_ptr <= p;
      if (!(in_valid && !in_ready)) begin
        rng_in   <= xs32(rng_in);
        in_valid <= p < NBEAT && int'(rng_in % 100) >= IN_GAP;
      end
    end
  end

  always @(posedge clk_i) begin : p_sinks
    logic [31:0] r;
    if (!rst_ni) begin
      out_ready <= '0;
      cycle     <= 0;
      errors    <= 0;
      rng_out   <= 32'h5bd1e995 ^ SEED;
      t_first   <= 0;
      t_last    <= 0;
      for (int i = 0; i < N; i++) got[i] <= 0;
    end else begin
      cycle <= cycle + 1;
      for (int i = 0; i < N; i++) begin
        if (out_valid[i] && out_ready[i]) begin
          // Branch i takes the source's current beat: its count must be that beat's index.
          if (got[i] != in_ptr) begin
            errors <= errors + 1;
            $display("FAIL case %0d: branch %0d took beat %0d while the source offers beat %0d", CASE_ID, i, got[i], in_ptr);
          end
          got[i] <= got[i] + 1;
        end
      end
      if (in_valid && in_ready) begin
        if (in_ptr == 0) t_first <= cycle;
        t_last <= cycle;
      end
      r = rng_out;
      for (int i = 0; i < N; i++) begin
        r = xs32(r);
        out_ready[i] <= int'(r % 100) >= OUT_GAP;
      end
      rng_out <= r;
    end
  end

  // Branches that did not take every beat (counted each cycle).
  int missing;
  always @(posedge clk_i) begin : p_missing
    int m;
    m = 0;
    for (int i = 0; i < N; i++) m += (got[i] != NBEAT) ? 1 : 0;
    missing <= m;
  end

  assign errors_o = errors + missing + ((in_ptr != NBEAT) ? 1 : 0) +
                    ((IN_GAP == 0 && OUT_GAP == 0 && t_last - t_first != NBEAT - 1) ? 1 : 0);
  assign done_o = cycle > 20 * NBEAT;
endmodule

module tb_rram_fork;
  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  localparam int NC = 4;
  logic [NC-1:0] done;
  logic [31:0]   errs [NC];

  tb_rram_fork_case #(.CASE_ID(0), .N(2), .IN_GAP(0),  .OUT_GAP(0))            c0 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[0]), .errors_o(errs[0]));
  tb_rram_fork_case #(.CASE_ID(1), .N(2), .IN_GAP(30), .OUT_GAP(40), .SEED(7)) c1 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[1]), .errors_o(errs[1]));
  tb_rram_fork_case #(.CASE_ID(2), .N(3), .IN_GAP(10), .OUT_GAP(60), .SEED(3)) c2 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[2]), .errors_o(errs[2]));
  tb_rram_fork_case #(.CASE_ID(3), .N(5), .IN_GAP(0),  .OUT_GAP(20), .SEED(9)) c3 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[3]), .errors_o(errs[3]));

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
      $display("PASS tb_rram_fork");
      $finish;
    end else begin
      $fatal(1, "FAIL tb_rram_fork: %0d errors", total);
    end
  end
endmodule
