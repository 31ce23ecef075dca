import Foundation
import SimDITCore
import SwiftProtobuf

/// Reads an ONNX model into a network graph (MODEL-EXTENSIONS.md §11). Shapes are inferred here,
/// node by node, from the data input's shape and the weights' shapes (initializers, or
/// `ConstantOfShape(shape)` producers in stripped files); the batch dimension, fixed or symbolic,
/// is dropped (the run's `--batch` replaces it). Every node becomes a layer of the matching kind,
/// a zero-cost view (Identity, inference Dropout, Flatten, Reshape, Squeeze, Unsqueeze), or, when
/// it only computes constants (weight reshapes, shape arithmetic), nothing. `Mul` then `Add` by
/// per-channel constants is a batch norm. Anything else is a diagnostic naming the node.
public enum ONNXFile {
    /// The operators the importer maps (default domain).
    public static let supportedOperators: [String] = [
        "Add", "AveragePool", "BatchNormalization", "Cast", "Clip", "Concat", "Constant", "ConstantOfShape", "Conv",
        "Div", "Dropout", "Flatten", "Pad", "Gather", "Gemm", "GlobalAveragePool", "GlobalMaxPool", "HardSigmoid", "HardSwish",
        "Identity", "LRN", "LeakyRelu", "LogSoftmax", "MatMul", "MaxPool", "Mul", "Relu", "Reshape", "Shape", "Sigmoid",
        "Softmax", "Squeeze", "Sub", "Sum", "Tanh", "Transpose", "Unsqueeze",
    ]

    /// The default-domain opsets whose semantics the importer implements.
    public static let opsets: ClosedRange<Int> = 1...23

    /// Reads and validates a model file, including the resulting graph.
    public static func read(path: String) -> Result<NetworkFile.Loaded, DiagnosticError> {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "no such file"
            return .failure(DiagnosticError([Diagnostic("cannot read the ONNX model: \(reason)", file: path)]))
        }
        return read(data: data, file: path)
    }

    /// Reads a model from its bytes; `file` names it in diagnostics.
    public static func read(data: Data, file: String) -> Result<NetworkFile.Loaded, DiagnosticError> {
        let model: Onnx_ModelProto
        do {
            var options = BinaryDecodingOptions()
            options.messageDepthLimit = 64
            model = try Onnx_ModelProto(serializedBytes: data, options: options)
        } catch {
            return .failure(DiagnosticError([Diagnostic(
                "not an ONNX model: the protobuf does not decode (\(error))", file: file,
                notes: ["give a .onnx file as written by torch.onnx.export, onnx.save or another exporter"])]))
        }
        var importer = Importer(model: model, file: file)
        let network = importer.run()
        guard importer.diagnostics.isEmpty, let network else {
            return .failure(DiagnosticError(importer.diagnostics.isEmpty
                ? [Diagnostic("the model has no graph to import", file: file)] : importer.diagnostics))
        }
        let loaded = NetworkFile.Loaded(network: network, file: file, layerPositions: [], fieldPositions: [])
        if case .failure(let error) = network.inferShapes() {
            return .failure(DiagnosticError(error.issues.map { issue in
                let layer = issue.layerIndex.map { network.layers[$0].name } ?? network.name
                return Diagnostic("node '\(layer)': \(issue.message)", file: file, keyPath: "graph")
            }))
        }
        return .success(loaded)
    }
}

/// One import: the values seen so far, the layers made, the diagnostics.
private struct Importer {
    let model: Onnx_ModelProto
    let file: String
    var values: [String: ONNXValue] = [:]
    var layers: [Layer] = []
    var layerNames: Set<String> = [Network.inputName]
    var shapes: [String: TensorShape] = [Network.inputName: TensorShape(channels: 1, height: 1, width: 1)]
    var diagnostics: [Diagnostic] = []
    var opset = 1
    /// The model's own batch size when fixed (Reshape targets may spell it).
    var modelBatch: Int?
    /// Nodes already handled as part of a pattern (the `Add` of a `Mul`+`Add` batch norm).
    var consumed: Set<Int> = []
    /// Zero padding a `Pad` node adds, folded into the convolution or pool that reads its output:
    /// the unpadded value and the padding.
    var pendingPads: [String: (dims: [Int], layer: String, padding: Padding)] = [:]
    var consumers: [String: [Int]] = [:]
    var producers: [String: Int] = [:]

    init(model: Onnx_ModelProto, file: String) {
        self.model = model
        self.file = file
    }

    mutating func fail(_ message: String, node index: Int? = nil, notes: [String] = []) {
        var text = message
        var keyPath = "graph"
        if let index {
            let node = model.graph.node[index]
            let name = node.name.isEmpty ? (node.output.first ?? "?") : node.name
            text = "node '\(name)' (\(node.opType)): " + message
            keyPath = "graph.node[\(index)]"
        }
        diagnostics.append(Diagnostic(text, file: file, keyPath: keyPath, notes: notes))
    }

    mutating func run() -> Network? {
        guard model.hasGraph else { return nil }
        let graph = model.graph
        if let set = model.opsetImport.first(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" }) {
            opset = Int(clamping: set.version)
        } else if !model.opsetImport.isEmpty {
            fail("the model imports no default-domain (ai.onnx) opset")
        }
        if !ONNXFile.opsets.contains(opset) {
            fail("opset \(opset) is not supported (supported: \(ONNXFile.opsets.lowerBound)–\(ONNXFile.opsets.upperBound))")
            return nil
        }
        for initializer in graph.initializer { values[initializer.name] = .constant(ONNXConstant(initializer)) }
        // The data input: the one graph input that is not an initializer.
        let dataInputs = graph.input.filter { values[$0.name] == nil }
        guard dataInputs.count == 1, let data = dataInputs.first else {
            fail(dataInputs.isEmpty ? "the graph has no data input (every input is an initializer)"
                 : "the graph has \(dataInputs.count) data inputs (\(dataInputs.map(\.name).joined(separator: ", "))); simdit imports single-input CNNs")
            return nil
        }
        guard let inputDims = readInput(data) else { return nil }
        let inputShape = foldedShape(inputDims)
        shapes[Network.inputName] = inputShape
        values[data.name] = .activation(dims: inputDims, layer: Network.inputName)
        for (index, node) in graph.node.enumerated() {
            for name in node.input where !name.isEmpty { consumers[name, default: []].append(index) }
            for name in node.output where !name.isEmpty { producers[name] = index }
        }
        for index in graph.node.indices where !consumed.contains(index) {
            importNode(index)
            if diagnostics.count >= 20 { break }
        }
        guard diagnostics.isEmpty else { return nil }
        if layers.isEmpty {
            fail("the graph computes nothing from its data input")
            return nil
        }
        let name = graph.name.isEmpty ? ArchitectureFile.fileStem(file) : graph.name
        return Network(name: name, input: inputShape, layers: layers)
    }

    /// The data input's per-sample dimensions: the first is the batch (fixed or symbolic), the
    /// rest must be fixed.
    mutating func readInput(_ input: Onnx_ValueInfoProto) -> [Int]? {
        guard input.hasType, case .tensorType(let tensor)? = input.type.value, tensor.hasShape else {
            fail("the data input '\(input.name)' has no tensor shape")
            return nil
        }
        let dims = tensor.shape.dim
        guard dims.count >= 2 else {
            fail("the data input '\(input.name)' has \(dims.count) dimension\(dims.count == 1 ? "" : "s"); expected a batch and a sample shape (N × C × H × W)")
            return nil
        }
        if case .dimValue(let batch)? = dims[0].value { modelBatch = Int(clamping: batch) }
        var sample: [Int] = []
        for (axis, dim) in dims.enumerated().dropFirst() {
            guard case .dimValue(let value)? = dim.value, value > 0, value <= Int64(ONNXLimits.dimension) else {
                if case .dimValue(let value)? = dim.value {
                    fail("the data input '\(input.name)' has dimension \(axis) of \(value); each must be 1 to \(ONNXLimits.dimension)")
                    return nil
                }
                let what = dim.dimParam.isEmpty ? "unknown" : "symbolic ('\(dim.dimParam)')"
                fail("the data input '\(input.name)' has a dynamic dimension \(axis) (\(what)); only the batch may be dynamic",
                     notes: ["export the model with a fixed input size"])
                return nil
            }
            sample.append(Int(value))
        }
        guard ONNXLimits.product(sample) != nil else {
            fail("the data input '\(input.name)' has more than \(ONNXLimits.elements) elements per sample")
            return nil
        }
        return sample
    }

    // MARK: Values

    func constant(_ name: String) -> ONNXConstant? {
        if case .constant(let c)? = values[name] { return c }
        return nil
    }

    /// A constant a later node produces from constants only (exporters may emit a batch norm's
    /// `Unsqueeze` of its shift after the `Mul`): evaluated now, and not again in order. Nil when
    /// it depends on an activation or is unknown. The depth is bounded by the graph's nodes.
    mutating func resolveConstant(_ name: String, depth: Int = 0) -> ONNXConstant? {
        if let known = constant(name) { return known }
        guard values[name] == nil, depth < 64, let index = producers[name], !consumed.contains(index) else { return nil }
        let node = model.graph.node[index]
        for input in node.input where !input.isEmpty {
            guard resolveConstant(input, depth: depth + 1) != nil else { return nil }
        }
        importConstantNode(index)
        consumed.insert(index)
        return constant(name)
    }

    func activation(_ name: String) -> (dims: [Int], layer: String)? {
        if case .activation(let dims, let layer)? = values[name] { return (dims, layer) }
        return nil
    }

    /// A unique layer name for a node.
    mutating func layerName(_ node: Onnx_NodeProto, suffix: String = "") -> String {
        var base = (node.name.isEmpty ? (node.output.first ?? node.opType) : node.name) + suffix
        if base.isEmpty { base = node.opType }
        var name = base, counter = 1
        while layerNames.contains(name) {
            counter += 1
            name = "\(base)_\(counter)"
        }
        layerNames.insert(name)
        return name
    }

    /// Adds a layer reading these producers; its output shape must be the folded ONNX shape
    /// `dims`, or a zero-cost reshape follows to make it so. Returns the name of the value's layer.
    @discardableResult
    mutating func addLayer(_ node: Int, _ kind: LayerKind, inputs: [String], output dims: [Int], suffix: String = "",
                           bind: Bool = true) -> String? {
        let onnxNode = model.graph.node[node]
        guard dims.allSatisfy({ $0 >= 1 && $0 <= ONNXLimits.dimension }), ONNXLimits.product(dims) != nil else {
            fail("the output shape \(dims) per sample is empty or too large (each dimension 1 to \(ONNXLimits.dimension), "
                 + "at most \(ONNXLimits.elements) elements)", node: node)
            return nil
        }
        let inputShapes = inputs.map { shapes[$0] ?? TensorShape(channels: 1, height: 1, width: 1) }
        let shape: TensorShape
        switch kind.outputShape(for: inputShapes) {
        case .success(let inferred): shape = inferred
        case .failure(let error):
            fail(error.issues.map(\.message).joined(separator: "; "), node: node)
            return nil
        }
        let name = layerName(onnxNode, suffix: suffix)
        layers.append(Layer(name: name, kind: kind, inputs: inputs))
        shapes[name] = shape
        var last = name
        let expected = foldedShape(dims)
        if shape != expected {
            guard shape.elements == expected.elements else {
                fail("the layer's shape \(shape) does not match the model's \(dims)", node: node)
                return nil
            }
            let view = layerName(onnxNode, suffix: suffix + ".view")
            layers.append(Layer(name: view, kind: .reshape(expected), inputs: [name]))
            shapes[view] = expected
            last = view
        }
        if bind, let output = onnxNode.output.first { values[output] = .activation(dims: dims, layer: last) }
        return last
    }

    // MARK: Nodes

    mutating func importNode(_ index: Int) {
        let node = model.graph.node[index]
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            fail("operators of domain '\(node.domain)' are not supported", node: index,
                 notes: ["supported (default domain): \(ONNXFile.supportedOperators.joined(separator: ", "))"])
            return
        }
        let inputs = node.input
        let present = inputs.filter { !$0.isEmpty }
        for name in present where values[name] == nil {
            fail("input '\(name)' is not produced by an earlier node, an initializer or the graph input", node: index)
            return
        }
        // Nodes on constants only compute constants (weights, shapes): no layer.
        if !present.contains(where: { activation($0) != nil }) {
            importConstantNode(index)
            return
        }
        let attributes = ONNXAttributes(node)
        let activations = present.compactMap { activation($0) }
        guard let x = activations.first else { return }
        switch node.opType {
        case "Pad": importPad(index, attributes, x)
        case "Conv": importConvolution(index, attributes, x)
        case "BatchNormalization":
            addLayer(index, .batchNorm, inputs: [x.layer], output: x.dims)
        case "Relu": addLayer(index, .relu, inputs: [x.layer], output: x.dims)
        case "Sigmoid": addLayer(index, .activation(.sigmoid), inputs: [x.layer], output: x.dims)
        case "Tanh": addLayer(index, .activation(.tanh), inputs: [x.layer], output: x.dims)
        case "HardSwish": addLayer(index, .activation(.hardSwish), inputs: [x.layer], output: x.dims)
        case "HardSigmoid":
            addLayer(index, .activation(.hardSigmoid(alpha: attributes.float("alpha") ?? 0.2, beta: attributes.float("beta") ?? 0.5)),
                     inputs: [x.layer], output: x.dims)
        case "LeakyRelu":
            addLayer(index, .activation(.leakyRelu(alpha: attributes.float("alpha") ?? 0.01)), inputs: [x.layer], output: x.dims)
        case "Clip": importClip(index, attributes, x)
        case "Add", "Sub", "Mul", "Div": importBinary(index, x)
        case "Sum": importSum(index)
        case "MaxPool", "AveragePool": importPool(index, attributes, x)
        case "GlobalAveragePool", "GlobalMaxPool":
            guard x.dims.count == 3 else { return unsupportedRank(index, x.dims) }
            addLayer(index, node.opType == "GlobalMaxPool" ? .globalMaxPool : .globalAveragePool, inputs: [x.layer],
                     output: [x.dims[0], 1, 1])
        case "LRN":
            guard let size = attributes.int("size"), size >= 1 else { return fail("LRN needs a positive 'size'", node: index) }
            addLayer(index, .localResponseNorm(LocalResponseNorm(
                size: size, alpha: attributes.float("alpha") ?? 1e-4, beta: attributes.float("beta") ?? 0.75,
                bias: attributes.float("bias") ?? 1)), inputs: [x.layer], output: x.dims)
        case "Concat": importConcat(index, attributes)
        case "Identity": addLayer(index, .identity, inputs: [x.layer], output: x.dims)
        case "Dropout": importDropout(index, attributes, x)
        case "Flatten": importFlatten(index, attributes, x)
        case "Reshape": importReshape(index, attributes, x)
        case "Squeeze", "Unsqueeze": importSqueeze(index, attributes, x)
        case "Transpose": importTranspose(index, attributes, x)
        case "Gemm": importGemm(index, attributes, x)
        case "MatMul": importMatMul(index, x)
        case "Softmax", "LogSoftmax": importSoftmax(index, attributes, x)
        case "Cast": addLayer(index, .identity, inputs: [x.layer], output: x.dims)
        case "Shape":
            // The shape of an activation is a constant: the batch (1 if symbolic) and the sample shape.
            if let output = node.output.first {
                let dims = [modelBatch ?? 1] + x.dims
                values[output] = .constant(ONNXConstant(dims: [dims.count], integers: dims, reals: dims.map(Double.init)))
            }
        default:
            fail("operator \(node.opType) is not supported", node: index,
                 notes: ["supported: \(ONNXFile.supportedOperators.joined(separator: ", "))"])
        }
    }

    mutating func unsupportedRank(_ index: Int, _ dims: [Int]) {
        fail("expected an N × C × H × W tensor, got per-sample dimensions \(dims)", node: index)
    }

    /// Normalises an axis of the full tensor (batch included) to a per-sample axis; nil (with a
    /// diagnostic) for the batch axis or out of range.
    mutating func sampleAxis(_ axis: Int, rank sampleRank: Int, _ index: Int) -> Int? {
        let rank = sampleRank + 1
        let normalized = axis < 0 ? axis + rank : axis
        guard normalized >= 0, normalized < rank else {
            fail("axis \(axis) is out of range for a rank-\(rank) tensor", node: index)
            return nil
        }
        guard normalized > 0 else {
            fail("axis 0 is the batch; simdit models each sample separately", node: index)
            return nil
        }
        return normalized - 1
    }

    mutating func importConvolution(_ index: Int, _ a: ONNXAttributes, _ padded: (dims: [Int], layer: String)) {
        let node = model.graph.node[index]
        let (x, extra) = unpadded(node.input[0], padded)
        guard x.dims.count == 3 else {
            return fail("only 2-D convolutions are supported (input per-sample dimensions \(x.dims))", node: index)
        }
        guard node.input.count >= 2, let weights = constant(node.input[1]), let w = weights.dims, w.count == 4 else {
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
        let convolution = Convolution(outputChannels: w[0], kernelHeight: kernel[0], kernelWidth: kernel[1],
                                      strideHeight: strides[0], strideWidth: strides[1], padding: padding,
                                      dilationHeight: dilations[0], dilationWidth: dilations[1], groups: groups, bias: hasBias)
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

    mutating func importPool(_ index: Int, _ a: ONNXAttributes, _ padded: (dims: [Int], layer: String)) {
        let node = model.graph.node[index]
        let (x, extra) = unpadded(node.input[0], padded)
        guard x.dims.count == 3 else { return unsupportedRank(index, x.dims) }
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
    func unpadded(_ name: String, _ x: (dims: [Int], layer: String)) -> ((dims: [Int], layer: String), Padding) {
        guard let pending = pendingPads[name] else { return (x, .zero) }
        return ((pending.dims, pending.layer), pending.padding)
    }

    /// A constant-mode `Pad` of the spatial dimensions, folded into the convolutions and pools that
    /// read it; any other reader is a diagnostic.
    mutating func importPad(_ index: Int, _ a: ONNXAttributes, _ x: (dims: [Int], layer: String)) {
        let node = model.graph.node[index]
        guard x.dims.count == 3 else { return unsupportedRank(index, x.dims) }
        let mode = a.string("mode") ?? "constant"
        let pads = opset < 11 ? (a.ints("pads") ?? a.ints("paddings")) : (node.input.count > 1 ? constant(node.input[1])?.integers : nil)
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

    mutating func importClip(_ index: Int, _ a: ONNXAttributes, _ x: (dims: [Int], layer: String)) {
        let node = model.graph.node[index]
        func bound(_ position: Int, _ attribute: String, _ fallback: Double) -> Double? {
            if opset < 11 { return a.float(attribute) ?? fallback }
            guard node.input.count > position, !node.input[position].isEmpty else { return fallback }
            return constant(node.input[position])?.reals?.first
        }
        guard let lower = bound(1, "min", -.infinity), let upper = bound(2, "max", .infinity) else {
            return fail("the clip bounds must be constants", node: index)
        }
        let function: ActivationFunction = lower == 0 && upper == .infinity ? .relu : .clip(lower: lower, upper: upper)
        addLayer(index, .activation(function), inputs: [x.layer], output: x.dims)
    }

    /// Numpy broadcasting of two per-sample shapes (right-aligned).
    func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a, pb = [Int](repeating: 1, count: rank - b.count) + b
        var result: [Int] = []
        for (p, q) in zip(pa, pb) {
            guard p == q || p == 1 || q == 1 else { return nil }
            result.append(max(p, q))
        }
        return result
    }

    /// A constant operand's per-sample shape: dims without a leading batch-sized 1 when it has the
    /// activation's full rank.
    func constantSampleDims(_ c: ONNXConstant, activationRank: Int) -> [Int]? {
        guard let dims = c.dims else { return nil }
        if dims.count == activationRank + 1 { return dims.first == 1 ? Array(dims.dropFirst()) : nil }
        return dims
    }

    mutating func importBinary(_ index: Int, _ x: (dims: [Int], layer: String)) {
        let node = model.graph.node[index]
        guard node.input.count == 2 else { return fail("expected two inputs", node: index) }
        let left = activation(node.input[0]), right = activation(node.input[1])
        if let left, let right {
            guard node.opType != "Div" else { return fail("division of two activations is not supported", node: index) }
            guard let dims = broadcast(left.dims, right.dims) else {
                return fail("the operands \(left.dims) and \(right.dims) do not broadcast", node: index)
            }
            // A subtraction costs what an addition does.
            let kind: LayerKind = node.opType == "Mul" ? .multiply : .add
            addLayer(index, kind, inputs: [left.layer, right.layer], output: dims)
            return
        }
        // One operand is a constant.
        guard let constantName = left == nil ? node.input.first : node.input.last, let c = constant(constantName) else { return }
        guard let cDims = constantSampleDims(c, activationRank: x.dims.count), let dims = broadcast(x.dims, cDims), dims == x.dims else {
            return fail("a constant operand of shape \(c.dims.map { "\($0)" } ?? "unknown") that changes the shape \(x.dims) is not supported",
                        node: index)
        }
        // Mul by per-channel constants followed by Add of per-channel constants: a batch norm.
        if node.opType == "Mul", let output = node.output.first, let next = consumers[output], next.count == 1,
           model.graph.node[next[0]].opType == "Add", isPerChannel(cDims, x.dims) {
            let add = model.graph.node[next[0]]
            let other = add.input.first { $0 != output } ?? ""
            if let shift = resolveConstant(other), let shiftDims = constantSampleDims(shift, activationRank: x.dims.count),
               isPerChannel(shiftDims, x.dims) {
                consumed.insert(next[0])
                if let name = addLayer(index, .batchNorm, inputs: [x.layer], output: x.dims, bind: false),
                   let addOutput = add.output.first {
                    values[addOutput] = .activation(dims: x.dims, layer: name)
                }
                return
            }
        }
        let function: ActivationFunction = node.opType == "Mul" || node.opType == "Div" ? .scale : .shift
        addLayer(index, .activation(function), inputs: [x.layer], output: x.dims)
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
            guard let dims = broadcast(current.dims, operand.dims) else {
                return fail("the operands \(current.dims) and \(operand.dims) do not broadcast", node: index)
            }
            let last = position == operands.count - 1
            guard let name = addLayer(index, .add, inputs: [current.layer, operand.layer], output: dims,
                                      suffix: last ? "" : ".\(position)", bind: last) else { return }
            current = (dims, name)
        }
        if operands.count == 1 { addLayer(index, .identity, inputs: [first.layer], output: first.dims) }
    }

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
        addLayer(index, .concat, inputs: operands.map(\.layer), output: dims)
    }

    mutating func importDropout(_ index: Int, _ a: ONNXAttributes, _ x: (dims: [Int], layer: String)) {
        let node = model.graph.node[index]
        var ratio = a.float("ratio") ?? 0.5
        if opset >= 12, node.input.count > 1, !node.input[1].isEmpty {
            ratio = constant(node.input[1])?.reals?.first ?? ratio
        }
        guard ratio >= 0, ratio < 1 else { return fail("the dropout ratio \(ratio) is not in [0, 1)", node: index) }
        addLayer(index, .dropout(ratio: ratio), inputs: [x.layer], output: x.dims)
    }

    mutating func importFlatten(_ index: Int, _ a: ONNXAttributes, _ x: (dims: [Int], layer: String)) {
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
    mutating func importReshape(_ index: Int, _ a: ONNXAttributes, _ x: (dims: [Int], layer: String)) {
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

    mutating func importSqueeze(_ index: Int, _ a: ONNXAttributes, _ x: (dims: [Int], layer: String)) {
        let node = model.graph.node[index]
        let axes = opset < 13 ? a.ints("axes") : (node.input.count > 1 ? constant(node.input[1])?.integers : nil)
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

    mutating func importTranspose(_ index: Int, _ a: ONNXAttributes, _ x: (dims: [Int], layer: String)) {
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

    mutating func importGemm(_ index: Int, _ a: ONNXAttributes, _ x: (dims: [Int], layer: String)) {
        let node = model.graph.node[index]
        guard !node.input.isEmpty, activation(node.input[0]) != nil, (a.int("transA") ?? 0) == 0 else {
            return fail("the first operand must be the activation, not transposed", node: index)
        }
        guard x.dims.count == 1 else { return fail("Gemm needs a 2-D input (N × features), got per-sample \(x.dims)", node: index) }
        guard node.input.count >= 2, let b = constant(node.input[1])?.dims, b.count == 2 else {
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

    mutating func importMatMul(_ index: Int, _ x: (dims: [Int], layer: String)) {
        let node = model.graph.node[index]
        guard node.input.count >= 2, activation(node.input[0]) != nil, let b = constant(node.input[1])?.dims, b.count == 2 else {
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

    /// Softmax over one axis: the simulator's softmax runs over the channels of each position, so a
    /// softmax over another axis is viewed as `classes × rows` first (its cost depends only on the
    /// classes per row and the rows, MODEL-EXTENSIONS.md §6), then viewed back.
    mutating func importSoftmax(_ index: Int, _ a: ONNXAttributes, _ x: (dims: [Int], layer: String)) {
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

    // MARK: Constants

    /// A node whose inputs are all constants: its outputs are constants, with dimensions and small
    /// data where the importer evaluates the op.
    mutating func importConstantNode(_ index: Int) {
        let node = model.graph.node[index]
        let a = ONNXAttributes(node)
        let inputs = node.input.map { constant($0) }
        var result = ONNXConstant(dims: nil, integers: nil, reals: nil)
        switch node.opType {
        case "Constant":
            if let tensor = a.tensor("value") {
                result = ONNXConstant(tensor)
            } else if let value = a.float("value_float") {
                result = ONNXConstant(dims: [], integers: nil, reals: [value])
            } else if let value = a.int("value_int") {
                result = ONNXConstant(dims: [], integers: [value], reals: [Double(value)])
            } else if let values = a.ints("value_ints") {
                result = ONNXConstant(dims: [values.count], integers: values, reals: values.map(Double.init))
            }
        case "ConstantOfShape":
            if let shape = inputs.first??.integers, shape.allSatisfy({ $0 >= 0 && $0 <= ONNXLimits.dimension }),
               ONNXLimits.product(shape) != nil {
                result.dims = shape
            }
        case "Identity", "Cast", "Dropout":
            if let input = inputs.first ?? nil { result = input }
        case "Reshape":
            if let dims = inputs.first??.dims, let target = (node.input.count > 1 ? inputs[1]?.integers : a.ints("shape")) {
                let elements = ONNXLimits.product(dims) ?? 0
                var out = target.enumerated().map { $1 == 0 && $0 < dims.count ? dims[$0] : $1 }
                if let hole = out.firstIndex(of: -1) {
                    let known = ONNXLimits.product(out.filter { $0 != -1 }) ?? 0
                    out[hole] = known > 0 ? elements / known : 0
                }
                if out.allSatisfy({ $0 >= 0 && $0 <= ONNXLimits.dimension }), ONNXLimits.product(out) == elements {
                    result = ONNXConstant(dims: out, integers: inputs[0]?.integers, reals: inputs[0]?.reals)
                }
            }
        case "Transpose":
            if let dims = inputs.first??.dims {
                let perm = a.ints("perm") ?? Array((0..<dims.count).reversed())
                if perm.count == dims.count, Set(perm) == Set(0..<dims.count) { result.dims = perm.map { dims[$0] } }
            }
        case "Unsqueeze", "Squeeze":
            if var dims = inputs.first??.dims {
                let axes = opset < 13 ? a.ints("axes") : (inputs.count > 1 ? inputs[1]?.integers : nil)
                if node.opType == "Unsqueeze", let axes {
                    let rank = dims.count + axes.count
                    for axis in axes.map({ $0 < 0 ? $0 + rank : $0 }).sorted() where axis >= 0 && axis <= dims.count {
                        dims.insert(1, at: axis)
                    }
                    result = ONNXConstant(dims: dims, integers: inputs[0]?.integers, reals: inputs[0]?.reals)
                } else if node.opType == "Squeeze" {
                    let rank = dims.count
                    let drop = Set((axes ?? dims.indices.filter { dims[$0] == 1 }).map { $0 < 0 ? $0 + rank : $0 })
                    result = ONNXConstant(dims: dims.indices.filter { !drop.contains($0) }.map { dims[$0] },
                                          integers: inputs[0]?.integers, reals: inputs[0]?.reals)
                }
            }
        case "Concat":
            let parts = inputs.compactMap { $0?.integers }
            if parts.count == inputs.count, inputs.allSatisfy({ $0?.dims?.count == 1 }) {
                let joined = parts.flatMap { $0 }
                result = ONNXConstant(dims: [joined.count], integers: joined, reals: joined.map(Double.init))
            }
        case "Gather":
            if let data = inputs.first??.integers, let indices = (inputs.count > 1 ? inputs[1] : nil)?.integers,
               inputs[0]?.dims?.count == 1, (a.int("axis") ?? 0) == 0 {
                let picked = indices.compactMap { i -> Int? in
                    let j = i < 0 ? i + data.count : i
                    return data.indices.contains(j) ? data[j] : nil
                }
                if picked.count == indices.count {
                    let scalar = (inputs[1]?.dims ?? []).isEmpty
                    result = ONNXConstant(dims: scalar ? [] : [picked.count], integers: picked, reals: picked.map(Double.init))
                }
            }
        case "Mul", "Add", "Sub", "Div":
            if let lhs = inputs.first ?? nil, let rhs = inputs.count > 1 ? inputs[1] : nil, let l = lhs.dims, let r = rhs.dims {
                result.dims = (ONNXLimits.product(l) ?? 0) >= (ONNXLimits.product(r) ?? 0) ? l : r
            }
        default:
            break
        }
        for output in node.output where !output.isEmpty { values[output] = .constant(result) }
    }
}
