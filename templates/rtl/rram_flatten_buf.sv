// rram-gen hand-written RTL library: rram_flatten_buf
//
// Inter-layer buffer before a dense layer: collects one C x H x W map from a
// pixel stream and presents it as one flattened vector (PyTorch C,H,W order).
//
// Parameters
//   CH, BITS, H, W  map shape and bits per value (all >= 1)
//
// Ports
//   clk_i, rst_ni  clock, asynchronous active-low reset (clears the control
//                  state; the buffer itself is data and is not reset)
//   in_valid_i, in_ready_o, in_data_i  pixel stream as rram_window_gen's input:
//                  [CH*BITS-1:0], channel c at [c*BITS +: BITS], raster order,
//                  H*W pixels per image, images back to back.
//                  in_ready_o = !out_valid_o || out_ready_i (combinational from
//                  out_ready_i).
//   out_valid_o, out_ready_i, out_data_o  one vector per image,
//                  [CH*H*W*BITS-1:0], element (c, y, x) at idx = c*H*W + y*W + x,
//                  bits [idx*BITS +: BITS]. out_data_o is the buffer register
//                  itself.
//
// Timing: out_valid_o rises in the cycle after the last pixel's handshake. In
// the cycle the vector is taken (out_valid_o && out_ready_i) pixel 0 of the
// next image may already be accepted: it is written at the same clock edge at
// which the consumer samples the vector, so the consumer sees the old value
// (standard valid/ready transfer semantics; this is safe because out_data_o
// comes straight from flip-flops). One image per H*W cycles at full rate.
module rram_flatten_buf #(
  parameter int CH   = 1,
  parameter int BITS = 1,
  parameter int H    = 4,
  parameter int W    = 4
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,

  input  logic                   in_valid_i,
  output logic                   in_ready_o,
  input  logic [CH*BITS-1:0]     in_data_i,

  output logic                   out_valid_o,
  input  logic                   out_ready_i,
  output logic [CH*H*W*BITS-1:0] out_data_o
);

  localparam int NPIX = H * W;
  localparam int PW   = (NPIX > 1) ? $clog2(NPIX) : 1;   // pixel counter width
  localparam logic [PW-1:0] C_LAST = PW'(NPIX - 1);

  logic [PW-1:0] pos_d, pos_q;
  logic          out_valid_d, out_valid_q;
  logic          in_fire;
  logic          in_last;

  assign in_ready_o = !out_valid_q || out_ready_i;
  assign in_fire    = in_valid_i && in_ready_o;
  assign in_last    = (pos_q == C_LAST);

  always_comb begin
    pos_d       = pos_q;
    out_valid_d = out_valid_q && !out_ready_i;
    if (in_fire) begin
      if (in_last) begin
        pos_d       = '0;
        out_valid_d = 1'b1;
      end else begin
        pos_d       = pos_q + 1'b1;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pos_q       <= '0;
      out_valid_q <= 1'b0;
    end else begin
      pos_q       <= pos_d;
      out_valid_q <= out_valid_d;
    end
  end

  // Buffer: pixel p = y*W + x, channel c lands at element c*H*W + p. Each
  // channel's segment is a shift register: a taken pixel enters at the top
  // of every segment, so after H*W pixels pixel p sits at element p. One
  // shared enable and no multiplexers (a write at a counted position needs
  // a decoder per element; a simulator evaluates it on every clock). Data
  // only, no reset: out_valid_o says when the buffer holds a whole map.
  logic [CH*NPIX*BITS-1:0] buf_q;

  for (genvar c = 0; c < CH; c++) begin : g_ch
    localparam int SEG = c * NPIX * BITS;
    if (NPIX == 1) begin : g_one
      always_ff @(posedge clk_i) begin
        if (in_fire) buf_q[SEG +: BITS] <= in_data_i[c * BITS +: BITS];
      end
    end else begin : g_shift
      always_ff @(posedge clk_i) begin
        // Two part-selects, not a concatenation: Verilator builds a wide
        // concatenation bit by bit.
        if (in_fire) begin
          buf_q[SEG +: (NPIX - 1) * BITS]           <= buf_q[SEG + BITS +: (NPIX - 1) * BITS];
          buf_q[SEG + (NPIX - 1) * BITS +: BITS] <= in_data_i[c * BITS +: BITS];
        end
      end
    end
  end

  assign out_data_o = buf_q;

  assign out_valid_o = out_valid_q;

endmodule
