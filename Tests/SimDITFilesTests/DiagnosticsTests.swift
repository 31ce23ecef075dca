import Testing
import SimDITCore
@testable import SimDITFiles

/// A valid architecture file (design 01) to corrupt one line at a time.
let validArchitecture = """
    version: 1
    name: test-arch
    systolic_array:
      rows: 16
      columns: 16
    precision:
      activation_bits: 4
      weight_bits: 4
    buffers:
      ibuf_capacity_bits: 131072
      wbuf_capacity_bits: 131072
      obuf_capacity_bits: 524288
      bbuf_capacity_bits: 16384
      vmem_capacity_bits: 524288
    dram_bandwidth:
      ibuf_bits_per_cycle: 128
      parambuf_bits_per_cycle: 64
      obuf_bits_per_cycle: 128
      simd_bits_per_cycle: 128

    """

let validNetwork = """
    version: 1
    name: tiny
    input: {channels: 3, height: 32, width: 32}
    layers:
      - {name: conv1, type: conv, out_channels: 16, kernel: 3, padding: 1}
      - {name: relu1, type: relu}
      - {name: conv2, type: conv, out_channels: 16, kernel: 3, padding: 1}
      - {name: add, type: add, inputs: [conv2, relu1]}
      - {name: pool, type: max_pool, kernel: 2}
      - {name: gap, type: global_avg_pool}
      - {name: flat, type: flatten}
      - {name: fc, type: fc, out_features: 10}
      - {name: prob, type: softmax}

    """

func architectureDiagnostics(_ text: String) -> [Diagnostic] {
    switch ArchitectureFile.read(YAMLDocument(text: text, file: "arch.yaml")) {
    case .success: return []
    case .failure(let error): return error.diagnostics
    }
}

func networkDiagnostics(_ text: String) -> [Diagnostic] {
    switch NetworkFile.read(YAMLDocument(text: text, file: "net.yaml")) {
    case .success: return []
    case .failure(let error): return error.diagnostics
    }
}

/// Replaces the first occurrence of `old` in `text`, failing the test when it is absent.
func replacing(_ text: String, _ old: String, _ new: String) -> String {
    guard let range = text.range(of: old) else {
        Issue.record("fixture has no '\(old)'")
        return text
    }
    return text.replacingCharacters(in: range, with: new)
}

struct BadInput: Sendable, CustomTestStringConvertible {
    var label: String
    var text: String
    var line: Int
    var column: Int
    var fragment: String
    var testDescription: String { label }
}

@Suite("Bad input gets positioned diagnostics")
struct DiagnosticsTests {
    static let badArchitectures: [BadInput] = [
        BadInput(label: "malformed YAML", text: replacing(validArchitecture, "rows: 16", "rows: [16"),
                 line: 5, column: 10, fragment: "malformed YAML"),
        BadInput(label: "missing version", text: replacing(validArchitecture, "version: 1\n", ""),
                 line: 1, column: 1, fragment: "missing key 'version'"),
        BadInput(label: "unsupported version", text: replacing(validArchitecture, "version: 1", "version: 2"),
                 line: 1, column: 10, fragment: "unsupported version 2"),
        BadInput(label: "unknown key with suggestion", text: replacing(validArchitecture, "rows: 16", "rowz: 16"),
                 line: 4, column: 3, fragment: "unknown key 'rowz' in 'systolic_array'; did you mean 'rows'?"),
        BadInput(label: "wrong type", text: replacing(validArchitecture, "columns: 16", "columns: sixteen"),
                 line: 5, column: 12, fragment: "'columns' must be a whole number from 1 to 8,192, got 'sixteen'"),
        BadInput(label: "negative size", text: replacing(validArchitecture, "weight_bits: 4", "weight_bits: -4"),
                 line: 8, column: 16, fragment: "got -4"),
        BadInput(label: "zero size", text: replacing(validArchitecture, "simd_bits_per_cycle: 128", "simd_bits_per_cycle: 0"),
                 line: 19, column: 24, fragment: "'simd_bits_per_cycle' must be a whole number from 1 to 2^20, got 0"),
        BadInput(label: "missing required key", text: replacing(validArchitecture, "  obuf_capacity_bits: 524288\n", ""),
                 line: 10, column: 3, fragment: "missing key 'obuf_capacity_bits' in 'buffers'"),
        BadInput(label: "buffer below the minimum",
                 text: replacing(validArchitecture, "wbuf_capacity_bits: 131072", "wbuf_capacity_bits: 1024"),
                 line: 11, column: 23, fragment: "WBUF too small: buffers.wbuf_capacity_bits = 1024 bits, the minimum is 18432 bits"),
        BadInput(label: "duplicate key", text: replacing(validArchitecture, "columns: 16", "columns: 16\n  rows: 8"),
                 line: 4, column: 3, fragment: "duplicate key 'rows'"),
        BadInput(label: "not a mapping", text: "- 1\n- 2\n", line: 1, column: 1, fragment: "expected an architecture"),
        BadInput(label: "section of the wrong kind", text: replacing(validArchitecture, "precision:\n  activation_bits: 4\n  weight_bits: 4", "precision: 4"),
                 line: 6, column: 12, fragment: "'precision' must be a mapping"),
    ]

    @Test(arguments: badArchitectures)
    func architectureFile(_ bad: BadInput) throws {
        let diagnostics = architectureDiagnostics(bad.text)
        let first = try #require(diagnostics.first { $0.message.contains(bad.fragment) },
                                 "no diagnostic containing '\(bad.fragment)' in \(diagnostics)")
        #expect(first.file == "arch.yaml")
        #expect(first.line == bad.line && first.column == bad.column, "\(first)")
        #expect(first.description.hasPrefix("arch.yaml:\(bad.line):\(bad.column): error: "))
    }

    static let badNetworks: [BadInput] = [
        BadInput(label: "unknown layer type", text: replacing(validNetwork, "type: relu", "type: rleu"),
                 line: 6, column: 25, fragment: "unknown layer type 'rleu'; did you mean 'relu'?"),
        BadInput(label: "unknown producer", text: replacing(validNetwork, "inputs: [conv2, relu1]", "inputs: [conv2, relu9]"),
                 line: 8, column: 36, fragment: "unknown input 'relu9'"),
        BadInput(label: "add of different shapes", text: replacing(validNetwork, "inputs: [conv2, relu1]", "inputs: [conv2, input]"),
                 line: 8, column: 36, fragment: "add needs inputs of one shape"),
        BadInput(label: "kernel larger than the input", text: replacing(validNetwork, "type: max_pool, kernel: 2", "type: max_pool, kernel: 64"),
                 line: 9, column: 42, fragment: "larger than the padded input"),
        BadInput(label: "missing out_channels", text: replacing(validNetwork, "type: conv, out_channels: 16, kernel: 3, padding: 1}\n  - {name: relu1",
                                                                "type: conv, kernel: 3, padding: 1}\n  - {name: relu1"),
                 line: 5, column: 5, fragment: "missing key 'out_channels'"),
        BadInput(label: "duplicate layer name", text: replacing(validNetwork, "{name: conv2,", "{name: conv1,"),
                 line: 7, column: 12, fragment: "duplicate layer name 'conv1'"),
        BadInput(label: "unknown layer key", text: replacing(validNetwork, "out_features: 10", "out_feature: 10"),
                 line: 12, column: 26, fragment: "unknown key 'out_feature' in a 'fc' layer; did you mean 'out_features'?"),
        BadInput(label: "negative stride", text: replacing(validNetwork, "kernel: 3, padding: 1}\n  - {name: relu1",
                                                           "kernel: 3, stride: -1, padding: 1}\n  - {name: relu1"),
                 line: 5, column: 68, fragment: "'stride' must be a positive whole number up to 2^24 or [height, width], got '-1'"),
        BadInput(label: "empty file", text: "", line: 1, column: 1, fragment: "empty file"),
        BadInput(label: "layers not a list", text: replacing(validNetwork, "layers:", "layers: 3\nxlayers:"),
                 line: 4, column: 9, fragment: "'layers' must be a list"),
    ]

    @Test(arguments: badNetworks)
    func networkFile(_ bad: BadInput) throws {
        let diagnostics = networkDiagnostics(bad.text)
        let first = try #require(diagnostics.first { $0.message.contains(bad.fragment) },
                                 "no diagnostic containing '\(bad.fragment)' in \(diagnostics)")
        #expect(first.line == bad.line && first.column == bad.column, "\(first)")
        #expect(first.description.hasPrefix("net.yaml:\(bad.line):\(bad.column): error: "))
    }

    @Test func validFilesHaveNoDiagnostics() {
        #expect(architectureDiagnostics(validArchitecture).isEmpty)
        #expect(networkDiagnostics(validNetwork).isEmpty)
    }

    @Test func everyProblemIsReportedAtOnce() {
        var text = replacing(validArchitecture, "rows: 16", "rowz: 16")
        text = replacing(text, "weight_bits: 4", "weight_bits: four")
        text = replacing(text, "simd_bits_per_cycle: 128", "simd_bits_per_cycle: -1")
        let diagnostics = architectureDiagnostics(text)
        #expect(diagnostics.contains { $0.message.contains("rowz") })
        #expect(diagnostics.contains { $0.message.contains("missing key 'rows'") })
        #expect(diagnostics.contains { $0.message.contains("'four'") })
        #expect(diagnostics.contains { $0.message.contains("got -1") })
    }

    @Test func missingFileIsADiagnostic() {
        let document = YAMLDocument.load(path: "/nonexistent/arch.yaml")
        #expect(document.diagnostics.first?.message.contains("no such file") == true)
        guard case .failure = ArchitectureFile.read(document) else {
            Issue.record("a missing file must not load")
            return
        }
    }

    @Test func unknownPresetSuggestsTheClosest() {
        guard case .failure(let error) = InputResolver.architecture("genesys-inference-8") else {
            Issue.record("expected an error")
            return
        }
        #expect(error.diagnostics.first?.message.contains("did you mean 'genesys-inference-08'?") == true)
    }
}
