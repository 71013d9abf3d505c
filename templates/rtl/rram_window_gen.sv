// rram-gen hand-written RTL library: rram_window_gen
//
// Line buffer / window generator for convolution and max-pool stages.
//
// Parameters
//   CH      channels per pixel (>= 1)
//   BITS    bits per value (>= 1)
//   H, W    input map height / width (>= 1)
//   K, STRIDE, PAD   the square shorthand: kernel K x K, stride STRIDE on both
//           axes, zero padding PAD on every side; the defaults of the per-axis
//           parameters below, so a square window sets only these. Any other
//           window sets these to its KH, SH, PT and overrides only the
//           parameters that differ (so all three stay in use).
//   KH, KW  kernel height / width (>= 1)        (default K)
//   SH, SW  vertical / horizontal stride (>= 1) (default STRIDE); any value
//           (a stride above the window's span skips rows/columns)
//   PT, PL, PB, PR   zero padding at the top, left, bottom, right (>= 0,
//           default PAD)
//   DH, DW  dilation (>= 1, default 1): taps DH rows / DW columns apart
//   Span of a window (rows / columns it covers): EKH = DH*(KH-1)+1,
//   EKW = DW*(KW-1)+1; requires H + PT + PB >= EKH and W + PL + PR >= EKW.
//   Output map: HO = (H + PT + PB - EKH) / SH + 1, WO = (W + PL + PR - EKW) / SW + 1.
//
// Ports
//   clk_i, rst_ni      clock, asynchronous active-low reset
//   in_valid_i         input pixel valid
//   in_ready_o         input pixel accepted when in_valid_i && in_ready_o.
//                      Depends on registered state only (no combinational path
//                      from any input port).
//   in_data_i          [CH*BITS-1:0], channel c at [c*BITS +: BITS]
//                      Pixels arrive in raster order (y outer, x inner), H*W per
//                      image; images follow back to back with no separator.
//   out_valid_o        window valid (registered)
//   out_ready_i        window accepted when out_valid_o && out_ready_i
//   out_data_o         [KH*KW*CH*BITS-1:0] (registered), element (c, ky, kx) at
//                      idx = (c*KH + ky)*KW + kx, bits [idx*BITS +: BITS], equal to
//                      in[c][oy*SH+ky*DH-PT][ox*SW+kx*DW-PL], 0 outside the map.
//                      One window per output position, raster order of HO x WO.
//                      Held stable while out_valid_o && !out_ready_i.
//
// Timing
//   * Latency: if the last input pixel a window depends on is accepted in cycle
//     t, the window is loaded into the output register at the end of cycle t+1
//     and out_valid_o is high from cycle t+2 (first possible output handshake).
//     At most one window per cycle.
//   * The first window (0,0) depends on input pixel
//     (min(H-1, EKH-1-PT), min(W-1, EKW-1-PL)) (with dilation: the last row
//     and column of its span, taps or not); windows covering no map pixel at
//     all wait until the input has started their image.
//   * Input: one pixel per cycle while the ring of R = EKH+1 rows has room: input
//     row iy may overwrite row iy-R once no pending window needs it. Images
//     overlap: pixels of the next image are accepted while the last windows of
//     the current one are still being emitted (the input runs at most one image
//     ahead).
//   * Throughput, source and sink never stalling: exactly max(H*W, HO*WO)
//     cycles per image in steady state (measured by the unit testbench for
//     stride 1..4, padding 0..2, K = 1..5, and rectangular, per-axis stride,
//     asymmetric padding and dilated windows), i.e. one crossbar read per output
//     position per cycle whenever the input stream is the bottleneck.
//
// Storage: R*W*CH*BITS flip-flops (ring, not reset) plus the output register.
//
// The ring's write decoder and read multiplexers are parallel-case loops,
// which synthesize to enables and AND-OR multiplexers instead of barrel
// shifters. One form for every tool.
module rram_window_gen #(
  parameter int CH     = 1,
  parameter int BITS   = 1,
  parameter int H      = 8,
  parameter int W      = 8,
  parameter int K      = 3,
  parameter int STRIDE = 1,
  parameter int PAD    = 0,
  parameter int KH     = K,
  parameter int KW     = K,
  parameter int SH     = STRIDE,
  parameter int SW     = STRIDE,
  parameter int PT     = PAD,
  parameter int PL     = PAD,
  parameter int PB     = PAD,
  parameter int PR     = PAD,
  parameter int DH     = 1,
  parameter int DW     = 1
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,

  input  logic                     in_valid_i,
  output logic                     in_ready_o,
  input  logic [CH*BITS-1:0]       in_data_i,

  output logic                     out_valid_o,
  input  logic                     out_ready_i,
  output logic [KH*KW*CH*BITS-1:0] out_data_o
);

  // ---------------------------------------------------------------------------
  // Derived sizes
  // ---------------------------------------------------------------------------
  localparam int PX   = CH * BITS;                       // bits per pixel
  localparam int WINB = KH * KW * PX;                    // bits per window
  localparam int EKH  = DH * (KH - 1) + 1;               // rows a window spans
  localparam int EKW  = DW * (KW - 1) + 1;               // columns a window spans
  localparam int HO   = (H + PT + PB - EKH) / SH + 1;    // output rows
  localparam int WO   = (W + PL + PR - EKW) / SW + 1;    // output columns
  localparam int R    = EKH + 1;                         // rows in the ring
  localparam int ROWB = W * PX;                          // bits per ring row
  localparam int SLW  = $clog2(R);                       // ring slot index width (R >= 2)
  localparam int CIW  = (W > 1) ? $clog2(W) : 1;         // column index width
  localparam int PMAX = (PT > PL ? PT : PL) > (PB > PR ? PB : PR) ? (PT > PL ? PT : PL) : (PB > PR ? PB : PR);
  localparam int MAXV = 2 * ((H > W) ? H : W) + 2 * PMAX + ((SH > SW) ? SH : SW) + ((EKH > EKW) ? EKH : EKW);
  localparam int CW   = $clog2(MAXV + 1) + 2;            // signed coordinate width

  // Coordinate constants (signed, CW bits)
  localparam logic signed [CW-1:0] C_ZERO     = CW'(0);
  localparam logic signed [CW-1:0] C_ONE      = CW'(1);
  localparam logic signed [CW-1:0] C_SH       = CW'(SH);
  localparam logic signed [CW-1:0] C_SW       = CW'(SW);
  localparam logic signed [CW-1:0] C_EKHM1    = CW'(EKH - 1);
  localparam logic signed [CW-1:0] C_EKWM1    = CW'(EKW - 1);
  localparam logic signed [CW-1:0] C_H        = CW'(H);
  localparam logic signed [CW-1:0] C_2H       = CW'(2 * H);
  localparam logic signed [CW-1:0] C_HM1      = CW'(H - 1);
  localparam logic signed [CW-1:0] C_WM1      = CW'(W - 1);
  localparam logic signed [CW-1:0] C_R        = CW'(R);
  localparam logic signed [CW-1:0] C_YBASE0   = CW'(-PT);                      // first window origin
  localparam logic signed [CW-1:0] C_XBASE0   = CW'(-PL);
  localparam logic signed [CW-1:0] C_XB_LAST  = CW'((WO - 1) * SW - PL);       // last window column origin
  localparam logic signed [CW-1:0] C_YB_LAST  = CW'((HO - 1) * SH - PT);       // last window row origin

  // Ring slot constants (all computed at elaboration; no run-time modulo)
  localparam int             SMR_I    = SH % R;                               // slot step per output row
  localparam int             IMGD_I   = H - (HO - 1) * SH;                    // rows from last origin to next image's first origin
  localparam int             IMGM_I   = ((IMGD_I % R) + R) % R;               // ... modulo R
  localparam int             RSLOT0_I = (R - (PT % R)) % R;                   // slot of row -PT after reset
  localparam logic [SLW:0]   C_SMR    = (SLW+1)'(SMR_I);
  localparam logic [SLW:0]   C_IMGM   = (SLW+1)'(IMGM_I);
  localparam logic [SLW:0]   C_RS     = (SLW+1)'(R);
  localparam logic [SLW-1:0] C_RSLOT0 = SLW'(RSLOT0_I);
  localparam logic [SLW-1:0] C_RLAST  = SLW'(R - 1);

`ifndef SYNTHESIS
  initial begin : p_param_check
    if (CH < 1 || BITS < 1 || H < 1 || W < 1 || KH < 1 || KW < 1 || SH < 1 || SW < 1 ||
        DH < 1 || DW < 1 || PT < 0 || PL < 0 || PB < 0 || PR < 0) begin
      $fatal(1, "rram_window_gen: CH, BITS, H, W, KH, KW, SH, SW, DH, DW must be >= 1 and PT, PL, PB, PR >= 0");
    end
    if (H + PT + PB < EKH || W + PL + PR < EKW) begin
      $fatal(1, "rram_window_gen: window span %0dx%0d larger than padded map", EKH, EKW);
    end
  end
`endif

  // ---------------------------------------------------------------------------
  // State
  //
  // Rows are numbered in the coordinates of the image the output side is
  // working on ("current image"): the input side may already be in the next
  // image (iy_q >= H) or still finishing the previous one (iy_q < 0). Row g of
  // that numbering lives in ring slot g mod R; the slot pointers wslot_q (row
  // iy_q) and rslot_q (row ybase_q) advance by wrap-around counting.
  // ---------------------------------------------------------------------------
  // Input side: next pixel (iy, ix) and its ring slot.
  logic signed [CW-1:0] ix_d, ix_q;
  logic signed [CW-1:0] iy_d, iy_q;
  logic [SLW-1:0]       wslot_d, wslot_q;

  // Output side: origin (ybase, xbase) of the next window and the slot of row ybase.
  logic signed [CW-1:0] xbase_d, xbase_q;
  logic signed [CW-1:0] ybase_d, ybase_q;
  logic [SLW-1:0]       rslot_d, rslot_q;

  logic                 out_valid_d, out_valid_q;
  logic [WINB-1:0]      out_data_d, out_data_q;

  // Ring of R rows (flip-flops), slot s at [s*ROWB +: ROWB], column x at
  // [x*PX +: PX].
  logic [R*ROWB-1:0]    ring;

  // ---------------------------------------------------------------------------
  // Handshakes
  // ---------------------------------------------------------------------------
  logic                 in_fire;
  logic                 in_row_end;
  logic                 out_load;
  logic                 out_row_end;
  logic                 out_last;
  logic                 win_avail;
  logic                 ring_room;
  logic signed [CW-1:0] need_lo;

  // Lowest row any pending window still needs: the current window's first map
  // row, or row H (first row of the next image) once only padding is left.
  assign need_lo = (ybase_q < C_ZERO) ? C_ZERO :
                   (ybase_q > C_H)    ? C_H    : ybase_q;

  // Input row iy overwrites row iy-R: allowed once no pending window needs it.
  // The input runs at most one image ahead (iy < 2H).
  assign ring_room  = ((iy_q - need_lo) < C_R) && (iy_q < C_2H);
  assign in_ready_o = ring_room;
  assign in_fire    = in_valid_i && ring_room;
  assign in_row_end = (ix_q == C_WM1);

  assign out_load    = win_avail && (!out_valid_q || out_ready_i);
  assign out_row_end = (xbase_q == C_XB_LAST);
  assign out_last    = out_load && out_row_end && (ybase_q == C_YB_LAST);

  // ---------------------------------------------------------------------------
  // Window availability: the window at (ybase, xbase) needs rows
  // [max(0,ybase), min(H-1,ybase+EKH-1)] and the matching columns; it is ready
  // once pixel (min(H-1,ybase+EKH-1), min(W-1,xbase+EKW-1)) has arrived (with
  // dilation its last tap may lie before that: waiting for the span's end is
  // simpler and the ring holds the whole span). A window whose span covers
  // no pixel of the map waits until the input has started its image.
  // ---------------------------------------------------------------------------
  logic signed [CW-1:0] yhi, xhi, yneed, xneed;
  logic                 win_empty;
  logic                 win_arrived;
  logic                 img_started;

  assign yhi         = ybase_q + C_EKHM1;
  assign xhi         = xbase_q + C_EKWM1;
  assign yneed       = (yhi > C_HM1) ? C_HM1 : yhi;
  assign xneed       = (xhi > C_WM1) ? C_WM1 : xhi;
  assign win_empty   = (yhi < C_ZERO) || (ybase_q > C_HM1) ||
                       (xhi < C_ZERO) || (xbase_q > C_WM1);
  assign win_arrived = (iy_q > yneed) || ((iy_q == yneed) && (ix_q > xneed));
  assign img_started = (iy_q > C_ZERO) || ((iy_q == C_ZERO) && (ix_q > C_ZERO));
  assign win_avail   = win_empty ? img_started : win_arrived;

  // ---------------------------------------------------------------------------
  // Input side counters (iy is rebased by -H when the output side moves on)
  // ---------------------------------------------------------------------------
  logic signed [CW-1:0] iy_inc;
  assign iy_inc = (in_fire && in_row_end) ? (iy_q + C_ONE) : iy_q;

  always_comb begin
    ix_d    = ix_q;
    wslot_d = wslot_q;
    iy_d    = out_last ? (iy_inc - C_H) : iy_inc;
    if (in_fire) begin
      if (in_row_end) begin
        ix_d    = C_ZERO;
        wslot_d = (wslot_q == C_RLAST) ? '0 : (wslot_q + 1'b1);
      end else begin
        ix_d    = ix_q + C_ONE;
      end
    end
  end

  // ---------------------------------------------------------------------------
  // Output side counters
  // ---------------------------------------------------------------------------
  logic [SLW:0]   rslot_sum;
  logic [SLW-1:0] rslot_next;
  assign rslot_sum  = {1'b0, rslot_q} + (out_last ? C_IMGM : C_SMR);
  assign rslot_next = (rslot_sum >= C_RS) ? SLW'(rslot_sum - C_RS) : rslot_sum[SLW-1:0];

  always_comb begin
    xbase_d = xbase_q;
    ybase_d = ybase_q;
    rslot_d = rslot_q;
    if (out_load) begin
      if (out_last) begin
        xbase_d = C_XBASE0;
        ybase_d = C_YBASE0;
        rslot_d = rslot_next;
      end else if (out_row_end) begin
        xbase_d = C_XBASE0;
        ybase_d = ybase_q + C_SH;
        rslot_d = rslot_next;
      end else begin
        xbase_d = xbase_q + C_SW;
      end
    end
  end

  // ---------------------------------------------------------------------------
  // Window assembly from the ring (combinational, registered below)
  // ---------------------------------------------------------------------------
  // Parallel-case multiplexers (functions, not always_comb blocks: Icarus 11
  // never settles on this default-then-select always_comb).
  function automatic logic [ROWB-1:0] pick_row(input logic [R*ROWB-1:0] rg, input logic [SLW-1:0] sl);
    logic [ROWB-1:0] r;
    r = rg[0 +: ROWB];  // slot 0 as the default: no zero fill, one input fewer
    for (int si = 1; si < R; si++) begin
      if (sl == SLW'(si)) r = rg[si * ROWB +: ROWB];
    end
    pick_row = r;
  endfunction

  function automatic logic [PX-1:0] pick_col(input logic [ROWB-1:0] rw, input logic [CIW-1:0] ci,
                                             input logic en);
    logic [PX-1:0] p;
    p = '0;
    for (int xi = 0; xi < W; xi++) begin
      if (en && (ci == CIW'(xi))) p = rw[xi * PX +: PX];
    end
    pick_col = p;
  endfunction

  logic [KW-1:0] col_ok;
  logic [KW*CIW-1:0] col_idx;

  for (genvar kx = 0; kx < KW; kx++) begin : g_col
    localparam logic signed [CW-1:0] C_KX = CW'(kx * DW);
    logic signed [CW-1:0] xcol;
    assign xcol = xbase_q + C_KX;
    assign col_ok[kx] = (xcol >= C_ZERO) && (xcol <= C_WM1);
    assign col_idx[kx*CIW +: CIW] = xcol[CIW-1:0];
  end

  logic [WINB-1:0] win;

  for (genvar ky = 0; ky < KH; ky++) begin : g_row
    localparam logic signed [CW-1:0] C_KY  = CW'(ky * DH);
    localparam logic [SLW:0]         C_KYS = (SLW+1)'(ky * DH);
    logic signed [CW-1:0] yrow;
    logic                 row_ok;
    logic [SLW:0]         slot_sum;
    logic [SLW-1:0]       slot;
    logic [ROWB-1:0]      row;

    assign yrow     = ybase_q + C_KY;
    assign row_ok   = (yrow >= C_ZERO) && (yrow <= C_HM1);
    assign slot_sum = {1'b0, rslot_q} + C_KYS;
    assign slot     = (slot_sum >= C_RS) ? SLW'(slot_sum - C_RS) : slot_sum[SLW-1:0];
    // Slot multiplexer as a parallel case (an indexed part-select would become
    // a barrel shifter in synthesis, several times larger).
    assign row      = pick_row(ring, slot);

    for (genvar kx = 0; kx < KW; kx++) begin : g_elem
      logic [CIW-1:0] cidx;
      logic           ok;
      logic [PX-1:0]  pix;
      assign cidx = col_idx[kx*CIW +: CIW];
      assign ok   = row_ok && col_ok[kx];
      // Column multiplexer as a parallel case; positions outside the map read 0.
      assign pix = pick_col(row, cidx, ok);
      for (genvar c = 0; c < CH; c++) begin : g_ch
        assign win[((c * KH + ky) * KW + kx) * BITS +: BITS] = pix[c * BITS +: BITS];
      end
    end
  end

  // ---------------------------------------------------------------------------
  // Output register
  // ---------------------------------------------------------------------------
  always_comb begin
    out_valid_d = out_valid_q;
    out_data_d  = out_data_q;
    if (out_load) begin
      out_valid_d = 1'b1;
      out_data_d  = win;
    end else if (out_ready_i) begin
      out_valid_d = 1'b0;
    end
  end

  assign out_valid_o = out_valid_q;
  assign out_data_o  = out_data_q;

  // ---------------------------------------------------------------------------
  // Registers
  // ---------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ix_q        <= C_ZERO;
      iy_q        <= C_ZERO;
      wslot_q     <= '0;
      xbase_q     <= C_XBASE0;
      ybase_q     <= C_YBASE0;
      rslot_q     <= C_RSLOT0;
      out_valid_q <= 1'b0;
    end else begin
      ix_q        <= ix_d;
      iy_q        <= iy_d;
      wslot_q     <= wslot_d;
      xbase_q     <= xbase_d;
      ybase_q     <= ybase_d;
      rslot_q     <= rslot_d;
      out_valid_q <= out_valid_d;
    end
  end

  // The output window is data (no reset): out_valid_o says when it is meaningful.
  always_ff @(posedge clk_i) begin
    out_data_q <= out_data_d;
  end

  // Ring write: pixel (iy, ix) goes to slot iy mod R, column ix. Data only, no
  // reset. One vector register, not a register per pixel (far less C++ for the
  // simulator to compile).
  // One enable per pixel position (a write at a computed offset would
  // become a shifter).
  always_ff @(posedge clk_i) begin
    for (int si = 0; si < R; si++) begin
      for (int xi = 0; xi < W; xi++) begin
        if (in_fire && (wslot_q == SLW'(si)) && (ix_q == CW'(xi))) begin
          ring[(si * W + xi) * PX +: PX] <= in_data_i;
        end
      end
    end
  end

endmodule
