extension Network {
    /// Lowers the graph to the ordered program the model runs, for inference (GENESYS-MODEL.md
    /// §2.2–2.3): batch norm folds into the convolution it follows (which then has a bias) or, after
    /// anything else, applies its stored statistics on the SIMD unit; flatten
    /// costs nothing (`coarse_flatten`), a fully-connected layer becomes a GEMM with `N` = input
    /// features and `M` = 1 (batch marker), a global pool takes its input as the window.
    public func inferenceProgram() -> Result<Program, NetworkError> {
        let shapes: [TensorShape]
        switch inferShapes() {
        case .success(let inferred): shapes = inferred
        case .failure(let error): return .failure(error)
        }
        var indexByName: [String: Int] = [:]
        var consumers = [Int](repeating: 0, count: layers.count)
        for (index, layer) in layers.enumerated() {
            for producer in layer.inputs {
                if let producerIndex = indexByName[producer] { consumers[producerIndex] += 1 }
            }
            indexByName[layer.name] = index
        }
        func inputShape(_ layer: Layer) -> TensorShape {
            guard let producer = layer.inputs.first, let index = indexByName[producer] else { return input }
            return shapes[index]
        }
        // A batch norm folds into a convolution that feeds only it; any other one is applied on
        // the SIMD unit with its stored statistics (`batch_norm`, §6.5).
        var foldedInto = [Bool](repeating: false, count: layers.count)
        var folded = [Bool](repeating: false, count: layers.count)
        for (index, layer) in layers.enumerated() where layer.kind == .batchNorm {
            if let producer = layer.inputs.first, let producerIndex = indexByName[producer],
               case .convolution = layers[producerIndex].kind, consumers[producerIndex] == 1 {
                foldedInto[producerIndex] = true
                folded[index] = true
            }
        }

        var entries: [ProgramEntry] = []
        entries.reserveCapacity(layers.count)
        for (index, layer) in layers.enumerated() {
            let x = inputShape(layer)
            if layer.kind == .batchNorm {
                if !folded[index] {
                    entries.append(ProgramEntry(name: layer.name, operation: .batchNorm(
                        ElementwiseOp(channels: x.channels, height: x.height, width: x.width))))
                }
                continue
            }
            guard let operation = Network.inferenceOperation(layer.kind, input: x, output: shapes[index],
                                                             foldedBias: foldedInto[index]) else { continue }
            entries.append(ProgramEntry(name: layer.name, operation: operation))
        }
        return .success(Program(name: name, entries: entries))
    }

    /// The published op of one layer for inference (nil for a batch norm, which folds away).
    static func inferenceOperation(_ kind: LayerKind, input x: TensorShape, output y: TensorShape,
                                   foldedBias: Bool = false) -> Operation? {
        switch kind {
        case .convolution(let outputChannels, let kh, let kw, let stride, let padding, let bias):
            .convolution(ConvolutionOp(
                outputChannels: outputChannels, inputChannels: x.channels, kernelHeight: kh, kernelWidth: kw,
                outputHeight: y.height, outputWidth: y.width, batch: 1, stride: stride, padding: padding,
                hasBias: bias || foldedBias))
        case .batchNorm:
            nil
        case .relu:
            .relu(ElementwiseOp(channels: x.channels, height: x.height, width: x.width))
        case .add:
            .elementwiseAdd(ElementwiseOp(channels: x.channels, height: x.height, width: x.width))
        case .maxPool(let kernel, let stride, _):
            .maxPool(PoolOp(channels: x.channels, outputHeight: y.height, outputWidth: y.width,
                            kernelHeight: kernel, kernelWidth: kernel, stride: stride))
        case .averagePool(let kernel, let stride, _):
            .averagePool(PoolOp(channels: x.channels, outputHeight: y.height, outputWidth: y.width,
                                kernelHeight: kernel, kernelWidth: kernel, stride: stride))
        case .globalAveragePool:
            .globalAveragePool(.global(channels: x.channels, inputHeight: x.height, inputWidth: x.width))
        case .flatten:
            .zeroCost("coarse_flatten")
        case .fullyConnected(let outputFeatures, let bias):
            .gemm(GEMMOp(outputs: outputFeatures, inputs: x.elements, batch: 1, hasBias: bias))
        case .softmax:
            .softmax(SoftmaxOp(classes: x.elements))
        }
    }
}
