/// An element-wise activation layer. ReLU lowers to the published `relu`/`relu_grad`; the others to
/// element programs (MODEL-EXTENSIONS.md §3).
struct ActivationLayer: LayerRule {
    var function: ActivationFunction

    var typeName: String { function.name }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape { inputs[0] }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let tensor = ElementwiseOp(layer.x)
        if function == .relu {
            program.emit(layer.name, .relu(tensor))
        } else {
            program.emit(layer.name, .activation(ActivationOp(function: function, tensor: tensor)))
        }
    }

    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let tensor = ElementwiseOp(layer.x)
        if function == .relu {
            program.emit(layer.name + ".grad", .reluGradient(tensor))
        } else if function == .shift {
            program.emit(layer.name + ".grad", .zeroCost("shift_grad"))   // the gradient passes through unchanged
        } else {
            program.emit(layer.name + ".grad", .activationGradient(ActivationOp(function: function, tensor: tensor)))
        }
    }
}

/// §6.1 ReLU, `max(x, 0)` with the 0 read from IMM, and §6.2 element-wise add of two same-shape
/// tensors. Fused after a convolution, the input the array produced stays on chip.
struct PublishedElementwiseModel: OperationModel {
    var add: Bool
    var tensor: ElementwiseOp
    var name: String { add ? "elem_add" : "relu" }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { add ? .elementwiseAdd : .relu }
    var fusion: FusionRole { .consumer(accepts: [.convolution]) }
    var simdTiler: SIMDTilerKind? { .elementwise }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let d = SIMDDimensions(tensor, context)
        guard let tile = SIMDTiler.tile(.elementwise, d, context.hw) else { return nil }
        return .init(tile: .simd(tile), counts: SIMDModels.elementwise(
            add: add, d, tile: tile, outputBits: context.outputBits, fused: context.fused, context.hw))
    }
}

/// §6.7 `relu_grad`: reads the gradient and the forward input, one step per element.
struct ReLUGradientModel: OperationModel {
    var tensor: ElementwiseOp
    var name: String { "relu_grad" }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { .reluGradient }
    var fusion: FusionRole { .consumer(accepts: []) }
    var simdTiler: SIMDTilerKind? { .elementwise }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let hw = context.hw
        let d = SIMDDimensions(tensor, context)
        guard let tile = SIMDTiler.tile(.elementwise, d, hw) else { return nil }
        let full = d.batch * d.height * d.width * d.channels
        let tiles = (d.batch / tile.batch) * (d.channels / tile.channels) * (d.height / tile.outputHeight)
            * (d.width / tile.outputWidth)
        let steps = TrainingSIMDModels.ElementSteps(
            inputs: 2, steps: 1, cyclesPerElement: 1, fullInput: full, inputTile: tile.elements,
            fullOutput: full, outputTile: tile.elements, tiles: tiles)
        return .init(tile: .simd(tile), counts: TrainingSIMDModels.elementSteps(steps, outputBits: context.outputBits,
                                                                                fused: false, hw))
    }
}

extension ActivationFunction {
    /// The forward instruction sequence per element (MODEL-EXTENSIONS.md §3). `min` runs on the
    /// comparator and is counted as a `max`; constants come from IMM.
    var forwardProgram: ElementProgram {
        switch self {
        case .relu: ElementProgram { $0.max = 1 }
        case .clip: ElementProgram { $0.max = 2 }                                   // max(x, lo), min(·, hi)
        case .leakyRelu: ElementProgram { $0.multiply = 1; $0.max = 1 }             // max(x, α·x)
        case .sigmoid: ElementProgram { $0.multiply = 1; $0.exponent = 1; $0.add = 1; $0.divide = 1 } // 1 / (1 + e^(−x))
        case .tanh:                                                                 // 2 / (1 + e^(−2x)) − 1
            ElementProgram { $0.multiply = 1; $0.exponent = 1; $0.add = 1; $0.divide = 1; $0.subtract = 1 }
        case .hardSigmoid: ElementProgram { $0.multiply = 1; $0.add = 1; $0.max = 2 } // clip(α·x + β, 0, 1)
        case .hardSwish: ElementProgram { $0.multiply = 2; $0.add = 1; $0.max = 2 }   // x · hardSigmoid(x)
        case .swish: ElementProgram { $0.multiply = 2; $0.exponent = 1; $0.add = 1; $0.divide = 1 } // x · sigmoid(x)
        case .scale: ElementProgram { $0.multiply = 1 }
        case .shift: ElementProgram { $0.add = 1 }
        }
    }

    /// The backward sequence per element: it reads the output gradient and the saved forward input
    /// (or output) and writes the input gradient.
    var gradientProgram: ElementProgram {
        switch self {
        case .relu: ElementProgram(inputs: 2) { $0.conditionalMove = 1 }
        case .clip: ElementProgram(inputs: 2) { $0.max = 2; $0.conditionalMove = 1 }        // dy where lo < x < hi
        case .leakyRelu: ElementProgram(inputs: 2) { $0.multiply = 1; $0.conditionalMove = 1 } // dy or α·dy
        case .sigmoid: ElementProgram(inputs: 2) { $0.subtract = 1; $0.multiply = 2 }        // dy · y · (1 − y)
        case .tanh: ElementProgram(inputs: 2) { $0.multiply = 2; $0.subtract = 1 }           // dy · (1 − y²)
        case .hardSigmoid: ElementProgram(inputs: 2) { $0.max = 2; $0.conditionalMove = 1; $0.multiply = 1 }
        case .hardSwish:                                                                      // dy · (2x + 3)/6 inside
            ElementProgram(inputs: 2) { $0.multiply = 2; $0.add = 1; $0.max = 2; $0.conditionalMove = 2 }
        case .swish:                                                                          // dy · (s + x·s·(1 − s))
            ElementProgram(inputs: 2) {
                $0.multiply = 4; $0.exponent = 1; $0.add = 2; $0.divide = 1; $0.subtract = 1
            }
        case .scale: ElementProgram { $0.multiply = 1 }                                    // dy · c
        case .shift: ElementProgram { $0.elementSteps = 1 }   // dy passes through (the layer emits a zero-cost shift_grad)
        }
    }
}

/// An activation other than ReLU as an element program over its tensor. Fused after a convolution
/// (its producer's output stays on chip) like ReLU.
struct ActivationModel: OperationModel {
    var op: ActivationOp
    var name: String { op.function.name }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { .activation }
    var fusion: FusionRole { .consumer(accepts: [.convolution]) }
    var simdTiler: SIMDTilerKind? { .elementwise }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        op.function.forwardProgram.evaluate(SIMDDimensions(op.tensor, context), context)
    }
}

/// The gradient of an activation other than ReLU, an element program over its tensor.
struct ActivationGradientModel: OperationModel {
    var op: ActivationOp
    var name: String { op.function.name + "_grad" }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { .activationGradient }
    var fusion: FusionRole { .consumer(accepts: []) }
    var simdTiler: SIMDTilerKind? { .elementwise }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        op.function.gradientProgram.evaluate(SIMDDimensions(op.tensor, context), context)
    }
}
