import SimDITCore

/// The importers of operators that view, reshape, reorder or select parts of an activation:
/// Flatten, Reshape, Squeeze, Unsqueeze, Transpose, Expand, Slice, Split, Gather, Shape and Size
/// (MODEL-EXTENSIONS.md §9, §11).
extension ONNXImporter {
    mutating func importFlatten(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let axis = a.int("axis") ?? 1
        let rank = x.dims.count + 1
        let normalized = axis < 0 ? axis + rank : axis
        guard normalized >= 1, normalized <= rank else {
            return fail(normalized == 0 ? "flattening the batch axis is not supported" : "axis \(axis) is out of range", node: index)
        }
        if normalized == 1 {
            addLayer(index, .flatten, inputs: [x.layer], output: [(ONNXLimits.product(x.dims) ?? 0)])
        } else {
            let inner = (ONNXLimits.product(x.dims[(normalized - 1)...]) ?? 0), outer = (ONNXLimits.product(x.dims[..<(normalized - 1)]) ?? 0)
            addLayer(index, .reshape(foldedShape([outer, inner])), inputs: [x.layer], output: [outer, inner])
        }
    }

    /// A Reshape target for an activation: its first entry is the batch (0, −1 or the model's batch
    /// size), the rest the per-sample dimensions (0 copies, one −1 is inferred).
    mutating func importReshape(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let node = model.graph.node[index]
        let target: [Int]?
        if opset < 5 { target = a.ints("shape") } else { target = node.input.count > 1 ? constant(node.input[1])?.integers : nil }
        guard let target, !target.isEmpty else {
            return fail("the target shape must be a constant (a dynamic Reshape is not supported)", node: index)
        }
        guard let dims = reshapedSample(target, from: x.dims, allowZero: (a.int("allowzero") ?? 0) != 0) else {
            return fail("the target shape \(target) does not keep the batch first or does not match \(x.dims) per sample", node: index)
        }
        addLayer(index, .reshape(foldedShape(dims)), inputs: [x.layer], output: dims)
    }

    func reshapedSample(_ target: [Int], from dims: [Int], allowZero: Bool) -> [Int]? {
        let elements = ONNXLimits.product(dims) ?? 0
        let head = target[0]
        guard head == -1 || (head == 0 && !allowZero) || head == modelBatch || (modelBatch == nil && head == 1) else { return nil }
        var sample: [Int] = []
        var inferred: Int?
        for (position, value) in target.enumerated().dropFirst() {
            switch value {
            case 0 where !allowZero:
                guard position - 1 < dims.count else { return nil }
                sample.append(dims[position - 1])
            case -1:
                guard inferred == nil else { return nil }
                inferred = sample.count
                sample.append(1)
            case let v where v >= 1:
                sample.append(v)
            default:
                return nil
            }
        }
        if head == -1 {
            // The batch stays first: the rest must hold one sample.
            guard inferred == nil else { return nil }
        }
        guard let known = ONNXLimits.product(sample) else { return nil }
        if let inferred {
            guard known > 0, elements % known == 0 else { return nil }
            sample[inferred] = elements / known
        }
        return ONNXLimits.product(sample) == elements ? sample : nil
    }

    mutating func importSqueeze(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let node = model.graph.node[index]
        let axes: [Int]?
        switch integerOperand(index, input: 1, attribute: "axes", a, inputSince: 13) {
        case .value(let given): axes = given
        case .absent: axes = nil
        case .dynamic: return fail("the axes must be a constant", node: index)
        }
        var dims = x.dims
        if node.opType == "Squeeze" {
            let rank = dims.count + 1
            let normalized = (axes ?? []).map { $0 < 0 ? $0 + rank : $0 }
            guard !normalized.contains(0) else { return fail("squeezing the batch axis is not supported", node: index) }
            if axes == nil { dims = dims.filter { $0 != 1 } } else {
                for axis in normalized.sorted(by: >) {
                    guard axis - 1 < dims.count, axis >= 1, dims[axis - 1] == 1 else {
                        return fail("axis \(axis) is not a dimension of size 1", node: index)
                    }
                    dims.remove(at: axis - 1)
                }
            }
        } else {
            guard let axes else { return fail("Unsqueeze needs constant axes", node: index) }
            let rank = dims.count + 1 + axes.count
            for axis in axes.map({ $0 < 0 ? $0 + rank : $0 }).sorted() {
                guard axis >= 1, axis - 1 <= dims.count else { return fail("axis \(axis) is out of range or the batch", node: index) }
                dims.insert(1, at: axis - 1)
            }
        }
        addLayer(index, .reshape(foldedShape(dims)), inputs: [x.layer], output: dims)
    }

    mutating func importTranspose(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let rank = x.dims.count + 1
        let perm = a.ints("perm") ?? Array((0..<rank).reversed())
        guard perm.count == rank, Set(perm) == Set(0..<rank) else {
            return fail("perm \(perm) is not a permutation of \(rank) axes", node: index)
        }
        guard perm[0] == 0 else { return fail("a transpose that moves the batch axis is not supported", node: index) }
        let dims = perm.dropFirst().map { x.dims[$0 - 1] }
        if perm == Array(0..<rank) {
            addLayer(index, .identity, inputs: [x.layer], output: dims)
        } else {
            addLayer(index, .permute(foldedShape(dims)), inputs: [x.layer], output: dims)
        }
    }

    /// `Expand` to the activation's own shape is the identity (exporters emit it for broadcasts that
    /// turn out to be no-ops); one that enlarges the activation is a copy, not supported.
    mutating func importExpand(_ index: Int, _ x: Activation) {
        let node = model.graph.node[index]
        guard node.input.count > 1, let shape = constant(node.input[1])?.integers else {
            return fail("the target shape must be a constant", node: index)
        }
        let full = [modelBatch ?? 1] + x.dims
        guard let dims = ONNXFolding.broadcast(full, shape), Array(dims.dropFirst()) == x.dims else {
            return fail("an Expand of \(x.dims) per sample to \(shape) copies the activation; only an Expand to its own shape "
                        + "is supported", node: index)
        }
        addLayer(index, .identity, inputs: [x.layer], output: x.dims)
    }

    /// The per-sample dimensions a `Slice` keeps: each sliced axis clamped as ONNX clamps it
    /// (negative starts and ends count from the end, steps of either sign); nil with a diagnostic
    /// for the batch axis (unless it keeps the whole batch), a repeated axis or an empty result.
    mutating func slicedDims(_ index: Int, _ x: Activation, starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?) -> [Int]? {
        let rank = x.dims.count + 1
        let axes = axes ?? Array(0..<starts.count)
        let steps = steps ?? [Int](repeating: 1, count: starts.count)
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            fail("starts, ends, axes and steps must have one entry per sliced axis", node: index)
            return nil
        }
        var dims = x.dims
        var seen: Set<Int> = []
        for i in starts.indices {
            let axis = axes[i] < 0 ? axes[i] + rank : axes[i]
            guard axis >= 0, axis < rank, seen.insert(axis).inserted else {
                fail("axis \(axes[i]) is out of range or repeated", node: index)
                return nil
            }
            let step = steps[i]
            guard step != 0 else {
                fail("a slice step of 0", node: index)
                return nil
            }
            if axis == 0 {
                guard starts[i] == 0, step == 1, ends[i] >= (modelBatch ?? Int(Int32.max)) else {
                    fail("a slice of the batch axis is not supported (simdit models each sample separately)", node: index)
                    return nil
                }
                continue
            }
            let length = ONNXFolding.sliceRange(start: starts[i], end: ends[i], step: step, size: dims[axis - 1]).length
            guard length > 0 else {
                fail("the slice of axis \(axis) is empty", node: index)
                return nil
            }
            dims[axis - 1] = length
        }
        return dims
    }

    /// `Slice` of an activation by constants: a region (no cost, MODEL-EXTENSIONS.md §9).
    mutating func importSlice(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let inputs: [Operand] = [1, 2, 3, 4].map { position in
            let names = ["", "starts", "ends", "axes", "steps"]
            return integerOperand(index, input: position, attribute: names[position], a, inputSince: 10)
        }
        guard case .value(let starts) = inputs[0], case .value(let ends) = inputs[1] else {
            return fail("starts and ends must be constants (a dynamic Slice is not supported)", node: index)
        }
        var optional: [[Int]?] = []
        for operand in inputs[2...] {
            switch operand {
            case .absent: optional.append(nil)
            case .value(let values): optional.append(values)
            case .dynamic: return fail("axes and steps must be constants", node: index)
            }
        }
        guard let dims = slicedDims(index, x, starts: starts, ends: ends, axes: optional[0], steps: optional[1]) else { return }
        addSlice(index, x, dims)
    }

    /// A region of `x` of these per-sample dimensions; the identity when it is all of `x`.
    mutating func addSlice(_ index: Int, _ x: Activation, _ dims: [Int], suffix: String = "", as output: String? = nil) {
        let kind: LayerKind = dims == x.dims ? .identity : .slice(foldedShape(dims))
        addLayer(index, kind, inputs: [x.layer], output: dims, suffix: suffix, as: output)
    }

    /// `Split` along a non-batch axis into constant sizes (an input from opset 13, an attribute
    /// before it), `num_outputs` (opset 18) or equal parts: one region per output.
    mutating func importSplit(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let node = model.graph.node[index]
        guard let axis = sampleAxis(a.int("axis") ?? 0, rank: x.dims.count, index) else { return }
        let size = x.dims[axis], count = node.output.count
        var sizes: [Int]
        switch integerOperand(index, input: 1, attribute: "split", a, inputSince: 13) {
        case .value(let given): sizes = given
        case .dynamic: return fail("the split sizes must be a constant", node: index)
        case .absent:
            // Equal parts; from opset 18 (num_outputs) the last may be smaller.
            guard (a.int("num_outputs") ?? count) == count else {
                return fail("num_outputs \(a.int("num_outputs") ?? 0) is not the node's \(count) outputs", node: index)
            }
            guard opset >= 18 || size % count == 0 else {
                return fail("axis \(axis + 1) of size \(size) does not split into \(count) equal parts", node: index)
            }
            let part = (size + count - 1) / count
            sizes = (0..<count).map { min(part, max(0, size - $0 * part)) }
        }
        guard sizes.count == count, sizes.allSatisfy({ $0 >= 1 }), sizes.reduce(0, +) == size else {
            return fail("split sizes \(sizes) do not divide axis \(axis + 1) of size \(size) into \(count) non-empty parts", node: index)
        }
        for (position, output) in node.output.enumerated() where !output.isEmpty {
            var dims = x.dims
            dims[axis] = sizes[position]
            addSlice(index, x, dims, suffix: ".\(position)", as: output)
        }
    }

    /// `Gather` of an activation by constant indices along a non-batch axis: a selection of its
    /// elements (a region when the indices do not repeat).
    mutating func importGather(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let node = model.graph.node[index]
        guard node.input.count > 1, activation(node.input[0]) != nil else {
            return fail("gathering by activation indices is not supported", node: index)
        }
        guard let indices = constant(node.input[1]), let values = indices.integers, let indexDims = indices.dims else {
            return fail("the indices must be a constant", node: index)
        }
        guard let axis = sampleAxis(a.int("axis") ?? 0, rank: x.dims.count, index) else { return }
        let size = x.dims[axis]
        let normalized = values.map { $0 < 0 ? $0 + size : $0 }
        guard normalized.allSatisfy({ $0 >= 0 && $0 < size }) else {
            return fail("an index is out of range for axis \(axis + 1) of size \(size)", node: index)
        }
        guard Set(normalized).count == normalized.count else {
            return fail("indices that repeat (a copy) are not supported", node: index)
        }
        let dims = Array(x.dims[..<axis]) + indexDims + Array(x.dims[(axis + 1)...])
        addSlice(index, x, dims)
    }

    /// The shape (or size) of an activation is a constant: the batch (the model's, 1 if symbolic)
    /// and the sample shape, evaluated as for a constant of that shape (`Shape` from opset 15
    /// takes `start` and `end`).
    mutating func importShape(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let node = model.graph.node[index]
        let tensor = ONNXConstant(dims: [modelBatch ?? 1] + x.dims, integers: nil, reals: nil)
        let results = ONNXFolding(opType: node.opType, attributes: a, opset: opset).evaluate([tensor]) ?? []
        for (output, result) in zip(node.output, results) where !output.isEmpty { values[output] = .constant(result) }
    }
}
