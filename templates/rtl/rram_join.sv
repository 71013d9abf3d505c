// rram-gen hand-written RTL library: rram_join
//
// Join of N valid/ready streams into one whose beat carries all N beats side
// by side (a concat, an add's inputs, a fused add's skip inputs): the data is
// concatenated by wires; this module makes one handshake of N. Every input is
// taken in the same cycle, when all are valid and the output is ready.
//
// Parameters
//   N  inputs (>= 2)
//
// Ports
//   in_valid_i[i], in_ready_o[i]  input i; in_ready_o[i] = all valid and out_ready_i
//   out_valid_o, out_ready_i      output; out_valid_o = all valid
//
// Timing: combinational, no storage.
module rram_join #(
  parameter int N = 2
) (
  input  logic [N-1:0] in_valid_i,
  output logic [N-1:0] in_ready_o,

  output logic         out_valid_o,
  input  logic         out_ready_i
);

  assign out_valid_o = &in_valid_i;
  assign in_ready_o  = {N{out_valid_o && out_ready_i}};

endmodule
