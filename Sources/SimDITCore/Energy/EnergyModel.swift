/// The parts of an accelerator that energy is booked to.
public enum EnergyComponent: String, Sendable, Hashable, CaseIterable {
    /// Multiply-accumulates and the bias adds of the systolic array.
    case systolicMAC = "systolic_mac"
    /// The array's clock and registers: every PE, every cycle the array is clocked (stalls included).
    case systolicIdle = "systolic_idle"
    case ibuf, wbuf, obuf, bbuf, vmem, imm, instruction
    case simdALU = "simd_alu"
    /// The SIMD lanes' clock and registers: every lane, every cycle the SIMD unit is clocked.
    case simdIdle = "simd_idle"
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
        case .systolicIdle: 1
        case .ibuf: 2
        case .wbuf: 3
        case .obuf: 4
        case .bbuf: 5
        case .vmem: 6
        case .imm: 7
        case .instruction: 8
        case .simdALU: 9
        case .simdIdle: 10
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
    /// The library's key path the missing or bad figure belongs to (`pe.mac_pj`, `clock_hz`).
    public var keyPath: String?

    public init(description: String, keyPath: String? = nil) {
        self.description = description
        self.keyPath = keyPath
    }
}

/// Energy of a simulation: the cost model's action counts times a technology library's energies,
/// plus leakage × runtime (BRIEF.md; Accelergy's action counts × energy table).
///
/// Actions and their prices (no action is priced twice: a calibrated MAC or SIMD-op energy is the
/// power it adds over the idle, clocked circuit, and the idle power is charged per clocked cycle):
/// - `systolic_mac`: MACs × the dynamic energy per MAC at the array precision (`max(act, wgt)`
///   bits, the smallest listed class at least as wide; multiplier, adder and the data toggles of
///   the PE's registers), plus one 32-bit accumulate per bias read (the bias add).
/// - `systolic_idle`: N·M PEs × the cycles the array is clocked (its compute and stall cycles) ×
///   `pe.idle_pj_per_cycle` (clock tree and register clock pins, operands held). The published
///   model runs the array and the SIMD unit one after the other; each is assumed clock-gated while
///   the other runs.
/// - Buffers: the counts' reads, writes, fills and drains (`BufferActions`) in words of the
///   buffer's bank: the published accesses of IBUF, WBUF, BBUF, IMM and instruction memory are
///   reads; OBUF's and VMEM's are the counted writes and the rest reads; fills from DRAM are
///   writes and drains to DRAM reads. A buffer's word energy is that of one bank: IBUF N banks of activation width,
///   WBUF N·M banks of weight width, OBUF M banks of 32 bits (both halves), BBUF M banks of bias
///   width, each VMEM M banks of 32 bits, IMM 1 Kib and instruction memory 2^addr × 32 bits of
///   32-bit words.
/// - `simd_alu`: SIMD ops by kind (fixed point for inference, float for training); adds,
///   subtracts and the generic element steps are priced as adds, max and conditional moves as
///   compares (a compare and a select).
/// - `simd_idle`: M lanes × the SIMD unit's compute and stall cycles × `simd.idle_pj_per_cycle`.
/// - `dram`: DRAM bits × `dram.energy_pj_per_bit`.
/// - `leakage`: the whole design's leakage power × the op's runtime at the library clock.
public struct EnergyModel: Sendable {
    public let architecture: Architecture
    public let library: TechnologyLibrary
    public let mode: ExecutionMode
    let macEnergy: Double
    let peIdleEnergy: Double
    let simd: SIMDOperationEnergies
    let laneIdleEnergy: Double
    let wordEnergy: [Buffer: (read: Double, write: Double, width: Double)]
    /// Leakage of the whole design, W.
    public let leakageWatts: Double

    public init(architecture a: Architecture, library: TechnologyLibrary, mode: ExecutionMode) throws(EnergyModelError) {
        self.architecture = a
        self.library = library
        self.mode = mode
        let precision = max(a.activationBits, a.weightBits)
        let precisionClass = library.precisionClass(for: precision, in: library.macEnergyPicojoules)
        guard let precisionClass, let mac = library.macEnergyPicojoules[precisionClass] else {
            throw EnergyModelError(description: "technology library '\(library.name)' has no MAC energy for "
                + "\(precision)-bit operands (it lists \(library.macEnergyPicojoules.keys.sorted().map { "\($0)" }.joined(separator: ", ")) bits)",
                keyPath: "pe.mac_pj")
        }
        guard library.clockHz > 0 else {
            throw EnergyModelError(description: "technology library '\(library.name)' has no positive clock", keyPath: "clock_hz")
        }
        guard let idle = library.peIdleEnergyPicojoulesPerCycle[precisionClass] else {
            throw EnergyModelError(description: "technology library '\(library.name)' has a MAC energy but no idle energy "
                + "(pe.idle_pj_per_cycle) for \(precisionClass)-bit PEs", keyPath: "pe.idle_pj_per_cycle")
        }
        macEnergy = mac
        peIdleEnergy = idle
        simd = mode == .training ? library.simdFloat : library.simdFixedPoint
        laneIdleEnergy = (mode == .training ? library.simdFloatLane : library.simdFixedPointLane).idleEnergyPicojoulesPerCycle
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

    /// The energy of one op (or any sum of ops), including its leakage.
    public func energy(of c: Counts) -> EnergyBreakdown {
        let a = architecture, lib = library
        var e = EnergyBreakdown()
        let bias = Double(a.biasBits)
        e[.systolicMAC] = c.macs * macEnergy + c.sram.bbufBits / bias * lib.accumulateEnergyPicojoules
        e[.systolicIdle] = Double(a.arrayRows * a.arrayColumns) * c.systolicCycles * peIdleEnergy
        // Reads and drains at the bank's read energy, writes and fills at its write energy, per word.
        func access(_ buffer: Buffer) -> Double {
            guard let word = wordEnergy[buffer] else { return 0 }
            let use = c.use(of: buffer)
            return (use.reads + use.drains) / word.width * word.read + (use.writes + use.fills) / word.width * word.write
        }
        e[.ibuf] = access(.ibuf)
        e[.wbuf] = access(.wbuf)
        e[.bbuf] = access(.bbuf)
        e[.obuf] = access(.obuf)
        e[.vmem] = access(.vmem)
        e[.imm] = access(.imm)
        e[.instruction] = access(.instruction)
        let ops = c.simdOperations
        e[.simdALU] = (ops.add + ops.subtract + ops.elementSteps) * simd.add + ops.multiply * simd.multiply
            + ops.divide * simd.divide + ops.exponent * simd.exponent + ops.inverseSquareRoot * simd.inverseSquareRoot
            + (ops.max + ops.conditionalMove) * simd.compare
        e[.simdIdle] = Double(a.arrayColumns) * c.simdCycles * laneIdleEnergy
        e[.dram] = c.dram.totalBits * lib.dramEnergyPicojoulesPerBit
        e[.leakage] = leakageWatts * c.cycles / lib.clockHz * 1e12
        return e
    }

    /// Energy per layer and in total, with runtime, power and efficiency.
    public func report(_ result: NetworkResult) -> EnergyReport {
        let layers = result.layers.map { energy(of: $0.counts) }
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
