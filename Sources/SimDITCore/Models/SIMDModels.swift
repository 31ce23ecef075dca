/// The SIMD cost models for inference ops (GENESYS-MODEL.md §6.0–6.3, §6.9). Conventions: `M`
/// lanes, real-valued tile counts, `F_S` fill per DRAM tile, no overlap of DRAM and compute (VMEM is
/// single-buffered), SIMD inputs at `bw_s` bits and the final output at `bw_out` (rule R3).
enum SIMDModels {
    /// The real-valued tile count `T = (OH/oh)·(OW/ow)·(C'/oc)·(B/b)` of a 4-D SIMD op.
    @inline(__always)
    static func tileCount(_ d: SIMDDimensions, _ t: SIMDTile) -> Double {
        (d.height / t.outputHeight) * (d.width / t.outputWidth) * (d.channels / t.channels) * (d.batch / t.batch)
    }

    /// §6.1 ReLU, `max(x, 0)` with the 0 read from IMM, and §6.2 element-wise add. Fused after a
    /// convolution, the input that the array produced stays on chip (input 1 of ReLU, input 2 of add).
    static func elementwise(
        add: Bool, _ d: SIMDDimensions, tile t: SIMDTile, outputBits: Double, fused: Bool, _ hw: DerivedHardware
    ) -> Counts {
        let m = hw.columns, e = hw.simdBits, port = hw.simdPort
        let v = t.elements
        let tiles = tileCount(d, t)
        let elements = v * tiles  // E
        let dramInputs = (add ? 2.0 : 1.0) - (fused ? 1 : 0)
        var counts = Counts()
        counts.simdComputeCycles = ceil((v / m + hw.simdFill) * tiles)
        counts.simdStallCycles = (dramInputs * ceil(v * e / port) + ceil(v * outputBits / port)) * tiles
        counts.dram.ifmapBits = dramInputs * elements * e
        counts.dram.ofmapBits = elements * outputBits
        counts.sram.vmemBits = (add ? 2 : 1) * elements * e + elements * outputBits
        counts.buffers.vmemWriteBits = elements * outputBits
        counts.sram.immBits = add ? 0 : t.outputWidth * t.outputHeight * ceil(t.channels / m) * t.batch * tiles * e
        counts.sram.instructionBits = ceil((v / m) * tiles) * 32
        if add { counts.simdOperations.add = elements } else { counts.simdOperations.max = elements }
        counts.ops = elements
        return counts
    }

    /// What a pooling window computes: the largest element, the mean (adds then a divide), or the
    /// sum (adds only: a per-channel spatial reduction, MODEL-EXTENSIONS.md §4).
    enum PoolArithmetic {
        case max, average, sum
    }

    /// §6.3 Max, average and global-average pooling. The input tile carries the window halo, which
    /// is re-fetched for strides smaller than the kernel.
    static func pool(
        _ arithmetic: PoolArithmetic, _ d: SIMDDimensions, tile t: SIMDTile, outputBits: Double, _ hw: DerivedHardware
    ) -> Counts {
        let m = hw.columns, e = hw.simdBits, port = hw.simdPort, divide = hw.latencies.divide
        let average = arithmetic == .average
        let outputElements = t.elements                                          // v_o
        let inputElements = t.inputWidth * t.inputHeight * t.channels * t.batch   // v_i
        let tiles = tileCount(d, t)
        let window = d.kernelHeight * d.kernelWidth
        let outputs = d.height * d.width * d.channels * d.batch                  // NO
        let windowOps = outputElements * d.kernelHeight * d.kernelWidth * tiles  // W
        let lanesSteps = outputElements / m
        var counts = Counts()
        let cyclesPerTile = lanesSteps * window + (average ? lanesSteps * divide : 0)
        counts.simdComputeCycles = ceil((cyclesPerTile + hw.simdFill) * tiles)
        counts.simdStallCycles = (ceil(inputElements * e / port) + ceil(outputElements * outputBits / port)) * tiles
        counts.dram.ifmapBits = inputElements * tiles * e
        counts.dram.ofmapBits = outputElements * tiles * outputBits
        counts.sram.vmemBits = 2 * windowOps * e + (windowOps - outputs) * e + outputs * outputBits
            + (average ? 3 * outputElements * tiles * e : 0)
        // Two operand reads per window step; a partial result written per step but the last, the
        // output, and for average pooling one write per divide (two reads, one write).
        counts.buffers.vmemWriteBits = (windowOps - outputs) * e + outputs * outputBits
            + (average ? outputElements * tiles * e : 0)
        counts.sram.instructionBits = ceil((lanesSteps * window + (average ? lanesSteps : 0)) * tiles) * 32
        switch arithmetic {
        case .max:
            counts.simdOperations.max = windowOps
        case .average:
            counts.simdOperations.add = windowOps
            counts.simdOperations.divide = outputElements * tiles
        case .sum:
            counts.simdOperations.add = windowOps
        }
        counts.ops = counts.simdOperations.latencyWeightedCount(hw.latencies)
        return counts
    }

    /// The published softmax shape (§6.9, quirk Q19): 1000 classes × 128 samples in 64 × 64 DRAM
    /// tiles, whatever the network says.
    static let publishedSoftmaxTile = SIMDTile(outputWidth: 1, outputHeight: 1, channels: 64, batch: 64,
                                               inputWidth: 1, inputHeight: 1)

    /// §6.9 Softmax: three passes per tile (exp, reduction add, divide), each paying `F_S`; the
    /// exponentials go to DRAM and back as a 32-bit intermediate (booked as psum); 8-bit output.
    /// The published model hard-codes the shape: `classes = 1000`, `batch = 128`, unpadded.
    static func softmax(_ hw: DerivedHardware) -> Counts {
        softmax(SoftmaxShape(classes: 1000, batch: 128, tileClasses: 64, tileBatch: 64, inputBits: 32,
                             intermediateBits: 32, outputBits: 8), hw)
    }

    /// The shape §6.9's formulas take: `classes` per row, `batch` rows (lanes run across rows), the
    /// DRAM tile, and the widths of the input, the exponentials' round trip and the output.
    struct SoftmaxShape {
        var classes, batch, tileClasses, tileBatch: Double
        var inputBits, intermediateBits, outputBits: Double
    }

    /// §6.9 for any shape (MODEL-EXTENSIONS.md §6): the published passes and transfers, with the
    /// real classes and rows.
    static func softmax(_ shape: SoftmaxShape, _ hw: DerivedHardware) -> Counts {
        let m = hw.columns, port = hw.simdPort, latencies = hw.latencies
        let classes = shape.classes, batch = shape.batch
        let tileClasses = shape.tileClasses, tileBatch = shape.tileBatch
        let inputBits = shape.inputBits, intermediateBits = shape.intermediateBits, outputBits = shape.outputBits
        let tiles = (classes / tileClasses) * (batch / tileBatch)
        let steps = tileClasses * ceil(tileBatch / m)  // u: lane-group steps per pass
        let fill = hw.simdFill
        let tileElements = tileClasses * tileBatch
        let paddedElements = m * ceil(tileBatch / m) * tileClasses * tiles  // lanes idle past the batch
        var counts = Counts()
        counts.simdComputeCycles = ceil(((steps * latencies.exponent + fill) + (steps + fill)
            + (steps * latencies.divide + fill)) * tiles)
        let load = ceil(tileElements * inputBits / port)
        let intermediate = ceil(tileElements * intermediateBits / port)
        let store = ceil(tileElements * outputBits / port)
        counts.simdStallCycles = load * tiles + intermediate * tiles + intermediate * tiles + store * tiles
        counts.dram.ifmapBits = classes * batch * inputBits
        counts.dram.psumBits = 2 * classes * batch * intermediateBits
        counts.dram.ofmapBits = classes * batch * outputBits
        counts.sram.vmemBits = paddedElements * inputBits + 6 * paddedElements * intermediateBits
            + paddedElements * outputBits
        // Assumed split of the published count: of the six intermediate accesses, two operand reads
        // per write (the exponent and the running sum written, each read twice); the output written.
        counts.buffers.vmemWriteBits = 2 * paddedElements * intermediateBits + paddedElements * outputBits
        counts.sram.instructionBits = ceil(steps * 3 * tiles) * 32
        counts.simdOperations.exponent = paddedElements
        counts.simdOperations.add = paddedElements
        counts.simdOperations.divide = paddedElements
        counts.ops = counts.simdOperations.latencyWeightedCount(latencies)
        return counts
    }
}
