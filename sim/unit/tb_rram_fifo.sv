// rram-gen unit testbench: rram_fifo
//
// Self-checking: random source bubbles and sink back-pressure; every beat must
// come out once, in order, unchanged; the FIFO must never hold more than DEPTH
// beats and must take beats until it holds DEPTH (a sink that waits until the
// FIFO has been full, then drains it); with no stalls one beat per cycle.
// Prints "PASS tb_rram_fifo" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_fifo_case #(
  parameter int CASE_ID = 0,
  parameter int WIDTH   = 8,
  parameter int DEPTH   = 4,
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
  logic             in_valid, in_ready, out_valid, out_ready;
  logic [WIDTH-1:0] in_data, out_data;

  rram_fifo #(.WIDTH(WIDTH), .DEPTH(DEPTH)) u_dut (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .in_valid_i  (in_valid),
    .in_ready_o  (in_ready),
    .in_data_i   (in_data),
    .out_valid_o (out_valid),
    .out_ready_i (out_ready),
    .out_data_o  (out_data)
  );

  function automatic logic [31:0] xs32(input logic [31:0] s);
    logic [31:0] t;
    t = s ^ (s << 13);
    t = t ^ (t >> 17);
    t = t ^ (t << 5);
    return t;
  endfunction

  function automatic logic [WIDTH-1:0] beat(input int n);
    return WIDTH'(n * 7 + 3);
  endfunction

  int          in_ptr, out_ptr, cycle, errors, t_first, t_last, held;
  logic [31:0] rng_in, rng_out;
  logic        was_full;

  always @(posedge clk_i) begin : p_src
    int p;
    if (!rst_ni) begin
      in_valid <= 1'b0;
      in_data  <= '0;
      in_ptr   <= 0;
      rng_in   <= 32'h1f123bb5 ^ SEED;
    end else begin
      p = in_ptr;
      if (in_valid && in_ready) p = p + 1;
      in_ptr <= p;
      if (!(in_valid && !in_ready)) begin
        rng_in <= xs32(rng_in);
        if (p < NBEAT && int'(rng_in % 100) >= IN_GAP) begin
          in_valid <= 1'b1;
          in_data  <= beat(p);
        end else begin
          in_valid <= 1'b0;
        end
      end
    end
  end

  always @(posedge clk_i) begin : p_sink
    if (!rst_ni) begin
      out_ready <= 1'b0;
      out_ptr   <= 0;
      cycle     <= 0;
      errors    <= 0;
      rng_out   <= 32'h5bd1e995 ^ SEED;
      t_first   <= 0;
      t_last    <= 0;
      was_full  <= 1'b0;
    end else begin
      cycle <= cycle + 1;
      held = in_ptr - out_ptr;
      if (held > DEPTH) begin
        errors <= errors + 1;
        $display("FAIL case %0d: %0d beats held by a %0d-entry FIFO", CASE_ID, held, DEPTH);
      end
      // While the sink has not yet drained once, the FIFO must keep taking beats until full.
      if (!was_full && in_valid && !in_ready && held < DEPTH) begin
        errors <= errors + 1;
        $display("FAIL case %0d: not ready with %0d of %0d entries held", CASE_ID, held, DEPTH);
      end
      if (held == DEPTH) was_full <= 1'b1;
      if (out_valid && out_ready) begin
        if (out_ptr >= NBEAT || out_data !== beat(out_ptr)) begin
          errors <= errors + 1;
          if (errors < 5) $display("FAIL case %0d: beat %0d got %h", CASE_ID, out_ptr, out_data);
        end
        if (out_ptr == 0) t_first <= cycle;
        t_last  <= cycle;
        out_ptr <= out_ptr + 1;
      end
      rng_out   <= xs32(rng_out);
      // The first DEPTH + 4 cycles the sink waits: the FIFO fills up.
      out_ready <= cycle > DEPTH + 4 && int'(rng_out % 100) >= OUT_GAP;
    end
  end

  assign done_o   = (out_ptr >= NBEAT && cycle > 2 * NBEAT + 50) || cycle > 50 * NBEAT + 100;
  assign errors_o = errors + ((out_ptr != NBEAT) ? 1 : 0) + (was_full ? 0 : 1) +
                    ((IN_GAP == 0 && OUT_GAP == 0 && t_last - t_first != NBEAT - 1) ? 1 : 0);
endmodule

module tb_rram_fifo;
  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  localparam int N = 6;
  logic [N-1:0] done;
  logic [31:0]  errs [N];

  tb_rram_fifo_case #(.CASE_ID(0), .WIDTH(8),  .DEPTH(4),  .IN_GAP(0),  .OUT_GAP(0))            c0 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[0]), .errors_o(errs[0]));
  tb_rram_fifo_case #(.CASE_ID(1), .WIDTH(8),  .DEPTH(5),  .IN_GAP(30), .OUT_GAP(30), .SEED(7)) c1 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[1]), .errors_o(errs[1]));
  tb_rram_fifo_case #(.CASE_ID(2), .WIDTH(1),  .DEPTH(2),  .IN_GAP(50), .OUT_GAP(10), .SEED(3)) c2 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[2]), .errors_o(errs[2]));
  tb_rram_fifo_case #(.CASE_ID(3), .WIDTH(12), .DEPTH(37), .IN_GAP(10), .OUT_GAP(60), .SEED(9)) c3 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[3]), .errors_o(errs[3]));
  tb_rram_fifo_case #(.CASE_ID(4), .WIDTH(3),  .DEPTH(16), .IN_GAP(0),  .OUT_GAP(0))            c4 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[4]), .errors_o(errs[4]));
  tb_rram_fifo_case #(.CASE_ID(5), .WIDTH(5),  .DEPTH(3),  .IN_GAP(70), .OUT_GAP(70), .SEED(5)) c5 (.clk_i(clk), .rst_ni(rst_n), .done_o(done[5]), .errors_o(errs[5]));

  initial begin
    int total;
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    wait (&done);
    total = 0;
    for (int i = 0; i < N; i++) begin
      if (errs[i] != 0) $display("FAIL case %0d: %0d errors", i, errs[i]);
      total += int'(errs[i]);
    end
    if (total == 0) begin
      $display("PASS tb_rram_fifo");
      $finish;
    end else begin
      $fatal(1, "FAIL tb_rram_fifo: %0d errors", total);
    end
  end
endmodule
