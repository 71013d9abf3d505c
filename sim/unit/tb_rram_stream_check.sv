// rram-gen unit testbench: rram_stream_check
//
// A source that keeps the valid/ready rules (random offers, random
// back-pressure, 2,000 cycles) must run to the end without a $fatal: prints
// "PASS tb_rram_stream_check". With +define+RRAM_TB_DROP_VALID or
// RRAM_TB_CHANGE_DATA the source breaks the rule once, at the first stall after cycle 500, and the
// checker must stop the run with $fatal before PASS is printed (test/rtl-lib.test.ts
// expects that failure).

module tb_rram_stream_check;
  logic       clk = 1'b0;
  logic       rst_n = 1'b0;
  logic       valid, ready;
  logic [7:0] data;
  logic [31:0] rng;
  int         cycle;
  logic       broken;
  always #5 clk = ~clk;

  rram_stream_check #(.WIDTH(8)) u_dut (
    .clk_i   (clk),
    .rst_ni  (rst_n),
    .valid_i (valid),
    .ready_i (ready),
    .data_i  (data)
  );

  function automatic logic [31:0] xs32(input logic [31:0] s);
    logic [31:0] t;
    t = s ^ (s << 13);
    t = t ^ (t >> 17);
    t = t ^ (t << 5);
    return t;
  endfunction

  // Drive on the falling edge; the checker samples on the rising one.
  always @(negedge clk) begin
    if (!rst_n) begin
      valid <= 1'b0;
      ready <= 1'b0;
      data  <= '0;
      rng   <= 32'h1234567;
      cycle <= 0;
      broken <= 1'b0;
    end else begin
      cycle <= cycle + 1;
      rng   <= xs32(rng);
      ready <= rng[3];
      if (!(valid && !ready)) begin
        valid <= rng[7];
        data  <= rng[15:8];
      end
`ifdef RRAM_TB_DROP_VALID
      if (cycle >= 500 && !broken && valid && !ready) begin
        valid  <= 1'b0;
        broken <= 1'b1;
      end
`endif
`ifdef RRAM_TB_CHANGE_DATA
      if (cycle >= 500 && !broken && valid && !ready) begin
        data   <= ~data;
        broken <= 1'b1;
      end
`endif
    end
  end

  initial begin
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    repeat (2000) @(posedge clk);
    $display("PASS tb_rram_stream_check");
    $finish;
  end
endmodule
