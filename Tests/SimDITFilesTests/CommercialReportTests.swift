import Foundation
import Testing
import SimDITCore
@testable import SimDITFiles

private let reports = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/reports")

private func load(_ tool: String, _ name: String) throws -> (text: String, file: String) {
    let url = reports.appendingPathComponent("\(tool)/\(name).rpt")
    return (try String(contentsOf: url, encoding: .utf8), url.path)
}

@Suite("Design Compiler and Genus reports")
struct CommercialReportTests {
    @Test(arguments: CommercialReports.Tool.allCases)
    func sampleReportsParseToTheSameFigures(tool: CommercialReports.Tool) throws {
        let name = tool.rawValue
        let figures = try CommercialReports.parse(tool: tool, area: try load(name, "area"), power: try load(name, "power"),
                                                  timing: try load(name, "timing")).get()
        // Both samples describe the same PE: 1691.357 µm², 122.4646 µW dynamic, 4.5678 µW leakage,
        // a 2 ns clock and 0.72 ns of slack.
        #expect(abs(figures.areaSquareMicrometres - 1691.357) < 1e-3)
        #expect(abs(figures.dynamicWatts - 122.4646e-6) < 1e-9)
        #expect(abs(figures.leakageWatts - 4.5678e-6) < 1e-9)
        #expect(abs(figures.clockPeriodNanoseconds - 2) < 1e-12 && abs(figures.worstSlackNanoseconds - 0.72) < 1e-12)
        // The converted report calibrates: MAC = 122.4646 µW / (500 MHz × 1 × 0.25) ≈ 0.98 pJ.
        let text = CommercialReports.synthesisReport(figures, design: "pe", tool: tool, module: "pe", kind: "pe", precisionBits: 8,
                                                     lane: nil, instances: 1, activity: 0.25, nodeNanometres: 32, voltage: 0.78)
        let loaded = try SynthesisReportFile.read(YAMLDocument(text: text, file: "pe.yaml")).get()
        let derived = Calibration.derive([loaded.report], base: try InputResolver.technology("generic-45nm").get().library)
        #expect(derived.issues.isEmpty)
        let mac = try #require(derived.figures.first { $0.keyPath == "pe.mac_pj.int8" }?.value)
        #expect(abs(mac - 122.4646e-6 / (5e8 * 0.25) * 1e12) < 1e-9)
        let clock = try #require(derived.figures.first { $0.keyPath == "clock_hz" }?.value)
        #expect(abs(clock - 1e9 / 1.28) < 1e-3)
    }

    @Test func malformedReportsGetDiagnostics() throws {
        let area = try load("dc", "area"), power = try load("dc", "power"), timing = try load("dc", "timing")
        // A Genus report given as Design Compiler's, and a power line without a unit.
        let wrong = CommercialReports.parse(tool: .dc, area: try load("genus", "area"), power: power, timing: timing)
        guard case .failure(let error) = wrong else { Issue.record("accepted a Genus area report as DC"); return }
        #expect(error.diagnostics.first?.message.contains("no 'Total cell area:' line found") == true)
        let noUnit = power.text.replacingOccurrences(of: "Total Dynamic Power    = 122.4646 uW", with: "Total Dynamic Power    = 122.4646")
        guard case .failure(let unitError) = CommercialReports.parse(tool: .dc, area: area, power: (noUnit, power.file),
                                                                    timing: timing) else {
            Issue.record("accepted a power without a unit")
            return
        }
        let line = try #require(unitError.diagnostics.first)
        #expect(line.line == 31 && line.message.contains("dynamic power and its unit"), "\(line)")
        guard case .failure(let emptyError) = CommercialReports.parse(tool: .genus, area: ("", "a.rpt"), power: ("", "p.rpt"),
                                                                     timing: ("", "t.rpt")) else {
            Issue.record("accepted empty reports")
            return
        }
        #expect(emptyError.diagnostics.count == 5)  // area, power unit, power, clock edge, slack
    }
}
