// rram-gen hand-written RTL library: rram_argmax
//
// Index of the largest of N values; ties go to the lowest index.
//
// Parameters
//   N         number of values (>= 1)
//   BITS      bits per value (>= 1)
//   SIGNED    0: unsigned values, 1: two's complement values
//   IDX_BITS  index width, default $clog2(N) (at least 1)
//
// Ports
//   values_i  [N*BITS-1:0]     value i at [i*BITS +: BITS]
//   index_o   [IDX_BITS-1:0]   index of the first maximum
//
// Timing: combinational, no clock.
module rram_argmax #(
  parameter int N        = 10,
  parameter int BITS     = 8,
  parameter int SIGNED   = 0,
  parameter int IDX_BITS = (N > 1) ? $clog2(N) : 1
) (
  input  logic [N*BITS-1:0]   values_i,
  output logic [IDX_BITS-1:0] index_o
);

  // Flipping the sign bit maps two's complement order onto unsigned order.
  localparam logic [BITS-1:0] FLIP = (SIGNED != 0) ? (BITS'(1) << (BITS - 1)) : '0;

  // A function with its inputs as arguments, not an always_comb block: Icarus 11
  // re-triggers an always_comb on its own writes and never settles.
  function automatic logic [IDX_BITS-1:0] index_of_max(input logic [N*BITS-1:0] v);
    logic [BITS-1:0]     best;
    logic [BITS-1:0]     key;
    logic [IDX_BITS-1:0] idx;
    best = v[BITS-1:0] ^ FLIP;
    idx  = '0;
    for (int i = 1; i < N; i++) begin
      key = v[i * BITS +: BITS] ^ FLIP;
      if (key > best) begin
        best = key;
        idx  = IDX_BITS'(i);
      end
    end
    index_of_max = idx;
  endfunction

  assign index_o = index_of_max(values_i);

endmodule
