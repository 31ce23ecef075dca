/// Element-wise add or multiply of two tensors. The operands' shapes must match dimension by
/// dimension or be 1 there (the smaller broadcasts, as a squeeze-and-excitation scale `C×1×1` does
/// over `C×H×W`). A same-shape add is the published `elem_add`; the rest are `BroadcastOp`s
/// (MODEL-EXTENSIONS.md §4).
struct BinaryLayer: LayerRule {
    var operation: BinaryOperator

    var typeName: String { operation == .add ? "add" : "mul" }
    var arity: LayerArity { .exactly(2) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape {
        let a = inputs[0], b = inputs[1]
        func broadcast(_ p: Int, _ q: Int) -> Int? { p == q || q == 1 ? p : (p == 1 ? q : nil) }
        guard let c = broadcast(a.channels, b.channels), let h = broadcast(a.height, b.height),
              let w = broadcast(a.width, b.width) else {
            check.fail("inputs", "\(typeName) needs inputs of one shape or one that broadcasts over the other; got \(a) and \(b)")
            return a
        }
        return TensorShape(channels: c, height: h, width: w)
    }

    /// The smaller operand's index (1 when the shapes match).
    private func operandIndex(_ layer: LayerLowering) -> Int {
        layer.inputs[1].elements <= layer.inputs[0].elements ? 1 : 0
    }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let tensor = ElementwiseOp(layer.y)
        if operation == .add, layer.inputs[0] == layer.inputs[1] {
            program.emit(layer.name, .elementwiseAdd(tensor))
        } else {
            let operand = layer.inputs[operandIndex(layer)]
            program.emit(layer.name, .broadcast(BroadcastOp(operation: operation, tensor: tensor,
                                                            operandElements: operand.elements)))
        }
    }

    /// A residual add's gradient is the published `elem_add` (the gradient fans out); a broadcast
    /// operand's gradient is the output gradient summed over the broadcast positions. A product's
    /// gradients are `dy ⊙ b` and `dy ⊙ a`, the broadcast operand's summed the same way.
    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let y = layer.y, tensor = ElementwiseOp(y)
        let operand = layer.inputs[operandIndex(layer)]
        let broadcasts = operand != y
        switch operation {
        case .add:
            if !broadcasts {
                program.emit(layer.name + ".grad", .elementwiseAdd(tensor))
            } else {
                program.emit(layer.name + ".grad", .zeroCost("broadcast_add_grad"))
            }
        case .multiply:
            program.emit(layer.name + ".grad", .broadcast(BroadcastOp(operation: .multiply, tensor: tensor,
                                                                      operandElements: operand.elements)))
            program.emit(layer.name + ".operand_grad", .broadcast(BroadcastOp(operation: .multiply, tensor: tensor,
                                                                              operandElements: y.elements)))
        }
        if broadcasts {
            program.emit(layer.name + ".operand_reduce", .spatialReduction(
                .global(channels: y.channels, inputHeight: y.height, inputWidth: y.width)))
        }
    }
}

/// An add or multiply whose second operand is broadcast (MODEL-EXTENSIONS.md §4): the element
/// program of one ALU op streams the full operand; the broadcast operand is fetched once per tile,
/// `oc·b·(its spatial size)` elements, at most the tile.
extension BroadcastOp: OperationModel {
    var name: String { operation == .add ? "broadcast_add" : "broadcast_mul" }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { operation == .add ? .elementwiseAdd : .elementwiseMultiply }
    var fusion: FusionRole { .consumer(accepts: [.convolution]) }
    var simdTiler: SIMDTilerKind? { .elementwise }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let hw = context.hw, e = hw.simdBits
        let d = SIMDDimensions(tensor, context)
        let program = ElementProgram { ops in
            if operation == .add { ops.add = 1 } else { ops.multiply = 1 }
        }
        guard var evaluation = program.evaluate(d, context), case .simd(let tile)? = evaluation.tile else { return nil }
        let tiles = SIMDModels.tileCount(d, tile)
        let spatialPerChannel = max(1.0, Double(operandElements) / Double(max(tensor.channels, 1)))
        let operandTile = min(tile.elements, tile.channels * tile.batch * spatialPerChannel)
        evaluation.counts.simdStallCycles += ceil(operandTile * e / hw.simdPort) * tiles
        evaluation.counts.dram.ifmapBits += operandTile * tiles * e
        return evaluation
    }
}
