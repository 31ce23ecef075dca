/// A region of a tensor: an ONNX `Slice` (any axes but the batch, any steps), one output of a
/// `Split` (ShuffleNet v2's channel chunks), or a `Gather` by constant indices. Free: its reader
/// reads the region where it lies in DRAM, the address generators stepping over the rest; its
/// gradient is the matching region of the input's gradient, also free. Like a split, it is a
/// fusion barrier: the whole input must be in DRAM for the region to be read from it
/// (MODEL-EXTENSIONS.md §9). Its op's model is `JoinModel`'s, as a concat's and a split's.
struct SliceLayer: LayerRule {
    /// The region's per-sample shape.
    var shape: TensorShape

    var typeName: String { "slice" }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape {
        let x = inputs[0]
        if shape.elements > x.elements || shape.elements < 1 {
            check.fail("shape", "a slice of \(shape) (\(shape.elements) elements) is not a region of \(x) (\(x.elements) elements)")
        }
        return shape
    }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name, .slice(ElementwiseOp(layer.y)))
    }

    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        program.emit(layer.name + ".grad", .slice(ElementwiseOp(layer.y)))
    }
}
