/// The buffers that share the SRAM budget, as physical SRAM: OBUF counts both halves and VMEM both
/// scratchpads, so a bucket's size is twice the architecture-file value for those two.
public enum SRAMBucket: Int, Sendable, Hashable, CaseIterable {
    case ibuf, wbuf, obuf, bbuf, vmem

    public var name: String { ["ibuf", "wbuf", "obuf", "bbuf", "vmem"][rawValue] }
    /// Physical SRAM per architecture-file bit.
    var copies: Int { self == .obuf || self == .vmem ? 2 : 1 }
}

/// The DRAM ports that share the bandwidth budget.
public enum Port: Int, Sendable, Hashable, CaseIterable {
    case ibuf, parambuf, obuf, simd

    public var name: String { ["ibuf", "parambuf", "obuf", "simd"][rawValue] }
}

/// One split of the budgets: SRAM units per bucket and bandwidth units per port.
public struct Allocation: Sendable, Hashable {
    public var sramUnits: [Int]     // by SRAMBucket.rawValue
    public var portUnits: [Int]     // by Port.rawValue

    public init(sramUnits: [Int], portUnits: [Int]) {
        self.sramUnits = sramUnits
        self.portUnits = portUnits
    }
}

/// The search space: budgets in units of the granularities, and what each bucket and port must
/// at least get.
public struct ResourceSpace: Sendable {
    public let base: Architecture
    /// SRAM granule in bits and the budget in granules.
    public let sramGranuleBits: Int
    public let sramUnits: Int
    /// Bandwidth granule in bits per cycle and the budget in granules.
    public let portGranuleBits: Int
    public let portUnits: Int
    /// Minimum units per bucket (the program's tilers' minimums, whole banks and words).
    public let minimumSRAMUnits: [Int]
    /// A bucket's units must be a multiple of its step, so that its size is whole banks and words.
    public let sramStepUnits: [Int]
    /// Ports restricted to AXI widths (powers of two, 8–1024 bits), for RTL.
    public let axiPorts: Bool
    /// Allowed widths of one port, in units.
    public let portChoices: [Int]

    /// The physical SRAM of an architecture, bits: IBUF + WBUF + both OBUF halves + BBUF + both VMEMs.
    public static func sramBits(_ a: Architecture) -> Int {
        a.inputBufferCapacityBits + a.weightBufferCapacityBits + 2 * a.outputBufferCapacityBits
            + a.biasBufferCapacityBits + 2 * a.vectorMemoryCapacityBits
    }

    /// The DRAM bandwidth of an architecture, bits per cycle, over the four data ports.
    public static func bandwidthBits(_ a: Architecture) -> Int {
        a.inputPortBitsPerCycle + a.parameterPortBitsPerCycle + a.outputPortBitsPerCycle + a.simdPortBitsPerCycle
    }

    /// The unit every bucket's size must be a multiple of, bits of physical SRAM: whole banks of
    /// whole words (and two halves for the double-buffered SA buffers), as the RTL needs.
    public static func bankUnitBits(_ bucket: SRAMBucket, _ a: Architecture) -> Int {
        let n = a.arrayRows, m = a.arrayColumns
        switch bucket {
        case .ibuf: return 2 * n * a.activationBits
        case .wbuf: return 2 * n * m * a.weightBits
        case .obuf: return 2 * m * a.accumulatorBits
        case .bbuf: return 2 * m * a.biasBits
        case .vmem: return 2 * m * a.accumulatorBits
        }
    }

    /// The smallest physical SRAM of each bucket that the program's tilers need (GENESYS-MODEL.md
    /// §3.1–3.2), at least one bank unit.
    public static func minimumBits(for program: Program, on a: Architecture) -> [Int] {
        var empty = a
        empty.inputBufferCapacityBits = 0
        empty.weightBufferCapacityBits = 0
        empty.outputBufferCapacityBits = 0
        empty.biasBufferCapacityBits = 0
        empty.vectorMemoryCapacityBits = 0
        var minimum = SRAMBucket.allCases.map { bankUnitBits($0, a) }
        func raise(_ bucket: SRAMBucket, _ bits: Int) { minimum[bucket.rawValue] = max(minimum[bucket.rawValue], bits) }
        if program.entries.contains(where: { $0.operation.unit == .systolic }) {
            for violation in empty.systolicCapacityViolations {
                switch violation.buffer {
                case .ibuf: raise(.ibuf, violation.minimumBits)
                case .wbuf: raise(.wbuf, violation.minimumBits)
                case .obuf: raise(.obuf, 2 * violation.minimumBits)
                case .bbuf: raise(.bbuf, violation.minimumBits)
                default: break
                }
            }
        }
        for entry in program.entries {
            if let kind = entry.operation.simdTiler, let violation = empty.vectorMemoryViolation(for: kind) {
                raise(.vmem, 2 * violation.minimumBits)
            }
        }
        return minimum
    }

    /// Why a space cannot be built.
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        case notMultiple(what: String, budget: Int, granule: Int)
        case granuleNotBanked(bucket: String, granule: Int, unit: Int)
        case tooSmall(what: String, budget: Int, needed: Int)
        /// More granules than the search explores (`maximumGranules`): a coarser granularity is needed.
        case tooFine(what: String, granules: Int, coarsest: Int)

        /// Whether the problem is about the SRAM budget (else the bandwidth budget).
        public var concernsSRAM: Bool {
            switch self {
            case .notMultiple(let what, _, _), .tooSmall(let what, _, _), .tooFine(let what, _, _): what == "SRAM"
            case .granuleNotBanked: true
            }
        }

        /// An amount of SRAM in KiB when whole (the options' unit), else in bits; bandwidth in bits per cycle.
        static func amount(_ what: String, _ bits: Int) -> String {
            guard what == "SRAM" else { return "\(bits) bits per cycle" }
            return bits % 8192 == 0 ? "\(bits / 8192) KiB" : "\(bits) bits"
        }

        public var description: String {
            switch self {
            case .notMultiple(let what, let budget, let granule):
                "the \(what) budget \(Self.amount(what, budget)) is not a multiple of its granularity \(Self.amount(what, granule))"
            case .tooFine(let what, let granules, let coarsest):
                "the \(what) budget is \(granules) granules; the search explores at most \(ResourceSpace.maximumGranules): "
                    + "give a granularity of at least \(Self.amount(what, coarsest))"
            case .granuleNotBanked(let bucket, let granule, let unit):
                "the SRAM granularity \(granule) bits is not a whole number of bytes (\(unit) bits)"
            case .tooSmall(let what, let budget, let needed):
                "the \(what) budget \(Self.amount(what, budget)) is below the \(Self.amount(what, needed)) that the smallest valid split needs"
            }
        }
    }

    /// The most granules of either budget the search explores (its time and memory grow with them).
    public static let maximumGranules = 4096

    /// `minimumBits`: the smallest physical SRAM each bucket needs for this program.
    public init(base: Architecture, sramBudgetBits: Int, sramGranuleBits: Int, bandwidthBudget: Int, portGranuleBits: Int,
                minimumBits: [Int], axiPorts: Bool) throws(AllocationError) {
        var problems: [Problem] = []
        if sramGranuleBits <= 0 || sramBudgetBits % max(sramGranuleBits, 1) != 0 {
            problems.append(.notMultiple(what: "SRAM", budget: sramBudgetBits, granule: sramGranuleBits))
        }
        if portGranuleBits <= 0 || bandwidthBudget % max(portGranuleBits, 1) != 0 {
            problems.append(.notMultiple(what: "bandwidth", budget: bandwidthBudget, granule: portGranuleBits))
        }
        if sramGranuleBits > 0, sramGranuleBits % 8 != 0 {
            problems.append(.granuleNotBanked(bucket: "any", granule: sramGranuleBits, unit: 8))
        }
        // The search's work and memory grow with the granules: bounded, whatever the budgets.
        if sramGranuleBits > 0, sramBudgetBits / sramGranuleBits > ResourceSpace.maximumGranules {
            let coarsest = (sramBudgetBits / ResourceSpace.maximumGranules + 8191) / 8192 * 8192
            problems.append(.tooFine(what: "SRAM", granules: sramBudgetBits / sramGranuleBits, coarsest: coarsest))
        }
        if portGranuleBits > 0, bandwidthBudget / portGranuleBits > ResourceSpace.maximumGranules {
            problems.append(.tooFine(what: "bandwidth", granules: bandwidthBudget / portGranuleBits,
                                     coarsest: (bandwidthBudget + ResourceSpace.maximumGranules - 1) / ResourceSpace.maximumGranules))
        }
        guard problems.isEmpty else { throw AllocationError(problems: problems) }
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let steps = SRAMBucket.allCases.map { bucket in
            let unit = ResourceSpace.bankUnitBits(bucket, base)
            return unit / gcd(unit, sramGranuleBits)
        }
        sramStepUnits = steps
        self.base = base
        self.sramGranuleBits = sramGranuleBits
        self.sramUnits = sramBudgetBits / sramGranuleBits
        self.portGranuleBits = portGranuleBits
        self.portUnits = bandwidthBudget / portGranuleBits
        self.axiPorts = axiPorts
        minimumSRAMUnits = zip(minimumBits, steps).map { bits, step in
            let units = max(1, (bits + sramGranuleBits - 1) / sramGranuleBits)
            return (units + step - 1) / step * step
        }
        let units = bandwidthBudget / portGranuleBits
        portChoices = (1...max(units, 1)).filter { unit in
            let width = unit * portGranuleBits
            return !axiPorts || (width >= 8 && width <= 1024 && width & (width - 1) == 0)
        }
        let neededSRAM = minimumSRAMUnits.reduce(0, +)
        if neededSRAM > sramUnits {
            problems.append(.tooSmall(what: "SRAM", budget: sramBudgetBits, needed: neededSRAM * sramGranuleBits))
        }
        let neededPorts = 4 * (portChoices.first ?? units + 1)
        if neededPorts > units {
            problems.append(.tooSmall(what: "bandwidth", budget: bandwidthBudget, needed: neededPorts * portGranuleBits))
        }
        guard problems.isEmpty else { throw AllocationError(problems: problems) }
    }

    /// The architecture of an allocation: the base with its buffers and ports replaced.
    public func architecture(_ allocation: Allocation) -> Architecture {
        var a = base
        let bits = allocation.sramUnits.map { $0 * sramGranuleBits }
        a.inputBufferCapacityBits = bits[SRAMBucket.ibuf.rawValue]
        a.weightBufferCapacityBits = bits[SRAMBucket.wbuf.rawValue]
        a.outputBufferCapacityBits = bits[SRAMBucket.obuf.rawValue] / 2
        a.biasBufferCapacityBits = bits[SRAMBucket.bbuf.rawValue]
        a.vectorMemoryCapacityBits = bits[SRAMBucket.vmem.rawValue] / 2
        let widths = allocation.portUnits.map { $0 * portGranuleBits }
        a.inputPortBitsPerCycle = widths[Port.ibuf.rawValue]
        a.parameterPortBitsPerCycle = widths[Port.parambuf.rawValue]
        a.outputPortBitsPerCycle = widths[Port.obuf.rawValue]
        a.simdPortBitsPerCycle = widths[Port.simd.rawValue]
        return a
    }

    /// Whether an allocation respects the budgets, the minimums and the port choices.
    public func isValid(_ allocation: Allocation) -> Bool {
        allocation.sramUnits.reduce(0, +) <= sramUnits && allocation.portUnits.reduce(0, +) <= portUnits
            && zip(allocation.sramUnits, minimumSRAMUnits).allSatisfy { $0 >= $1 }
            && zip(allocation.sramUnits, sramStepUnits).allSatisfy { $0 % $1 == 0 }
            && allocation.portUnits.allSatisfy(portChoices.contains)
    }

    /// Both budgets split evenly: SRAM units and port units divided by the number of buckets and
    /// ports (each bucket rounded down to whole banks, the remainder to the first ones that can
    /// take it); nil when that breaks a minimum or a port choice.
    public var equalSplit: Allocation? {
        func split(_ total: Int, _ parts: Int) -> [Int] {
            (0..<parts).map { total / parts + ($0 < total % parts ? 1 : 0) }
        }
        var ports = split(portUnits, 4)
        if axiPorts {
            // The largest AXI width that fits an equal share.
            let share = portChoices.filter { $0 <= portUnits / 4 }.max() ?? 0
            ports = [Int](repeating: share, count: 4)
        }
        var sram = zip(split(sramUnits, 5), sramStepUnits).map { $0 / $1 * $1 }
        var left = sramUnits - sram.reduce(0, +)
        for bucket in sram.indices where sramStepUnits[bucket] <= left {
            let extra = left / sramStepUnits[bucket] * sramStepUnits[bucket]
            sram[bucket] += extra
            left -= extra
        }
        let allocation = Allocation(sramUnits: sram, portUnits: ports)
        return isValid(allocation) ? allocation : nil
    }

    /// The base architecture on the grid: each size rounded down to the granule (at least the
    /// minimum), each port to the nearest allowed width; nil when that breaks the budgets.
    public var baseAllocation: Allocation? {
        let sizes = [base.inputBufferCapacityBits, base.weightBufferCapacityBits, 2 * base.outputBufferCapacityBits,
                     base.biasBufferCapacityBits, 2 * base.vectorMemoryCapacityBits]
        let sram = zip(zip(sizes, minimumSRAMUnits), sramStepUnits).map { pair, step in
            max(pair.0 / sramGranuleBits / step * step, pair.1)
        }
        let widths = [base.inputPortBitsPerCycle, base.parameterPortBitsPerCycle, base.outputPortBitsPerCycle,
                      base.simdPortBitsPerCycle]
        let ports = widths.map { width in
            portChoices.min { abs($0 * portGranuleBits - width) < abs($1 * portGranuleBits - width) } ?? 1
        }
        let allocation = Allocation(sramUnits: sram, portUnits: ports)
        return isValid(allocation) ? allocation : nil
    }
}

/// Budgets or granularities that admit no valid split.
public struct AllocationError: Error, Sendable, CustomStringConvertible {
    public var problems: [ResourceSpace.Problem]
    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
