/// Whether the workload runs inference or one training iteration. It selects the SIMD number
/// format (32-bit fixed point or float) and so the multi-cycle op latencies.
public enum ExecutionMode: String, Sendable, CaseIterable, Hashable {
    case inference, training
}

/// Latencies in cycles of the multi-cycle SIMD operations (GENESYS-MODEL.md §1.2).
public struct SIMDLatencies: Sendable, Hashable {
    public var divide: Double
    public var exponent: Double
    public var inverseSquareRoot: Double
    public var conditionalMove: Double

    public init(mode: ExecutionMode) {
        switch mode {
        case .inference:  // 32-bit fixed point
            divide = 9; exponent = 3; inverseSquareRoot = 13; conditionalMove = 1
        case .training:   // 32-bit float
            divide = 5; exponent = 3; inverseSquareRoot = 11; conditionalMove = 1
        }
    }
}

/// The architecture as the cost formulas see it: every quantity a double, derived once
/// (GENESYS-MODEL.md §1.2). The short names are the specification's symbols.
final class DerivedHardware: Sendable {
    /// `N`: array rows.
    let rows: Double
    /// `M`: array columns and SIMD lanes.
    let columns: Double
    /// `bw_a`, `bw_w`, `bw_b`, `bw_p` in bits.
    let activationBits, weightBits, biasBits, accumulatorBits: Double
    /// `bw_s`: SIMD data width (= accumulator width).
    let simdBits: Double
    /// `W2`, `I2`, `O2`, `B2`: the half of each double-buffered SA buffer the tiler may fill, bits.
    let weightTileBits, inputTileBits, outputTileBits, biasTileBits: Double
    /// `V`: VMEM capacity (single-buffered, the whole of it), bits.
    let vectorMemoryBits: Double
    /// `BW_w`, `BW_i`, `BW_o`, `BW_s`: DRAM port widths in bits per cycle.
    let weightPort, inputPort, outputPort, simdPort: Double
    /// `F_A = (N − 1) + (M − 1)`: systolic fill and drain per DRAM tile.
    let systolicFill: Double
    /// `F_S = (6 − 1) + (M − 1)`: SIMD pipeline fill per DRAM tile.
    let simdFill: Double
    let latencies: SIMDLatencies

    init(_ architecture: Architecture, mode: ExecutionMode) {
        rows = Double(architecture.arrayRows)
        columns = Double(architecture.arrayColumns)
        activationBits = Double(architecture.activationBits)
        weightBits = Double(architecture.weightBits)
        biasBits = Double(architecture.biasBits)
        accumulatorBits = Double(architecture.accumulatorBits)
        simdBits = accumulatorBits
        weightTileBits = Double(architecture.weightBufferCapacityBits) / 2
        inputTileBits = Double(architecture.inputBufferCapacityBits) / 2
        // The file value is one OBUF half; C_O = 2 × value, and the tiler gets C_O / 2 (Q9).
        outputTileBits = Double(architecture.outputBufferCapacityBits)
        biasTileBits = Double(architecture.biasBufferCapacityBits) / 2
        vectorMemoryBits = Double(architecture.vectorMemoryCapacityBits)
        weightPort = min(rows * weightBits, Double(architecture.parameterPortBitsPerCycle))
        inputPort = Double(architecture.inputPortBitsPerCycle)
        outputPort = Double(architecture.outputPortBitsPerCycle)
        simdPort = Double(architecture.simdPortBitsPerCycle)
        systolicFill = (rows - 1) + (columns - 1)
        simdFill = (6 - 1) + (columns - 1)
        latencies = SIMDLatencies(mode: mode)
    }
}

/// Rounds up: the specification's `⌈x⌉`.
@inline(__always)
func ceil(_ x: Double) -> Double { x.rounded(.up) }

/// `padUp(x, m)`: `m` if `x ≤ m`, else `m·⌈x/m⌉` (GENESYS-MODEL.md §2.1 R4).
@inline(__always)
func padUp(_ x: Double, _ unit: Double) -> Double {
    x <= unit ? unit : unit * ceil(x / unit)
}
