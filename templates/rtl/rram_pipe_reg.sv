// rram-gen hand-written RTL library: rram_pipe_reg
//
// Valid/ready register slice (full throughput, no skid buffer).
//
// Parameters
//   WIDTH  data width (>= 1)
//
// Ports
//   clk_i, rst_ni  clock, asynchronous active-low reset (clears valid; the data
//                 register is not reset and undefined until the first beat)
//   in_valid_i, in_ready_o, in_data_i     upstream; in_ready_o = !out_valid_o || out_ready_i
//                                         (combinational from out_ready_i)
//   out_valid_o, out_ready_i, out_data_o  downstream; out_valid_o and out_data_o registered
//
// Timing: one cycle latency, one beat per cycle. Data held while
// out_valid_o && !out_ready_i.
//
// Both sides carry rram_stream_check: every stage ends in this slice, so
// each stage's producer and every inter-stage stream of the top are checked
// for valid/ready protocol in simulation.
module rram_pipe_reg #(
  parameter int WIDTH = 8
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic             in_valid_i,
  output logic             in_ready_o,
  input  logic [WIDTH-1:0] in_data_i,

  output logic             out_valid_o,
  input  logic             out_ready_i,
  output logic [WIDTH-1:0] out_data_o
);

  logic             valid_d, valid_q;
  logic [WIDTH-1:0] data_d, data_q;

  assign in_ready_o = !valid_q || out_ready_i;

  always_comb begin
    valid_d = valid_q;
    data_d  = data_q;
    if (in_ready_o) begin
      valid_d = in_valid_i;
      if (in_valid_i) begin
        data_d = in_data_i;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
    end else begin
      valid_q <= valid_d;
    end
  end

  // Data only (no reset): out_valid_o says when it is meaningful.
  always_ff @(posedge clk_i) begin
    data_q <= data_d;
  end

  assign out_valid_o = valid_q;
  assign out_data_o  = data_q;

  rram_stream_check #(.WIDTH(WIDTH)) u_check_in (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (in_valid_i),
    .ready_i (in_ready_o),
    .data_i  (in_data_i)
  );

  rram_stream_check #(.WIDTH(WIDTH)) u_check_out (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (out_valid_o),
    .ready_i (out_ready_i),
    .data_i  (out_data_o)
  );

endmodule
