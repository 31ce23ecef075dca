// One SIMD lane ALU (simdit template): add, subtract, max, multiply and compare on signed
// SIMD_DATA_WIDTH-bit operands, result registered. The multiplier's operands are isolated (held at
// zero) unless the op is a multiply, so the other ops do not pay for its switching.
`include "simdit_params.vh"

module simdit_simd_lane #(
    parameter W = `SIMD_DATA_WIDTH
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                valid_in,
    input  wire [2:0]          op,      // 0 add, 1 sub, 2 max, 3 mul, 4 compare (a < b)
    input  wire signed [W-1:0] a,
    input  wire signed [W-1:0] b,
    output reg                 valid_out,
    output reg  signed [W-1:0] y
);
    localparam OP_ADD = 3'd0, OP_SUB = 3'd1, OP_MAX = 3'd2, OP_MUL = 3'd3, OP_CMP = 3'd4;
    /* verilator lint_off UNUSEDSIGNAL */  // the multiply keeps the low W bits
    wire is_mul = (op == OP_MUL);
    wire signed [W-1:0] mul_a = is_mul ? a : {W{1'b0}};
    wire signed [W-1:0] mul_b = is_mul ? b : {W{1'b0}};
    wire signed [2*W-1:0] product = mul_a * mul_b;
    /* verilator lint_on UNUSEDSIGNAL */
    reg signed [W-1:0] result;

    always @(*) begin
        case (op)
            OP_ADD: result = a + b;
            OP_SUB: result = a - b;
            OP_MAX: result = (a > b) ? a : b;
            OP_MUL: result = product[W-1:0];
            OP_CMP: result = {{(W-1){1'b0}}, a < b};
            default: result = {W{1'b0}};
        endcase
    end

    always @(posedge clk) begin
        if (rst) begin
            valid_out <= 1'b0;
            y <= {W{1'b0}};
        end else begin
            valid_out <= valid_in;
            y <= result;
        end
    end
endmodule
