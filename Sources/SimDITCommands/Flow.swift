import ArgumentParser
import Foundation
import SimDITCore
import SimDITFiles
import SimDITFlow

/// `simdit flow`: RTL → synthesis → gate-level simulation → timing and power → report → calibrated
/// library → energy.
struct Flow: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the backend loop: RTL, Yosys synthesis, gate-level activity, OpenSTA timing and power, calibration, energy report.",
        discussion: """
            Runs the scripts in Flow/ as Flow/plan.yaml says. Writes DIR/rtl (the header); per module \
            (DIR/pe, DIR/array, DIR/lane) the scripts, the netlist, each stimulus run's simulation log, \
            value-change summary and OpenSTA activity commands, the OpenSTA logs, rerun.sh and a parsed \
            result.json; then DIR/report.yaml (the synthesis report), DIR/calibrated.yaml (the calibrated \
            library) and DIR/energy.txt (the network's energy with it). Needs yosys, OpenSTA (sta), Icarus \
            Verilog and a Liberty library with its Verilog cell models (default: Debian's qflow-tech-osu018). \
            The scripts come from the checkout's Templates/ and Flow/ directories, found in the current \
            directory or beside the simdit executable; run elsewhere, set SIMDIT_TEMPLATES and SIMDIT_FLOW \
            to them.
            """
    )

    @Option(name: .long, help: "A preset name or an architecture YAML file.")
    var arch: String

    @Option(name: .long, help: "Directory for every stage's files (created if missing).")
    var output: String

    @Option(name: .long, help: "The Liberty library to map to.")
    var liberty: String = SynthesisFlow.defaultLiberty

    @Option(name: .long, help: "The library's Verilog cell models for gate-level simulation (default: the *_stdcells.v beside the Liberty file).")
    var cellModels: String?

    @Option(name: .long, help: "Process node of the Liberty library, nm.")
    var nodeNm: Double = 180

    @Option(name: .long, help: "Clock period of timing, simulation and power, ns.")
    var clockPeriodNs: Double = 10

    @Option(name: .long, parsing: .unconditional, help: "Share of zero operands in the stimulus, percent (0-100).")
    var zeroPercent: Int = 0

    @Option(name: .long, help: "The characterization plan (default: Flow/plan.yaml).")
    var plan: String?

    @Option(name: .long, help: "A module to place and route with qflow (repeatable): pe or lane. Its area is then the layout's, its timing and power those of the routed netlist with its wires' capacitance.")
    var placeRoute: [String] = []

    @Option(name: .long, help: "Base technology library for the figures synthesis does not give (SRAM, DRAM, float lanes).")
    var tech: String = "generic-45nm"

    @Option(name: .long, help: "A synthesis report of SRAM macros at the same node (from simdit sram, e.g. TechLib/osu035-sram/report.yaml) to calibrate with.")
    var sramReport: String?

    @Flag(name: .long, help: "Scale the base figures no report gives to the reports' node and voltage (see simdit calibrate) instead of tagging them with their own node.")
    var scaleToNode = false

    @Option(name: .long, help: "Network for the final energy report.")
    var network: String = "resnet50"

    @Option(name: .long, help: "inference or training, for the energy report.")
    var mode: ExecutionMode = .inference

    func validate() throws {
        guard clockPeriodNs > 0 && clockPeriodNs.isFinite && clockPeriodNs <= 1e6 else {
            throw ValidationError("--clock-period-ns must be a positive number of ns (at most 1e6)")
        }
        guard (0...100).contains(zeroPercent) else { throw ValidationError("--zero-percent must be from 0 to 100") }
        guard nodeNm > 0 && nodeNm <= 1e6 else { throw ValidationError("--node-nm must be in (0, 1e6] nm") }
    }

    func run() throws {
        let workload = try Workload.load(arch: arch, network: network, mode: mode)
        if mode == .training { workload.trainingWarnings.forEach { warn($0) } }
        let loaded = workload.architecture
        let tools: SynthesisFlow.Tools
        switch SynthesisFlow.Tools.find() {
        case .success(let found): tools = found
        case .failure(let missing):
            throw fail([Diagnostic("\(missing.packages.joined(separator: ", ")) must be installed: apt-get install "
                                   + missing.packages.joined(separator: " "), file: "<command line>")])
        }
        guard FileManager.default.fileExists(atPath: liberty) else {
            throw fail([Diagnostic("no Liberty library at \(liberty): apt-get install qflow-tech-osu018, or give --liberty",
                                   file: "<command line>", keyPath: "--liberty")])
        }
        guard let models = cellModels ?? SynthesisFlow.cellModels(besides: liberty),
              FileManager.default.fileExists(atPath: models) else {
            throw fail([Diagnostic("no Verilog cell models \(cellModels.map { "at \($0)" } ?? "beside \(liberty)"): give --cell-models",
                                   file: "<command line>", keyPath: "--cell-models")])
        }
        guard let templates = Self.repositoryDirectory("Templates", containing: "simdit_pe.v"),
              let flow = Self.repositoryDirectory("Flow", containing: "plan.yaml") else {
            throw fail([Diagnostic("cannot find the repository's Templates/ and Flow/ directories (looked in the current "
                                   + "directory and beside the simdit executable)", file: "<command line>",
                                   notes: ["set SIMDIT_TEMPLATES and SIMDIT_FLOW to those directories of a simdit checkout"])])
        }
        // qflow's technology: the directory of its Liberty file (/usr/share/qflow/tech/osu018/…).
        let qflowTechnology = URL(fileURLWithPath: liberty).deletingLastPathComponent().lastPathComponent
        if !placeRoute.isEmpty {
            guard tools.qflow != nil else {
                throw fail([Diagnostic("--place-route needs qflow: apt-get install qflow", file: "<command line>")])
            }
            guard FileManager.default.fileExists(atPath: "/usr/share/qflow/tech/\(qflowTechnology)") else {
                throw fail([Diagnostic("--place-route needs a qflow technology; \(liberty) is not in /usr/share/qflow/tech/NAME/",
                                       file: "<command line>", keyPath: "--liberty")])
            }
        }
        let planPath = plan ?? flow.appendingPathComponent("plan.yaml").path
        let characterizationPlan = try resolved(CharacterizationPlan.read(YAMLDocument.load(path: planPath)))
        let routable = characterizationPlan.modules.filter { $0.kind != .array }.map(\.name)
        for name in placeRoute where !routable.contains(name) {
            throw fail([Diagnostic("--place-route takes a PE or SIMD-lane module of the plan (\(routable.joined(separator: ", "))), got '\(name)'",
                                   file: "<command line>", keyPath: "--place-route")])
        }
        let directory = try outputDirectory(output)
        // The SRAM report and the base library are read before the long runs.
        let sram = try sramReport.map { try resolved(SynthesisReportFile.read(YAMLDocument.load(path: $0))) }
        let base = try resolved(InputResolver.technology(tech))
        let result = try workload.simulate(SimulationOptions(mode: mode, batch: mode == .training ? 32 : 1))
        var configuration = SynthesisFlow.Configuration(
            architecture: loaded.architecture, output: directory, flow: flow, templates: templates, plan: characterizationPlan,
            liberty: liberty, cellModels: models, tools: tools, clockPeriodNanoseconds: clockPeriodNs, zeroPercent: zeroPercent,
            nodeNanometres: nodeNm)
        configuration.placeRoute = Set(placeRoute)
        configuration.qflowTechnology = qflowTechnology
        let report: String
        do {
            report = try SynthesisFlow.run(configuration) { print($0) }.report
        } catch let failure as SynthesisFlow.Failure {
            throw fail([Diagnostic(failure.description, file: failure.log)])
        }
        let reportPath = directory.appendingPathComponent("report.yaml").path
        if let problem = OutputFile.write(report, to: reportPath) { throw fail([problem]) }
        print("report: \(reportPath)")

        var reports = [try resolved(SynthesisReportFile.read(YAMLDocument(text: report, file: reportPath)))]
        if let sram { reports.append(sram) }
        let calibrated = try resolved(base.calibrated(with: reports, name: "\(loaded.architecture.name)-calibrated",
                                                      scaleToNode: scaleToNode))
        let libraryPath = directory.appendingPathComponent("calibrated.yaml").path
        if let problem = OutputFile.write(calibrated.render(), to: libraryPath) { throw fail([problem]) }
        print("calibrated library: \(libraryPath)")
        warnIfMixedNodes(calibrated)

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

    /// `SIMDIT_<NAME>` (upper-cased), else `name/` in the current directory or above the executable,
    /// the first that holds `file`.
    static func repositoryDirectory(_ name: String, containing file: String) -> URL? {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["SIMDIT_\(name.uppercased())"] {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(name))
        // The executable's own place (found through /proc on Linux when run from PATH), then its parents:
        // .build/<triple>/<configuration>/simdit lives four levels below the repository.
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let invoked = FileManager.default.fileExists(atPath: executable.path)
            ? executable : URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = invoked.deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent(name))
            directory = directory.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent(file).path) }
    }
}
