import SimDITCore
import Yams

/// The network-file schema (version 1): the input shape and an ordered list of layers. Each layer
/// reads the previous one unless it names its producers (`input:` or `inputs:`); `input` names the
/// network input. `simdit networks show resnet18` prints a complete example.
public enum NetworkFile {
    /// One layer type of the file format: its keys beyond `name`, `type`, `input` and `inputs`,
    /// a summary for help text, and how its fields become a `LayerKind` (nil after an error).
    struct LayerType: Sendable {
        var type: String
        var keys: [String]
        var summary: String
        var read: @Sendable (Mapping) -> LayerKind?
    }

    /// Every layer type a network file accepts.
    static let types: [LayerType] = [
        LayerType(type: "conv", keys: ["out_channels", "kernel", "stride", "padding", "dilation", "groups", "bias",
                                       "folded_batch_norm"],
                  summary: "2-D convolution: out_channels, kernel (n or [height, width]), stride (1 or [h, w]), "
                      + "padding (0, [h, w] or [top, left, bottom, right]), dilation (1 or [h, w]), groups (1; "
                      + "the input channels for depthwise), bias (true), folded_batch_norm (false: true when an "
                      + "exporter folded a batch norm into it)",
                  read: readConvolution),
        LayerType(type: "batch_norm", keys: [], summary: "batch normalisation (folded into the convolution before it for inference)",
                  read: { _ in .batchNorm }),
        LayerType(type: "relu", keys: [], summary: "rectified linear unit, max(x, 0)", read: { _ in .relu }),
        LayerType(type: "relu6", keys: [], summary: "min(max(x, 0), 6)", read: { _ in .activation(.clip(lower: 0, upper: 6)) }),
        LayerType(type: "clip", keys: ["min", "max"], summary: "min(max(x, min), max) (no bound where one is left out)",
                  read: { map in
            let lower = map.value("min") == nil ? -Double.infinity : map.number("min")
            let upper = map.value("max") == nil ? Double.infinity : map.number("max")
            guard let lower, let upper else { return nil }
            return .activation(.clip(lower: lower, upper: upper))
        }),
        LayerType(type: "leaky_relu", keys: ["alpha"], summary: "x if x ≥ 0 else alpha·x (alpha 0.01)", read: { map in
            .activation(.leakyRelu(alpha: map.number("alpha") ?? 0.01))
        }),
        LayerType(type: "sigmoid", keys: [], summary: "1 / (1 + e^−x)", read: { _ in .activation(.sigmoid) }),
        LayerType(type: "tanh", keys: [], summary: "hyperbolic tangent", read: { _ in .activation(.tanh) }),
        LayerType(type: "hard_sigmoid", keys: ["alpha", "beta"], summary: "max(0, min(1, alpha·x + beta)) (alpha 0.2, beta 0.5)",
                  read: { map in .activation(.hardSigmoid(alpha: map.number("alpha") ?? 0.2, beta: map.number("beta") ?? 0.5)) }),
        LayerType(type: "hard_swish", keys: [], summary: "x · relu6(x + 3) / 6 (MobileNetV3)", read: { _ in .activation(.hardSwish) }),
        LayerType(type: "swish", keys: [], summary: "x · sigmoid(x), SiLU (EfficientNet)", read: { _ in .activation(.swish) }),
        LayerType(type: "scale", keys: [], summary: "x · c, a constant per channel or scalar (an imported Mul by a constant)",
                  read: { _ in .activation(.scale) }),
        LayerType(type: "shift", keys: [], summary: "x + c, a constant per channel or scalar (an imported Add of a constant)",
                  read: { _ in .activation(.shift) }),
        LayerType(type: "add", keys: [], summary: "element-wise sum of two inputs (inputs: [a, b]); a smaller one broadcasts",
                  read: { _ in .add }),
        LayerType(type: "mul", keys: [], summary: "element-wise product of two inputs (inputs: [a, b]); a smaller one "
                      + "broadcasts (squeeze-and-excitation)", read: { _ in .multiply }),
        LayerType(type: "concat", keys: [], summary: "concatenation along the channels (inputs: [a, b, …])", read: { _ in .concat }),
        LayerType(type: "max_pool", keys: ["kernel", "stride", "padding", "ceil_mode"],
                  summary: "max pooling: kernel, stride (= kernel), padding (0), ceil_mode (false)",
                  read: { map in readPooling(map).map { .maxPool($0) } }),
        LayerType(type: "avg_pool", keys: ["kernel", "stride", "padding", "ceil_mode"],
                  summary: "average pooling: kernel, stride (= kernel), padding (0), ceil_mode (false)",
                  read: { map in readPooling(map).map { .averagePool($0) } }),
        LayerType(type: "global_avg_pool", keys: [], summary: "average over the whole feature map", read: { _ in .globalAveragePool }),
        LayerType(type: "global_max_pool", keys: [], summary: "maximum over the whole feature map", read: { _ in .globalMaxPool }),
        LayerType(type: "global_sum_pool", keys: [], summary: "sum over the whole feature map", read: { _ in .globalSumPool }),
        LayerType(type: "lrn", keys: ["size", "alpha", "beta", "bias"],
                  summary: "local response normalisation across channels: size, alpha (1e-4), beta (0.75), bias (1)",
                  read: { map in
                      guard let size = map.integer("size", required: true, range: Limits.networkSize) else { return nil }
                      return .localResponseNorm(LocalResponseNorm(size: size, alpha: map.number("alpha") ?? 1e-4,
                                                                   beta: map.number("beta") ?? 0.75, bias: map.number("bias") ?? 1))
                  }),
        LayerType(type: "flatten", keys: [], summary: "reshape to a vector (no cost)", read: { _ in .flatten }),
        LayerType(type: "reshape", keys: ["shape"], summary: "the same elements as [channels, height, width] (no cost)",
                  read: { map in readShape(map).map { .reshape($0) } }),
        LayerType(type: "identity", keys: [], summary: "no operation (no cost)", read: { _ in .identity }),
        LayerType(type: "dropout", keys: ["ratio"], summary: "nothing at inference; a mask multiply in training (ratio 0.5)",
                  read: { map in .dropout(ratio: map.number("ratio") ?? 0.5) }),
        LayerType(type: "stochastic_depth", keys: [], summary: "nothing at inference; in training a multiply by one mask "
                      + "value per sample (a residual branch dropped per sample)", read: { _ in .stochasticDepth }),
        LayerType(type: "slice", keys: ["shape"], summary: "a region of the input, of shape [channels, height, width] (no cost)",
                  read: { map in readShape(map).map { .slice($0) } }),
        LayerType(type: "channel_shuffle", keys: ["groups"], summary: "ShuffleNet's channel shuffle: groups (a copy)",
                  read: { map in map.integer("groups", required: true, range: Limits.networkSize).map { .channelShuffle(groups: $0) } }),
        LayerType(type: "permute", keys: ["shape"], summary: "a transpose to [channels, height, width] (a copy)",
                  read: { map in readShape(map).map { .permute($0) } }),
        LayerType(type: "fc", keys: ["out_features", "bias"], summary: "fully-connected layer: out_features, bias (true)",
                  read: { map in
                      guard let outputs = map.integer("out_features", required: true, range: Limits.networkSize) else { return nil }
                      return .fullyConnected(outputFeatures: outputs, bias: map.boolean("bias") ?? true)
                  }),
        LayerType(type: "matmul", keys: ["in_features", "out_features", "bias"],
                  summary: "a GEMM over the last non-unit dimension of each sample: in_features (that dimension), "
                      + "out_features, bias (false)",
                  read: { map in
                      guard let inputs = map.integer("in_features", required: true, range: Limits.networkSize),
                            let outputs = map.integer("out_features", required: true, range: Limits.networkSize) else { return nil }
                      return .matMul(inputFeatures: inputs, outputFeatures: outputs, bias: map.boolean("bias") ?? false)
                  }),
        LayerType(type: "softmax", keys: [], summary: "softmax over the channels", read: { _ in .softmax }),
    ]

    /// The keys each layer type accepts beyond `name`, `type`, `input` and `inputs`.
    public static var layerTypes: [(type: String, keys: [String], summary: String)] {
        types.map { ($0.type, $0.keys, $0.summary) }
    }

    static let commonKeys = ["name", "type", "input", "inputs"]

    /// A network with where each layer came from, so graph problems point at the line.
    public struct Loaded: Sendable {
        public var network: Network
        public var file: String
        /// Position of each layer's mapping, and of each of its keys' values.
        var layerPositions: [SourcePosition]
        var fieldPositions: [[String: SourcePosition]]
        /// A file without lines (an ONNX model): its layers are named, not positioned.
        var isBinary = false

        /// A diagnostic at the layer a program entry came from (`conv1`, `conv1.dX`, …), when the
        /// network has a file and the layer is in it.
        public func diagnostic(forEntry entry: String, _ message: String) -> Diagnostic? {
            guard let index = network.layers.lastIndex(where: { entry == $0.name || entry.hasPrefix($0.name + ".") }) else {
                return nil
            }
            if isBinary {
                return Diagnostic("layer '\(network.layers[index].name)': \(message)", file: file, keyPath: "graph")
            }
            guard index < layerPositions.count else { return nil }
            let position = layerPositions[index]
            return Diagnostic("layer '\(network.layers[index].name)': \(message)", file: file, line: position.line,
                              column: position.column, keyPath: "layers[\(index)]")
        }

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
            input.channels = shape.integer("channels", required: true, range: Limits.networkSize) ?? 1
            input.height = shape.integer("height", required: true, range: Limits.networkSize) ?? 1
            input.width = shape.integer("width", required: true, range: Limits.networkSize) ?? 1
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
        guard let entry = types.first(where: { $0.type == type }) else {
            document.error("unknown layer type '\(type)'\(Suggestion.didYouMean(type, in: types.map(\.type)))",
                           at: map.value("type"), keyPath: "\(map.path).type",
                           notes: ["layer types: \(types.map(\.type).joined(separator: ", "))"])
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
        } else if ["add", "mul", "concat"].contains(type) {
            document.error("a '\(type)' layer needs 'inputs: [first, second\(type == "concat" ? ", …" : "")]'", at: map.node,
                           keyPath: "\(map.path).inputs")
        }
        guard let kind = entry.read(map) else { return nil }
        return Layer(name: name, kind: kind, inputs: inputs)
    }

    /// A `[height, width]` pair from `n` or `[h, w]`.
    private static func pair(_ map: Mapping, _ key: String, minimum: Int, default value: Int?) -> (Int, Int)? {
        guard map.value(key) != nil else { return value.map { ($0, $0) } }
        guard let values = map.integers(key, counts: [2], minimum: minimum,
                                        "\(minimum > 0 ? "a positive" : "a") whole number up to 2^24 or [height, width]") else { return nil }
        return values.count == 1 ? (values[0], values[0]) : (values[0], values[1])
    }

    /// `padding: n`, `[h, w]` or `[top, left, bottom, right]`.
    private static func padding(_ map: Mapping) -> Padding? {
        guard map.value("padding") != nil else { return .zero }
        guard let values = map.integers("padding", counts: [2, 4], minimum: 0,
                                        "a whole number from 0 to 2^24, [height, width] or [top, left, bottom, right]") else { return nil }
        switch values.count {
        case 1: return Padding(uniform: values[0])
        case 2: return Padding(top: values[0], left: values[1], bottom: values[0], right: values[1])
        default: return Padding(top: values[0], left: values[1], bottom: values[2], right: values[3])
        }
    }

    static func readConvolution(_ map: Mapping) -> LayerKind? {
        let outputs = map.integer("out_channels", required: true, range: Limits.networkSize)
        let kernel = readKernel(map)
        let stride = pair(map, "stride", minimum: 1, default: 1)
        let dilation = pair(map, "dilation", minimum: 1, default: 1)
        let padding = padding(map)
        let groups = map.integer("groups", range: Limits.networkSize) ?? 1
        let bias = map.boolean("bias") ?? true
        let folded = map.boolean("folded_batch_norm") ?? false
        guard let outputs, let kernel, let stride, let dilation, let padding else { return nil }
        return .convolution(Convolution(outputChannels: outputs, kernelHeight: kernel.height, kernelWidth: kernel.width,
                                        strideHeight: stride.0, strideWidth: stride.1, padding: padding,
                                        dilationHeight: dilation.0, dilationWidth: dilation.1, groups: groups, bias: bias,
                                        foldedBatchNorm: folded))
    }

    static func readPooling(_ map: Mapping) -> Pooling? {
        guard map.require("kernel", "the window size: n or [height, width]") != nil,
              let kernel = pair(map, "kernel", minimum: 1, default: nil) else { return nil }
        let stride = pair(map, "stride", minimum: 1, default: nil) ?? kernel
        guard let padding = padding(map) else { return nil }
        return Pooling(kernelHeight: kernel.0, kernelWidth: kernel.1, strideHeight: stride.0, strideWidth: stride.1,
                       padding: padding, ceilMode: map.boolean("ceil_mode") ?? false)
    }

    /// `shape: [channels, height, width]`.
    static func readShape(_ map: Mapping) -> TensorShape? {
        guard map.require("shape", "[channels, height, width]") != nil,
              let values = map.integers("shape", counts: [3], minimum: 1, "[channels, height, width] of positive whole numbers"),
              values.count == 3 else {
            if map.value("shape")?.sequence == nil, map.value("shape") != nil {
                map.document.error("'shape' must be [channels, height, width]", at: map.value("shape"), keyPath: "\(map.path).shape")
            }
            return nil
        }
        return TensorShape(channels: values[0], height: values[1], width: values[2])
    }

    /// `kernel: 3` or `kernel: [height, width]`.
    static func readKernel(_ map: Mapping) -> (height: Int, width: Int)? {
        guard map.require("kernel", "the kernel size: n or [height, width]") != nil,
              let kernel = pair(map, "kernel", minimum: 1, default: nil) else { return nil }
        return (kernel.0, kernel.1)
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
            fields += fieldsOf(layer.kind)
            text += "  - {\(fields.joined(separator: ", "))}\n"
            previous = layer.name
        }
        return text
    }

    /// The type-specific fields of a layer, as `key: value` texts.
    static func fieldsOf(_ kind: LayerKind) -> [String] {
        func pair(_ key: String, _ h: Int, _ w: Int) -> String { h == w ? "\(key): \(h)" : "\(key): [\(h), \(w)]" }
        func padding(_ p: Padding) -> String {
            if p.isUniform { return "padding: \(p.top)" }
            if p.top == p.bottom && p.left == p.right { return "padding: [\(p.top), \(p.left)]" }
            return "padding: [\(p.top), \(p.left), \(p.bottom), \(p.right)]"
        }
        func number(_ value: Double) -> String { YAMLText.number(value) }
        func shape(_ s: TensorShape) -> String { "shape: [\(s.channels), \(s.height), \(s.width)]" }
        switch kind {
        case .convolution(let c):
            var fields = ["out_channels: \(c.outputChannels)", pair("kernel", c.kernelHeight, c.kernelWidth),
                          pair("stride", c.strideHeight, c.strideWidth), padding(c.padding)]
            if c.dilationHeight != 1 || c.dilationWidth != 1 { fields.append(pair("dilation", c.dilationHeight, c.dilationWidth)) }
            if c.groups != 1 { fields.append("groups: \(c.groups)") }
            return fields + ["bias: \(c.bias)"] + (c.foldedBatchNorm ? ["folded_batch_norm: true"] : [])
        case .maxPool(let p), .averagePool(let p):
            var fields = [pair("kernel", p.kernelHeight, p.kernelWidth), pair("stride", p.strideHeight, p.strideWidth),
                          padding(p.padding)]
            if p.ceilMode { fields.append("ceil_mode: true") }
            return fields
        case .fullyConnected(let outputs, let bias):
            return ["out_features: \(outputs)", "bias: \(bias)"]
        case .matMul(let inputs, let outputs, let bias):
            return ["in_features: \(inputs)", "out_features: \(outputs)", "bias: \(bias)"]
        case .activation(let function):
            switch function {
            case .clip(let lower, let upper) where !(lower == 0 && upper == 6):
                return (lower.isFinite ? ["min: \(number(lower))"] : []) + (upper.isFinite ? ["max: \(number(upper))"] : [])
            case .leakyRelu(let alpha): return ["alpha: \(number(alpha))"]
            case .hardSigmoid(let alpha, let beta): return ["alpha: \(number(alpha))", "beta: \(number(beta))"]
            case .relu, .clip, .sigmoid, .tanh, .hardSwish, .swish, .scale, .shift: return []
            }
        case .localResponseNorm(let lrn):
            return ["size: \(lrn.size)", "alpha: \(number(lrn.alpha))", "beta: \(number(lrn.beta))", "bias: \(number(lrn.bias))"]
        case .dropout(let ratio): return ["ratio: \(number(ratio))"]
        case .channelShuffle(let groups): return ["groups: \(groups)"]
        case .reshape(let s), .permute(let s), .slice(let s): return [shape(s)]
        case .batchNorm, .add, .multiply, .globalAveragePool, .globalMaxPool, .globalSumPool, .flatten, .softmax, .concat,
             .identity, .stochasticDepth:
            return []
        }
    }
}
