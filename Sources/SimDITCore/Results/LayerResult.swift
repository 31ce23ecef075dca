/// The category an op's cycles are grouped under in breakdowns. Everything but the convolutions
/// and fully-connected layers is "non-convolution" (GENESYS-MODEL.md §7).
public enum OperationCategory: String, Sendable, Hashable, CaseIterable {
    case forwardConvolution = "forward_convolution"
    case dataGradientConvolution = "data_gradient_convolution"
    case weightGradientConvolution = "weight_gradient_convolution"
    case fullyConnected = "fully_connected"
    case batchNormStatistics = "batch_norm_statistics"
    case batchNormApply = "batch_norm_apply"
    case batchNormBackward = "batch_norm_backward"
    case relu
    case reluGradient = "relu_gradient"
    case elementwiseAdd = "elementwise_add"
    case pooling
    case poolingGradient = "pooling_gradient"
    case softmax
    case weightUpdate = "weight_update"
    case reductions
    /// Activations other than ReLU (sigmoid, ReLU6, hard-swish, …).
    case activation
    case activationGradient = "activation_gradient"
    case elementwiseMultiply = "elementwise_multiply"
    /// Local response normalisation.
    case normalization
    case normalizationGradient = "normalization_gradient"
    /// Copies that reorder elements (channel shuffle, transpose).
    case dataMovement = "data_movement"
    case other

    /// Whether this category runs on the systolic array (counts as "convolution" in the share).
    public var isConvolution: Bool {
        switch self {
        case .forwardConvolution, .dataGradientConvolution, .weightGradientConvolution, .fullyConnected: true
        case .batchNormStatistics, .batchNormApply, .batchNormBackward, .relu, .reluGradient, .elementwiseAdd,
             .pooling, .poolingGradient, .softmax, .weightUpdate, .reductions, .activation, .activationGradient,
             .elementwiseMultiply, .normalization, .normalizationGradient, .dataMovement, .other: false
        }
    }

    /// A label for tables.
    public var title: String {
        switch self {
        case .forwardConvolution: "forward convolution"
        case .dataGradientConvolution: "data-gradient convolution"
        case .weightGradientConvolution: "weight-gradient convolution"
        case .fullyConnected: "fully-connected"
        case .batchNormStatistics: "batch-norm statistics"
        case .batchNormApply: "batch-norm apply"
        case .batchNormBackward: "batch-norm backward"
        case .relu: "ReLU"
        case .reluGradient: "ReLU gradient"
        case .elementwiseAdd: "element-wise add"
        case .pooling: "pooling"
        case .poolingGradient: "pooling gradient"
        case .softmax: "softmax"
        case .weightUpdate: "weight update"
        case .reductions: "reductions"
        case .activation: "activation"
        case .activationGradient: "activation gradient"
        case .elementwiseMultiply: "element-wise multiply"
        case .normalization: "local response norm"
        case .normalizationGradient: "local response norm gradient"
        case .dataMovement: "data movement"
        case .other: "other (zero-cost)"
        }
    }
}

/// The tile the tiler chose for one op.
public enum LayerTile: Sendable, Hashable {
    case systolic(SystolicTile)
    case simd(SIMDTile)
}

/// One program entry's result: what ran, where, with which tile, and its counts.
public struct LayerResult: Sendable, Hashable {
    /// Position in the program, from 0.
    public var index: Int
    /// The layer name (from the network).
    public var name: String
    /// The published op name (`conv_bias`, `relu`, …).
    public var operation: String
    public var unit: ExecutionUnit
    public var category: OperationCategory
    public var tile: LayerTile?
    /// Whether the fusion option kept this op's output (or input) on chip.
    public var fused: Bool
    /// Output width in bits (rule R3 for SIMD ops; the accumulator width for the array).
    public var outputBits: Int
    public var counts: Counts
}

/// A whole program's result: its layers and their sum.
public struct NetworkResult: Sendable, Hashable {
    public var programName: String
    public var architectureName: String
    public var options: SimulationOptions
    public var layers: [LayerResult]
    /// The column sums of `layers`.
    public var total: Counts
    /// `N·M`: the array's processing elements, for utilization.
    public var arrayProcessingElements: Int

    /// The array's utilization over these counts (MODEL-EXTENSIONS.md §2): useful MACs over the
    /// MACs the array could do in its compute cycles, `usefulMACs / (N·M · array compute cycles)`;
    /// nil when the array did not run.
    public func arrayUtilization(_ counts: Counts) -> Double? {
        guard counts.systolicComputeCycles > 0, arrayProcessingElements > 0 else { return nil }
        return counts.usefulMACs / (Double(arrayProcessingElements) * counts.systolicComputeCycles)
    }

    /// The layers' counts summed by category, in the order of `OperationCategory.allCases`;
    /// categories with no op are left out.
    public var countsByCategory: [(category: OperationCategory, counts: Counts)] {
        var sums = [Counts](repeating: Counts(), count: OperationCategory.allCases.count)
        var present = [Bool](repeating: false, count: OperationCategory.allCases.count)
        for layer in layers {
            let slot = OperationCategory.allCases.firstIndex(of: layer.category) ?? 0
            sums[slot] += layer.counts
            present[slot] = true
        }
        return OperationCategory.allCases.enumerated().compactMap { slot, category in
            present[slot] ? (category, sums[slot]) : nil
        }
    }

    /// Cycles by category (see `countsByCategory`).
    public var cyclesByCategory: [(category: OperationCategory, cycles: Double)] {
        countsByCategory.map { ($0.category, $0.counts.cycles) }
    }

    /// The share of total cycles spent outside convolutions and fully-connected layers (§7).
    public var nonConvolutionShare: Double {
        let all = total.cycles
        guard all > 0 else { return 0 }
        let nonConvolution = layers.reduce(0.0) { $0 + ($1.category.isConvolution ? 0 : $1.counts.cycles) }
        return nonConvolution / all
    }
}
