import ArgumentParser
import Foundation
import SimDITCore
import SimDITFiles

/// `simdit optimize`: the best split of the DRAM bandwidth and the SRAM among the buffers.
struct Optimize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the split of DRAM bandwidth and SRAM among the buffers that minimises cycles, energy or EDP.",
        discussion: """
            Splits the bandwidth budget among the IBUF, PARAM, OBUF and SIMD ports and the SRAM budget \
            among IBUF, WBUF, OBUF (both halves), BBUF and VMEM (both scratchpads), in whole granules \
            that are whole banks and words, above each buffer's minimum for the network. Small spaces \
            are enumerated; larger ones are searched by steepest descent from several starts on two \
            threads. Compares the best split with the base architecture, the equal split and the worst \
            split seen. Each budget is at most 4,096 granules (a finer granularity is refused with the \
            coarsest one to give), so the search's time and memory are bounded whatever the budgets: \
            its memory is the evaluated splits it keeps, a few MB. Progress goes to standard error \
            after a second when it is a terminal.
            """
    )

    @Option(name: .long, help: "The base architecture: a preset name or an architecture YAML file.")
    var arch: String = "genesys-inference-08"

    @Option(name: .long, help: "A built-in network or a network YAML file.")
    var network: String = "resnet50"

    @Option(name: .long, help: "inference or training.")
    var mode: ExecutionMode = .inference

    @Option(name: .long, parsing: .unconditional, help: "Batch size, 1 to 2^53. (default: 1 for inference, 32 for training)")
    var batch: Int?

    @Option(name: .long, help: "Weight-update rule for training.")
    var optimizer: Optimizer = .sgd

    @Flag(name: .long, help: "Use the published fusion option.")
    var fusion = false

    @Flag(name: .long, help: Workload.restoreBatchNormHelp)
    var restoreBatchNorm = false

    @Option(name: .long, help: "Total DRAM bandwidth of the four ports, bits per cycle. (default: the base architecture's)")
    var bandwidthBudget: Int?

    @Option(name: .long, help: "Total SRAM of the five buffers, KiB (OBUF and VMEM counted twice). (default: the base architecture's)")
    var sramBudgetKib: Int?

    @Option(name: .long, help: "SRAM granularity, KiB. (default: the largest power of two giving at least 64 granules)")
    var sramGranularityKib: Int?

    @Option(name: .long, help: "Bandwidth granularity, bits per cycle. (default: the largest power of two giving at least 32 granules)")
    var bandwidthGranularity: Int?

    @Option(name: .long, help: "What to minimise: cycles, energy or edp.")
    var objective: AllocationObjective = .cycles

    @Option(name: .long, help: "Technology library for the energy and EDP objectives.")
    var tech: String = "generic-45nm"

    @Option(name: .long, help: "Output format: table, json or html (one self-contained page of charts).")
    var format: OptimizeFormat = .table

    @Option(name: .long, help: ArgumentHelp(Dataflow.help, valueName: "os|ws|is"))
    var dataflow: Dataflow = .weightStationary

    @Option(name: .long, help: "Write the best architecture as an architecture YAML file.")
    var emitArch: String?

    @Option(name: .long, help: "Write the best architecture's Verilog header into this directory (ports restricted to AXI widths).")
    var emitRtl: String?

    func validate() throws {
        if mode == .inference && optimizer != .sgd { throw ValidationError("--optimizer applies to --mode training only") }
        try checkRange("--batch", batch, Limits.batch)
        try checkRange("--bandwidth-budget", bandwidthBudget, Self.bandwidthRange, unit: "bits per cycle")
        try checkRange("--bandwidth-granularity", bandwidthGranularity, Self.bandwidthRange, unit: "bits per cycle")
        try checkRange("--sram-budget-kib", sramBudgetKib, Self.sramRangeKiB, unit: "KiB")
        try checkRange("--sram-granularity-kib", sramGranularityKib, Self.sramRangeKiB, unit: "KiB")
    }

    func run() throws {
        let started = ContinuousClock.now
        let workload = try Workload.load(arch: arch, network: network, mode: mode, optimizer: optimizer,
                                         restoreBatchNorm: restoreBatchNorm)
        if mode == .training { workload.trainingWarnings.forEach { warn($0) } }
        let base = workload.architecture, program = workload.program
        let options = SimulationOptions(mode: mode, batch: batch ?? (mode == .training ? 32 : 1), fusion: fusion,
                                        optimizer: optimizer, dataflow: dataflow)
        let technology = objective == .cycles ? nil : try resolved(InputResolver.technology(tech))
        let library = technology?.library
        let architecture = base.architecture
        if let technology, let library {
            do {
                _ = try EnergyModel(architecture: architecture, library: library, mode: mode)
            } catch {
                throw fail([technology.diagnostic(error.description, keyPath: error.keyPath)])
            }
        }
        let sramBudget = sramBudgetKib.map { $0 * 8192 } ?? ResourceSpace.sramBits(architecture)
        let bandwidth = bandwidthBudget ?? ResourceSpace.bandwidthBits(architecture)
        let sramGranule = sramGranularityKib.map { $0 * 8192 } ?? Self.defaultGranule(sramBudget, unit: 8192, parts: 64)
        let portGranule = bandwidthGranularity ?? Self.defaultGranule(bandwidth, unit: 8, parts: 32)
        let space: ResourceSpace
        do {
            space = try ResourceSpace(
                base: architecture, sramBudgetBits: sramBudget, sramGranuleBits: sramGranule, bandwidthBudget: bandwidth,
                portGranuleBits: portGranule, minimumBits: ResourceSpace.minimumBits(for: program, on: architecture),
                axiPorts: emitRtl != nil)
        } catch {
            // A budget the options did not give is the architecture's: its problems are the file's.
            throw fail(error.problems.map { problem in
                let sram = problem.concernsSRAM
                if base.file != nil, (sram && sramBudgetKib == nil && sramGranularityKib == nil)
                    || (!sram && bandwidthBudget == nil && bandwidthGranularity == nil) {
                    let key = sram ? "buffers.ibuf_capacity_bits" : "dram_bandwidth.ibuf_bits_per_cycle"
                    return base.diagnostic("\(problem) (the architecture's total \(sram ? "SRAM" : "bandwidth"))", keyPath: key,
                                           notes: Self.notes(for: problem))
                }
                return Diagnostic("\(problem)", file: "<command line>", notes: Self.notes(for: problem))
            })
        }
        let size = AllocationSearch.spaceSize(space)
        var standardError = FileHandle.standardError
        let searchStarted = ContinuousClock.now
        let progress = ProgressLine(started: searchStarted)
        _ = size
        guard let found = AllocationSearch.run(space: space, program: program, options: options, objective: objective,
                                               library: library, progress: progress.report) else {
            throw fail([Diagnostic("no valid split simulates: every candidate leaves some op without a tile", file: "<command line>")])
        }
        if progress.printed { print("", to: &standardError) }

        func simulate(_ a: Architecture) throws -> NetworkResult { try workload.simulate(on: a, options) }
        var best = space.architecture(found.best)
        best.name = architecture.name + "-optimized"
        let baseline = try simulate(architecture)
        let bestResult = try simulate(best)
        let worstResult = try simulate(space.architecture(found.worst))
        let equal = try space.equalSplit.map { try simulate(space.architecture($0)) }
        if objective == .cycles, abs(found.bestCost - bestResult.total.cycles) > 1e-6 * bestResult.total.cycles {
            print("warning: the search's evaluation (\(found.bestCost) cycles) disagrees with the simulator "
                  + "(\(bestResult.total.cycles)); the reported cycles are the simulator's", to: &standardError)
        }
        let seconds = (ContinuousClock.now - started).seconds

        // Everything that can fail comes before anything is written.
        var header: String?
        if emitRtl != nil {
            switch RTLParameters.derive(best) {
            case .success(let parameters): header = RTLHeader.render(parameters, origin: "simdit optimize")
            case .failure(let error):
                throw fail(error.issues.map { Diagnostic("best split: \($0.message)", file: "<command line>", keyPath: $0.keyPath) })
            }
        }
        if let emitArch {
            let text = ArchitectureFile.render(best, description: "\(objective.rawValue)-optimal split of \(architecture.name)'s "
                + "budgets for \(program.name) \(mode.rawValue) at batch \(options.batch) (simdit optimize)")
            if let problem = OutputFile.write(text, to: emitArch) { throw fail([problem]) }
        }
        if let emitRtl, let header {
            do {
                try FileManager.default.createDirectory(atPath: emitRtl, withIntermediateDirectories: true)
            } catch {
                throw fail([Diagnostic("cannot create directory: \(error.localizedDescription)", file: emitRtl)])
            }
            let path = (emitRtl as NSString).appendingPathComponent(RTLHeader.fileName)
            if let problem = OutputFile.write(header, to: path) { throw fail([problem]) }
        }
        let report = OptimizationReport(
            base: architecture, best: best, objective: objective, space: space, found: found, baseline: baseline,
            equal: equal, best: bestResult, worst: worstResult, evaluated: found.evaluated, seconds: seconds,
            spaceSize: size, program: program.name, options: options)
        switch format {
        case .table: print(report.table(), terminator: "")
        case .json: print(report.json().text())
        case .html: print(report.html(), terminator: "")
        }
    }

    /// The largest power-of-two multiple of `unit` dividing `budget` into at least `parts` granules.
    /// The budgets' ranges: four ports of up to 2^20 bits per cycle; up to 1 TiB of SRAM.
    static let bandwidthRange: ClosedRange<Int> = 1...(4 << 20)
    static let sramRangeKiB: ClosedRange<Int> = 1...(1 << 30)

    static func defaultGranule(_ budget: Int, unit: Int, parts: Int) -> Int {
        var granule = unit
        while budget % (2 * granule) == 0 && budget / (2 * granule) >= parts { granule *= 2 }
        return granule
    }

    static func notes(for problem: ResourceSpace.Problem) -> [String] {
        switch problem {
        case .notMultiple: ["set --sram-granularity-kib / --bandwidth-granularity to a divisor of the budget, or change the budget"]
        case .granuleNotBanked: ["use a whole number of bytes"]
        case .tooSmall: ["each buffer needs its minimum for the network's tiles, and each port at least one granule"]
        case .tooFine: ["the granularity must also divide the budget; the search's time and memory grow with the granules"]
        }
    }
}


/// Prints the search's progress on standard error once it has run for more than a second.
final class ProgressLine: @unchecked Sendable {
    let started: ContinuousClock.Instant
    private let lock = NSLock()
    private var steps = 0
    private(set) var printed = false

    /// Only a terminal gets the progress line (a log or a pipe gets nothing).
    private let enabled = isatty(2) == 1

    init(started: ContinuousClock.Instant) { self.started = started }

    /// Called by the search workers with the work done since their last call (descent steps, or
    /// batches of enumerated configurations).
    func report(_ work: Int) {
        lock.lock()
        defer { lock.unlock() }
        steps += work
        guard enabled, ContinuousClock.now - started > .seconds(1) else { return }
        var standardError = FileHandle.standardError
        print("\rsearching: \(steps) steps, \(Format.grouped((ContinuousClock.now - started).seconds)) s", terminator: "",
              to: &standardError)
        printed = true
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
