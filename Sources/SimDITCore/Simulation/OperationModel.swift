/// One op's evaluation: its tile (none for zero-cost ops) and counts.
struct OperationEvaluation {
    var tile: LayerTile?
    var counts: Counts
}

/// Maps an op of the published vocabulary to its dimensions (§2.2, with R2 and R4), its tiler
/// (§3) and its cost model (§4–6).
enum OperationModel {
    /// Evaluates one op, its DRAM traffic booked as fills and drains of its unit's buffers; nil
    /// when no tile fits.
    static func evaluate(
        _ operation: Operation, batch: Double, outputBits: Double, fused: Bool,
        _ hw: DerivedHardware
    ) -> OperationEvaluation? {
        guard var evaluation = model(operation, batch: batch, outputBits: outputBits, fused: fused, hw) else { return nil }
        evaluation.counts.bookTransfers(on: operation.unit)
        return evaluation
    }

    /// The op's tile and its cost model's counts.
    private static func model(
        _ operation: Operation, batch: Double, outputBits: Double, fused: Bool,
        _ hw: DerivedHardware
    ) -> OperationEvaluation? {
        switch operation {
        case .convolution(let op):
            let d = SystolicDimensions(
                outputWidth: Double(op.outputWidth), outputHeight: Double(op.outputHeight),
                outputChannels: padUp(Double(op.outputChannels), hw.columns),
                kernelWidth: Double(op.kernelWidth), kernelHeight: Double(op.kernelHeight),
                inputChannels: padUp(overriddenInputs(op.inputChannels, op.role, batch), hw.rows),
                batch: overriddenBatch(op.batch, op.role, batch), stride: Double(op.stride))
            return systolic(d, outputStationary: false, fused: fused, hw)

        case .gemm(let op):
            // OC = P, IC = N, Batch = M; spatial and kernel 1×1 (§2.2).
            let samples = overriddenBatch(op.batch, op.role, batch)
            let d = SystolicDimensions(
                outputWidth: 1, outputHeight: 1,
                outputChannels: padUp(Double(op.outputs), hw.columns),
                kernelWidth: 1, kernelHeight: 1,
                inputChannels: padUp(overriddenInputs(op.inputs, op.role, batch), hw.rows),
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

        case .meanVariance(let op), .batchNorm(let op), .batchNormBackward(let op):
            let d = SIMDDimensions(width: Double(op.width), height: Double(op.height),
                                   channels: padUp(Double(op.channels), hw.columns), batch: batch)
            let kind = simdTiler(for: operation) ?? .batchNorm
            guard let tile = SIMDTiler.tile(kind, d, hw) else { return nil }
            let counts = switch operation {
            case .meanVariance: TrainingSIMDModels.meanVariance(d, tile: tile, outputBits: outputBits, fused: fused, hw)
            case .batchNorm: TrainingSIMDModels.batchNormForward(d, tile: tile, outputBits: outputBits, hw)
            default: TrainingSIMDModels.batchNormBackward(d, tile: tile, outputBits: outputBits, hw)
            }
            return .init(tile: .simd(tile), counts: counts)

        case .reluGradient(let op):
            let d = SIMDDimensions(width: Double(op.width), height: Double(op.height),
                                   channels: padUp(Double(op.channels), hw.columns), batch: batch)
            guard let tile = SIMDTiler.tile(.elementwise, d, hw) else { return nil }
            let full = d.batch * d.height * d.width * d.channels
            let tiles = (d.batch / tile.batch) * (d.channels / tile.channels) * (d.height / tile.outputHeight)
                * (d.width / tile.outputWidth)
            let steps = TrainingSIMDModels.ElementSteps(
                inputs: 2, steps: 1, cyclesPerElement: 1, fullInput: full, inputTile: tile.elements,
                fullOutput: full, outputTile: tile.elements, tiles: tiles)
            return .init(tile: .simd(tile), counts: TrainingSIMDModels.elementSteps(steps, outputBits: outputBits, fused: false, hw))

        case .reduceSum(let op):
            // Input B × C', output C'; the tile count ignores batch tiles (quirk Q8).
            let d = SIMDDimensions(width: 1, height: 1, channels: padUp(Double(op.channels), hw.columns), batch: batch)
            guard let tile = SIMDTiler.tile(.elementwise, d, hw) else { return nil }
            let steps = TrainingSIMDModels.ElementSteps(
                inputs: 1, steps: d.batch, cyclesPerElement: d.batch, fullInput: d.batch * d.channels,
                inputTile: tile.batch * tile.channels, fullOutput: d.channels, outputTile: tile.channels,
                tiles: d.channels / tile.channels)
            return .init(tile: .simd(tile), counts: TrainingSIMDModels.elementSteps(steps, outputBits: outputBits, fused: false, hw))

        case .weightUpdate(let op):
            // sgd4d and sgd2d tile their own "batch" (OC or IC of the weights); sgd1d uses 1 (R2).
            let d: SIMDDimensions
            switch op.shape {
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
            let rule = TrainingSIMDModels.update(op.optimizer, hw)
            let steps = TrainingSIMDModels.ElementSteps(
                inputs: rule.inputs, outputs: rule.outputs, steps: rule.steps, cyclesPerElement: rule.cycles,
                fullInput: full, inputTile: tile.elements, fullOutput: full, outputTile: tile.elements, tiles: tiles,
                operationsPerElement: rule.operations)
            return .init(tile: .simd(tile), counts: TrainingSIMDModels.elementSteps(steps, outputBits: outputBits, fused: fused, hw))

        case .maxPoolGradient(let op), .averagePoolGradient(let op), .globalAveragePoolGradient(let op):
            let d = SIMDDimensions(width: Double(op.outputWidth), height: Double(op.outputHeight),
                                   channels: padUp(Double(op.channels), hw.columns), batch: batch,
                                   kernelWidth: Double(op.kernelWidth), kernelHeight: Double(op.kernelHeight),
                                   stride: Double(op.stride))
            let isMax = if case .maxPoolGradient = operation { true } else { false }
            guard let tile = SIMDTiler.tile(isMax ? .maxPoolGradient : .pool, d, hw) else { return nil }
            if !isMax {
                // §3.2: the produced input gradient and the gradient plus one lane vector must fit.
                let e = hw.simdBits, capacity = hw.vectorMemoryBits
                guard tile.inputWidth * tile.inputHeight * tile.channels * tile.batch * e <= capacity,
                      tile.elements * e + hw.columns * e <= capacity else { return nil }
            }
            return .init(tile: .simd(tile),
                         counts: TrainingSIMDModels.poolGradient(max: isMax, d, tile: tile, outputBits: outputBits, hw))

        case .zeroCost:
            return .init(tile: nil, counts: .zero)
        }
    }

    /// The SIMD tiler an op uses, for the capacity checks.
    static func simdTiler(for operation: Operation) -> SIMDTilerKind? {
        switch operation {
        case .relu, .elementwiseAdd, .reluGradient, .reduceSum, .weightUpdate: .elementwise
        case .maxPool, .averagePool, .globalAveragePool, .averagePoolGradient, .globalAveragePoolGradient: .pool
        case .maxPoolGradient: .maxPoolGradient
        case .meanVariance: .meanVariance
        case .batchNorm: .batchNorm
        case .batchNormBackward: .batchNormBackward
        case .convolution, .gemm, .softmax, .zeroCost: nil
        }
    }

    /// R2 for an array op's batch: the run's batch, except for a weight-gradient op, whose
    /// temporal "batch" is the forward op's input channels (the spec value).
    @inline(__always)
    static func overriddenBatch(_ specBatch: Int, _ role: GradientRole, _ batch: Double) -> Double {
        role == .weightGradient ? Double(specBatch) : batch
    }

    /// R2 for an array op's input channels: a weight-gradient op reduces over the run's batch.
    @inline(__always)
    static func overriddenInputs(_ inputs: Int, _ role: GradientRole, _ batch: Double) -> Double {
        role == .weightGradient ? batch : Double(inputs)
    }

    private static func systolic(
        _ d: SystolicDimensions, outputStationary: Bool, fused: Bool, _ hw: DerivedHardware
    ) -> OperationEvaluation? {
        guard let tile = SystolicTiler.tile(d, hw) else { return nil }
        return .init(tile: .systolic(tile),
                     counts: SystolicModel.evaluate(d, tile: tile, outputStationary: outputStationary, fused: fused, hw))
    }
}
