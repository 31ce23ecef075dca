/// Softmax over the channels of each position (a classifier's `C×1×1` output: over its classes).
/// In training, a softmax that ends the network is part of the loss (no op of its own); any other
/// one has a forward op and a gradient.
struct SoftmaxLayer: LayerRule {
    var typeName: String { "softmax" }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape { inputs[0] }

    private func op(_ layer: LayerLowering) -> SoftmaxOp {
        let x = layer.x
        return SoftmaxOp(classes: x.channels, rowsPerSample: x.height * x.width)
    }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, .softmax(op(layer)))
    }

    func lowerTrainingForward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        guard !layer.isLossSoftmax else { return }
        program.emit(layer.name, .softmax(op(layer)))
    }

    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        guard !layer.isLossSoftmax else { return }
        program.emit(layer.name + ".grad", .softmaxGradient(op(layer)))
    }
}

/// §6.9 softmax: three passes per DRAM tile (exponent, reduction add, divide), the exponentials
/// written to DRAM and read back. The published op keeps its hard-coded shape (Q19); a network's
/// softmax has its real one (MODEL-EXTENSIONS.md §6): `classes` per row, `rows × batch` rows
/// across the lanes, the tile as large as VMEM holds at `bw_s` bits.
extension SoftmaxOp: OperationModel {
    var name: String { "softmax" }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { .softmax }
    var fusion: FusionRole { .transparent }
    var simdTiler: SIMDTilerKind? { .elementwise }

    /// The real shape's DRAM tile: as many classes as fit one lane group, then as many rows (up to
    /// whole lane groups) as fit beside them.
    func shape(_ context: EvaluationContext) -> SIMDModels.SoftmaxShape {
        let hw = context.hw, m = hw.columns, e = hw.simdBits
        let rows = Double(rowsPerSample) * context.batch
        let tileClasses = min(Double(classes), max(1, (hw.vectorMemoryBits / (m * e)).rounded(.down)))
        let rowGroups = max(1, (hw.vectorMemoryBits / (tileClasses * m * e)).rounded(.down))
        // Unpadded rows: with fewer rows than lanes one tile still pays every pass (idle lanes).
        let tileBatch = min(rows, rowGroups * m)
        return .init(classes: Double(classes), batch: rows, tileClasses: tileClasses, tileBatch: tileBatch,
                     inputBits: e, intermediateBits: e, outputBits: context.outputBits)
    }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        if publishedShape {
            return .init(tile: .simd(SIMDModels.publishedSoftmaxTile), counts: SIMDModels.softmax(context.hw))
        }
        let shape = shape(context)
        let tile = SIMDTile(outputWidth: 1, outputHeight: 1, channels: shape.tileClasses, batch: shape.tileBatch,
                            inputWidth: 1, inputHeight: 1)
        return .init(tile: .simd(tile), counts: SIMDModels.softmax(shape, context.hw))
    }
}

/// The gradient of a softmax inside the network, `dx = y ⊙ (dy − Σ_classes y ⊙ dy)`: an element
/// program reading `y` and `dy` (multiply, the reduction's add, subtract, multiply), the row held
/// in VMEM between the reduction and the rest (MODEL-EXTENSIONS.md §6).
struct SoftmaxGradientModel: OperationModel {
    var op: SoftmaxOp
    var name: String { "softmax_grad" }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { .softmax }
    var fusion: FusionRole { .consumer(accepts: []) }
    var simdTiler: SIMDTilerKind? { .elementwise }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let tensor = ElementwiseOp(channels: op.classes, height: op.rowsPerSample, width: 1)
        return ElementProgram(inputs: 2) { $0.multiply = 2; $0.add = 1; $0.subtract = 1 }
            .evaluate(SIMDDimensions(tensor, context), context)
    }
}
