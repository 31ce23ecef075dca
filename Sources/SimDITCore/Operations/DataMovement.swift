/// Layers that move no data (MODEL-EXTENSIONS.md §9): `flatten` (the published `coarse_flatten`),
/// `reshape` of a contiguous tensor, `identity`. Their ops cost nothing and are listed as such.
struct ViewLayer: LayerRule {
    enum Kind: Hashable {
        case flatten
        case reshape(TensorShape)
        case identity
    }
    var kind: Kind

    var typeName: String {
        switch kind {
        case .flatten: "flatten"
        case .reshape: "reshape"
        case .identity: "identity"
        }
    }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape {
        let x = inputs[0]
        switch kind {
        case .flatten:
            return TensorShape(channels: x.elements, height: 1, width: 1)
        case .reshape(let shape):
            if shape.elements != x.elements {
                check.fail("shape", "reshape to \(shape) (\(shape.elements) elements) from \(x) (\(x.elements) elements)")
            }
            return shape
        case .identity:
            return x
        }
    }

    private var opName: String {
        switch kind {
        case .flatten: "coarse_flatten"
        case .reshape: "reshape"
        case .identity: "identity"
        }
    }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, .zeroCost(opName))
    }

    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name + ".grad", .zeroCost(kind == .flatten ? "flatten_grad" : opName + "_grad"))
    }
}

/// Concatenation along the channels. Free: each producer writes its output into its own region of
/// the concatenated tensor in DRAM (no op is fused into a concat's producers, so every producer's
/// output goes to DRAM anyway); its gradient is the matching split, also free (MODEL-EXTENSIONS.md §9).
struct ConcatLayer: LayerRule {
    var typeName: String { "concat" }
    var arity: LayerArity { .atLeast(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape {
        let first = inputs[0]
        var channels = 0
        for shape in inputs {
            if shape.height != first.height || shape.width != first.width {
                check.fail("inputs", "concat needs inputs of one height and width; got \(first) and \(shape)")
            }
            channels += shape.channels
        }
        return TensorShape(channels: channels, height: first.height, width: first.width)
    }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, .concat(ElementwiseOp(layer.y)))
    }

    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name + ".grad", .split(ElementwiseOp(layer.y)))
    }
}

/// Dropout: the identity at inference (zero cost); in training a multiply by a mask of the same
/// shape read from DRAM, forward and backward (MODEL-EXTENSIONS.md §9).
struct DropoutLayer: LayerRule {
    var ratio: Double

    var typeName: String { "dropout" }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape {
        if !(ratio >= 0 && ratio < 1) { check.fail("ratio", "the dropout ratio must be in [0, 1), got \(ratio)") }
        return inputs[0]
    }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, .zeroCost("dropout"))
    }

    private func mask(_ layer: LayerLowering) -> Operation {
        .broadcast(BroadcastOp(operation: .multiply, tensor: ElementwiseOp(layer.x), operandElements: layer.x.elements))
    }

    func lowerTrainingForward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, mask(layer))
    }

    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name + ".grad", mask(layer))
    }
}

/// A copy that reorders elements: ShuffleNet's channel shuffle, or a general transpose to a given
/// per-sample shape. Its gradient is the inverse reordering, the same copy.
struct PermuteLayer: LayerRule {
    enum Kind: Hashable {
        case channelShuffle(groups: Int)
        /// A general transpose, to this per-sample shape.
        case transpose(TensorShape)
    }
    var kind: Kind

    var typeName: String {
        switch kind {
        case .channelShuffle: "channel_shuffle"
        case .transpose: "permute"
        }
    }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape {
        let x = inputs[0]
        switch kind {
        case .channelShuffle(let groups):
            if groups < 1 || x.channels % groups != 0 {
                check.fail("groups", "the \(x.channels) channels do not divide into \(groups) groups")
            }
            return x
        case .transpose(let shape):
            if shape.elements != x.elements {
                check.fail("shape", "permute to \(shape) (\(shape.elements) elements) from \(x) (\(x.elements) elements)")
            }
            return shape
        }
    }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, .permute(ElementwiseOp(layer.x)))
    }

    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name + ".grad", .permute(ElementwiseOp(layer.y)))
    }
}

/// A tensor assembled from or read as regions in DRAM: a concat, its gradient (a split), or a slice
/// (MODEL-EXTENSIONS.md §9). No cost, but a fusion barrier, so a convolution before it keeps its
/// output going to DRAM, where the region's reader needs it.
struct JoinModel: OperationModel {
    enum Kind: String { case concat, split, slice }
    var tensor: ElementwiseOp
    var kind: Kind
    var name: String { kind.rawValue }
    var unit: ExecutionUnit { .none }
    var category: OperationCategory { .other }
    var fusion: FusionRole { .barrier }
    var simdTiler: SIMDTilerKind? { nil }
    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? { .init(tile: nil, counts: .zero) }
}

/// A reordering copy through the SIMD unit (MODEL-EXTENSIONS.md §9): each element read from DRAM,
/// moved through a lane (one step, no ALU op) and written to its new place.
struct PermuteModel: OperationModel {
    var tensor: ElementwiseOp
    var name: String { "permute" }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { .dataMovement }
    var fusion: FusionRole { .consumer(accepts: []) }
    var simdTiler: SIMDTilerKind? { .elementwise }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        ElementProgram { $0.elementSteps = 1 }.evaluate(SIMDDimensions(tensor, context), context)
    }
}
