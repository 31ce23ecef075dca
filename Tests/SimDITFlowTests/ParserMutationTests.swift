import Foundation
import SimDITCore
import SimDITFiles
import Testing
@testable import SimDITFlow

/// Every parser of tool output and of the flow's files, fed seeded random mutations of a valid
/// input (bytes replaced, lines dropped or repeated, numbers made extreme): each returns a value
/// or an error, never traps or hangs.
@Suite("flow parsers under mutated input")
struct ParserMutationTests {
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    static let vcd = VCDActivityTests.dump
    static let extremes = ["0", "-1", "9223372036854775808", "1e308", "nan", "-inf", "", "x", "{", "\"", "$end", "#"]

    /// `count` mutants of `text`, each with a few random edits.
    static func mutants(of text: String, count: Int, seed: UInt64) -> [String] {
        var random = Random(seed: seed)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(max(n, 1))) }
        return (0..<count).map { _ in
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for _ in 0..<(1 + pick(4)) where !lines.isEmpty {
                let index = pick(lines.count)
                switch pick(5) {
                case 0: lines.remove(at: index)
                case 1: lines.insert(lines[index], at: index)
                case 2:
                    var bytes = Array(lines[index].utf8)
                    if !bytes.isEmpty { bytes[pick(bytes.count)] = UInt8(32 + pick(95)) }
                    lines[index] = String(decoding: bytes, as: UTF8.self)
                case 3:
                    let words = lines[index].split(separator: " ").map(String.init)
                    if !words.isEmpty {
                        var edited = words
                        edited[pick(words.count)] = extremes[pick(extremes.count)]
                        lines[index] = edited.joined(separator: " ")
                    }
                default: lines[index] = String(lines[index].prefix(pick(lines[index].count + 1)))
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    @Test func valueChangeDumps() {
        for text in Self.mutants(of: Self.vcd, count: 400, seed: 1) {
            if let activity = try? VCDActivity.parse(text) {
                #expect(activity.clockCycles > 0 && activity.nets.allSatisfy { $0.activity >= 0 && $0.duty >= 0 })
            }
        }
    }

    @Test func openRAMAndPlaceAndRouteOutputs() throws {
        let lib = try String(contentsOf: Self.fixtures.appendingPathComponent("openram/sram_16x4_TT_5p0V_25C.lib"), encoding: .utf8)
        let lef = try String(contentsOf: Self.fixtures.appendingPathComponent("openram/sram_32x32.lef"), encoding: .utf8)
        for text in Self.mutants(of: lib, count: 200, seed: 2) {
            if let c = OpenRAMResults.liberty(text) { #expect(c.minimumPeriodNanoseconds > 0) }
        }
        for text in Self.mutants(of: lef, count: 200, seed: 3) {
            if let area = OpenRAMResults.lefArea(text) { #expect(area > 0) }
        }
        let csv = "num_words,word_size,words_per_row,local_array_size,area,process,voltage,temperature,slew,load,rise_delay,"
            + "fall_delay,rise_slew,fall_slew,write1_power,write0_power,read1_power,read0_power,leakage_power\n"
            + "32,32,1,0,0,TT,5.0,25,0.05,9.8242,2.6,2.6,0.1,0.1,44.1,63.9,52.4,52.6,0.00195\n"
        for text in Self.mutants(of: csv, count: 200, seed: 4) { _ = try? OpenRAMResults.referenceData(text) }
        let def = "VERSION 5.6 ;\nUNITS DISTANCE MICRONS 100 ;\nDIEAREA ( -320 -300 ) ( 18640 12300 ) ;\nEND DESIGN\n"
        for text in Self.mutants(of: def, count: 200, seed: 5) {
            if let area = ToolReports.defDieArea(text) { #expect(area > 0) }
        }
        let spef = "*NAME_MAP\n*1 block_in\n*2 _12_\n\n*PORTS\n*1 I\n\n*D_NET *1 0.0109792\n*CONN\n*END\n\n*D_NET *2 0.02\n*END\n"
        for text in Self.mutants(of: spef, count: 200, seed: 6) {
            #expect(ToolReports.spefNetCapacitances(text).allSatisfy { $0.picofarads >= 0 && $0.picofarads.isFinite })
        }
    }

    @Test func plansAndSynthesisReports() throws {
        let repository = Self.fixtures.deletingLastPathComponent().deletingLastPathComponent()
        let plan = try String(contentsOf: repository.appendingPathComponent("Flow/plan.yaml"), encoding: .utf8)
        for text in Self.mutants(of: plan, count: 300, seed: 7) {
            switch CharacterizationPlan.read(YAMLDocument(text: text, file: "plan.yaml")) {
            case .success(let p): #expect(p.cycles >= 1 && p.cycles <= 100_000)
            case .failure(let error): #expect(!error.diagnostics.isEmpty)
            }
        }
        let report = """
            version: 1
            design: split
            clock_period_ns: 10
            modules:
              - {name: pe, kind: pe, precision_bits: 8, instances: 2, dynamic_uw: 500, idle_dynamic_uw: 200}
              - {name: lane, kind: simd_lane, lane: fixed32, idle_dynamic_uw: 100, operation_dynamic_uw: {add: 300, multiply: 1100, max: 350}}
            sram_macros:
              - {name: m, capacity_bits: 1024, width_bits: 32, read_pj: 1, write_pj: 1, leakage_uw: 0, area_um2: 5,
                 minimum_period_ns: 5, provenance: {read_pj: "x"}}

            """
        let base = try InputResolver.technology("generic-45nm").get()
        for text in Self.mutants(of: report, count: 300, seed: 8) {
            guard case .success(let loaded) = SynthesisReportFile.read(YAMLDocument(text: text, file: "r.yaml")) else { continue }
            if case .success(let library) = base.calibrated(with: [loaded], scaleToNode: true) {
                #expect(library.library.clockHz > 0)
            }
        }
    }
}
