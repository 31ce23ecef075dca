// GeneSys N x M systolic array (simdit template). Rows carry input channels, columns output
// channels. Row i's input is delayed by i cycles (skew) and column j's output by M-1-j cycles
// (deskew), so all M outputs of one pixel leave together, (N-1)+(M-1)+1 cycles after its inputs
// enter. Inter-PE wires are unpacked arrays (fast in Icarus Verilog).
`include "simdit_params.vh"

module simdit_systolic_array #(
    parameter N = `ARRAY_N,
    parameter M = `ARRAY_M,
    parameter ACT_W = `ACT_DATA_WIDTH,
    parameter WGT_W = `WGT_DATA_WIDTH,
    parameter ACC_W = `ACC_WIDTH,
    parameter WBUF_AW = `WBUF_ADDR_WIDTH
) (
    input  wire                   clk,
    input  wire                   rst,
    // One activation per row per cycle, a shared valid and weight-block address.
    input  wire [N*ACT_W-1:0]     act_row,
    input  wire                   valid,
    input  wire [WBUF_AW-1:0]     block,
    // WBUF write port: PE (row, col) bank.
    input  wire                   wbuf_we,
    input  wire [`ARRAY_N_INDEX_WIDTH-1:0] wbuf_row,
    input  wire [`ARRAY_M_INDEX_WIDTH-1:0] wbuf_col,
    input  wire [WBUF_AW-1:0]     wbuf_waddr,
    input  wire [WGT_W-1:0]       wbuf_wdata,
    // One partial sum per column, aligned.
    output wire [M*ACC_W-1:0]     psum_col,
    output wire                   out_valid
);
    wire signed [ACT_W-1:0] act   [0:N-1][0:M];
    wire                    vld   [0:N-1][0:M];
    wire [WBUF_AW-1:0]      blk   [0:N-1][0:M];
    wire signed [ACC_W-1:0] psum  [0:N][0:M-1];

    genvar i, j;
    generate
        // Input skew: row i is delayed by i registers.
        for (i = 0; i < N; i = i + 1) begin : g_skew
            wire [ACT_W+WBUF_AW:0] skewed;
            simdit_delay #(.WIDTH(ACT_W + WBUF_AW + 1), .DEPTH(i)) delay (
                .clk(clk), .rst(rst), .d({valid, block, act_row[i*ACT_W +: ACT_W]}), .q(skewed));
            assign act[i][0] = skewed[ACT_W-1:0];
            assign blk[i][0] = skewed[ACT_W +: WBUF_AW];
            assign vld[i][0] = skewed[ACT_W+WBUF_AW];
        end
        for (j = 0; j < M; j = j + 1) begin : g_top
            assign psum[0][j] = {ACC_W{1'b0}};
        end
        // The PEs.
        for (i = 0; i < N; i = i + 1) begin : g_row
            for (j = 0; j < M; j = j + 1) begin : g_col
                simdit_pe #(.ACT_W(ACT_W), .WGT_W(WGT_W), .ACC_W(ACC_W), .WBUF_AW(WBUF_AW)) pe (
                    .clk(clk), .rst(rst),
                    .wbuf_we(wbuf_we && wbuf_row == i && wbuf_col == j), .wbuf_waddr(wbuf_waddr), .wbuf_wdata(wbuf_wdata),
                    .act_in(act[i][j]), .valid_in(vld[i][j]), .block_in(blk[i][j]), .psum_in(psum[i][j]),
                    .act_out(act[i][j+1]), .valid_out(vld[i][j+1]), .block_out(blk[i][j+1]), .psum_out(psum[i+1][j])
                );
            end
        end
        // Output deskew: column j is delayed by M-1-j registers; the last column carries the valid.
        for (j = 0; j < M; j = j + 1) begin : g_deskew
            simdit_delay #(.WIDTH(ACC_W), .DEPTH(M - 1 - j)) delay (
                .clk(clk), .rst(rst), .d(psum[N][j]), .q(psum_col[j*ACC_W +: ACC_W]));
        end
        assign out_valid = vld[N-1][M];
    endgenerate
endmodule
