/// How many producers a layer reads.
public enum LayerArity: Sendable, Hashable, CustomStringConvertible {
    case exactly(Int)
    case atLeast(Int)

    func accepts(_ count: Int) -> Bool {
        switch self {
        case .exactly(let n): count == n
        case .atLeast(let n): count >= n
        }
    }

    public var description: String {
        switch self {
        case .exactly(let n): "\(n) input\(n == 1 ? "" : "s")"
        case .atLeast(let n): "at least \(n) input\(n == 1 ? "" : "s")"
        }
    }
}

/// Problems found while inferring one layer's output shape, each with the network-file field it
/// concerns.
struct LayerShapeCheck {
    var issues: [(field: String?, message: String)] = []

    mutating func fail(_ field: String?, _ message: String) {
        issues.append((field, message))
    }
}

/// What a layer's lowering rule sees: its name, its producers' shapes, its own output shape, and
/// the graph-level facts the published rules depend on.
struct LayerLowering {
    var name: String
    var inputs: [TensorShape]
    var output: TensorShape
    /// Whether the first producer is the network input (the published graph's first-layer quirks
    /// Q10–Q12).
    var readsNetworkInput: Bool
    /// Inference: a batch norm folds into this convolution, which then has a bias (§2.3).
    var foldedBias = false
    /// Inference: this batch norm folds into the convolution before it.
    var foldedAway = false
    /// Training: this softmax ends the network and is part of the loss.
    var isLossSoftmax = false
    /// Training: this is the classifier, its outputs padded to the compiler's channel unit (Q13).
    var isClassifier = false
    var optimizer: Optimizer = .sgd

    var x: TensorShape { inputs[0] }
    var y: TensorShape { output }

    /// The channel unit of the compiler that produced the published training graph: it padded the
    /// classifier's outputs (1000 → 1024, quirk Q13) and the weight-update channels of the first
    /// convolution (3 → 64, quirk Q12) to multiples of it.
    static let publishedCompilerChannelUnit = 64

    static func paddedToCompilerUnit(_ channels: Int) -> Int {
        let unit = publishedCompilerChannelUnit
        return (channels + unit - 1) / unit * unit
    }

    /// The published graph writes 256 where R2 later puts the run's batch (the dW reduction).
    static let batchPlaceholder = 256
}

/// A program under construction.
struct ProgramBuilder {
    var entries: [ProgramEntry] = []

    mutating func emit(_ name: String, _ operation: Operation) {
        entries.append(ProgramEntry(name: name, operation: operation))
    }

    /// A trainable vector's gradient (a batch reduction) and its update.
    mutating func emitBiasUpdate(_ layer: LayerLowering, channels: Int) {
        emit(layer.name + ".bias_grad", .reduceSum(ReductionOp(channels: channels)))
        emit(layer.name + ".bias_update", .weightUpdate(WeightUpdateOp(shape: .oneD(channels: channels),
                                                                      optimizer: layer.optimizer)))
    }
}

/// Everything about one layer kind of the network graph: its file type name, how many producers it
/// reads, its output shape, and how it lowers to program ops for inference, for the training
/// forward pass and for the backward pass. One conformance per kind, in `Operations/`.
protocol LayerRule {
    var typeName: String { get }
    var arity: LayerArity { get }
    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape
    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder)
    /// The forward pass of a training iteration; inference's lowering unless the kind differs.
    func lowerTrainingForward(_ layer: LayerLowering, into program: inout ProgramBuilder)
    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder)
}

extension LayerRule {
    func lowerTrainingForward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        lowerInference(layer, into: &program)
    }
}

/// Zero padding on each side of a 2-D window.
public struct Padding: Sendable, Hashable {
    public var top: Int
    public var left: Int
    public var bottom: Int
    public var right: Int

    public init(top: Int, left: Int, bottom: Int, right: Int) {
        self.top = top
        self.left = left
        self.bottom = bottom
        self.right = right
    }

    public init(uniform padding: Int) {
        self.init(top: padding, left: padding, bottom: padding, right: padding)
    }

    public static let zero = Padding(uniform: 0)

    /// Both paddings, side by side.
    public static func + (lhs: Padding, rhs: Padding) -> Padding {
        Padding(top: lhs.top + rhs.top, left: lhs.left + rhs.left, bottom: lhs.bottom + rhs.bottom,
                right: lhs.right + rhs.right)
    }

    public var isUniform: Bool { top == left && left == bottom && bottom == right }
    var height: Int { top + bottom }
    var width: Int { left + right }
}

/// Window arithmetic shared by convolutions and pools.
public enum Window {
    /// `⌊(in + pads − ((k − 1)·d + 1)) / s⌋ + 1` (or with ⌈⌉ in ceil mode, dropping a last window
    /// that would start in the end padding): the output size of a window sliding over a padded
    /// input; 0 when the window does not fit.
    public static func outputSize(_ size: Int, kernel: Int, stride: Int, padBegin: Int, padEnd: Int, dilation: Int = 1,
                           ceilMode: Bool = false) -> Int {
        let extent = (kernel - 1) * dilation + 1
        let span = size + padBegin + padEnd - extent
        guard span >= 0, stride > 0 else { return 0 }
        var output = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1
        if ceilMode, (output - 1) * stride >= size + padBegin { output -= 1 }
        return output
    }
}
