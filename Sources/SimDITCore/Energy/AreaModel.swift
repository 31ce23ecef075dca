/// The SRAM banks of a GeneSys architecture: how each buffer is split into macros.
public struct MemoryBanks: Sendable {
    public struct Bank: Sendable, Hashable {
        public var buffer: Buffer
        /// How many identical macros.
        public var count: Double
        public var capacityBits: Double
        /// Word width of one access.
        public var widthBits: Double
    }

    public let all: [Bank]

    /// IBUF: one bank per row (activation width); WBUF: one per PE (weight width); OBUF: one per
    /// column over both halves (accumulator width); BBUF: one per column (bias width); VMEM1 and
    /// VMEM2: one per lane each (accumulator width); IMM: 1 Kib; the SIMD instruction memory
    /// `2^addr` 32-bit words. (`INST_MEM_CAPACITY_BITS` is the array's instruction memory: area and
    /// leakage only, as the model counts no accesses to it.)
    public init(_ a: Architecture) {
        let n = Double(a.arrayRows), m = Double(a.arrayColumns)
        let accumulator = Double(a.accumulatorBits)
        all = [
            Bank(buffer: .ibuf, count: n, capacityBits: Double(a.inputBufferCapacityBits) / n,
                 widthBits: Double(a.activationBits)),
            Bank(buffer: .wbuf, count: n * m, capacityBits: Double(a.weightBufferCapacityBits) / (n * m),
                 widthBits: Double(a.weightBits)),
            Bank(buffer: .obuf, count: m, capacityBits: 2 * Double(a.outputBufferCapacityBits) / m, widthBits: accumulator),
            Bank(buffer: .bbuf, count: m, capacityBits: Double(a.biasBufferCapacityBits) / m, widthBits: Double(a.biasBits)),
            Bank(buffer: .vmem, count: 2 * m, capacityBits: Double(a.vectorMemoryCapacityBits) / m, widthBits: accumulator),
            Bank(buffer: .imm, count: 1, capacityBits: 1024, widthBits: 32),
            Bank(buffer: .instruction, count: 1,
                 capacityBits: Double(1 << min(a.simdInstructionMemoryAddressBits, 40)) * 32, widthBits: 32),
        ]
    }
}

/// Area or leakage by part of the accelerator.
public struct PartFigures: Sendable, Hashable {
    public enum Part: String, Sendable, Hashable, CaseIterable {
        case peArray = "pe_array"
        case ibuf, wbuf, obuf, bbuf, vmem, imm, instruction
        case simd
        case control
    }

    public var values: [Part: Double] = [:]

    public subscript(part: Part) -> Double {
        get { values[part] ?? 0 }
        set { values[part] = newValue }
    }

    public var total: Double { Part.allCases.reduce(0) { $0 + self[$1] } }
}

/// Area (µm²) and leakage (µW) of an architecture in a technology: PEs, SRAM banks (from the
/// library's macro table, `SRAMTable`), SIMD lanes (fixed-point lanes for inference, float lanes
/// for training), and control as a fraction of the rest.
public struct AreaModel: Sendable {
    public let areaSquareMicrometres: PartFigures
    public let leakageMicrowatts: PartFigures
    /// The PE precision class used (bits), nil when the library lists none wide enough.
    public let peClass: Int?

    public init(architecture a: Architecture, library: TechnologyLibrary, mode: ExecutionMode) {
        let table = SRAMTable(library.sramMacros)
        let precision = max(a.activationBits, a.weightBits)
        let areaClass = library.precisionClass(for: precision, in: library.peAreaSquareMicrometres)
        let leakageClass = library.precisionClass(for: precision, in: library.peLeakageMicrowatts)
        peClass = areaClass
        let pes = Double(a.arrayRows * a.arrayColumns)
        var area = PartFigures(), leakage = PartFigures()
        area[.peArray] = pes * (areaClass.flatMap { library.peAreaSquareMicrometres[$0] } ?? 0)
        leakage[.peArray] = pes * (leakageClass.flatMap { library.peLeakageMicrowatts[$0] } ?? 0)
        for bank in MemoryBanks(a).all {
            let part = PartFigures.Part(rawValue: bank.buffer.rawValue) ?? .control
            area[part] += bank.count * table.area(capacityBits: bank.capacityBits)
            leakage[part] += bank.count * table.leakage(capacityBits: bank.capacityBits)
        }
        let instructionMemory = Double(a.instructionMemoryCapacityBits)
        area[.instruction] += table.area(capacityBits: instructionMemory)
        leakage[.instruction] += table.leakage(capacityBits: instructionMemory)
        let lanes = Double(a.arrayColumns)
        let lane = mode == .training ? library.simdFloatLane : library.simdFixedPointLane
        area[.simd] = lanes * lane.areaSquareMicrometres
        leakage[.simd] = lanes * lane.leakageMicrowatts
        area[.control] = area.total * library.controlAreaFraction
        leakage[.control] = leakage.total * library.controlLeakageFraction
        areaSquareMicrometres = area
        leakageMicrowatts = leakage
    }
}
