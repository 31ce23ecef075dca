// One OBUF bank and its accumulation path (simdit template): the column's partial sum is added to
// the stored partial sum, or to the column's bias on the first contribution to an output.
`include "simdit_params.vh"

module simdit_obuf_column #(
    parameter ACC_W = `ACC_WIDTH,
    parameter BIAS_W = `BIAS_WIDTH,
    parameter OBUF_DEPTH = `OBUF_DEPTH,
    parameter OBUF_AW = `OBUF_ADDR_WIDTH,
    parameter BBUF_DEPTH = `BBUF_DEPTH,
    parameter BBUF_AW = `BBUF_ADDR_WIDTH
) (
    input  wire                    clk,
    // BBUF bank write port (DMA side).
    input  wire                    bbuf_we,
    input  wire [BBUF_AW-1:0]      bbuf_waddr,
    input  wire [BIAS_W-1:0]       bbuf_wdata,
    // Accumulate: psum into OBUF[addr] (bias + psum when first).
    input  wire                    acc_valid,
    input  wire signed [ACC_W-1:0] acc_psum,
    input  wire [OBUF_AW-1:0]      acc_addr,
    input  wire                    acc_first,
    input  wire [BBUF_AW-1:0]      acc_bias_addr,
    // Read port (drain side).
    input  wire [OBUF_AW-1:0]      rd_addr,
    output wire [ACC_W-1:0]        rd_data
);
    reg signed [ACC_W-1:0]  obuf [0:OBUF_DEPTH-1];
    reg signed [BIAS_W-1:0] bbuf [0:BBUF_DEPTH-1];
    wire signed [BIAS_W-1:0] bias = bbuf[acc_bias_addr];
    wire signed [ACC_W-1:0] base = acc_first ? bias : obuf[acc_addr];

    always @(posedge clk) begin
        if (bbuf_we) bbuf[bbuf_waddr] <= bbuf_wdata;
        if (acc_valid) obuf[acc_addr] <= base + acc_psum;
    end

    assign rd_data = obuf[rd_addr];
endmodule
