import Testing
@testable import SimDITCore

private func resNetProgram(_ name: String) throws -> Program {
    try #require(Zoo.named(name)).inferenceProgram().get()
}

private let inferencePresets = Presets.all.filter { $0.name.hasPrefix("genesys-inference-") }

@Suite("Simulator: aggregation, invariants and published figures")
struct SimulatorTests {
    @Test func presetsAreThePublishedTwentyOne() {
        #expect(Presets.all.count == 21)
        #expect(Presets.all.filter { $0.name.hasPrefix("genesys-training-") }.map { $0.name.suffix(2) }
                == ["01", "02", "05", "06", "08", "09", "11", "12"])
        #expect(!Presets.all.contains { $0.name.hasSuffix("-10") })
        for preset in Presets.all {
            #expect(preset.systolicCapacityViolations.isEmpty, "\(preset.name)")
        }
    }

    /// Quirk Q1 of GENESYS-MODEL.md quotes ResNet-50 inference on design 01: SA stall 884 071.29.
    @Test func fractionalStallOnInference01() throws {
        let result = try Simulator.run(try resNetProgram("resnet50"), on: try #require(Presets.named("genesys-inference-01")))
        #expect(abs(result.total.systolicStallCycles - 884_071.29) < 0.005)
    }

    @Test(arguments: inferencePresets)
    func totalsAreTheSumOfLayers(preset: Architecture) throws {
        for name in ["resnet50", "resnet18"] {
            let result = try Simulator.run(try resNetProgram(name), on: preset, options: .init(batch: 4))
            let sum = result.layers.reduce(Counts()) { $0 + $1.counts }
            #expect(sum == result.total)
            #expect(result.total.cycles == result.total.systolicCycles + result.total.simdCycles)
            // The non-convolution share is the SIMD share: only array ops count as convolution.
            #expect(abs(result.nonConvolutionShare - result.total.simdCycles / result.total.cycles) < 1e-12)
            let byCategory = result.cyclesByCategory.reduce(0.0) { $0 + $1.cycles }
            #expect(abs(byCategory - result.total.cycles) <= 1e-9 * result.total.cycles)
        }
    }

    /// MACs are conserved across tilings: the padded `OW·OH·KW·KH·B·IC'·OC'` of every array op,
    /// whatever tile each preset chooses; ops are twice the MACs plus the SIMD ops.
    @Test(arguments: inferencePresets)
    func macsAreConserved(preset: Architecture) throws {
        let program = try resNetProgram("resnet50")
        let result = try Simulator.run(program, on: preset, options: .init(batch: 2))
        let m = preset.arrayColumns, n = preset.arrayRows
        func pad(_ x: Int, _ unit: Int) -> Int { x <= unit ? unit : unit * ((x + unit - 1) / unit) }
        for (entry, layer) in zip(program.entries, result.layers) {
            let expected: Double
            switch entry.operation {
            case .convolution(let op):
                expected = Double(op.outputWidth * op.outputHeight * op.kernelWidth * op.kernelHeight * 2
                    * pad(op.inputChannels, n) * pad(op.outputChannels, m))
            case .gemm(let op):
                expected = Double(2 * pad(op.inputs, n) * pad(op.outputs, m))
            default:
                expected = 0
            }
            #expect(abs(layer.counts.macs - expected) <= 1e-9 * max(expected, 1), "\(entry.name) on \(preset.name)")
            #expect(layer.counts.systolicComputeCycles >= 0 && layer.counts.simdComputeCycles >= 0)
        }
    }

    @Test func batchScalesEveryLayer() throws {
        let preset = try #require(Presets.named("genesys-inference-05"))
        let one = try Simulator.run(try resNetProgram("resnet18"), on: preset, options: .init(batch: 1))
        let four = try Simulator.run(try resNetProgram("resnet18"), on: preset, options: .init(batch: 4))
        #expect(abs(four.total.macs - 4 * one.total.macs) < 1)
        #expect(four.total.cycles > one.total.cycles)
    }

    @Test func ruleR3SetsSIMDOutputWidth() throws {
        let preset = try #require(Presets.named("genesys-inference-01"))
        let result = try Simulator.run(try resNetProgram("resnet50"), on: preset)
        let byName = Dictionary(uniqueKeysWithValues: result.layers.map { ($0.name, $0) })
        #expect(byName["relu"]?.outputBits == 32)              // stem ReLU → max_pool
        #expect(byName["maxpool"]?.outputBits == 4)            // → conv
        #expect(byName["layer1.0.relu1"]?.outputBits == 4)     // → conv
        #expect(byName["layer1.0.add"]?.outputBits == 32)      // → relu
        #expect(byName["layer4.2.relu_out"]?.outputBits == 32)    // → global pool
        #expect(byName["avgpool"]?.outputBits == 32)           // → coarse_flatten (Q5)
        #expect(byName["flatten"]?.unit == ExecutionUnit.none)
        #expect(byName["flatten"]?.counts == Counts.zero)
    }

    @Test func fusionKeepsConvolutionOutputsOnChip() throws {
        let preset = try #require(Presets.named("genesys-inference-08"))
        let program = try resNetProgram("resnet50")
        let plain = try Simulator.run(program, on: preset)
        let fused = try Simulator.run(program, on: preset, options: .init(fusion: true))
        let byName = Dictionary(uniqueKeysWithValues: fused.layers.map { ($0.name, $0) })
        let stem = try #require(byName["conv1"])
        #expect(stem.fused && stem.counts.dram.ofmapBits == 0)
        let relu = try #require(byName["relu"])
        #expect(relu.fused && relu.counts.dram.ifmapBits == 0)
        // conv3 of a first block feeds the downsample conv (array → array): not fused.
        #expect(byName["layer1.0.conv3"]?.fused == false)
        #expect(byName["layer1.0.downsample.0"]?.fused == true)
        let add = try #require(byName["layer1.0.add"])
        let plainAdd = try #require(plain.layers.first { $0.name == "layer1.0.add" })
        #expect(add.counts.dram.ifmapBits * 2 == plainAdd.counts.dram.ifmapBits)
        #expect(byName["maxpool"]?.fused == false && byName["fc"]?.fused == false)
        #expect(fused.total.dram.totalBits < plain.total.dram.totalBits)
        #expect(fused.total.cycles < plain.total.cycles)
        // SRAM counts do not change with fusion.
        #expect(fused.total.sram == plain.total.sram)
    }

    @Test func unsupportedFusionPairIsReported() throws {
        let program = Program(name: "conv-pool", entries: [
            ProgramEntry(name: "conv", operation: PublishedPrograms.cb(64, 64, 3, 28, 1)),
            ProgramEntry(name: "pool", operation: .maxPool(PoolOp(channels: 64, outputHeight: 14, outputWidth: 14,
                                                                  kernelHeight: 2, kernelWidth: 2, stride: 2))),
        ])
        let preset = try #require(Presets.named("genesys-inference-01"))
        #expect(throws: SimulationError.self) { try Simulator.run(program, on: preset, options: .init(fusion: true)) }
        _ = try Simulator.run(program, on: preset)  // fine without fusion
    }

    @Test func tooSmallBuffersAreIssuesNotTraps() throws {
        var tiny = try #require(Presets.named("genesys-inference-01"))
        tiny.weightBufferCapacityBits = 1024
        tiny.vectorMemoryCapacityBits = 1024
        let program = try resNetProgram("resnet18")
        do throws(SimulationError) {
            _ = try Simulator.run(program, on: tiny)
            Issue.record("expected capacity issues")
        } catch {
            let buffers = error.issues.compactMap { issue -> Buffer? in
                if case .capacity(let violation, _) = issue { return violation.buffer }
                return nil
            }
            #expect(Set(buffers) == Set<Buffer>([.wbuf, .vmem]))
            #expect(buffers.count == 2)
        }
    }

    @Test func softmaxUsesThePublishedShape() throws {
        // Q19: 1000 classes × 128 samples whatever the network says; 31.25 DRAM tiles.
        let program = Program(name: "softmax", entries: [ProgramEntry(name: "sm", operation: .softmax(.published))])
        let result = try Simulator.run(program, on: try #require(Presets.named("genesys-inference-01")))
        let counts = result.total
        #expect(counts.dram.ifmapBits == 128_000 * 32)
        #expect(counts.dram.psumBits == 2 * 128_000 * 32)
        #expect(counts.dram.ofmapBits == 128_000 * 8)
        // M = 16: u = 64·4 = 256 steps per pass, F_S = 20; T = 31.25.
        let perTile: Double = (256 * 3 + 20) + (256 + 20) + (256 * 9 + 20)
        #expect(counts.simdComputeCycles == perTile * 31.25)
        // Per tile: 3 transfers of 4096·32 bits and one of 4096·8 bits on a 128-bit port.
        let transfers: Double = 3 * 1024 + 256
        #expect(counts.simdStallCycles == transfers * 31.25)
        let weightedOps: Double = 128_000 * 13
        #expect(counts.ops == weightedOps)
    }
}
