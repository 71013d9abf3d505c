// rram-gen hand-written RTL library: rram_fork
//
// Eager fork of one valid/ready stream into N branches (a layer whose output
// feeds several layers). The data is broadcast by wires; this module holds
// only which branches have taken the current beat, so each branch takes it
// exactly once and a slow branch does not hold back a fast one's handshake
// within the beat. The source moves on when every branch has taken it.
//
// Parameters
//   N  branches (>= 2)
//
// Ports
//   clk_i, rst_ni  clock, asynchronous active-low reset
//   in_valid_i, in_ready_o     source; in_ready_o = every branch has taken the
//                              beat or takes it now (combinational from out_ready_i)
//   out_valid_o[i], out_ready_i[i]  branch i; out_valid_o[i] = in_valid_i and
//                              branch i has not taken this beat yet (no path
//                              from any out_ready_i)
//
// Timing: no latency, one beat per cycle when every branch is ready.
// Storage: N flip-flops.
module rram_fork #(
  parameter int N = 2
) (
  input  logic         clk_i,
  input  logic         rst_ni,

  input  logic         in_valid_i,
  output logic         in_ready_o,

  output logic [N-1:0] out_valid_o,
  input  logic [N-1:0] out_ready_i
);

  logic [N-1:0] taken_q;

  assign out_valid_o = {N{in_valid_i}} & ~taken_q;
  assign in_ready_o  = &(taken_q | out_ready_i);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      taken_q <= '0;
    end else if (in_valid_i) begin
      taken_q <= in_ready_o ? '0 : taken_q | (out_valid_o & out_ready_i);
    end
  end

endmodule
