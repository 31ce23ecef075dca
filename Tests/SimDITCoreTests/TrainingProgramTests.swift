import Testing
@testable import SimDITCore

/// The published ResNet-50 training program (GENESYS-MODEL.md §2.4), rebuilt here from its prose
/// rules, independently of the general derivation in `trainingProgram`.
enum PublishedTrainingProgram {
    typealias Conv = (oc: Int, ic: Int, k: Int, hIn: Int, hOut: Int, s: Int)

    static func forwardConv(_ c: Conv) -> [Operation] {
        let tensor = ElementwiseOp(channels: c.oc, height: c.hOut, width: c.hOut)
        return [.convolution(ConvolutionOp(outputChannels: c.oc, inputChannels: c.ic, kernelHeight: c.k, kernelWidth: c.k,
                                           outputHeight: c.hOut, outputWidth: c.hOut, batch: 1, stride: c.s,
                                           padding: c.k / 2, hasBias: false, role: .forward)),
                .meanVariance(tensor), .batchNorm(tensor)]
    }

    /// BNB(C, H): `batchnorm_grad_x_mu`, then two `reduce_sum`.
    static func bnb(_ c: Int, _ h: Int) -> [Operation] {
        [.batchNormBackward(ElementwiseOp(channels: c, height: h, width: h)),
         .reduceSum(ReductionOp(channels: c)), .reduceSum(ReductionOp(channels: c))]
    }

    /// The layer's forward MACs per sample, `OH·OW·K²·IC·OC`: what its dX and dW each do usefully
    /// (MODEL-EXTENSIONS.md §2), however their shapes pad it.
    static func forwardMACs(_ c: Conv) -> Double { Double(c.hOut * c.hOut * c.k * c.k * c.ic * c.oc) }

    /// dX, dW and sgd4d of a forward conv, from the §2.4 shape table.
    static func backwardConv(_ c: Conv) -> [Operation] {
        let kd = c.s * (c.hOut - 1) + 1
        let pIn = c.hIn + 2 * (c.k / 2)
        return [
            .convolution(ConvolutionOp(outputChannels: c.ic, inputChannels: c.oc, kernelHeight: c.k, kernelWidth: c.k,
                                       outputHeight: c.hIn, outputWidth: c.hIn, batch: 1, stride: 1, padding: 0,
                                       hasBias: false, role: .dataGradient, usefulMACsPerSample: forwardMACs(c))),
            .convolution(ConvolutionOp(outputChannels: c.oc, inputChannels: 256, kernelHeight: kd, kernelWidth: kd,
                                       outputHeight: pIn - kd + 1, outputWidth: pIn - kd + 1, batch: c.ic, stride: 1,
                                       padding: 0, hasBias: false, role: .weightGradient, usefulMACsPerSample: forwardMACs(c))),
            .weightUpdate(WeightUpdateOp(shape: .fourD(outputChannels: c.oc, inputChannels: c.ic, height: c.k, width: c.k))),
        ]
    }

    static func r(_ c: Int, _ h: Int) -> ElementwiseOp { ElementwiseOp(channels: c, height: h, width: h) }

    static func resNet50() -> [Operation] {
        var forward: [Operation] = forwardConv((64, 3, 7, 224, 112, 2)) + [.relu(r(64, 112)),
            .maxPool(PoolOp(channels: 64, outputHeight: 56, outputWidth: 56, kernelHeight: 3, kernelWidth: 3, stride: 2))]
        var blocks: [[Operation]] = []
        var channels = 64, size = 56
        for (mid, count, firstStride) in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)] {
            for block in 0..<count {
                let s = block == 0 ? firstStride : 1
                let hIn = size, hOut = size / s
                let conv1: Conv = (mid, channels, 1, hIn, hIn, 1)
                let conv2: Conv = (mid, mid, 3, hIn, hOut, s)
                let conv3: Conv = (4 * mid, mid, 1, hOut, hOut, 1)
                let downsample: Conv = (4 * mid, channels, 1, hIn, hOut, s)
                forward += forwardConv(conv1) + [.relu(r(mid, hIn))] + forwardConv(conv2) + [.relu(r(mid, hOut))]
                    + forwardConv(conv3) + (block == 0 ? forwardConv(downsample) : [])
                    + [.elementwiseAdd(r(4 * mid, hOut)), .relu(r(4 * mid, hOut))]
                var backward: [Operation] = [.reluGradient(r(4 * mid, hOut)), .elementwiseAdd(r(4 * mid, hOut))]
                if block == 0 { backward += bnb(4 * mid, hOut) + backwardConv(downsample) }
                backward += bnb(4 * mid, hOut) + backwardConv(conv3)
                backward += [.reluGradient(r(mid, hOut))] + bnb(mid, hOut) + backwardConv(conv2)
                backward += [.reluGradient(r(mid, hIn))] + bnb(mid, hIn) + backwardConv(conv1)
                blocks.append(backward)
                channels = 4 * mid
                size = hOut
            }
        }
        forward += [.globalAveragePool(.global(channels: 2048, inputHeight: 7, inputWidth: 7)), .zeroCost("coarse_flatten"),
                    .gemm(GEMMOp(outputs: 1024, inputs: 2048, batch: 1, hasBias: true, role: .forward,
                                 usefulMACsPerSample: 1000 * 2048)),
                    .zeroCost("cross_entropy_loss"), .zeroCost("cross_entropy_loss_grad")]
        let fullyConnectedBackward: [Operation] = [
            .gemm(GEMMOp(outputs: 2048, inputs: 1024, batch: 1, hasBias: false, role: .dataGradient, usefulMACsPerSample: 1000 * 2048)),
            .gemm(GEMMOp(outputs: 1024, inputs: 256, batch: 2048, hasBias: false, role: .weightGradient,
                         usefulMACsPerSample: 1000 * 2048)),
            .weightUpdate(WeightUpdateOp(shape: .twoD(inputs: 2048, outputs: 1024))),
            .reduceSum(ReductionOp(channels: 1024)),
            .weightUpdate(WeightUpdateOp(shape: .oneD(channels: 1024))),
            .zeroCost("flatten_grad"),
            .globalAveragePoolGradient(.global(channels: 2048, inputHeight: 7, inputWidth: 7)),
        ]
        let stemBackward: [Operation] = [
            .maxPoolGradient(PoolOp(channels: 64, outputHeight: 56, outputWidth: 56, kernelHeight: 3, kernelWidth: 3, stride: 2)),
            .reluGradient(r(64, 112)),
        ] + bnb(64, 112) + [
            // The stem needs no dX (its useful MACs are none, Q10 keeps the op); its dW does the forward's.
            .convolution(ConvolutionOp(outputChannels: 3, inputChannels: 64, kernelHeight: 7, kernelWidth: 7,
                                       outputHeight: 229, outputWidth: 229, batch: 1, stride: 1, padding: 0,
                                       hasBias: false, role: .dataGradient, usefulMACsPerSample: 0)),
            .convolution(ConvolutionOp(outputChannels: 64, inputChannels: 256, kernelHeight: 223, kernelWidth: 223,
                                       outputHeight: 7, outputWidth: 7, batch: 3, stride: 1, padding: 0,
                                       hasBias: false, role: .weightGradient, usefulMACsPerSample: forwardMACs((64, 3, 7, 224, 112, 2)))),
            .weightUpdate(WeightUpdateOp(shape: .fourD(outputChannels: 64, inputChannels: 64, height: 7, width: 7))),
        ]
        return forward + fullyConnectedBackward + blocks.reversed().flatMap { $0 } + stemBackward
    }
}

@Suite("Training iteration derivation (§2.4)")
struct TrainingProgramTests {
    @Test func resNet50MatchesThePublishedProgram() throws {
        let program = try #require(Zoo.named("resnet50")).trainingProgram().get()
        let expected = PublishedTrainingProgram.resNet50()
        #expect(expected.count == 621)
        #expect(program.entries.count == 621)
        for (index, (actual, wanted)) in zip(program.entries, expected).enumerated() {
            #expect(actual.operation == wanted, "entry \(index) '\(actual.name)'")
        }
    }

    @Test func resNet50OpCountsMatchTheSpecification() throws {
        let program = try #require(Zoo.named("resnet50")).trainingProgram().get()
        var counts: [String: Int] = [:]
        for entry in program.entries { counts[entry.operation.name, default: 0] += 1 }
        #expect(counts["conv"] == 159)
        #expect((counts["gemm"] ?? 0) + (counts["gemm_no_bias"] ?? 0) == 3)
        #expect(counts["mean_var"] == 53 && counts["batch_norm"] == 53 && counts["batchnorm_grad_x_mu"] == 53)
        #expect(counts["reduce_sum"] == 107)
        #expect(counts["relu"] == 49 && counts["relu_grad"] == 49)
        #expect(counts["elem_add"] == 32)
        #expect(counts["sgd4d"] == 53 && counts["sgd2d"] == 1 && counts["sgd1d"] == 1)
    }

    /// R3 in training: which SIMD outputs are written at the 16-bit activation width (§2.4).
    @Test func trainingOutputWidths() throws {
        let program = try #require(Zoo.named("resnet50")).trainingProgram().get()
        let result = try Simulator.run(program, on: try #require(Presets.named("genesys-training-08")),
                                       options: .init(mode: .training, batch: 32))
        let narrow = result.layers.filter { $0.unit == .simd && $0.outputBits == 16 }
        #expect(narrow.filter { $0.operation == "relu" }.count == 47)
        #expect(narrow.filter { $0.operation == "max_pool" }.count == 1)
        #expect(narrow.filter { $0.operation == "batch_norm" }.count == 4)
        #expect(narrow.filter { $0.operation == "reduce_sum" }.count == 53)
        #expect(narrow.count == 47 + 1 + 4 + 53)
    }

    /// A plain network (no residual, no batch norm, biases everywhere): every convolution gets one
    /// dX and one dW convolution, every trainable tensor (weights and biases) one update.
    @Test(arguments: Optimizer.allCases)
    func plainNetworkGetsAGradientForEverything(optimizer: Optimizer) throws {
        let network = Network(name: "plain", input: TensorShape(channels: 3, height: 32, width: 32), layers: [
            Layer(name: "c1", kind: .convolution(outputChannels: 16, kernelHeight: 5, kernelWidth: 5, stride: 1,
                                                 padding: 2, bias: true), inputs: ["input"]),
            Layer(name: "r1", kind: .relu, inputs: ["c1"]),
            Layer(name: "p1", kind: .maxPool(kernel: 2, stride: 2, padding: 0), inputs: ["r1"]),
            Layer(name: "c2", kind: .convolution(outputChannels: 32, kernelHeight: 3, kernelWidth: 3, stride: 2,
                                                 padding: 1, bias: true), inputs: ["p1"]),
            Layer(name: "r2", kind: .relu, inputs: ["c2"]),
            Layer(name: "p2", kind: .averagePool(kernel: 2, stride: 2, padding: 0), inputs: ["r2"]),
            Layer(name: "flat", kind: .flatten, inputs: ["p2"]),
            Layer(name: "fc1", kind: .fullyConnected(outputFeatures: 64, bias: true), inputs: ["flat"]),
            Layer(name: "r3", kind: .relu, inputs: ["fc1"]),
            Layer(name: "fc2", kind: .fullyConnected(outputFeatures: 10, bias: true), inputs: ["r3"]),
            Layer(name: "prob", kind: .softmax, inputs: ["fc2"]),
        ])
        let program = try network.trainingProgram(optimizer: optimizer).get()
        func count(_ predicate: (Operation) -> Bool) -> Int { program.entries.filter { predicate($0.operation) }.count }
        for conv in ["c1", "c2"] {
            let backward = program.entries.filter { $0.name.hasPrefix(conv + ".") }
            #expect(backward.filter { if case .convolution(let op) = $0.operation { op.role == .dataGradient } else { false } }.count == 1)
            #expect(backward.filter { if case .convolution(let op) = $0.operation { op.role == .weightGradient } else { false } }.count == 1)
        }
        let updates = program.entries.filter { if case .weightUpdate = $0.operation { true } else { false } }
        // Weights of c1, c2, fc1, fc2 and their four biases: eight trainable tensors, one update each.
        #expect(updates.count == 8)
        #expect(Set(updates.map(\.name)).count == 8)
        #expect(updates.allSatisfy { $0.operation.name.hasPrefix(optimizer.rawValue) })
        #expect(count { if case .gemm(let op) = $0 { op.role == .weightGradient } else { false } } == 2)
        #expect(count { if case .reluGradient = $0 { true } else { false } } == 3)
        #expect(count { if case .maxPoolGradient = $0 { true } else { false } } == 1)
        #expect(count { if case .averagePoolGradient = $0 { true } else { false } } == 1)
        #expect(count { if case .softmax = $0 { true } else { false } } == 0)  // part of the loss
        // The stride-2 conv's dW kernel is its dilated output gradient: 2·(8−1)+1 = 15 over the padded 18.
        let c2dW = try #require(program.entries.first { $0.name == "c2.dW" })
        guard case .convolution(let op) = c2dW.operation else { Issue.record("c2.dW is not a conv"); return }
        #expect(op.kernelHeight == 15 && op.outputHeight == 18 - 15 + 1 && op.batch == 16)
        // It simulates on every training preset.
        for preset in Presets.all where preset.name.contains("training") {
            let result = try Simulator.run(program, on: preset, options: .init(mode: .training, batch: 8))
            #expect(result.total.cycles > 0)
        }
    }
}
