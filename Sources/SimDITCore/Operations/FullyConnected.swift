/// A fully-connected layer: the input flattened to `N` features, `P` outputs.
struct FullyConnectedLayer: LayerRule {
    var outputFeatures: Int
    var bias: Bool

    var typeName: String { "fc" }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape {
        TensorShape(channels: outputFeatures, height: 1, width: 1)
    }

    /// A GEMM with `N` = input features and `M` = 1 (batch marker), §2.2.
    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, .gemm(GEMMOp(outputs: outputFeatures, inputs: layer.x.elements, batch: 1, hasBias: bias)))
    }

    /// The classifier's outputs are padded to 64 in training (Q13).
    private func outputs(_ layer: LayerLowering) -> Int {
        layer.isClassifier ? LayerLowering.paddedToCompilerUnit(outputFeatures) : outputFeatures
    }

    /// The forward MACs per sample, `P · N` (unpadded), which dX and dW each do too.
    private func forwardMACs(_ layer: LayerLowering) -> Double { Double(outputFeatures) * Double(layer.x.elements) }

    func lowerTrainingForward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let padded = outputs(layer) != outputFeatures
        program.emit(layer.name, .gemm(GEMMOp(outputs: outputs(layer), inputs: layer.x.elements, batch: 1,
                                              hasBias: bias, role: .forward,
                                              usefulMACsPerSample: padded ? forwardMACs(layer) : nil)))
    }

    /// §2.4: dX and dW GEMMs, the weight update, the bias gradient and update. dX and dW each do
    /// the forward's useful MACs (a layer reading the network input needs no dX: none).
    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let inputs = layer.x.elements, outputs = outputs(layer)
        program.emit(layer.name + ".dX", .gemm(GEMMOp(outputs: inputs, inputs: outputs, batch: 1, hasBias: false,
                                                      role: .dataGradient,
                                                      usefulMACsPerSample: layer.readsNetworkInput ? 0 : forwardMACs(layer))))
        program.emit(layer.name + ".dW", .gemm(GEMMOp(outputs: outputs, inputs: LayerLowering.batchPlaceholder,
                                                      batch: inputs, hasBias: false, role: .weightGradient,
                                                      usefulMACsPerSample: forwardMACs(layer))))
        program.emit(layer.name + ".update", .weightUpdate(WeightUpdateOp(
            shape: .twoD(inputs: inputs, outputs: outputs), optimizer: layer.optimizer)))
        if bias { program.emitBiasUpdate(layer, channels: outputs) }
    }
}

/// A matrix multiply over the last non-unit dimension of each sample: `rows` = the other
/// elements, each row a GEMM input (MODEL-EXTENSIONS.md §8). The output keeps the input's shape with
/// that dimension replaced by `outputFeatures`.
struct MatMulLayer: LayerRule {
    var inputFeatures: Int
    var outputFeatures: Int
    var bias: Bool

    var typeName: String { "matmul" }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape {
        let x = inputs[0]
        let features = x.lastNonUnitDimension
        if features != inputFeatures {
            check.fail("in_features", "the input \(x) has \(features) features in its last dimension, not \(inputFeatures)")
        }
        if x.width > 1 { return TensorShape(channels: x.channels, height: x.height, width: outputFeatures) }
        if x.height > 1 { return TensorShape(channels: x.channels, height: outputFeatures, width: 1) }
        return TensorShape(channels: outputFeatures, height: 1, width: 1)
    }

    private func rows(_ layer: LayerLowering) -> Int { layer.x.elements / max(inputFeatures, 1) }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, .gemm(GEMMOp(outputs: outputFeatures, inputs: inputFeatures, batch: 1, hasBias: bias,
                                              rowsPerSample: rows(layer))))
    }

    /// dX and dW GEMMs over the same rows, the weight update, the bias gradient and update; each
    /// does the forward's useful MACs (a layer reading the network input needs no dX: none).
    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let rows = rows(layer)
        let forwardMACs = Double(outputFeatures) * Double(inputFeatures) * Double(rows)
        program.emit(layer.name + ".dX", .gemm(GEMMOp(outputs: inputFeatures, inputs: outputFeatures, batch: 1,
                                                      hasBias: false, role: .dataGradient, rowsPerSample: rows,
                                                      usefulMACsPerSample: layer.readsNetworkInput ? 0 : forwardMACs)))
        program.emit(layer.name + ".dW", .gemm(GEMMOp(outputs: outputFeatures, inputs: LayerLowering.batchPlaceholder,
                                                      batch: inputFeatures, hasBias: false, role: .weightGradient,
                                                      rowsPerSample: rows, usefulMACsPerSample: forwardMACs)))
        program.emit(layer.name + ".update", .weightUpdate(WeightUpdateOp(
            shape: .twoD(inputs: inputFeatures, outputs: outputFeatures), optimizer: layer.optimizer)))
        if bias { program.emitBiasUpdate(layer, channels: outputFeatures) }
    }
}

/// A GEMM on the systolic array (§2.2): OC = P, IC = N, Batch = M, spatial and kernel 1×1; the
/// batch-1 case runs output-stationary (§4.5). A GEMM over `rows` rows per sample sees
/// `rows × batch` samples (MODEL-EXTENSIONS.md §8).
extension GEMMOp: OperationModel {
    var name: String { hasBias ? "gemm" : "gemm_no_bias" }
    var unit: ExecutionUnit { .systolic }
    var category: OperationCategory { .fullyConnected }
    var fusion: FusionRole { .producer(.gemm) }
    var simdTiler: SIMDTilerKind? { nil }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let hw = context.hw
        let rows = Double(rowsPerSample)
        let samples = role == .weightGradient ? Double(batch) : context.batch * rows
        let reduction = role == .weightGradient ? context.batch * rows : Double(inputs)
        let d = SystolicDimensions(
            outputWidth: 1, outputHeight: 1,
            outputChannels: context.mapping.padded(Double(outputs), .outputChannels, hw),
            kernelWidth: 1, kernelHeight: 1,
            inputChannels: context.mapping.padded(reduction, .inputChannels, hw),
            batch: samples, stride: 1)
        guard let tile = SystolicTiler.tile(d, hw) else { return nil }
        var counts = SystolicModel.evaluate(d, tile: tile, order: samples == 1 ? .outputStationary : .weightStationary,
                                            mapping: context.mapping, fused: context.fused, hw)
        counts.usefulMACs = usefulMACsPerSample.map { $0 * context.batch } ?? Double(outputs) * reduction * samples
        return .init(tile: .systolic(tile), counts: counts)
    }
}
