/// The category an op's cycles are grouped under in breakdowns. Everything but the convolutions
/// and fully-connected layers is "non-convolution" (GENESYS-MODEL.md §7).
public enum OperationCategory: String, Sendable, Hashable, CaseIterable {
    case forwardConvolution = "forward_convolution"
    case fullyConnected = "fully_connected"
    case relu
    case elementwiseAdd = "elementwise_add"
    case pooling
    case softmax
    case other

    /// Whether this category runs on the systolic array (counts as "convolution" in the share).
    public var isConvolution: Bool {
        switch self {
        case .forwardConvolution, .fullyConnected: true
        default: false
        }
    }

    /// A label for tables.
    public var title: String {
        switch self {
        case .forwardConvolution: "forward convolution"
        case .fullyConnected: "fully-connected"
        case .relu: "ReLU"
        case .elementwiseAdd: "element-wise add"
        case .pooling: "pooling"
        case .softmax: "softmax"
        case .other: "other (zero-cost)"
        }
    }
}

extension Operation {
    /// The breakdown category of this op.
    public var category: OperationCategory {
        switch self {
        case .convolution: .forwardConvolution
        case .gemm: .fullyConnected
        case .relu: .relu
        case .elementwiseAdd: .elementwiseAdd
        case .maxPool, .averagePool, .globalAveragePool: .pooling
        case .softmax: .softmax
        case .zeroCost: .other
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

    /// Cycles by category, in the order of `OperationCategory.allCases`, categories with no op left out.
    public var cyclesByCategory: [(category: OperationCategory, cycles: Double)] {
        var sums = [Double](repeating: 0, count: OperationCategory.allCases.count)
        var present = [Bool](repeating: false, count: OperationCategory.allCases.count)
        for layer in layers {
            let slot = OperationCategory.allCases.firstIndex(of: layer.category) ?? 0
            sums[slot] += layer.counts.cycles
            present[slot] = true
        }
        return OperationCategory.allCases.enumerated().compactMap { slot, category in
            present[slot] ? (category, sums[slot]) : nil
        }
    }

    /// The share of total cycles spent outside convolutions and fully-connected layers (§7).
    public var nonConvolutionShare: Double {
        let all = total.cycles
        guard all > 0 else { return 0 }
        let nonConvolution = layers.reduce(0.0) { $0 + ($1.category.isConvolution ? 0 : $1.counts.cycles) }
        return nonConvolution / all
    }
}
