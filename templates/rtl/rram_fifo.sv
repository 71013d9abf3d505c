// rram-gen hand-written RTL library: rram_fifo
//
// Valid/ready FIFO for skip paths of graph networks (residual adds, concats):
// holds the beats one branch of a fork produces before the stage that joins
// the branches can take them. Its depth comes from the plan
// (src/plan/fifo-depth.ts), so the pipeline never deadlocks.
//
// Parameters
//   WIDTH  data width (>= 1)
//   DEPTH  entries (>= 2)
//
// Ports
//   clk_i, rst_ni  clock, asynchronous active-low reset (empties the FIFO; the
//                 storage is not reset)
//   in_valid_i, in_ready_o, in_data_i     upstream; in_ready_o = not full
//                                         (registered state only)
//   out_valid_o, out_ready_i, out_data_o  downstream; out_valid_o = not empty
//                                         (registered state only), out_data_o
//                                         the oldest entry
//
// Timing: a beat written in cycle t can leave in cycle t+1; one beat in and
// one out per cycle. A full FIFO takes no beat in the cycle it is read (ready
// never depends on out_ready_i): the plan's depth includes that slack.
// Storage: DEPTH*WIDTH flip-flops plus two pointers and a count.
module rram_fifo #(
  parameter int WIDTH = 8,
  parameter int DEPTH = 4
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

  localparam int AW = $clog2(DEPTH);
  localparam int CW = $clog2(DEPTH + 1);
  localparam logic [AW-1:0] LAST = AW'(DEPTH - 1);
  localparam logic [CW-1:0] FULL = CW'(DEPTH);

`ifndef SYNTHESIS
  initial begin : p_param_check
    if (DEPTH < 2) $fatal(1, "rram_fifo: DEPTH must be at least 2");
  end
`endif

  logic [WIDTH-1:0] mem_q [DEPTH];
  logic [AW-1:0]    wr_q, rd_q;
  logic [CW-1:0]    count_q;
  logic             push, pop;

  assign in_ready_o  = count_q != FULL;
  assign out_valid_o = count_q != '0;
  assign out_data_o  = mem_q[rd_q];
  assign push        = in_valid_i && in_ready_o;
  assign pop         = out_valid_o && out_ready_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_q    <= '0;
      rd_q    <= '0;
      count_q <= '0;
    end else begin
      if (push) begin
        wr_q <= (wr_q == LAST) ? '0 : wr_q + 1'b1;
      end
      if (pop) begin
        rd_q <= (rd_q == LAST) ? '0 : rd_q + 1'b1;
      end
      if (push && !pop) begin
        count_q <= count_q + 1'b1;
      end else if (pop && !push) begin
        count_q <= count_q - 1'b1;
      end
    end
  end

  // Storage only (no reset): count_q says which entries hold beats.
  always_ff @(posedge clk_i) begin
    if (push) begin
      mem_q[wr_q] <= in_data_i;
    end
  end

endmodule
