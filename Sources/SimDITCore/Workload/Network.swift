/// The shape of one sample's activation tensor: channels × height × width.
public struct TensorShape: Sendable, Hashable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    public var elements: Int { channels * height * width }
    public var description: String { "\(channels)×\(height)×\(width)" }
}

/// A layer's operation and its hyper-parameters.
public enum LayerKind: Sendable, Hashable {
    case convolution(outputChannels: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int, bias: Bool)
    /// Batch normalisation. Inference folds it into the convolution before it.
    case batchNorm
    case relu
    /// Element-wise sum of two tensors of the same shape (a residual connection).
    case add
    case maxPool(kernel: Int, stride: Int, padding: Int)
    case averagePool(kernel: Int, stride: Int, padding: Int)
    case globalAveragePool
    case flatten
    case fullyConnected(outputFeatures: Int, bias: Bool)
    case softmax

    /// The type name used in network files.
    public var typeName: String {
        switch self {
        case .convolution: "conv"
        case .batchNorm: "batch_norm"
        case .relu: "relu"
        case .add: "add"
        case .maxPool: "max_pool"
        case .averagePool: "avg_pool"
        case .globalAveragePool: "global_avg_pool"
        case .flatten: "flatten"
        case .fullyConnected: "fc"
        case .softmax: "softmax"
        }
    }

    /// How many inputs the layer takes.
    public var arity: Int {
        if case .add = self { return 2 }
        return 1
    }
}

/// One node of a network graph.
public struct Layer: Sendable, Hashable {
    public var name: String
    public var kind: LayerKind
    /// Producer layer names; `Network.inputName` is the network input.
    public var inputs: [String]

    public init(name: String, kind: LayerKind, inputs: [String]) {
        self.name = name
        self.kind = kind
        self.inputs = inputs
    }
}

/// A CNN as a graph of layers in execution order (each layer's producers come before it).
public struct Network: Sendable, Hashable {
    /// The name that refers to the network input in a layer's `inputs`.
    public static let inputName = "input"

    public var name: String
    public var input: TensorShape
    public var layers: [Layer]

    public init(name: String, input: TensorShape, layers: [Layer]) {
        self.name = name
        self.input = input
        self.layers = layers
    }
}

/// A problem with a network graph: the layer (index into `layers`, nil for the network itself),
/// the field at fault and what is wrong.
public struct NetworkIssue: Sendable, Hashable, CustomStringConvertible {
    public var layerIndex: Int?
    /// The offending field's key in a network file (`inputs`, `kernel`, …), if one.
    public var field: String?
    public var message: String

    public init(layerIndex: Int?, field: String?, message: String) {
        self.layerIndex = layerIndex
        self.field = field
        self.message = message
    }

    public var description: String { message }
}

/// Every problem found in a network graph.
public struct NetworkError: Error, Sendable, Hashable {
    public var issues: [NetworkIssue]
    public init(issues: [NetworkIssue]) { self.issues = issues }
}

extension Network {
    /// Infers every layer's output shape, checking the graph: known, earlier, distinct producers;
    /// matching shapes for `add`; windows that fit their padded inputs; positive sizes.
    public func inferShapes() -> Result<[TensorShape], NetworkError> {
        var shapes: [TensorShape] = []
        shapes.reserveCapacity(layers.count)
        var indexByName: [String: Int] = [:]
        var issues: [NetworkIssue] = []
        for (index, layer) in layers.enumerated() {
            func fail(_ field: String?, _ message: String) {
                issues.append(NetworkIssue(layerIndex: index, field: field, message: message))
            }
            if layer.name == Network.inputName {
                fail("name", "'\(Network.inputName)' is reserved for the network input")
            } else if indexByName[layer.name] != nil {
                fail("name", "duplicate layer name '\(layer.name)'")
            }
            var inputShapes: [TensorShape] = []
            for producer in layer.inputs {
                if producer == Network.inputName {
                    inputShapes.append(input)
                } else if let producerIndex = indexByName[producer], producerIndex < shapes.count {
                    inputShapes.append(shapes[producerIndex])
                } else {
                    fail("inputs", "unknown input '\(producer)': it must name an earlier layer or '\(Network.inputName)'")
                }
            }
            if layer.inputs.count != layer.kind.arity {
                fail("inputs", "\(layer.kind.typeName) takes \(layer.kind.arity) input\(layer.kind.arity == 1 ? "" : "s"), got \(layer.inputs.count)")
            }
            // Keep going with a placeholder so later layers are still checked.
            guard inputShapes.count == layer.kind.arity else {
                indexByName[layer.name] = index
                shapes.append(inputShapes.first ?? input)
                continue
            }
            let x = inputShapes[0]
            var output = x
            switch layer.kind {
            case .convolution(let outputChannels, let kh, let kw, let stride, let padding, _):
                output = TensorShape(
                    channels: outputChannels,
                    height: Network.windowOutput(x.height, kh, stride, padding),
                    width: Network.windowOutput(x.width, kw, stride, padding))
                if x.height + 2 * padding < kh || x.width + 2 * padding < kw {
                    fail("kernel", "kernel \(kh)×\(kw) is larger than the padded input \(x.height + 2 * padding)×\(x.width + 2 * padding)")
                }
            case .maxPool(let kernel, let stride, let padding), .averagePool(let kernel, let stride, let padding):
                output = TensorShape(
                    channels: x.channels,
                    height: Network.windowOutput(x.height, kernel, stride, padding),
                    width: Network.windowOutput(x.width, kernel, stride, padding))
                if x.height + 2 * padding < kernel || x.width + 2 * padding < kernel {
                    fail("kernel", "window \(kernel)×\(kernel) is larger than the padded input \(x.height + 2 * padding)×\(x.width + 2 * padding)")
                }
                if 2 * padding >= kernel + 1 {
                    fail("padding", "padding \(padding) must be at most half the window \(kernel)")
                }
            case .globalAveragePool:
                output = TensorShape(channels: x.channels, height: 1, width: 1)
            case .flatten:
                output = TensorShape(channels: x.elements, height: 1, width: 1)
            case .fullyConnected(let outputFeatures, _):
                output = TensorShape(channels: outputFeatures, height: 1, width: 1)
            case .add:
                if inputShapes[1] != x {
                    fail("inputs", "add needs inputs of one shape; '\(layer.inputs[0])' is \(x) but '\(layer.inputs[1])' is \(inputShapes[1])")
                }
            case .batchNorm, .relu, .softmax:
                break
            }
            indexByName[layer.name] = index
            shapes.append(output)
        }
        return issues.isEmpty ? .success(shapes) : .failure(NetworkError(issues: issues))
    }

    /// `⌊(in + 2·pad − k) / s⌋ + 1`, the output size of a window sliding over a padded input.
    static func windowOutput(_ size: Int, _ kernel: Int, _ stride: Int, _ padding: Int) -> Int {
        let span = size + 2 * padding - kernel
        return span < 0 || stride <= 0 ? 0 : span / stride + 1
    }
}
