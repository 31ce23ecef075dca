extension Network {
    /// The channel unit of the compiler that produced the published training graph: it padded the
    /// classifier's outputs (1000 → 1024, quirk Q13) and the weight-update channels of the first
    /// convolution (3 → 64, quirk Q12) to multiples of it.
    static let publishedCompilerChannelUnit = 64

    /// Derives one training iteration from the forward graph, as general rules per layer type
    /// (GENESYS-MODEL.md §2.4):
    ///
    /// - **Forward**, in layer order: a convolution runs as itself; a batch norm becomes `mean_var`
    ///   then `batch_norm`; the other layers lower as for inference. A softmax that ends the network
    ///   is part of the loss. Then `cross_entropy_loss` and `cross_entropy_loss_grad` (no cost).
    /// - **Backward**, in reverse layer order: a ReLU gives `relu_grad`; a residual add gives one
    ///   `elem_add` (the gradient fans out; no accumulation op where branches merge); a batch norm
    ///   gives `batchnorm_grad_x_mu` and two `reduce_sum` (scale and offset gradients); a pool its
    ///   gradient; a convolution its data-gradient conv (dX, a stride-1 conv back to the input
    ///   size), its weight-gradient conv (dW: the batch as the reduction, the output gradient dilated
    ///   by the stride as the kernel, `K_d = s·(OH−1)+1`, `O_d = (H_in + 2·pad) − K_d + 1`) and its
    ///   weight update, then its bias gradient and update if it has a bias; a fully-connected layer
    ///   its dX and dW GEMMs, its weight update and its bias gradient and update.
    ///
    /// The `simdit` variant keeps the published graph's quirks: every layer gets a dX, the first
    /// one included (Q10); the first convolution's dX and dW use the model's input extent
    /// `(OH−1)·s + K` instead of the padded input (Q10, Q11); the classifier's outputs and the
    /// first convolution's update channels are padded to 64 (Q12, Q13); stride-2 dW outputs keep
    /// the dilated size (Q11); batch-norm scale and offset are not updated.
    public func trainingProgram(optimizer: Optimizer = .sgd, variant: ModelVariant = .simdit)
        -> Result<Program, NetworkError> {
        let shapes: [TensorShape]
        switch inferShapes() {
        case .success(let inferred): shapes = inferred
        case .failure(let error): return .failure(error)
        }
        var indexByName: [String: Int] = [:]
        for (index, layer) in layers.enumerated() { indexByName[layer.name] = index }
        func inputShape(_ layer: Layer) -> TensorShape {
            guard let producer = layer.inputs.first, let index = indexByName[producer] else { return input }
            return shapes[index]
        }
        let unit = Network.publishedCompilerChannelUnit
        func padded(_ channels: Int) -> Int { (channels + unit - 1) / unit * unit }
        let classifier = layers.lastIndex { if case .fullyConnected = $0.kind { true } else { false } }
        // A softmax that feeds nothing is the loss's own softmax.
        var consumed = Set<String>()
        for layer in layers { consumed.formUnion(layer.inputs) }
        func isLossSoftmax(_ layer: Layer) -> Bool { layer.kind == .softmax && !consumed.contains(layer.name) }
        func fullyConnectedOutputs(_ index: Int, _ features: Int) -> Int { index == classifier ? padded(features) : features }

        var entries: [ProgramEntry] = []
        entries.reserveCapacity(layers.count * 4)
        func emit(_ name: String, _ operation: Operation) { entries.append(ProgramEntry(name: name, operation: operation)) }
        func emitBiasUpdate(_ name: String, _ channels: Int) {
            emit(name + ".bias_grad", .reduceSum(ReductionOp(channels: channels)))
            emit(name + ".bias_update", .weightUpdate(WeightUpdateOp(shape: .oneD(channels: channels), optimizer: optimizer)))
        }

        // Forward.
        for (index, layer) in layers.enumerated() {
            let x = inputShape(layer), y = shapes[index]
            switch layer.kind {
            case .convolution(let outputs, let kh, let kw, let stride, let padding, let bias):
                emit(layer.name, .convolution(ConvolutionOp(
                    outputChannels: outputs, inputChannels: x.channels, kernelHeight: kh, kernelWidth: kw,
                    outputHeight: y.height, outputWidth: y.width, batch: 1, stride: stride, padding: padding,
                    hasBias: bias, role: .forward)))
            case .batchNorm:
                let tensor = ElementwiseOp(channels: x.channels, height: x.height, width: x.width)
                emit(layer.name + ".statistics", .meanVariance(tensor))
                emit(layer.name, .batchNorm(tensor))
            case .fullyConnected(let features, let bias):
                emit(layer.name, .gemm(GEMMOp(outputs: fullyConnectedOutputs(index, features), inputs: x.elements,
                                              batch: 1, hasBias: bias, role: .forward)))
            case .softmax where isLossSoftmax(layer):
                continue
            default:
                guard let operation = Network.inferenceOperation(layer.kind, input: x, output: y) else { continue }
                emit(layer.name, operation)
            }
        }
        emit("loss", .zeroCost("cross_entropy_loss"))
        emit("loss.grad", .zeroCost("cross_entropy_loss_grad"))

        // Backward.
        for index in layers.indices.reversed() {
            let layer = layers[index]
            let x = inputShape(layer), y = shapes[index]
            let readsNetworkInput = layer.inputs.first == Network.inputName
            switch layer.kind {
            case .convolution(let outputs, let kh, let kw, let stride, let padding, let bias):
                // The input the dW conv slides over, and the size dX restores.
                let extentH = readsNetworkInput ? (y.height - 1) * stride + kh : x.height + 2 * padding
                let extentW = readsNetworkInput ? (y.width - 1) * stride + kw : x.width + 2 * padding
                let restoredH = readsNetworkInput ? extentH : x.height
                let restoredW = readsNetworkInput ? extentW : x.width
                emit(layer.name + ".dX", .convolution(ConvolutionOp(
                    outputChannels: x.channels, inputChannels: outputs, kernelHeight: kh, kernelWidth: kw,
                    outputHeight: restoredH, outputWidth: restoredW, batch: 1, stride: 1, padding: 0,
                    hasBias: false, role: .dataGradient)))
                let dilatedH = stride * (y.height - 1) + 1, dilatedW = stride * (y.width - 1) + 1
                emit(layer.name + ".dW", .convolution(ConvolutionOp(
                    outputChannels: outputs, inputChannels: Network.batchPlaceholder, kernelHeight: dilatedH,
                    kernelWidth: dilatedW, outputHeight: extentH - dilatedH + 1, outputWidth: extentW - dilatedW + 1,
                    batch: x.channels, stride: 1, padding: 0, hasBias: false, role: .weightGradient)))
                let updateChannels = readsNetworkInput ? padded(x.channels) : x.channels
                emit(layer.name + ".update", .weightUpdate(WeightUpdateOp(
                    shape: .fourD(outputChannels: outputs, inputChannels: updateChannels, height: kh, width: kw),
                    optimizer: optimizer)))
                if bias { emitBiasUpdate(layer.name, outputs) }
            case .fullyConnected(let features, let bias):
                let outputs = fullyConnectedOutputs(index, features)
                emit(layer.name + ".dX", .gemm(GEMMOp(outputs: x.elements, inputs: outputs, batch: 1, hasBias: false,
                                                      role: .dataGradient)))
                emit(layer.name + ".dW", .gemm(GEMMOp(outputs: outputs, inputs: Network.batchPlaceholder,
                                                      batch: x.elements, hasBias: false, role: .weightGradient)))
                emit(layer.name + ".update", .weightUpdate(WeightUpdateOp(
                    shape: .twoD(inputs: x.elements, outputs: outputs), optimizer: optimizer)))
                if bias { emitBiasUpdate(layer.name, outputs) }
            case .batchNorm:
                emit(layer.name + ".backward", .batchNormBackward(ElementwiseOp(channels: x.channels, height: x.height,
                                                                                width: x.width)))
                emit(layer.name + ".scale_grad", .reduceSum(ReductionOp(channels: x.channels)))
                emit(layer.name + ".offset_grad", .reduceSum(ReductionOp(channels: x.channels)))
            case .relu:
                emit(layer.name + ".grad", .reluGradient(ElementwiseOp(channels: x.channels, height: x.height, width: x.width)))
            case .add:
                emit(layer.name + ".grad", .elementwiseAdd(ElementwiseOp(channels: y.channels, height: y.height, width: y.width)))
            case .maxPool(let kernel, let stride, _):
                emit(layer.name + ".grad", .maxPoolGradient(PoolOp(channels: x.channels, outputHeight: y.height,
                                                                   outputWidth: y.width, kernelHeight: kernel,
                                                                   kernelWidth: kernel, stride: stride)))
            case .averagePool(let kernel, let stride, _):
                emit(layer.name + ".grad", .averagePoolGradient(PoolOp(channels: x.channels, outputHeight: y.height,
                                                                       outputWidth: y.width, kernelHeight: kernel,
                                                                       kernelWidth: kernel, stride: stride)))
            case .globalAveragePool:
                emit(layer.name + ".grad", .globalAveragePoolGradient(.global(channels: x.channels, inputHeight: x.height,
                                                                              inputWidth: x.width)))
            case .flatten:
                emit(layer.name + ".grad", .zeroCost("flatten_grad"))
            case .softmax:
                // Inside the network (not the loss): its gradient is not modelled by the published code.
                if !isLossSoftmax(layer) { emit(layer.name + ".grad", .zeroCost("softmax_grad")) }
            }
        }
        return .success(Program(name: name, entries: entries))
    }

    /// The published graph writes 256 where R2 later puts the run's batch (the dW reduction).
    static let batchPlaceholder = 256
}
