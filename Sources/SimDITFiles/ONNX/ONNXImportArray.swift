import SimDITCore

/// The importers of the array's operators and of what folds into them: Conv (with a `Pad` before
/// it), MaxPool and AveragePool (pools fold a `Pad` too), Gemm, MatMul (MODEL-EXTENSIONS.md §11).
extension ONNXImporter {
    mutating func importConvolution(_ index: Int, _ a: ONNXAttributes, _ padded: Activation) {
        let node = model.graph.node[index]
        let (x, extra) = unpadded(node.input[0], padded)
        guard x.dims.count == 3 else {
            return fail("only 2-D convolutions are supported (input per-sample dimensions \(x.dims))", node: index)
        }
        guard node.input.count >= 2, let w = constantDims(node.input[1]), w.count == 4 else {
            return fail("the weights must be a constant of 4 dimensions (an initializer or ConstantOfShape)", node: index)
        }
        let groups = a.int("group") ?? 1
        let kernel = a.ints("kernel_shape") ?? [w[2], w[3]]
        let strides = a.ints("strides") ?? [1, 1]
        let dilations = a.ints("dilations") ?? [1, 1]
        guard kernel.count == 2, strides.count == 2, dilations.count == 2, groups >= 1,
              (kernel + strides + dilations).allSatisfy({ $0 >= 1 }) else {
            return fail("kernel_shape, strides and dilations must be two positive numbers each, group positive", node: index)
        }
        guard w[1] * groups == x.dims[0] else {
            return fail("weights \(w) with group \(groups) need \(w[1] * groups) input channels, the input has \(x.dims[0])", node: index)
        }
        guard var padding = pads(index, a, input: [x.dims[1], x.dims[2]], kernel: kernel, strides: strides,
                                 dilations: dilations) else { return }
        padding = padding + extra
        let hasBias = node.input.count >= 3 && !node.input[2].isEmpty
        var convolution = Convolution(outputChannels: w[0], kernelHeight: kernel[0], kernelWidth: kernel[1],
                                      strideHeight: strides[0], strideWidth: strides[1], padding: padding,
                                      dilationHeight: dilations[0], dilationWidth: dilations[1], groups: groups, bias: hasBias)
        convolution.foldedBatchNorm = Self.recordsFoldedBatchNorm(node)
        let oh = Window.outputSize(x.dims[1], kernel: kernel[0], stride: strides[0], padBegin: padding.top,
                                   padEnd: padding.bottom, dilation: dilations[0])
        let ow = Window.outputSize(x.dims[2], kernel: kernel[1], stride: strides[1], padBegin: padding.left,
                                   padEnd: padding.right, dilation: dilations[1])
        addLayer(index, .convolution(convolution), inputs: [x.layer], output: [w[0], oh, ow])
    }

    /// `pads` (`[top, left, bottom, right]`) or `auto_pad`.
    mutating func pads(_ index: Int, _ a: ONNXAttributes, input: [Int], kernel: [Int], strides: [Int],
                       dilations: [Int]) -> Padding? {
        let autoPad = a.string("auto_pad") ?? "NOTSET"
        switch autoPad {
        case "NOTSET", "":
            let pads = a.ints("pads") ?? [0, 0, 0, 0]
            guard pads.count == 4, pads.allSatisfy({ $0 >= 0 }) else {
                fail("pads must be four numbers ≥ 0 (top, left, bottom, right), got \(pads)", node: index)
                return nil
            }
            return Padding(top: pads[0], left: pads[1], bottom: pads[2], right: pads[3])
        case "VALID":
            return .zero
        case "SAME_UPPER", "SAME_LOWER":
            var before = [0, 0], after = [0, 0]
            for axis in 0..<2 {
                let output = (input[axis] + strides[axis] - 1) / strides[axis]
                let total = max(0, (output - 1) * strides[axis] + (kernel[axis] - 1) * dilations[axis] + 1 - input[axis])
                let small = total / 2, large = total - small
                (before[axis], after[axis]) = autoPad == "SAME_UPPER" ? (small, large) : (large, small)
            }
            return Padding(top: before[0], left: before[1], bottom: after[0], right: after[1])
        default:
            fail("auto_pad '\(autoPad)' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID", node: index)
            return nil
        }
    }

    mutating func importPool(_ index: Int, _ a: ONNXAttributes, _ padded: Activation) {
        let node = model.graph.node[index]
        let (x, extra) = unpadded(node.input[0], padded)
        guard x.dims.count == 3 else { return fail(unsupportedRank(x.dims), node: index) }
        guard let kernel = a.ints("kernel_shape"), kernel.count == 2, kernel.allSatisfy({ $0 >= 1 }) else {
            return fail("kernel_shape must be two positive numbers", node: index)
        }
        let strides = a.ints("strides") ?? [1, 1]
        guard strides.count == 2, strides.allSatisfy({ $0 >= 1 }) else { return fail("strides must be two positive numbers", node: index) }
        if let dilations = a.ints("dilations"), dilations.contains(where: { $0 != 1 }) {
            return fail("dilated pooling is not supported", node: index)
        }
        guard var padding = pads(index, a, input: [x.dims[1], x.dims[2]], kernel: kernel, strides: strides,
                                 dilations: [1, 1]) else { return }
        padding = padding + extra
        let ceilMode = (a.int("ceil_mode") ?? 0) != 0
        let pooling = Pooling(kernelHeight: kernel[0], kernelWidth: kernel[1], strideHeight: strides[0],
                              strideWidth: strides[1], padding: padding, ceilMode: ceilMode)
        let oh = Window.outputSize(x.dims[1], kernel: kernel[0], stride: strides[0], padBegin: padding.top,
                                   padEnd: padding.bottom, ceilMode: ceilMode)
        let ow = Window.outputSize(x.dims[2], kernel: kernel[1], stride: strides[1], padBegin: padding.left,
                                   padEnd: padding.right, ceilMode: ceilMode)
        addLayer(index, node.opType == "MaxPool" ? .maxPool(pooling) : .averagePool(pooling), inputs: [x.layer],
                 output: [x.dims[0], oh, ow])
    }

    /// The value a convolution or pool reads, with any zero padding a `Pad` before it added.
    func unpadded(_ name: String, _ x: Activation) -> (Activation, Padding) {
        guard let pending = pendingPads[name] else { return (x, .zero) }
        return ((pending.dims, pending.layer), pending.padding)
    }

    /// A constant-mode `Pad` of the spatial dimensions, folded into the convolutions and pools that
    /// read it; any other reader is a diagnostic.
    mutating func importPad(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let node = model.graph.node[index]
        guard x.dims.count == 3 else { return fail(unsupportedRank(x.dims), node: index) }
        let mode = a.string("mode") ?? "constant"
        var pads = opset < 11 ? (a.ints("pads") ?? a.ints("paddings")) : (node.input.count > 1 ? constant(node.input[1])?.integers : nil)
        // From opset 18 an `axes` input says which axes the pads are for: spread them over all four.
        if opset >= 18, node.input.count > 3, !node.input[3].isEmpty {
            guard let axes = constant(node.input[3])?.integers, let given = pads, given.count == 2 * axes.count,
                  Set(axes.map { $0 < 0 ? $0 + 4 : $0 }).count == axes.count,
                  axes.allSatisfy({ (-4..<4).contains($0) }) else {
                return fail("the pads and axes must be constants, two pads per distinct axis", node: index)
            }
            var full = [Int](repeating: 0, count: 8)
            for (i, axis) in axes.map({ $0 < 0 ? $0 + 4 : $0 }).enumerated() {
                full[axis] = given[i]
                full[axis + 4] = given[i + axes.count]
            }
            pads = full
        }
        let value = opset < 11 ? (a.float("value") ?? 0) : (node.input.count > 2 && !node.input[2].isEmpty
                                                            ? constant(node.input[2])?.reals?.first ?? .nan : 0)
        guard mode == "constant", value == 0, let pads, pads.count == 8, pads.allSatisfy({ $0 >= 0 }),
              pads[0] == 0, pads[1] == 0, pads[4] == 0, pads[5] == 0 else {
            return fail("only a constant zero Pad of the height and width (folded into the next convolution or pool) is supported",
                        node: index)
        }
        guard let output = node.output.first else { return }
        let readers = (consumers[output] ?? []).map { model.graph.node[$0].opType }
        guard !readers.isEmpty, readers.allSatisfy({ ["Conv", "MaxPool", "AveragePool"].contains($0) }) else {
            return fail("a Pad read by \(readers.isEmpty ? "nothing" : readers.joined(separator: ", ")) is not supported (only "
                        + "by Conv, MaxPool or AveragePool, into which it folds)", node: index)
        }
        let padding = Padding(top: pads[2], left: pads[3], bottom: pads[6], right: pads[7])
        pendingPads[output] = (x.dims, x.layer, padding)
        values[output] = .activation(dims: [x.dims[0], x.dims[1] + pads[2] + pads[6], x.dims[2] + pads[3] + pads[7]],
                                     layer: x.layer)
    }

    mutating func importGemm(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let node = model.graph.node[index]
        guard !node.input.isEmpty, activation(node.input[0]) != nil, (a.int("transA") ?? 0) == 0 else {
            return fail("the first operand must be the activation, not transposed", node: index)
        }
        guard x.dims.count == 1 else { return fail("Gemm needs a 2-D input (N × features), got per-sample \(x.dims)", node: index) }
        guard node.input.count >= 2, let b = constantDims(node.input[1]), b.count == 2 else {
            return fail("the weights must be a 2-D constant", node: index)
        }
        let transposed = (a.int("transB") ?? 0) != 0
        let (inputs, outputs) = transposed ? (b[1], b[0]) : (b[0], b[1])
        guard inputs == x.dims[0] else {
            return fail("weights \(b)\(transposed ? " (transposed)" : "") need \(inputs) input features, the input has \(x.dims[0])", node: index)
        }
        let hasBias = node.input.count >= 3 && !node.input[2].isEmpty
        addLayer(index, .fullyConnected(outputFeatures: outputs, bias: hasBias), inputs: [x.layer], output: [outputs])
    }

    mutating func importMatMul(_ index: Int, _ x: Activation) {
        let node = model.graph.node[index]
        guard node.input.count >= 2, activation(node.input[0]) != nil, let b = constantDims(node.input[1]), b.count == 2 else {
            return fail("only an activation times a 2-D constant (a fully-connected layer) is supported", node: index)
        }
        guard let features = x.dims.last, b[0] == features else {
            return fail("weights \(b) need \(b[0]) input features, the input's last dimension is \(x.dims.last ?? 0)", node: index)
        }
        if x.dims.count == 1 {
            addLayer(index, .fullyConnected(outputFeatures: b[1], bias: false), inputs: [x.layer], output: [b[1]])
        } else {
            // A GEMM per row: the input viewed with the features last, then the product.
            let rows = (ONNXLimits.product(x.dims.dropLast()) ?? 0)
            var input = x.layer
            if foldedShape(x.dims).lastNonUnitDimension != features {
                guard let view = addLayer(index, .reshape(TensorShape(channels: 1, height: rows, width: features)),
                                          inputs: [x.layer], output: [1, rows, features], suffix: ".rows", bind: false)
                else { return }
                input = view
            }
            addLayer(index, .matMul(inputFeatures: features, outputFeatures: b[1], bias: false), inputs: [input],
                     output: Array(x.dims.dropLast()) + [b[1]])
        }
    }

    /// Whether the exporter recorded that it folded a batch norm into this node (PyTorch's default
    /// exporter names the onnxscript rewrite rule in the node's metadata). Such a convolution's
    /// bias is the batch norm's shift, dropped from the file when it was zero (untrained weights).
    static func recordsFoldedBatchNorm(_ node: Onnx_NodeProto) -> Bool {
        node.metadataProps.contains { $0.key == "pkg.onnxscript.rewriter.rule_name" && $0.value.contains("FuseBatchNormIntoConv") }
    }
}
