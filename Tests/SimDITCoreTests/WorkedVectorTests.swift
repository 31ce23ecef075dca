import Testing
@testable import SimDITCore

/// The worked vectors of GENESYS-MODEL.md §8, produced by the published SimDIT code. Values are
/// compared to a relative 1e-12 (floating-point noise), after converting bits to KB (/8192).

private func preset(_ name: String) throws -> Architecture {
    try #require(Presets.named(name), "missing preset \(name)")
}

/// Evaluates one op on a preset with the given run batch and SIMD output width.
private func evaluate(
    _ operation: Operation, on name: String, mode: ExecutionMode = .inference, batch: Int = 1,
    outputBits: Int? = nil, fused: Bool = false
) throws -> (tile: LayerTile?, counts: Counts) {
    let architecture = try preset(name)
    let hw = DerivedHardware(architecture, mode: mode)
    let evaluation = try #require(Operation.evaluate(
        operation, batch: Double(batch), outputBits: Double(outputBits ?? architecture.accumulatorBits), fused: fused, hw))
    return (evaluation.tile, evaluation.counts)
}

private func expectClose(_ actual: Double, _ expected: Double, _ what: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    let scale = max(abs(expected), 1)
    #expect(abs(actual - expected) <= 1e-12 * scale, "\(what): \(actual) ≠ \(expected)", sourceLocation: sourceLocation)
}

private func kilobytes(_ bits: Double) -> Double { bits / 8192 }

private struct SystolicExpectation {
    var tile: [Double]  // ow, oh, oc, ic, kw, kh, b
    var compute: Double
    var stall: Double
    var dramKB: [Double]  // filter, ifmap, psum, ofmap, bias
    var sramKB: [Double]? = nil  // wbuf, ibuf, obuf, bbuf
    var macs: Double? = nil
}

private func check(_ result: (tile: LayerTile?, counts: Counts), _ e: SystolicExpectation,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    guard case .systolic(let t)? = result.tile else {
        Issue.record("expected a systolic tile", sourceLocation: sourceLocation)
        return
    }
    #expect([t.outputWidth, t.outputHeight, t.outputChannels, t.inputChannels, t.kernelWidth, t.kernelHeight, t.batch]
            == e.tile, sourceLocation: sourceLocation)
    let c = result.counts
    expectClose(c.systolicComputeCycles, e.compute, "compute", sourceLocation: sourceLocation)
    expectClose(c.systolicStallCycles, e.stall, "stall", sourceLocation: sourceLocation)
    let dram = [c.dram.filterBits, c.dram.ifmapBits, c.dram.psumBits, c.dram.ofmapBits, c.dram.biasBits].map(kilobytes)
    for (actual, (expected, kind)) in zip(dram, zip(e.dramKB, ["filter", "ifmap", "psum", "ofmap", "bias"])) {
        if kind == "ifmap" && expected == 279_271.6 {
            #expect(abs(actual - expected) < 0.05, "ifmap \(actual)", sourceLocation: sourceLocation)  // printed rounded
        } else {
            expectClose(actual, expected, "DRAM \(kind)", sourceLocation: sourceLocation)
        }
    }
    if let sram = e.sramKB {
        let actual = [c.sram.wbufBits, c.sram.ibufBits, c.sram.obufBits, c.sram.bbufBits].map(kilobytes)
        for (a, (x, kind)) in zip(actual, zip(sram, ["WBUF", "IBUF", "OBUF", "BBUF"])) {
            expectClose(a, x, "SRAM \(kind)", sourceLocation: sourceLocation)
        }
    }
    if let macs = e.macs {
        expectClose(c.macs, macs, "MAC", sourceLocation: sourceLocation)
        expectClose(c.ops, 2 * macs, "ops", sourceLocation: sourceLocation)
    }
}

/// §8.1: the 3×3 conv of the first bottleneck, 56×56×64 → 56×56×64, stride 1.
private let firstBottleneck3x3 = Operation.convolution(ConvolutionOp(
    outputChannels: 64, inputChannels: 64, kernelHeight: 3, kernelWidth: 3, outputHeight: 56, outputWidth: 56,
    batch: 1, stride: 1, padding: 1, hasBias: true))

@Suite("GENESYS-MODEL.md §8.1 convolution vectors")
struct ConvolutionVectorTests {
    @Test func inference01() throws {
        check(try evaluate(firstBottleneck3x3, on: "genesys-inference-01"), SystolicExpectation(
            tile: [14, 14, 16, 64, 3, 3, 1], compute: 453_504, stall: 1_368,
            dramKB: [18, 512, 0, 784, 0.25], sramKB: [56_448, 3_528, 55_664, 784], macs: 115_605_504))
    }

    @Test func inference08() throws {
        check(try evaluate(firstBottleneck3x3, on: "genesys-inference-08"), SystolicExpectation(
            tile: [28, 28, 64, 64, 3, 3, 1], compute: 28_728, stall: 7_172,
            dramKB: [18, 112.5, 0, 784, 0.25], sramKB: [56_448, 882, 13_328, 784], macs: 115_605_504))
    }

    @Test func training08Forward() throws {
        let forward = Operation.convolution(ConvolutionOp(
            outputChannels: 64, inputChannels: 64, kernelHeight: 3, kernelWidth: 3, outputHeight: 56, outputWidth: 56,
            batch: 1, stride: 1, padding: 1, hasBias: false))
        check(try evaluate(forward, on: "genesys-training-08", mode: .training, batch: 32), SystolicExpectation(
            tile: [28, 28, 64, 64, 3, 3, 2], compute: 911_232, stall: 9_872,
            dramKB: [72, 14_400, 0, 25_088, 0.25], sramKB: [7_225_344, 112_896, 426_496, 25_088],
            macs: 3_699_376_128))
    }

    @Test func training08WeightGradient() throws {
        // dW: OC = 64, IC := B = 32 → 64, batch = forward IC = 64, K_d = 56, O_d = 3.
        let weightGradient = Operation.convolution(ConvolutionOp(
            outputChannels: 64, inputChannels: 256, kernelHeight: 56, kernelWidth: 56, outputHeight: 3, outputWidth: 3,
            batch: 64, stride: 1, padding: 0, hasBias: false, role: .weightGradient))
        check(try evaluate(weightGradient, on: "genesys-training-08", mode: .training, batch: 32), SystolicExpectation(
            tile: [3, 3, 64, 64, 8, 8, 16], compute: 1_831_032, stall: 8_772,
            dramKB: [25_088, 39_200, 13_824, 144, 0.25], sramKB: [14_450_688, 225_792, 903_024, 144],
            macs: 7_398_752_256))
    }

    @Test func training08StemDataGradient() throws {
        let stemDX = Operation.convolution(ConvolutionOp(
            outputChannels: 3, inputChannels: 64, kernelHeight: 7, kernelWidth: 7, outputHeight: 229, outputWidth: 229,
            batch: 1, stride: 1, padding: 0, hasBias: false, role: .dataGradient))
        let result = try evaluate(stemDX, on: "genesys-training-08", mode: .training, batch: 32)
        guard case .systolic(let t)? = result.tile else { Issue.record("no tile"); return }
        #expect(t.outputWidth == 39 && t.outputChannels == 64 && t.inputChannels == 64 && t.batch == 1)
        expectClose(result.counts.systolicComputeCycles, 82_366_504, "compute")
        expectClose(result.counts.systolicStallCycles, 12_360, "stall")
        #expect(abs(kilobytes(result.counts.dram.ifmapBits) - 279_271.6) < 0.05)
        expectClose(kilobytes(result.counts.dram.ofmapBits), 419_528, "ofmap")
    }

    @Test func training08StemWeightGradient() throws {
        let stemDW = Operation.convolution(ConvolutionOp(
            outputChannels: 64, inputChannels: 256, kernelHeight: 223, kernelWidth: 223, outputHeight: 7, outputWidth: 7,
            batch: 3, stride: 1, padding: 0, hasBias: false, role: .weightGradient))
        let result = try evaluate(stemDW, on: "genesys-training-08", mode: .training, batch: 32)
        guard case .systolic(let t)? = result.tile else { Issue.record("no tile"); return }
        #expect(t.outputWidth == 7 && t.kernelWidth == 8 && t.batch == 3)
        expectClose(result.counts.systolicComputeCycles, 7_408_067, "compute")
        expectClose(result.counts.systolicStallCycles, 8_784, "stall")
        expectClose(kilobytes(result.counts.dram.filterBits), 397_832, "filter")
        expectClose(kilobytes(result.counts.dram.psumBits), 57_550.5, "psum")
    }
}

@Suite("GENESYS-MODEL.md §8.3 GEMM vectors")
struct GEMMVectorTests {
    @Test func inference01BatchOne() throws {
        // OC' = 1008, ic = 1024, oc = 16: two IC tiles, the output-stationary branch.
        let fc = Operation.gemm(GEMMOp(outputs: 1000, inputs: 2048, batch: 1, hasBias: true))
        let result = try evaluate(fc, on: "genesys-inference-01")
        guard case .systolic(let t)? = result.tile else { Issue.record("no tile"); return }
        #expect(t.inputChannels == 1024 && t.outputChannels == 16)
        expectClose(result.counts.systolicComputeCycles, 11_844, "compute")
        expectClose(result.counts.systolicStallCycles, 117_782, "stall")
        expectClose(kilobytes(result.counts.dram.filterBits), 1_008, "filter")
        expectClose(kilobytes(result.counts.dram.ifmapBits), 63, "ifmap")
    }

    @Test func training08Forward() throws {
        let fc = Operation.gemm(GEMMOp(outputs: 1024, inputs: 2048, batch: 1, hasBias: true))
        let result = try evaluate(fc, on: "genesys-training-08", mode: .training, batch: 32)
        guard case .systolic(let t)? = result.tile else { Issue.record("no tile"); return }
        #expect(t.outputChannels == 128 && t.inputChannels == 2048 && t.batch == 32)
        expectClose(result.counts.systolicComputeCycles, 17_392, "compute")
        expectClose(result.counts.systolicStallCycles, 50_638, "stall")
        expectClose(kilobytes(result.counts.dram.ifmapBits), 1_024, "ifmap")
        expectClose(kilobytes(result.counts.dram.filterBits), 4_096, "filter")
    }

    @Test func training08WeightGradient() throws {
        // Quirk Q2: a negative case count makes s1 = −6 018 and lowers the stall.
        let fc = Operation.gemm(GEMMOp(outputs: 1024, inputs: 256, batch: 2048, hasBias: false, role: .weightGradient))
        let result = try evaluate(fc, on: "genesys-training-08", mode: .training, batch: 32)
        guard case .systolic(let t)? = result.tile else { Issue.record("no tile"); return }
        #expect(t.outputChannels == 64 && t.inputChannels == 64 && t.batch == 2048)
        expectClose(result.counts.systolicComputeCycles, 34_784, "compute")
        expectClose(result.counts.systolicStallCycles, 104_480, "stall")
        expectClose(kilobytes(result.counts.dram.ifmapBits), 4_096, "ifmap")
        expectClose(kilobytes(result.counts.dram.ofmapBits), 8_192, "ofmap")
    }
}

private struct SIMDExpectation {
    var tile: [Double]  // ow, oh, oc, b
    var compute: Double
    var stall: Double
    var dramKB: [Double]  // in, out
    var memoryKB: [Double]? = nil  // vmem, imm, instruction
    var ops: Double? = nil
}

private func checkSIMD(_ result: (tile: LayerTile?, counts: Counts), _ e: SIMDExpectation,
                       sourceLocation: SourceLocation = #_sourceLocation) {
    guard case .simd(let t)? = result.tile else {
        Issue.record("expected a SIMD tile", sourceLocation: sourceLocation)
        return
    }
    #expect([t.outputWidth, t.outputHeight, t.channels, t.batch] == e.tile, sourceLocation: sourceLocation)
    let c = result.counts
    expectClose(c.simdComputeCycles, e.compute, "compute", sourceLocation: sourceLocation)
    expectClose(c.simdStallCycles, e.stall, "stall", sourceLocation: sourceLocation)
    expectClose(kilobytes(c.dram.ifmapBits), e.dramKB[0], "DRAM in", sourceLocation: sourceLocation)
    expectClose(kilobytes(c.dram.ofmapBits), e.dramKB[1], "DRAM out", sourceLocation: sourceLocation)
    if let memory = e.memoryKB {
        expectClose(kilobytes(c.sram.vmemBits), memory[0], "VMEM", sourceLocation: sourceLocation)
        expectClose(kilobytes(c.sram.immBits), memory[1], "IMM", sourceLocation: sourceLocation)
        expectClose(kilobytes(c.sram.instructionBits), memory[2], "InsMem", sourceLocation: sourceLocation)
    }
    if let ops = e.ops { expectClose(c.ops, ops, "ops", sourceLocation: sourceLocation) }
}

@Suite("GENESYS-MODEL.md §8.2–8.3 SIMD vectors")
struct SIMDVectorTests {
    private let relu256 = Operation.relu(ElementwiseOp(channels: 256, height: 56, width: 56))

    @Test func reluInference01() throws {
        checkSIMD(try evaluate(relu256, on: "genesys-inference-01", outputBits: 4), SIMDExpectation(
            tile: [28, 28, 16, 1], compute: 51_456, stall: 225_792, dramKB: [3_136, 392],
            memoryKB: [3_528, 196, 196], ops: 802_816))
    }

    @Test func reluInference08() throws {
        checkSIMD(try evaluate(relu256, on: "genesys-inference-08", outputBits: 4), SIMDExpectation(
            tile: [28, 28, 64, 1], compute: 13_632, stall: 112_896, dramKB: [3_136, 392],
            memoryKB: [3_528, 49, 49], ops: 802_816))
    }

    @Test func reluTraining08() throws {
        checkSIMD(try evaluate(relu256, on: "genesys-training-08", mode: .training, batch: 32, outputBits: 16),
                  SIMDExpectation(tile: [28, 28, 128, 1], compute: 418_816, stall: 2_408_448,
                                  dramKB: [100_352, 50_176], memoryKB: [150_528, 1_568, 1_568], ops: 25_690_112))
    }

    @Test func elementwiseAddTraining08() throws {
        let add = Operation.elementwiseAdd(ElementwiseOp(channels: 256, height: 56, width: 56))
        checkSIMD(try evaluate(add, on: "genesys-training-08", mode: .training, batch: 32),
                  SIMDExpectation(tile: [28, 28, 128, 1], compute: 418_816, stall: 4_816_896, dramKB: [200_704, 100_352]))
    }

    @Test func maxPoolTraining08() throws {
        let pool = Operation.maxPool(PoolOp(channels: 64, outputHeight: 56, outputWidth: 56, kernelHeight: 3,
                                            kernelWidth: 3, stride: 2))
        let result = try evaluate(pool, on: "genesys-training-08", mode: .training, batch: 32, outputBits: 16)
        checkSIMD(result, SIMDExpectation(tile: [14, 14, 64, 2], compute: 920_576, stall: 1_923_072,
                                          dramKB: [107_648, 12_544]))
        if case .simd(let t)? = result.tile { #expect(t.inputWidth == 29) }
    }
}

@Suite("GENESYS-MODEL.md §8.3 training SIMD vectors (genesys-training-08, B = 32)")
struct TrainingSIMDVectorTests {
    private let c64 = ElementwiseOp(channels: 64, height: 56, width: 56)

    private func training(_ operation: Operation, outputBits: Int = 32) throws -> (tile: LayerTile?, counts: Counts) {
        try evaluate(operation, on: "genesys-training-08", mode: .training, batch: 32, outputBits: outputBits)
    }

    @Test func meanVariance() throws {
        checkSIMD(try training(.meanVariance(c64)), SIMDExpectation(
            tile: [28, 28, 64, 2], compute: 506_144, stall: 401_416, dramKB: [25_088, 0.5]))
    }

    @Test func batchNormApply() throws {
        checkSIMD(try training(.batchNorm(c64)), SIMDExpectation(
            tile: [28, 28, 64, 2], compute: 1_007_872, stall: 802_832, dramKB: [25_089, 25_088]))
    }

    @Test func reluGradient() throws {
        checkSIMD(try training(.reluGradient(c64)), SIMDExpectation(
            tile: [28, 28, 64, 2], compute: 104_704, stall: 1_204_224, dramKB: [50_176, 25_088]))
    }

    @Test func batchNormBackward() throws {
        checkSIMD(try training(.batchNormBackward(c64)), SIMDExpectation(
            tile: [28, 28, 64, 2], compute: 2_216_456, stall: 2_408_468, dramKB: [125_440.75, 25_088.5]))
    }

    @Test func reduceSum() throws {
        checkSIMD(try training(.reduceSum(ReductionOp(channels: 64))), SIMDExpectation(
            tile: [1, 1, 64, 32], compute: 100, stall: 132, dramKB: [8, 0.25]))
    }

    @Test func sgd4d() throws {
        let update = Operation.weightUpdate(WeightUpdateOp(
            shape: .fourD(outputChannels: 64, inputChannels: 64, height: 3, width: 3)))
        checkSIMD(try training(update), SIMDExpectation(
            tile: [3, 3, 64, 64], compute: 1_220, stall: 6_912, dramKB: [288, 144]))
    }

    @Test func sgd2d() throws {
        let update = Operation.weightUpdate(WeightUpdateOp(shape: .twoD(inputs: 2048, outputs: 1024)))
        checkSIMD(try training(update), SIMDExpectation(
            tile: [1, 1, 1024, 128], compute: 66_624, stall: 393_216, dramKB: [16_384, 8_192]))
    }

    @Test func globalAveragePoolGradient() throws {
        let gradient = Operation.globalAveragePoolGradient(.global(channels: 2048, inputHeight: 7, inputWidth: 7))
        checkSIMD(try training(gradient), SIMDExpectation(
            tile: [1, 1, 2048, 1], compute: 59_520, stall: 204_800, dramKB: [256, 12_544]))
    }

    @Test func maxPoolGradient() throws {
        let gradient = Operation.maxPoolGradient(PoolOp(channels: 64, outputHeight: 56, outputWidth: 56,
                                                        kernelHeight: 3, kernelWidth: 3, stride: 2))
        let result = try training(gradient)
        checkSIMD(result, SIMDExpectation(tile: [14, 14, 64, 1], compute: 3_647_488, stall: 2_525_184,
                                          dramKB: [50_176, 107_648]))
        if case .simd(let t)? = result.tile { #expect(t.inputWidth == 29) }
    }
}

@Suite("Optimizers: extra state tensors and SIMD work per element")
struct OptimizerTests {
    @Test func stateTrafficAndWorkScaleWithTheRule() throws {
        let shape = WeightUpdateOp.Shape.fourD(outputChannels: 256, inputChannels: 128, height: 3, width: 3)
        func run(_ optimizer: Optimizer) throws -> Counts {
            try evaluate(.weightUpdate(WeightUpdateOp(shape: shape, optimizer: optimizer)), on: "genesys-training-08",
                         mode: .training, batch: 32, outputBits: 32).counts
        }
        let sgd = try run(.sgd), momentum = try run(.momentum), adam = try run(.adam)
        let elements = 256.0 * 128 * 3 * 3
        // Reads: p, g (+ v) (+ m, v); writes: p (+ v) (+ m, v); all 32-bit here.
        #expect(sgd.dram.ifmapBits == 2 * elements * 32 && sgd.dram.ofmapBits == elements * 32)
        #expect(momentum.dram.ifmapBits == 3 * elements * 32 && momentum.dram.ofmapBits == 2 * elements * 32)
        #expect(adam.dram.ifmapBits == 4 * elements * 32 && adam.dram.ofmapBits == 3 * elements * 32)
        // Ops: 2, 4 and 10 + one inverse square root (latency 11 in training) per element.
        #expect(sgd.ops == 2 * elements && sgd.simdOperations.elementSteps == 2 * elements)
        #expect(momentum.ops == 4 * elements && momentum.simdOperations.multiply == 2 * elements)
        #expect(adam.simdOperations.inverseSquareRoot == elements && adam.ops == (10 + 11) * elements)
        #expect(sgd.simdComputeCycles < momentum.simdComputeCycles && momentum.simdComputeCycles < adam.simdComputeCycles)
        #expect(sgd.simdStallCycles < momentum.simdStallCycles && momentum.simdStallCycles < adam.simdStallCycles)
    }
}
