import SimDITCore

/// Output formats of `simdit simulate`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case table, csv, json
    /// One self-contained page with inline SVG charts.
    case html
}

/// Renders a simulation result as a human table, CSV or JSON. Every number comes from the
/// `NetworkResult`; byte counts are bits / 8, KiB are bits / 8192 (the published model's "KB").
public struct SimulationReport {
    public var result: NetworkResult
    public var architecture: Architecture
    /// Energy, runtime and power, when a technology library was given.
    public var energy: EnergyReport?
    /// What the reader should know about how far the result is the network they meant (a network
    /// trained with its batch norms folded away, weights narrower than training uses).
    public var warnings: [String]

    public init(result: NetworkResult, architecture: Architecture, energy: EnergyReport? = nil, warnings: [String] = []) {
        self.result = result
        self.architecture = architecture
        self.energy = energy
        self.warnings = warnings
    }

    public func render(_ format: ReportFormat, summaryOnly: Bool = false) -> String {
        switch format {
        case .table: table(summaryOnly: summaryOnly)
        case .csv: csv()
        case .json: json().text() + "\n"
        case .html: HTMLReport(report: self).render()
        }
    }

    // MARK: JSON

    public static let schema = "simdit.simulation/1"

    public func json() -> JSONValue {
        let options = result.options
        return .object([
            ("schema", .string(Self.schema)),
            ("architecture", .object([
                ("name", .string(architecture.name)),
                ("rows", .integer(architecture.arrayRows)),
                ("columns", .integer(architecture.arrayColumns)),
            ])),
            ("network", .string(result.programName)),
            ("mode", .string(options.mode.rawValue)),
            ("batch", .integer(options.batch)),
            ("variant", .string(options.variant.rawValue)),
            ("fusion", .bool(options.fusion)),
            ("dataflow", .string(options.dataflow.rawValue)),
            ("optimizer", options.mode == .training ? .string(options.optimizer.rawValue) : .null),
            ("warnings", .array(warnings.map(JSONValue.string))),
            ("units", .object([
                ("cycles", .string("clock cycles (fractional in the simdit variant: real-valued tile counts)")),
                ("bytes", .string("bytes of 8 bits")),
                ("ops", .string("2 per MAC on the systolic array; SIMD ops weighted by latency (published op count)")),
            ])),
            ("technology", energy.map { .string($0.library) } ?? .null),
            ("total", totalObject()),
            ("breakdown", .object(result.cyclesByCategory.map { ($0.category.rawValue, .number($0.cycles)) })),
            ("breakdown_share", .object(result.cyclesByCategory.map {
                ($0.category.rawValue, .number(result.total.cycles > 0 ? $0.cycles / result.total.cycles : 0))
            })),
            ("non_conv_share", .number(result.nonConvolutionShare)),
            ("layers", .array(result.layers.enumerated().map { layerObject($1, position: $0) })),
        ])
    }

    private func totalObject() -> JSONValue {
        guard case .object(var members) = Self.countsObject(result.total, includeSIMDOperations: true) else { return .null }
        members.append(("array_utilization", result.arrayUtilization(result.total).map(JSONValue.number) ?? .null))
        if let energy {
            members += [
                ("energy_pj", .number(energy.total.total)),
                ("energy_breakdown_pj", Self.breakdownObject(energy.total)),
                ("clock_hz", .number(energy.clockHz)),
                ("runtime_s", .number(energy.runtimeSeconds)),
                ("average_power_w", .number(energy.averagePowerWatts)),
                ("leakage_power_w", .number(energy.leakageWatts)),
                ("energy_delay_product_j_s", .number(energy.energyDelayProduct)),
                ("effective_tops", .number(energy.teraOpsPerSecond)),
                ("tops_per_w", .number(energy.teraOpsPerWatt)),
            ]
        }
        return .object(members)
    }

    static func breakdownObject(_ breakdown: EnergyBreakdown) -> JSONValue {
        .object(EnergyComponent.allCases.map { ($0.rawValue, .number(breakdown[$0])) })
    }

    private func layerObject(_ layer: LayerResult, position: Int) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("index", .integer(layer.index)),
            ("name", .string(layer.name)),
            ("op", .string(layer.operation)),
            ("unit", .string(layer.unit.rawValue)),
            ("category", .string(layer.category.rawValue)),
            ("fused", .bool(layer.fused)),
            ("output_bits", .integer(layer.outputBits)),
        ]
        if case .object(let counts) = Self.countsObject(layer.counts, includeSIMDOperations: false) {
            members += counts
        }
        members.append(("array_utilization", result.arrayUtilization(layer.counts).map(JSONValue.number) ?? .null))
        if let energy, position < energy.layers.count {
            let breakdown = energy.layers[position]
            members.append(("energy_pj", .number(breakdown.total)))
            members.append(("energy_breakdown_pj", Self.breakdownObject(breakdown)))
        }
        members.append(("tile", layer.tile.map(Self.tileObject) ?? .null))
        return .object(members)
    }

    static func countsObject(_ c: Counts, includeSIMDOperations: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("cycles", .number(c.cycles)),
            ("compute_cycles", .number(c.computeCycles)),
            ("stall_cycles", .number(c.stallCycles)),
            ("systolic", .object([
                ("cycles", .number(c.systolicCycles)),
                ("compute_cycles", .number(c.systolicComputeCycles)),
                ("stall_cycles", .number(c.systolicStallCycles)),
            ])),
            ("simd", .object([
                ("cycles", .number(c.simdCycles)),
                ("compute_cycles", .number(c.simdComputeCycles)),
                ("stall_cycles", .number(c.simdStallCycles)),
            ])),
            ("dram_bytes", .number(c.dram.totalBits / 8)),
            ("dram_bytes_by_kind", .object([
                ("filter", .number(c.dram.filterBits / 8)),
                ("ifmap", .number(c.dram.ifmapBits / 8)),
                ("psum", .number(c.dram.psumBits / 8)),
                ("ofmap", .number(c.dram.ofmapBits / 8)),
                ("bias", .number(c.dram.biasBits / 8)),
            ])),
            ("sram_bytes", .number(c.sram.totalBits / 8)),
            ("sram_bytes_by_buffer", .object([
                ("ibuf", .number(c.sram.ibufBits / 8)),
                ("wbuf", .number(c.sram.wbufBits / 8)),
                ("obuf", .number(c.sram.obufBits / 8)),
                ("bbuf", .number(c.sram.bbufBits / 8)),
                ("vmem", .number(c.sram.vmemBits / 8)),
                ("imm", .number(c.sram.immBits / 8)),
                ("instruction", .number(c.sram.instructionBits / 8)),
            ])),
            ("buffer_actions_bytes", .object(Buffer.allCases.map { buffer in
                let use = c.use(of: buffer)
                return (buffer.rawValue, .object([("reads", .number(use.reads / 8)), ("writes", .number(use.writes / 8)),
                                                  ("fills", .number(use.fills / 8)), ("drains", .number(use.drains / 8))]))
            })),
            ("macs", .number(c.macs)),
            ("useful_macs", .number(c.usefulMACs)),
            ("ops", .number(c.ops)),
        ]
        if includeSIMDOperations {
            let s = c.simdOperations
            members.append(("simd_operations", .object([
                ("max", .number(s.max)), ("add", .number(s.add)), ("subtract", .number(s.subtract)),
                ("multiply", .number(s.multiply)), ("divide", .number(s.divide)), ("exponent", .number(s.exponent)),
                ("inverse_square_root", .number(s.inverseSquareRoot)),
                ("conditional_move", .number(s.conditionalMove)), ("element_steps", .number(s.elementSteps)),
            ])))
        }
        return .object(members)
    }

    static func tileObject(_ tile: LayerTile) -> JSONValue {
        switch tile {
        case .systolic(let t):
            .object([
                ("ow", .number(t.outputWidth)), ("oh", .number(t.outputHeight)), ("oc", .number(t.outputChannels)),
                ("ic", .number(t.inputChannels)), ("kw", .number(t.kernelWidth)), ("kh", .number(t.kernelHeight)),
                ("b", .number(t.batch)), ("iw", .number(t.inputWidth)), ("ih", .number(t.inputHeight)),
            ])
        case .simd(let t):
            .object([
                ("ow", .number(t.outputWidth)), ("oh", .number(t.outputHeight)), ("oc", .number(t.channels)),
                ("b", .number(t.batch)), ("iw", .number(t.inputWidth)), ("ih", .number(t.inputHeight)),
            ])
        }
    }

    // MARK: CSV

    static let csvColumns = [
        "index", "name", "op", "unit", "category", "fused", "output_bits",
        "tile_ow", "tile_oh", "tile_oc", "tile_ic", "tile_kw", "tile_kh", "tile_b", "tile_iw", "tile_ih",
        "systolic_compute_cycles", "systolic_stall_cycles", "simd_compute_cycles", "simd_stall_cycles", "cycles",
        "dram_filter_bytes", "dram_ifmap_bytes", "dram_psum_bytes", "dram_ofmap_bytes", "dram_bias_bytes", "dram_bytes",
        "sram_wbuf_bytes", "sram_ibuf_bytes", "sram_obuf_bytes", "sram_bbuf_bytes", "sram_vmem_bytes", "sram_imm_bytes",
        "sram_instruction_bytes", "macs", "useful_macs", "ops", "array_utilization", "cycle_share",
    ]

    /// One row per program entry, a `total` row, then one `category` row per op category and a
    /// `non_convolution` row (the `category` column names the group; `cycle_share` is the share of
    /// total cycles).
    public func csv() -> String {
        let all = result.total.cycles
        func share(_ counts: Counts) -> String { JSONValue.format(all > 0 ? counts.cycles / all : 0) }
        let energyColumns = energy == nil ? [] : ["energy_pj"] + EnergyComponent.allCases.map { "energy_\($0.rawValue)_pj" }
        func energyCells(_ breakdown: EnergyBreakdown?) -> [String] {
            guard energy != nil, let breakdown else { return [] }
            return [JSONValue.format(breakdown.total)] + breakdown.picojoules.map(JSONValue.format)
        }
        var lines = [(Self.csvColumns + energyColumns).joined(separator: ",")]
        for (position, layer) in result.layers.enumerated() {
            var tile = [String](repeating: "", count: 9)
            switch layer.tile {
            case .systolic(let t)?:
                tile = [t.outputWidth, t.outputHeight, t.outputChannels, t.inputChannels, t.kernelWidth, t.kernelHeight,
                        t.batch, t.inputWidth, t.inputHeight].map(JSONValue.format)
            case .simd(let t)?:
                tile = [JSONValue.format(t.outputWidth), JSONValue.format(t.outputHeight), JSONValue.format(t.channels),
                        "", "", "", JSONValue.format(t.batch), JSONValue.format(t.inputWidth),
                        JSONValue.format(t.inputHeight)]
            case nil:
                break
            }
            let head = [String(layer.index), Self.csvField(layer.name), layer.operation, layer.unit.rawValue,
                        layer.category.rawValue, String(layer.fused), String(layer.outputBits)]
            lines.append((head + tile + Self.csvCounts(layer.counts, result) + [share(layer.counts)]
                + energyCells(energy?.layers[position])).joined(separator: ","))
        }
        let blankTile = [String](repeating: "", count: 9)
        func summaryRow(_ name: String, _ category: String, _ counts: Counts, _ breakdown: EnergyBreakdown?) -> String {
            (["", name, "", "", category, "", ""] + blankTile + Self.csvCounts(counts, result) + [share(counts)]
                + energyCells(breakdown)).joined(separator: ",")
        }
        lines.append(summaryRow("total", "", result.total, energy?.total))
        var nonConvolution = Counts()
        var nonConvolutionEnergy = EnergyBreakdown()
        for (category, counts) in result.countsByCategory {
            var categoryEnergy = EnergyBreakdown()
            if let energy {
                for (position, layer) in result.layers.enumerated() where layer.category == category {
                    categoryEnergy = categoryEnergy + energy.layers[position]
                }
            }
            lines.append(summaryRow("category", category.rawValue, counts, categoryEnergy))
            if !category.isConvolution {
                nonConvolution += counts
                nonConvolutionEnergy = nonConvolutionEnergy + categoryEnergy
            }
        }
        lines.append(summaryRow("non_convolution", "non_convolution", nonConvolution, nonConvolutionEnergy))
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvCounts(_ c: Counts, _ result: NetworkResult) -> [String] {
        [c.systolicComputeCycles, c.systolicStallCycles, c.simdComputeCycles, c.simdStallCycles, c.cycles,
         c.dram.filterBits / 8, c.dram.ifmapBits / 8, c.dram.psumBits / 8, c.dram.ofmapBits / 8, c.dram.biasBits / 8,
         c.dram.totalBits / 8,
         c.sram.wbufBits / 8, c.sram.ibufBits / 8, c.sram.obufBits / 8, c.sram.bbufBits / 8, c.sram.vmemBits / 8,
         c.sram.immBits / 8, c.sram.instructionBits / 8, c.macs, c.usefulMACs, c.ops].map(JSONValue.format)
            + [result.arrayUtilization(c).map(JSONValue.format) ?? ""]
    }

    public static func csvField(_ text: String) -> String {
        guard text.contains(where: { ",\"\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: Table

    public func table(summaryOnly: Bool = false) -> String {
        var out = ""
        if !summaryOnly {
            var header = ["#", "layer", "op", "unit", "tile", "compute (cycles)", "stall (cycles)", "total (cycles)",
                          "DRAM (KiB)", "SRAM (KiB)"]
            if energy != nil { header.append("energy (µJ)") }
            var rows: [[String]] = []
            for (position, layer) in result.layers.enumerated() {
                let c = layer.counts
                var row = [String(layer.index), layer.name, layer.operation + (layer.fused ? "*" : ""),
                           layer.unit.rawValue, layer.tile.map(Self.tileText) ?? "-",
                           Format.grouped(c.computeCycles), Format.grouped(c.stallCycles), Format.grouped(c.cycles),
                           Format.grouped(c.dram.totalBits / 8192), Format.grouped(c.sram.totalBits / 8192)]
                if let energy { row.append(Format.grouped(energy.layers[position].total / 1e6)) }
                rows.append(row)
            }
            out += TextTable.render(header: header, rows: rows, rightAligned: [0, 5, 6, 7, 8, 9, 10])
            if result.layers.contains(where: \.fused) { out += "* fused: the output stays on chip for the next op\n" }
            out += "\n"
        }
        out += summary()
        return out
    }

    static func tileText(_ tile: LayerTile) -> String {
        switch tile {
        case .systolic(let t):
            "\(Format.plain(t.outputWidth))×\(Format.plain(t.outputHeight)) oc\(Format.plain(t.outputChannels))"
                + " ic\(Format.plain(t.inputChannels)) k\(Format.plain(t.kernelWidth))×\(Format.plain(t.kernelHeight))"
                + " b\(Format.plain(t.batch))"
        case .simd(let t):
            "\(Format.plain(t.outputWidth))×\(Format.plain(t.outputHeight)) c\(Format.plain(t.channels))"
                + " b\(Format.plain(t.batch))"
        }
    }

    public func summary() -> String {
        let total = result.total
        let options = result.options
        var out = "\(result.programName) on \(architecture.name) (\(architecture.arrayRows)×\(architecture.arrayColumns) array), "
        out += options.mode == .training ? "training (one iteration, \(options.optimizer.rawValue))" : "inference"
        out += ", batch \(options.batch), model \(options.variant.rawValue), \(options.dataflow.rawValue) dataflow, "
            + "fusion \(options.fusion ? "on" : "off")\n"
        for warning in warnings { out += "warning: \(warning)\n" }
        out += "\n"
        let all = total.cycles
        var rows: [[String]] = [
            ["total", Format.grouped(all), "cycles", "100.0 %"],
            ["  systolic array compute", Format.grouped(total.systolicComputeCycles), "cycles",
             Format.percent(total.systolicComputeCycles, of: all)],
            ["  systolic array stall", Format.grouped(total.systolicStallCycles), "cycles",
             Format.percent(total.systolicStallCycles, of: all)],
            ["  SIMD compute", Format.grouped(total.simdComputeCycles), "cycles", Format.percent(total.simdComputeCycles, of: all)],
            ["  SIMD stall", Format.grouped(total.simdStallCycles), "cycles", Format.percent(total.simdStallCycles, of: all)],
            ["cycles by op category", "", "", ""],
        ]
        for (category, cycles) in result.cyclesByCategory {
            rows.append(["  " + category.title, Format.grouped(cycles), "cycles", Format.percent(cycles, of: all)])
        }
        rows.append(["non-convolution share", "", "", Format.percent(result.nonConvolutionShare, of: 1)])
        // People read these: each scaled to three significant digits in its unit (CSV and JSON keep base units).
        func scaled(_ label: String, _ value: Double, _ quantity: Format.Quantity, share: String = "") -> [String] {
            let (number, unit) = Format.scaled(value, quantity)
            return [label, number, unit, share]
        }
        let dram = total.dram
        rows.append(scaled("DRAM traffic", dram.totalBits / 8, .bytes))
        for (name, bits) in [("filter", dram.filterBits), ("ifmap", dram.ifmapBits), ("psum", dram.psumBits),
                             ("ofmap", dram.ofmapBits), ("bias", dram.biasBits)] {
            rows.append(scaled("  " + name, bits / 8, .bytes, share: Format.percent(bits, of: dram.totalBits)))
        }
        rows.append(scaled("SRAM accesses", total.sram.totalBits / 8, .bytes))
        for buffer in Buffer.allCases {
            rows.append(scaled("  " + buffer.rawValue.uppercased(), total.sram[buffer] / 8, .bytes,
                               share: Format.percent(total.sram[buffer], of: total.sram.totalBits)))
        }
        rows.append(scaled("operations", total.ops, .count("ops")))
        rows.append(scaled("  systolic MACs", total.macs, .count("MACs")))
        rows.append(scaled("  useful MACs (unpadded)", total.usefulMACs, .count("MACs"),
                           share: Format.percent(total.usefulMACs, of: total.macs)))
        if let utilization = result.arrayUtilization(total) {
            rows.append(["array utilization", "", "", Format.percent(utilization, of: 1)])
        }
        if let energy {
            rows.append(scaled("energy (\(energy.library))", energy.energyJoules, .joules, share: "100.0 %"))
            for component in EnergyComponent.allCases {
                rows.append(scaled("  " + component.rawValue, energy.total[component] * 1e-12, .joules,
                                   share: Format.percent(energy.total[component], of: energy.total.total)))
            }
            rows.append(scaled("runtime at \(Format.scaled(energy.clockHz, .hertz).0) \(Format.scaled(energy.clockHz, .hertz).1)",
                               energy.runtimeSeconds, .seconds))
            rows.append(scaled("average power", energy.averagePowerWatts, .watts))
            rows.append(scaled("  of which leakage", energy.leakageWatts, .watts))
            rows.append(["energy-delay product", Format.scientific(energy.energyDelayProduct), "J·s", ""])
            rows.append(["effective throughput", Format.grouped(energy.teraOpsPerSecond), "TOPS", ""])
            rows.append(["efficiency", Format.grouped(energy.teraOpsPerWatt), "TOPS/W", ""])
        }
        out += TextTable.render(header: nil, rows: rows, rightAligned: [1, 3])
        return out
    }
}

/// Number formatting for tables.
public enum Format {
    /// What a scaled number measures, for its unit prefixes.
    public enum Quantity {
        /// Binary prefixes: B, KiB, MiB, GiB, TiB, PiB, EiB.
        case bytes
        case joules, watts, seconds, hertz
        /// A count with SI prefixes (k, M, G, T, P, E) before the given unit.
        case count(String)
    }

    /// Three significant digits with the unit prefix that puts the number in [1, 1000) (1024 for
    /// bytes): `13.2 J`, `2.89 TiB`, `992 ms`, `2.83 Tops`. Beyond the prefixes, scientific.
    public static func scaled(_ value: Double, _ quantity: Quantity) -> (String, String) {
        guard value.isFinite else { return ("n/a", "") }
        let (base, unit, step, prefixes, lowest): (Double, String, Double, [String], Int) = switch quantity {
        case .bytes: (value, "B", 1024, ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"], 0)
        case .joules: (value, "J", 1000, ["f", "p", "n", "µ", "m", "", "k", "M", "G", "T"], 5)
        case .watts: (value, "W", 1000, ["f", "p", "n", "µ", "m", "", "k", "M", "G", "T"], 5)
        case .seconds: (value, "s", 1000, ["f", "p", "n", "µ", "m", "", "k", "M", "G"], 5)
        case .hertz: (value, "Hz", 1000, ["", "k", "M", "G", "T"], 0)
        case .count(let name): (value, name, 1000, ["", "k", "M", "G", "T", "P", "E"], 0)
        }
        if base == 0 { return ("0", unit) }
        var magnitude = abs(base), index = lowest
        while magnitude >= step, index + 1 < prefixes.count { magnitude /= step; index += 1 }
        while magnitude < 1, index > 0 { magnitude *= step; index -= 1 }
        guard magnitude < step * 1000, magnitude >= 1e-3 || index > 0 else {
            return ((base < 0 ? "-" : "") + scientific(abs(base)), unit)
        }
        if case .count = quantity, index == 0, magnitude == magnitude.rounded() {
            return ((base < 0 ? "-" : "") + grouped(magnitude), unit)
        }
        let places = magnitude >= 100 ? 0 : (magnitude >= 10 ? 1 : 2)
        return ((base < 0 ? "-" : "") + decimal(magnitude, places: places), prefixes[index] + unit)
    }

    /// Fixed decimals with thousands separators.
    public static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = (scaled / scale).rounded(.towardZero)
        let fraction = Int(scaled - whole * scale)
        let fractionText = String(fraction)
        let padded = String(repeating: "0", count: max(0, places - fractionText.count)) + fractionText
        return (value < 0 && scaled > 0 ? "-" : "") + grouped(whole) + (places > 0 ? "." + padded : "")
    }

    /// Thousands separators; two decimals when not whole.
    public static func grouped(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let negative = value < 0
        let magnitude = abs(value)
        // Past 10^15 a double no longer holds every whole number: three significant digits.
        guard magnitude < 1e15 else { return (negative ? "-" : "") + scientific(magnitude) }
        let whole = magnitude.rounded(.towardZero)
        var fraction = ""
        if magnitude != whole {
            let cents = Int(((magnitude - whole) * 100).rounded())
            if cents == 100 { return grouped((negative ? -1 : 1) * (whole + 1)) }
            fraction = "." + (cents < 10 ? "0" : "") + String(cents)
        }
        var digits = integerText(whole)
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(Substring(digits.suffix(3)), at: 0)
            digits = String(digits.dropLast(3))
        }
        groups.insert(Substring(digits), at: 0)
        return (negative ? "-" : "") + groups.joined(separator: ",") + fraction
    }

    private static func integerText(_ whole: Double) -> String {
        String(Int64(whole))   // whole < 10^15 here
    }

    /// Three significant digits in scientific notation, e.g. `1.23e-4`.
    static func scientific(_ value: Double) -> String {
        guard value != 0, value.isFinite else { return "0" }
        var exponent = 0
        var mantissa = abs(value)
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        let hundredths = Int((mantissa * 100).rounded())
        let digits = hundredths >= 1000 ? "1.00" : "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
        let adjusted = hundredths >= 1000 ? exponent + 1 : exponent
        return (value < 0 ? "-" : "") + digits + "e" + String(adjusted)
    }

    /// A tile dimension: whole numbers without ".0".
    static func plain(_ value: Double) -> String { JSONValue.format(value) }

    /// `part / whole` as a percentage with one decimal.
    public static func percent(_ part: Double, of whole: Double) -> String {
        guard whole != 0, part.isFinite, whole.isFinite else { return "0.0 %" }
        let tenths = Int((part / whole * 1000).rounded())
        let magnitude = abs(tenths)
        return (tenths < 0 ? "-" : "") + "\(magnitude / 10).\(magnitude % 10) %"
    }
}

/// Plain-text column alignment.
public enum TextTable {
    public static func render(header: [String]?, rows: [[String]], rightAligned: Set<Int>) -> String {
        let all = (header.map { [$0] } ?? []) + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return rightAligned.contains(index) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var out = ""
        if let header {
            out += line(header) + "\n"
            out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        }
        for row in rows { out += line(row) + "\n" }
        return out
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
