import SimDITCore

/// The result of `simdit optimize` as a table or JSON (schema `simdit.optimization/1`).
public struct OptimizationReport {
    public var base: Architecture
    public var bestArchitecture: Architecture
    public var objective: AllocationObjective
    public var space: ResourceSpace
    public var found: AllocationSearchResult
    public var baseline: NetworkResult
    public var equal: NetworkResult?
    public var best: NetworkResult
    public var worst: NetworkResult
    public var evaluated: Int
    public var seconds: Double
    public var spaceSize: Double
    public var program: String
    public var options: SimulationOptions

    public init(base: Architecture, best bestArchitecture: Architecture, objective: AllocationObjective, space: ResourceSpace,
                found: AllocationSearchResult, baseline: NetworkResult, equal: NetworkResult?, best: NetworkResult,
                worst: NetworkResult, evaluated: Int, seconds: Double, spaceSize: Double, program: String,
                options: SimulationOptions) {
        self.base = base
        self.bestArchitecture = bestArchitecture
        self.objective = objective
        self.space = space
        self.found = found
        self.baseline = baseline
        self.equal = equal
        self.best = best
        self.worst = worst
        self.evaluated = evaluated
        self.seconds = seconds
        self.spaceSize = spaceSize
        self.program = program
        self.options = options
    }

    /// An architecture as an object in the architecture-file schema.
    public static func architectureObject(_ a: Architecture) -> JSONValue {
        var members: [(String, JSONValue)] = [("version", .integer(1)), ("name", .string(a.name))]
        for section in ArchitectureFile.sections {
            let fields = ArchitectureFile.fields.filter { $0.section == section.name }
            members.append((section.name, .object(fields.map { ($0.key, .integer(a[keyPath: $0.property])) })))
        }
        return .object(members)
    }

    static func allocationObject(_ a: Architecture) -> JSONValue {
        .object([
            ("ibuf_bits", .integer(a.inputBufferCapacityBits)),
            ("wbuf_bits", .integer(a.weightBufferCapacityBits)),
            ("obuf_bits", .integer(2 * a.outputBufferCapacityBits)),
            ("bbuf_bits", .integer(a.biasBufferCapacityBits)),
            ("vmem_bits", .integer(2 * a.vectorMemoryCapacityBits)),
            ("ibuf_port_bits_per_cycle", .integer(a.inputPortBitsPerCycle)),
            ("parambuf_port_bits_per_cycle", .integer(a.parameterPortBitsPerCycle)),
            ("obuf_port_bits_per_cycle", .integer(a.outputPortBitsPerCycle)),
            ("simd_port_bits_per_cycle", .integer(a.simdPortBitsPerCycle)),
        ])
    }

    func ratio(_ a: Double?, _ b: Double) -> JSONValue { a.map { b > 0 ? .number($0 / b) : .null } ?? .null }

    public func json() -> JSONValue {
        func point(_ result: NetworkResult?, _ architecture: Architecture?) -> JSONValue {
            guard let result, let architecture else { return .null }
            return .object([("cycles", .number(result.total.cycles)), ("allocation", Self.allocationObject(architecture))])
        }
        let equalArchitecture = space.equalSplit.map { space.architecture($0) }
        return .object([
            ("schema", .string("simdit.optimization/1")),
            ("network", .string(program)),
            ("mode", .string(options.mode.rawValue)),
            ("batch", .integer(options.batch)),
            ("objective", .string(objective.rawValue)),
            ("budgets", .object([
                ("sram_bits", .integer(space.sramUnits * space.sramGranuleBits)),
                ("sram_granularity_bits", .integer(space.sramGranuleBits)),
                ("bandwidth_bits_per_cycle", .integer(space.portUnits * space.portGranuleBits)),
                ("bandwidth_granularity_bits_per_cycle", .integer(space.portGranuleBits)),
                ("axi_ports", .bool(space.axiPorts)),
            ])),
            ("baseline", point(baseline, base)),
            ("equal_split", point(equal, equalArchitecture)),
            ("worst", point(worst, space.architecture(found.worst))),
            ("best", .object([
                ("cycles", .number(best.total.cycles)),
                ("objective_value", .number(found.bestCost)),
                ("allocation", Self.allocationObject(bestArchitecture)),
                ("arch", Self.architectureObject(bestArchitecture)),
            ])),
            ("speedup_vs_baseline", ratio(baseline.total.cycles, best.total.cycles)),
            ("speedup_vs_equal_split", ratio(equal?.total.cycles, best.total.cycles)),
            ("speedup_vs_worst", ratio(worst.total.cycles, best.total.cycles)),
            ("breakdown_before", .object(baseline.cyclesByCategory.map { ($0.category.rawValue, .number($0.cycles)) })),
            ("breakdown_after", .object(best.cyclesByCategory.map { ($0.category.rawValue, .number($0.cycles)) })),
            ("search", .string(found.exhaustive ? "exhaustive" : "descent")),
            ("space_size", .number(spaceSize)),
            ("evaluated", .integer(evaluated)),
            ("seconds", .number(seconds)),
        ])
    }

    public func table() -> String {
        let equalArchitecture = space.equalSplit.map { space.architecture($0) }
        let worstArchitecture = space.architecture(found.worst)
        var out = "\(program) \(options.mode.rawValue), batch \(options.batch): \(objective.rawValue)-optimal split of "
        out += "\(Format.grouped(Double(space.sramUnits * space.sramGranuleBits) / 8192)) KiB SRAM and "
        out += "\(space.portUnits * space.portGranuleBits) bits/cycle of DRAM bandwidth (base \(base.name))\n\n"
        func column(_ a: Architecture?) -> [String] {
            guard let a else { return Array(repeating: "-", count: 9) }
            return [a.inputBufferCapacityBits, a.weightBufferCapacityBits, 2 * a.outputBufferCapacityBits,
                    a.biasBufferCapacityBits, 2 * a.vectorMemoryCapacityBits].map { Format.grouped(Double($0) / 8192) }
                + [a.inputPortBitsPerCycle, a.parameterPortBitsPerCycle, a.outputPortBitsPerCycle, a.simdPortBitsPerCycle].map { "\($0)" }
        }
        let labels = ["IBUF (KiB)", "WBUF (KiB)", "OBUF, both halves (KiB)", "BBUF (KiB)", "VMEM, both (KiB)",
                      "IBUF port (bits/cycle)", "PARAM port (bits/cycle)", "OBUF port (bits/cycle)", "SIMD port (bits/cycle)"]
        let columns = [column(base), column(equalArchitecture), column(worstArchitecture), column(bestArchitecture)]
        var rows = labels.indices.map { index in [labels[index]] + columns.map { $0[index] } }
        rows.append(["cycles", Format.grouped(baseline.total.cycles), equal.map { Format.grouped($0.total.cycles) } ?? "-",
                     Format.grouped(worst.total.cycles), Format.grouped(best.total.cycles)])
        rows.append(["best is faster by", Format.decimal(baseline.total.cycles / best.total.cycles, places: 2) + "×",
                     equal.map { Format.decimal($0.total.cycles / best.total.cycles, places: 2) + "×" } ?? "-",
                     Format.decimal(worst.total.cycles / best.total.cycles, places: 2) + "×", ""])
        out += TextTable.render(header: ["", "base", "equal split", "worst seen", "best"], rows: rows, rightAligned: [1, 2, 3, 4])
        out += "\ncycles by op category\n"
        let before = Dictionary(uniqueKeysWithValues: baseline.cyclesByCategory.map { ($0.category, $0.cycles) })
        let categoryRows = best.cyclesByCategory.map { entry in
            ["  " + entry.category.title, Format.grouped(before[entry.category] ?? 0), Format.grouped(entry.cycles)]
        }
        out += TextTable.render(header: ["", "base", "best"], rows: categoryRows, rightAligned: [1, 2])
        out += "\n\(found.exhaustive ? "exhaustive search" : "steepest descent from several starts"): "
        out += "\(evaluated) of \(Format.grouped(spaceSize)) configurations evaluated in \(Format.decimal(seconds, places: 2)) s\n"
        return out
    }

    /// One self-contained page: the SRAM and bandwidth split of the base, the equal split and the
    /// best found, their cycles, and the cycles by op category before and after.
    public func html() -> String {
        let equalArchitecture = space.equalSplit.map { space.architecture($0) }
        var columns: [(name: String, color: String, architecture: Architecture, cycles: Double)] = [
            ("base (\(base.name))", "#aec7e8", base, baseline.total.cycles)]
        if let equalArchitecture, let equal { columns.append(("equal split", "#ffbb78", equalArchitecture, equal.total.cycles)) }
        columns.append(("best", "#2ca02c", bestArchitecture, best.total.cycles))
        func sram(_ a: Architecture) -> [Double] {
            [a.inputBufferCapacityBits, a.weightBufferCapacityBits, 2 * a.outputBufferCapacityBits, a.biasBufferCapacityBits,
             2 * a.vectorMemoryCapacityBits].map { Double($0) / 8 }
        }
        func ports(_ a: Architecture) -> [Double] {
            [a.inputPortBitsPerCycle, a.parameterPortBitsPerCycle, a.outputPortBitsPerCycle, a.simdPortBitsPerCycle].map(Double.init)
        }
        var body = "<h1>\(HTMLCharts.escape(program)): \(objective.rawValue)-optimal buffers and bandwidth</h1>\n"
        body += "<p class=\"subtitle\">\(options.mode.rawValue), batch \(options.batch); "
            + "\(HTMLCharts.number(Double(space.sramUnits * space.sramGranuleBits) / 8, .bytes)) of SRAM and "
            + "\(space.portUnits * space.portGranuleBits) bits per cycle of DRAM bandwidth; "
            + "\(found.exhaustive ? "exhaustive search" : "steepest descent"), \(evaluated) configurations in "
            + "\(Format.decimal(seconds, places: 2)) s</p>\n"
        body += HTMLCharts.section("Cycles", "The best split is \(Format.decimal(baseline.total.cycles / best.total.cycles, places: 2))× "
                                   + "faster than the base.",
                                   HTMLCharts.horizontalBars(columns.map(\.name), series: [("cycles", "#1f77b4", columns.map(\.cycles))],
                                                             unit: .count("cycles"), axisTitle: "cycles", id: "cycles"))
        body += HTMLCharts.section("SRAM per buffer", "Before (base) and after (best); OBUF and VMEM with both halves.",
                                   HTMLCharts.horizontalBars(["IBUF", "WBUF", "OBUF", "BBUF", "VMEM"],
                                                             series: columns.map { ($0.name, $0.color, sram($0.architecture)) },
                                                             unit: .bytes, axisTitle: "SRAM (bytes)", id: "sram"))
        body += HTMLCharts.section("DRAM bandwidth per port", "Before (base) and after (best).",
                                   HTMLCharts.horizontalBars(["IBUF port", "PARAM port", "OBUF port", "SIMD port"],
                                                             series: columns.map { ($0.name, $0.color, ports($0.architecture)) },
                                                             unit: .count("bits/cycle"), axisTitle: "bandwidth (bits per cycle)", id: "ports"))
        let before = Dictionary(uniqueKeysWithValues: baseline.cyclesByCategory.map { ($0.category, $0.cycles) })
        let categories = best.cyclesByCategory
        body += HTMLCharts.section("Cycles by op category", "Before (base) and after (best).",
                                   HTMLCharts.horizontalBars(categories.map(\.category.title),
                                                             series: [("base", "#aec7e8", categories.map { before[$0.category] ?? 0 }),
                                                                      ("best", "#2ca02c", categories.map(\.cycles))],
                                                             unit: .count("cycles"), axisTitle: "cycles", id: "categories"))
        return HTMLCharts.page(title: "simdit optimize: \(program)", body: body)
    }
}
