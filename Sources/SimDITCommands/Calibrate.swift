import ArgumentParser
import SimDITCore
import SimDITFiles

/// `simdit calibrate`: a technology library recalibrated from synthesis reports.
struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Derive a calibrated technology library from synthesis and implementation reports.",
        discussion: """
            Per-action energies (a PE's MAC energy = dynamic power / (clock × MACs per cycle × \
            activity)), leakage and area per instance, the achievable clock (period − worst slack; the \
            slowest report wins) and SRAM macros come from the reports; every other figure stays the \
            base library's. Each value records the report, field and derivation it came from. The \
            report schema is documented in the README ('Calibration').
            """
    )

    @Option(name: .long, help: "The base library: a built-in name (generic-45nm) or a technology YAML file.")
    var tech: String = "generic-45nm"

    @Option(name: .long, help: "A synthesis report YAML file (repeatable).")
    var report: [String] = []

    @Option(name: .long, help: "Where to write the calibrated library (whole or not at all).")
    var output: String

    @Option(name: .long, help: "Name of the calibrated library. (default: the base name + '-calibrated')")
    var name: String?

    @Flag(name: .long, help: "Scale the base figures the reports do not replace to the reports' node and voltage (energy by C·V², area by length², leakage by area × V) instead of keeping them tagged with their own node.")
    var scaleToNode = false

    func validate() throws {
        guard !report.isEmpty else { throw ValidationError("give at least one --report") }
    }

    func run() throws {
        let base = try resolved(InputResolver.technology(tech))
        var loaded: [SynthesisReportFile.Loaded] = []
        var diagnostics: [Diagnostic] = []
        for path in report {
            switch SynthesisReportFile.read(YAMLDocument.load(path: path)) {
            case .success(let file): loaded.append(file)
            case .failure(let error): diagnostics += error.diagnostics
            }
        }
        guard diagnostics.isEmpty else { throw fail(diagnostics) }
        let calibrated = try resolved(base.calibrated(with: loaded, name: name, scaleToNode: scaleToNode))
        let text = calibrated.render()
        // The written library must read back; refuse to write one that does not.
        if case .failure(let error) = TechnologyFile.read(YAMLDocument(text: text, file: output)) {
            throw fail(error.diagnostics)
        }
        if let problem = OutputFile.write(text, to: output) { throw fail([problem]) }
        let derived = calibrated.figures.filter { $0.figure.source?.hasPrefix("report") == true }.count
        print("wrote \(output): \(calibrated.name), \(derived) figures from \(loaded.count) report(s), "
              + "clock \(Format.grouped(calibrated.library.clockHz / 1e6)) MHz")
        warnIfMixedNodes(calibrated)
    }
}
