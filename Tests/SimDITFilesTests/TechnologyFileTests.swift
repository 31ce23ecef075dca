import Foundation
import Testing
import SimDITCore
@testable import SimDITFiles

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

private func technologyDiagnostics(_ text: String) -> [Diagnostic] {
    if case .failure(let error) = TechnologyFile.read(YAMLDocument(text: text, file: "tech.yaml")) { return error.diagnostics }
    return []
}

@Suite("Technology libraries")
struct TechnologyFileTests {
    /// The compiled-in libraries are the files in TechLib/, byte for byte (re-record with
    /// `python3 scripts/embed-techlib.py`).
    @Test func builtInLibrariesEqualTheShippedFiles() throws {
        let directory = repository.appendingPathComponent("TechLib")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.map { String($0.dropLast(5)) } == BuiltInLibraryText.all.map(\.name))
        for entry in BuiltInLibraryText.all {
            let text = try String(contentsOf: directory.appendingPathComponent(entry.name + ".yaml"), encoding: .utf8)
            #expect(text == entry.text, "TechLib/\(entry.name).yaml differs from the compiled-in copy")
        }
    }

    @Test func generic45nmCarriesHorowitzFiguresWithCitations() throws {
        let file = try InputResolver.technology("generic-45nm").get()
        let library = file.library
        #expect(library.macEnergyPicojoules == [4: 0.15, 8: 0.3, 16: 0.9])
        #expect(library.simdFixedPoint.add == 0.1 && library.simdFixedPoint.multiply == 3.1)
        #expect(library.simdFloat.add == 0.9 && library.simdFloat.multiply == 3.7)
        #expect(library.sramMacros.map(\.readEnergyPicojoules) == [10, 20, 100])
        #expect(library.dramEnergyPicojoulesPerBit == 1950.0 / 64)
        // Every figure says where it came from, and every source is listed.
        let sources = Set(file.sources.map(\.key))
        for (path, figure) in file.figures where !path.hasSuffix("capacity_bits") && !path.hasSuffix("width_bits") {
            let source = try #require(figure.source, "\(path) has no source")
            #expect(sources.contains(source), "\(path): unknown source \(source)")
            #expect(figure.derivation?.isEmpty == false, "\(path) has no derivation")
        }
    }

    @Test func renderedLibraryReadsBackToTheSameFigures() throws {
        let file = try InputResolver.technology("generic-45nm").get()
        let again = try TechnologyFile.read(YAMLDocument(text: file.render(), file: "again.yaml")).get()
        #expect(again.library == file.library)
        #expect(again.figure("pe.mac_pj.int8") == file.figure("pe.mac_pj.int8"))
    }

    @Test func badLibrariesGetDiagnostics() throws {
        let text = BuiltInLibraryText.all[0].text
        func corrupt(_ old: String, _ new: String) -> String {
            guard let range = text.range(of: old) else { Issue.record("no '\(old)'"); return text }
            return text.replacingCharacters(in: range, with: new)
        }
        let cases: [(String, String)] = [
            (corrupt("energy_pj_per_bit: {value: 30.46875", "energy_pj_per_bit: {value: -1"), "'energy_pj_per_bit' must be positive"),
            (corrupt("source: horowitz2014, derivation: \"8-bit multiply 0.2 pJ + 32", "source: horowitz, derivation: \"8-bit multiply 0.2 pJ + 32"),
             "unknown source 'horowitz'"),
            (corrupt("    int8: {value: 0.3,", "    int8x: {value: 0.3,"), "must name a precision as intN"),
            (corrupt("area_fraction: {value: 0.1", "area_fraction: {value: 1.5"), "'area_fraction' must be below 1"),
            (corrupt("capacity_bits: 65536", "capacity_bits: 65537"), "not a whole number of 64-bit words"),
            (corrupt("  multiply: {value: 3.1,", "  multiply: {value: lots,"), "'multiply' must be a number"),
        ]
        for (bad, fragment) in cases {
            let diagnostics = technologyDiagnostics(bad)
            #expect(diagnostics.contains { $0.message.contains(fragment) && $0.line != nil && $0.line! > 1 },
                    "\(fragment): \(diagnostics)")
        }
    }

    static let report = """
        version: 1
        design: pe-int8
        tool: hand-written
        clock_period_ns: 10
        worst_slack_ns: 2
        switching_activity: 0.2
        modules:
          - {name: pe, kind: pe, precision_bits: 8, area_um2: 500, leakage_uw: 1, dynamic_uw: 100}
        sram_macros:
          - {name: sram-4Kib, capacity_bits: 4096, width_bits: 32, read_pj: 2, write_pj: 3, leakage_uw: 4, area_um2: 5000}

        """

    @Test func calibratedLibraryRecordsProvenance() throws {
        let base = try InputResolver.technology("generic-45nm").get()
        let loaded = try SynthesisReportFile.read(YAMLDocument(text: Self.report, file: "pe.yaml")).get()
        let calibrated = try base.calibrated(with: [loaded]).get()
        #expect(calibrated.name == "generic-45nm-calibrated")
        let mac = try #require(calibrated.figure("pe.mac_pj.int8"))
        #expect(abs(mac.value - 5) < 1e-12)
        #expect(mac.source == "report1" && mac.derivation?.contains("modules[0].dynamic_uw") == true)
        #expect(calibrated.figure("clock_hz")?.value == 125e6)
        // Figures not in the report keep the base library's value and source.
        #expect(calibrated.figure("pe.mac_pj.int4") == base.figure("pe.mac_pj.int4"))
        #expect(calibrated.figure("dram.energy_pj_per_bit")?.source == "horowitz2014")
        // The report's macros replace the table.
        #expect(calibrated.library.sramMacros.map(\.name) == ["sram-4Kib"])
        #expect(calibrated.sources.contains { $0.key == "report1" && $0.citation.contains("pe.yaml") })
        // And the written library reads back.
        let again = try TechnologyFile.read(YAMLDocument(text: calibrated.render(), file: "cal.yaml")).get()
        #expect(again.library == calibrated.library)
        #expect(again.calibratedFrom == ["pe.yaml"])
    }

    @Test func malformedReportsGetPositionedDiagnostics() {
        let cases: [(String, String, Int)] = [
            (Self.report.replacingOccurrences(of: "kind: pe,", with: "kind: peh,"), "unknown module kind 'peh'; did you mean 'pe'?", 8),
            (Self.report.replacingOccurrences(of: "switching_activity: 0.2", with: "switching_activity: high"),
             "'switching_activity' must be a number", 6),
            (Self.report.replacingOccurrences(of: "clock_period_ns: 10\n", with: ""), "missing key 'clock_period_ns'", 1),
            (Self.report.replacingOccurrences(of: "capacity_bits: 4096", with: "capacity_bits: 4100"), "not a whole number", 10),
            (Self.report.replacingOccurrences(of: "dynamic_uw: 100", with: "dynamic_uw: -100"), "must not be negative", 8),
        ]
        for (text, fragment, line) in cases {
            guard case .failure(let error) = SynthesisReportFile.read(YAMLDocument(text: text, file: "r.yaml")) else {
                Issue.record("accepted a bad report: \(fragment)")
                continue
            }
            #expect(error.diagnostics.contains { $0.message.contains(fragment) && $0.line == line }, "\(fragment): \(error)")
        }
        // Inconsistent (but well-formed): slack beyond the period, at the slack's line.
        let slack = Self.report.replacingOccurrences(of: "worst_slack_ns: 2", with: "worst_slack_ns: 11")
        let loaded = try? SynthesisReportFile.read(YAMLDocument(text: slack, file: "r.yaml")).get()
        let base = try? InputResolver.technology("generic-45nm").get()
        guard let loaded, let base, case .failure(let error) = base.calibrated(with: [loaded]) else {
            Issue.record("accepted a report that fails timing")
            return
        }
        #expect(error.diagnostics.first?.line == 5)
        #expect(error.diagnostics.first?.message.contains("no positive achievable period") == true)
    }
}
