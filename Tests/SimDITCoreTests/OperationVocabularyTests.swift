import Testing
@testable import SimDITCore

/// Hand-derived cases of the ops beyond the published model (MODEL-EXTENSIONS.md), on
/// genesys-inference-08: a 64×64 array, `F_A = 126`, `F_S = 5 + 63 = 68`, inference latencies
/// (divide 9, exponent 3).
@Suite("Operation vocabulary")
struct OperationVocabularyTests {
    let architecture = Presets.named("genesys-inference-08")!

    func run(_ layers: [Layer], input: TensorShape, batch: Int = 1, fusion: Bool = false) throws -> NetworkResult {
        let network = Network(name: "t", input: input, layers: layers)
        return try Simulator.run(network.inferenceProgram().get(), on: architecture,
                                 options: SimulationOptions(mode: .inference, batch: batch, fusion: fusion))
    }

    /// A depthwise 3×3 over 16 channels of 8×8: each group pads 1 input and 1 output channel to the
    /// 64×64 array and fits one tile, `C = 8·8·3·3·1·1·1 + F_A = 576 + 126 = 702` cycles, 16 groups
    /// in turn; useful MACs `8·8·16·9 = 9216`, utilization `9216 / (4096 · 11 232)`.
    @Test func depthwiseConvolutionRunsGroupByGroup() throws {
        var depthwise = Convolution(outputChannels: 16, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1, bias: false)
        depthwise.groups = 16
        let result = try run([Layer(name: "dw", kind: .convolution(depthwise), inputs: ["input"])],
                             input: TensorShape(channels: 16, height: 8, width: 8))
        let layer = try #require(result.layers.first)
        #expect(layer.counts.systolicComputeCycles == 16 * 702)
        #expect(layer.counts.usefulMACs == 9216)
        #expect(layer.counts.macs == 16 * 576 * 64 * 64)
        #expect(result.arrayUtilization(layer.counts) == 9216 / (4096 * 11_232.0))
    }

    /// Softmax over the 10 classes of one sample: `c_t = 10`, `b_t = 1`, `T = 1`, `u = 10`; three
    /// passes `(10·3 + 68) + (10 + 68) + (10·9 + 68) = 334` cycles — not the published 1000×128.
    @Test func softmaxHasItsRealShape() throws {
        let result = try run([Layer(name: "fc", kind: .fullyConnected(outputFeatures: 10, bias: true), inputs: ["input"]),
                              Layer(name: "prob", kind: .softmax, inputs: ["fc"])],
                             input: TensorShape(channels: 64, height: 1, width: 1))
        let softmax = try #require(result.layers.last)
        #expect(softmax.operation == "softmax")
        #expect(softmax.counts.simdComputeCycles == 334)
        #expect(softmax.counts.dram.ifmapBits == 10 * 32)
        #expect(softmax.counts.dram.psumBits == 2 * 10 * 32)
    }

    /// A convolution before a concat keeps its output going to DRAM under --fusion: the concat is a
    /// fusion barrier, so the ReLU after it reads the whole concatenation unfused.
    @Test func concatIsAFusionBarrier() throws {
        let layers = [
            Layer(name: "a", kind: .convolution(outputChannels: 64, kernelHeight: 1, kernelWidth: 1, stride: 1, padding: 0,
                                                bias: true), inputs: ["input"]),
            Layer(name: "cat", kind: .concat, inputs: ["a", "input"]),
            Layer(name: "relu", kind: .relu, inputs: ["cat"]),
        ]
        let fused = try run(layers, input: TensorShape(channels: 64, height: 8, width: 8), fusion: true)
        #expect(fused.layers.map(\.fused) == [false, false, false])
        #expect(fused.layers[1].operation == "concat" && fused.layers[1].counts == .zero)
        let unfused = try run(layers, input: TensorShape(channels: 64, height: 8, width: 8))
        #expect(fused.total == unfused.total)
    }

    /// A MatMul over 16 rows of 32 features to 64: one GEMM of 16 samples per sample of the batch;
    /// useful MACs `16·32·64·B`.
    @Test func matMulRunsOneGEMMPerRow() throws {
        let result = try run([Layer(name: "proj", kind: .matMul(inputFeatures: 32, outputFeatures: 64, bias: false),
                                    inputs: ["input"])],
                             input: TensorShape(channels: 16, height: 32, width: 1), batch: 4)
        let layer = try #require(result.layers.first)
        #expect(layer.operation == "gemm_no_bias")
        #expect(layer.counts.usefulMACs == 16 * 32 * 64 * 4)
        let shapes = try Network(name: "t", input: TensorShape(channels: 16, height: 32, width: 1),
                                 layers: [Layer(name: "proj", kind: .matMul(inputFeatures: 32, outputFeatures: 64, bias: false),
                                                inputs: ["input"])]).inferShapes().get()
        #expect(shapes == [TensorShape(channels: 16, height: 64, width: 1)])
    }

    /// Sigmoid: `mul, exp, add, div` in a dependent chain, `1 + 3 + 1 + 9 + 2·3 = 20` cycles per
    /// lane step; on 64 channels of 8×8 at batch 1 one tile of 4096 elements, `4096/64 = 64` steps:
    /// `64·20 + 68 = 1348` compute cycles.
    @Test func sigmoidIsAnElementProgram() throws {
        let result = try run([Layer(name: "s", kind: .activation(.sigmoid), inputs: ["input"])],
                             input: TensorShape(channels: 64, height: 8, width: 8))
        let layer = try #require(result.layers.first)
        #expect(layer.counts.simdComputeCycles == 1348)
        #expect(layer.counts.simdOperations.exponent == 4096 && layer.counts.simdOperations.divide == 4096)
    }
}
