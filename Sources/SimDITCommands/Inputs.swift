import ArgumentParser
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
    /// The help of `--restore-batch-norm`, wherever a network is read for training.
    static let restoreBatchNormHelp = ArgumentHelp(
        "Put back the batch norms an export for inference folded into the convolutions: one after each "
            + "convolution the exporter recorded as folded (PyTorch's default exporter records them), or else after "
            + "each convolution with a bias whose output is not already normalized and whose input is not a 1×1 map "
            + "(a squeeze-and-excitation's), in place of its bias. For "
            + "training a model exported after model.eval() (or by PyTorch's default exporter).")

    var architecture: LoadedArchitecture
    var network: NetworkFile.Loaded
    var program: Program

    static func load(arch: String, network: String, mode: ExecutionMode, optimizer: Optimizer = .sgd,
                     variant: ModelVariant = .simdit, restoreBatchNorm: Bool = false) throws -> Workload {
        let architecture: LoadedArchitecture
        var loaded: NetworkFile.Loaded
        switch (InputResolver.architecture(arch), InputResolver.network(network)) {
        case (.success(let a), .success(let n)): (architecture, loaded) = (a, n)
        case (.failure(let a), .failure(let n)): throw fail(a.diagnostics + n.diagnostics)
        case (.failure(let error), _), (_, .failure(let error)): throw fail(error.diagnostics)
        }
        if restoreBatchNorm { loaded.network = loaded.network.restoringBatchNorms() }
        let graph = loaded.network
        switch mode == .training ? graph.trainingProgram(optimizer: optimizer, variant: variant) : graph.inferenceProgram() {
        case .success(let program): return Workload(architecture: architecture, network: loaded, program: program)
        case .failure(let error): throw fail(loaded.diagnostics(for: error.issues))
        }
    }

    /// What a training simulation of this network should say about its batch norms: the folds the
    /// exporter recorded; or that it has no normalization layer (worded for the networks built
    /// without one as well); or, when `--restore-batch-norm` would change it, that some biased
    /// convolutions lack the batch norm the rest of the network has (an inference export whose
    /// foldable batch norms were folded without a record, DenseNet's); else nothing.
    var trainingWarnings: [String] {
        Self.trainingWarnings(network.network)
    }

    /// `restore` says how to put the batch norms back where the command has no `--restore-batch-norm`.
    static func trainingWarnings(_ graph: Network, restore: String = "pass --restore-batch-norm") -> [String] {
        let candidates = graph.foldedBatchNormCandidates.count
        guard candidates > 0 || !graph.hasNormalization else { return [] }
        let exportAdvice = "export with torch.onnx.export(..., dynamo=False, training=torch.onnx.TrainingMode.TRAINING) "
            + "after model.train()"
        let plural = candidates == 1 ? "" : "s"
        if graph.foldedBatchNormCount > 0 {
            return ["\(candidates) convolution\(plural) of '\(graph.name)' carr\(candidates == 1 ? "ies" : "y") a batch norm "
                    + "the exporter folded in for inference, so this training iteration leaves out "
                    + "\(candidates == 1 ? "its" : "their") statistics, apply and backward passes. PyTorch's default exporter "
                    + "folds batch norms even after model.train(): \(exportAdvice), or \(restore) to put them back"]
        }
        if !graph.hasNormalization {
            return ["'\(graph.name)' has no normalization layer. If it was exported for inference (after model.eval()), "
                    + "its batch norms were folded into the convolutions and this training iteration leaves out their "
                    + "statistics, apply and backward passes: \(exportAdvice), or \(restore) to put a "
                    + "batch norm after each biased convolution. A network built without batch norm (VGG, AlexNet, "
                    + "SqueezeNet) trains as simulated"]
        }
        return ["'\(graph.name)' has batch norms, but \(candidates) biased convolution\(plural) \(candidates == 1 ? "has" : "have") "
                + "none after \(candidates == 1 ? "it" : "them"). If it was exported for inference (after model.eval()), "
                + "the batch norms that followed convolutions were folded into them and this training iteration leaves "
                + "out their statistics, apply and backward passes: \(exportAdvice), or \(restore) to put them back"]
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
