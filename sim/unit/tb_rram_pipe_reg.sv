// rram-gen unit testbench: rram_pipe_reg
//
// Self-checking: random source bubbles and sink back-pressure; every beat must
// come out once, in order, unchanged; the output must hold while stalled; with
// no stalls the slice must pass one beat per cycle.
// Prints "PASS tb_rram_pipe_reg" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_pipe_reg_case #(
  parameter int CASE_ID = 0,
  parameter int WIDTH   = 8,
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

  rram_pipe_reg #(.WIDTH(WIDTH)) u_dut (
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

  // Beat n carries a value derived from n (wide enough to be unique mod 2^WIDTH where possible).
  function automatic logic [WIDTH-1:0] beat(input int n);
    logic [WIDTH-1:0] v;
    logic [31:0]      s;
    s = 32'hcafe0000 ^ n;
    for (int b = 0; b < WIDTH; b++) begin
      if (b % 32 == 0) s = xs32(s + b);
      v[b] = s[b % 32];
    end
    if (WIDTH <= 16) v = WIDTH'(n * 7 + 3);
    return v;
  endfunction

  int               in_ptr, out_ptr, cycle, errors, t_first, t_last;
  logic [31:0]      rng_in, rng_out;
  logic             prev_stall;
  logic [WIDTH-1:0] prev_data;

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
      out_ready  <= 1'b0;
      out_ptr    <= 0;
      cycle      <= 0;
      errors     <= 0;
      rng_out    <= 32'h5bd1e995 ^ SEED;
      prev_stall <= 1'b0;
      prev_data  <= '0;
      t_first    <= 0;
      t_last     <= 0;
    end else begin
      cycle <= cycle + 1;
      if (prev_stall && (!out_valid || out_data !== prev_data)) begin
        errors <= errors + 1;
        $display("FAIL case %0d: output changed while stalled", CASE_ID);
      end
      prev_stall <= out_valid && !out_ready;
      prev_data  <= out_data;
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
      out_ready <= int'(rng_out % 100) >= OUT_GAP;
    end
  end

  assign done_o   = (out_ptr >= NBEAT && cycle > 20 * NBEAT / 10 + 50) || cycle > 50 * NBEAT + 100;
  assign errors_o = errors + ((out_ptr != NBEAT) ? 1 : 0) +
                    ((IN_GAP == 0 && OUT_GAP == 0 && t_last - t_first != NBEAT - 1) ? 1 : 0);

  logic reported = 1'b0;
  always @(posedge clk_i) begin : p_report
    if (done_o && !reported) begin
      reported <= 1'b1;
      $display("case %0d (WIDTH=%0d gaps %0d/%0d): %0d/%0d beats in %0d cycles, %0d errors",
               CASE_ID, WIDTH, IN_GAP, OUT_GAP, out_ptr, NBEAT, t_last - t_first + 1, errors_o);
    end
  end
endmodule

module tb_rram_pipe_reg;
  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  localparam int NC = 5;
  logic [NC-1:0]    done;
  logic [NC*32-1:0] errs;

  // id, WIDTH, NBEAT, IN_GAP, OUT_GAP, SEED
  tb_rram_pipe_reg_case #(0, 8, 300, 0, 0, 1)    u_c0 (clk, rst_n, done[0], errs[0*32 +: 32]);
  tb_rram_pipe_reg_case #(1, 1, 300, 30, 30, 2)  u_c1 (clk, rst_n, done[1], errs[1*32 +: 32]);
  tb_rram_pipe_reg_case #(2, 70, 300, 20, 50, 3) u_c2 (clk, rst_n, done[2], errs[2*32 +: 32]);
  tb_rram_pipe_reg_case #(3, 12, 300, 50, 10, 4) u_c3 (clk, rst_n, done[3], errs[3*32 +: 32]);
  tb_rram_pipe_reg_case #(4, 33, 300, 0, 40, 5)  u_c4 (clk, rst_n, done[4], errs[4*32 +: 32]);

  int total;
  initial begin : p_main
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    wait (&done);
    @(posedge clk);
    total = 0;
    for (int i = 0; i < NC; i++) total = total + errs[i*32 +: 32];
    if (total == 0) begin
      $display("PASS tb_rram_pipe_reg (%0d cases)", NC);
      $finish;
    end else begin
      $display("FAIL tb_rram_pipe_reg: %0d errors", total);
      $fatal(1, "tb_rram_pipe_reg failed");
    end
  end
endmodule
