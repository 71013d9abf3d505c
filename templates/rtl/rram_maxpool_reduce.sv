// rram-gen hand-written RTL library: rram_maxpool_reduce
//
// Max-pool reduction of one unrolled window (as produced by rram_window_gen):
// per-channel maximum of KH*KW unsigned values; for BITS == 1 that is an OR.
//
// Parameters
//   CH    channels (>= 1)
//   BITS  bits per value (>= 1)
//   K     square window size (>= 1): the default of KH and KW
//   KH, KW  window height / width (>= 1); a rectangular window sets K (its
//           height) and KW
//
// Ports
//   win_i  [KH*KW*CH*BITS-1:0]  element (c, ky, kx) at idx = (c*KH + ky)*KW + kx,
//                             bits [idx*BITS +: BITS]
//   max_o  [CH*BITS-1:0]      channel c at [c*BITS +: BITS]
//
// Timing: combinational, no clock. (Padding positions arrive as 0, which is
// the neutral element for unsigned max.)
module rram_maxpool_reduce #(
  parameter int CH   = 1,
  parameter int BITS = 1,
  parameter int K    = 2,
  parameter int KH   = K,
  parameter int KW   = K
) (
  input  logic [KH*KW*CH*BITS-1:0] win_i,
  output logic [CH*BITS-1:0]       max_o
);

  localparam int KK = KH * KW;

  // A function with its inputs as arguments, not an always_comb block: Icarus 11
  // re-triggers an always_comb on its own writes and never settles.
  function automatic logic [BITS-1:0] window_max(input logic [KK*BITS-1:0] w);
    logic [BITS-1:0] m;
    m = '0;
    for (int i = 0; i < KK; i++) if (w[i * BITS +: BITS] > m) m = w[i * BITS +: BITS];
    window_max = m;
  endfunction

  for (genvar c = 0; c < CH; c++) begin : g_ch
    if (BITS == 1) begin : g_or
      assign max_o[c] = |win_i[c * KK +: KK];
    end else begin : g_max
      assign max_o[c * BITS +: BITS] = window_max(win_i[c * KK * BITS +: KK * BITS]);
    end
  end

endmodule
