import Testing
import SimDITCore
@testable import SimDITFiles

@Suite("Files round-trip and reports")
struct RoundTripTests {
    @Test(arguments: Presets.all)
    func presetRendersToAFileThatReadsBack(preset: Architecture) throws {
        let text = ArchitectureFile.render(preset, description: "test")
        let loaded = try ArchitectureFile.read(YAMLDocument(text: text, file: "preset.yaml")).get()
        #expect(loaded.architecture == preset)
        #expect(loaded.positions["buffers.wbuf_capacity_bits"] != nil)
    }

    @Test(arguments: Zoo.all.map(\.name))
    func builtInNetworkRendersToAFileThatReadsBack(name: String) throws {
        let network = try #require(Zoo.named(name))
        let text = NetworkFile.render(network)
        let loaded = try NetworkFile.read(YAMLDocument(text: text, file: "net.yaml")).get()
        #expect(loaded.network == network)
        #expect(try loaded.network.inferenceProgram().get() == network.inferenceProgram().get())
    }

    @Test func defaultsFillOptionalKeys() throws {
        let loaded = try ArchitectureFile.read(YAMLDocument(text: validArchitecture, file: "a.yaml")).get()
        #expect(loaded.architecture.biasBits == 32 && loaded.architecture.accumulatorBits == 32)
        #expect(loaded.architecture.simdInstructionMemoryAddressBits == 8)
        #expect(loaded.architecture == Presets.named("genesys-inference-01").map { var a = $0; a.name = "test-arch"; return a })
    }

    @Test func jsonCarriesTheContract() throws {
        let preset = try #require(Presets.named("genesys-inference-01"))
        let program = try #require(Zoo.named("resnet18")).inferenceProgram().get()
        let result = try Simulator.run(program, on: preset)
        let text = SimulationReport(result: result, architecture: preset).render(.json)
        for key in ["\"schema\": \"simdit.simulation/1\"", "\"total\"", "\"compute_cycles\"", "\"dram_bytes_by_kind\"",
                    "\"sram_bytes_by_buffer\"", "\"instruction\"", "\"layers\"", "\"tile\"", "\"non_conv_share\"",
                    "\"breakdown\""] {
            #expect(text.contains(key), "JSON lacks \(key)")
        }
    }

    @Test func csvHasARowPerLayerAndATotal() throws {
        let preset = try #require(Presets.named("genesys-inference-01"))
        let program = try #require(Zoo.named("resnet18")).inferenceProgram().get()
        let result = try Simulator.run(program, on: preset)
        let lines = SimulationReport(result: result, architecture: preset).csv().split(separator: "\n")
        let categories = result.cyclesByCategory.count
        #expect(lines.count == 1 + 49 + 1 + categories + 1)
        let columns = lines[0].split(separator: ",", omittingEmptySubsequences: false).count
        #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == columns })
        #expect(lines[50].hasPrefix(",total,"))
        #expect(lines.last?.hasPrefix(",non_convolution,,,non_convolution,") == true)
    }

    @Test func numbersFormatExactly() {
        #expect(JSONValue.format(884_071.2857142857) == "884071.2857142857")
        #expect(JSONValue.format(12) == "12")
        #expect(Format.grouped(1_234_567.891) == "1,234,567.89")
        #expect(Format.grouped(-1_000) == "-1,000")
        #expect(Format.percent(1, of: 3) == "33.3 %")
        #expect(JSONValue.string("a\"b\n").text() == "\"a\\\"b\\n\"")
    }

    @Test func suggestionsUseEditDistance() {
        #expect(Suggestion.closest(to: "colums", in: ["rows", "columns"]) == "columns")
        #expect(Suggestion.closest(to: "zzzzzz", in: ["rows", "columns"]) == nil)
    }
}
