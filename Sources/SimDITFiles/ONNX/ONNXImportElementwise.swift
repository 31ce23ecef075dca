import SimDITCore

/// The importers of element-wise operators and their patterns: activations (Sigmoid·Mul as one
/// SiLU), Add, Sub, Mul and Div (a Mul then Add by per-channel constants is a batch norm, a Mul by
/// a random mask stochastic depth or dropout), Sum, Concat, Dropout, Softmax and LRN
/// (MODEL-EXTENSIONS.md §3–6, §9, §11).
extension ONNXImporter {
    /// Element-wise activations. A `Sigmoid` whose only reader multiplies it by the sigmoid's own
    /// input is SiLU (swish), one SIMD pass, and a `HardSigmoid(x/6 + 1/2)` so multiplied is
    /// hard-swish (as exporters write it before opset 14): the `Mul` is taken with it
    /// (MODEL-EXTENSIONS.md §3).
    mutating func importActivation(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let node = model.graph.node[index]
        let function: ActivationFunction
        switch node.opType {
        case "Relu": function = .relu
        case "Sigmoid":
            if fuseProductWithInput(index, x, as: .swish) { return }
            function = .sigmoid
        case "HardSigmoid":
            let alpha = a.float("alpha") ?? 0.2, beta = a.float("beta") ?? 0.5
            if abs(alpha - 1.0 / 6) < 1e-6, beta == 0.5, fuseProductWithInput(index, x, as: .hardSwish) { return }
            function = .hardSigmoid(alpha: alpha, beta: beta)
        case "Tanh": function = .tanh
        case "HardSwish": function = .hardSwish
        case "LeakyRelu": function = .leakyRelu(alpha: a.float("alpha") ?? 0.01)
        default:
            func bound(_ position: Int, _ attribute: String, _ fallback: Double) -> Double? {
                if opset < 11 { return a.float(attribute) ?? fallback }
                guard node.input.count > position, !node.input[position].isEmpty else { return fallback }
                return constant(node.input[position])?.reals?.first
            }
            guard let lower = bound(1, "min", -.infinity), let upper = bound(2, "max", .infinity) else {
                return fail("the clip bounds must be constants", node: index)
            }
            function = lower == 0 && upper == .infinity ? .relu : .clip(lower: lower, upper: upper)
        }
        addLayer(index, .activation(function), inputs: [x.layer], output: x.dims)
    }

    /// A batch norm in either mode; a training-mode node's running mean and variance outputs are
    /// per-channel constants as far as the rest of the graph is concerned.
    mutating func importBatchNorm(_ index: Int, _ x: Activation) {
        addLayer(index, .batchNorm, inputs: [x.layer], output: x.dims)
        for output in model.graph.node[index].output.dropFirst() where !output.isEmpty {
            values[output] = .constant(ONNXConstant(dims: x.dims.prefix(1).map { $0 }, integers: nil, reals: nil))
        }
    }

    /// When the gate's only reader is `Mul(x, gate)` with `x` the gate's own input, one layer of
    /// `function` (`x · gate(x)`) for both, bound to the product; false when the pattern is not there.
    mutating func fuseProductWithInput(_ index: Int, _ x: Activation, as function: ActivationFunction) -> Bool {
        let node = model.graph.node[index]
        guard let output = node.output.first, let reader = soleConsumer(output), !consumed.contains(reader) else { return false }
        let product = model.graph.node[reader]
        guard product.opType == "Mul", product.domain.isEmpty || product.domain == "ai.onnx", product.input.count == 2,
              Set(product.input) == [output, node.input[0]] else { return false }
        consumed.insert(reader)
        if addLayer(index, .activation(function), inputs: [x.layer], output: x.dims, as: product.output.first) == nil {
            markUnavailable(reader)   // the Mul taken with it: its readers are not blamed
        }
        return true
    }

    mutating func importLRN(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        guard let size = a.int("size"), size >= 1 else { return fail("LRN needs a positive 'size'", node: index) }
        addLayer(index, .localResponseNorm(LocalResponseNorm(
            size: size, alpha: a.float("alpha") ?? 1e-4, beta: a.float("beta") ?? 0.75, bias: a.float("bias") ?? 1)),
                 inputs: [x.layer], output: x.dims)
    }

    /// A constant operand's per-sample shape: dims without a leading batch-sized 1 when it has the
    /// activation's full rank.
    func constantSampleDims(_ c: ONNXConstant, activationRank: Int) -> [Int]? {
        guard let dims = c.dims else { return nil }
        if dims.count == activationRank + 1 { return dims.first == 1 ? Array(dims.dropFirst()) : nil }
        return dims
    }

    mutating func importBinary(_ index: Int, _ x: Activation) {
        let node = model.graph.node[index]
        guard node.input.count == 2 else { return fail("expected two inputs", node: index) }
        let left = activation(node.input[0]), right = activation(node.input[1])
        if let left, let right {
            guard node.opType != "Div" else { return fail("division of two activations is not supported", node: index) }
            guard let dims = ONNXFolding.broadcast(left.dims, right.dims) else {
                return fail("the operands \(left.dims) and \(right.dims) do not broadcast", node: index)
            }
            // A subtraction costs what an addition does.
            let kind: LayerKind = node.opType == "Mul" ? .multiply : .add
            addLayer(index, kind, inputs: [left.layer, right.layer], output: dims)
            return
        }
        // One operand is a constant; only its shape matters (its values are never read).
        guard node.opType != "Div" || left != nil else {
            return fail("dividing a constant by an activation is not supported (only an activation by a constant)", node: index)
        }
        guard let constantName = left == nil ? node.input.first : node.input.last,
              case .constant(let c)? = values[constantName] else {
            return fail("an operand is neither an activation nor a constant", node: index)
        }
        if c.random { return importMask(index, x, c) }
        guard let cDims = constantSampleDims(c, activationRank: x.dims.count), let dims = ONNXFolding.broadcast(x.dims, cDims), dims == x.dims else {
            return fail("a constant operand of shape \(c.dims.map { "\($0)" } ?? "unknown") that changes the shape \(x.dims) is not supported",
                        node: index)
        }
        // Mul by per-channel constants followed by Add of per-channel constants: a batch norm.
        if node.opType == "Mul", let output = node.output.first, let next = soleConsumer(output),
           model.graph.node[next].opType == "Add", isPerChannel(cDims, x.dims) {
            let add = model.graph.node[next]
            let other = add.input.first { $0 != output } ?? ""
            if resolveConstant(other) != nil, case .constant(let shift)? = values[other],
               let shiftDims = constantSampleDims(shift, activationRank: x.dims.count), isPerChannel(shiftDims, x.dims) {
                consumed.insert(next)
                if addLayer(index, .batchNorm, inputs: [x.layer], output: x.dims, as: add.output.first) == nil {
                    markUnavailable(next)   // the Add taken with it: its readers are not blamed
                }
                return
            }
        }
        let function: ActivationFunction = node.opType == "Mul" || node.opType == "Div" ? .scale : .shift
        addLayer(index, .activation(function), inputs: [x.layer], output: x.dims)
    }

    /// A multiply by a random mask, as exporters write training-mode regularisation:
    /// one value per sample is stochastic depth, one per element is dropout (its ratio from the
    /// mask's threshold when the graph shows it, else ONNX's default 0.5).
    mutating func importMask(_ index: Int, _ x: Activation, _ mask: ONNXConstant) {
        let node = model.graph.node[index]
        guard node.opType == "Mul", let dims = mask.dims else {
            return fail("a random operand of \(node.opType) is not supported (only a mask multiplied in)", node: index)
        }
        let sample = dims.count == x.dims.count + 1 ? Array(dims.dropFirst()) : dims
        let batch = dims.count == x.dims.count + 1 ? dims[0] : 1
        guard batch == 1 || batch == modelBatch else {
            return fail("a random mask of shape \(dims) does not match the batch", node: index)
        }
        if sample.allSatisfy({ $0 == 1 }) && dims.count == x.dims.count + 1 {
            addLayer(index, .stochasticDepth, inputs: [x.layer], output: x.dims)
        } else if ONNXFolding.broadcast(x.dims, sample) == x.dims && (ONNXLimits.product(sample) ?? 0) == (ONNXLimits.product(x.dims) ?? -1) {
            addLayer(index, .dropout(ratio: mask.keepProbability.map { 1 - $0 } ?? 0.5), inputs: [x.layer], output: x.dims)
        } else {
            fail("a random mask of shape \(dims) over \(x.dims) per sample is neither per sample (stochastic depth) nor "
                 + "per element (dropout)", node: index)
        }
    }

    /// A constant with one value per channel (or a scalar) for an activation of these dimensions.
    func isPerChannel(_ c: [Int], _ x: [Int]) -> Bool {
        let elements = ONNXLimits.product(c) ?? 0
        return elements == 1 || (elements == x.first && (c.count == x.count ? c.first == x.first : c.count == 1))
    }

    mutating func importSum(_ index: Int) {
        let node = model.graph.node[index]
        let operands = node.input.compactMap { activation($0) }
        guard operands.count == node.input.count, let first = operands.first else {
            return fail("Sum of constants and activations is not supported", node: index)
        }
        var current = first
        for (position, operand) in operands.enumerated().dropFirst() {
            guard let dims = ONNXFolding.broadcast(current.dims, operand.dims) else {
                return fail("the operands \(current.dims) and \(operand.dims) do not broadcast", node: index)
            }
            let last = position == operands.count - 1
            guard let name = addLayer(index, .add, inputs: [current.layer, operand.layer], output: dims,
                                      suffix: last ? "" : ".\(position)", bind: last) else { return }
            current = (dims, name)
        }
        if operands.count == 1 { addLayer(index, .identity, inputs: [first.layer], output: first.dims) }
    }

    /// Concat along the channels. A concat whose only reader is this one is merged into it (one
    /// exporter nests the concats another writes flat; the layers are free, but the published R3
    /// rule would make the op before a nested one write at full width).
    mutating func importConcat(_ index: Int, _ a: ONNXAttributes) {
        let node = model.graph.node[index]
        let operands = node.input.compactMap { activation($0) }
        guard operands.count == node.input.count, let first = operands.first else {
            return fail("Concat of constants and activations is not supported", node: index)
        }
        guard let axis = sampleAxis(a.int("axis") ?? 1, rank: first.dims.count, index) else { return }
        guard axis == 0 else { return fail("concatenation along axis \(axis + 1) (not the channels) is not supported", node: index) }
        var dims = first.dims
        dims[0] = operands.reduce(0) { $0 + ($1.dims.first ?? 0) }
        var inputs: [String] = []
        for (name, operand) in zip(node.input, operands) {
            // This node is the only reader of the value, so of the layer bound to it.
            if soleConsumer(name) == index, let position = layerPositions[operand.layer], layers[position].kind == .concat,
               !mergedLayers.contains(position) {
                inputs += layers[position].inputs
                mergedLayers.insert(position)
            } else {
                inputs.append(operand.layer)
            }
        }
        addLayer(index, .concat, inputs: inputs, output: dims)
    }

    mutating func importDropout(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let node = model.graph.node[index]
        var ratio = a.float("ratio") ?? 0.5
        if opset >= 12, node.input.count > 1, !node.input[1].isEmpty {
            ratio = constant(node.input[1])?.reals?.first ?? ratio
        }
        guard ratio >= 0, ratio < 1 else { return fail("the dropout ratio \(ratio) is not in [0, 1)", node: index) }
        addLayer(index, .dropout(ratio: ratio), inputs: [x.layer], output: x.dims)
    }

    /// Softmax over one axis: the simulator's softmax runs over the channels of each position, so a
    /// softmax over another axis is viewed as `classes × rows` first (its cost depends only on the
    /// classes per row and the rows, MODEL-EXTENSIONS.md §6), then viewed back.
    mutating func importSoftmax(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let defaultAxis = opset >= 13 ? -1 : 1
        guard let axis = sampleAxis(a.int("axis") ?? defaultAxis, rank: x.dims.count, index) else { return }
        // Before opset 13 the axis flattens everything from it on into the classes.
        let classes = opset >= 13 ? x.dims[axis] : (ONNXLimits.product(x.dims[axis...]) ?? 0)
        let rows = (ONNXLimits.product(x.dims) ?? 0) / max(classes, 1)
        let rowMajor = TensorShape(channels: classes, height: rows, width: 1)
        var input = x.layer
        if foldedShape(x.dims) != rowMajor {
            guard let view = addLayer(index, .reshape(rowMajor), inputs: [x.layer], output: [classes, rows],
                                      suffix: ".rows", bind: false) else { return }
            input = view
        }
        addLayer(index, .softmax, inputs: [input], output: x.dims)
    }
}
