/// What an array op computes in a training iteration: the forward pass, the gradient with respect
/// to its input (dX) or the gradient with respect to its weights (dW).
public enum GradientRole: String, Sendable, Hashable {
    case forward
    case dataGradient = "data_gradient"
    case weightGradient = "weight_gradient"
}

/// A convolution as the published model sees it (GENESYS-MODEL.md §2.2): output size, kernel,
/// channels, stride, and a batch field that is only a marker until the batch override (R2). Grouped
/// and depthwise convolutions (`groups > 1`), rectangular strides and dilation are the extension
/// of MODEL-EXTENSIONS.md §1; with their defaults the op is the published one.
public struct ConvolutionOp: Sendable, Hashable {
    /// All output channels (every group's).
    public var outputChannels: Int
    /// All input channels (every group's).
    public var inputChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var outputHeight: Int
    public var outputWidth: Int
    /// The spec's `N`: 1 means "the run's batch goes here" (R2).
    public var batch: Int
    /// Vertical stride (the published model's single stride).
    public var stride: Int
    public var strideWidth: Int
    /// Zero padding on each side. The published model ignores it (Q6); kept for the refined model.
    public var padding: Int
    public var hasBias: Bool
    /// Forward, dX or dW. R2 puts the run's batch on the input channels of a dW op (§2.4).
    public var role: GradientRole
    /// Channel groups: each group convolves `inputChannels / groups` inputs into
    /// `outputChannels / groups` outputs.
    public var groups: Int
    public var dilationHeight: Int
    public var dilationWidth: Int
    /// The multiply-accumulates the mathematics asks of this op per sample of the run's batch,
    /// when they are not what its own shape gives: a dX or dW convolution does the forward
    /// layer's (its shape counts the zeros a stride inserts and the dilated kernel), a first
    /// layer's dX none (MODEL-EXTENSIONS.md §2). Nil: the op's own unpadded MACs.
    public var usefulMACsPerSample: Double? {
        get { usefulMACsPerSampleStorage < 0 ? nil : usefulMACsPerSampleStorage }
        set { usefulMACsPerSampleStorage = newValue ?? -1 }
    }
    /// −1 for nil: a plain Double keeps the op (the largest payload of `Operation`, copied for
    /// every program entry the simulator evaluates) 8 bytes smaller than an optional would.
    private var usefulMACsPerSampleStorage: Double = -1

    /// `stride` sets both strides unless `strideWidth` is given.
    public init(outputChannels: Int, inputChannels: Int, kernelHeight: Int, kernelWidth: Int,
                outputHeight: Int, outputWidth: Int, batch: Int = 1, stride: Int = 1,
                padding: Int = 0, hasBias: Bool = true, role: GradientRole = .forward,
                groups: Int = 1, strideWidth: Int? = nil, dilationHeight: Int = 1, dilationWidth: Int = 1,
                usefulMACsPerSample: Double? = nil) {
        self.outputChannels = outputChannels
        self.inputChannels = inputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.batch = batch
        self.stride = stride
        self.strideWidth = strideWidth ?? stride
        self.padding = padding
        self.hasBias = hasBias
        self.role = role
        self.groups = groups
        self.dilationHeight = dilationHeight
        self.dilationWidth = dilationWidth
        self.usefulMACsPerSample = usefulMACsPerSample
    }
}

/// A matrix multiply (fully-connected layer, or any GEMM): `P` outputs from `N` inputs for `M`
/// samples, the spec's field names (GENESYS-MODEL.md §2.2).
public struct GEMMOp: Sendable, Hashable {
    /// `P`: output features (the array's OC).
    public var outputs: Int
    /// `N`: input features (the array's IC).
    public var inputs: Int
    /// `M`: samples; 1 means "the run's batch goes here" (R2).
    public var batch: Int
    public var hasBias: Bool
    public var role: GradientRole
    /// Rows per sample of a GEMM over a sequence or a spatial map (a MatMul whose input has more
    /// than two dimensions): the array sees `rows × batch` samples. 1 for a fully-connected layer.
    public var rowsPerSample: Int
    /// The mathematics' multiply-accumulates per sample of the run's batch when they are not what
    /// the op's shape gives: a dX or dW GEMM does the forward layer's, the classifier its unpadded
    /// outputs' (Q13), a first layer's dX none (MODEL-EXTENSIONS.md §2). Nil: `P · reduction · samples`.
    public var usefulMACsPerSample: Double? {
        get { usefulMACsPerSampleStorage < 0 ? nil : usefulMACsPerSampleStorage }
        set { usefulMACsPerSampleStorage = newValue ?? -1 }
    }
    /// −1 for nil (as `ConvolutionOp`'s).
    private var usefulMACsPerSampleStorage: Double = -1

    public init(outputs: Int, inputs: Int, batch: Int = 1, hasBias: Bool = true, role: GradientRole = .forward,
                rowsPerSample: Int = 1, usefulMACsPerSample: Double? = nil) {
        self.outputs = outputs
        self.inputs = inputs
        self.batch = batch
        self.hasBias = hasBias
        self.role = role
        self.rowsPerSample = rowsPerSample
        self.usefulMACsPerSample = usefulMACsPerSample
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

    init(_ shape: TensorShape) {
        self.init(channels: shape.channels, height: shape.height, width: shape.width)
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
    /// Vertical stride (the published model's single stride).
    public var stride: Int
    public var strideWidth: Int
    public var batch: Int

    /// `stride` sets both strides unless `strideWidth` is given.
    public init(channels: Int, outputHeight: Int, outputWidth: Int, kernelHeight: Int,
                kernelWidth: Int, stride: Int, batch: Int = 1, strideWidth: Int? = nil) {
        self.channels = channels
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.strideWidth = strideWidth ?? stride
        self.batch = batch
    }

    /// A global pool over an `inputHeight × inputWidth` map.
    public static func global(channels: Int, inputHeight: Int, inputWidth: Int, batch: Int = 1) -> PoolOp {
        PoolOp(channels: channels, outputHeight: 1, outputWidth: 1, kernelHeight: inputHeight,
               kernelWidth: inputWidth, stride: 1, batch: batch)
    }
}

/// Softmax over `classes` for each of `rows` rows per sample.
public struct SoftmaxOp: Sendable, Hashable {
    public var classes: Int
    /// Rows per sample (1 for a classifier's output).
    public var rowsPerSample: Int
    public var batch: Int
    /// The published code's softmax, which ignores the shape and always computes 1000 classes ×
    /// 128 samples (GENESYS-MODEL.md §6.9, quirk Q19). Networks lower to the real shape.
    public var publishedShape: Bool

    public init(classes: Int, rowsPerSample: Int = 1, batch: Int = 1, publishedShape: Bool = false) {
        self.classes = classes
        self.rowsPerSample = rowsPerSample
        self.batch = batch
        self.publishedShape = publishedShape
    }

    /// The published op (Q19).
    public static let published = SoftmaxOp(classes: 1000, publishedShape: true)
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
}

/// An element-wise function on the SIMD unit (MODEL-EXTENSIONS.md §3).
public enum ActivationFunction: Sendable, Hashable {
    /// `max(x, 0)`, the published `relu`.
    case relu
    /// `min(max(x, lower), upper)`; ReLU6 is `clip(0, 6)`.
    case clip(lower: Double, upper: Double)
    /// `x` if `x ≥ 0`, else `α·x`.
    case leakyRelu(alpha: Double)
    case sigmoid
    case tanh
    /// `max(0, min(1, α·x + β))`.
    case hardSigmoid(alpha: Double, beta: Double)
    /// `x · hardSigmoid(x)` with α = 1/6, β = 1/2.
    case hardSwish
    /// `x · sigmoid(x)` (SiLU), EfficientNet's activation.
    case swish
    /// `x · c` with a constant `c` (a scalar or one per channel, from IMM): an imported `Mul` or
    /// `Div` by a constant that is not part of a batch norm.
    case scale
    /// `x + c` with a constant `c`: an imported `Add` or `Sub` of a constant.
    case shift

    /// The op name in programs and network files.
    public var name: String {
        switch self {
        case .relu: "relu"
        case .clip(let lower, let upper): lower == 0 && upper == 6 ? "relu6" : "clip"
        case .leakyRelu: "leaky_relu"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .hardSigmoid: "hard_sigmoid"
        case .hardSwish: "hard_swish"
        case .swish: "swish"
        case .scale: "scale"
        case .shift: "shift"
        }
    }
}

/// An activation function applied to a tensor.
public struct ActivationOp: Sendable, Hashable {
    public var function: ActivationFunction
    public var tensor: ElementwiseOp

    public init(function: ActivationFunction, tensor: ElementwiseOp) {
        self.function = function
        self.tensor = tensor
    }
}

/// The arithmetic of a two-operand element-wise op.
public enum BinaryOperator: String, Sendable, Hashable {
    case add, multiply
}

/// An element-wise op whose second operand is broadcast over the first (a squeeze-and-excitation
/// scale `C×H×W ⊙ C×1×1`, a dropout mask, a bias): the output has the first operand's shape.
public struct BroadcastOp: Sendable, Hashable {
    public var operation: BinaryOperator
    public var tensor: ElementwiseOp
    /// Per sample, the second operand's elements (`C` for a per-channel scale; all of `tensor`'s
    /// for an operand of the same shape).
    public var operandElements: Int

    public init(operation: BinaryOperator, tensor: ElementwiseOp, operandElements: Int) {
        self.operation = operation
        self.tensor = tensor
        self.operandElements = operandElements
    }
}

/// A multiply of a tensor by one value per sample (stochastic depth's mask), forward or gradient.
public struct SampleMaskOp: Sendable, Hashable {
    public var tensor: ElementwiseOp
    public var gradient: Bool

    public init(tensor: ElementwiseOp, gradient: Bool) {
        self.tensor = tensor
        self.gradient = gradient
    }
}

/// Local response normalisation across `size` neighbouring channels (AlexNet, GoogLeNet).
public struct LRNOp: Sendable, Hashable {
    public var tensor: ElementwiseOp
    public var size: Int

    public init(tensor: ElementwiseOp, size: Int) {
        self.tensor = tensor
        self.size = size
    }
}

/// One entry of a lowered program: the published model's op vocabulary (GENESYS-MODEL.md §2.1 R1)
/// and its extensions (MODEL-EXTENSIONS.md). Each case's unit, category, fusion behaviour, tiler
/// and cost model live in one conformance to `OperationModel` (`Operations/`); `model` is the one
/// switch that maps a case to it.
public enum Operation: Sendable, Hashable {
    /// `conv_bias` or `conv` (without bias); grouped and depthwise convolutions too.
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
    /// An activation other than ReLU (`sigmoid`, `relu6`, `hard_swish`, …).
    case activation(ActivationOp)
    /// The gradient of an activation other than ReLU (`sigmoid_grad`, …).
    case activationGradient(ActivationOp)
    /// `broadcast_add`, `broadcast_mul`: the second operand broadcast over the first.
    case broadcast(BroadcastOp)
    case globalMaxPool(PoolOp)
    case globalMaxPoolGradient(PoolOp)
    /// `global_sum_pool_grad`: a spatial sum's gradient, each channel's gradient spread over its map.
    case globalSumPoolGradient(PoolOp)
    /// `reduce_spatial`: a per-channel sum over the spatial map (a broadcast operand's gradient).
    case spatialReduction(PoolOp)
    case localResponseNorm(LRNOp)
    case localResponseNormGradient(LRNOp)
    /// `softmax_grad`: `dx = y ⊙ (dy − Σ y ⊙ dy)`.
    case softmaxGradient(SoftmaxOp)
    /// `permute`: a copy through the SIMD unit that reorders elements (a channel shuffle).
    case permute(ElementwiseOp)
    /// `concat`: free (each producer writes its own part of the output in DRAM), but a fusion
    /// barrier. The tensor is the concatenated output.
    case concat(ElementwiseOp)
    /// `split`: a concat's gradient, free, a fusion barrier. The tensor is the gradient split.
    case split(ElementwiseOp)
    /// `slice`: a region of a tensor read in place, free, a fusion barrier. The tensor is the region.
    case slice(ElementwiseOp)
    /// `stochastic_depth` (or its gradient): a multiply by one mask value per sample.
    case sampleMask(SampleMaskOp)
    /// An op the model gives no cost, named as in the published programs (e.g. `coarse_flatten`)
    /// or for what it is (`concat`, `reshape`, `dropout`).
    case zeroCost(String)
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
