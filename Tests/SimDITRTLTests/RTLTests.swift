import Foundation
import Testing
import SimDITCore
@testable import SimDITFiles

/// Simulated under Icarus Verilog (the 32×32 `genesys-inference-05` runs under Verilator, below).
private let configurations: [Architecture] = [RTL.preset("genesys-inference-01"), RTL.custom4x8]

/// Tile shapes for the model-versus-RTL sweep: (ow, oh, kernel, stride, batch, ic, oc), chosen to
/// cover one and several pixels, kernel positions, input- and output-channel blocks, partial blocks.
private let sweep: [ConvolutionTile] = [
    ConvolutionTile(outputWidth: 1, outputHeight: 1, kernel: 1, stride: 1, batch: 1, inputChannels: 3, outputChannels: 5),
    ConvolutionTile(outputWidth: 3, outputHeight: 2, kernel: 1, stride: 1, batch: 1, inputChannels: 4, outputChannels: 8),
    ConvolutionTile(outputWidth: 2, outputHeight: 2, kernel: 3, stride: 1, batch: 1, inputChannels: 6, outputChannels: 8),
    ConvolutionTile(outputWidth: 3, outputHeight: 3, kernel: 3, stride: 2, batch: 2, inputChannels: 5, outputChannels: 11),
    ConvolutionTile(outputWidth: 4, outputHeight: 1, kernel: 2, stride: 1, batch: 1, inputChannels: 9, outputChannels: 17),
    // A GEMM (fully-connected) tile: 1×1 everything, the batch as pixels.
    ConvolutionTile(outputWidth: 1, outputHeight: 1, kernel: 1, stride: 1, batch: 6, inputChannels: 20, outputChannels: 12),
]

@Suite("RTL templates and the parameter header", .serialized)
struct RTLTests {
    @Test(arguments: configurations + [RTL.preset("genesys-inference-05"), RTL.preset("genesys-training-08")])
    func templatesLintCleanUnderVerilatorAndIcarus(architecture: Architecture) throws {
        let directory = try RTL.scratch("lint-\(architecture.name)")
        try RTL.writeHeader(architecture, to: directory)
        let lint = try RTL.run(try RTL.tool("verilator"),
                               ["--lint-only", "-Wall", "-I\(directory.path)", "--top-module", "simdit_top"] + RTL.templateFiles)
        #expect(lint.status == 0 && lint.text.isEmpty, "verilator -Wall on \(architecture.name):\n\(lint.text)")
        let compile = try RTL.run(try RTL.tool("iverilog"),
                                  ["-g2005", "-Wall", "-I", directory.path, "-s", "simdit_top", "-o",
                                   directory.appendingPathComponent("top.vvp").path] + RTL.templateFiles)
        #expect(compile.status == 0 && compile.text.isEmpty, "iverilog -Wall on \(architecture.name):\n\(compile.text)")
    }

    /// Every output of every swept tile is checked against the reference computed in the test, and
    /// the measured cycles from the first input entering the array to the last output reaching
    /// the OBUF equal the model's per-tile cycles `cyc_tile + (N−1) + (M−1)` (GENESYS-MODEL.md §4.2).
    @Test(arguments: configurations)
    func icarusComputesEveryTileAndMatchesTheModelCycles(architecture: Architecture) throws {
        let bench = try CompiledBench(architecture, .icarus)
        var table = "RTL vs model on \(architecture.name) (\(architecture.arrayRows)×\(architecture.arrayColumns)), Icarus:\n"
        table += "ow oh k s b  ic  oc |  P  R  O | cyc_tile  model C  RTL  diff\n"
        for (index, tile) in sweep.enumerated() {
            let result = try bench.run(tile, on: architecture, seed: UInt64(index + 1))
            let (p, r, o) = tile.steps(architecture)
            #expect(result.errors == 0, "\(architecture.name) tile \(index): \(result.errors) wrong outputs")
            #expect(result.checked == o * p * architecture.arrayColumns + 8 * architecture.arrayColumns)
            let model = architecture.systolicTileCycles(tile.modelTile(architecture))
            let stepCycles = Double(p * r * o)
            #expect(Double(result.latency) == model, "\(architecture.name) tile \(index): RTL \(result.latency) vs model \(model)")
            table += "\(tile.outputWidth)  \(tile.outputHeight)  \(tile.kernel) \(tile.stride) \(tile.batch) \(tile.inputChannels) "
                + "\(tile.outputChannels) | \(p) \(r) \(o) | \(Int(stepCycles)) \(Int(model)) \(result.latency) \(result.latency - Int(model))\n"
        }
        print(table)
    }

    @Test func aCorruptedOperandIsCaught() throws {
        let architecture = RTL.custom4x8
        let bench = try CompiledBench(architecture, .icarus)
        let tile = sweep[2]
        let good = try bench.run(tile, on: architecture, seed: 7)
        let bad = try bench.run(tile, on: architecture, seed: 7, corrupt: true)
        #expect(good.errors == 0)
        #expect(bad.errors > 0, "flipping a weight must make outputs mismatch")
    }

    /// The 32×32 preset under Icarus too (one small tile: Icarus is slow on 1024 PEs).
    @Test func icarusRunsThe32x32Preset() throws {
        let architecture = RTL.preset("genesys-inference-05")
        let bench = try CompiledBench(architecture, .icarus)
        let tile = ConvolutionTile(outputWidth: 2, outputHeight: 1, kernel: 1, stride: 1, batch: 2, inputChannels: 40,
                                   outputChannels: 36)
        let result = try bench.run(tile, on: architecture, seed: 55)
        #expect(result.errors == 0)
        #expect(Double(result.latency) == architecture.systolicTileCycles(tile.modelTile(architecture)))
    }

    /// The 4×8, the 16×16 and the 32×32 arrays under Verilator give the same outputs and cycles.
    @Test(arguments: [RTL.custom4x8, RTL.preset("genesys-inference-01"), RTL.preset("genesys-inference-05")])
    func verilatorAgrees(architecture: Architecture) throws {
        let bench = try CompiledBench(architecture, .verilator)
        for (index, tile) in [sweep[3], sweep[5]].enumerated() {
            let result = try bench.run(tile, on: architecture, seed: UInt64(100 + index))
            #expect(result.errors == 0, "\(architecture.name): \(result.errors) wrong outputs")
            #expect(Double(result.latency) == architecture.systolicTileCycles(tile.modelTile(architecture)))
        }
    }
}

@Suite("RTL parameter header")
struct RTLHeaderTests {
    static let goldenDirectory = RTL.repository.appendingPathComponent("Tests/Fixtures/rtl")

    /// Golden headers, compared exactly. Re-record only with SIMDIT_RECORD_GOLDEN=1.
    @Test(arguments: ["genesys-inference-01", "genesys-inference-05", "genesys-training-08", "genesys-inference-14"])
    func headerMatchesItsGoldenFile(name: String) throws {
        let preset = try #require(Presets.named(name))
        let text = RTLHeader.render(try RTLParameters.derive(preset).get(), origin: "preset \(name)")
        let golden = Self.goldenDirectory.appendingPathComponent("\(name).vh")
        if ProcessInfo.processInfo.environment["SIMDIT_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try text.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(text == expected, "header for \(name) differs from \(golden.path)")
        #expect(text.contains("`ifndef SIMDIT_PARAMS_VH") && text.contains("`define ARRAY_N \(preset.arrayRows) "))
    }

    @Test func derivedDepthsAndAddressWidths() throws {
        let parameters = try RTLParameters.derive(try #require(Presets.named("genesys-inference-01"))).get()
        // IBUF 131072 bits / (16 rows × 4 bits) = 2048 words (11 address bits); WBUF 131072 / (256 PEs × 4) = 128.
        #expect(parameters.memory("IBUF")?.depth == 2048 && parameters.memory("IBUF")?.addressBits == 11)
        #expect(parameters.memory("WBUF")?.depth == 128 && parameters.memory("WBUF")?.addressBits == 7)
        #expect(parameters.memory("OBUF")?.depth == 1024 && parameters.memory("BBUF")?.depth == 32)
        #expect(RTLParameters.addressBits(1) == 1 && RTLParameters.addressBits(3) == 2 && RTLParameters.addressBits(1024) == 10)
    }

    @Test func badConfigurationsGetDiagnostics() {
        var odd = RTL.custom4x8
        odd.inputBufferCapacityBits = 65536 + 8          // not whole banks of words in two halves
        odd.parameterPortBitsPerCycle = 100               // not an AXI width
        odd.accumulatorBits = 12                          // narrower than an 8×8 product
        guard case .failure(let error) = RTLParameters.derive(odd) else {
            Issue.record("accepted an architecture that does not divide")
            return
        }
        let keys = Set(error.issues.map(\.keyPath))
        #expect(keys.isSuperset(of: ["buffers.ibuf_capacity_bits", "dram_bandwidth.parambuf_bits_per_cycle",
                                     "precision.accumulator_bits"]))
        #expect(error.issues.contains { $0.message.contains("multiple of 64 bits") })
    }
}
