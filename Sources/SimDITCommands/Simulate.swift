import ArgumentParser
import Foundation
import SimDITCore
import SimDITFiles

/// `simdit simulate`: one network on one architecture.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a network on an architecture and report cycles, data movement and ops.",
        discussion: """
            With no options: one ResNet-50 training iteration at batch 32 on genesys-training-08 (64×64 \
            array), summary only. Inference defaults to genesys-inference-08 at batch 1. The table format \
            otherwise prints one row per program entry, then the summary (cycles by op category with \
            shares, the non-convolution share, DRAM traffic, SRAM accesses, ops).
            Examples:
              simdit simulate --mode inference --arch genesys-inference-01 --network resnet18 --batch 4
              simdit simulate --arch genesys-training-05 --optimizer adam --format json --output run.json
              simdit simulate --arch my-arch.yaml --network my-net.yaml --mode training --batch 16
              simdit simulate --mode inference --network mobilenet_v2 --dataflow os
            """
    )

    static let defaultNetwork = "resnet50"

    static func defaultArchitecture(_ mode: ExecutionMode) -> String {
        mode == .training ? "genesys-training-08" : "genesys-inference-08"
    }

    static func defaultBatch(_ mode: ExecutionMode) -> Int { mode == .training ? 32 : 1 }

    @Option(name: .long, help: "A preset name (see 'simdit presets') or an architecture YAML file. (default: genesys-training-08 for training, genesys-inference-08 for inference)")
    var arch: String?

    @Option(name: .long, help: "A built-in network (see 'simdit networks') or a network YAML file. (default: \(defaultNetwork))")
    var network: String?

    @Option(name: .long, help: "training (one iteration: forward, loss, backward, weight update) or inference.")
    var mode: ExecutionMode = .training

    @Option(name: .long, parsing: .unconditional,
            help: "Batch size (samples per run), 1 to 2^53. (default: 32 for training, 1 for inference)")
    var batch: Int?

    @Option(name: .long, help: "Weight-update rule for training: sgd (the published model), momentum or adam.")
    var optimizer: Optimizer = .sgd

    @Option(name: .long, help: "Technology library for energy, power and runtime: a built-in name (generic-45nm) or a technology YAML file.")
    var tech: String = "generic-45nm"

    @Option(name: .long, help: "Model variant: simdit (the published model, quirks included).")
    var variant: ModelVariant = .simdit

    @Flag(name: .long, help: "Keep a convolution's output on chip for the SIMD op that consumes it.")
    var fusion = false

    @Flag(name: .long, help: Workload.restoreBatchNormHelp)
    var restoreBatchNorm = false

    @Option(name: .long, help: ArgumentHelp(Dataflow.help, valueName: "os|ws|is"))
    var dataflow: Dataflow = .weightStationary

    @Option(name: .long, help: "Output format: table, csv, json or html (one self-contained page of charts).")
    var format: ReportFormat = .table

    @Flag(name: .long, help: "Table format: print only the summary, not the per-layer rows.")
    var summary = false

    @Option(name: .long, help: "Write the report to this file (whole or not at all) instead of standard output.")
    var output: String?

    func validate() throws {
        try checkRange("--batch", batch, Limits.batch)
        if mode == .inference && optimizer != .sgd {
            throw ValidationError("--optimizer applies to --mode training only")
        }
    }

    func run() throws {
        let workload = try Workload.load(arch: arch ?? Self.defaultArchitecture(mode), network: network ?? Self.defaultNetwork,
                                         mode: mode, optimizer: optimizer, variant: variant, restoreBatchNorm: restoreBatchNorm)
        let options = SimulationOptions(variant: variant, mode: mode, batch: batch ?? Self.defaultBatch(mode),
                                        fusion: fusion, optimizer: optimizer, dataflow: dataflow)
        let result = try workload.simulate(options)
        let loadedArchitecture = workload.architecture
        let widths = loadedArchitecture.architecture
        var warnings: [String] = []
        if mode == .training, min(widths.activationBits, widths.weightBits) < 8 {
            warnings.append("training on '\(widths.name)' with \(widths.activationBits)-bit activations and \(widths.weightBits)-bit "
                            + "weights: the published training design points (genesys-training-NN) use 16 bits; the results "
                            + "are the model's at these widths")
        }
        if mode == .training { warnings += workload.trainingWarnings }
        // In the report (table, JSON, HTML), and on standard error as well when the report is not
        // what the terminal shows (CSV has no place for them; a file is read later).
        if format == .csv || output != nil { warnings.forEach { warn($0) } }
        let technology = try resolved(InputResolver.technology(tech))
        warnIfMixedNodes(technology)
        let energy: EnergyReport
        do {
            energy = try EnergyModel(architecture: loadedArchitecture.architecture, library: technology.library, mode: mode)
                .report(result)
        } catch {
            throw fail([technology.diagnostic(error.description, keyPath: error.keyPath)])
        }
        let report = SimulationReport(result: result, architecture: loadedArchitecture.architecture, energy: energy,
                                      warnings: warnings)
        // The bare default run prints its summary; naming a network or architecture adds the rows.
        let text = report.render(format, summaryOnly: summary || (arch == nil && network == nil))
        if let output {
            if let problem = OutputFile.write(text, to: output) { throw fail([problem]) }
        } else {
            print(text, terminator: "")
        }
    }
}
