/// What an array op computes in a training iteration: the forward pass, the gradient with respect
/// to its input (dX) or the gradient with respect to its weights (dW).
public enum GradientRole: String, Sendable, Hashable {
    case forward
    case dataGradient = "data_gradient"
    case weightGradient = "weight_gradient"
}

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
    /// Forward, dX or dW. R2 puts the run's batch on the input channels of a dW op (§2.4).
    public var role: GradientRole

    public init(outputChannels: Int, inputChannels: Int, kernelHeight: Int, kernelWidth: Int,
                outputHeight: Int, outputWidth: Int, batch: Int = 1, stride: Int = 1,
                padding: Int = 0, hasBias: Bool = true, role: GradientRole = .forward) {
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
        self.role = role
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
    public var role: GradientRole

    public init(outputs: Int, inputs: Int, batch: Int = 1, hasBias: Bool = true, role: GradientRole = .forward) {
        self.outputs = outputs
        self.inputs = inputs
        self.batch = batch
        self.hasBias = hasBias
        self.role = role
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

/// A reduction over the batch of a `C`-vector (`reduce_sum`): bias, scale and offset gradients.
/// The published model reads a `B × C'` input, whatever the spatial size (quirk Q20).
public struct ReductionOp: Sendable, Hashable {
    public var channels: Int

    public init(channels: Int) { self.channels = channels }
}

/// The weight-update rule applied to every trainable tensor.
public enum Optimizer: String, Sendable, Hashable, CaseIterable {
    /// `p −= lr·g`: the published model (2 element steps, reads p and g, writes p).
    case sgd
    /// `v = μ·v + g; p −= lr·v`: 4 element steps, reads p, g, v, writes p and v.
    case momentum
    /// Adam: `m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr'·m / √v` with the bias
    /// corrections folded into `lr'`: 10 single-cycle steps and one inverse square root; reads p,
    /// g, m, v, writes p, m, v.
    case adam
}

/// A weight update of one trainable tensor: 4-D (convolution weights `N=OC × C=IC × H × W`), 2-D
/// (fully-connected weights `N=IC × C=OC`) or 1-D (a bias or other vector `C`).
public struct WeightUpdateOp: Sendable, Hashable {
    public enum Shape: Sendable, Hashable {
        case fourD(outputChannels: Int, inputChannels: Int, height: Int, width: Int)
        case twoD(inputs: Int, outputs: Int)
        case oneD(channels: Int)
    }

    public var shape: Shape
    public var optimizer: Optimizer

    public init(shape: Shape, optimizer: Optimizer = .sgd) {
        self.shape = shape
        self.optimizer = optimizer
    }

    /// `sgd4d`, `momentum2d`, …
    public var name: String {
        let suffix = switch shape {
        case .fourD: "4d"
        case .twoD: "2d"
        case .oneD: "1d"
        }
        return optimizer.rawValue + suffix
    }

    /// The published name of the same update (`sgd4d`, `sgd2d`, `sgd1d`), for the fusion rules.
    var publishedName: String {
        switch shape {
        case .fourD: "sgd4d"
        case .twoD: "sgd2d"
        case .oneD: "sgd1d"
        }
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
    /// `mean_var`: batch mean and inverse standard deviation per channel.
    case meanVariance(ElementwiseOp)
    /// `batch_norm`: apply the batch statistics, scale and offset.
    case batchNorm(ElementwiseOp)
    /// `batchnorm_grad_x_mu`: the whole batch-norm backward pass.
    case batchNormBackward(ElementwiseOp)
    /// `relu_grad`.
    case reluGradient(ElementwiseOp)
    /// `reduce_sum` over the batch.
    case reduceSum(ReductionOp)
    /// `sgd4d`, `sgd2d`, `sgd1d` (or the momentum and Adam updates).
    case weightUpdate(WeightUpdateOp)
    case maxPoolGradient(PoolOp)
    case averagePoolGradient(PoolOp)
    case globalAveragePoolGradient(PoolOp)
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
        case .meanVariance: "mean_var"
        case .batchNorm: "batch_norm"
        case .batchNormBackward: "batchnorm_grad_x_mu"
        case .reluGradient: "relu_grad"
        case .reduceSum: "reduce_sum"
        case .weightUpdate(let op): op.name
        case .maxPoolGradient: "max_pool_grad"
        case .averagePoolGradient: "average_pool_grad"
        case .globalAveragePoolGradient: "global_average_pool_grad"
        case .zeroCost(let name): name
        }
    }

    /// The op's name in the published vocabulary (weight updates under their SGD names).
    var publishedName: String {
        if case .weightUpdate(let op) = self { return op.publishedName }
        return name
    }

    /// Which unit runs it.
    public var unit: ExecutionUnit {
        switch self {
        case .convolution, .gemm: .systolic
        case .zeroCost: .none
        default: .simd
        }
    }
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
