/// Energy, leakage and area figures of one technology: what each action costs. The energy model
/// multiplies the cost model's action counts by these (Accelergy's split between action counts and
/// an energy reference table). All energies in picojoules, leakage in microwatts, areas in µm².
public struct TechnologyLibrary: Sendable, Hashable {
    public var name: String
    public var nodeNanometres: Double
    public var voltage: Double
    /// The clock the runtime and power are computed at.
    public var clockHz: Double

    /// One multiply-accumulate in a PE (multiply at the precision plus the 32-bit accumulate), by
    /// operand precision in bits (4, 8, 16): the smallest listed precision ≥ the array's is used.
    public var macEnergyPicojoules: [Int: Double]
    /// A 32-bit add outside the MAC: the bias add on the way out of the array.
    public var accumulateEnergyPicojoules: Double
    /// A PE's clock and register energy per clocked cycle with its operands held (no MAC), by
    /// operand precision: paid for every PE every cycle the array is clocked, stalls included.
    public var peIdleEnergyPicojoulesPerCycle: [Int: Double]
    public var peAreaSquareMicrometres: [Int: Double]
    public var peLeakageMicrowatts: [Int: Double]

    /// SIMD ALU operation energies in 32-bit fixed point (inference) and float (training).
    public var simdFixedPoint: SIMDOperationEnergies
    public var simdFloat: SIMDOperationEnergies
    /// A SIMD lane's area and leakage with a 32-bit fixed-point ALU (inference designs) and with a
    /// 32-bit float ALU (training designs).
    public var simdFixedPointLane: LaneFigures
    public var simdFloatLane: LaneFigures

    /// Characterised SRAM macros, interpolated in log–log space (`SRAMTable`).
    public var sramMacros: [SRAMMacro]
    public var dramEnergyPicojoulesPerBit: Double

    /// Control logic as a fraction of the datapath and memory area, and of their leakage.
    public var controlAreaFraction: Double
    public var controlLeakageFraction: Double

    public init(name: String, nodeNanometres: Double, voltage: Double, clockHz: Double,
                macEnergyPicojoules: [Int: Double], accumulateEnergyPicojoules: Double,
                peIdleEnergyPicojoulesPerCycle: [Int: Double], peAreaSquareMicrometres: [Int: Double],
                peLeakageMicrowatts: [Int: Double], simdFixedPoint: SIMDOperationEnergies,
                simdFloat: SIMDOperationEnergies,
                simdFixedPointLane: LaneFigures, simdFloatLane: LaneFigures,
                sramMacros: [SRAMMacro], dramEnergyPicojoulesPerBit: Double,
                controlAreaFraction: Double, controlLeakageFraction: Double) {
        self.name = name
        self.nodeNanometres = nodeNanometres
        self.voltage = voltage
        self.clockHz = clockHz
        self.macEnergyPicojoules = macEnergyPicojoules
        self.accumulateEnergyPicojoules = accumulateEnergyPicojoules
        self.peIdleEnergyPicojoulesPerCycle = peIdleEnergyPicojoulesPerCycle
        self.peAreaSquareMicrometres = peAreaSquareMicrometres
        self.peLeakageMicrowatts = peLeakageMicrowatts
        self.simdFixedPoint = simdFixedPoint
        self.simdFloat = simdFloat
        self.simdFixedPointLane = simdFixedPointLane
        self.simdFloatLane = simdFloatLane
        self.sramMacros = sramMacros
        self.dramEnergyPicojoulesPerBit = dramEnergyPicojoulesPerBit
        self.controlAreaFraction = controlAreaFraction
        self.controlLeakageFraction = controlLeakageFraction
    }

    /// The PE precision class used for an array of `bits`-wide operands: the smallest listed one
    /// that is at least as wide, or nil when none is.
    public func precisionClass(for bits: Int, in table: [Int: Double]) -> Int? {
        table.keys.filter { $0 >= bits }.min()
    }
}

/// Area (µm²), leakage (µW) and clock energy of one SIMD lane.
public struct LaneFigures: Sendable, Hashable {
    public var areaSquareMicrometres: Double
    public var leakageMicrowatts: Double
    /// Clock and register energy per lane per cycle the SIMD unit is clocked with its operands held, pJ.
    public var idleEnergyPicojoulesPerCycle: Double

    public init(areaSquareMicrometres: Double, leakageMicrowatts: Double, idleEnergyPicojoulesPerCycle: Double) {
        self.areaSquareMicrometres = areaSquareMicrometres
        self.leakageMicrowatts = leakageMicrowatts
        self.idleEnergyPicojoulesPerCycle = idleEnergyPicojoulesPerCycle
    }
}

/// Energy of each SIMD ALU operation kind, in pJ.
public struct SIMDOperationEnergies: Sendable, Hashable {
    /// add and subtract.
    public var add: Double
    public var multiply: Double
    public var divide: Double
    public var exponent: Double
    public var inverseSquareRoot: Double
    /// compare, max and conditional move (a compare and a select).
    public var compare: Double

    public init(add: Double, multiply: Double, divide: Double, exponent: Double, inverseSquareRoot: Double,
                compare: Double) {
        self.add = add
        self.multiply = multiply
        self.divide = divide
        self.exponent = exponent
        self.inverseSquareRoot = inverseSquareRoot
        self.compare = compare
    }
}

/// A characterised SRAM macro: capacity and word width in bits, energy per read and per write
/// access (pJ), leakage (µW) and area (µm²).
public struct SRAMMacro: Sendable, Hashable {
    public var name: String
    public var capacityBits: Double
    public var widthBits: Double
    public var readEnergyPicojoules: Double
    public var writeEnergyPicojoules: Double
    public var leakageMicrowatts: Double
    public var areaSquareMicrometres: Double

    public init(name: String, capacityBits: Double, widthBits: Double, readEnergyPicojoules: Double,
                writeEnergyPicojoules: Double, leakageMicrowatts: Double, areaSquareMicrometres: Double) {
        self.name = name
        self.capacityBits = capacityBits
        self.widthBits = widthBits
        self.readEnergyPicojoules = readEnergyPicojoules
        self.writeEnergyPicojoules = writeEnergyPicojoules
        self.leakageMicrowatts = leakageMicrowatts
        self.areaSquareMicrometres = areaSquareMicrometres
    }
}
