import SimDITCore
import Yams

/// The synthesis/implementation report schema (version 1) that `simdit calibrate` reads. One file
/// per synthesis run:
///
/// ```yaml
/// version: 1
/// design: genesys-pe-int8        # what was synthesized
/// tool: "yosys + OpenSTA"         # optional
/// node_nm: 180                    # optional
/// voltage_v: 1.8                  # optional
/// clock_period_ns: 10             # the constraint the power was reported at
/// worst_slack_ns: 2.5             # optional; achievable period = period − slack
/// switching_activity: 0.1         # optional: the global toggle rate of a power analysis without
///                                 # simulated activity, for modules without idle_dynamic_uw
/// modules:
///   - {name: pe, kind: pe, precision_bits: 8, instances: 1, area_um2: 1234, leakage_uw: 0.5, dynamic_uw: 120,
///      idle_dynamic_uw: 40}          # a MAC every cycle; clock running with operands held
///   - {name: lane, kind: simd_lane, lane: fixed32, area_um2: 9000, leakage_uw: 2, idle_dynamic_uw: 300,
///      operation_dynamic_uw: {add: 500, multiply: 2000, max: 520}}
///   - {name: ctrl, kind: control, area_um2: 500, leakage_uw: 0.2}
/// sram_macros:
///   - {name: sram-4KB, capacity_bits: 32768, width_bits: 32, read_pj: 5, write_pj: 6, leakage_uw: 10, area_um2: 40000}
/// ```
public enum SynthesisReportFile {
    public struct Loaded: Sendable {
        public var report: SynthesisReport
        public var file: String
        /// Positions of fields (`clock_period_ns`, `modules[0].dynamic_uw`, …) for diagnostics.
        var positions: [String: SourcePosition]
        /// Per SRAM macro, where each figure came from (`read_pj` → text), when the report says.
        public var macroProvenance: [[String: String]] = []

        public func diagnostic(_ message: String, field: String) -> Diagnostic {
            let position = positions[field] ?? positions[String(field.split(separator: ".").first ?? "")]
                ?? positions[field.components(separatedBy: ", ").first ?? field]
            return Diagnostic(message, file: file, line: position?.line ?? 1, column: position?.column ?? 1, keyPath: field)
        }
    }

    static let moduleKeys = ["name", "kind", "precision_bits", "lane", "instances", "area_um2", "leakage_uw", "dynamic_uw",
                             "idle_dynamic_uw", "operation_dynamic_uw", "operations_per_cycle"]
    /// The operation kinds a SIMD lane's power can be reported for.
    static let operationKeys = ["add", "multiply", "max"]

    public static func read(_ document: YAMLDocument) -> Result<Loaded, DiagnosticError> {
        guard let root = document.rootMapping(expecting: "a synthesis report") else {
            return .failure(DiagnosticError(document.diagnostics))
        }
        root.rejectUnknownKeys(allowed: ["version", "design", "tool", "node_nm", "voltage_v", "clock_period_ns",
                                         "worst_slack_ns", "switching_activity", "modules", "sram_macros"],
                               context: "the synthesis report")
        document.checkVersion(root)
        var positions: [String: SourcePosition] = [:]
        func remember(_ map: Mapping) {
            for key in map.keys {
                if let mark = map.value(key)?.mark { positions[map.keyPath(key)] = SourcePosition(line: mark.line, column: mark.column) }
            }
        }
        remember(root)
        func number(_ map: Mapping, _ key: String, required: Bool = false) -> Double? {
            guard let node = required ? map.require(key, "a number") : map.value(key) else { return nil }
            guard let text = node.scalar?.string, let value = Double(text.replacingOccurrences(of: "_", with: "")),
                  value.isFinite, abs(value) <= Limits.figureMagnitude else {
                document.error("'\(key)' must be a number of magnitude at most 1e12, got \(Mapping.describe(node))", at: node, keyPath: map.keyPath(key))
                return nil
            }
            return value
        }
        let design = root.string("design", required: true) ?? "design"
        if root.value("tool") != nil { _ = root.string("tool") }
        let period = number(root, "clock_period_ns", required: true) ?? 1
        let slack = number(root, "worst_slack_ns")
        let activity = number(root, "switching_activity")
        var modules: [SynthesisReport.Module] = []
        if let maps = root.mappings("modules", required: false, item: "module", "synthesized modules") {
            for map in maps {
                let path = map.path, node = map.node
                remember(map)
                positions[path] = node.mark.map { SourcePosition(line: $0.line, column: $0.column) }
                map.rejectUnknownKeys(allowed: moduleKeys, context: "a module")
                let kindText = map.string("kind", required: true) ?? "other"
                guard let kind = SynthesisReport.ModuleKind(rawValue: kindText) else {
                    let kinds = SynthesisReport.ModuleKind.allCases.map(\.rawValue)
                    document.error("unknown module kind '\(kindText)'\(Suggestion.didYouMean(kindText, in: kinds))",
                                   at: map.value("kind"), keyPath: "\(path).kind",
                                   notes: ["kinds: \(kinds.joined(separator: ", "))"])
                    continue
                }
                let figures = ["area_um2", "leakage_uw", "dynamic_uw"].map { number(map, $0) }
                for (key, value) in zip(["area_um2", "leakage_uw", "dynamic_uw"], figures) where (value ?? 0) < 0 {
                    document.error("'\(key)' must not be negative, got \(value ?? 0)", at: map.value(key), keyPath: "\(path).\(key)")
                }
                let idle = number(map, "idle_dynamic_uw")
                if let idle, idle < 0 {
                    document.error("'idle_dynamic_uw' must not be negative, got \(idle)", at: map.value("idle_dynamic_uw"),
                                   keyPath: "\(path).idle_dynamic_uw")
                }
                var operations: [String: Double] = [:]
                if let operationMap = map.mapping("operation_dynamic_uw", required: false, "µW by operation kind") {
                    remember(operationMap)
                    operationMap.rejectUnknownKeys(allowed: operationKeys, context: "'operation_dynamic_uw'")
                    for key in operationMap.keys where operationKeys.contains(key) {
                        guard let value = number(operationMap, key) else { continue }
                        if value < 0 {
                            document.error("'\(key)' must not be negative, got \(value)", at: operationMap.value(key),
                                           keyPath: "\(path).operation_dynamic_uw.\(key)")
                        }
                        operations[key] = value
                    }
                }
                if !operations.isEmpty && kind != .simdLane {
                    document.error("operation_dynamic_uw is for simd_lane modules", at: map.value("operation_dynamic_uw"),
                                   keyPath: "\(path).operation_dynamic_uw")
                }
                if figures.allSatisfy({ $0 == nil }) && idle == nil && operations.isEmpty {
                    document.error("module '\(map.string("name") ?? path)' reports none of area_um2, leakage_uw, dynamic_uw, "
                                   + "idle_dynamic_uw, operation_dynamic_uw", at: node, keyPath: path)
                }
                if figures[2] != nil && idle == nil && operations.isEmpty && activity == nil {
                    document.error("module '\(map.string("name") ?? path)' reports dynamic_uw without idle_dynamic_uw: "
                                   + "give idle_dynamic_uw (power with the clock running and operands held) or the report's "
                                   + "switching_activity", at: map.value("dynamic_uw"), keyPath: "\(path).dynamic_uw")
                }
                modules.append(SynthesisReport.Module(
                    name: map.string("name") ?? path, kind: kind,
                    precisionBits: map.integer("precision_bits", range: Limits.dataBits),
                    lane: map.value("lane") == nil ? nil : map.string("lane"),
                    instances: number(map, "instances") ?? 1,
                    areaSquareMicrometres: figures[0], leakageMicrowatts: figures[1], dynamicMicrowatts: figures[2],
                    idleDynamicMicrowatts: idle, operationDynamicMicrowatts: operations, operationsPerCycle: number(map, "operations_per_cycle") ?? 1))
            }
        }
        var macros: [SRAMMacro] = []
        var macroProvenance: [[String: String]] = []
        if let maps = root.mappings("sram_macros", required: false, item: "macro", "characterised SRAM macros") {
            for map in maps {
                let path = map.path
                remember(map)
                map.rejectUnknownKeys(allowed: ["name", "capacity_bits", "width_bits", "read_pj", "write_pj", "leakage_uw",
                                                "area_um2", "minimum_period_ns", "provenance"], context: "a macro")
                if let period = number(map, "minimum_period_ns"), period <= 0 {
                    document.error("'minimum_period_ns' must be positive, got \(period)", at: map.value("minimum_period_ns"),
                                   keyPath: "\(path).minimum_period_ns")
                }
                var provenance: [String: String] = [:]
                if let sources = map.mapping("provenance", required: false, "where each figure came from") {
                    sources.rejectUnknownKeys(allowed: ["read_pj", "write_pj", "leakage_uw", "area_um2"], context: "'provenance'")
                    for key in sources.keys { provenance[key] = sources.string(key) }
                }
                macroProvenance.append(provenance)
                let capacity = map.integer("capacity_bits", required: true, range: Limits.capacityBits)
                let width = map.integer("width_bits", required: true, range: 1...4096)
                if let capacity, let width, capacity % width != 0 {
                    document.error("capacity_bits \(capacity) is not a whole number of \(width)-bit words",
                                   at: map.value("capacity_bits"), keyPath: "\(path).capacity_bits")
                }
                let values = ["read_pj", "write_pj", "leakage_uw", "area_um2"].map { number(map, $0, required: true) }
                for (key, value) in zip(["read_pj", "write_pj", "leakage_uw", "area_um2"], values)
                where (value ?? 1) < 0 || (key != "leakage_uw" && value == 0) {
                    document.error("'\(key)' must be \(key == "leakage_uw" ? "non-negative" : "positive"), got \(value ?? 0)",
                                   at: map.value(key), keyPath: "\(path).\(key)")
                }
                macros.append(SRAMMacro(name: map.string("name") ?? path, capacityBits: Double(capacity ?? 1),
                                        widthBits: Double(width ?? 1), readEnergyPicojoules: values[0] ?? 0,
                                        writeEnergyPicojoules: values[1] ?? 0, leakageMicrowatts: values[2] ?? 0,
                                        areaSquareMicrometres: values[3] ?? 0))
            }
        }
        let node = number(root, "node_nm"), voltage = number(root, "voltage_v")
        for (key, value) in [("node_nm", node), ("voltage_v", voltage), ("clock_period_ns", period)] where (value ?? 1) <= 0 {
            document.error("'\(key)' must be positive, got \(value ?? 0)", at: root.value(key), keyPath: key)
        }
        if modules.isEmpty && macros.isEmpty && !document.hasErrors {
            document.error("the report has neither modules nor sram_macros: nothing to calibrate", at: root.node, keyPath: nil)
        }
        guard !document.hasErrors else { return .failure(DiagnosticError(document.diagnostics)) }
        let report = SynthesisReport(
            design: design, nodeNanometres: node, voltage: voltage,
            clockPeriodNanoseconds: period, worstSlackNanoseconds: slack, switchingActivity: activity, modules: modules,
            sramMacros: macros)
        return .success(Loaded(report: report, file: document.file, positions: positions, macroProvenance: macroProvenance))
    }
}

/// The stated rule for carrying a figure from one process node and supply to another, for figures
/// that could not be characterized at the library's node: dynamic energy ∝ C·V² with capacitance
/// ∝ feature size, area ∝ feature size², and leakage ∝ area × the leakage per µm² measured at the
/// new node over the base library's (from the reports' PEs: leakage depends on the process far more
/// than on size), or, without such a measurement, ∝ area × V (an assumption).
public struct NodeScaling: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case energy, area, leakage

        /// The kind of an on-chip figure by its key path; nil for figures that do not scale
        /// (node, voltage, clock, sizes, control fractions, DRAM, which is off chip).
        public init?(keyPath: String) {
            if keyPath.hasPrefix("dram.") || keyPath.hasPrefix("control.") { return nil }
            if keyPath.contains("area_um2") { self = .area }
            else if keyPath.contains("leakage_uw") { self = .leakage }
            else if keyPath.contains("_pj") { self = .energy }
            else { return nil }
        }
    }

    public var fromNode: Double
    public var fromVoltage: Double
    public var toNode: Double
    public var toVoltage: Double
    /// Leakage per µm² at the new node over the base library's, when the reports measure it.
    public var leakageDensityRatio: Double?

    public func factor(_ kind: Kind) -> Double {
        let length = toNode / fromNode, voltage = toVoltage / fromVoltage
        switch kind {
        case .energy: return length * voltage * voltage
        case .area: return length * length
        case .leakage: return length * length * (leakageDensityRatio ?? voltage)
        }
    }

    /// The rule in words, for a figure's derivation.
    public func rule(_ kind: Kind) -> String {
        let l = "(\(JSONValue.format(toNode)) / \(JSONValue.format(fromNode)) nm)"
        let v = "(\(JSONValue.format(toVoltage)) / \(JSONValue.format(fromVoltage)) V)"
        switch kind {
        case .energy: return "C.V^2 scaling \(l) x \(v)^2"
        case .area: return "area scaling \(l)^2"
        case .leakage:
            if let ratio = leakageDensityRatio {
                return "leakage scaling \(l)^2 x \(JSONValue.format(ratio)) (the reports' PE leakage per um2 over the base library's)"
            }
            return "leakage scaling \(l)^2 x \(v) (assumed)"
        }
    }
}

extension TechnologyFile {
    /// A copy of `self` calibrated from reports: derived figures replace the base ones and record
    /// their report, field and derivation; a report's SRAM macros replace the table; the rest keep
    /// their base provenance. When the reports are at another node than the base library, each
    /// kept on-chip figure is either tagged with the node it was characterized at (`node_nm`, so
    /// that `simulate` and `area` warn) or, with `scaleToNode`, scaled to the reports' node and
    /// voltage by the stated rule (`NodeScaling`). Inconsistent reports give diagnostics at the
    /// offending fields.
    public func calibrated(with reports: [SynthesisReportFile.Loaded], name newName: String? = nil, scaleToNode: Bool = false)
        -> Result<TechnologyFile, DiagnosticError> {
        let (derived, macros, issues) = Calibration.derive(reports.map(\.report), base: library)
        guard issues.isEmpty else {
            return .failure(DiagnosticError(issues.map { reports[$0.report].diagnostic($0.message, field: $0.field) }))
        }
        var file = self
        file.name = newName ?? name + "-calibrated"
        file.description = "\(name) calibrated from \(reports.map(\.file).joined(separator: ", "))"
        file.calibratedFrom = reports.map(\.file)
        var reportKeys: [String] = []
        for (index, loaded) in reports.enumerated() {
            let key = "report\(index + 1)"
            reportKeys.append(key)
            file.sources.append((key, "synthesis report \(loaded.file) (design \(loaded.report.design))"))
        }
        for figure in derived {
            file.set(figure.keyPath, Sourced(figure.value, source: reportKeys[figure.report],
                                             derivation: "\(figure.field): \(figure.derivation)"))
        }
        let derivedPaths = Set(derived.map(\.keyPath))
        if let baseNode = figure("node_nm")?.value, let newNode = file.figure("node_nm")?.value, newNode != baseNode {
            // The leakage density the reports measured on their PEs, against the base library's PEs.
            var ratios: [Double] = []
            for (path, _) in file.figures where path.hasPrefix("pe.leakage_uw.") && derivedPaths.contains(path) {
                let precision = path.dropFirst("pe.leakage_uw.".count)
                if let leakage = file.figure(path)?.value, let area = file.figure("pe.area_um2.\(precision)")?.value,
                   let baseLeakage = figure(path)?.value, let baseArea = figure("pe.area_um2.\(precision)")?.value,
                   area > 0, baseLeakage > 0, baseArea > 0, leakage > 0 {
                    ratios.append((leakage / area) / (baseLeakage / baseArea))
                }
            }
            var scaling = NodeScaling(fromNode: baseNode, fromVoltage: figure("voltage_v")?.value ?? 1,
                                      toNode: newNode, toVoltage: file.figure("voltage_v")?.value ?? 1)
            if !ratios.isEmpty { scaling.leakageDensityRatio = ratios.reduce(0, +) / Double(ratios.count) }
            for index in file.figures.indices where !derivedPaths.contains(file.figures[index].keyPath) {
                let (path, kept) = file.figures[index]
                guard let kind = NodeScaling.Kind(keyPath: path) else { continue }
                if scaleToNode {
                    let from = kept.nodeNanometres.map {
                        NodeScaling(fromNode: $0, fromVoltage: scaling.fromVoltage, toNode: newNode, toVoltage: scaling.toVoltage,
                                    leakageDensityRatio: scaling.leakageDensityRatio)
                    } ?? scaling
                    let factor = from.factor(kind)
                    file.figures[index].figure = Sourced(
                        kept.value * factor, source: kept.source,
                        derivation: "\(JSONValue.format(kept.value)) x \(from.rule(kind)) = \(JSONValue.format(factor)): scaled from "
                            + "\(name)" + (kept.derivation.map { " (\($0))" } ?? ""))
                } else if kept.nodeNanometres == nil {
                    file.figures[index].figure.nodeNanometres = baseNode
                }
            }
        }
        if !macros.isEmpty {
            file.figures.removeAll { $0.keyPath.hasPrefix("sram.macros[") }
            file.macroNames = []
            var macroIndex = 0
            for (r, loaded) in reports.enumerated() {
                for (m, macro) in loaded.report.sramMacros.enumerated() {
                    let path = "sram.macros[\(macroIndex)]", field = "sram_macros[\(m)]"
                    file.macroNames.append(macro.name)
                    file.figures.append(("\(path).capacity_bits", Sourced(macro.capacityBits)))
                    file.figures.append(("\(path).width_bits", Sourced(macro.widthBits)))
                    let provenance = m < loaded.macroProvenance.count ? loaded.macroProvenance[m] : [:]
                    for (key, value) in [("read_pj", macro.readEnergyPicojoules), ("write_pj", macro.writeEnergyPicojoules),
                                         ("area_um2", macro.areaSquareMicrometres), ("leakage_uw", macro.leakageMicrowatts)] {
                        file.figures.append(("\(path).\(key)", Sourced(value, source: reportKeys[r],
                                                                        derivation: "\(field).\(key): " + (provenance[key] ?? "as reported"))))
                    }
                    macroIndex += 1
                }
            }
        }
        return .success(file)
    }
}
