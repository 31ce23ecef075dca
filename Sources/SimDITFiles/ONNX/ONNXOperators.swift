/// The ONNX operators the importer maps (default domain), each with the form it takes them in
/// (MODEL-EXTENSIONS.md §11): the "not supported" diagnostics list it, and an operator outside it is
/// reported unsupported even where it only reads an unavailable value. A test checks that the
/// constant evaluator (`ONNXFolding`) evaluates every operator listed for constants.
public enum ONNXOperators {
    /// Operators and the form each is supported in.
    public static let forms: [(operators: [String], form: String)] = [
        (["Conv"], "2-D, any groups, strides, dilations, pads or auto_pad; weights a constant"),
        (["Gemm"], "an activation times 2-D constant weights (transA = 0)"),
        (["MatMul"], "an activation times a 2-D constant (a GEMM per row)"),
        (["BatchNormalization"], "inference or training mode"),
        (["Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish"],
         "element-wise; Sigmoid (or HardSigmoid(x/6 + 1/2)) then Mul by its input is one SiLU (hard-swish)"),
        (["Clip"], "constant bounds"),
        (["Add", "Sub", "Mul"], "two activations that broadcast, or an activation and a constant (per channel, scalar or per sample)"),
        (["Div"], "an activation by a constant"),
        (["Sum"], "activations"),
        (["MaxPool", "AveragePool"], "2-D, no dilation"),
        (["GlobalAveragePool", "GlobalMaxPool"], "N × C × H × W"),
        (["ReduceMean", "ReduceMax", "ReduceSum"], "constant axes, not the batch; over H and W the global pool"),
        (["Slice", "Split"], "constant starts, ends, axes, steps or split sizes, not the batch axis"),
        (["Gather"], "constant indices on a non-batch axis; anything on constants"),
        (["Pad"], "constant zero padding of H and W, read by Conv or a pool"),
        (["LRN"], "across channels"),
        (["Concat"], "activations along the channels; anything on constants"),
        (["Softmax", "LogSoftmax"], "any non-batch axis"),
        (["Transpose"], "the batch stays first"),
        (["Dropout"], "nothing at inference, a mask multiply in training"),
        (["Identity", "Cast", "CastLike", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Expand"],
         "views (Reshape to a constant shape, Expand to the same shape)"),
        (["Shape", "Size"], "of an activation: a constant"),
        (["RandomUniformLike", "RandomNormalLike", "RandomUniform", "RandomNormal", "Bernoulli"],
         "a mask multiplied into an activation: per sample (stochastic depth) or per element (dropout)"),
        (["Constant", "ConstantOfShape", "Range", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not",
          "And", "Or", "Xor", "Where", "Mod", "Neg", "Abs", "Sign", "Floor", "Ceil", "Sqrt", "Reciprocal", "Min", "Max",
          "Mean", "Pow", "ReduceProd", "ReduceMin"],
         "on constants (shape arithmetic), evaluated at import"),
    ]

    /// Whether an operator has a form in the table.
    static func isKnown(_ operator: String) -> Bool { known.contains(`operator`) }

    /// The operators listed only for constants.
    static var constantOnly: [String] { forms.last?.operators ?? [] }

    private static let known: Set<String> = Set(forms.flatMap(\.operators))

    /// The table as note lines for a diagnostic.
    static var notes: [String] {
        ["supported (default domain), with the form each takes:"]
            + forms.map { "  \($0.operators.joined(separator: ", ")): \($0.form)" }
    }
}

extension ONNXFile {
    /// The default-domain opsets whose semantics the importer implements.
    public static let opsets: ClosedRange<Int> = 1...23
}
