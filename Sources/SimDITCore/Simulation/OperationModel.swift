/// One op's evaluation: its tile (none for zero-cost ops) and counts.
struct OperationEvaluation {
    var tile: LayerTile?
    var counts: Counts
}

/// Maps an op of the published vocabulary to its dimensions (§2.2, with R2 and R4), its tiler
/// (§3) and its cost model (§4–6).
enum OperationModel {
    /// Evaluates one op; nil when no tile fits.
    static func evaluate(
        _ operation: Operation, batch: Double, mode: ExecutionMode, outputBits: Double, fused: Bool,
        _ hw: DerivedHardware
    ) -> OperationEvaluation? {
        switch operation {
        case .convolution(let op):
            let d = SystolicDimensions(
                outputWidth: Double(op.outputWidth), outputHeight: Double(op.outputHeight),
                outputChannels: padUp(Double(op.outputChannels), hw.columns),
                kernelWidth: Double(op.kernelWidth), kernelHeight: Double(op.kernelHeight),
                inputChannels: padUp(Double(overriddenInputs(op.inputChannels, specBatch: op.batch, batch, mode)), hw.rows),
                batch: overriddenBatch(op.batch, batch, mode), stride: Double(op.stride))
            return systolic(d, outputStationary: false, fused: fused, hw)

        case .gemm(let op):
            // OC = P, IC = N, Batch = M; spatial and kernel 1×1 (§2.2).
            let samples = overriddenBatch(op.batch, batch, mode)
            let d = SystolicDimensions(
                outputWidth: 1, outputHeight: 1,
                outputChannels: padUp(Double(op.outputs), hw.columns),
                kernelWidth: 1, kernelHeight: 1,
                inputChannels: padUp(Double(overriddenInputs(op.inputs, specBatch: op.batch, batch, mode)), hw.rows),
                batch: samples, stride: 1)
            return systolic(d, outputStationary: samples == 1, fused: fused, hw)

        case .relu(let op), .elementwiseAdd(let op):
            let d = SIMDDimensions(width: Double(op.width), height: Double(op.height),
                                   channels: padUp(Double(op.channels), hw.columns), batch: batch)
            guard let tile = SIMDTiler.tile(.elementwise, d, hw) else { return nil }
            let isAdd = if case .elementwiseAdd = operation { true } else { false }
            return .init(tile: .simd(tile),
                         counts: SIMDModels.elementwise(add: isAdd, d, tile: tile, outputBits: outputBits, fused: fused, hw))

        case .maxPool(let op), .averagePool(let op), .globalAveragePool(let op):
            let d = SIMDDimensions(width: Double(op.outputWidth), height: Double(op.outputHeight),
                                   channels: padUp(Double(op.channels), hw.columns), batch: batch,
                                   kernelWidth: Double(op.kernelWidth), kernelHeight: Double(op.kernelHeight),
                                   stride: Double(op.stride))
            guard let tile = SIMDTiler.tile(.pool, d, hw) else { return nil }
            let average = if case .maxPool = operation { false } else { true }
            return .init(tile: .simd(tile), counts: SIMDModels.pool(average: average, d, tile: tile, outputBits: outputBits, hw))

        case .softmax:
            return .init(tile: .simd(SIMDModels.publishedSoftmaxTile), counts: SIMDModels.softmax(hw))

        case .zeroCost:
            return .init(tile: nil, counts: .zero)
        }
    }

    /// The SIMD tiler an op uses, for the capacity checks.
    static func simdTiler(for operation: Operation) -> SIMDTilerKind? {
        switch operation {
        case .relu, .elementwiseAdd: .elementwise
        case .maxPool, .averagePool, .globalAveragePool: .pool
        case .convolution, .gemm, .softmax, .zeroCost: nil
        }
    }

    /// R2 for an array op's batch: inference always takes the run's batch; training takes it where
    /// the spec's batch field is 1 (forward and data-gradient ops), else keeps the spec value.
    @inline(__always)
    static func overriddenBatch(_ specBatch: Int, _ batch: Double, _ mode: ExecutionMode) -> Double {
        switch mode {
        case .inference: batch
        case .training: specBatch == 1 ? batch : Double(specBatch)
        }
    }

    /// R2 for an array op's input channels: in training, a spec batch other than 1 marks a
    /// weight-gradient op, whose reduction dimension is the run's batch.
    @inline(__always)
    static func overriddenInputs(_ inputs: Int, specBatch: Int, _ batch: Double, _ mode: ExecutionMode) -> Double {
        mode == .training && specBatch != 1 ? batch : Double(inputs)
    }

    private static func systolic(
        _ d: SystolicDimensions, outputStationary: Bool, fused: Bool, _ hw: DerivedHardware
    ) -> OperationEvaluation? {
        guard let tile = SystolicTiler.tile(d, hw) else { return nil }
        return .init(tile: .systolic(tile),
                     counts: SystolicModel.evaluate(d, tile: tile, outputStationary: outputStationary, fused: fused, hw))
    }
}
