/// Which performance model to evaluate. A variant is a value passed to the simulator, not a fork
/// of the code: the refined model will add a case and branch only where it differs.
public enum ModelVariant: String, Sendable, Hashable, CaseIterable {
    /// The published SimDIT model, reproduced exactly, quirks included (GENESYS-MODEL.md).
    case simdit
}

/// How to run a program.
public struct SimulationOptions: Sendable, Hashable {
    public var variant: ModelVariant
    public var mode: ExecutionMode
    /// The run's batch size `B` (rule R2).
    public var batch: Int
    /// Keep a convolution's output on chip for the SIMD op that consumes it (§4.6).
    public var fusion: Bool
    /// The weight-update rule the training program was derived with (reported; the program
    /// carries it in its update ops).
    public var optimizer: Optimizer
    /// The systolic array's dataflow for convolutions and GEMMs: weight stationary is the
    /// published model; output and input stationary are MODEL-EXTENSIONS.md §12.
    public var dataflow: Dataflow

    public init(variant: ModelVariant = .simdit, mode: ExecutionMode = .inference, batch: Int = 1, fusion: Bool = false,
                optimizer: Optimizer = .sgd, dataflow: Dataflow = .weightStationary) {
        self.variant = variant
        self.mode = mode
        self.batch = batch
        self.fusion = fusion
        self.optimizer = optimizer
        self.dataflow = dataflow
    }
}

/// Why a program cannot be simulated on an architecture.
public enum SimulationIssue: Sendable, Hashable, CustomStringConvertible {
    /// A buffer below the minimum a tiler needs; `layer` is the first op that needs it.
    case capacity(CapacityViolation, layer: String)
    /// No tile fits for this op (the buffers are too small for it).
    case noTile(layer: String, operation: String)
    /// The fusion rules (each op's `fusion` role) do not cover this producer → consumer pair.
    case unsupportedFusion(layer: String, producer: String, consumer: String)
    case invalidBatch(Int)

    public var description: String {
        switch self {
        case .capacity(let violation, let layer):
            "\(violation) — needed by '\(layer)'"
        case .noTile(let layer, let operation):
            "no tile of '\(layer)' (\(operation)) fits in the buffers; enlarge them"
        case .unsupportedFusion(let layer, let producer, let consumer):
            "fusion of \(producer) → \(consumer) at '\(layer)' is not modelled (the published model fuses a "
                + "convolution into relu, elem_add, mean_var or sgd4d, and a GEMM into sgd2d; element-wise "
                + "activations and broadcast ops also take a convolution's output); run without --fusion"
        case .invalidBatch(let batch):
            "batch size \(batch) is not positive"
        }
    }
}

/// The simulation failed; every issue found is listed.
public struct SimulationError: Error, Sendable, CustomStringConvertible {
    public var issues: [SimulationIssue]
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Runs a program on an architecture: per-op tiling and cost models, summed in program order.
/// Ops run strictly serially, with no overlap between ops or between the array and the SIMD unit.
public enum Simulator {
    public static func run(
        _ program: Program, on architecture: Architecture, options: SimulationOptions = .init()
    ) throws(SimulationError) -> NetworkResult {
        guard options.batch > 0 else { throw SimulationError(issues: [.invalidBatch(options.batch)]) }
        let hw = DerivedHardware(architecture, mode: options.mode)
        let entries = program.entries
        var issues = capacityIssues(entries, architecture)
        let fusedFlags: [Bool]
        if options.fusion {
            let (flags, fusionIssues) = FusionRules.fusedOps(entries)
            fusedFlags = flags
            issues += fusionIssues
        } else {
            fusedFlags = [Bool](repeating: false, count: entries.count)
        }
        guard issues.isEmpty else { throw SimulationError(issues: issues) }

        var layers: [LayerResult] = []
        layers.reserveCapacity(entries.count)
        var total = Counts()
        let units = entries.map(\.operation.unit)
        var context = EvaluationContext(batch: Double(options.batch), outputBits: 0, fused: false, hw: hw,
                                        mapping: options.dataflow.mapping)
        for index in entries.indices {
            let operation = entries[index].operation
            let unit = units[index]
            // R3: a SIMD op writes at the activation width when the very next entry is on the array.
            let nextIsSystolic = index + 1 < entries.count && units[index + 1] == .systolic
            let outputBits = unit == .simd && nextIsSystolic ? architecture.activationBits : architecture.accumulatorBits
            context.outputBits = Double(outputBits)
            context.fused = fusedFlags[index]
            let traits = operation.traits
            guard let evaluation = operation.evaluate(context) else {
                issues.append(.noTile(layer: entries[index].name, operation: traits.name))
                continue
            }
            total = total + evaluation.counts   // an assignment, as in AllocationSearch (a 6.3 optimizer issue with +=)
            layers.append(LayerResult(
                index: index, name: entries[index].name, operation: traits.name, unit: unit,
                category: traits.category, tile: evaluation.tile, fused: fusedFlags[index],
                outputBits: outputBits, counts: evaluation.counts))
        }
        guard issues.isEmpty else { throw SimulationError(issues: issues) }
        return NetworkResult(programName: program.name, architectureName: architecture.name, options: options,
                             layers: layers, total: total,
                             arrayProcessingElements: architecture.arrayRows * architecture.arrayColumns)
    }

    /// The buffer minimums of the tilers this program uses (§3.1, §3.2), each reported once with
    /// the first op that needs it.
    static func capacityIssues(_ entries: [ProgramEntry], _ architecture: Architecture) -> [SimulationIssue] {
        var issues: [SimulationIssue] = []
        var checkedSystolic = false
        var checkedTilers: [SIMDTilerKind] = []
        for index in entries.indices {
            let operation = entries[index].operation
            switch operation.unit {
            case .systolic where !checkedSystolic:
                checkedSystolic = true
                issues += architecture.systolicCapacityViolations.map { .capacity($0, layer: entries[index].name) }
            case .simd:
                guard let kind = operation.simdTiler, !checkedTilers.contains(kind) else { continue }
                checkedTilers.append(kind)
                if let violation = architecture.vectorMemoryViolation(for: kind) {
                    issues.append(.capacity(violation, layer: entries[index].name))
                }
            case .systolic, .none:
                continue
            }
        }
        guard !issues.isEmpty else { return issues }
        // One report per buffer: the largest minimum wins.
        var strongest: [Buffer: Int] = [:]
        for case .capacity(let violation, _) in issues {
            strongest[violation.buffer] = max(strongest[violation.buffer] ?? 0, violation.minimumBits)
        }
        return issues.filter {
            guard case .capacity(let violation, _) = $0 else { return true }
            return strongest[violation.buffer] == violation.minimumBits
        }
    }
}
