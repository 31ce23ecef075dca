/// Local response normalisation across channels (AlexNet, GoogLeNet):
/// `y = x / (k + α/n · Σ_{n neighbouring channels} x²)^β`.
public struct LocalResponseNorm: Sendable, Hashable {
    /// `n`: the channels in the window.
    public var size: Int
    public var alpha: Double
    public var beta: Double
    /// `k`.
    public var bias: Double

    public init(size: Int, alpha: Double = 1e-4, beta: Double = 0.75, bias: Double = 1) {
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.bias = bias
    }
}

extension LocalResponseNorm: LayerRule {
    var typeName: String { "lrn" }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape {
        if size < 1 { check.fail("size", "the window must span at least 1 channel, got \(size)") }
        return inputs[0]
    }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, .localResponseNorm(LRNOp(tensor: ElementwiseOp(layer.x), size: size)))
    }

    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name + ".grad", .localResponseNormGradient(LRNOp(tensor: ElementwiseOp(layer.x), size: size)))
    }
}

/// LRN as an element program (MODEL-EXTENSIONS.md §5). Forward, per element: the square, `n − 1`
/// adds over the window, `·α/n`, `+k`, the power `s^(−β) = exp(−β·ln s)` (ln priced as an
/// exponent: the table has no logarithm), and the final product; each channel tile reads the
/// `n − 1` neighbouring channels as a halo. Backward: reads `dy`, `x` and the saved `s`; per
/// element the power again, `n` adds over the window of `dy·y/s`, 4 multiplies, a divide and a
/// subtract.
struct LRNModel: OperationModel {
    var op: LRNOp
    var gradient: Bool

    var name: String { gradient ? "lrn_grad" : "lrn" }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { gradient ? .normalizationGradient : .normalization }
    var fusion: FusionRole { .consumer(accepts: []) }
    var simdTiler: SIMDTilerKind? { .elementwise }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let n = Double(max(op.size, 1))
        let program = gradient
            ? ElementProgram(inputs: 3) { $0.multiply = 5; $0.add = n; $0.exponent = 2; $0.divide = 1; $0.subtract = 1 }
            : ElementProgram { $0.multiply = 4; $0.add = n; $0.exponent = 2 }
        // Never fused (it accepts no producer): each channel tile also reads its n − 1 neighbours.
        return program.evaluate(SIMDDimensions(op.tensor, context), context,
                                inputTileScale: { tile in (tile.channels + n - 1) / tile.channels })
    }
}
