/// The SIMD cost models of the training ops (GENESYS-MODEL.md §6.4–6.8). Same conventions as
/// `SIMDModels`: `M` lanes, real-valued tile counts, `F_S` per DRAM tile, single-buffered VMEM so
/// DRAM never overlaps compute, inputs at `bw_s` bits, the final output at `bw_out` (R3). A `+2`
/// in an op sequence is the 2 NOP cycles a dependent op pays without forwarding.
enum TrainingSIMDModels {
    /// Tile counts of the batch-norm ops: `T_in = (IH/ih)·(IW/iw)·(B/b)` data tiles per channel
    /// tile, `T_out = C'/oc` channel tiles.
    private static func batchNormTiles(_ d: SIMDDimensions, _ t: SIMDTile) -> (inner: Double, outer: Double) {
        ((d.height / t.inputHeight) * (d.width / t.inputWidth) * (d.batch / t.batch), d.channels / t.channels)
    }

    /// §6.4 `mean_var`: per element `add, mul, add(+2)` (5 cycle-steps); per channel, once per
    /// channel tile and without fill, `div, mul(+2), div, sub(+2), add(+2), inv_sqrt(+2)`. Writes
    /// the mean and inverse standard deviation. Fused after a convolution, the data stays on chip.
    static func meanVariance(
        _ d: SIMDDimensions, tile t: SIMDTile, outputBits: Double, fused: Bool, _ hw: DerivedHardware
    ) -> Counts {
        let m = hw.columns, e = hw.simdBits, port = hw.simdPort, lat = hw.latencies
        let (tIn, tOut) = batchNormTiles(d, t)
        let v = t.elements
        let elements = v * tIn * tOut       // E
        let channels = t.channels * tOut    // Cc = C'
        var c = Counts()
        c.simdComputeCycles = ceil(((5 * v / m + hw.simdFill) * tIn
            + (2 * lat.divide + lat.inverseSquareRoot + 11) * t.channels / m) * tOut)
        c.simdStallCycles = (fused ? 0 : ceil(v * e / port) * tIn * tOut) + 2 * ceil(t.channels * outputBits / port) * tOut
        c.dram.ifmapBits = fused ? 0 : elements * e
        c.dram.ofmapBits = 2 * channels * outputBits
        c.sram.vmemBits = 9 * elements * e + 16 * channels * e
        c.buffers.vmemWriteBits = c.sram.vmemBits / 3   // two operand reads and a write per ALU op
        c.sram.immBits = 2 * channels * e
        c.sram.instructionBits = (3 * elements + 6 * channels) / m * 32
        c.simdOperations.add = 2 * elements + channels
        c.simdOperations.subtract = channels
        c.simdOperations.multiply = elements + channels
        c.simdOperations.divide = 2 * channels
        c.simdOperations.inverseSquareRoot = channels
        c.ops = c.simdOperations.latencyWeightedCount(lat)
        return c
    }

    /// §6.5 `batch_norm` (forward apply): per element `sub, mul(+2), mul(+2), add(+2)` (10
    /// cycle-steps); mean, istd, scale and offset loaded once per channel tile.
    static func batchNormForward(
        _ d: SIMDDimensions, tile t: SIMDTile, outputBits: Double, _ hw: DerivedHardware
    ) -> Counts {
        let m = hw.columns, e = hw.simdBits, port = hw.simdPort
        let tOut = d.channels / t.channels
        let tiles = (d.height / t.inputHeight) * (d.width / t.inputWidth) * tOut * (d.batch / t.batch)
        let v = t.elements
        let elements = v * tiles
        let channels = t.channels * tOut
        var c = Counts()
        c.simdComputeCycles = ceil((10 * v / m + hw.simdFill) * tiles)
        c.simdStallCycles = (ceil(v * e / port) + ceil(v * outputBits / port)) * tiles + 4 * ceil(t.channels * e / port) * tOut
        c.dram.ifmapBits = elements * e + 4 * channels * e
        c.dram.ofmapBits = elements * outputBits
        c.sram.vmemBits = 9 * elements * e + elements * (2 * e + outputBits)
        c.buffers.vmemWriteBits = 3 * elements * e + elements * outputBits   // a third of the ALU accesses, the output
        c.sram.instructionBits = 4 * elements / m * 32
        c.simdOperations.subtract = elements
        c.simdOperations.multiply = 2 * elements
        c.simdOperations.add = elements
        c.ops = c.simdOperations.latencyWeightedCount(hw.latencies)
        return c
    }

    /// §6.6 `batchnorm_grad_x_mu`: part 1 (scale and offset gradients, writes x̂) per element
    /// `sub, mul(+2), mul(+2), add(+2), add` (11 steps); part 2 (data gradient) per channel
    /// `mul, div(+2)` and per element `mul, mul, sub(+2), sub(+2), mul(+2)` (11 steps). Both parts
    /// pay the fill. The x̂ write is booked as ifmap (quirk Q16).
    static func batchNormBackward(
        _ d: SIMDDimensions, tile t: SIMDTile, outputBits: Double, _ hw: DerivedHardware
    ) -> Counts {
        let m = hw.columns, e = hw.simdBits, port = hw.simdPort, lat = hw.latencies
        let (tIn, tOut) = batchNormTiles(d, t)
        let v = t.elements
        let elements = v * tIn * tOut
        let channels = t.channels * tOut
        let pass = 11 * v / m + hw.simdFill
        var c = Counts()
        c.simdComputeCycles = ceil((pass * tIn + pass * tIn + (lat.divide + 3) * t.channels / m) * tOut)
        c.simdStallCycles = (5 * ceil(v * e / port) + ceil(v * outputBits / port)) * tIn * tOut
            + (3 * ceil(t.channels * e / port) + 2 * ceil(t.channels * outputBits / port)) * tOut
        c.dram.ifmapBits = 5 * elements * e + 3 * channels * e
        c.dram.ofmapBits = elements * outputBits + 2 * channels * outputBits
        c.sram.vmemBits = 15 * elements * e + (12 * elements + 6 * channels) * e + elements * (2 * e + outputBits)
        c.buffers.vmemWriteBits = 5 * elements * e + (4 * elements + 2 * channels) * e + elements * outputBits
        c.sram.instructionBits = (10 * elements + 2 * channels) / m * 32
        c.simdOperations.subtract = 3 * elements
        c.simdOperations.add = 2 * elements
        c.simdOperations.multiply = 5 * elements + channels
        c.simdOperations.divide = channels
        c.ops = c.simdOperations.latencyWeightedCount(lat)
        return c
    }

    /// The shape of a §6.7 "common backward" op: how many input tensors it streams, how many it
    /// writes, its ALU work per output element and the tile geometry.
    struct ElementSteps {
        /// `n_in`: input tensors read (each tile of `inputTile` elements).
        var inputs: Double
        /// Tensors written: the result at `bw_out`, any optimizer state at `bw_s`.
        var outputs: Double = 1
        /// Instructions per output element (`steps`).
        var steps: Double
        /// Cycles per output element; `steps` unless a multi-cycle op is among them.
        var cyclesPerElement: Double
        var fullInput: Double
        var inputTile: Double
        var fullOutput: Double  // Vo
        var outputTile: Double  // vo
        var tiles: Double       // T
        /// ALU ops of one element step, by kind; nil books them as generic steps (`op_ScmnBN`).
        var operationsPerElement: SIMDOperations?
    }

    /// §6.7 `relu_grad`, `sgd4d/2d/1d` (and the momentum and Adam updates), `reduce_sum`.
    static func elementSteps(_ s: ElementSteps, outputBits: Double, fused: Bool, _ hw: DerivedHardware) -> Counts {
        let m = hw.columns, e = hw.simdBits, port = hw.simdPort
        let streamed = s.inputs - (fused ? 1 : 0)
        let states = s.outputs - 1
        var c = Counts()
        c.simdComputeCycles = ceil((ceil(s.outputTile / m) * s.cyclesPerElement + hw.simdFill) * s.tiles)
        c.simdStallCycles = (streamed * ceil(s.inputTile * e / port) + ceil(s.outputTile * outputBits / port)
            + states * ceil(s.outputTile * e / port)) * s.tiles
        c.dram.ifmapBits = streamed * s.fullInput * e
        c.dram.ofmapBits = s.fullOutput * outputBits + states * s.fullOutput * e
        // Two operand reads per step, a write per intermediate, the final writes.
        c.sram.vmemBits = s.fullOutput * (2 * e * s.steps + e * (s.steps - s.outputs) + outputBits + states * e)
        c.buffers.vmemWriteBits = s.fullOutput * (e * (s.steps - s.outputs) + outputBits + states * e)
        c.sram.instructionBits = ceil(ceil(s.outputTile / m) * s.steps * s.tiles) * 32
        let outputElements = s.outputTile * s.tiles
        if let perElement = s.operationsPerElement {
            c.simdOperations = perElement.scaled(by: outputElements)
        } else {
            c.simdOperations.elementSteps = outputElements * s.steps
        }
        c.ops = c.simdOperations.latencyWeightedCount(hw.latencies)
        return c
    }

    /// The per-element work of each optimizer (see `Optimizer`).
    static func update(_ optimizer: Optimizer, _ hw: DerivedHardware)
        -> (inputs: Double, outputs: Double, steps: Double, cycles: Double, operations: SIMDOperations?) {
        switch optimizer {
        case .sgd:
            return (2, 1, 2, 2, nil)
        case .momentum:
            var ops = SIMDOperations()
            ops.multiply = 2; ops.add = 1; ops.subtract = 1
            return (3, 2, 4, 4, ops)
        case .adam:
            var ops = SIMDOperations()
            ops.multiply = 7; ops.add = 2; ops.subtract = 1; ops.inverseSquareRoot = 1
            return (4, 3, 11, 10 + hw.latencies.inverseSquareRoot, ops)
        }
    }

    /// §6.8 pooling gradients. `max`: reads the gradient and the saved argmax, per window element
    /// `cmov, add(+2)`. Average: a divide per gradient element, then `K` adds, one paying `+2`.
    static func poolGradient(
        max: Bool, divides: Bool = true, _ d: SIMDDimensions, tile t: SIMDTile, outputBits: Double, _ hw: DerivedHardware
    ) -> Counts {
        let m = hw.columns, e = hw.simdBits, port = hw.simdPort, lat = hw.latencies
        let gradient = t.elements                                             // v_o
        let produced = t.inputWidth * t.inputHeight * t.channels * t.batch    // v_i
        let tiles = SIMDModels.tileCount(d, t)
        let window = d.kernelHeight * d.kernelWidth                           // K
        var c = Counts()
        let total: Double
        if max {
            c.simdComputeCycles = ceil(((lat.conditionalMove + 3) * gradient * window / m + hw.simdFill) * tiles)
            c.simdStallCycles = (2 * ceil(gradient * e / port) + ceil(produced * outputBits / port)) * tiles
            c.dram.ifmapBits = 2 * gradient * tiles * e
            total = 2 * gradient * window * tiles
            c.simdOperations.conditionalMove = gradient * window * tiles
            c.simdOperations.add = gradient * window * tiles
        } else if divides {
            c.simdComputeCycles = ceil(((lat.divide * gradient + gradient * (window - 1) + 3 * gradient) / m
                + hw.simdFill) * tiles)
            c.simdStallCycles = (ceil(gradient * e / port) + ceil(produced * outputBits / port)) * tiles
            c.dram.ifmapBits = gradient * tiles * e
            total = gradient * tiles + gradient * window * tiles
            c.simdOperations.divide = gradient * tiles
            c.simdOperations.add = gradient * window * tiles
        } else {
            // A sum's gradient: the average's without the divide per gradient (MODEL-EXTENSIONS.md §7).
            c.simdComputeCycles = ceil(((gradient * (window - 1) + 3 * gradient) / m + hw.simdFill) * tiles)
            c.simdStallCycles = (ceil(gradient * e / port) + ceil(produced * outputBits / port)) * tiles
            c.dram.ifmapBits = gradient * tiles * e
            total = gradient * window * tiles
            c.simdOperations.add = gradient * window * tiles
        }
        c.dram.ofmapBits = produced * tiles * outputBits
        c.sram.vmemBits = 3 * total * e
        c.buffers.vmemWriteBits = total * e   // two operand reads and a write per ALU op
        c.sram.instructionBits = total / m * 32
        c.ops = c.simdOperations.latencyWeightedCount(lat)
        return c
    }
}
