// rram-gen hand-written RTL library: rram_sense_amp
//
// One sense amplifier (comparator against a fixed reference) per column:
// the threshold activation that makes every intermediate feature map 1 bit.
//
// Parameters
//   COLS        columns (>= 1)
//   ACC_BITS    signed accumulator width (>= 1)
//   THRESHOLDS  [COLS*ACC_BITS-1:0], signed threshold of column c at
//               [c*ACC_BITS +: ACC_BITS]
//
// Ports
//   acc_i  [COLS*ACC_BITS-1:0]  signed accumulator of column c at [c*ACC_BITS +: ACC_BITS]
//   bit_o  [COLS-1:0]           bit[c] = (acc[c] >= T[c]), signed compare
//
// Timing: combinational, no clock.
module rram_sense_amp #(
  parameter int                       COLS       = 4,
  parameter int                       ACC_BITS   = 8,
  parameter logic [COLS*ACC_BITS-1:0] THRESHOLDS = '0
) (
  input  logic [COLS*ACC_BITS-1:0] acc_i,
  output logic [COLS-1:0]          bit_o
);

  for (genvar c = 0; c < COLS; c++) begin : g_col
    localparam logic signed [ACC_BITS-1:0] T = THRESHOLDS[c * ACC_BITS +: ACC_BITS];
    assign bit_o[c] = ($signed(acc_i[c * ACC_BITS +: ACC_BITS]) >= T);
  end

endmodule
