import Foundation
import SimDITCore

/// One import (MODEL-EXTENSIONS.md §11): the values seen so far, the layers made, the problems
/// found. Shapes are inferred here, node by node, from the data input's shape and the weights'
/// shapes (initializers, or `ConstantOfShape(shape)` producers in stripped files); the batch
/// dimension, fixed or symbolic, is dropped (the run's `--batch` replaces it). Every node becomes
/// a layer of the matching kind, a zero-cost view, or, when it only computes constants (weight
/// reshapes, shape arithmetic), a constant evaluated here. The op importers are extensions in the
/// files beside this one, one file per family.
///
/// Every problem is reported in one run: an unsupported operator once, with its count and its first
/// nodes; whatever reads the output of a node that could not be imported is skipped silently (no
/// cascade); past `problemLimit` other problems, one more line says how many were left out.
struct ONNXImporter {
    typealias Activation = (dims: [Int], layer: String)

    let model: Onnx_ModelProto
    let file: String
    let externalData: ONNXExternalData
    var values: [String: ONNXValue] = [:]
    var layers: [Layer] = []
    /// Each layer's position in `layers`, by name.
    var layerPositions: [String: Int] = [:]
    /// Layers merged into a later one (a concat read only by another concat), left out at the end.
    var mergedLayers: Set<Int> = []
    var layerNames: Set<String> = [Network.inputName]
    var shapes: [String: TensorShape] = [Network.inputName: TensorShape(channels: 1, height: 1, width: 1)]
    /// Problems other than unsupported operators, in graph order.
    var problems: [Diagnostic] = []
    /// Unsupported operators, in order of first appearance: the operator, its node indices.
    var unsupported: [(operator: String, nodes: [Int])] = []
    /// Everything wrong, assembled when the import ends.
    private(set) var diagnostics: [Diagnostic] = []
    var opset = 1
    /// The model's own batch size when fixed (Reshape targets and masks may spell it).
    var modelBatch: Int?
    /// Nodes already handled as part of a pattern (the `Add` of a `Mul`+`Add` batch norm, the `Mul`
    /// of a SiLU).
    var consumed: Set<Int> = []
    /// Zero padding a `Pad` node adds, folded into the convolution or pool that reads its output:
    /// the unpadded value and the padding.
    var pendingPads: [String: (dims: [Int], layer: String, padding: Padding)] = [:]
    var consumers: [String: [Int]] = [:]
    var producers: [String: Int] = [:]
    var graphOutputs: Set<String> = []
    /// Where each initializer is, for diagnostics about its external data.
    var initializerKeyPaths: [String: String] = [:]

    /// Problems reported one by one, beyond which one line counts the rest.
    static let problemLimit = 20
    /// Node names listed for an unsupported operator.
    static let namesListed = 3

    /// Graph names exporters write whatever the model (PyTorch's two exporters, tf2onnx): a network
    /// so named takes the file's name instead.
    static let exporterDefaultNames: Set<String> = ["", "main_graph", "torch_jit", "torch-jit-export", "torch_jit_export",
                                                     "tf2onnx", "graph"]

    init(model: Onnx_ModelProto, file: String, externalData: ONNXExternalData) {
        self.model = model
        self.file = file
        self.externalData = externalData
    }

    // MARK: Problems

    /// Records a problem; the node's outputs become unavailable, so nothing that reads them adds
    /// another. A node that reads an unavailable value (a constant whose external data could not
    /// be read) is not blamed: that problem is already reported.
    mutating func fail(_ message: String, node index: Int? = nil, notes: [String] = []) {
        var text = message
        var keyPath = "graph"
        if let index {
            markUnavailable(index)
            let inputs = model.graph.node[index].input
            if inputs.contains(where: { if case .unavailable? = values[$0] { true } else { false } }) {
                return
            }
            // A constant the folder could not evaluate: its op is what is not supported.
            for name in inputs {
                if case .constant(let c)? = values[name], let source = c.unevaluated { return unsupportedOperator(source) }
            }
            text = "node \(nodeLabel(index)): " + message
            keyPath = "graph.node[\(index)]"
        }
        problems.append(Diagnostic(text, file: file, keyPath: keyPath, notes: notes))
    }

    /// A node's name, or its first output's when it has none (or its op when it has neither).
    static func displayName(_ node: Onnx_NodeProto) -> String {
        let name = node.name.isEmpty ? (node.output.first ?? "") : node.name
        return name.isEmpty ? node.opType : name
    }

    /// A node as diagnostics name it: its index in the graph, its name, its op.
    func nodeLabel(_ index: Int) -> String {
        let node = model.graph.node[index]
        return "\(index) '\(Self.displayName(node))' (\(node.opType))"
    }

    /// An operator the importer does not map: recorded once per operator, with its nodes.
    mutating func unsupportedOperator(_ index: Int) {
        let node = model.graph.node[index]
        let name = node.domain.isEmpty || node.domain == "ai.onnx" ? node.opType : "\(node.domain).\(node.opType)"
        if let position = unsupported.firstIndex(where: { $0.operator == name }) {
            if !unsupported[position].nodes.contains(index) { unsupported[position].nodes.append(index) }
        } else {
            unsupported.append((name, [index]))
        }
        markUnavailable(index)
    }

    mutating func markUnavailable(_ index: Int) {
        for output in model.graph.node[index].output where !output.isEmpty {
            if case .activation? = values[output] { continue }
            values[output] = .unavailable
        }
    }

    /// The diagnostics of the whole import: each unsupported operator once (the supported forms as
    /// notes of the last), then the other problems up to the limit and a count of the rest, then
    /// the external data's.
    mutating func assembleDiagnostics() {
        var result: [Diagnostic] = []
        for (position, entry) in unsupported.enumerated() {
            let names = entry.nodes.prefix(Self.namesListed).map { index -> String in
                let node = model.graph.node[index]
                return "'" + Self.displayName(node) + "'"
            }
            let more = entry.nodes.count > Self.namesListed ? " and \(entry.nodes.count - Self.namesListed) more" : ""
            let count = entry.nodes.count == 1 ? "1 node" : "\(entry.nodes.count) nodes"
            result.append(Diagnostic("operator \(entry.operator) is not supported (\(count): \(names.joined(separator: ", "))\(more))",
                                     file: file, keyPath: "graph.node[\(entry.nodes[0])]",
                                     notes: position == unsupported.count - 1 ? ONNXOperators.notes : []))
        }
        result += problems.prefix(Self.problemLimit)
        if problems.count > Self.problemLimit {
            result.append(Diagnostic("and \(problems.count - Self.problemLimit) more problems (not listed: fix these and run again)",
                                     file: file, keyPath: "graph"))
        }
        diagnostics = result + externalData.diagnostics
    }

    // MARK: The graph

    mutating func run() -> Network? {
        defer { assembleDiagnostics() }
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
        for (index, initializer) in graph.initializer.enumerated() {
            let keyPath = "graph.initializer[\(index)]"
            initializerKeyPaths[initializer.name] = keyPath
            let constant = initializerConstant(initializer, keyPath: keyPath)
            // A refused external location is reported once; what reads the tensor is not blamed.
            let refused = initializer.dataLocation == .external && constant.external == nil
            values[initializer.name] = refused ? .unavailable : .constant(constant)
        }
        for sparse in graph.sparseInitializer where sparse.hasValues {
            values[sparse.values.name] = .constant(ONNXConstant(dims: sparse.dims.map(ONNXLimits.clamped), integers: nil, reals: nil))
        }
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
        graphOutputs = Set(graph.output.map(\.name))
        for (index, node) in graph.node.enumerated() {
            for name in node.input where !name.isEmpty { consumers[name, default: []].append(index) }
            for name in node.output where !name.isEmpty { producers[name] = index }
        }
        for index in graph.node.indices where !consumed.contains(index) {
            importNode(index)
        }
        guard problems.isEmpty, unsupported.isEmpty, externalData.diagnostics.isEmpty else { return nil }
        if !mergedLayers.isEmpty { layers = layers.indices.filter { !mergedLayers.contains($0) }.map { layers[$0] } }
        if layers.isEmpty {
            fail("the graph computes nothing from its data input")
            return nil
        }
        return Network(name: Self.exporterDefaultNames.contains(graph.name) ? fileName : graph.name, input: inputShape,
                       layers: layers)
    }

    /// The file's name without its folder and `.onnx`.
    var fileName: String {
        let stem = ArchitectureFile.fileStem(file)
        return stem.lowercased().hasSuffix(".onnx") && stem.count > 5 ? String(stem.dropLast(5)) : stem
    }

    /// An initializer as a constant: inline data is decoded when small; external data is only
    /// located, and read if a value is needed (`constant(_:)`).
    mutating func initializerConstant(_ tensor: Onnx_TensorProto, keyPath: String) -> ONNXConstant {
        guard tensor.dataLocation == .external else { return ONNXConstant(tensor) }
        var constant = ONNXConstant.unknown
        constant.dataType = tensor.dataType
        let dims = tensor.dims.map(ONNXLimits.clamped)
        if dims.allSatisfy({ $0 >= 0 && $0 <= ONNXLimits.dimension }), ONNXLimits.product(dims) != nil { constant.dims = dims }
        constant.external = externalData.reference(tensor, keyPath: keyPath)
        return constant
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

    /// A constant's value; external data is read now if the constant is small enough for its value
    /// to be used (and kept, so it is read once).
    mutating func constant(_ name: String) -> ONNXConstant? {
        guard case .constant(var c)? = values[name] else { return nil }
        guard let reference = c.external else { return c }
        c.external = nil
        if let dims = c.dims, let count = ONNXLimits.product(dims), count <= ONNXConstant.dataLimit,
           let type = ONNXDataType(rawValue: c.dataType) {
            guard let bytes = externalData.read(reference, byteCount: count * type.byteSize, tensor: name,
                                                keyPath: initializerKeyPaths[name] ?? "graph") else {
                // Reported once; what needed the value is not blamed.
                values[name] = .unavailable
                return nil
            }
            var tensor = Onnx_TensorProto()
            tensor.dims = dims.map(Int64.init)
            tensor.dataType = c.dataType
            tensor.rawData = Data(bytes)
            c = ONNXConstant(tensor)
        }
        values[name] = .constant(c)
        return c
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

    /// A constant's dimensions, without reading its data (a weight's shape).
    func constantDims(_ name: String) -> [Int]? {
        if case .constant(let c)? = values[name] { return c.dims }
        return nil
    }

    func activation(_ name: String) -> Activation? {
        if case .activation(let dims, let layer)? = values[name] { return (dims, layer) }
        return nil
    }

    /// The node's only reader of this output, when there is exactly one and the output is not a
    /// graph output.
    func soleConsumer(_ output: String) -> Int? {
        guard !graphOutputs.contains(output), let readers = consumers[output], readers.count == 1 else { return nil }
        return readers[0]
    }

    /// A unique layer name for a node (or for one of its outputs, `output`).
    mutating func layerName(_ node: Onnx_NodeProto, suffix: String = "", output: String? = nil) -> String {
        var base = (output ?? Self.displayName(node)) + suffix
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
    /// `dims`, or a zero-cost reshape follows to make it so. Binds `output` (the node's first
    /// output by default) unless `bind` is false. Returns the name of the value's layer.
    @discardableResult
    mutating func addLayer(_ node: Int, _ kind: LayerKind, inputs: [String], output dims: [Int], suffix: String = "",
                           bind: Bool = true, as output: String? = nil) -> String? {
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
        // A node with several outputs and no name names each output's layer after the output.
        let perOutput = output != nil && onnxNode.name.isEmpty && onnxNode.output.count > 1
        let name = perOutput ? layerName(onnxNode, output: output) : layerName(onnxNode, suffix: suffix)
        layerPositions[name] = layers.count
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
            layerPositions[view] = layers.count
            layers.append(Layer(name: view, kind: .reshape(expected), inputs: [name]))
            shapes[view] = expected
            last = view
        }
        if bind, let output = output ?? onnxNode.output.first { values[output] = .activation(dims: dims, layer: last) }
        return last
    }

    /// Binds a node's output to an existing value without a layer (a view that changes nothing).
    mutating func alias(_ node: Int, to x: Activation) {
        if let output = model.graph.node[node].output.first { values[output] = .activation(dims: x.dims, layer: x.layer) }
    }

    // MARK: Nodes

    mutating func importNode(_ index: Int) {
        let node = model.graph.node[index]
        let present = node.input.filter { !$0.isEmpty }
        for name in present where values[name] == nil {
            if resolveConstant(name) != nil { continue }
            fail("input '\(name)' is not produced by an earlier node, an initializer or the graph input", node: index)
            return
        }
        let defaultDomain = node.domain.isEmpty || node.domain == "ai.onnx"
        // What reads an unavailable value is skipped: its own operator is still checked.
        if present.contains(where: { if case .unavailable? = values[$0] { true } else { false } }) {
            if defaultDomain && ONNXOperators.isKnown(node.opType) { markUnavailable(index) } else { unsupportedOperator(index) }
            return
        }
        // Nodes on constants only compute constants (weights, shapes, masks): no layer.
        guard let x = present.compactMap({ activation($0) }).first else { return importConstantNode(index) }
        guard defaultDomain else { return unsupportedOperator(index) }
        let attributes = ONNXAttributes(node)
        switch node.opType {
        case "Pad": importPad(index, attributes, x)
        case "Conv": importConvolution(index, attributes, x)
        case "MaxPool", "AveragePool": importPool(index, attributes, x)
        case "Gemm": importGemm(index, attributes, x)
        case "MatMul": importMatMul(index, x)
        case "BatchNormalization": importBatchNorm(index, x)
        case "Relu", "Sigmoid", "Tanh", "HardSwish", "HardSigmoid", "LeakyRelu", "Clip": importActivation(index, attributes, x)
        case "Add", "Sub", "Mul", "Div": importBinary(index, x)
        case "Sum": importSum(index)
        case "Concat": importConcat(index, attributes)
        case "Dropout": importDropout(index, attributes, x)
        case "Softmax", "LogSoftmax": importSoftmax(index, attributes, x)
        case "LRN": importLRN(index, attributes, x)
        case "GlobalAveragePool", "GlobalMaxPool": importGlobalPool(index, x)
        case "ReduceMean", "ReduceMax", "ReduceSum": importReduction(index, attributes, x)
        case "Identity", "Cast": addLayer(index, .identity, inputs: [x.layer], output: x.dims)
        case "Flatten": importFlatten(index, attributes, x)
        case "Reshape": importReshape(index, attributes, x)
        case "Squeeze", "Unsqueeze": importSqueeze(index, attributes, x)
        case "Transpose": importTranspose(index, attributes, x)
        case "Expand": importExpand(index, x)
        case "Slice": importSlice(index, attributes, x)
        case "Split": importSplit(index, attributes, x)
        case "Gather": importGather(index, attributes, x)
        case "Shape", "Size": importShape(index, attributes, x)
        default: unsupportedOperator(index)
        }
    }

    func unsupportedRank(_ dims: [Int]) -> String {
        "expected an N × C × H × W tensor, got per-sample dimensions \(dims)"
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

    /// An integer list given as a constant input (axes, sizes, bounds) from opset `inputSince` on,
    /// as an attribute before it.
    enum Operand {
        case absent
        case value([Int])
        /// An input that is not a constant with known values.
        case dynamic
    }

    mutating func integerOperand(_ index: Int, input position: Int, attribute: String, _ a: ONNXAttributes,
                                 inputSince: Int) -> Operand {
        let node = model.graph.node[index]
        if opset < inputSince { return a.ints(attribute).map(Operand.value) ?? .absent }
        guard node.input.count > position, !node.input[position].isEmpty else { return .absent }
        guard let values = constant(node.input[position])?.integers else { return .dynamic }
        return .value(values)
    }
}
