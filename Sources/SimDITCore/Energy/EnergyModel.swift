/// The parts of an accelerator that energy is booked to.
public enum EnergyComponent: String, Sendable, Hashable, CaseIterable {
    /// Multiply-accumulates and the bias adds of the systolic array.
    case systolicMAC = "systolic_mac"
    /// PE pipeline registers: each MAC passes its activation right and its partial sum down.
    case systolicRegisters = "systolic_registers"
    case ibuf, wbuf, obuf, bbuf, vmem, imm, instruction
    case simdALU = "simd_alu"
    case simdRegisters = "simd_registers"
    case dram
    /// Leakage of every component over the runtime.
    case leakage
}

/// Energy in pJ by component. Breakdowns compose: a network's is the sum of its layers'.
public struct EnergyBreakdown: Sendable, Hashable {
    public private(set) var picojoules: [Double]

    public init() { picojoules = [Double](repeating: 0, count: EnergyComponent.allCases.count) }

    public subscript(component: EnergyComponent) -> Double {
        get { picojoules[EnergyBreakdown.slot(component)] }
        set { picojoules[EnergyBreakdown.slot(component)] = newValue }
    }

    /// The sum over components.
    public var total: Double { picojoules.reduce(0, +) }

    static func slot(_ component: EnergyComponent) -> Int {
        switch component {
        case .systolicMAC: 0
        case .systolicRegisters: 1
        case .ibuf: 2
        case .wbuf: 3
        case .obuf: 4
        case .bbuf: 5
        case .vmem: 6
        case .imm: 7
        case .instruction: 8
        case .simdALU: 9
        case .simdRegisters: 10
        case .dram: 11
        case .leakage: 12
        }
    }

    public static func + (lhs: Self, rhs: Self) -> Self {
        var sum = lhs
        for index in sum.picojoules.indices { sum.picojoules[index] += rhs.picojoules[index] }
        return sum
    }
}

/// Why energy cannot be computed for an architecture with a library.
public struct EnergyModelError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Energy of a simulation: the cost model's action counts times a technology library's energies,
/// plus leakage × runtime (BRIEF.md; Accelergy's action counts × energy table).
///
/// Actions and their prices:
/// - `systolic_mac`: MACs × the MAC energy at the array precision (`max(act, wgt)` bits, the
///   smallest listed class at least as wide), plus one 32-bit accumulate per bias read (the bias add).
/// - `systolic_registers`: MACs × (activation + accumulator bits) × the PE register energy per bit.
/// - Buffers: the published access counts (bits) divided by the buffer's word width are reads of
///   IBUF, WBUF, BBUF, IMM and instruction memory, and read/write mixes of OBUF and VMEM (priced at
///   the mean of read and write). Every DRAM bit also enters or leaves a buffer: ifmap, filter and
///   bias are writes of IBUF, WBUF and BBUF; psum and ofmap are OBUF accesses; all SIMD DRAM traffic
///   is VMEM accesses. A buffer's word energy is that of one bank: IBUF N banks of activation width,
///   WBUF N·M banks of weight width, OBUF M banks of 32 bits (both halves), BBUF M banks of bias
///   width, each VMEM M banks of 32 bits, IMM 1 Kib and instruction memory 2^addr × 32 bits of
///   32-bit words.
/// - `simd_alu`: SIMD ops by kind (fixed point for inference, float for training); max and the
///   generic element steps are priced as adds, conditional moves as compares.
/// - `simd_registers`: each SIMD op moves two operands and a result (3 × 32 bits) through pipeline
///   registers.
/// - `dram`: DRAM bits × `dram.energy_pj_per_bit`.
/// - `leakage`: the whole design's leakage power × the op's runtime at the library clock.
public struct EnergyModel: Sendable {
    public let architecture: Architecture
    public let library: TechnologyLibrary
    public let mode: ExecutionMode
    let macEnergy: Double
    let simd: SIMDOperationEnergies
    let wordEnergy: [Buffer: (read: Double, write: Double, width: Double)]
    /// Leakage of the whole design, W.
    public let leakageWatts: Double

    public init(architecture a: Architecture, library: TechnologyLibrary, mode: ExecutionMode) throws(EnergyModelError) {
        self.architecture = a
        self.library = library
        self.mode = mode
        let precision = max(a.activationBits, a.weightBits)
        guard let mac = library.precisionClass(for: precision, in: library.macEnergyPicojoules)
            .flatMap({ library.macEnergyPicojoules[$0] }) else {
            throw EnergyModelError(description: "technology library '\(library.name)' has no MAC energy for "
                + "\(precision)-bit operands (it lists \(library.macEnergyPicojoules.keys.sorted().map { "\($0)" }.joined(separator: ", ")) bits)")
        }
        guard library.clockHz > 0 else {
            throw EnergyModelError(description: "technology library '\(library.name)' has no positive clock")
        }
        macEnergy = mac
        simd = mode == .training ? library.simdFloat : library.simdFixedPoint
        let table = SRAMTable(library.sramMacros)
        var words: [Buffer: (read: Double, write: Double, width: Double)] = [:]
        for bank in MemoryBanks(a).all {
            words[bank.buffer] = (table.readEnergy(capacityBits: bank.capacityBits, widthBits: bank.widthBits),
                                  table.writeEnergy(capacityBits: bank.capacityBits, widthBits: bank.widthBits),
                                  bank.widthBits)
        }
        wordEnergy = words
        leakageWatts = AreaModel(architecture: a, library: library, mode: mode).leakageMicrowatts.total * 1e-6
    }

    /// The energy of one op (or any sum of ops run on `unit`), including its leakage.
    public func energy(of c: Counts, unit: ExecutionUnit) -> EnergyBreakdown {
        let a = architecture, lib = library
        var e = EnergyBreakdown()
        let bias = Double(a.biasBits), activation = Double(a.activationBits), accumulator = Double(a.accumulatorBits)
        e[.systolicMAC] = c.macs * macEnergy + c.sram.bbufBits / bias * lib.accumulateEnergyPicojoules
        e[.systolicRegisters] = c.macs * (activation + accumulator) * lib.peRegisterEnergyPicojoulesPerBit
        func reads(_ buffer: Buffer, _ bits: Double) -> Double {
            guard let word = wordEnergy[buffer] else { return 0 }
            return bits / word.width * word.read
        }
        func writes(_ buffer: Buffer, _ bits: Double) -> Double {
            guard let word = wordEnergy[buffer] else { return 0 }
            return bits / word.width * word.write
        }
        func mixed(_ buffer: Buffer, _ bits: Double) -> Double {
            guard let word = wordEnergy[buffer] else { return 0 }
            return bits / word.width * (word.read + word.write) / 2
        }
        let onArray = unit == .systolic
        e[.ibuf] = reads(.ibuf, c.sram.ibufBits) + (onArray ? writes(.ibuf, c.dram.ifmapBits) : 0)
        e[.wbuf] = reads(.wbuf, c.sram.wbufBits) + writes(.wbuf, c.dram.filterBits)
        e[.bbuf] = reads(.bbuf, c.sram.bbufBits) + writes(.bbuf, c.dram.biasBits)
        e[.obuf] = mixed(.obuf, c.sram.obufBits + (onArray ? c.dram.psumBits + c.dram.ofmapBits : 0))
        e[.vmem] = mixed(.vmem, c.sram.vmemBits + (unit == .simd ? c.dram.totalBits : 0))
        e[.imm] = reads(.imm, c.sram.immBits)
        e[.instruction] = reads(.instruction, c.sram.instructionBits)
        let ops = c.simdOperations
        e[.simdALU] = (ops.max + ops.add + ops.subtract + ops.elementSteps) * simd.add + ops.multiply * simd.multiply
            + ops.divide * simd.divide + ops.exponent * simd.exponent + ops.inverseSquareRoot * simd.inverseSquareRoot
            + ops.conditionalMove * simd.compare
        let simdOps = ops.max + ops.add + ops.subtract + ops.elementSteps + ops.multiply + ops.divide + ops.exponent
            + ops.inverseSquareRoot + ops.conditionalMove
        e[.simdRegisters] = simdOps * 3 * 32 * lib.simdRegisterEnergyPicojoulesPerBit
        e[.dram] = c.dram.totalBits * lib.dramEnergyPicojoulesPerBit
        e[.leakage] = leakageWatts * c.cycles / lib.clockHz * 1e12
        return e
    }

    /// Energy per layer and in total, with runtime, power and efficiency.
    public func report(_ result: NetworkResult) -> EnergyReport {
        let layers = result.layers.map { energy(of: $0.counts, unit: $0.unit) }
        let total = layers.reduce(EnergyBreakdown(), +)
        return EnergyReport(library: library.name, clockHz: library.clockHz, cycles: result.total.cycles,
                            ops: result.total.ops, layers: layers, total: total, leakageWatts: leakageWatts)
    }
}

/// Energy, runtime and power of a simulation.
public struct EnergyReport: Sendable, Hashable {
    public var library: String
    public var clockHz: Double
    public var cycles: Double
    /// The published op count (2 per MAC plus latency-weighted SIMD ops).
    public var ops: Double
    /// Per program entry, in order.
    public var layers: [EnergyBreakdown]
    /// The sum of `layers`.
    public var total: EnergyBreakdown
    public var leakageWatts: Double

    public var energyJoules: Double { total.total * 1e-12 }
    public var runtimeSeconds: Double { cycles / clockHz }
    public var averagePowerWatts: Double { runtimeSeconds > 0 ? energyJoules / runtimeSeconds : 0 }
    /// Energy-delay product, J·s.
    public var energyDelayProduct: Double { energyJoules * runtimeSeconds }
    /// Effective tera-operations per second.
    public var teraOpsPerSecond: Double { runtimeSeconds > 0 ? ops / runtimeSeconds / 1e12 : 0 }
    public var teraOpsPerWatt: Double { energyJoules > 0 ? ops / energyJoules / 1e12 : 0 }
}
