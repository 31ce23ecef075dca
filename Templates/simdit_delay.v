// A DEPTH-cycle delay line (DEPTH = 0 is a wire); used for the array's input skew and output deskew.
module simdit_delay #(
    parameter WIDTH = 1,
    parameter DEPTH = 1
) (
    /* verilator lint_off UNUSEDSIGNAL */  // a DEPTH = 0 line has no registers
    input  wire             clk,
    input  wire             rst,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [WIDTH-1:0] d,
    output wire [WIDTH-1:0] q
);
    generate
        if (DEPTH == 0) begin : g_wire
            assign q = d;
        end else if (DEPTH == 1) begin : g_register
            reg [WIDTH-1:0] stage;
            always @(posedge clk) stage <= rst ? {WIDTH{1'b0}} : d;
            assign q = stage;
        end else begin : g_shift
            // One packed shift register: the newest word in the low bits.
            reg [WIDTH*DEPTH-1:0] stages;
            always @(posedge clk) stages <= rst ? {WIDTH*DEPTH{1'b0}} : {stages[WIDTH*(DEPTH-1)-1:0], d};
            assign q = stages[WIDTH*DEPTH-1 -: WIDTH];
        end
    endgenerate
endmodule
