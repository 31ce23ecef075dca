/// A convolution as the published model sees it (GENESYS-MODEL.md §2.2): output size, kernel,
/// channels, stride, and a batch field that is only a marker until the batch override (R2).
public struct ConvolutionOp: Sendable, Hashable {
    public var outputChannels: Int
    public var inputChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var outputHeight: Int
    public var outputWidth: Int
    /// The spec's `N`: 1 means "the run's batch goes here" (R2).
    public var batch: Int
    public var stride: Int
    /// Zero padding on each side. The published model ignores it (Q6); kept for the refined model.
    public var padding: Int
    public var hasBias: Bool

    public init(outputChannels: Int, inputChannels: Int, kernelHeight: Int, kernelWidth: Int,
                outputHeight: Int, outputWidth: Int, batch: Int = 1, stride: Int = 1,
                padding: Int = 0, hasBias: Bool = true) {
        self.outputChannels = outputChannels
        self.inputChannels = inputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.batch = batch
        self.stride = stride
        self.padding = padding
        self.hasBias = hasBias
    }
}

/// A matrix multiply (fully-connected layer): `P` outputs from `N` inputs for `M` samples, the
/// spec's field names (GENESYS-MODEL.md §2.2).
public struct GEMMOp: Sendable, Hashable {
    /// `P`: output features (the array's OC).
    public var outputs: Int
    /// `N`: input features (the array's IC).
    public var inputs: Int
    /// `M`: samples; 1 means "the run's batch goes here" (R2).
    public var batch: Int
    public var hasBias: Bool

    public init(outputs: Int, inputs: Int, batch: Int = 1, hasBias: Bool = true) {
        self.outputs = outputs
        self.inputs = inputs
        self.batch = batch
        self.hasBias = hasBias
    }
}

/// A 4-D elementwise tensor `(N, C, H, W)` for ReLU and element-wise add.
public struct ElementwiseOp: Sendable, Hashable {
    public var channels: Int
    public var height: Int
    public var width: Int
    public var batch: Int

    public init(channels: Int, height: Int, width: Int, batch: Int = 1) {
        self.channels = channels
        self.height = height
        self.width = width
        self.batch = batch
    }
}

/// A pooling window: output size, kernel and stride. A global pool has a 1×1 output, the whole
/// input as its kernel and stride 1.
public struct PoolOp: Sendable, Hashable {
    public var channels: Int
    public var outputHeight: Int
    public var outputWidth: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var stride: Int
    public var batch: Int

    public init(channels: Int, outputHeight: Int, outputWidth: Int, kernelHeight: Int,
                kernelWidth: Int, stride: Int, batch: Int = 1) {
        self.channels = channels
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.batch = batch
    }

    /// A global average pool over an `inputHeight × inputWidth` map.
    public static func global(channels: Int, inputHeight: Int, inputWidth: Int, batch: Int = 1) -> PoolOp {
        PoolOp(channels: channels, outputHeight: 1, outputWidth: 1, kernelHeight: inputHeight,
               kernelWidth: inputWidth, stride: 1, batch: batch)
    }
}

/// Softmax over `classes` for each sample.
public struct SoftmaxOp: Sendable, Hashable {
    public var classes: Int
    public var batch: Int

    public init(classes: Int, batch: Int = 1) {
        self.classes = classes
        self.batch = batch
    }
}

/// One entry of a lowered program: the published model's op vocabulary (GENESYS-MODEL.md §2.1 R1).
public enum Operation: Sendable, Hashable {
    /// `conv_bias` or `conv` (without bias).
    case convolution(ConvolutionOp)
    /// `gemm` or `gemm_no_bias`.
    case gemm(GEMMOp)
    case relu(ElementwiseOp)
    /// `elem_add`.
    case elementwiseAdd(ElementwiseOp)
    case maxPool(PoolOp)
    case averagePool(PoolOp)
    case globalAveragePool(PoolOp)
    case softmax(SoftmaxOp)
    /// An op the model gives no cost, named as in the published programs (e.g. `coarse_flatten`).
    case zeroCost(String)

    /// The published op name (the `operation` field of a SimDIT spec).
    public var name: String {
        switch self {
        case .convolution(let op): op.hasBias ? "conv_bias" : "conv"
        case .gemm(let op): op.hasBias ? "gemm" : "gemm_no_bias"
        case .relu: "relu"
        case .elementwiseAdd: "elem_add"
        case .maxPool: "max_pool"
        case .averagePool: "avg_pool"
        case .globalAveragePool: "global_avg_pool"
        case .softmax: "softmax"
        case .zeroCost(let name): name
        }
    }

    /// Which unit runs it.
    public var unit: ExecutionUnit {
        switch self {
        case .convolution, .gemm: .systolic
        case .relu, .elementwiseAdd, .maxPool, .averagePool, .globalAveragePool, .softmax: .simd
        case .zeroCost: .none
        }
    }

    /// Whether the next op's input width follows this op in rule R3 (SA ops read `bw_a` inputs).
    var consumesActivationWidth: Bool { unit == .systolic }
}

/// The unit an op runs on. Zero-cost ops run nowhere.
public enum ExecutionUnit: String, Sendable, Hashable {
    case systolic, simd, none
}

/// A named program entry: the layer it came from and its op.
public struct ProgramEntry: Sendable, Hashable {
    public var name: String
    public var operation: Operation

    public init(name: String, operation: Operation) {
        self.name = name
        self.operation = operation
    }
}

/// An ordered list of ops, executed strictly serially (GENESYS-MODEL.md §2.1).
public struct Program: Sendable, Hashable {
    public var name: String
    public var entries: [ProgramEntry]

    public init(name: String, entries: [ProgramEntry]) {
        self.name = name
        self.entries = entries
    }
}
