// Self-checking testbench for the simdit RTL templates (Icarus Verilog and Verilator --timing).
// Loads one tile's IBUF, WBUF and BBUF contents through the DMA ports, runs it, and compares every
// OBUF word with the expected output computed by the test; checks SIMD-lane vectors the same way.
// Plusargs: +P= +R= +O= (tile: pixels, reduction blocks, output-channel blocks), +ibuf= +wbuf=
// +bbuf= +expected= (hex files laid out as the test writes them), +simd= +vectors= (optional).
// Prints one line: RESULT errors=E checked=C latency=L first_in=F last_out=T.
`include "simdit_params.vh"

module simdit_tb;
    localparam N = `ARRAY_N;
    localparam M = `ARRAY_M;
    localparam ACT_W = `ACT_DATA_WIDTH;
    localparam WGT_W = `WGT_DATA_WIDTH;
    localparam BIAS_W = `BIAS_WIDTH;
    localparam ACC_W = `ACC_WIDTH;
    localparam SIMD_W = `SIMD_DATA_WIDTH;
    localparam MAX_WORDS = 65536;

    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg rst = 1'b1;

    reg ibuf_we = 1'b0, wbuf_we = 1'b0, bbuf_we = 1'b0, start = 1'b0, simd_valid = 1'b0;
    reg [`ARRAY_N_INDEX_WIDTH-1:0] ibuf_row = 0, wbuf_row = 0;
    reg [`ARRAY_M_INDEX_WIDTH-1:0] wbuf_col = 0, bbuf_col = 0;
    reg [`IBUF_ADDR_WIDTH-1:0] ibuf_waddr = 0;
    reg [`WBUF_ADDR_WIDTH-1:0] wbuf_waddr = 0;
    reg [`BBUF_ADDR_WIDTH-1:0] bbuf_waddr = 0;
    reg [`OBUF_ADDR_WIDTH-1:0] obuf_raddr = 0;
    reg [`ARRAY_M_INDEX_WIDTH-1:0] obuf_col = 0;
    reg [ACT_W-1:0] ibuf_wdata = 0;
    reg [WGT_W-1:0] wbuf_wdata = 0;
    reg [BIAS_W-1:0] bbuf_wdata = 0;
    reg [`TILE_COUNT_WIDTH-1:0] pixels = 0, reductions = 0, out_blocks = 0;
    reg [2:0] simd_op = 0;
    reg [M*SIMD_W-1:0] simd_a = 0, simd_b = 0;
    wire busy, array_in_valid, array_out_valid;
    wire [ACC_W-1:0] obuf_rdata;
    wire [M-1:0] simd_valid_out;
    wire [M*SIMD_W-1:0] simd_y;

    simdit_top dut (
        .clk(clk), .rst(rst),
        .ibuf_we(ibuf_we), .ibuf_row(ibuf_row), .ibuf_waddr(ibuf_waddr), .ibuf_wdata(ibuf_wdata),
        .wbuf_we(wbuf_we), .wbuf_row(wbuf_row), .wbuf_col(wbuf_col), .wbuf_waddr(wbuf_waddr), .wbuf_wdata(wbuf_wdata),
        .bbuf_we(bbuf_we), .bbuf_col(bbuf_col), .bbuf_waddr(bbuf_waddr), .bbuf_wdata(bbuf_wdata),
        .start(start), .pixels(pixels), .reductions(reductions), .out_blocks(out_blocks),
        .busy(busy), .array_in_valid(array_in_valid), .array_out_valid(array_out_valid),
        .obuf_col(obuf_col), .obuf_raddr(obuf_raddr), .obuf_rdata(obuf_rdata),
        .simd_valid(simd_valid), .simd_op(simd_op), .simd_a(simd_a), .simd_b(simd_b),
        .simd_valid_out(simd_valid_out), .simd_y(simd_y));

    reg [ACT_W-1:0] ibuf_data [0:MAX_WORDS-1];
    reg [WGT_W-1:0] wbuf_data [0:MAX_WORDS-1];
    reg [BIAS_W-1:0] bbuf_data [0:MAX_WORDS-1];
    reg [ACC_W-1:0] expected [0:MAX_WORDS-1];
    reg [SIMD_W-1:0] simd_data [0:MAX_WORDS-1];
    reg [8*1024-1:0] ibuf_file, wbuf_file, bbuf_file, expected_file, simd_file;

    // Cycle counter and the tile's first input and last output edges.
    integer cycle = 0, first_in = -1, last_out = -1;
    always @(posedge clk) begin
        if (array_in_valid && first_in < 0) first_in = cycle;
        if (array_out_valid) last_out = cycle;
        cycle = cycle + 1;
    end

    integer P, R, O, vectors, a, i, j, k, o, p, v, errors, checked;
    reg [SIMD_W-1:0] want;
    initial begin
        errors = 0;
        checked = 0;
        vectors = 0;
        if (!$value$plusargs("P=%d", P) || !$value$plusargs("R=%d", R) || !$value$plusargs("O=%d", O)
            || !$value$plusargs("ibuf=%s", ibuf_file) || !$value$plusargs("wbuf=%s", wbuf_file)
            || !$value$plusargs("bbuf=%s", bbuf_file) || !$value$plusargs("expected=%s", expected_file)) begin
            $display("RESULT errors=1 checked=0 latency=-1 first_in=-1 last_out=-1 (missing plusargs)");
            $finish;
        end
        $readmemh(ibuf_file, ibuf_data, 0, R * P * N - 1);
        $readmemh(wbuf_file, wbuf_data, 0, O * R * N * M - 1);
        $readmemh(bbuf_file, bbuf_data, 0, O * M - 1);
        $readmemh(expected_file, expected, 0, O * P * M - 1);
        if ($value$plusargs("simd=%s", simd_file) && $value$plusargs("vectors=%d", vectors)) begin
            $readmemh(simd_file, simd_data, 0, vectors * (1 + 3 * M) - 1);
        end
        repeat (2) @(negedge clk);
        rst = 1'b0;
        // DMA: IBUF word (row i, address a) is ibuf[a*N + i].
        for (a = 0; a < R * P; a = a + 1) begin
            for (i = 0; i < N; i = i + 1) begin
                @(negedge clk);
                ibuf_we = 1'b1; ibuf_row = i; ibuf_waddr = a; ibuf_wdata = ibuf_data[a * N + i];
            end
        end
        @(negedge clk) ibuf_we = 1'b0;
        // WBUF word (block k, PE row i, column j) is wbuf[(k*N + i)*M + j].
        for (k = 0; k < O * R; k = k + 1) begin
            for (i = 0; i < N; i = i + 1) begin
                for (j = 0; j < M; j = j + 1) begin
                    @(negedge clk);
                    wbuf_we = 1'b1; wbuf_row = i; wbuf_col = j; wbuf_waddr = k; wbuf_wdata = wbuf_data[(k * N + i) * M + j];
                end
            end
        end
        @(negedge clk) wbuf_we = 1'b0;
        // BBUF word (block o, column j) is bbuf[o*M + j].
        for (o = 0; o < O; o = o + 1) begin
            for (j = 0; j < M; j = j + 1) begin
                @(negedge clk);
                bbuf_we = 1'b1; bbuf_col = j; bbuf_waddr = o; bbuf_wdata = bbuf_data[o * M + j];
            end
        end
        @(negedge clk) bbuf_we = 1'b0;
        // Run the tile.
        @(negedge clk);
        pixels = P; reductions = R; out_blocks = O; start = 1'b1;
        @(negedge clk) start = 1'b0;
        wait (!busy);
        repeat (N + M + 4) @(negedge clk);
        // OBUF word (block o, pixel p, column j) must be expected[(o*P + p)*M + j].
        for (o = 0; o < O; o = o + 1) begin
            for (p = 0; p < P; p = p + 1) begin
                for (j = 0; j < M; j = j + 1) begin
                    obuf_col = j; obuf_raddr = o * P + p;
                    #1;
                    checked = checked + 1;
                    if (obuf_rdata !== expected[(o * P + p) * M + j]) begin
                        errors = errors + 1;
                        if (errors <= 5)
                            $display("MISMATCH block %0d pixel %0d column %0d: got %h, expected %h", o, p, j, obuf_rdata,
                                     expected[(o * P + p) * M + j]);
                    end
                end
            end
        end
        // SIMD vectors: word 0 the op, then (a, b, y) per lane.
        for (v = 0; v < vectors; v = v + 1) begin
            @(negedge clk);
            simd_valid = 1'b1;
            simd_op = simd_data[v * (1 + 3 * M)][2:0];
            for (j = 0; j < M; j = j + 1) begin
                simd_a[j*SIMD_W +: SIMD_W] = simd_data[v * (1 + 3 * M) + 1 + 3 * j];
                simd_b[j*SIMD_W +: SIMD_W] = simd_data[v * (1 + 3 * M) + 2 + 3 * j];
            end
            @(negedge clk);
            simd_valid = 1'b0;
            for (j = 0; j < M; j = j + 1) begin
                want = simd_data[v * (1 + 3 * M) + 3 + 3 * j];
                checked = checked + 1;
                if (!simd_valid_out[j] || simd_y[j*SIMD_W +: SIMD_W] !== want) begin
                    errors = errors + 1;
                    if (errors <= 5)
                        $display("MISMATCH simd vector %0d lane %0d op %0d: got %h, expected %h", v, j, simd_op,
                                 simd_y[j*SIMD_W +: SIMD_W], want);
                end
            end
        end
        $display("RESULT errors=%0d checked=%0d latency=%0d first_in=%0d last_out=%0d", errors, checked,
                 last_out - first_in, first_in, last_out);
        $finish;
    end
endmodule
