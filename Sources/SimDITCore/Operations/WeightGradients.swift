/// §6.7 `reduce_sum`: a `C`-vector summed over the batch (bias, scale and offset gradients).
/// Input `B × C'`, output `C'`; the tile count ignores batch tiles (quirk Q8).
extension ReductionOp: OperationModel {
    var name: String { "reduce_sum" }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { .reductions }
    var fusion: FusionRole { .consumer(accepts: []) }
    var simdTiler: SIMDTilerKind? { .elementwise }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let hw = context.hw
        let d = SIMDDimensions(width: 1, height: 1, channels: padUp(Double(channels), hw.columns), batch: context.batch)
        guard let tile = SIMDTiler.tile(.elementwise, d, hw) else { return nil }
        let steps = TrainingSIMDModels.ElementSteps(
            inputs: 1, steps: d.batch, cyclesPerElement: d.batch, fullInput: d.batch * d.channels,
            inputTile: tile.batch * tile.channels, fullOutput: d.channels, outputTile: tile.channels,
            tiles: d.channels / tile.channels)
        return .init(tile: .simd(tile), counts: TrainingSIMDModels.elementSteps(steps, outputBits: context.outputBits,
                                                                                fused: false, context.hw))
    }
}

/// §6.7 weight updates (`sgd4d/2d/1d`, and the momentum and Adam rules). `sgd4d` and `sgd2d` tile
/// their own "batch" (OC or IC of the weights); `sgd1d` uses 1 (R2). The published model fuses a
/// convolution into `sgd4d` and a GEMM into `sgd2d`.
extension WeightUpdateOp: OperationModel {
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { .weightUpdate }
    var fusion: FusionRole {
        switch shape {
        case .fourD: .consumer(accepts: [.convolution])
        case .twoD: .consumer(accepts: [.gemm])
        case .oneD: .consumer(accepts: [])
        }
    }
    var simdTiler: SIMDTilerKind? { .elementwise }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let hw = context.hw
        let d: SIMDDimensions
        switch shape {
        case .fourD(let outputChannels, let inputChannels, let height, let width):
            d = SIMDDimensions(width: Double(width), height: Double(height),
                               channels: padUp(Double(inputChannels), hw.columns), batch: Double(outputChannels))
        case .twoD(let inputs, let outputs):
            d = SIMDDimensions(width: 1, height: 1, channels: padUp(Double(outputs), hw.columns), batch: Double(inputs))
        case .oneD(let channels):
            d = SIMDDimensions(width: 1, height: 1, channels: padUp(Double(channels), hw.columns), batch: 1)
        }
        guard let tile = SIMDTiler.tile(.elementwise, d, hw) else { return nil }
        let full = d.batch * d.height * d.width * d.channels
        let tiles = (d.batch / tile.batch) * (d.channels / tile.channels) * (d.height / tile.outputHeight)
            * (d.width / tile.outputWidth)
        let rule = TrainingSIMDModels.update(optimizer, hw)
        let steps = TrainingSIMDModels.ElementSteps(
            inputs: rule.inputs, outputs: rule.outputs, steps: rule.steps, cyclesPerElement: rule.cycles,
            fullInput: full, inputTile: tile.elements, fullOutput: full, outputTile: tile.elements, tiles: tiles,
            operationsPerElement: rule.operations)
        return .init(tile: .simd(tile), counts: TrainingSIMDModels.elementSteps(steps, outputBits: context.outputBits,
                                                                                fused: context.fused, hw))
    }
}
