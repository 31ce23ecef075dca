import ArgumentParser
import Foundation
import SimDITCore
import SimDITFiles

extension Dataflow: ExpressibleByArgument {
    /// The `--dataflow` help of `simulate`, `optimize` and `sweep`'s GeneSys model.
    static let help = "The array's dataflow for convolutions and GEMMs: ws (weight stationary, the published model), "
        + "os (output stationary) or is (input stationary). The DRAM tile order stays the published one; "
        + "MODEL-EXTENSIONS.md §12 gives the mapping."
}

/// `simdit scalesim`: SCALE-Sim v2's inputs in, its per-layer reports out, in closed form.
struct ScaleSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scalesim",
        abstract: "Read a SCALE-Sim v2 configuration and topology; write its compute, bandwidth and access reports.",
        discussion: """
            Writes DIR/COMPUTE_REPORT.csv, DIR/BANDWIDTH_REPORT.csv and DIR/DETAILED_ACCESS_REPORT.csv with \
            SCALE-Sim v2's headers, from closed forms (no traces): total cycles (SCALE-Sim's convention, \
            one less than the cycles counted), mapping efficiency, utilizations, and SRAM and DRAM \
            accesses per operand in words, for its CALC bandwidth mode. Where SCALE-Sim's DRAM count \
            depends on its trace (ifmap reads with overlapping windows that do not fit the SRAM), the \
            column is an estimate; DIR/ESTIMATED_COLUMNS.csv lists those layers and columns. A layer \
            whose name contains DP is depth-wise, one layer per channel, as in SCALE-Sim. README, \
            "SCALE-Sim compatibility", says which column follows which convention.
            """)

    @Option(name: .long, help: "A SCALE-Sim .cfg file.")
    var config: String

    @Option(name: .long, help: "A SCALE-Sim topology CSV (first line a header).")
    var topology: String

    @Flag(name: .long, help: "The topology has GEMM rows 'name, M, N, K' (SCALE-Sim's -i gemm).")
    var gemm = false

    @Option(name: .long, help: "os, ws or is. (default: the configuration's Dataflow)")
    var dataflow: Dataflow?

    @Option(name: .long, help: "The directory for the reports and ESTIMATED_COLUMNS.csv (created if missing).")
    var output: String

    func run() throws {
        func text(_ path: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw fail([Diagnostic("cannot read: no such file", file: path)])
            }
            return String(decoding: data, as: UTF8.self)
        }
        let configuration = try resolved(ScaleSimFiles.readConfig(text: try text(config), file: config))
        let layers = try resolved(ScaleSimFiles.readTopology(text: try text(topology), file: topology, gemm: gemm))
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw fail([Diagnostic("cannot create the output directory", file: output)])
        }
        let reports = ScaleSimFiles.reports(layers, configuration, dataflow: dataflow ?? configuration.dataflow)
        for (name, content) in [("COMPUTE_REPORT.csv", reports.compute), ("BANDWIDTH_REPORT.csv", reports.bandwidth),
                                ("DETAILED_ACCESS_REPORT.csv", reports.detailed), ("ESTIMATED_COLUMNS.csv", reports.estimates)] {
            if let problem = OutputFile.write(content, to: (output as NSString).appendingPathComponent(name)) { throw fail([problem]) }
        }
        let flow = dataflow ?? configuration.dataflow
        print("\(layers.count) layer\(layers.count == 1 ? "" : "s"), \(flow.rawValue), \(configuration.rows)×\(configuration.columns) array: "
              + "wrote \(output)/COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv, DETAILED_ACCESS_REPORT.csv and ESTIMATED_COLUMNS.csv")
        if !reports.estimated.isEmpty {
            let named = reports.estimated.prefix(5).map { "\($0.layer) (\($0.columns.joined(separator: ", ")))" }
            let more = reports.estimated.count > 5 ? "; …" : ""
            warn("estimated DRAM columns in \(reports.estimated.count) of \(layers.count) layers (SCALE-Sim's depend on its "
                 + "trace; README, \"SCALE-Sim compatibility\", gives the error), all listed in "
                 + "\(output)/ESTIMATED_COLUMNS.csv: \(named.joined(separator: "; "))\(more)", severity: "note")
        }
    }
}
