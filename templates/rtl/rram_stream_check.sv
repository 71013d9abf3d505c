// rram-gen hand-written RTL library: rram_stream_check
//
// Protocol assertions on one valid/ready stream: once a beat is offered
// (valid high) and not taken (ready low), the next cycle must offer the same
// beat again — valid still high, data unchanged. A violation stops the
// simulation with $fatal naming the instance (every simulator; the emitted
// testbench then fails). Nothing to synthesize: the body is for simulation only.
//
// Parameters
//   WIDTH  data width (>= 1)
//
// Ports
//   clk_i, rst_ni  clock, asynchronous active-low reset (no beat is pending after reset)
//   valid_i, ready_i, data_i  the stream, observed only
//
// Timing: checks at each rising clock edge the beat left pending at the one before.
module rram_stream_check #(
  parameter int WIDTH = 8
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             valid_i,
  input  logic             ready_i,
  input  logic [WIDTH-1:0] data_i
);

`ifndef SYNTHESIS
  // Protocol assertions (simulation only): the pending beat and its data.
  logic             pending_q;
  logic [WIDTH-1:0] data_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pending_q <= 1'b0;
    end else begin
      pending_q <= valid_i && !ready_i;
    end
  end

  always_ff @(posedge clk_i) begin
    data_q <= data_i;
  end

  // A plain always: simulators warn about system tasks in always_ff.
  always @(posedge clk_i) begin : p_assert_hold
    if (pending_q) begin
      if (!valid_i) begin
        $fatal(1, "%m: valid fell before its beat was accepted");
      end else if (data_i !== data_q) begin
        $fatal(1, "%m: data changed while valid and not ready");
      end
    end
  end
`endif

endmodule
