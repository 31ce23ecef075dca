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
        // Horowitz's multiply and 32-bit add, plus the register bits a MAC moves at 0.00375 pJ per bit:
        // 8-bit 0.2 + 0.1 + 40 × 0.00375 = 0.45 pJ.
        #expect(library.macEnergyPicojoules == [4: 0.285, 8: 0.45, 16: 1.08])
        #expect(library.peIdleEnergyPicojoulesPerCycle == [4: 0.075, 8: 0.09, 16: 0.12])
        // Horowitz's 32-bit operations plus 3 × 32 pipeline-register bits: 0.36 pJ.
        #expect(library.simdFixedPoint.add == 0.46 && library.simdFixedPoint.multiply == 3.46)
        #expect(library.simdFloat.add == 1.26 && library.simdFloat.multiply == 4.06)
        #expect(library.simdFixedPointLane.idleEnergyPicojoulesPerCycle == 1.08)
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
            (corrupt("standard: ddr3", "energy_pj_per_bit: {value: -1}"), "'energy_pj_per_bit' must be positive"),
            (corrupt("source: horowitz2014, derivation: \"8-bit multiply 0.2 pJ + 32", "source: horowitz, derivation: \"8-bit multiply 0.2 pJ + 32"),
             "unknown source 'horowitz'"),
            (corrupt("    int8: {value: 0.45,", "    int8x: {value: 0.45,"), "must name a precision as intN"),
            (corrupt("    int8: {value: 0.09,", "    int9: {value: 0.09,"), "needs a figure for every precision of 'pe.mac_pj' (missing int8)"),
            (corrupt("area_fraction: {value: 0.1", "area_fraction: {value: 1.5"), "'area_fraction' must be below 1"),
            (corrupt("capacity_bits: 65536", "capacity_bits: 65537"), "not a whole number of 64-bit words"),
            (corrupt("  multiply: {value: 3.46,", "  multiply: {value: lots,"), "'multiply' must be a number"),
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

    /// Active and idle power: the action energy is the difference per cycle, the idle energy the idle
    /// power per cycle (hand-derived at 100 MHz).
    @Test func activeAndIdlePowerSplitActionFromClockEnergy() throws {
        let text = """
            version: 1
            design: split
            clock_period_ns: 10
            modules:
              - {name: pe, kind: pe, precision_bits: 8, instances: 2, dynamic_uw: 500, idle_dynamic_uw: 200}
              - {name: lane, kind: simd_lane, lane: fixed32, idle_dynamic_uw: 100, operation_dynamic_uw: {add: 300, multiply: 1100, max: 350}}

            """
        let base = try InputResolver.technology("generic-45nm").get()
        let loaded = try SynthesisReportFile.read(YAMLDocument(text: text, file: "split.yaml")).get()
        let library = try base.calibrated(with: [loaded]).get().library
        // PE: (500 − 200) µW / 2 instances / 100 MHz = 1.5 pJ per MAC; 200 µW / 2 / 100 MHz = 1 pJ per cycle.
        #expect(abs(library.macEnergyPicojoules[8]! - 1.5) < 1e-12)
        #expect(abs(library.peIdleEnergyPicojoulesPerCycle[8]! - 1.0) < 1e-12)
        #expect(library.macEnergyPicojoules[16] == 1.08)   // not in the report: the base figure
        // Lane: add (300 − 100) µW / 100 MHz = 2 pJ, multiply 10 pJ, compare from max 2.5 pJ; divide,
        // exponent and inverse square root scale with the measured multiply (10 / 3.46); idle 1 pJ.
        let lane = library.simdFixedPoint
        #expect(abs(lane.add - 2) < 1e-12 && abs(lane.multiply - 10) < 1e-12 && abs(lane.compare - 2.5) < 1e-12)
        #expect(abs(lane.divide - 3.56 * 10 / 3.46) < 1e-12 && abs(lane.exponent - 16.36 * 10 / 3.46) < 1e-12)
        #expect(abs(library.simdFixedPointLane.idleEnergyPicojoulesPerCycle - 1) < 1e-12)
        #expect(library.simdFloat == base.library.simdFloat)
    }

    @Test func inconsistentActiveAndIdlePowerAreDiagnostics() throws {
        let base = try InputResolver.technology("generic-45nm").get()
        let idleAbove = """
            version: 1
            design: bad
            clock_period_ns: 10
            modules:
              - {name: pe, kind: pe, precision_bits: 8, dynamic_uw: 100, idle_dynamic_uw: 200}

            """
        let loaded = try SynthesisReportFile.read(YAMLDocument(text: idleAbove, file: "bad.yaml")).get()
        guard case .failure(let error) = base.calibrated(with: [loaded]) else {
            Issue.record("an idle power above the active power was accepted")
            return
        }
        #expect(error.diagnostics.contains { $0.message.contains("idle power 200.0 µW is not below") && $0.line == 5 })
        let noIdle = idleAbove.replacingOccurrences(of: ", idle_dynamic_uw: 200", with: "")
        guard case .failure(let missing) = SynthesisReportFile.read(YAMLDocument(text: noIdle, file: "bad.yaml")) else {
            Issue.record("dynamic power without idle power or activity was accepted")
            return
        }
        #expect(missing.diagnostics.contains { $0.message.contains("without idle_dynamic_uw") && $0.line == 5 })
    }

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

@Suite("Technology nodes and DRAM standards")
struct TechnologyNodeTests {
    @Test func dramStandardGivesItsCitedEnergy() throws {
        let text = BuiltInLibraryText.all[0].text.replacingOccurrences(of: "standard: ddr3", with: "standard: hbm2")
        let file = try TechnologyFile.read(YAMLDocument(text: text, file: "hbm.yaml")).get()
        #expect(file.library.dramEnergyPicojoulesPerBit == 3.97)
        #expect(file.figure("dram.energy_pj_per_bit")?.source == "oconnor2017")
        #expect(file.sources.contains { $0.key == "oconnor2017" && $0.citation.contains("MICRO 2017") })
        // Rendered, it names the standard and reads back the same.
        let again = try TechnologyFile.read(YAMLDocument(text: file.render(), file: "again.yaml")).get()
        #expect(again.dramStandard == .hbm2 && again.library == file.library)
        let unknown = technologyDiagnostics(text.replacingOccurrences(of: "standard: hbm2", with: "standard: hbm9"))
        #expect(unknown.contains { $0.message.contains("unknown DRAM standard 'hbm9'") && ($0.line ?? 0) > 1 })
        let both = technologyDiagnostics(text.replacingOccurrences(of: "standard: hbm2", with: "standard: hbm2\n  energy_pj_per_bit: 5"))
        #expect(both.contains { $0.message.contains("either 'standard' or 'energy_pj_per_bit'") })
    }

    static let report = """
        version: 1
        design: pe-180
        node_nm: 180
        voltage_v: 1.8
        clock_period_ns: 10
        modules:
          - {name: pe, kind: pe, precision_bits: 8, area_um2: 500, leakage_uw: 1, dynamic_uw: 300, idle_dynamic_uw: 100}

        """

    /// Recalibrating a 45 nm library at 180 nm: figures the report does not give are either tagged
    /// with their 45 nm node (and the library warns) or scaled by the stated rule.
    @Test func keptFiguresAreTaggedOrScaled() throws {
        let base = try InputResolver.technology("generic-45nm").get()
        let loaded = try SynthesisReportFile.read(YAMLDocument(text: Self.report, file: "pe.yaml")).get()
        let tagged = try base.calibrated(with: [loaded]).get()
        #expect(tagged.figure("pe.mac_pj.int4")?.nodeNanometres == 45)
        #expect(tagged.figure("pe.mac_pj.int8")?.nodeNanometres == nil)    // measured at 180 nm
        #expect(tagged.figure("dram.energy_pj_per_bit")?.nodeNanometres == nil)  // off chip
        let warning = try #require(tagged.mixedNodeWarning)
        #expect(warning.contains("(180 nm) mixes nodes") && warning.contains("at 45 nm"))
        // Tags survive a round trip through the file.
        let reread = try TechnologyFile.read(YAMLDocument(text: tagged.render(), file: "t.yaml")).get()
        #expect(reread.mixedNodeWarning == warning)

        let scaled = try base.calibrated(with: [loaded], scaleToNode: true).get()
        #expect(scaled.mixedNodeWarning == nil)
        // Energy × (180/45) × (1.8/0.9)² = ×16; area × (180/45)² = ×16; leakage × 16 × the measured
        // leakage density ratio: the report's 8-bit PE leaks 1 µW on 500 µm², generic-45nm's 6.36056 µW
        // on 636.056 µm², so (1/500) / 0.01 = 0.2, × 3.2 in all.
        #expect(abs(scaled.figure("pe.mac_pj.int4")!.value - 0.285 * 16) < 1e-12)
        #expect(abs(scaled.figure("sram.macros[0].area_um2")!.value - 32393.14 * 16) < 1e-6)
        #expect(abs(scaled.figure("sram.macros[0].leakage_uw")!.value - 323.9314 * 3.2) < 1e-9)
        #expect(scaled.figure("sram.macros[0].leakage_uw")!.derivation!.contains("PE leakage per um2"))
        #expect(scaled.figure("pe.mac_pj.int4")!.derivation!.contains("scaled from generic-45nm"))
        #expect(scaled.figure("control.area_fraction") == base.figure("control.area_fraction"))
        #expect(scaled.figure("dram.energy_pj_per_bit")!.value == base.figure("dram.energy_pj_per_bit")!.value)
    }

    @Test(arguments: [
        ("    int4: {value: 0.285,", "    int4: {value: 0.285, node_nm: -45,", "'node_nm' must be positive"),
        ("    int4: {value: 0.285,", "    int4: {value: 0.285, node_nm: big,", "'node_nm' must be a number"),
        ("    int4: {value: 0.285,", "    int4: {value: 0.285, nodes: 45,", "unknown key 'nodes'"),
    ])
    func badNodeTagsAreDiagnostics(old: String, new: String, message: String) throws {
        let text = BuiltInLibraryText.all[0].text
        #expect(text.contains(old))
        let diagnostics = technologyDiagnostics(text.replacingOccurrences(of: old, with: new))
        #expect(diagnostics.contains { $0.message.contains(message) && ($0.line ?? 0) > 1 }, "\(diagnostics)")
    }

    @Test func badSRAMMacroFieldsInAReportAreDiagnostics() throws {
        let text = """
            version: 1
            design: sram
            clock_period_ns: 5
            sram_macros:
              - {name: m, capacity_bits: 1024, width_bits: 32, read_pj: 1, write_pj: 1, leakage_uw: 0, area_um2: 5,
                 minimum_period_ns: 0, provenance: {read_pj: "x", colour: "y"}}

            """
        guard case .failure(let error) = SynthesisReportFile.read(YAMLDocument(text: text, file: "s.yaml")) else {
            Issue.record("a bad macro was accepted")
            return
        }
        #expect(error.diagnostics.contains { $0.message.contains("'minimum_period_ns' must be positive") && $0.line == 6 })
        #expect(error.diagnostics.contains { $0.message.contains("unknown key 'colour'") && $0.line == 6 })
    }
}
