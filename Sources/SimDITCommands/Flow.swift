import ArgumentParser
import Foundation
import SimDITCore
import SimDITFiles

/// `simdit flow`: RTL → synthesis → timing and power → report → calibrated library → energy.
struct Flow: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the backend loop: RTL, Yosys synthesis, OpenSTA timing and power, calibration, energy report.",
        discussion: """
            Writes DIR/rtl (the header), DIR/pe, DIR/array and DIR/lane (Yosys script and log, netlist, \
            OpenSTA script and log, parsed result.json), DIR/report.yaml (the synthesis report), \
            DIR/calibrated.yaml (the calibrated library) and DIR/energy.txt (the network's energy with \
            it). Needs yosys, OpenSTA (sta) and a Liberty library (default: Debian's qflow-tech-osu018).
            """
    )

    @Option(name: .long, help: "A preset name or an architecture YAML file.")
    var arch: String

    @Option(name: .long, help: "Directory for every stage's files (created if missing).")
    var output: String

    @Option(name: .long, help: "The Liberty library to map to.")
    var liberty: String = SynthesisFlow.defaultLiberty

    @Option(name: .long, help: "Process node of the Liberty library, nm.")
    var nodeNm: Double = 180

    @Option(name: .long, help: "Clock period constraint for timing and power, ns.")
    var clockPeriodNs: Double = 10

    @Option(name: .long, help: "Switching activity of the power analysis: a number in (0, 1], or 'utilization' for the array's MAC utilization on --network.")
    var activity: String = "0.1"

    @Option(name: .long, help: "Base technology library for the figures synthesis does not give (SRAM, DRAM, float lanes).")
    var tech: String = "generic-45nm"

    @Option(name: .long, help: "Network for the final energy report.")
    var network: String = "resnet50"

    @Option(name: .long, help: "inference or training, for the energy report.")
    var mode: ExecutionMode = .inference

    func validate() throws {
        if activity != "utilization" {
            guard let value = Double(activity), value > 0 && value <= 1 else {
                throw ValidationError("--activity must be a number in (0, 1] or 'utilization', got \(activity)")
            }
        }
        guard clockPeriodNs > 0 else { throw ValidationError("--clock-period-ns must be positive") }
    }

    func run() throws {
        let workload = try Workload.load(arch: arch, network: network, mode: mode)
        let loaded = workload.architecture, program = workload.program
        guard let yosys = SynthesisFlow.findTool(["yosys"]), let sta = SynthesisFlow.findTool(["sta", "opensta"]) else {
            throw fail([Diagnostic("yosys and OpenSTA (sta) must be installed: apt-get install yosys opensta", file: "<command line>")])
        }
        guard FileManager.default.fileExists(atPath: liberty) else {
            throw fail([Diagnostic("no Liberty library at \(liberty): apt-get install qflow-tech-osu018, or give --liberty",
                                   file: "<command line>", keyPath: "--liberty")])
        }
        guard let templates = Self.templatesDirectory() else {
            throw fail([Diagnostic("cannot find the Templates/ directory: run simdit from the repository, or set SIMDIT_TEMPLATES",
                                   file: "<command line>")])
        }
        let directory = URL(fileURLWithPath: output)
        let result = try workload.simulate(SimulationOptions(mode: mode, batch: mode == .training ? 32 : 1))
        // The array's utilization: MACs over the PE-cycles of the array's busy time.
        let a = loaded.architecture
        let utilization = result.total.macs / (result.total.systolicCycles * Double(a.arrayRows * a.arrayColumns))
        if activity == "utilization" && !(utilization.isFinite && utilization > 0) {
            throw fail([Diagnostic("\(program.name) keeps the array idle: give --activity a number", file: "<command line>",
                                   keyPath: "--activity")])
        }
        let switching = activity == "utilization" ? min(1, utilization) : Double(activity) ?? 0.1
        if activity == "utilization" { print("activity: \(Format.decimal(switching, places: 4)) (array MAC utilization on \(program.name))") }
        let configuration = SynthesisFlow.Configuration(
            architecture: loaded.architecture, output: directory, templates: templates, liberty: liberty, yosys: yosys, sta: sta,
            clockPeriodNanoseconds: clockPeriodNs, switchingActivity: switching, nodeNanometres: nodeNm)
        let report: String
        do {
            report = try SynthesisFlow.run(configuration) { print($0) }.report
        } catch let failure as SynthesisFlow.Failure {
            throw fail([Diagnostic(failure.description, file: failure.log)])
        }
        let reportPath = directory.appendingPathComponent("report.yaml").path
        if let problem = OutputFile.write(report, to: reportPath) { throw fail([problem]) }
        print("report: \(reportPath)")

        let base = try resolved(InputResolver.technology(tech))
        let parsed = try resolved(SynthesisReportFile.read(YAMLDocument(text: report, file: reportPath)))
        let calibrated = try resolved(base.calibrated(with: [parsed], name: "\(loaded.architecture.name)-calibrated"))
        let libraryPath = directory.appendingPathComponent("calibrated.yaml").path
        if let problem = OutputFile.write(calibrated.render(), to: libraryPath) { throw fail([problem]) }
        print("calibrated library: \(libraryPath)")

        let energy: EnergyReport
        do {
            energy = try EnergyModel(architecture: loaded.architecture, library: calibrated.library, mode: mode).report(result)
        } catch {
            throw fail([Diagnostic(error.description, file: libraryPath)])
        }
        let summary = SimulationReport(result: result, architecture: loaded.architecture, energy: energy).summary()
        let energyPath = directory.appendingPathComponent("energy.txt").path
        if let problem = OutputFile.write(summary, to: energyPath) { throw fail([problem]) }
        print("energy report: \(energyPath)\n")
        print(summary, terminator: "")
    }

    /// `SIMDIT_TEMPLATES`, else `Templates/` in the current directory or above the executable.
    static func templatesDirectory() -> URL? {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["SIMDIT_TEMPLATES"] { candidates.append(URL(fileURLWithPath: explicit)) }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Templates"))
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory.appendingPathComponent("Templates"))
            directory = directory.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("simdit_pe.v").path) }
    }
}
