extension Network {
    /// Derives one training iteration from the forward graph (GENESYS-MODEL.md §2.4): the forward
    /// pass in layer order, the loss, then the backward pass in reverse layer order, each layer by
    /// its kind's rules (`LayerRule`, `Operations/`). The rules across layers:
    ///
    /// - A softmax that feeds nothing is the loss's own softmax: it has no forward op, and
    ///   `cross_entropy_loss` and `cross_entropy_loss_grad` (no cost) sit between the passes.
    /// - The last fully-connected layer is the classifier: its outputs are padded to 64 (Q13).
    ///
    /// The `simdit` variant keeps the published graph's quirks, which the convolution's rule
    /// applies: every layer gets a dX, the first one included (Q10); the first convolution's dX
    /// and dW use the model's input extent `(OH−1)·s + K` instead of the padded input (Q10, Q11);
    /// its update channels are padded to 64 (Q12); stride-2 dW outputs keep the dilated size (Q11);
    /// batch-norm scale and offset are not updated.
    public func trainingProgram(optimizer: Optimizer = .sgd, variant: ModelVariant = .simdit)
        -> Result<Program, NetworkError> {
        let analysis: Analysis
        switch inferShapes() {
        case .success(let shapes): analysis = Analysis(self, shapes: shapes)
        case .failure(let error): return .failure(error)
        }
        let classifier = layers.lastIndex { if case .fullyConnected = $0.kind { true } else { false } }
        var program = ProgramBuilder()
        program.entries.reserveCapacity(layers.count * 4)
        let lowerings = layers.indices.map { index in
            var layer = lowering(index, analysis)
            layer.optimizer = optimizer
            layer.isClassifier = index == classifier
            layer.isLossSoftmax = layers[index].kind == .softmax && analysis.consumers[index] == 0
            return layer
        }
        for index in layers.indices {
            layers[index].kind.rule.lowerTrainingForward(lowerings[index], into: &program)
        }
        program.emit("loss", .zeroCost("cross_entropy_loss"))
        program.emit("loss.grad", .zeroCost("cross_entropy_loss_grad"))
        for index in layers.indices.reversed() {
            layers[index].kind.rule.lowerBackward(lowerings[index], into: &program)
        }
        return .success(Program(name: name, entries: program.entries))
    }

}
