import ArgumentParser
import Foundation
import SimDITCore
import SimDITFiles

extension CommercialReports.Tool: ExpressibleByArgument {}

/// `simdit import-report`: Design Compiler or Genus reports → a synthesis report for calibration.
struct ImportReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-report",
        abstract: "Convert Design Compiler or Genus report_area, report_power and report_timing text into a synthesis report.",
        discussion: """
            The output is a synthesis report (the calibration schema) with one module, ready for \
            `simdit calibrate --report`. Design Compiler timing is read in ns, Genus timing in ps; \
            power in the units the reports state.
            """
    )

    @Option(name: .long, help: "dc (Synopsys Design Compiler) or genus (Cadence Genus).")
    var tool: CommercialReports.Tool

    @Option(name: .long, help: "report_area output.")
    var area: String

    @Option(name: .long, help: "report_power output.")
    var power: String

    @Option(name: .long, help: "report_timing output.")
    var timing: String

    @Option(name: .long, help: "The module's name.")
    var module: String

    @Option(name: .long, help: "The module's kind: pe, simd_lane, control, array or other.")
    var kind: String

    @Option(name: .long, parsing: .unconditional, help: "Operand precision of a PE, 1 to 64 bits.")
    var precisionBits: Int?

    @Option(name: .long, help: "fixed32 or float32 for a SIMD lane.")
    var lane: String?

    @Option(name: .long, parsing: .unconditional, help: "How many instances the reports cover, 1 to 2^30.")
    var instances: Int = 1

    @Option(name: .long, help: "A PE's report_power with the clock running and operands held (the idle run of Flow/sim/pe_stimulus.v); --power is then the run with a MAC every cycle.")
    var idlePower: String?

    @Option(name: .long, help: "The global switching activity the power was reported at (0 < a ≤ 1), when there is no --idle-power.")
    var activity: Double?

    @Option(name: .long, help: "Process node, nm.")
    var nodeNm: Double?

    @Option(name: .long, help: "Supply voltage, V.")
    var voltage: Double?

    @Option(name: .long, help: "Where to write the synthesis report (whole or not at all).")
    var output: String

    func validate() throws {
        guard SynthesisReport.ModuleKind(rawValue: kind) != nil else {
            throw ValidationError("--kind must be one of \(SynthesisReport.ModuleKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if kind == "pe" && precisionBits == nil { throw ValidationError("a pe module needs --precision-bits") }
        try checkRange("--precision-bits", precisionBits, Limits.dataBits)
        if let lane, lane != "fixed32" && lane != "float32" { throw ValidationError("--lane must be fixed32 or float32") }
        if let activity, !(activity > 0 && activity <= 1) { throw ValidationError("--activity must be in (0, 1]") }
        if idlePower != nil && kind != "pe" { throw ValidationError("--idle-power is for a pe module") }
        if idlePower == nil && activity == nil { throw ValidationError("give --idle-power (a PE's idle run) or --activity") }
        try checkRange("--instances", instances, 1...(1 << 30))
        if let nodeNm, !(nodeNm > 0 && nodeNm <= 1e6) { throw ValidationError("--node-nm must be in (0, 1e6] nm") }
        if let voltage, !(voltage > 0 && voltage <= 100) { throw ValidationError("--voltage must be in (0, 100] V") }
    }

    func run() throws {
        var diagnostics: [Diagnostic] = []
        func read(_ path: String) -> String {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                diagnostics.append(Diagnostic("cannot read report file", file: path))
                return ""
            }
            return text
        }
        let texts = (read(area), read(power), read(timing))
        guard diagnostics.isEmpty else { throw fail(diagnostics) }
        let figures = try resolved(CommercialReports.parse(tool: tool, area: (texts.0, area), power: (texts.1, power),
                                                           timing: (texts.2, timing)))
        var idleWatts: Double?
        if let idlePower {
            let idleText = read(idlePower)
            guard diagnostics.isEmpty else { throw fail(diagnostics) }
            // The idle run's power report, parsed with the same area and timing reports.
            idleWatts = try resolved(CommercialReports.parse(tool: tool, area: (texts.0, area), power: (idleText, idlePower),
                                                             timing: (texts.2, timing))).dynamicWatts
        }
        let text = CommercialReports.synthesisReport(
            figures, design: module, tool: tool, module: module, kind: kind, precisionBits: precisionBits, lane: lane,
            instances: instances, activity: idlePower == nil ? activity : nil, idleDynamicWatts: idleWatts,
            nodeNanometres: nodeNm, voltage: voltage)
        // The written report must read back in the calibration schema.
        if case .failure(let error) = SynthesisReportFile.read(YAMLDocument(text: text, file: output)) { throw fail(error.diagnostics) }
        if let problem = OutputFile.write(text, to: output) { throw fail([problem]) }
        print("wrote \(output): area \(figures.areaSquareMicrometres) um2, dynamic \(figures.dynamicWatts * 1e6) uW, "
              + "leakage \(figures.leakageWatts * 1e6) uW, period \(figures.clockPeriodNanoseconds) ns, slack \(figures.worstSlackNanoseconds) ns")
    }
}
