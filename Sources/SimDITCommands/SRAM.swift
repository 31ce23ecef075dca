import ArgumentParser
import Foundation
import SimDITFiles
import SimDITFlow

extension SRAMCharacterization.EnergySource: ExpressibleByArgument {}

/// `simdit sram`: buffer macros from the OpenRAM memory compiler → a synthesis report.
struct SRAM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sram",
        abstract: "Characterize SRAM macros with the OpenRAM memory compiler into a synthesis report's sram_macros.",
        discussion: """
            For each --macro WORDSxBITS: a layout run (the LEF's size is the area), the read and write \
            energy per access from an ngspice characterization (--energy spice: power × minimum \
            period) or from the SPICE-characterized reference data OpenRAM ships (--energy reference), \
            and the leakage of the same shape from that reference data. Never OpenRAM's analytical \
            power model. Writes DIR/<macro>/ (the runs' logs, LEF, Liberty file, rerun.sh) and \
            DIR/report.yaml for `simdit calibrate --report`. Needs Python with the openram package \
            (numpy<2) and, for --energy spice, Debian's ngspice.
            """
    )

    @Option(name: .long, help: "A macro shape, WORDSxBITS (repeatable); it must be in OpenRAM's reference data for the technology.")
    var macro: [String] = []

    @Option(name: .long, help: "Directory for the runs and report.yaml (created if missing).")
    var output: String

    @Option(name: .long, help: "The OpenRAM technology.")
    var tech: String = "scn4m_subm"

    @Option(name: .long, help: "Supply voltage of the characterization, V.")
    var voltage: Double = 5.0

    @Option(name: .long, help: "Process node of the technology, nm (scn4m_subm: the SCN4M_SUBM rules at lambda 0.2 um, a 0.35 um process).")
    var nodeNm: Double = 350

    @Option(name: .long, help: "Where the read and write energies come from: spice (ngspice, slow) or reference (OpenRAM's shipped data).")
    var energy: SRAMCharacterization.EnergySource = .reference

    @Option(name: .long, help: "Python with the openram package (default: .venv/bin/python in the repository, else python3).")
    var python: String?

    @Flag(name: .long, help: "Reuse a macro's earlier OpenRAM run in the output directory (its LEF or Liberty file) instead of running it again.")
    var reuse = false

    func validate() throws {
        guard !macro.isEmpty else { throw ValidationError("give at least one --macro WORDSxBITS") }
        for text in macro where Self.shape(text) == nil {
            throw ValidationError("--macro must be WORDSxBITS with 1 to 1,048,576 words of 1 to 1,024 bits, got '\(text)'")
        }
        guard voltage > 0 && voltage <= 10 else { throw ValidationError("--voltage must be in (0, 10] V") }
        guard nodeNm > 0 && nodeNm <= 1e6 else { throw ValidationError("--node-nm must be in (0, 1e6] nm") }
    }

    static func shape(_ text: String) -> SRAMCharacterization.Shape? {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let words = Int(parts[0]), let width = Int(parts[1]),
              (1...1_048_576).contains(words), (1...1024).contains(width) else { return nil }
        return SRAMCharacterization.Shape(words: words, width: width)
    }

    func run() throws {
        let shapes = macro.compactMap(Self.shape)
        let venv = Flow.repositoryDirectory(".venv", containing: "bin/python")?.appendingPathComponent("bin/python").path
        guard let interpreter = python ?? venv ?? ToolRunner.find(["python3"]) else {
            throw fail([Diagnostic("no Python: give --python", file: "<command line>", keyPath: "--python")])
        }
        guard let package = SRAMCharacterization.openRAMPackage(python: interpreter) else {
            throw fail([Diagnostic("\(interpreter) cannot import openram: pip install openram==1.2.48 'numpy<2' into it, or give "
                                   + "--python", file: "<command line>", keyPath: "--python")])
        }
        if energy == .spice && ToolRunner.find(["ngspice"]) == nil {
            throw fail([Diagnostic("--energy spice needs ngspice: apt-get install ngspice", file: "<command line>")])
        }
        guard let flow = Flow.repositoryDirectory("Flow", containing: "openram/sram_config.py") else {
            throw fail([Diagnostic("cannot find the Flow/ directory: run simdit from the repository, or set SIMDIT_FLOW",
                                   file: "<command line>")])
        }
        var configuration = SRAMCharacterization.Configuration(
            shapes: shapes, output: try outputDirectory(output), flow: flow, python: interpreter, openRAM: package,
            technology: tech, voltage: voltage, nodeNanometres: nodeNm, energy: energy)
        configuration.reuse = reuse
        let macros: [SRAMCharacterization.Macro]
        do {
            macros = try SRAMCharacterization.run(configuration) { print($0) }
        } catch let failure as SRAMCharacterization.Failure {
            throw fail([Diagnostic(failure.message, file: failure.log)])
        }
        let reportPath = URL(fileURLWithPath: output).appendingPathComponent("report.yaml").path
        let text = SRAMCharacterization.report(macros, configuration)
        if case .failure(let error) = SynthesisReportFile.read(YAMLDocument(text: text, file: reportPath)) { throw fail(error.diagnostics) }
        if let problem = OutputFile.write(text, to: reportPath) { throw fail([problem]) }
        print("report: \(reportPath)")
    }
}
