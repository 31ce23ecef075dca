// GeneSys datapath top (simdit template): IBUF banks (one per row), the N x M systolic array with
// per-PE WBUF banks, one OBUF bank with bias/accumulation path per column, and M SIMD lanes.
//
// A tile runs as O output-channel blocks x R reduction blocks (kernel positions x input-channel
// blocks) x P pixels, pixels innermost (the weight-stationary order): step (o, r, p) reads IBUF
// address r*P + p in every row, weight block o*R + r in every PE, and accumulates into OBUF address
// o*P + p of every column (starting from the bias, BBUF address o, when r = 0). One step issues per
// cycle, so a tile of S = O*R*P steps takes S + (N-1) + (M-1) cycles from its first input to its
// last output.
`include "simdit_params.vh"

module simdit_top #(
    parameter N = `ARRAY_N,
    parameter M = `ARRAY_M,
    parameter ACT_W = `ACT_DATA_WIDTH,
    parameter WGT_W = `WGT_DATA_WIDTH,
    parameter BIAS_W = `BIAS_WIDTH,
    parameter ACC_W = `ACC_WIDTH,
    parameter SIMD_W = `SIMD_DATA_WIDTH,
    parameter IBUF_DEPTH = `IBUF_DEPTH,
    parameter IBUF_AW = `IBUF_ADDR_WIDTH,
    parameter WBUF_AW = `WBUF_ADDR_WIDTH,
    parameter OBUF_AW = `OBUF_ADDR_WIDTH,
    parameter BBUF_AW = `BBUF_ADDR_WIDTH,
    parameter CW = `TILE_COUNT_WIDTH
) (
    input  wire                  clk,
    input  wire                  rst,
    // DMA write ports.
    input  wire                  ibuf_we,
    input  wire [`ARRAY_N_INDEX_WIDTH-1:0] ibuf_row,
    input  wire [IBUF_AW-1:0]    ibuf_waddr,
    input  wire [ACT_W-1:0]      ibuf_wdata,
    input  wire                  wbuf_we,
    input  wire [`ARRAY_N_INDEX_WIDTH-1:0] wbuf_row,
    input  wire [`ARRAY_M_INDEX_WIDTH-1:0] wbuf_col,
    input  wire [WBUF_AW-1:0]    wbuf_waddr,
    input  wire [WGT_W-1:0]      wbuf_wdata,
    input  wire                  bbuf_we,
    input  wire [`ARRAY_M_INDEX_WIDTH-1:0] bbuf_col,
    input  wire [BBUF_AW-1:0]    bbuf_waddr,
    input  wire [BIAS_W-1:0]     bbuf_wdata,
    // Tile control.
    input  wire                  start,
    input  wire [CW-1:0]         pixels,        // P
    input  wire [CW-1:0]         reductions,    // R
    input  wire [CW-1:0]         out_blocks,    // O
    output reg                   busy,
    output wire                  array_in_valid,
    output wire                  array_out_valid,
    // OBUF drain.
    input  wire [`ARRAY_M_INDEX_WIDTH-1:0] obuf_col,
    input  wire [OBUF_AW-1:0]    obuf_raddr,
    output wire [ACC_W-1:0]      obuf_rdata,
    // SIMD lanes.
    input  wire                  simd_valid,
    input  wire [2:0]            simd_op,
    input  wire [M*SIMD_W-1:0]   simd_a,
    input  wire [M*SIMD_W-1:0]   simd_b,
    output wire [M-1:0]          simd_valid_out,
    output wire [M*SIMD_W-1:0]   simd_y
);
    // IBUF: one bank per row, read asynchronously at the step's address.
    reg [CW-1:0] p, r, o;
    reg [IBUF_AW-1:0] ibuf_addr;
    reg [WBUF_AW-1:0] block;
    reg [OBUF_AW-1:0] obuf_base;
    wire [N*ACT_W-1:0] act_row;
    genvar i, j;
    generate
        for (i = 0; i < N; i = i + 1) begin : g_ibuf
            reg [ACT_W-1:0] bank [0:IBUF_DEPTH-1];
            always @(posedge clk) begin
                if (ibuf_we && ibuf_row == i) bank[ibuf_waddr] <= ibuf_wdata;
            end
            assign act_row[i*ACT_W +: ACT_W] = bank[ibuf_addr];
        end
    endgenerate

    // Step sequencer: pixels innermost, then reduction blocks, then output-channel blocks.
    wire last_p = p + {{(CW-1){1'b0}}, 1'b1} == pixels;
    wire last_r = r + {{(CW-1){1'b0}}, 1'b1} == reductions;
    wire last_o = o + {{(CW-1){1'b0}}, 1'b1} == out_blocks;
    always @(posedge clk) begin
        if (rst) begin
            busy <= 1'b0;
            p <= {CW{1'b0}}; r <= {CW{1'b0}}; o <= {CW{1'b0}};
            ibuf_addr <= {IBUF_AW{1'b0}};
            block <= {WBUF_AW{1'b0}};
            obuf_base <= {OBUF_AW{1'b0}};
        end else if (start && !busy) begin
            busy <= 1'b1;
            p <= {CW{1'b0}}; r <= {CW{1'b0}}; o <= {CW{1'b0}};
            ibuf_addr <= {IBUF_AW{1'b0}};
            block <= {WBUF_AW{1'b0}};
            obuf_base <= {OBUF_AW{1'b0}};
        end else if (busy) begin
            if (!last_p) begin
                p <= p + {{(CW-1){1'b0}}, 1'b1};
                ibuf_addr <= ibuf_addr + 1'b1;
            end else begin
                p <= {CW{1'b0}};
                block <= block + 1'b1;
                if (!last_r) begin
                    r <= r + {{(CW-1){1'b0}}, 1'b1};
                    ibuf_addr <= ibuf_addr + 1'b1;
                end else begin
                    r <= {CW{1'b0}};
                    ibuf_addr <= {IBUF_AW{1'b0}};
                    obuf_base <= obuf_base + pixels[OBUF_AW-1:0];
                    if (!last_o) o <= o + {{(CW-1){1'b0}}, 1'b1};
                    else busy <= 1'b0;
                end
            end
        end
    end
    assign array_in_valid = busy;

    // The OBUF side of each step travels N + M - 1 cycles, as long as its data through the array.
    localparam SIDE_W = OBUF_AW + 1 + BBUF_AW;
    wire [SIDE_W-1:0] side_out;
    simdit_delay #(.WIDTH(SIDE_W), .DEPTH(N + M - 1)) side_delay (
        .clk(clk), .rst(rst), .d({obuf_base + p[OBUF_AW-1:0], r == {CW{1'b0}}, o[BBUF_AW-1:0]}), .q(side_out));

    wire [M*ACC_W-1:0] psum_col;
    simdit_systolic_array #(.N(N), .M(M), .ACT_W(ACT_W), .WGT_W(WGT_W), .ACC_W(ACC_W), .WBUF_AW(WBUF_AW)) array (
        .clk(clk), .rst(rst), .act_row(act_row), .valid(busy), .block(block),
        .wbuf_we(wbuf_we), .wbuf_row(wbuf_row), .wbuf_col(wbuf_col), .wbuf_waddr(wbuf_waddr), .wbuf_wdata(wbuf_wdata),
        .psum_col(psum_col), .out_valid(array_out_valid));

    wire [ACC_W-1:0] column_data [0:M-1];
    generate
        for (j = 0; j < M; j = j + 1) begin : g_obuf
            simdit_obuf_column #(.ACC_W(ACC_W), .BIAS_W(BIAS_W), .OBUF_AW(OBUF_AW), .BBUF_AW(BBUF_AW)) column (
                .clk(clk), .bbuf_we(bbuf_we && bbuf_col == j), .bbuf_waddr(bbuf_waddr), .bbuf_wdata(bbuf_wdata),
                .acc_valid(array_out_valid), .acc_psum(psum_col[j*ACC_W +: ACC_W]),
                .acc_addr(side_out[SIDE_W-1 -: OBUF_AW]), .acc_first(side_out[BBUF_AW]),
                .acc_bias_addr(side_out[BBUF_AW-1:0]), .rd_addr(obuf_raddr), .rd_data(column_data[j]));
            simdit_simd_lane #(.W(SIMD_W)) lane (
                .clk(clk), .rst(rst), .valid_in(simd_valid), .op(simd_op),
                .a(simd_a[j*SIMD_W +: SIMD_W]), .b(simd_b[j*SIMD_W +: SIMD_W]),
                .valid_out(simd_valid_out[j]), .y(simd_y[j*SIMD_W +: SIMD_W]));
        end
    endgenerate
    assign obuf_rdata = column_data[obuf_col];
endmodule
