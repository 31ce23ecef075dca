import SimDITCore
import SimDITFiles

/// The value of a validated input, or its diagnostics as a failing exit.
func resolved<T>(_ result: Result<T, DiagnosticError>) throws -> T {
    switch result {
    case .success(let value): return value
    case .failure(let error): throw fail(error.diagnostics)
    }
}

/// The inputs of `simulate`, `optimize` and `flow`: an architecture, a network, and the program the
/// network lowers to for the mode. Problems in both files are reported together.
struct Workload {
    var architecture: LoadedArchitecture
    var network: NetworkFile.Loaded
    var program: Program

    static func load(arch: String, network: String, mode: ExecutionMode, optimizer: Optimizer = .sgd,
                     variant: ModelVariant = .simdit) throws -> Workload {
        let architecture: LoadedArchitecture
        let loaded: NetworkFile.Loaded
        switch (InputResolver.architecture(arch), InputResolver.network(network)) {
        case (.success(let a), .success(let n)): (architecture, loaded) = (a, n)
        case (.failure(let a), .failure(let n)): throw fail(a.diagnostics + n.diagnostics)
        case (.failure(let error), _), (_, .failure(let error)): throw fail(error.diagnostics)
        }
        let graph = loaded.network
        switch mode == .training ? graph.trainingProgram(optimizer: optimizer, variant: variant) : graph.inferenceProgram() {
        case .success(let program): return Workload(architecture: architecture, network: loaded, program: program)
        case .failure(let error): throw fail(loaded.diagnostics(for: error.issues))
        }
    }

    /// Simulates the program on `architecture` (default: the loaded one); a simulation issue
    /// becomes a diagnostic at the architecture-file line it concerns.
    func simulate(on architecture: Architecture? = nil, _ options: SimulationOptions) throws -> NetworkResult {
        do {
            return try Simulator.run(program, on: architecture ?? self.architecture.architecture, options: options)
        } catch {
            throw fail(error.issues.map(diagnostic))
        }
    }

    func diagnostic(_ issue: SimulationIssue) -> Diagnostic {
        switch issue {
        case .capacity(let violation, let layer):
            return ArchitectureFile.capacityDiagnostic(violation, architecture, neededBy: layer)
        case .noTile(let layer, _):
            let buffers = architecture.file ?? "preset '\(architecture.architecture.name)'"
            return network.diagnostic(forEntry: layer, issue.description + " (those of \(buffers))")
                ?? architecture.diagnostic(issue.description, keyPath: "buffers")
        case .unsupportedFusion, .invalidBatch:
            return Diagnostic(issue.description, file: "<command line>")
        }
    }
}
