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

    /// `C·H·W`, saturating at `Int.max` (shapes the readers accept stay below 2^40).
    public var elements: Int {
        let (plane, first) = height.multipliedReportingOverflow(by: width)
        let (all, second) = channels.multipliedReportingOverflow(by: plane)
        return first || second ? Int.max : all
    }

    /// The last dimension that is not 1 (width, else height, else channels): the one a `matMul`
    /// contracts.
    public var lastNonUnitDimension: Int { width > 1 ? width : (height > 1 ? height : channels) }
    public var description: String { "\(channels)×\(height)×\(width)" }
}

/// A layer's operation and its hyper-parameters. Each kind's rules (shape, lowering, backward)
/// live in one conformance to `LayerRule` in `Operations/`; `rule` is the one switch that maps a
/// case to it.
public enum LayerKind: Sendable, Hashable {
    /// 2-D convolution, grouped and depthwise included.
    case convolution(Convolution)
    /// Batch normalisation. Inference folds it into the convolution before it.
    case batchNorm
    /// An element-wise activation (ReLU, ReLU6, sigmoid, hard-swish, …).
    case activation(ActivationFunction)
    /// Element-wise sum of two tensors (a residual connection); the smaller may broadcast.
    case add
    /// Element-wise product of two tensors (squeeze-and-excitation); the smaller may broadcast.
    case multiply
    case maxPool(Pooling)
    case averagePool(Pooling)
    case globalAveragePool
    case globalMaxPool
    /// The sum over each channel's whole map (an ONNX `ReduceSum` over the spatial axes).
    case globalSumPool
    case flatten
    /// A view of the same elements in another shape (no data moves).
    case reshape(TensorShape)
    case fullyConnected(outputFeatures: Int, bias: Bool)
    /// A matrix multiply over the last non-unit dimension of each sample (a GEMM per row: a
    /// transformer-style projection, a 1×1 convolution written as MatMul); `inputFeatures` must be
    /// that dimension's size.
    case matMul(inputFeatures: Int, outputFeatures: Int, bias: Bool)
    /// Softmax over the channels of each position.
    case softmax
    /// Concatenation of any number of inputs along the channels.
    case concat
    case localResponseNorm(LocalResponseNorm)
    /// Dropout: nothing at inference, a mask multiply in training.
    case dropout(ratio: Double)
    /// Stochastic depth (a residual branch dropped per sample): nothing at inference, a multiply
    /// by one mask value per sample in training.
    case stochasticDepth
    /// A region of the input (an ONNX `Slice`, `Split` output or `Gather` by constant indices), of
    /// this per-sample shape: no data moves.
    case slice(TensorShape)
    case identity
    /// ShuffleNet's channel shuffle: channels regrouped `g × C/g → C/g × g`, a copy.
    case channelShuffle(groups: Int)
    /// A general transpose of the same elements (a copy), to this per-sample shape.
    case permute(TensorShape)

    /// The ReLU activation.
    public static var relu: LayerKind { .activation(.relu) }

    /// ReLU6, `min(max(x, 0), 6)` (MobileNet).
    public static var relu6: LayerKind { .activation(.clip(lower: 0, upper: 6)) }

    /// A convolution with one stride and symmetric padding, the published model's.
    public static func convolution(outputChannels: Int, kernelHeight: Int, kernelWidth: Int, stride: Int,
                                   padding: Int, groups: Int = 1, bias: Bool) -> LayerKind {
        var convolution = Convolution(outputChannels: outputChannels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                                      stride: stride, padding: padding, bias: bias)
        convolution.groups = groups
        return .convolution(convolution)
    }

    public static func maxPool(kernel: Int, stride: Int, padding: Int) -> LayerKind {
        .maxPool(Pooling(kernel: kernel, stride: stride, padding: padding))
    }

    public static func averagePool(kernel: Int, stride: Int, padding: Int) -> LayerKind {
        .averagePool(Pooling(kernel: kernel, stride: stride, padding: padding))
    }

    /// The kind's rules: exhaustive, so a new case fails to compile until it has them.
    var rule: any LayerRule {
        switch self {
        case .convolution(let convolution): convolution
        case .batchNorm: BatchNormLayer()
        case .activation(let function): ActivationLayer(function: function)
        case .add: BinaryLayer(operation: .add)
        case .multiply: BinaryLayer(operation: .multiply)
        case .maxPool(let pooling): PoolLayer(kind: .max, pooling: pooling)
        case .averagePool(let pooling): PoolLayer(kind: .average, pooling: pooling)
        case .globalAveragePool: PoolLayer(kind: .globalAverage, pooling: nil)
        case .globalMaxPool: PoolLayer(kind: .globalMax, pooling: nil)
        case .globalSumPool: PoolLayer(kind: .globalSum, pooling: nil)
        case .flatten: ViewLayer(kind: .flatten)
        case .reshape(let shape): ViewLayer(kind: .reshape(shape))
        case .identity: ViewLayer(kind: .identity)
        case .concat: ConcatLayer()
        case .fullyConnected(let outputs, let bias): FullyConnectedLayer(outputFeatures: outputs, bias: bias)
        case .matMul(let inputs, let outputs, let bias): MatMulLayer(inputFeatures: inputs, outputFeatures: outputs, bias: bias)
        case .softmax: SoftmaxLayer()
        case .localResponseNorm(let lrn): lrn
        case .dropout(let ratio): DropoutLayer(ratio: ratio)
        case .stochasticDepth: StochasticDepthLayer()
        case .slice(let shape): SliceLayer(shape: shape)
        case .channelShuffle(let groups): PermuteLayer(kind: .channelShuffle(groups: groups))
        case .permute(let shape): PermuteLayer(kind: .transpose(shape))
        }
    }

    /// The type name used in network files.
    public var typeName: String { rule.typeName }

    /// The output shape for these input shapes, or what is wrong with them (field, message).
    public func outputShape(for inputs: [TensorShape]) -> Result<TensorShape, NetworkError> {
        let rule = rule
        guard rule.arity.accepts(inputs.count) else {
            return .failure(NetworkError(issues: [NetworkIssue(layerIndex: nil, field: "inputs",
                                                               message: "\(rule.typeName) takes \(rule.arity), got \(inputs.count)")]))
        }
        var check = LayerShapeCheck()
        let shape = rule.outputShape(inputs, &check)
        guard check.issues.isEmpty else {
            return .failure(NetworkError(issues: check.issues.map { NetworkIssue(layerIndex: nil, field: $0.field, message: $0.message) }))
        }
        return .success(shape)
    }

    /// How many inputs the layer takes.
    public var arity: LayerArity { rule.arity }
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
    /// each kind's own shape rules (matching shapes, windows that fit, divisible groups, …).
    public func inferShapes() -> Result<[TensorShape], NetworkError> {
        var shapes: [TensorShape] = []
        shapes.reserveCapacity(layers.count)
        var indexByName: [String: Int] = [:]
        var issues: [NetworkIssue] = []
        if input.elements > Limits.tensorElements {
            issues.append(NetworkIssue(layerIndex: nil, field: "input", message: "the input \(input) has more than 2^40 elements per sample"))
        }
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
            let rule = layer.kind.rule
            if !rule.arity.accepts(layer.inputs.count) {
                fail("inputs", "\(rule.typeName) takes \(rule.arity), got \(layer.inputs.count)")
            }
            // Keep going with a placeholder so later layers are still checked.
            guard inputShapes.count == layer.inputs.count, rule.arity.accepts(inputShapes.count) else {
                indexByName[layer.name] = index
                shapes.append(inputShapes.first ?? input)
                continue
            }
            var check = LayerShapeCheck()
            let output = rule.outputShape(inputShapes, &check)
            for issue in check.issues { fail(issue.field, issue.message) }
            if check.issues.isEmpty, output.channels <= 0 || output.height <= 0 || output.width <= 0 {
                fail(nil, "the output shape \(output) is empty")
            } else if check.issues.isEmpty, output.elements > Limits.tensorElements {
                fail(nil, "the output shape \(output) has more than 2^40 elements per sample")
            }
            indexByName[layer.name] = index
            shapes.append(output)
        }
        return issues.isEmpty ? .success(shapes) : .failure(NetworkError(issues: issues))
    }

}
