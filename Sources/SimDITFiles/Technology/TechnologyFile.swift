import SimDITCore
import Yams

/// A number with where it came from: a published source, a report, or a derivation.
public struct Sourced: Sendable, Hashable {
    public var value: Double
    /// A key of the library's `sources` (or a report reference in a calibrated library).
    public var source: String?
    public var derivation: String?
    /// The process node the figure was characterized at, when it is not the library's own.
    public var nodeNanometres: Double?

    public init(_ value: Double, source: String? = nil, derivation: String? = nil, nodeNanometres: Double? = nil) {
        self.value = value
        self.source = source
        self.derivation = derivation
        self.nodeNanometres = nodeNanometres
    }
}

/// A technology library file (schema version 1, `TechLib/*.yaml`): the core library plus the
/// provenance of every figure. Each figure is a number or `{value, source, derivation}`.
public struct TechnologyFile: Sendable {
    public var name: String
    public var description: String?
    /// Citation key → citation.
    public var sources: [(key: String, citation: String)]
    /// Every figure by its key path (`pe.mac_pj.int8`, `sram.macros[1].read_pj`, …), in file order.
    public var figures: [(keyPath: String, figure: Sourced)]
    /// SRAM macro names, in order.
    public var macroNames: [String]
    /// Reports this library was calibrated from, if any.
    public var calibratedFrom: [String]
    /// The DRAM standard `dram.energy_pj_per_bit` comes from, when the file names one.
    public var dramStandard: DRAMStandard? = nil
    /// The file it was read from, and where each top-level key and section starts in it, so that a
    /// figure a design needs but the file lacks is reported at the section it belongs in.
    public var file: String? = nil
    public var positions: [String: SourcePosition] = [:]

    /// A problem with the library for a design (a figure it lacks): at the section of `keyPath` in
    /// the file, or at the command line's --tech for a library with no file.
    public func diagnostic(_ message: String, keyPath: String?) -> Diagnostic {
        guard let file else { return Diagnostic(message, file: "<command line>", keyPath: "--tech") }
        let sections = (keyPath ?? "").split(separator: ".").map(String.init)
        let position = (1...max(sections.count, 1)).reversed().lazy
            .compactMap { positions[sections.prefix($0).joined(separator: ".")] }.first ?? SourcePosition(line: 1, column: 1)
        return Diagnostic(message, file: file, line: position.line, column: position.column, keyPath: keyPath,
                          notes: ["add the figure the design needs to the library, or choose another library with --tech"])
    }

    /// Figures characterized at another node than the library's (`node_nm` in their provenance),
    /// by key path.
    public var foreignNodeFigures: [(keyPath: String, nodeNanometres: Double)] {
        let node = figure("node_nm")?.value
        return figures.compactMap { entry in
            guard let other = entry.figure.nodeNanometres, other != node else { return nil }
            return (entry.keyPath, other)
        }
    }

    /// A warning when the library mixes nodes: which figures are at which node.
    public var mixedNodeWarning: String? {
        let foreign = foreignNodeFigures
        guard !foreign.isEmpty else { return nil }
        let nodes = Set(foreign.map(\.nodeNanometres)).sorted()
        let examples = foreign.prefix(4).map(\.keyPath).joined(separator: ", ")
        return "technology library '\(name)' (\(JSONValue.format(figure("node_nm")?.value ?? 0)) nm) mixes nodes: \(foreign.count) "
            + "figures are at \(nodes.map { JSONValue.format($0) + " nm" }.joined(separator: ", ")) (\(examples)"
            + (foreign.count > 4 ? ", …" : "") + "); characterize them at the library's node, or scale them with "
            + "simdit calibrate --scale-to-node"
    }

    public func figure(_ keyPath: String) -> Sourced? { figures.first { $0.keyPath == keyPath }?.figure }

    public mutating func set(_ keyPath: String, _ figure: Sourced) {
        if let index = figures.firstIndex(where: { $0.keyPath == keyPath }) {
            figures[index].figure = figure
        } else {
            figures.append((keyPath, figure))
        }
    }

    /// Operand precisions with a MAC figure (the `intN` keys of `pe.mac_pj`).
    static let precisionKeys = ["int4", "int8", "int16"]
    static let operationKeys = ["add", "multiply", "divide", "exponent", "inverse_sqrt", "compare"]
    static let laneKeys = ["fixed32", "float32"]
    static let macroFigureKeys = ["read_pj", "write_pj", "area_um2", "leakage_uw"]
    /// The per-precision tables of `pe`, and the per-lane-kind tables of `simd`.
    static let peTables = ["mac_pj", "idle_pj_per_cycle", "area_um2", "leakage_uw"]
    static let laneTables = ["idle_pj_per_cycle", "lane_area_um2", "lane_leakage_uw"]

    /// The core library these figures describe.
    public var library: TechnologyLibrary {
        func v(_ path: String) -> Double { figure(path)?.value ?? 0 }
        func byPrecision(_ path: String) -> [Int: Double] {
            var table: [Int: Double] = [:]
            for (keyPath, figure) in figures where keyPath.hasPrefix(path + ".int") {
                if let bits = Int(keyPath.dropFirst(path.count + 4)) { table[bits] = figure.value }
            }
            return table
        }
        func operations(_ path: String) -> SIMDOperationEnergies {
            SIMDOperationEnergies(add: v("\(path).add"), multiply: v("\(path).multiply"), divide: v("\(path).divide"),
                                  exponent: v("\(path).exponent"), inverseSquareRoot: v("\(path).inverse_sqrt"),
                                  compare: v("\(path).compare"))
        }
        let macros = macroNames.enumerated().map { index, name in
            let path = "sram.macros[\(index)]"
            return SRAMMacro(name: name, capacityBits: v("\(path).capacity_bits"), widthBits: v("\(path).width_bits"),
                             readEnergyPicojoules: v("\(path).read_pj"), writeEnergyPicojoules: v("\(path).write_pj"),
                             leakageMicrowatts: v("\(path).leakage_uw"), areaSquareMicrometres: v("\(path).area_um2"))
        }
        return TechnologyLibrary(
            name: name, nodeNanometres: v("node_nm"), voltage: v("voltage_v"), clockHz: v("clock_hz"),
            macEnergyPicojoules: byPrecision("pe.mac_pj"), accumulateEnergyPicojoules: v("pe.accumulate_pj"),
            peIdleEnergyPicojoulesPerCycle: byPrecision("pe.idle_pj_per_cycle"), peAreaSquareMicrometres: byPrecision("pe.area_um2"),
            peLeakageMicrowatts: byPrecision("pe.leakage_uw"), simdFixedPoint: operations("simd.fixed32_pj"),
            simdFloat: operations("simd.float32_pj"),
            simdFixedPointLane: LaneFigures(areaSquareMicrometres: v("simd.lane_area_um2.fixed32"),
                                            leakageMicrowatts: v("simd.lane_leakage_uw.fixed32"),
                                            idleEnergyPicojoulesPerCycle: v("simd.idle_pj_per_cycle.fixed32")),
            simdFloatLane: LaneFigures(areaSquareMicrometres: v("simd.lane_area_um2.float32"),
                                       leakageMicrowatts: v("simd.lane_leakage_uw.float32"),
                                       idleEnergyPicojoulesPerCycle: v("simd.idle_pj_per_cycle.float32")),
            sramMacros: macros, dramEnergyPicojoulesPerBit: v("dram.energy_pj_per_bit"),
            controlAreaFraction: v("control.area_fraction"), controlLeakageFraction: v("control.leakage_fraction"))
    }
}

extension TechnologyFile {
    /// Reads and validates a technology library: every figure present, non-negative (energies of
    /// MACs, DRAM and SRAM positive), fractions below 1, sources that exist.
    public static func read(_ document: YAMLDocument) -> Result<TechnologyFile, DiagnosticError> {
        guard let root = document.rootMapping(expecting: "a technology library") else {
            return .failure(DiagnosticError(document.diagnostics))
        }
        root.rejectUnknownKeys(allowed: ["version", "name", "description", "node_nm", "voltage_v", "clock_hz", "sources",
                                         "pe", "simd", "sram", "dram", "control", "calibrated_from"],
                               context: "the technology library")
        document.checkVersion(root)
        var file = TechnologyFile(name: root.string("name") ?? ArchitectureFile.fileStem(document.file),
                                  description: root.value("description") == nil ? nil : root.string("description"),
                                  sources: [], figures: [], macroNames: [], calibratedFrom: [])
        file.file = document.file
        for key in root.keys {
            if let mark = root.value(key)?.mark { file.positions[key] = SourcePosition(line: mark.line, column: mark.column) }
            if let section = root.value(key)?.mapping {
                for (child, value) in section {
                    guard let name = child.scalar?.string, let mark = value.mark else { continue }
                    file.positions["\(key).\(name)"] = SourcePosition(line: mark.line, column: mark.column)
                }
            }
        }
        if let sources = root.mapping("sources", required: false, "citation keys and their citations") {
            for key in sources.keys {
                file.sources.append((key, sources.string(key) ?? ""))
            }
        }
        if let reports = root.sequence("calibrated_from", required: false, "report files") {
            file.calibratedFrom = reports.compactMap { $0.scalar?.string }
        }
        let knownSources = Set(file.sources.map(\.key))
        func figure(_ map: Mapping, _ key: String, positive: Bool = false, below: Double? = nil, required: Bool = true) {
            let path = map.keyPath(key)
            guard let node = required ? map.require(key, "a number, or {value, source, derivation}") : map.value(key) else {
                return
            }
            guard let sourced = readSourced(node, path: path, document: document, knownSources: knownSources) else { return }
            if sourced.value < 0 || (positive && sourced.value == 0) {
                document.error("'\(key)' must be \(positive ? "positive" : "non-negative"), got \(sourced.value)", at: node,
                               keyPath: path)
            } else if let below, sourced.value >= below {
                document.error("'\(key)' must be below \(below), got \(sourced.value)", at: node, keyPath: path)
            }
            file.figures.append((path, sourced))
        }
        figure(root, "node_nm", positive: true)
        figure(root, "voltage_v", positive: true)
        figure(root, "clock_hz", positive: true)
        if let pe = root.mapping("pe", "the processing element: mac_pj, idle_pj_per_cycle, accumulate_pj, area_um2, leakage_uw") {
            pe.rejectUnknownKeys(allowed: peTables + ["accumulate_pj"], context: "'pe'")
            for table in peTables {
                guard let map = pe.mapping(table, "one figure per operand precision: int4, int8, int16") else { continue }
                for key in map.keys {
                    guard key.hasPrefix("int"), let bits = Int(key.dropFirst(3)), bits > 0 else {
                        document.error("'\(key)' in '\(map.path)' must name a precision as intN (int4, int8, int16)",
                                       at: map.keyNode(key), keyPath: map.keyPath(key))
                        continue
                    }
                    figure(map, key, positive: table == "mac_pj" || table == "area_um2")
                }
                if map.keys.isEmpty {
                    document.error("'\(map.path)' lists no precision", at: map.node, keyPath: map.path)
                }
            }
            figure(pe, "accumulate_pj")
            let precisions = Set(file.figures.filter { $0.keyPath.hasPrefix("pe.mac_pj.") }.map { $0.keyPath.dropFirst(10) })
            let idle = Set(file.figures.filter { $0.keyPath.hasPrefix("pe.idle_pj_per_cycle.") }.map { $0.keyPath.dropFirst(21) })
            if let map = pe.mapping("idle_pj_per_cycle", "one figure per operand precision"), !precisions.isSubset(of: idle) {
                document.error("'pe.idle_pj_per_cycle' needs a figure for every precision of 'pe.mac_pj' "
                               + "(missing \(precisions.subtracting(idle).sorted().joined(separator: ", ")))", at: map.node,
                               keyPath: "pe.idle_pj_per_cycle")
            }
        }
        if let simd = root.mapping("simd", "the SIMD unit: fixed32_pj, float32_pj, idle_pj_per_cycle, lane_area_um2, lane_leakage_uw") {
            simd.rejectUnknownKeys(allowed: ["fixed32_pj", "float32_pj"] + laneTables, context: "'simd'")
            for table in ["fixed32_pj", "float32_pj"] {
                guard let map = simd.mapping(table, "energy per operation: \(operationKeys.joined(separator: ", "))") else { continue }
                map.rejectUnknownKeys(allowed: operationKeys, context: "'\(map.path)'")
                for key in operationKeys { figure(map, key) }
            }
            for table in laneTables {
                guard let map = simd.mapping(table, "one figure per lane kind: fixed32, float32") else { continue }
                map.rejectUnknownKeys(allowed: laneKeys, context: "'\(map.path)'")
                for key in laneKeys { figure(map, key, positive: table == "lane_area_um2") }
            }
        }
        if let sram = root.mapping("sram", "the SRAM macro table") {
            sram.rejectUnknownKeys(allowed: ["macros"], context: "'sram'")
            if let macros = sram.mappings("macros", item: "macro", "characterised macros") {
                if macros.isEmpty { document.error("'sram.macros' is empty: give at least one macro", at: sram.node, keyPath: "sram.macros") }
                for (index, map) in macros.enumerated() {
                    let path = "sram.macros[\(file.macroNames.count)]"
                    map.rejectUnknownKeys(allowed: ["name", "capacity_bits", "width_bits"] + macroFigureKeys, context: "a macro")
                    let name = map.string("name") ?? "macro\(index)"
                    if file.macroNames.contains(name) {
                        document.error("duplicate macro name '\(name)'", at: map.value("name"), keyPath: "\(path).name")
                    }
                    file.macroNames.append(name)
                    let capacity = map.integer("capacity_bits", required: true, range: Limits.capacityBits)
                    let width = map.integer("width_bits", required: true, range: 1...4096)
                    if let capacity, let width, capacity % width != 0 {
                        document.error("capacity_bits \(capacity) is not a whole number of \(width)-bit words",
                                       at: map.value("capacity_bits"), keyPath: "\(path).capacity_bits")
                    }
                    file.figures.append(("\(path).capacity_bits", Sourced(Double(capacity ?? 1))))
                    file.figures.append(("\(path).width_bits", Sourced(Double(width ?? 1))))
                    for key in macroFigureKeys { figure(map, key, positive: key != "leakage_uw") }
                }
            }
        }
        if let dram = root.mapping("dram", "DRAM: standard (\(DRAMStandard.allCases.map(\.rawValue).joined(separator: ", "))) or energy_pj_per_bit") {
            dram.rejectUnknownKeys(allowed: ["standard", "energy_pj_per_bit"], context: "'dram'")
            if let name = dram.string("standard") {
                if let standard = DRAMStandard(rawValue: name) {
                    file.dramStandard = standard
                    if dram.value("energy_pj_per_bit") != nil {
                        document.error("give either 'standard' or 'energy_pj_per_bit', not both", at: dram.value("energy_pj_per_bit"),
                                       keyPath: "dram.energy_pj_per_bit")
                    }
                    if !file.sources.contains(where: { $0.key == standard.sourceKey }) {
                        file.sources.append((standard.sourceKey, standard.citation))
                    }
                    file.figures.append(("dram.energy_pj_per_bit", Sourced(
                        standard.energyPicojoulesPerBit, source: standard.sourceKey,
                        derivation: "\(name): \(standard.citation)")))
                } else {
                    let names = DRAMStandard.allCases.map(\.rawValue)
                    document.error("unknown DRAM standard '\(name)'\(Suggestion.didYouMean(name, in: names))",
                                   at: dram.value("standard"), keyPath: "dram.standard",
                                   notes: ["known standards: \(names.joined(separator: ", "))"])
                }
            } else {
                figure(dram, "energy_pj_per_bit", positive: true)
            }
        }
        if let control = root.mapping("control", "control overhead: area_fraction, leakage_fraction") {
            control.rejectUnknownKeys(allowed: ["area_fraction", "leakage_fraction"], context: "'control'")
            figure(control, "area_fraction", below: 1)
            figure(control, "leakage_fraction", below: 1)
        }
        return document.hasErrors ? .failure(DiagnosticError(document.diagnostics)) : .success(file)
    }

    /// `1.5`, or `{value: 1.5, source: key, derivation: "…"}`.
    static func readSourced(_ node: Node, path: String, document: YAMLDocument, knownSources: Set<String>) -> Sourced? {
        func number(_ node: Node, _ key: String) -> Double? {
            guard let text = node.scalar?.string, let value = Double(text.replacingOccurrences(of: "_", with: "")),
                  value.isFinite, abs(value) <= Limits.figureMagnitude else {
                document.error("'\(key)' must be a number of magnitude at most 1e12, got \(Mapping.describe(node))", at: node, keyPath: path)
                return nil
            }
            return value
        }
        let key = String(path.split(separator: ".").last ?? Substring(path))
        guard let mapping = node.mapping else { return number(node, key).map { Sourced($0) } }
        let map = Mapping(document: document, node: node, mapping: mapping, path: path)
        map.rejectUnknownKeys(allowed: ["value", "source", "derivation", "node_nm"], context: "'\(path)'")
        guard let valueNode = map.require("value", "the number") else { return nil }
        guard let value = number(valueNode, key) else { return nil }
        let source = map.value("source") == nil ? nil : map.string("source")
        if let source, !knownSources.isEmpty, !knownSources.contains(source), !source.contains(":") {
            document.error("unknown source '\(source)'\(Suggestion.didYouMean(source, in: Array(knownSources)))",
                           at: map.value("source"), keyPath: "\(path).source",
                           notes: ["list it under 'sources' with its citation"])
        }
        let derivation = map.value("derivation") == nil ? nil : map.string("derivation")
        var node: Double?
        if let nodeNode = map.value("node_nm") {
            node = number(nodeNode, "node_nm")
            if let value = node, value <= 0 {
                document.error("'node_nm' must be positive, got \(value)", at: nodeNode, keyPath: "\(path).node_nm")
            }
        }
        return Sourced(value, source: source, derivation: derivation, nodeNanometres: node)
    }

    /// The library as a version-1 file that `read` accepts, every figure with its provenance.
    public func render() -> String {
        var out = "# Technology library for simdit (schema version 1). Units are in the key names.\n"
        out += "version: 1\nname: \(YAMLText.scalar(name))\n"
        if let description { out += "description: \(YAMLText.scalar(description))\n" }
        if !calibratedFrom.isEmpty {
            out += "calibrated_from: [\(calibratedFrom.map(YAMLText.scalar).joined(separator: ", "))]\n"
        }
        func line(_ indent: Int, _ key: String, _ path: String) -> String {
            guard let f = figure(path) else { return "" }
            var text = String(repeating: "  ", count: indent) + "\(key): "
            if f.source == nil && f.derivation == nil && f.nodeNanometres == nil { return text + JSONValue.format(f.value) + "\n" }
            var parts = ["value: \(JSONValue.format(f.value))"]
            if let source = f.source { parts.append("source: \(YAMLText.scalar(source))") }
            if let derivation = f.derivation { parts.append("derivation: \(YAMLText.quoted(derivation))") }
            if let node = f.nodeNanometres { parts.append("node_nm: \(JSONValue.format(node))") }
            text += "{\(parts.joined(separator: ", "))}\n"
            return text
        }
        out += line(0, "node_nm", "node_nm") + line(0, "voltage_v", "voltage_v") + line(0, "clock_hz", "clock_hz")
        out += "\nsources:\n"
        for (key, citation) in sources { out += "  \(YAMLText.scalar(key)): \(YAMLText.quoted(citation))\n" }
        out += "\npe:\n"
        for table in TechnologyFile.peTables {
            out += "  \(table):\n"
            for (path, _) in figures where path.hasPrefix("pe.\(table).") {
                out += line(2, String(path.dropFirst("pe.\(table).".count)), path)
            }
        }
        out += line(1, "accumulate_pj", "pe.accumulate_pj")
        out += "\nsimd:\n"
        for table in ["fixed32_pj", "float32_pj"] {
            out += "  \(table):\n"
            for key in TechnologyFile.operationKeys { out += line(2, key, "simd.\(table).\(key)") }
        }
        for table in TechnologyFile.laneTables {
            out += "  \(table):\n"
            for key in TechnologyFile.laneKeys { out += line(2, key, "simd.\(table).\(key)") }
        }
        out += "\nsram:\n  macros:\n"
        for (index, name) in macroNames.enumerated() {
            let path = "sram.macros[\(index)]"
            out += "    - name: \(YAMLText.scalar(name))\n"
            out += "      capacity_bits: \(JSONValue.format(figure("\(path).capacity_bits")?.value ?? 0))\n"
            out += "      width_bits: \(JSONValue.format(figure("\(path).width_bits")?.value ?? 0))\n"
            for key in TechnologyFile.macroFigureKeys { out += line(3, key, "\(path).\(key)") }
        }
        out += "\ndram:\n" + (dramStandard.map { "  standard: \($0.rawValue)\n" } ?? line(1, "energy_pj_per_bit", "dram.energy_pj_per_bit"))
        out += "\ncontrol:\n" + line(1, "area_fraction", "control.area_fraction")
            + line(1, "leakage_fraction", "control.leakage_fraction")
        return out
    }
}
