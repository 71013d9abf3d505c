// rram-gen hand-written RTL library: rram_sumpool_reduce
//
// Sum-pool reduction of one unrolled window (as produced by rram_window_gen):
// per-channel sum of K*K unsigned values — average pooling without the
// division, which the next layer's weights carry (src/ops/sumpool.ts). For
// BITS == 1 the sum is a count of ones.
//
// Parameters
//   CH        channels (>= 1)
//   BITS      bits per input value (>= 1)
//   OUT_BITS  bits of the sum; holds K*K*(2^BITS - 1), as the plan sizes it
//   K         square window size (>= 1)
//
// Ports
//   win_i  [K*K*CH*BITS-1:0]  element (c, ky, kx) at idx = (c*K + ky)*K + kx,
//                             bits [idx*BITS +: BITS]
//   sum_o  [CH*OUT_BITS-1:0]  channel c at [c*OUT_BITS +: OUT_BITS]
//
// Timing: combinational, no clock. (Padding positions arrive as 0, which adds
// nothing.)
module rram_sumpool_reduce #(
  parameter int CH       = 1,
  parameter int BITS     = 1,
  parameter int OUT_BITS = 3,
  parameter int K        = 2
) (
  input  logic [K*K*CH*BITS-1:0] win_i,
  output logic [CH*OUT_BITS-1:0] sum_o
);

  localparam int KK = K * K;

  // A function with its inputs as arguments, not an always_comb block: Icarus 11
  // re-triggers an always_comb on its own writes and never settles.
  function automatic logic [OUT_BITS-1:0] window_sum(input logic [KK*BITS-1:0] w);
    logic [OUT_BITS-1:0] s;
    s = '0;
    for (int i = 0; i < KK; i++) s = s + OUT_BITS'(w[i * BITS +: BITS]);
    window_sum = s;
  endfunction

  for (genvar c = 0; c < CH; c++) begin : g_ch
    assign sum_o[c * OUT_BITS +: OUT_BITS] = window_sum(win_i[c * KK * BITS +: KK * BITS]);
  end

endmodule
