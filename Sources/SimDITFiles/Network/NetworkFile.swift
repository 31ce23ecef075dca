import SimDITCore
import Yams

/// The network-file schema (version 1): the input shape and an ordered list of layers. Each layer
/// reads the previous one unless it names its producers (`input:` or `inputs:`); `input` names the
/// network input. `simdit networks show resnet18` prints a complete example.
public enum NetworkFile {
    /// The keys each layer type accepts beyond `name`, `type`, `input` and `inputs`.
    public static let layerTypes: [(type: String, keys: [String], summary: String)] = [
        ("conv", ["out_channels", "kernel", "stride", "padding", "bias"],
         "2-D convolution: out_channels, kernel (n or [height, width]), stride (1), padding (0), bias (true)"),
        ("batch_norm", [], "batch normalisation (folded into the convolution before it for inference)"),
        ("relu", [], "rectified linear unit"),
        ("add", [], "element-wise sum of two inputs of one shape (inputs: [a, b])"),
        ("max_pool", ["kernel", "stride", "padding"], "max pooling: kernel, stride (= kernel), padding (0)"),
        ("avg_pool", ["kernel", "stride", "padding"], "average pooling: kernel, stride (= kernel), padding (0)"),
        ("global_avg_pool", [], "average over the whole feature map"),
        ("flatten", [], "reshape to a vector (no cost)"),
        ("fc", ["out_features", "bias"], "fully-connected layer: out_features, bias (true)"),
        ("softmax", [], "softmax over the features"),
    ]

    static let commonKeys = ["name", "type", "input", "inputs"]

    /// A network with where each layer came from, so graph problems point at the line.
    public struct Loaded: Sendable {
        public var network: Network
        public var file: String
        /// Position of each layer's mapping, and of each of its keys' values.
        var layerPositions: [SourcePosition]
        var fieldPositions: [[String: SourcePosition]]

        /// Diagnostics for graph issues, at the layer field they concern.
        public func diagnostics(for issues: [NetworkIssue]) -> [Diagnostic] {
            issues.map { issue in
                guard let index = issue.layerIndex, index < layerPositions.count else {
                    return Diagnostic(issue.message, file: file, line: 1, column: 1)
                }
                let position = issue.field.flatMap { fieldPositions[index][$0] } ?? layerPositions[index]
                let keyPath = "layers[\(index)]" + (issue.field.map { ".\($0)" } ?? "")
                return Diagnostic("layer '\(network.layers[index].name)': \(issue.message)", file: file,
                                  line: position.line, column: position.column, keyPath: keyPath)
            }
        }
    }

    /// Reads and validates a network file, including its graph (shapes, producers).
    public static func read(_ document: YAMLDocument) -> Result<Loaded, DiagnosticError> {
        guard let root = document.rootMapping(expecting: "a network") else {
            return .failure(DiagnosticError(document.diagnostics))
        }
        root.rejectUnknownKeys(allowed: ["version", "name", "description", "input", "layers"], context: "the network file")
        document.checkVersion(root)
        let name = root.string("name") ?? ArchitectureFile.fileStem(document.file)
        if root.value("description") != nil { _ = root.string("description") }
        var input = TensorShape(channels: 1, height: 1, width: 1)
        if let shape = root.mapping("input", "the input shape: channels, height, width") {
            shape.rejectUnknownKeys(allowed: ["channels", "height", "width"], context: "'input'")
            input.channels = shape.integer("channels", required: true, minimum: 1) ?? 1
            input.height = shape.integer("height", required: true, minimum: 1) ?? 1
            input.width = shape.integer("width", required: true, minimum: 1) ?? 1
        }
        var layers: [Layer] = []
        var layerPositions: [SourcePosition] = []
        var fieldPositions: [[String: SourcePosition]] = []
        if let nodes = root.sequence("layers", "the layers, in execution order") {
            if nodes.isEmpty {
                document.error("'layers' is empty: a network needs at least one layer", at: root.value("layers"),
                               keyPath: "layers")
            }
            for (index, node) in nodes.enumerated() {
                let path = "layers[\(index)]"
                let mark = node.mark
                layerPositions.append(SourcePosition(line: mark?.line ?? 1, column: mark?.column ?? 1))
                guard let mapping = node.mapping else {
                    document.error("each layer must be a mapping with at least 'type', got \(Mapping.describe(node))",
                                   at: node, keyPath: path)
                    fieldPositions.append([:])
                    continue
                }
                let map = Mapping(document: document, node: node, mapping: mapping, path: path)
                var positions: [String: SourcePosition] = [:]
                for key in map.keys {
                    if let mark = map.value(key)?.mark { positions[key] = SourcePosition(line: mark.line, column: mark.column) }
                }
                fieldPositions.append(positions)
                let previous = layers.last?.name ?? Network.inputName
                if let layer = readLayer(map, index: index, previous: previous) {
                    layers.append(layer)
                } else {
                    // Keep indices aligned with positions; the file already has an error.
                    layers.append(Layer(name: map.string("name") ?? "layer\(index)", kind: .relu, inputs: [previous]))
                }
            }
        }
        guard !document.hasErrors else { return .failure(DiagnosticError(document.diagnostics)) }
        let loaded = Loaded(network: Network(name: name, input: input, layers: layers), file: document.file,
                            layerPositions: layerPositions, fieldPositions: fieldPositions)
        if case .failure(let error) = loaded.network.inferShapes() {
            return .failure(DiagnosticError(loaded.diagnostics(for: error.issues)))
        }
        return .success(loaded)
    }

    static func readLayer(_ map: Mapping, index: Int, previous: String) -> Layer? {
        let document = map.document
        guard let type = map.string("type", required: true) else { return nil }
        guard let entry = layerTypes.first(where: { $0.type == type }) else {
            document.error("unknown layer type '\(type)'\(Suggestion.didYouMean(type, in: layerTypes.map(\.type)))",
                           at: map.value("type"), keyPath: "\(map.path).type",
                           notes: ["layer types: \(layerTypes.map(\.type).joined(separator: ", "))"])
            return nil
        }
        map.rejectUnknownKeys(allowed: commonKeys + entry.keys, context: "a '\(type)' layer")
        let name = map.string("name") ?? "\(type)\(index)"
        var inputs = [previous]
        if map.value("input") != nil, map.value("inputs") != nil {
            document.error("give either 'input' or 'inputs', not both", at: map.value("inputs"), keyPath: "\(map.path).inputs")
        } else if let single = map.string("input") {
            inputs = [single]
        } else if let list = map.sequence("inputs", required: false, "producer layer names") {
            inputs = list.compactMap { node in
                guard let text = node.scalar?.string, !text.isEmpty else {
                    document.error("'inputs' must list layer names, got \(Mapping.describe(node))", at: node,
                                   keyPath: "\(map.path).inputs")
                    return nil
                }
                return text
            }
        } else if type == "add" {
            document.error("an 'add' layer needs 'inputs: [first, second]'", at: map.node, keyPath: "\(map.path).inputs")
        }

        switch type {
        case "conv":
            let outputs = map.integer("out_channels", required: true, minimum: 1)
            let kernel = readKernel(map)
            let stride = map.integer("stride", minimum: 1) ?? 1
            let padding = map.integer("padding", minimum: 0) ?? 0
            let bias = map.boolean("bias") ?? true
            guard let outputs, let kernel else { return nil }
            return Layer(name: name, kind: .convolution(outputChannels: outputs, kernelHeight: kernel.height,
                                                        kernelWidth: kernel.width, stride: stride, padding: padding,
                                                        bias: bias), inputs: inputs)
        case "max_pool", "avg_pool":
            guard let kernel = map.integer("kernel", required: true, minimum: 1) else { return nil }
            let stride = map.integer("stride", minimum: 1) ?? kernel
            let padding = map.integer("padding", minimum: 0) ?? 0
            let kind: LayerKind = type == "max_pool"
                ? .maxPool(kernel: kernel, stride: stride, padding: padding)
                : .averagePool(kernel: kernel, stride: stride, padding: padding)
            return Layer(name: name, kind: kind, inputs: inputs)
        case "fc":
            guard let outputs = map.integer("out_features", required: true, minimum: 1) else { return nil }
            return Layer(name: name, kind: .fullyConnected(outputFeatures: outputs, bias: map.boolean("bias") ?? true),
                         inputs: inputs)
        case "batch_norm": return Layer(name: name, kind: .batchNorm, inputs: inputs)
        case "relu": return Layer(name: name, kind: .relu, inputs: inputs)
        case "add": return Layer(name: name, kind: .add, inputs: inputs)
        case "global_avg_pool": return Layer(name: name, kind: .globalAveragePool, inputs: inputs)
        case "flatten": return Layer(name: name, kind: .flatten, inputs: inputs)
        default: return Layer(name: name, kind: .softmax, inputs: inputs)
        }
    }

    /// `kernel: 3` or `kernel: [height, width]`.
    static func readKernel(_ map: Mapping) -> (height: Int, width: Int)? {
        guard let node = map.value("kernel") else {
            _ = map.require("kernel", "the kernel size: n or [height, width]")
            return nil
        }
        if let list = node.sequence {
            let values = list.compactMap { $0.scalar.flatMap { Int($0.string) } }
            guard list.count == 2, values.count == 2, values.allSatisfy({ $0 > 0 }) else {
                map.document.error("'kernel' must be a positive whole number or [height, width], got \(Mapping.describe(node))",
                                   at: node, keyPath: "\(map.path).kernel")
                return nil
            }
            return (values[0], values[1])
        }
        guard let size = map.integer("kernel", minimum: 1) else { return nil }
        return (size, size)
    }

    /// The network as a version-1 file that `read` accepts.
    public static func render(_ network: Network, description: String? = nil) -> String {
        var text = "# CNN for simdit (network schema version 1). Layers run in the order listed; each reads\n"
        text += "# the previous layer unless it says 'input:' or 'inputs:' ('input' is the network input).\n"
        text += "version: 1\nname: \(YAMLText.scalar(network.name))\n"
        if let description { text += "description: \(YAMLText.scalar(description))\n" }
        text += "input: {channels: \(network.input.channels), height: \(network.input.height), width: \(network.input.width)}\n"
        text += "layers:\n"
        var previous = Network.inputName
        for layer in network.layers {
            var fields = ["name: \(YAMLText.scalar(layer.name))", "type: \(layer.kind.typeName)"]
            if layer.inputs.count > 1 {
                fields.append("inputs: [\(layer.inputs.map(YAMLText.scalar).joined(separator: ", "))]")
            } else if layer.inputs != [previous] {
                fields.append("input: \(layer.inputs.first.map(YAMLText.scalar) ?? Network.inputName)")
            }
            switch layer.kind {
            case .convolution(let outputs, let kh, let kw, let stride, let padding, let bias):
                fields.append("out_channels: \(outputs)")
                fields.append(kh == kw ? "kernel: \(kh)" : "kernel: [\(kh), \(kw)]")
                fields += ["stride: \(stride)", "padding: \(padding)", "bias: \(bias)"]
            case .maxPool(let kernel, let stride, let padding), .averagePool(let kernel, let stride, let padding):
                fields += ["kernel: \(kernel)", "stride: \(stride)", "padding: \(padding)"]
            case .fullyConnected(let outputs, let bias):
                fields += ["out_features: \(outputs)", "bias: \(bias)"]
            case .batchNorm, .relu, .add, .globalAveragePool, .flatten, .softmax:
                break
            }
            text += "  - {\(fields.joined(separator: ", "))}\n"
            previous = layer.name
        }
        return text
    }
}
