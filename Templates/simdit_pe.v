// GeneSys processing element (simdit template; sizes from the generated simdit_params.vh).
// Weight-stationary dataflow: the activation of one input channel enters from the left and is
// passed right; the partial sum of one output channel enters from the top and is passed down.
// The weight is read from the PE's own WBUF bank at the block address that travels with the
// activation, so a new weight block starts without draining the array.
`include "simdit_params.vh"

module simdit_pe #(
    parameter ACT_W = `ACT_DATA_WIDTH,
    parameter WGT_W = `WGT_DATA_WIDTH,
    parameter ACC_W = `ACC_WIDTH,
    parameter WBUF_DEPTH = `WBUF_DEPTH,
    parameter WBUF_AW = `WBUF_ADDR_WIDTH
) (
    input  wire                    clk,
    input  wire                    rst,
    // WBUF bank write port (DMA side).
    input  wire                    wbuf_we,
    input  wire [WBUF_AW-1:0]      wbuf_waddr,
    input  wire signed [WGT_W-1:0] wbuf_wdata,
    // From the left neighbour (or the row input).
    input  wire signed [ACT_W-1:0] act_in,
    input  wire                    valid_in,
    input  wire [WBUF_AW-1:0]      block_in,
    // From the PE above (or zero).
    input  wire signed [ACC_W-1:0] psum_in,
    // To the right neighbour.
    output reg  signed [ACT_W-1:0] act_out,
    output reg                     valid_out,
    output reg  [WBUF_AW-1:0]      block_out,
    // To the PE below.
    output reg  signed [ACC_W-1:0] psum_out
);
    // One model of the PE for all instances keeps Verilator builds of large arrays fast.
    /* verilator no_inline_module */
    reg signed [WGT_W-1:0] wbuf [0:WBUF_DEPTH-1];
    wire signed [WGT_W-1:0] weight = wbuf[block_in];
    wire signed [ACT_W+WGT_W-1:0] product = act_in * weight;

    always @(posedge clk) begin
        if (wbuf_we) wbuf[wbuf_waddr] <= wbuf_wdata;
    end

    always @(posedge clk) begin
        if (rst) begin
            act_out <= {ACT_W{1'b0}};
            valid_out <= 1'b0;
            block_out <= {WBUF_AW{1'b0}};
            psum_out <= {ACC_W{1'b0}};
        end else begin
            act_out <= act_in;
            valid_out <= valid_in;
            block_out <= block_in;
            psum_out <= valid_in ? psum_in + {{(ACC_W-ACT_W-WGT_W){product[ACT_W+WGT_W-1]}}, product} : psum_in;
        end
    end
endmodule
