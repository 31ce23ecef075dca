import Testing
@testable import SimDITCore

/// The array dataflows of MODEL-EXTENSIONS.md §12: one mapping table, from which the compute
/// steps, the padding and each buffer's reuse follow. Weight stationary is the published model.
@Suite("Dataflows")
struct DataflowTests {
    /// A 32-row × 16-column array: `F_A = 31 + 15 = 46`.
    static func hardware() throws -> DerivedHardware {
        var architecture = try #require(Presets.named("genesys-inference-08"))
        architecture.arrayRows = 32
        architecture.arrayColumns = 16
        return DerivedHardware(architecture, mode: .inference)
    }

    /// A tile of 14×14 pixels × 2 samples (`P = 392`), 3×3 taps, 128 input and 32 output channels.
    static let tile = SystolicTile(outputWidth: 14, outputHeight: 14, outputChannels: 32, inputChannels: 128,
                                   kernelWidth: 3, kernelHeight: 3, batch: 2, inputWidth: 16, inputHeight: 16)

    /// `cyc_tile = kw·kh·⌈x_r/N⌉·⌈x_c/M⌉·x_t`, plus 46:
    /// ws 9·⌈128/32⌉·⌈32/16⌉·392 = 9·4·2·392 = 28,224; os 9·⌈392/32⌉·⌈32/16⌉·128 = 9·13·2·128 = 29,952;
    /// is 9·⌈128/32⌉·⌈392/16⌉·32 = 9·4·25·32 = 28,800.
    @Test func tileCyclesFollowTheMapping() throws {
        let hw = try Self.hardware()
        #expect(SystolicModel.tileCycles(Self.tile, Dataflow.weightStationary.mapping, hw) == 28_224 + 46)
        #expect(SystolicModel.tileCycles(Self.tile, Dataflow.outputStationary.mapping, hw) == 29_952 + 46)
        #expect(SystolicModel.tileCycles(Self.tile, Dataflow.inputStationary.mapping, hw) == 28_800 + 46)
        // The published formula, written out.
        let t = Self.tile
        #expect(SystolicModel.tileCycles(t, Dataflow.weightStationary.mapping, hw)
                == t.outputWidth * t.outputHeight * t.kernelWidth * t.kernelHeight * t.batch * 4 * 2 + 46)
    }

    /// One DRAM tile (every ratio 1), so each SRAM count is the tile's, in bits:
    /// inputs `P·ic·kw·kh = 451,584` elements, weights `W = kw·kh·ic·oc = 36,864`, outputs `O = P·oc = 12,544`.
    @Test func sramReuseFollowsTheMapping() throws {
        let hw = try Self.hardware()
        let t = Self.tile
        let d = SystolicDimensions(outputWidth: 14, outputHeight: 14, outputChannels: 32, kernelWidth: 3, kernelHeight: 3,
                                   inputChannels: 128, batch: 2, stride: 1)
        func counts(_ dataflow: Dataflow) -> Counts {
            SystolicModel.evaluate(d, tile: t, order: .weightStationary, mapping: dataflow.mapping, fused: false, hw)
        }
        let ws = counts(.weightStationary), os = counts(.outputStationary), inputStationary = counts(.inputStationary)
        let a = hw.activationBits, w = hw.weightBits, p = hw.accumulatorBits
        // Inputs: once per column fold of oc (⌈32/16⌉ = 2) under ws and os, once under is.
        #expect(ws.sram.ibufBits == 451_584 * 2 * a)
        #expect(os.sram.ibufBits == 451_584 * 2 * a)
        #expect(inputStationary.sram.ibufBits == 451_584 * a)
        // Weights: every cycle (P = 392 times) under ws; once per fold of P: ⌈392/32⌉ = 13 (os), ⌈392/16⌉ = 25 (is).
        #expect(ws.sram.wbufBits == 36_864 * 392 * w)
        #expect(os.sram.wbufBits == 36_864 * 13 * w)
        #expect(inputStationary.sram.wbufBits == 36_864 * 25 * w)
        // Outputs: 2·(ic/N)·kw·kh − 1 = 2·4·9 − 1 = 71 accesses each under ws and is; one write under os.
        #expect(ws.sram.obufBits == 12_544 * 71 * p)
        #expect(inputStationary.sram.obufBits == 12_544 * 71 * p)
        #expect(os.sram.obufBits == 12_544 * p)
        #expect(os.buffers.obufWriteBits == 12_544 * p)
        // The DRAM tile order is the published one under every dataflow.
        #expect(os.dram == ws.dram && inputStationary.dram == ws.dram)
        #expect(os.macs == ws.macs && inputStationary.macs == ws.macs)
    }

    /// A channel loop that runs in time is not padded: under os, a 3-channel first layer streams
    /// kw·kh·3 steps, not kw·kh·N; under is, 4 output channels are not padded to M.
    @Test func onlySpatialChannelsArePadded() throws {
        let hw = try Self.hardware()
        #expect(Dataflow.weightStationary.mapping.padded(3, .inputChannels, hw) == 32)
        #expect(Dataflow.outputStationary.mapping.padded(3, .inputChannels, hw) == 3)
        #expect(Dataflow.outputStationary.mapping.padded(4, .outputChannels, hw) == 16)
        #expect(Dataflow.inputStationary.mapping.padded(4, .outputChannels, hw) == 4)
        #expect(Dataflow.inputStationary.mapping.padded(40, .inputChannels, hw) == 64)
    }

    /// Over every built-in network, both modes and two array shapes: useful MACs do not depend on
    /// the dataflow, MACs never fall below them, and the array is never more than fully used.
    @Test(arguments: ["genesys-inference-01", "genesys-training-08"])
    func invariantsOverTheZoo(preset: String) throws {
        let architecture = try #require(Presets.named(preset))
        for (name, _, network) in Zoo.all {
            for mode in ExecutionMode.allCases {
                let program = try (mode == .training ? network.trainingProgram() : network.inferenceProgram()).get()
                var useful: [Double] = []
                for dataflow in Dataflow.allCases {
                    let options = SimulationOptions(mode: mode, batch: 2, dataflow: dataflow)
                    let result = try Simulator.run(program, on: architecture, options: options)
                    useful.append(result.total.usefulMACs)
                    #expect(result.total.macs >= result.total.usefulMACs * (1 - 1e-12), "\(name) \(dataflow)")
                    for layer in result.layers where layer.unit == .systolic {
                        let utilization = try #require(result.arrayUtilization(layer.counts))
                        #expect(utilization <= 1 + 1e-12, "\(name) \(mode) \(dataflow) \(layer.name): \(utilization)")
                    }
                }
                #expect(Set(useful).count == 1, "\(name) \(mode): \(useful)")
            }
        }
    }

    /// The published model is the weight-stationary case: the default options and an explicit
    /// `.weightStationary` give the same counts, and another dataflow changes them.
    @Test func weightStationaryIsTheDefault() throws {
        let architecture = try #require(Presets.named("genesys-inference-08"))
        let program = try #require(Zoo.named("resnet18")).inferenceProgram().get()
        let published = try Simulator.run(program, on: architecture, options: SimulationOptions())
        let explicit = try Simulator.run(program, on: architecture, options: SimulationOptions(dataflow: .weightStationary))
        let os = try Simulator.run(program, on: architecture, options: SimulationOptions(dataflow: .outputStationary))
        #expect(published.total == explicit.total)
        #expect(os.total.systolicComputeCycles != published.total.systolicComputeCycles)
    }
}
