import Dispatch

/// What the allocation search minimises.
public enum AllocationObjective: String, Sendable, Hashable, CaseIterable {
    case cycles, energy, edp
}

/// Evaluates allocations cheaply. The published model runs ops serially with no overlap, so a
/// network's counts are the array ops' plus the SIMD ops'; the array ops depend only on IBUF,
/// WBUF, OBUF, BBUF and their three ports, the SIMD ops only on VMEM and the SIMD port. Identical
/// program entries are evaluated once and counted as many times as they occur, and each part's
/// counts are cached by the few parameters it depends on.
final class AllocationEvaluator {
    struct Group {
        var operation: Operation
        var outputBits: Double
        var fused: Bool
        var count: Double
    }

    struct SystolicKey: Hashable { var ibuf, wbuf, obuf, bbuf, input, parameter, output: Int }
    struct SIMDKey: Hashable { var vmem, port: Int }

    let space: ResourceSpace
    let objective: AllocationObjective
    let library: TechnologyLibrary?
    let mode: ExecutionMode
    let batch: Double
    let dataflow: Dataflow
    let systolic: [Group]
    let simd: [Group]
    /// One part's counts, or infeasible when some op has no tile.
    struct Part {
        var counts: Counts
        var feasible: Bool
    }

    private var systolicCache: [SystolicKey: Part] = [:]
    private var simdCache: [SIMDKey: Part] = [:]
    private(set) var costs: [Allocation: Double] = [:]

    init(space: ResourceSpace, program: Program, options: SimulationOptions, objective: AllocationObjective,
         library: TechnologyLibrary?) {
        self.space = space
        self.objective = objective
        self.library = library
        self.mode = options.mode
        self.batch = Double(options.batch)
        self.dataflow = options.dataflow
        let entries = program.entries
        let fused = options.fusion ? FusionRules.fusedOps(entries).flags : [Bool](repeating: false, count: entries.count)
        var groups: [Operation: [Group]] = [:]
        var order: [Operation] = []
        for index in entries.indices where entries[index].operation.unit != .none {
            let operation = entries[index].operation
            let nextIsSystolic = index + 1 < entries.count && entries[index + 1].operation.unit == .systolic
            let bits = Double(operation.unit == .simd && nextIsSystolic ? space.base.activationBits : space.base.accumulatorBits)
            if groups[operation] == nil { order.append(operation) }
            if let slot = groups[operation]?.firstIndex(where: { $0.outputBits == bits && $0.fused == fused[index] }) {
                groups[operation]?[slot].count += 1
            } else {
                groups[operation, default: []].append(Group(operation: operation, outputBits: bits, fused: fused[index], count: 1))
            }
        }
        let all = order.flatMap { groups[$0] ?? [] }
        systolic = all.filter { $0.operation.unit == .systolic }
        simd = all.filter { $0.operation.unit == .simd }
    }

    private func part(_ groups: [Group], _ hw: DerivedHardware) -> Part {
        var total = Counts()
        for group in groups {
            guard let evaluation = Operation.evaluate(group.operation, batch: batch, outputBits: group.outputBits,
                                                           fused: group.fused, dataflow: dataflow, hw) else { return Part(counts: total, feasible: false) }
            // Written as an assignment: `total += …` here was miscompiled by the Swift 6.3 optimizer
            // (release builds summed to zero), though the same operator works in the simulator.
            total = total + evaluation.counts.scaled(by: group.count)
        }
        return Part(counts: total, feasible: true)
    }

    private func cached<Key: Hashable>(_ cache: inout [Key: Part], _ key: Key, _ compute: () -> Part) -> Part {
        if let known = cache[key] { return known }
        let value = compute()
        cache[key] = value
        return value
    }

    /// The objective of an allocation; infinity when some op has no tile.
    func cost(_ allocation: Allocation) -> Double {
        if let known = costs[allocation] { return known }
        let architecture = space.architecture(allocation)
        let hw = DerivedHardware(architecture, mode: mode)
        let u = allocation.sramUnits, p = allocation.portUnits
        let systolicKey = SystolicKey(ibuf: u[0], wbuf: u[1], obuf: u[2], bbuf: u[3], input: p[0], parameter: p[1], output: p[2])
        let simdKey = SIMDKey(vmem: u[4], port: p[3])
        let arrayPart = cached(&systolicCache, systolicKey) { part(systolic, hw) }
        let simdPart = cached(&simdCache, simdKey) { part(simd, hw) }
        var value = Double.infinity
        if arrayPart.feasible, simdPart.feasible {
            let arrayCounts = arrayPart.counts, simdCounts = simdPart.counts
            let cycles = arrayCounts.cycles + simdCounts.cycles
            switch objective {
            case .cycles:
                value = cycles
            case .energy, .edp:
                if let library, let model = try? EnergyModel(architecture: architecture, library: library, mode: mode) {
                    let energy = model.energy(of: arrayCounts).total + model.energy(of: simdCounts).total
                    value = objective == .energy ? energy : energy * cycles / library.clockHz
                }
            }
        }
        costs[allocation] = value
        return value
    }
}

/// The outcome of a search.
public struct AllocationSearchResult: Sendable {
    public var best: Allocation
    public var bestCost: Double
    /// The worst valid split the search evaluated.
    public var worst: Allocation
    public var worstCost: Double
    /// Distinct allocations evaluated.
    public var evaluated: Int
    /// Whether every allocation was enumerated.
    public var exhaustive: Bool
}

/// Finds the split of SRAM and bandwidth that minimises the objective.
///
/// Small spaces (up to `exhaustiveLimit` allocations) are enumerated. Larger ones use steepest
/// descent from several starts (the base architecture, the equal split, and seeded random splits),
/// split over two threads: each step tries moving 1, 2, 4, … SRAM granules between every pair of
/// buffers, setting any port to any allowed width within the budget, and moving 1, 2, 4, …
/// bandwidth granules between every pair of ports, and takes the best improvement; it stops when
/// no move improves. The tests check it against enumeration on small spaces.
public enum AllocationSearch {
    public static let exhaustiveLimit = 20_000.0

    public static func run(
        space: ResourceSpace, program: Program, options: SimulationOptions, objective: AllocationObjective,
        library: TechnologyLibrary?, forceDescent: Bool = false, randomStarts: Int = 4,
        progress: (@Sendable (Int) -> Void)? = nil
    ) -> AllocationSearchResult? {
        if !forceDescent, spaceSize(space) <= exhaustiveLimit {
            let evaluator = AllocationEvaluator(space: space, program: program, options: options, objective: objective,
                                                library: library)
            for (index, allocation) in enumerate(space).enumerated() {
                _ = evaluator.cost(allocation)
                if index % 1024 == 1023 { progress?(1024) }
            }
            return summarize([evaluator], exhaustive: true)
        }
        var starts: [Allocation] = []
        if let base = space.baseAllocation { starts.append(base) }
        if let equal = space.equalSplit { starts.append(equal) }
        var random = Random(seed: 0x51D17)
        var attempts = 0
        while starts.count < 2 + randomStarts, attempts < 1000 {
            attempts += 1
            if let allocation = randomAllocation(space, &random), !starts.contains(allocation) { starts.append(allocation) }
        }
        guard !starts.isEmpty else { return nil }
        let workers = 2
        let evaluators = (0..<workers).map { _ in
            AllocationEvaluator(space: space, program: program, options: options, objective: objective, library: library)
        }
        let chunks = (0..<workers).map { worker in starts.enumerated().filter { $0.offset % workers == worker }.map(\.element) }
        let boxes = evaluators.map(UncheckedBox.init)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for start in chunks[worker] { _ = descend(from: start, boxes[worker].value, progress: progress) }
        }
        return summarize(evaluators, exhaustive: false)
    }

    /// Steepest descent from `start`; returns the local optimum and its cost.
    static func descend(from start: Allocation, _ evaluator: AllocationEvaluator,
                        progress: (@Sendable (Int) -> Void)? = nil) -> (Allocation, Double) {
        let space = evaluator.space
        var current = start
        var cost = evaluator.cost(current)
        while true {
            var bestMove: Allocation?
            var bestCost = cost
            func consider(_ candidate: Allocation) {
                guard space.isValid(candidate) else { return }
                let value = evaluator.cost(candidate)
                if value < bestCost * (1 - 1e-12) {
                    bestCost = value
                    bestMove = candidate
                }
            }
            let buckets = SRAMBucket.allCases.count
            let unused = space.sramUnits - current.sramUnits.reduce(0, +)
            for from in 0..<buckets {
                for to in 0..<buckets where to != from {
                    var step = 1
                    while step <= current.sramUnits[from] - space.minimumSRAMUnits[from] {
                        var candidate = current
                        candidate.sramUnits[from] -= step
                        candidate.sramUnits[to] += step
                        consider(candidate)
                        step *= 2
                    }
                }
                // Take unused units, or give units back.
                var step = space.sramStepUnits[from]
                while step <= max(unused, current.sramUnits[from] - space.minimumSRAMUnits[from]) {
                    for delta in [step, -step] {
                        var candidate = current
                        candidate.sramUnits[from] += delta
                        consider(candidate)
                    }
                    step *= 2
                }
            }
            for port in 0..<4 {
                for width in space.portChoices where width != current.portUnits[port] {
                    var candidate = current
                    candidate.portUnits[port] = width
                    consider(candidate)
                }
                for other in 0..<4 where other != port {
                    var step = 1
                    while step < current.portUnits[other] {
                        var candidate = current
                        candidate.portUnits[port] += step
                        candidate.portUnits[other] -= step
                        consider(candidate)
                        step *= 2
                    }
                }
            }
            progress?(1)
            guard let move = bestMove else { return (current, cost) }
            current = move
            cost = bestCost
        }
    }

    /// The SRAM splits worth enumerating: every bucket at least its minimum and a whole number of
    /// its steps, and no step of any bucket left unused.
    static func sramSplits(_ space: ResourceSpace) -> [[Int]] {
        var result: [[Int]] = []
        var units = space.minimumSRAMUnits
        let smallestStep = space.sramStepUnits.min() ?? 1
        func place(_ bucket: Int, _ remaining: Int) {
            if bucket == units.count {
                if remaining < smallestStep { result.append(units) }
                return
            }
            var extra = 0
            while extra <= remaining {
                units[bucket] = space.minimumSRAMUnits[bucket] + extra
                place(bucket + 1, remaining - extra)
                extra += space.sramStepUnits[bucket]
            }
        }
        let free = space.sramUnits - units.reduce(0, +)
        if free >= 0 { place(0, free) }
        return result
    }

    /// How many allocations the enumeration would evaluate (SRAM splits × port combinations).
    public static func spaceSize(_ space: ResourceSpace) -> Double {
        let free = space.sramUnits - space.minimumSRAMUnits.reduce(0, +)
        guard free >= 0 else { return 0 }
        // Counting only: the splits of `free` extra units into 5 buckets in steps (an upper bound
        // when steps differ, exact when they are all 1), capped to avoid enumerating huge spaces.
        var sram = 1.0
        for k in 1...4 { sram = sram * Double(free + k) / Double(k) }
        if sram <= exhaustiveLimit * 4 { sram = Double(sramSplits(space).count) }
        // Port combinations with a total within the budget: count by dynamic programming.
        var ways = [Double](repeating: 0, count: space.portUnits + 1)
        ways[0] = 1
        for _ in 0..<4 {
            var next = [Double](repeating: 0, count: space.portUnits + 1)
            for (total, count) in ways.enumerated() where count > 0 {
                for choice in space.portChoices where total + choice <= space.portUnits { next[total + choice] += count }
            }
            ways = next
        }
        let ports = ways.reduce(0, +)
        return sram * ports
    }

    /// Every valid allocation that uses the whole SRAM budget.
    static func enumerate(_ space: ResourceSpace) -> [Allocation] {
        var ports: [[Int]] = []
        let choices = space.portChoices
        for a in choices { for b in choices { for c in choices { for d in choices
            where a + b + c + d <= space.portUnits { ports.append([a, b, c, d]) } } } }
        var result: [Allocation] = []
        for units in sramSplits(space) {
            for port in ports { result.append(Allocation(sramUnits: units, portUnits: port)) }
        }
        return result
    }

    static func randomAllocation(_ space: ResourceSpace, _ random: inout Random) -> Allocation? {
        var units = space.minimumSRAMUnits
        var free = space.sramUnits - units.reduce(0, +)
        guard free >= 0 else { return nil }
        for _ in 0..<64 where free > 0 {
            let bucket = Int(random.next() % 5)
            let step = space.sramStepUnits[bucket]
            let amount = (1 + Int(random.next() % UInt64(max(1, free / 2)))) / step * step
            guard amount > 0, amount <= free else { continue }
            units[bucket] += amount
            free -= amount
        }
        var ports = [Int](repeating: space.portChoices.first ?? 1, count: 4)
        for _ in 0..<64 {
            let port = Int(random.next() % 4)
            let choice = space.portChoices[Int(random.next() % UInt64(space.portChoices.count))]
            var candidate = ports
            candidate[port] = choice
            if candidate.reduce(0, +) <= space.portUnits { ports = candidate }
        }
        let allocation = Allocation(sramUnits: units, portUnits: ports)
        return space.isValid(allocation) ? allocation : nil
    }

    private static func summarize(_ evaluators: [AllocationEvaluator], exhaustive: Bool) -> AllocationSearchResult? {
        var all: [Allocation: Double] = [:]
        for evaluator in evaluators { all.merge(evaluator.costs) { first, _ in first } }
        let finite = all.filter { $0.value.isFinite }
        // Ties go to the allocation that sorts first, so results do not depend on thread timing.
        func earlier(_ a: Allocation, _ b: Allocation) -> Bool {
            (a.sramUnits + a.portUnits).lexicographicallyPrecedes(b.sramUnits + b.portUnits)
        }
        guard let best = finite.min(by: { $0.value < $1.value || ($0.value == $1.value && earlier($0.key, $1.key)) }),
              let worst = finite.max(by: { $0.value < $1.value || ($0.value == $1.value && earlier($1.key, $0.key)) })
        else { return nil }
        return AllocationSearchResult(best: best.key, bestCost: best.value, worst: worst.key, worstCost: worst.value,
                                      evaluated: all.count, exhaustive: exhaustive)
    }
}

/// A deterministic generator (SplitMix64) for the random starts, the sweeps' samples and tests'
/// stimulus: the same seed gives the same sequence on every machine.
public struct Random: Sendable, RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Hands one evaluator to one worker thread (each worker owns its own).
final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
