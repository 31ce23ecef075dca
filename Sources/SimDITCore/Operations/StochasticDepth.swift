/// Stochastic depth (EfficientNet, MNASNet, ConvNeXt): in training each sample's residual branch
/// is kept or dropped, `y = x · m_b / p` with one mask value per sample; at inference it is the
/// identity (zero cost). Forward and backward are each a multiply by the per-sample mask
/// (MODEL-EXTENSIONS.md §9).
struct StochasticDepthLayer: LayerRule {
    var typeName: String { "stochastic_depth" }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape { inputs[0] }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, .zeroCost("stochastic_depth"))
    }

    func lowerTrainingForward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, .sampleMask(SampleMaskOp(tensor: ElementwiseOp(layer.x), gradient: false)))
    }

    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name + ".grad", .sampleMask(SampleMaskOp(tensor: ElementwiseOp(layer.y), gradient: true)))
    }
}

/// A multiply by one value per sample (MODEL-EXTENSIONS.md §9): the element program `{1 mul}`
/// over the tensor (`n_in = 1`), plus the tile's `b` mask values read per tile:
/// `stall += ⌈b·bw_s/BW_s⌉·T`, `ifmap += b·T·bw_s`. The forward accepts a convolution's output
/// under fusion, as a broadcast multiply does; the gradient never fuses.
extension SampleMaskOp: OperationModel {
    var name: String { gradient ? "stochastic_depth_grad" : "stochastic_depth" }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { .elementwiseMultiply }
    var fusion: FusionRole { .consumer(accepts: gradient ? [] : [.convolution]) }
    var simdTiler: SIMDTilerKind? { .elementwise }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let hw = context.hw, e = hw.simdBits
        let d = SIMDDimensions(tensor, context)
        guard var evaluation = ElementProgram({ $0.multiply = 1 }).evaluate(d, context),
              case .simd(let tile)? = evaluation.tile else { return nil }
        let tiles = SIMDModels.tileCount(d, tile)
        evaluation.counts.simdStallCycles += ceil(tile.batch * e / hw.simdPort) * tiles
        evaluation.counts.dram.ifmapBits += tile.batch * tiles * e
        return evaluation
    }
}
