// Gate-level stimulus for a synthesized simdit_pe (Flow/yosys/synth.tcl), simulated with the
// Liberty library's own Verilog cell models under Icarus Verilog:
//
//   iverilog -g2005 -o pe.vvp -s simdit_pe_stimulus -Psimdit_pe_stimulus.MODE=1 \
//       Flow/sim/pe_stimulus.v pe/netlist.v /usr/share/qflow/tech/osu018/osu018_stdcells.v
//   vvp -n pe.vvp
//
// MODE 1 (mac): a multiply-accumulate every cycle. The weight is stationary (loaded once, as in a
// weight-stationary array), a new activation arrives every cycle, and the partial sum from above
// is what ROWS_ABOVE PEs of the same column would pass down: the sum of their products of random
// activations and stationary weights. MODE 0 (idle): the clock runs, every operand is held.
// ZERO_PERCENT of the activations and weights are zero (ReLU sparsity, pruned weights); the rest
// are uniformly random at the configured precision. The VCD covers CYCLES clock periods after
// WARMUP cycles; the clock has a period of PERIOD_NS.
`timescale 1ns/10ps
module simdit_pe_stimulus;
    parameter ACT_W = 8;
    parameter WGT_W = 8;
    parameter ACC_W = 32;
    parameter WBUF_AW = 1;
    parameter MODE = 1;
    parameter ZERO_PERCENT = 0;
    parameter ROWS_ABOVE = 8;
    parameter CYCLES = 2000;
    parameter WARMUP = 16;
    parameter SEED = 1;
    parameter PERIOD_NS = 10;
    parameter VCD = "activity.vcd";

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg wbuf_we = 1'b0;
    reg [WBUF_AW-1:0] wbuf_waddr = {WBUF_AW{1'b0}};
    reg signed [WGT_W-1:0] wbuf_wdata = {WGT_W{1'b0}};
    reg signed [ACT_W-1:0] act_in = {ACT_W{1'b0}};
    reg valid_in = 1'b0;
    reg [WBUF_AW-1:0] block_in = {WBUF_AW{1'b0}};
    reg signed [ACC_W-1:0] psum_in = {ACC_W{1'b0}};
    wire signed [ACT_W-1:0] act_out;
    wire valid_out;
    wire [WBUF_AW-1:0] block_out;
    wire signed [ACC_W-1:0] psum_out;

    simdit_pe dut (
        .clk(clk), .rst(rst), .wbuf_we(wbuf_we), .wbuf_waddr(wbuf_waddr), .wbuf_wdata(wbuf_wdata),
        .act_in(act_in), .valid_in(valid_in), .block_in(block_in), .psum_in(psum_in),
        .act_out(act_out), .valid_out(valid_out), .block_out(block_out), .psum_out(psum_out)
    );

    always #(PERIOD_NS / 2.0) clk = ~clk;

    integer seed = SEED;
    integer i, cycle;
    reg signed [WGT_W-1:0] weights_above [0:ROWS_ABOVE-1];
    reg signed [ACC_W-1:0] sum;

    // A random operand of `bits` bits, zero with probability ZERO_PERCENT %.
    function signed [31:0] operand(input integer bits);
        reg [31:0] r;
        begin
            r = $random(seed);
            if (($random(seed) & 32'h7fffffff) % 100 < ZERO_PERCENT) operand = 0;
            else operand = $signed(r << (32 - bits)) >>> (32 - bits);
        end
    endfunction

    task next_operands;
        begin
            act_in = operand(ACT_W);
            sum = 0;
            for (i = 0; i < ROWS_ABOVE; i = i + 1) sum = sum + operand(ACT_W) * weights_above[i];
            psum_in = sum;
        end
    endtask

    initial begin
        for (i = 0; i < ROWS_ABOVE; i = i + 1) weights_above[i] = operand(WGT_W);
        // Reset, then load the stationary weight into the PE's WBUF bank.
        repeat (2) @(negedge clk);
        rst = 1'b0;
        wbuf_we = 1'b1;
        wbuf_waddr = 0;
        wbuf_wdata = operand(WGT_W);
        @(negedge clk);
        wbuf_we = 1'b0;
        valid_in = 1'b1;
        next_operands;
        for (cycle = 0; cycle < WARMUP; cycle = cycle + 1) begin
            @(negedge clk);
            if (MODE == 1) next_operands;
        end
        $dumpfile(VCD);
        $dumpvars(0, dut);
        for (cycle = 0; cycle < CYCLES; cycle = cycle + 1) begin
            @(negedge clk);
            if (MODE == 1) next_operands;
        end
        $dumpflush;
        $finish;
    end
endmodule
