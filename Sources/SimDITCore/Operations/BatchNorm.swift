/// Batch normalisation. Inference folds it into the convolution before it (`Network.inferenceProgram`)
/// or applies the stored statistics (`batch_norm`, §6.5); training computes the batch statistics
/// (`mean_var`, §6.4), applies them, and in the backward pass runs `batchnorm_grad_x_mu` (§6.6) and
/// the scale and offset gradients. The published graph does not update scale and offset.
struct BatchNormLayer: LayerRule {
    var typeName: String { "batch_norm" }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape { inputs[0] }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        guard !layer.foldedAway else { return }
        program.emit(layer.name, .batchNorm(ElementwiseOp(layer.x)))
    }

    func lowerTrainingForward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let tensor = ElementwiseOp(layer.x)
        program.emit(layer.name + ".statistics", .meanVariance(tensor))
        program.emit(layer.name, .batchNorm(tensor))
    }

    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let channels = layer.x.channels
        program.emit(layer.name + ".backward", .batchNormBackward(ElementwiseOp(layer.x)))
        program.emit(layer.name + ".scale_grad", .reduceSum(ReductionOp(channels: channels)))
        program.emit(layer.name + ".offset_grad", .reduceSum(ReductionOp(channels: channels)))
    }
}

/// The three batch-norm ops on the SIMD unit, each with its own tiler (§3.2) and cost model (§6.4–6.6).
struct BatchNormModel: OperationModel {
    enum Kind { case statistics, apply, backward }
    var kind: Kind
    var tensor: ElementwiseOp

    var name: String {
        switch kind {
        case .statistics: "mean_var"
        case .apply: "batch_norm"
        case .backward: "batchnorm_grad_x_mu"
        }
    }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory {
        switch kind {
        case .statistics: .batchNormStatistics
        case .apply: .batchNormApply
        case .backward: .batchNormBackward
        }
    }
    /// The published model fuses a convolution into `mean_var` only.
    var fusion: FusionRole { .consumer(accepts: kind == .statistics ? [.convolution] : []) }
    var simdTiler: SIMDTilerKind? {
        switch kind {
        case .statistics: .meanVariance
        case .apply: .batchNorm
        case .backward: .batchNormBackward
        }
    }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let hw = context.hw
        let d = SIMDDimensions(tensor, context)
        guard let tiler = simdTiler, let tile = SIMDTiler.tile(tiler, d, hw) else { return nil }
        let counts = switch kind {
        case .statistics:
            TrainingSIMDModels.meanVariance(d, tile: tile, outputBits: context.outputBits, fused: context.fused, hw)
        case .apply: TrainingSIMDModels.batchNormForward(d, tile: tile, outputBits: context.outputBits, hw)
        case .backward: TrainingSIMDModels.batchNormBackward(d, tile: tile, outputBits: context.outputBits, hw)
        }
        return .init(tile: .simd(tile), counts: counts)
    }
}
