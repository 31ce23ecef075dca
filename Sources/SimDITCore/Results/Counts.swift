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

/// What each on-chip buffer does with the bits it moves, as action counts for the energy table
/// (Accelergy's reads, writes and fills): writes by the datapath — a buffer's published accesses
/// (`SRAMAccesses`) that are not writes are reads — and transfers from and to DRAM. IBUF, WBUF,
/// BBUF, IMM and instruction memory are only read by the datapath.
public struct BufferActions: Sendable, Hashable {
    /// OBUF writes: each output's first partial sum and every further accumulation step (§5.2).
    public var obufWriteBits = 0.0
    /// VMEM writes: what the SIMD ALU writes back (§6).
    public var vmemWriteBits = 0.0
    /// Fills: DRAM → buffer. Drains: buffer → DRAM.
    public var ibufFillBits = 0.0
    public var wbufFillBits = 0.0
    public var bbufFillBits = 0.0
    public var obufFillBits = 0.0
    public var obufDrainBits = 0.0
    public var vmemFillBits = 0.0
    public var vmemDrainBits = 0.0

    public init() {}

    public static func + (lhs: Self, rhs: Self) -> Self {
        var sum = BufferActions()
        sum.obufWriteBits = lhs.obufWriteBits + rhs.obufWriteBits
        sum.vmemWriteBits = lhs.vmemWriteBits + rhs.vmemWriteBits
        sum.ibufFillBits = lhs.ibufFillBits + rhs.ibufFillBits
        sum.wbufFillBits = lhs.wbufFillBits + rhs.wbufFillBits
        sum.bbufFillBits = lhs.bbufFillBits + rhs.bbufFillBits
        sum.obufFillBits = lhs.obufFillBits + rhs.obufFillBits
        sum.obufDrainBits = lhs.obufDrainBits + rhs.obufDrainBits
        sum.vmemFillBits = lhs.vmemFillBits + rhs.vmemFillBits
        sum.vmemDrainBits = lhs.vmemDrainBits + rhs.vmemDrainBits
        return sum
    }

    func scaled(by factor: Double) -> Self {
        var c = BufferActions()
        c.obufWriteBits = obufWriteBits * factor
        c.vmemWriteBits = vmemWriteBits * factor
        c.ibufFillBits = ibufFillBits * factor
        c.wbufFillBits = wbufFillBits * factor
        c.bbufFillBits = bbufFillBits * factor
        c.obufFillBits = obufFillBits * factor
        c.obufDrainBits = obufDrainBits * factor
        c.vmemFillBits = vmemFillBits * factor
        c.vmemDrainBits = vmemDrainBits * factor
        return c
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
    /// Every count multiplied by `factor`.
    public func scaled(by factor: Double) -> SIMDOperations {
        var s = SIMDOperations()
        s.max = max * factor
        s.add = add * factor
        s.subtract = subtract * factor
        s.multiply = multiply * factor
        s.divide = divide * factor
        s.exponent = exponent * factor
        s.inverseSquareRoot = inverseSquareRoot * factor
        s.conditionalMove = conditionalMove * factor
        s.elementSteps = elementSteps * factor
        return s
    }

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
    /// Reads, writes, fills and drains of the buffers behind `sram` and `dram`.
    public var buffers = BufferActions()
    /// Multiply-accumulates on the systolic array (padded channels, §4.2).
    public var macs = 0.0
    /// The multiply-accumulates the network asks for: the same ops with unpadded channels (and for
    /// a grouped convolution, only each group's own channels). `usefulMACs ≤ macs`.
    public var usefulMACs = 0.0
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
        sum.buffers = lhs.buffers + rhs.buffers
        sum.macs = lhs.macs + rhs.macs
        sum.usefulMACs = lhs.usefulMACs + rhs.usefulMACs
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
        c.buffers = buffers.scaled(by: factor)
        c.macs *= factor
        c.usefulMACs *= factor
        c.ops *= factor
        c.simdOperations = simdOperations.scaled(by: factor)
        return c
    }
}

/// One buffer's actions, bits: datapath reads and writes, fills from DRAM, drains to DRAM.
public struct BufferUse: Sendable, Hashable {
    public var reads: Double
    public var writes: Double
    public var fills: Double
    public var drains: Double
}

extension Counts {
    /// What `buffer` does: its published accesses split into reads and writes, and its transfers.
    public func use(of buffer: Buffer) -> BufferUse {
        let b = buffers
        switch buffer {
        case .ibuf: return BufferUse(reads: sram.ibufBits, writes: 0, fills: b.ibufFillBits, drains: 0)
        case .wbuf: return BufferUse(reads: sram.wbufBits, writes: 0, fills: b.wbufFillBits, drains: 0)
        case .bbuf: return BufferUse(reads: sram.bbufBits, writes: 0, fills: b.bbufFillBits, drains: 0)
        case .obuf: return BufferUse(reads: sram.obufBits - b.obufWriteBits, writes: b.obufWriteBits,
                                     fills: b.obufFillBits, drains: b.obufDrainBits)
        case .vmem: return BufferUse(reads: sram.vmemBits - b.vmemWriteBits, writes: b.vmemWriteBits,
                                     fills: b.vmemFillBits, drains: b.vmemDrainBits)
        case .imm: return BufferUse(reads: sram.immBits, writes: 0, fills: 0, drains: 0)
        case .instruction: return BufferUse(reads: sram.instructionBits, writes: 0, fills: 0, drains: 0)
        }
    }

    /// Books this op's DRAM traffic as transfers of the buffers of `unit`. On the array: the ifmap
    /// fills IBUF, the filter WBUF and the bias BBUF; of the partial-sum traffic (every write-out
    /// is read back, §5.1) half fills OBUF and half drains it, and the ofmap drains it. On the SIMD
    /// unit every load fills VMEM and every store drains it (the intermediate of softmax, `psum`,
    /// half each way).
    mutating func bookTransfers(on unit: ExecutionUnit) {
        switch unit {
        case .systolic:
            buffers.ibufFillBits = dram.ifmapBits
            buffers.wbufFillBits = dram.filterBits
            buffers.bbufFillBits = dram.biasBits
            buffers.obufFillBits = dram.psumBits / 2
            buffers.obufDrainBits = dram.psumBits / 2 + dram.ofmapBits
        case .simd:
            buffers.vmemFillBits = dram.ifmapBits + dram.filterBits + dram.biasBits + dram.psumBits / 2
            buffers.vmemDrainBits = dram.ofmapBits + dram.psumBits / 2
        case .none:
            break
        }
    }
}
