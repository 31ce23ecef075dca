/// What an export for inference did to a network's batch norms, and how to undo it for training.
/// An exporter that folds each batch norm into the convolution before it (PyTorch's, after
/// `model.eval()`; its default exporter even after `model.train()`) leaves a graph whose training
/// iteration misses every batch norm's statistics, apply and backward passes (GENESYS-MODEL.md
/// §2.4): a third of ResNet-50's training cycles.
extension Network {
    /// Whether any layer normalizes (a batch norm).
    public var hasNormalization: Bool {
        layers.contains { $0.kind == .batchNorm }
    }

    /// The convolutions the exporter recorded as carrying a folded batch norm.
    public var foldedBatchNormCount: Int {
        layers.reduce(0) { count, layer in
            if case .convolution(let c) = layer.kind, c.foldedBatchNorm { count + 1 } else { count }
        }
    }

    /// The convolutions that carry a batch norm folded in, by index: those the exporter recorded
    /// when it recorded any, else every convolution with a bias whose output does not already go
    /// to a batch norm (VGG-BN's biased convolutions keep their own) and whose input is not a 1×1
    /// map (a squeeze-and-excitation's convolutions, which have a bias of their own). The one
    /// criterion behind both the training warning and `restoringBatchNorms()`.
    public var foldedBatchNormCandidates: [Int] {
        let recorded = foldedBatchNormCount > 0
        var normalized: Set<String> = []
        for layer in layers where layer.kind == .batchNorm { normalized.formUnion(layer.inputs) }
        // Convolutions reading a 1×1 map (a squeeze-and-excitation's), by name.
        var onPoints: Set<String> = []
        if !recorded, case .success(let shapes) = inferShapes() {
            var shapeOf: [String: TensorShape] = [Network.inputName: input]
            for (layer, shape) in zip(layers, shapes) {
                shapeOf[layer.name] = shape
                if case .convolution = layer.kind, let x = layer.inputs.first.flatMap({ shapeOf[$0] }), x.height == 1, x.width == 1 {
                    onPoints.insert(layer.name)
                }
            }
        }
        return layers.indices.filter { index in
            guard case .convolution(let convolution) = layers[index].kind else { return false }
            let name = layers[index].name
            return recorded ? convolution.foldedBatchNorm
                            : convolution.bias && !normalized.contains(name) && !onPoints.contains(name)
        }
    }

    /// The graph with a batch norm after each of `foldedBatchNormCandidates`. The convolution loses
    /// its bias (the batch norm's shift replaces it) and the batch norm takes its place as every
    /// later layer's producer. An inference export of a network trained with batch norm after
    /// every bias-free convolution (ResNet, DenseNet, MobileNet, …) becomes its training graph; a
    /// network built with biased convolutions and no batch norm (VGG) gains batch norms it never had.
    public func restoringBatchNorms() -> Network {
        let candidates = Set(foldedBatchNormCandidates)
        var names = Set(layers.map(\.name))
        var renamed: [String: String] = [:]
        var restored: [Layer] = []
        restored.reserveCapacity(layers.count * 2)
        for (index, var layer) in layers.enumerated() {
            layer.inputs = layer.inputs.map { renamed[$0] ?? $0 }
            guard candidates.contains(index), case .convolution(var convolution) = layer.kind else {
                restored.append(layer)
                continue
            }
            convolution.bias = false
            convolution.foldedBatchNorm = false
            layer.kind = .convolution(convolution)
            restored.append(layer)
            var name = layer.name + ".bn", counter = 1
            while names.contains(name) {
                counter += 1
                name = layer.name + ".bn\(counter)"
            }
            names.insert(name)
            restored.append(Layer(name: name, kind: .batchNorm, inputs: [layer.name]))
            renamed[layer.name] = name
        }
        return Network(name: name, input: input, layers: restored)
    }
}
