/// A 2-D convolution layer: `groups` channel groups (1: dense; the input channels: depthwise),
/// rectangular kernel, stride and dilation, and padding on each side (MODEL-EXTENSIONS.md §1).
public struct Convolution: Sendable, Hashable {
    public var outputChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideHeight: Int
    public var strideWidth: Int
    public var padding: Padding
    public var dilationHeight: Int
    public var dilationWidth: Int
    public var groups: Int
    public var bias: Bool
    /// A batch norm was folded into this convolution when the model was exported for inference
    /// (as the exporter recorded): at inference it has a bias (the batch norm's shift) whether or
    /// not the file kept one; `Network.restoringBatchNorms()` puts the batch norm back for training.
    public var foldedBatchNorm: Bool

    public init(outputChannels: Int, kernelHeight: Int, kernelWidth: Int, strideHeight: Int, strideWidth: Int,
                padding: Padding, dilationHeight: Int = 1, dilationWidth: Int = 1, groups: Int = 1, bias: Bool,
                foldedBatchNorm: Bool = false) {
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.padding = padding
        self.dilationHeight = dilationHeight
        self.dilationWidth = dilationWidth
        self.groups = groups
        self.bias = bias
        self.foldedBatchNorm = foldedBatchNorm
    }

    /// One stride and symmetric padding, the published model's convolution.
    public init(outputChannels: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int, bias: Bool) {
        self.init(outputChannels: outputChannels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                  strideHeight: stride, strideWidth: stride, padding: Padding(uniform: padding), bias: bias)
    }

    /// The input span of the kernel: `(k − 1)·d + 1`.
    var kernelExtentHeight: Int { (kernelHeight - 1) * dilationHeight + 1 }
    var kernelExtentWidth: Int { (kernelWidth - 1) * dilationWidth + 1 }
}

extension Convolution: LayerRule {
    var typeName: String { "conv" }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape {
        let x = inputs[0]
        if groups < 1 {
            check.fail("groups", "groups must be at least 1, got \(groups)")
        } else {
            if x.channels % groups != 0 {
                check.fail("groups", "the \(x.channels) input channels do not divide into \(groups) groups")
            }
            if outputChannels % groups != 0 {
                check.fail("groups", "the \(outputChannels) output channels do not divide into \(groups) groups")
            }
        }
        let paddedHeight = x.height + padding.height, paddedWidth = x.width + padding.width
        if paddedHeight < kernelExtentHeight || paddedWidth < kernelExtentWidth {
            check.fail("kernel", "kernel \(kernelExtentHeight)×\(kernelExtentWidth) (dilated) is larger than the padded input \(paddedHeight)×\(paddedWidth)")
        }
        return TensorShape(
            channels: outputChannels,
            height: Window.outputSize(x.height, kernel: kernelHeight, stride: strideHeight, padBegin: padding.top,
                                      padEnd: padding.bottom, dilation: dilationHeight),
            width: Window.outputSize(x.width, kernel: kernelWidth, stride: strideWidth, padBegin: padding.left,
                                     padEnd: padding.right, dilation: dilationWidth))
    }

    private func forward(_ layer: LayerLowering, bias: Bool) -> Operation {
        .convolution(ConvolutionOp(
            outputChannels: outputChannels, inputChannels: layer.x.channels, kernelHeight: kernelHeight,
            kernelWidth: kernelWidth, outputHeight: layer.y.height, outputWidth: layer.y.width, batch: 1,
            stride: strideHeight, padding: padding.top, hasBias: bias, role: .forward, groups: groups,
            strideWidth: strideWidth, dilationHeight: dilationHeight, dilationWidth: dilationWidth))
    }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, forward(layer, bias: bias || foldedBatchNorm || layer.foldedBias))
    }

    func lowerTrainingForward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, forward(layer, bias: bias))
    }

    /// §2.4: the data-gradient conv (dX, a stride-1 conv back to the input size), the
    /// weight-gradient conv (dW: the batch as the reduction, the output gradient dilated by the
    /// stride as the kernel, `K_d = s·(OH−1)+1`, `O_d = ((H_in + pads) − K_d) / d + 1`), the weight
    /// update, then the bias gradient and update if there is a bias. A grouped convolution's dX
    /// and dW are grouped the same way (each group's gradients come from its own channels).
    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let x = layer.x, y = layer.y
        let first = layer.readsNetworkInput
        // The input the dW conv slides over, and the size dX restores (Q10, Q11 for the first layer).
        let extentH = first ? (y.height - 1) * strideHeight + kernelExtentHeight : x.height + padding.height
        let extentW = first ? (y.width - 1) * strideWidth + kernelExtentWidth : x.width + padding.width
        let restoredH = first ? extentH : x.height
        let restoredW = first ? extentW : x.width
        // dX and dW each do the forward's useful MACs; the first layer needs no dX (MODEL-EXTENSIONS.md §2).
        let forwardMACs = Double(y.height * y.width * kernelHeight * kernelWidth) * Double(x.channels / max(groups, 1))
            * Double(outputChannels)
        program.emit(layer.name + ".dX", .convolution(ConvolutionOp(
            outputChannels: x.channels, inputChannels: outputChannels, kernelHeight: kernelHeight,
            kernelWidth: kernelWidth, outputHeight: restoredH, outputWidth: restoredW, batch: 1, stride: 1,
            padding: 0, hasBias: false, role: .dataGradient, groups: groups, dilationHeight: dilationHeight,
            dilationWidth: dilationWidth, usefulMACsPerSample: first ? 0 : forwardMACs)))
        let dilatedH = strideHeight * (y.height - 1) + 1, dilatedW = strideWidth * (y.width - 1) + 1
        program.emit(layer.name + ".dW", .convolution(ConvolutionOp(
            outputChannels: outputChannels, inputChannels: LayerLowering.batchPlaceholder, kernelHeight: dilatedH,
            kernelWidth: dilatedW, outputHeight: (extentH - dilatedH) / dilationHeight + 1,
            outputWidth: (extentW - dilatedW) / dilationWidth + 1, batch: x.channels, stride: dilationHeight,
            padding: 0, hasBias: false, role: .weightGradient, groups: groups, strideWidth: dilationWidth,
            usefulMACsPerSample: forwardMACs)))
        let inputsPerGroup = x.channels / max(groups, 1)
        let updateChannels = first ? LayerLowering.paddedToCompilerUnit(inputsPerGroup) : inputsPerGroup
        program.emit(layer.name + ".update", .weightUpdate(WeightUpdateOp(
            shape: .fourD(outputChannels: outputChannels, inputChannels: updateChannels, height: kernelHeight,
                          width: kernelWidth),
            optimizer: layer.optimizer)))
        if bias { program.emitBiasUpdate(layer, channels: outputChannels) }
    }
}

/// A convolution on the systolic array (GENESYS-MODEL.md §3.1, §4, §5): output channels padded to
/// the columns, input channels to the rows (R4), the batch override R2. A grouped convolution runs
/// its groups one after another, each a dense convolution of its own channels padded to the array
/// (MODEL-EXTENSIONS.md §1): `groups ×` one group's counts.
extension ConvolutionOp: OperationModel {
    var name: String { hasBias ? "conv_bias" : "conv" }
    var unit: ExecutionUnit { .systolic }
    var category: OperationCategory {
        switch role {
        case .forward: .forwardConvolution
        case .dataGradient: .dataGradientConvolution
        case .weightGradient: .weightGradientConvolution
        }
    }
    var fusion: FusionRole { .producer(.convolution) }
    var simdTiler: SIMDTilerKind? { nil }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let hw = context.hw
        let g = max(groups, 1)
        // One group's channels; a dW op's spec "batch" holds all the forward input channels (R2).
        let outputsPerGroup = Double(outputChannels / g)
        let inputsPerGroup = overriddenInputs(inputChannels / g, role, context.batch)
        let samples = overriddenBatch(role == .weightGradient ? batch / g : batch, role, context.batch)
        let d = SystolicDimensions(
            outputWidth: Double(outputWidth), outputHeight: Double(outputHeight),
            outputChannels: context.mapping.padded(outputsPerGroup, .outputChannels, hw),
            kernelWidth: Double(kernelWidth), kernelHeight: Double(kernelHeight),
            inputChannels: context.mapping.padded(inputsPerGroup, .inputChannels, hw), batch: samples, stride: Double(stride),
            strideWidth: Double(strideWidth), dilationHeight: Double(dilationHeight),
            dilationWidth: Double(dilationWidth))
        guard let tile = SystolicTiler.tile(d, hw) else { return nil }
        var counts = SystolicModel.evaluate(d, tile: tile, order: .weightStationary, mapping: context.mapping,
                                            fused: context.fused, hw)
        counts.usefulMACs = d.outputWidth * d.outputHeight * d.kernelWidth * d.kernelHeight * samples
            * inputsPerGroup * outputsPerGroup
        if g > 1 { counts = counts.scaled(by: Double(g)) }
        if let usefulMACsPerSample { counts.usefulMACs = usefulMACsPerSample * context.batch }
        return .init(tile: .systolic(tile), counts: counts)
    }
}
