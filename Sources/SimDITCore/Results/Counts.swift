/// Bits moved between DRAM and the chip, by kind of data (GENESYS-MODEL.md §5.1, §6).
public struct DRAMTraffic: Sendable, Hashable {
    public var filterBits = 0.0
    public var ifmapBits = 0.0
    /// Partial sums (systolic array), or the intermediate of softmax.
    public var psumBits = 0.0
    public var ofmapBits = 0.0
    public var biasBits = 0.0

    public init() {}

    public var totalBits: Double { filterBits + ifmapBits + psumBits + ofmapBits + biasBits }

    public static func + (lhs: Self, rhs: Self) -> Self {
        var sum = lhs
        sum.filterBits += rhs.filterBits
        sum.ifmapBits += rhs.ifmapBits
        sum.psumBits += rhs.psumBits
        sum.ofmapBits += rhs.ofmapBits
        sum.biasBits += rhs.biasBits
        return sum
    }
}

/// Bits read and written in each on-chip memory (GENESYS-MODEL.md §5.2, §6).
public struct SRAMAccesses: Sendable, Hashable {
    public var wbufBits = 0.0
    public var ibufBits = 0.0
    public var obufBits = 0.0
    public var bbufBits = 0.0
    public var vmemBits = 0.0
    public var immBits = 0.0
    public var instructionBits = 0.0

    public init() {}

    public var totalBits: Double { wbufBits + ibufBits + obufBits + bbufBits + vmemBits + immBits + instructionBits }

    public subscript(buffer: Buffer) -> Double {
        switch buffer {
        case .wbuf: wbufBits
        case .ibuf: ibufBits
        case .obuf: obufBits
        case .bbuf: bbufBits
        case .vmem: vmemBits
        case .imm: immBits
        case .instruction: instructionBits
        }
    }

    public static func + (lhs: Self, rhs: Self) -> Self {
        var sum = lhs
        sum.wbufBits += rhs.wbufBits
        sum.ibufBits += rhs.ibufBits
        sum.obufBits += rhs.obufBits
        sum.bbufBits += rhs.bbufBits
        sum.vmemBits += rhs.vmemBits
        sum.immBits += rhs.immBits
        sum.instructionBits += rhs.instructionBits
        return sum
    }
}

/// SIMD ALU operations by kind: the action counts an energy table multiplies.
public struct SIMDOperations: Sendable, Hashable {
    public var max = 0.0
    public var add = 0.0
    public var subtract = 0.0
    public var multiply = 0.0
    public var divide = 0.0
    public var exponent = 0.0
    public var inverseSquareRoot = 0.0
    public var conditionalMove = 0.0
    /// The common backward ops' generic element steps (`op_ScmnBN`, §6.7).
    public var elementSteps = 0.0

    public init() {}

    /// The published "Op count": multi-cycle ops weighted by their latency (§6.0, quirk Q7).
    public func latencyWeightedCount(_ latencies: SIMDLatencies) -> Double {
        max + add + subtract + multiply + elementSteps
            + divide * latencies.divide + exponent * latencies.exponent
            + inverseSquareRoot * latencies.inverseSquareRoot + conditionalMove * latencies.conditionalMove
    }

    public static func + (lhs: Self, rhs: Self) -> Self {
        var sum = lhs
        sum.max += rhs.max
        sum.add += rhs.add
        sum.subtract += rhs.subtract
        sum.multiply += rhs.multiply
        sum.divide += rhs.divide
        sum.exponent += rhs.exponent
        sum.inverseSquareRoot += rhs.inverseSquareRoot
        sum.conditionalMove += rhs.conditionalMove
        sum.elementSteps += rhs.elementSteps
        return sum
    }
}

/// Everything the model counts for one op, or, summed, for a network: cycles, data movement and
/// operations. Results compose: a network total is the sum of its layers (`+`).
public struct Counts: Sendable, Hashable {
    public var systolicComputeCycles = 0.0
    public var systolicStallCycles = 0.0
    public var simdComputeCycles = 0.0
    public var simdStallCycles = 0.0
    public var dram = DRAMTraffic()
    public var sram = SRAMAccesses()
    /// Multiply-accumulates on the systolic array (padded channels, §4.2).
    public var macs = 0.0
    public var simdOperations = SIMDOperations()
    /// The published "Op count": `2·MAC` on the array plus the latency-weighted SIMD count.
    public var ops = 0.0

    public init() {}

    public static let zero = Counts()

    public var systolicCycles: Double { systolicComputeCycles + systolicStallCycles }
    public var simdCycles: Double { simdComputeCycles + simdStallCycles }
    public var computeCycles: Double { systolicComputeCycles + simdComputeCycles }
    public var stallCycles: Double { systolicStallCycles + simdStallCycles }
    /// Total cycles: no overlap between ops, nor between the array and the SIMD unit (§7, Q17).
    public var cycles: Double { systolicCycles + simdCycles }

    public static func + (lhs: Self, rhs: Self) -> Self {
        var sum = Counts()
        sum.systolicComputeCycles = lhs.systolicComputeCycles + rhs.systolicComputeCycles
        sum.systolicStallCycles = lhs.systolicStallCycles + rhs.systolicStallCycles
        sum.simdComputeCycles = lhs.simdComputeCycles + rhs.simdComputeCycles
        sum.simdStallCycles = lhs.simdStallCycles + rhs.simdStallCycles
        sum.dram = lhs.dram + rhs.dram
        sum.sram = lhs.sram + rhs.sram
        sum.macs = lhs.macs + rhs.macs
        sum.simdOperations = lhs.simdOperations + rhs.simdOperations
        sum.ops = lhs.ops + rhs.ops
        return sum
    }

    public static func += (lhs: inout Self, rhs: Self) {
        lhs = lhs + rhs
    }
}

extension Counts {
    /// Every count multiplied by `factor`: the counts of `factor` identical ops.
    public func scaled(by factor: Double) -> Counts {
        var c = self
        c.systolicComputeCycles *= factor
        c.systolicStallCycles *= factor
        c.simdComputeCycles *= factor
        c.simdStallCycles *= factor
        c.dram.filterBits *= factor
        c.dram.ifmapBits *= factor
        c.dram.psumBits *= factor
        c.dram.ofmapBits *= factor
        c.dram.biasBits *= factor
        c.sram.wbufBits *= factor
        c.sram.ibufBits *= factor
        c.sram.obufBits *= factor
        c.sram.bbufBits *= factor
        c.sram.vmemBits *= factor
        c.sram.immBits *= factor
        c.sram.instructionBits *= factor
        c.macs *= factor
        c.ops *= factor
        let s = c.simdOperations
        c.simdOperations.max = s.max * factor
        c.simdOperations.add = s.add * factor
        c.simdOperations.subtract = s.subtract * factor
        c.simdOperations.multiply = s.multiply * factor
        c.simdOperations.divide = s.divide * factor
        c.simdOperations.exponent = s.exponent * factor
        c.simdOperations.inverseSquareRoot = s.inverseSquareRoot * factor
        c.simdOperations.conditionalMove = s.conditionalMove * factor
        c.simdOperations.elementSteps = s.elementSteps * factor
        return c
    }
}
