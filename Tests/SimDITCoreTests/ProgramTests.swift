import Testing
@testable import SimDITCore

/// The published inference programs, rebuilt here from the prose rules of GENESYS-MODEL.md §2.3
/// (independently of `Zoo`), compared entry by entry with the lowering of the built-in graphs.
enum PublishedPrograms {
    static func cb(_ oc: Int, _ ic: Int, _ k: Int, _ oh: Int, _ s: Int) -> Operation {
        .convolution(ConvolutionOp(outputChannels: oc, inputChannels: ic, kernelHeight: k, kernelWidth: k,
                                   outputHeight: oh, outputWidth: oh, batch: 1, stride: s, padding: k / 2, hasBias: true))
    }
    static func r(_ c: Int, _ h: Int) -> Operation { .relu(ElementwiseOp(channels: c, height: h, width: h)) }
    static func ea(_ c: Int, _ h: Int) -> Operation { .elementwiseAdd(ElementwiseOp(channels: c, height: h, width: h)) }

    static func stem() -> [Operation] {
        [cb(64, 3, 7, 112, 2), r(64, 112),
         .maxPool(PoolOp(channels: 64, outputHeight: 56, outputWidth: 56, kernelHeight: 3, kernelWidth: 3, stride: 2))]
    }

    static func tail(_ channels: Int) -> [Operation] {
        [.globalAveragePool(.global(channels: channels, inputHeight: 7, inputWidth: 7)), .zeroCost("coarse_flatten"),
         .gemm(GEMMOp(outputs: 1000, inputs: channels, batch: 1, hasBias: true))]
    }

    static func resNet50() -> [Operation] {
        var ops = stem()
        var channels = 64, size = 56
        for (mid, blocks, firstStride) in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)] {
            for block in 0..<blocks {
                let s = block == 0 ? firstStride : 1
                let hIn = size, hOut = size / s
                ops += [cb(mid, channels, 1, hIn, 1), r(mid, hIn), cb(mid, mid, 3, hOut, s), r(mid, hOut),
                        cb(4 * mid, mid, 1, hOut, 1)]
                if block == 0 { ops.append(cb(4 * mid, channels, 1, hOut, s)) }
                ops += [ea(4 * mid, hOut), r(4 * mid, hOut)]
                channels = 4 * mid
                size = hOut
            }
        }
        return ops + tail(2048)
    }

    static func resNet18() -> [Operation] {
        var ops = stem()
        var channels = 64, size = 56
        for (mid, blocks, firstStride) in [(64, 2, 1), (128, 2, 2), (256, 2, 2), (512, 2, 2)] {
            for block in 0..<blocks {
                let s = block == 0 ? firstStride : 1
                let hOut = size / s
                ops += [cb(mid, channels, 3, hOut, s), r(mid, hOut), cb(mid, mid, 3, hOut, 1)]
                if s != 1 { ops.append(cb(mid, channels, 1, hOut, s)) }
                ops += [ea(mid, hOut), r(mid, hOut)]
                channels = mid
                size = hOut
            }
        }
        return ops + tail(512)
    }
}

@Suite("Built-in networks lower to the published programs (§2.3)")
struct ProgramTests {
    @Test(arguments: [("resnet50", 122), ("resnet18", 49)])
    func lowersToPublishedProgram(name: String, entries: Int) throws {
        let network = try #require(Zoo.named(name))
        let program = try network.inferenceProgram().get()
        let expected = name == "resnet50" ? PublishedPrograms.resNet50() : PublishedPrograms.resNet18()
        #expect(program.entries.count == entries)
        #expect(expected.count == entries)
        for (index, (actual, wanted)) in zip(program.entries, expected).enumerated() {
            #expect(actual.operation == wanted, "entry \(index) '\(actual.name)'")
        }
    }

    @Test func shapesAreInferred() throws {
        let network = try #require(Zoo.named("resnet50"))
        let shapes = try network.inferShapes().get()
        #expect(shapes.last == TensorShape(channels: 1000, height: 1, width: 1))
        let stem = try #require(network.layers.firstIndex { $0.name == "maxpool" })
        #expect(shapes[stem] == TensorShape(channels: 64, height: 56, width: 56))
    }

    @Test func graphErrorsAreReportedPerLayer() {
        let network = Network(name: "bad", input: TensorShape(channels: 3, height: 8, width: 8), layers: [
            Layer(name: "a", kind: .convolution(outputChannels: 4, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1,
                                                bias: true), inputs: ["input"]),
            Layer(name: "b", kind: .convolution(outputChannels: 8, kernelHeight: 11, kernelWidth: 11, stride: 1, padding: 0,
                                                bias: true), inputs: ["a"]),
            Layer(name: "a", kind: .relu, inputs: ["missing"]),
            Layer(name: "sum", kind: .add, inputs: ["input", "b"]),
        ])
        guard case .failure(let error) = network.inferShapes() else {
            Issue.record("expected graph errors")
            return
        }
        let byLayer = Dictionary(grouping: error.issues, by: { $0.layerIndex ?? -1 })
        #expect(byLayer[1]?.first?.field == "kernel")
        #expect(byLayer[2]?.contains { $0.message.contains("duplicate layer name") } == true)
        #expect(byLayer[2]?.contains { $0.message.contains("unknown input 'missing'") } == true)
        #expect(byLayer[3]?.first?.message.contains("one shape") == true)
    }

    @Test func batchNormFoldsOnlyIntoItsOwnConvolution() throws {
        let network = Network(name: "bn", input: TensorShape(channels: 3, height: 8, width: 8), layers: [
            Layer(name: "conv", kind: .convolution(outputChannels: 16, kernelHeight: 3, kernelWidth: 3, stride: 1,
                                                   padding: 1, bias: false), inputs: ["input"]),
            Layer(name: "bn1", kind: .batchNorm, inputs: ["conv"]),
            Layer(name: "relu", kind: .relu, inputs: ["bn1"]),
            Layer(name: "bn2", kind: .batchNorm, inputs: ["relu"]),
        ])
        let program = try network.inferenceProgram().get()
        #expect(program.entries.map(\.operation.name) == ["conv_bias", "relu", "batch_norm"])
        #expect(program.entries.last?.name == "bn2")
        let result = try Simulator.run(program, on: try #require(Presets.named("genesys-inference-01")))
        #expect(result.layers.last?.category == .batchNormApply)
    }
}
