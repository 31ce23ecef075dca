/// A per-element instruction sequence on the SIMD lanes, the published model's way of costing an
/// element-wise op (GENESYS-MODEL.md §6.4–6.7): the ALU ops each element needs, by kind
/// (MODEL-EXTENSIONS.md §0).
struct ElementProgram {
    /// ALU ops per output element.
    var operations: SIMDOperations
    /// Input tensors streamed from DRAM, each one tile per tile.
    var inputs: Double = 1
    /// Tensors written: the result, then any state at `bw_s`.
    var outputs: Double = 1

    /// Instructions per element.
    var steps: Double {
        let o = operations
        return o.max + o.add + o.subtract + o.multiply + o.divide + o.exponent + o.inverseSquareRoot
            + o.conditionalMove + o.elementSteps
    }

    /// Cycles per element: each op's latency (§1.2), plus the 2 NOP cycles each op after the first
    /// pays because it depends on the one before (no forwarding).
    func cycles(_ latencies: SIMDLatencies) -> Double {
        operations.latencyWeightedCount(latencies) + 2 * max(0, steps - 1)
    }

    init(inputs: Double = 1, outputs: Double = 1, _ build: (inout SIMDOperations) -> Void) {
        var operations = SIMDOperations()
        build(&operations)
        self.operations = operations
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Runs the program over a 4-D tensor with the element-wise tiler (§3.2): the §6.7 counts.
    /// `inputTileScale` widens each input tile (a halo of neighbouring channels), given the tile.
    func evaluate(_ d: SIMDDimensions, _ context: EvaluationContext,
                  inputTileScale: (SIMDTile) -> Double = { _ in 1 }) -> OperationEvaluation? {
        let hw = context.hw
        guard let tile = SIMDTiler.tile(.elementwise, d, hw) else { return nil }
        let inputTileScale = inputTileScale(tile)
        let tiles = SIMDModels.tileCount(d, tile)
        let full = d.batch * d.height * d.width * d.channels
        let steps = TrainingSIMDModels.ElementSteps(
            inputs: inputs, outputs: outputs, steps: steps, cyclesPerElement: cycles(hw.latencies),
            fullInput: full * inputTileScale, inputTile: tile.elements * inputTileScale, fullOutput: full,
            outputTile: tile.elements, tiles: tiles, operationsPerElement: operations)
        return .init(tile: .simd(tile),
                     counts: TrainingSIMDModels.elementSteps(steps, outputBits: context.outputBits, fused: context.fused, hw))
    }
}

extension SIMDDimensions {
    /// A 4-D tensor's SIMD dimensions: channels padded to the lanes (R4), the run's batch.
    init(_ tensor: ElementwiseOp, _ context: EvaluationContext) {
        self.init(width: Double(tensor.width), height: Double(tensor.height),
                  channels: padUp(Double(tensor.channels), context.hw.columns), batch: context.batch)
    }
}
