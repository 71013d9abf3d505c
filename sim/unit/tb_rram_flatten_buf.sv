// rram-gen unit testbench: rram_flatten_buf
//
// Self-checking: streams NIMG random images back to back with random source
// bubbles and sink back-pressure; every vector must equal the flattened image
// (element (c, y, x) at c*H*W + y*W + x), hold while stalled, and appear once.
// With an always-ready sink the next image's first pixel is written in the
// same cycle the vector is taken, which must not corrupt the taken vector.
// Without stalls one vector must come out every H*W cycles.
// Prints "PASS tb_rram_flatten_buf" or "FAIL ..." and ends with $fatal on failure.

module tb_rram_flatten_buf_case #(
  parameter int CASE_ID = 0,
  parameter int CH      = 1,
  parameter int BITS    = 1,
  parameter int H       = 4,
  parameter int W       = 4,
  parameter int NIMG    = 4,
  parameter int IN_GAP  = 0,
  parameter int OUT_GAP = 0,
  parameter int SEED    = 1
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  output logic        done_o,
  output logic [31:0] errors_o
);
  localparam int PX    = CH * BITS;
  localparam int NPIX  = H * W;
  localparam int VB    = CH * NPIX * BITS;
  localparam int NIN   = NIMG * NPIX;
  localparam int LIMIT = 40 * NIN + 1000;

  logic [PX-1:0] mem [0:NIN-1];

  logic          in_valid, in_ready, out_valid, out_ready;
  logic [PX-1:0] in_data;
  logic [VB-1:0] out_data;

  rram_flatten_buf #(.CH(CH), .BITS(BITS), .H(H), .W(W)) u_dut (
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

  initial begin : p_fill
    logic [31:0] r;
    r = 32'h27d4eb2f ^ SEED;
    for (int i = 0; i < NIN; i++) begin
      for (int b = 0; b < PX; b++) begin
        r = xs32(r);
        mem[i][b] = r[3];
      end
    end
  end

  function automatic logic [VB-1:0] expected(input int img);
    logic [VB-1:0] v;
    for (int c = 0; c < CH; c++) begin
      for (int p = 0; p < NPIX; p++) begin
        for (int b = 0; b < BITS; b++) begin
          v[(c * NPIX + p) * BITS + b] = mem[img * NPIX + p][c * BITS + b];
        end
      end
    end
    return v;
  endfunction

  int          in_ptr;
  logic [31:0] rng_in;

  always @(posedge clk_i) begin : p_src
    int p;
    if (!rst_ni) begin
      in_valid <= 1'b0;
      in_data  <= '0;
      in_ptr   <= 0;
      rng_in   <= 32'h165667b1 ^ SEED;
    end else begin
      p = in_ptr;
      if (in_valid && in_ready) p = p + 1;
      in_ptr <= p;
      if (!(in_valid && !in_ready)) begin
        rng_in <= xs32(rng_in);
        if (p < NIN && int'(rng_in % 100) >= IN_GAP) begin
          in_valid <= 1'b1;
          in_data  <= mem[p];
        end else begin
          in_valid <= 1'b0;
        end
      end
    end
  end

  int            out_ptr, cycle, errors, extra, t_prev, period_err, same_cycle_writes;
  logic [31:0]   rng_out;
  logic          prev_stall;
  logic [VB-1:0] prev_data;
  logic          finished;

  always @(posedge clk_i) begin : p_sink
    if (!rst_ni) begin
      out_ready         <= 1'b0;
      out_ptr           <= 0;
      cycle             <= 0;
      errors            <= 0;
      extra             <= 0;
      rng_out           <= 32'hd3a2646c ^ SEED;
      prev_stall        <= 1'b0;
      prev_data         <= '0;
      t_prev            <= 0;
      period_err        <= 0;
      same_cycle_writes <= 0;
    end else begin
      cycle <= cycle + 1;
      if (prev_stall && (!out_valid || out_data !== prev_data)) begin
        errors <= errors + 1;
        $display("FAIL case %0d: output changed while stalled", CASE_ID);
      end
      prev_stall <= out_valid && !out_ready;
      prev_data  <= out_data;
      if (out_valid && out_ready) begin
        if (in_valid && in_ready) same_cycle_writes <= same_cycle_writes + 1;
        if (out_ptr >= NIMG || out_data !== expected(out_ptr)) begin
          errors <= errors + 1;
          if (errors < 5) $display("FAIL case %0d: vector %0d got %h", CASE_ID, out_ptr, out_data);
        end
        if (IN_GAP == 0 && OUT_GAP == 0 && out_ptr > 0 && cycle - t_prev != NPIX) begin
          period_err <= period_err + 1;
          $display("FAIL case %0d: vector %0d after %0d cycles, expected %0d", CASE_ID, out_ptr, cycle - t_prev, NPIX);
        end
        t_prev  <= cycle;
        out_ptr <= out_ptr + 1;
      end
      rng_out   <= xs32(rng_out);
      out_ready <= int'(rng_out % 100) >= OUT_GAP;
      if (out_ptr >= NIMG && in_ptr >= NIN) extra <= extra + 1;
      if (cycle == LIMIT && !finished) begin
        errors <= errors + 1;
        $display("FAIL case %0d: timeout, %0d vectors", CASE_ID, out_ptr);
      end
    end
  end

  assign finished = out_ptr >= NIMG && in_ptr >= NIN && extra >= 20;
  assign done_o   = finished || cycle >= LIMIT;
  assign errors_o = errors + period_err;

  logic reported = 1'b0;
  always @(posedge clk_i) begin : p_report
    if (done_o && !reported) begin
      reported <= 1'b1;
      $display("case %0d (CH=%0d BITS=%0d H=%0d W=%0d gaps %0d/%0d): %0d vectors, %0d taken while a pixel was written, %0d errors",
               CASE_ID, CH, BITS, H, W, IN_GAP, OUT_GAP, out_ptr, same_cycle_writes, errors_o);
    end
  end
endmodule

module tb_rram_flatten_buf;
  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  localparam int NC = 6;
  logic [NC-1:0]    done;
  logic [NC*32-1:0] errs;

  // id, CH, BITS, H, W, NIMG, IN_GAP, OUT_GAP, SEED
  tb_rram_flatten_buf_case #(0, 16, 1, 4, 4, 5, 0, 0, 1)   u_c0 (clk, rst_n, done[0], errs[0*32 +: 32]);
  tb_rram_flatten_buf_case #(1, 2, 2, 3, 5, 6, 30, 30, 2)  u_c1 (clk, rst_n, done[1], errs[1*32 +: 32]);
  tb_rram_flatten_buf_case #(2, 1, 3, 1, 1, 8, 20, 20, 3)  u_c2 (clk, rst_n, done[2], errs[2*32 +: 32]);
  tb_rram_flatten_buf_case #(3, 3, 1, 5, 4, 6, 10, 60, 4)  u_c3 (clk, rst_n, done[3], errs[3*32 +: 32]);
  tb_rram_flatten_buf_case #(4, 1, 1, 1, 1, 8, 0, 0, 5)    u_c4 (clk, rst_n, done[4], errs[4*32 +: 32]);
  tb_rram_flatten_buf_case #(5, 6, 1, 4, 4, 6, 0, 0, 6)    u_c5 (clk, rst_n, done[5], errs[5*32 +: 32]);

  int total;
  initial begin : p_main
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    wait (&done);
    @(posedge clk);
    total = 0;
    for (int i = 0; i < NC; i++) total = total + errs[i*32 +: 32];
    if (total == 0) begin
      $display("PASS tb_rram_flatten_buf (%0d cases)", NC);
      $finish;
    end else begin
      $display("FAIL tb_rram_flatten_buf: %0d errors", total);
      $fatal(1, "tb_rram_flatten_buf failed");
    end
  end
endmodule
