// Gate-level stimulus for a synthesized simdit_simd_lane (Flow/yosys/synth.tcl), simulated with the
// Liberty library's own Verilog cell models under Icarus Verilog:
//
//   iverilog -g2005 -o lane.vvp -s simdit_lane_stimulus -Psimdit_lane_stimulus.MODE=0 \
//       Flow/sim/lane_stimulus.v lane/netlist.v /usr/share/qflow/tech/osu018/osu018_stdcells.v
//   vvp -n lane.vvp
//
// MODE 0..4: one operation every cycle of that kind (0 add, 1 subtract, 2 max, 3 multiply,
// 4 compare, the lane's op codes) on new random operands; MODE -1 (idle): the clock runs, every
// operand is held. ZERO_PERCENT of the operands are zero; the rest are uniformly random W-bit
// numbers. The VCD covers CYCLES clock periods after WARMUP cycles.
`timescale 1ns/10ps
module simdit_lane_stimulus;
    parameter W = 32;
    parameter MODE = 0;
    parameter ZERO_PERCENT = 0;
    parameter CYCLES = 2000;
    parameter WARMUP = 16;
    parameter SEED = 1;
    parameter PERIOD_NS = 10;
    parameter VCD = "activity.vcd";

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg valid_in = 1'b0;
    reg [2:0] op = 3'd0;
    reg signed [W-1:0] a = {W{1'b0}};
    reg signed [W-1:0] b = {W{1'b0}};
    wire valid_out;
    wire signed [W-1:0] y;

    simdit_simd_lane dut (.clk(clk), .rst(rst), .valid_in(valid_in), .op(op), .a(a), .b(b), .valid_out(valid_out), .y(y));

    always #(PERIOD_NS / 2.0) clk = ~clk;

    integer seed = SEED;
    integer cycle;

    function signed [W-1:0] operand(input integer unused);
        begin
            if (($random(seed) & 32'h7fffffff) % 100 < ZERO_PERCENT) operand = 0;
            else operand = {$random(seed), $random(seed)};
        end
    endfunction

    task next_operands;
        begin
            a = operand(0);
            b = operand(0);
        end
    endtask

    initial begin
        repeat (2) @(negedge clk);
        rst = 1'b0;
        valid_in = 1'b1;
        op = MODE < 0 ? 3'd0 : MODE;
        next_operands;
        for (cycle = 0; cycle < WARMUP; cycle = cycle + 1) begin
            @(negedge clk);
            if (MODE >= 0) next_operands;
        end
        $dumpfile(VCD);
        $dumpvars(0, dut);
        for (cycle = 0; cycle < CYCLES; cycle = cycle + 1) begin
            @(negedge clk);
            if (MODE >= 0) next_operands;
        end
        $dumpflush;
        $finish;
    end
endmodule
