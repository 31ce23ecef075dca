import Foundation
import SimDITCore
import Yams

/// A design-space sweep (schema version 1): a base architecture, the axes to vary (any
/// architecture field by its key path, and `network`, `mode`, `batch`, `fusion`, `optimizer`,
/// `technology`, `dataflow`), each a list, a range `{from, to, step}` or `{from, to, factor}`, optionally a
/// sample of the grid, constraints and objectives. README, "Design-space sweeps".
public struct SweepSpec: Sendable {
    /// What an axis sets.
    public enum Target: Sendable, Hashable {
        case architecture(WritableKeyPath<Architecture, Int> & Sendable)
        case network, mode, batch, fusion, optimizer, technology, dataflow

        public static func == (lhs: Target, rhs: Target) -> Bool {
            switch (lhs, rhs) {
            case (.architecture(let a), .architecture(let b)): a == b
            case (.network, .network), (.mode, .mode), (.batch, .batch), (.fusion, .fusion),
                 (.optimizer, .optimizer), (.technology, .technology), (.dataflow, .dataflow): true
            default: false
            }
        }

        public func hash(into hasher: inout Hasher) {
            switch self {
            case .architecture(let path): hasher.combine(0); hasher.combine(path)
            case .network: hasher.combine(1)
            case .mode: hasher.combine(2)
            case .batch: hasher.combine(3)
            case .fusion: hasher.combine(4)
            case .optimizer: hasher.combine(5)
            case .technology: hasher.combine(6)
            case .dataflow: hasher.combine(7)
            }
        }
    }

    /// One value of an axis.
    public enum Value: Sendable, Hashable, CustomStringConvertible {
        case integer(Int)
        case name(String)
        case flag(Bool)

        public var description: String {
            switch self {
            case .integer(let value): String(value)
            case .name(let value): value
            case .flag(let value): String(value)
            }
        }
    }

    public struct Axis: Sendable {
        /// The key as written (`systolic_array.rows`, `network`, …).
        public var key: String
        public var target: Target
        public var values: [Value]

        public init(key: String, target: Target, values: [Value]) {
            self.key = key
            self.target = target
            self.values = values
        }

        /// An axis of an architecture field, by its key path (nil for an unknown key).
        public static func architecture(_ keyPath: String, _ values: [Int]) -> Axis? {
            guard let field = ArchitectureFile.fields.first(where: { $0.keyPath == keyPath }) else { return nil }
            return Axis(key: keyPath, target: .architecture(field.property), values: values.map { .integer($0) })
        }
    }

    /// What a sweep reports per point, and what constraints and objectives name.
    public enum Metric: String, Sendable, CaseIterable {
        case cycles
        case energyPicojoules = "energy_pj"
        case powerWatts = "power_w"
        case areaSquareMillimetres = "area_mm2"
        case runtimeSeconds = "runtime_s"
        case energyDelayProduct = "edp_j_s"
    }

    public struct Constraint: Sendable, Hashable, CustomStringConvertible {
        public enum Comparison: String, Sendable, Hashable, CaseIterable {
            case atMost = "<=", below = "<", atLeast = ">=", above = ">"
        }
        public var metric: Metric
        public var comparison: Comparison
        public var bound: Double

        public func holds(_ value: Double) -> Bool {
            switch comparison {
            case .atMost: value <= bound
            case .below: value < bound
            case .atLeast: value >= bound
            case .above: value > bound
            }
        }

        public var description: String { "\(metric.rawValue) \(comparison.rawValue) \(JSONValue.format(bound))" }
    }

    public init(file: String, base: LoadedArchitecture, axes: [Axis], sampling: SweepSampling = .grid,
                constraints: [Constraint] = [], objectives: [Metric] = [.cycles, .energyPicojoules]) {
        self.file = file
        self.base = base
        self.axes = axes
        self.sampling = sampling
        self.constraints = constraints
        self.objectives = objectives
    }

    public var file: String
    /// Where the file sets the sweep's size: its `sample`, else its `axes` (for diagnostics).
    public var sizePosition = SourcePosition(line: 1, column: 1)
    public var base: LoadedArchitecture
    /// Every axis, fixed settings included (one value), in file order; the last varies fastest.
    public var axes: [Axis]
    public var sampling: SweepSampling
    public var constraints: [Constraint]
    public var objectives: [Metric]
    /// When set, each point's SRAM and DRAM bandwidth are first split among the buffers by the
    /// allocation optimizer (`simdit optimize`) for this objective, and the point is the split found.
    public var allocation: AllocationObjective? = nil

    /// The fields the allocation optimizer sets, reported per point when it runs.
    public static let allocatedFields = ["buffers.ibuf_capacity_bits", "buffers.wbuf_capacity_bits", "buffers.obuf_capacity_bits",
                                         "buffers.bbuf_capacity_bits", "buffers.vmem_capacity_bits",
                                         "dram_bandwidth.ibuf_bits_per_cycle", "dram_bandwidth.parambuf_bits_per_cycle",
                                         "dram_bandwidth.obuf_bits_per_cycle", "dram_bandwidth.simd_bits_per_cycle"]

    /// The grid's size (saturating).
    public var gridPoints: Int {
        axes.reduce(1) { $0.multipliedReportingOverflow(by: $1.values.count).overflow ? Int.max : $0 * $1.values.count }
    }

    /// The points the sweep evaluates: the grid's, or the sample's (at most the grid's).
    public var pointCount: Int {
        switch sampling {
        case .grid: gridPoints
        case .random(let points, _), .latinHypercube(let points, _): min(points, gridPoints)
        }
    }

    /// The axes' value indices of a grid index (mixed radix, the last axis fastest).
    public func valueIndices(of gridIndex: Int) -> [Int] {
        var rest = gridIndex
        var indices = [Int](repeating: 0, count: axes.count)
        for axis in axes.indices.reversed() {
            let count = axes[axis].values.count
            indices[axis] = rest % count
            rest /= count
        }
        return indices
    }

    /// The most grid points a sweep enumerates without sampling, and the most it samples.
    public static let maximumPoints = 100_000_000
    /// The most values one axis may have.
    public static let maximumAxisValues = 1_000_000
}

public enum SweepFile {
    static let settingKeys = ["network", "mode", "batch", "fusion", "optimizer", "technology", "dataflow"]
    static let topLevelKeys = ["version", "name", "description", "base", "axes", "sample", "constraints", "objectives", "allocate"]
        + settingKeys

    /// Reads and validates a sweep file; every problem is a positioned diagnostic.
    public static func read(_ document: YAMLDocument) -> Result<SweepSpec, DiagnosticError> {
        guard let root = document.rootMapping(expecting: "a sweep") else { return .failure(DiagnosticError(document.diagnostics)) }
        root.rejectUnknownKeys(allowed: topLevelKeys, context: "the sweep file")
        document.checkVersion(root)
        if root.value("name") != nil { _ = root.string("name") }
        if root.value("description") != nil { _ = root.string("description") }
        var base: LoadedArchitecture?
        if let name = root.string("base", required: true) {
            let path = name.hasPrefix("/") || Presets.named(name) != nil ? name
                : URL(fileURLWithPath: document.file).deletingLastPathComponent().appendingPathComponent(name).path
            switch InputResolver.architecture(Presets.named(name) != nil ? name : path) {
            case .success(let loaded): base = loaded
            case .failure(let error):
                document.error("the base architecture '\(name)' is not usable: "
                               + (error.diagnostics.first?.message ?? "it has errors"), at: root.value("base"), keyPath: "base",
                               notes: error.diagnostics.dropFirst().prefix(3).map(\.description))
            }
        }
        var axes: [SweepSpec.Axis] = []
        var seen = Set<String>()
        // Settings written at the top level: a scalar is fixed, a list or range an axis.
        for key in settingKeys {
            guard let node = root.value(key), let target = target(key) else { continue }
            if let axis = readAxis(key, target: target, node: node, map: root, path: key) { axes.append(axis) }
            seen.insert(key)
        }
        if let map = root.mapping("axes", required: true, "the axes: key path → list or range") {
            if map.keys.isEmpty { document.error("'axes' is empty: name at least one axis", at: root.value("axes"), keyPath: "axes") }
            let known = ArchitectureFile.fields.map(\.keyPath) + settingKeys
            for key in map.keys {
                guard let target = target(key) else {
                    document.error("unknown axis '\(key)'\(Suggestion.didYouMean(key, in: known))", at: map.keyNode(key),
                                   keyPath: "axes.\(key)", notes: ["axes are architecture key paths (systolic_array.rows, "
                                                                   + "buffers.ibuf_capacity_bits, …) or \(settingKeys.joined(separator: ", "))"])
                    continue
                }
                if seen.contains(key) {
                    document.error("'\(key)' is set twice (at the top level and as an axis)", at: map.keyNode(key), keyPath: "axes.\(key)")
                    continue
                }
                seen.insert(key)
                if let node = map.value(key), let axis = readAxis(key, target: target, node: node, map: map, path: "axes.\(key)") {
                    axes.append(axis)
                }
            }
        }
        // Defaults for the settings not given.
        let defaults: [(String, SweepSpec.Value)] = [("network", .name("resnet50")), ("mode", .name("inference")),
                                                     ("fusion", .flag(false)), ("optimizer", .name("sgd")),
                                                     ("technology", .name("generic-45nm"))]
        for (key, value) in defaults where !seen.contains(key) {
            if let target = target(key) { axes.insert(SweepSpec.Axis(key: key, target: target, values: [value]), at: 0) }
        }
        if !seen.contains("batch") {
            axes.insert(SweepSpec.Axis(key: "batch", target: .batch, values: []), at: 0)   // per mode: 1 or 32
        }
        let sampling = readSampling(root)
        let constraints = readConstraints(root)
        let objectives = readObjectives(root)
        guard !document.hasErrors, let base else { return .failure(DiagnosticError(document.diagnostics)) }
        var spec = SweepSpec(file: document.file, base: base, axes: axes, sampling: sampling, constraints: constraints,
                             objectives: objectives)
        if let objective = root.string("allocate") {
            if let parsed = AllocationObjective(rawValue: objective) {
                spec.allocation = parsed
            } else {
                document.error("'allocate' must be cycles, energy or edp (the allocation optimizer's objective), got '\(objective)'",
                               at: root.value("allocate"), keyPath: "allocate")
                return .failure(DiagnosticError(document.diagnostics))
            }
        }
        if let mark = (root.value("sample") ?? root.value("axes"))?.mark {
            spec.sizePosition = SourcePosition(line: mark.line, column: mark.column)
        }
        // The batch default depends on the mode: a 0-value axis means "the mode's default".
        if let batch = spec.axes.firstIndex(where: { $0.target == .batch }), spec.axes[batch].values.isEmpty {
            spec.axes[batch].values = [.integer(0)]
        }
        let grid = spec.gridPoints
        if case .grid = sampling, grid > SweepSpec.maximumPoints {
            document.error("the grid has \(grid == Int.max ? "more than 2^63" : String(grid)) points, more than "
                           + "\(SweepSpec.maximumPoints): sample it ('sample: {method: latin_hypercube, points: N, seed: S}') "
                           + "or narrow the axes", at: root.value("axes"), keyPath: "axes")
            return .failure(DiagnosticError(document.diagnostics))
        }
        return .success(spec)
    }

    /// A network or library named in a sweep file: built-in names as they are, relative paths from
    /// the sweep file's directory.
    public static func resolvePath(_ name: String, besides file: String) -> String {
        guard name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.lowercased().hasSuffix(".onnx"),
              !name.hasPrefix("/") else { return name }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(name).path
    }

    static func target(_ key: String) -> SweepSpec.Target? {
        switch key {
        case "network": return .network
        case "mode": return .mode
        case "batch": return .batch
        case "fusion": return .fusion
        case "optimizer": return .optimizer
        case "technology": return .technology
        case "dataflow": return .dataflow
        default: return ArchitectureFile.fields.first { $0.keyPath == key }.map { .architecture($0.property) }
        }
    }

    static func range(for key: String) -> ClosedRange<Int>? {
        if key == "batch" { return Limits.batch }
        return ArchitectureFile.fields.first { $0.keyPath == key }?.range
    }

    /// A list, `{from, to, step}`, `{from, to, factor}` or a single scalar.
    static func readAxis(_ key: String, target: SweepSpec.Target, node: Node, map: Mapping, path: String) -> SweepSpec.Axis? {
        let document = map.document
        let numeric = range(for: key)
        func scalar(_ node: Node) -> SweepSpec.Value? {
            guard let text = node.scalar?.string, !text.isEmpty else {
                document.error("'\(path)' values must be scalars, got \(Mapping.describe(node))", at: node, keyPath: path)
                return nil
            }
            if let numeric {
                guard let value = Int(text.replacingOccurrences(of: "_", with: "")), numeric.contains(value) else {
                    document.error("'\(path)' values must be whole numbers from \(Limits.describe(numeric)), got '\(text)'",
                                   at: node, keyPath: path)
                    return nil
                }
                return .integer(value)
            }
            switch target {
            case .fusion:
                guard text == "true" || text == "false" else {
                    document.error("'\(path)' values must be true or false, got '\(text)'", at: node, keyPath: path)
                    return nil
                }
                return .flag(text == "true")
            case .mode:
                guard ExecutionMode(rawValue: text) != nil else {
                    document.error("'\(path)' values must be inference or training, got '\(text)'", at: node, keyPath: path)
                    return nil
                }
            case .dataflow:
                guard Dataflow(rawValue: text) != nil else {
                    document.error("'\(path)' values must be os, ws or is, got '\(text)'", at: node, keyPath: path)
                    return nil
                }
            case .optimizer:
                guard Optimizer(rawValue: text) != nil else {
                    document.error("'\(path)' values must be \(Optimizer.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'",
                                   at: node, keyPath: path)
                    return nil
                }
            case .network, .technology:
                let resolved = SweepFile.resolvePath(text, besides: document.file)
                let problem: DiagnosticError? = switch target {
                case .network: InputResolver.network(resolved).failureValue
                default: InputResolver.technology(resolved).failureValue
                }
                if let problem {
                    let first = problem.diagnostics.first
                    document.error(first?.message ?? "'\(text)' cannot be read", at: node, keyPath: path,
                                   notes: (first?.notes ?? []) + problem.diagnostics.dropFirst().prefix(2).map(\.description))
                    return nil
                }
            case .batch, .architecture:
                break
            }
            return .name(text)
        }
        var values: [SweepSpec.Value] = []
        if let list = node.sequence {
            if list.isEmpty { document.error("'\(path)' is an empty list: give at least one value", at: node, keyPath: path) }
            guard list.count <= SweepSpec.maximumAxisValues else {
                document.error("'\(path)' has more than \(SweepSpec.maximumAxisValues) values", at: node, keyPath: path)
                return nil
            }
            values = list.compactMap(scalar)
            if values.count != list.count { return nil }
        } else if let mapping = node.mapping {
            let range = Mapping(document: document, node: node, mapping: mapping, path: path)
            range.rejectUnknownKeys(allowed: ["from", "to", "step", "factor"], context: "the range '\(path)'")
            guard let numeric else {
                document.error("'\(path)' takes a list of values, not a range", at: node, keyPath: path)
                return nil
            }
            let from = range.integer("from", required: true, range: numeric)
            let to = range.integer("to", required: true, range: numeric)
            let hasStep = range.value("step") != nil, hasFactor = range.value("factor") != nil
            if hasStep == hasFactor {
                document.error("a range needs exactly one of 'step' or 'factor'", at: node, keyPath: path)
                return nil
            }
            guard let from, let to else { return nil }
            guard from <= to else {
                document.error("the range '\(path)' is empty: 'from' \(from) is above 'to' \(to)", at: node, keyPath: path)
                return nil
            }
            if hasStep {
                guard let step = range.integer("step", range: 1...Int.max) else { return nil }
                let count = (to - from) / step + 1
                guard count <= SweepSpec.maximumAxisValues else {
                    document.error("the range '\(path)' has \(count) values, more than \(SweepSpec.maximumAxisValues)", at: node, keyPath: path)
                    return nil
                }
                values = stride(from: from, through: to, by: step).map { .integer($0) }
            } else {
                guard let factor = range.integer("factor", range: 2...1024) else { return nil }
                var value = from
                while value <= to {
                    values.append(.integer(value))
                    let (next, overflow) = value.multipliedReportingOverflow(by: factor)
                    if overflow { break }
                    value = next
                }
            }
        } else if let single = scalar(node) {
            values = [single]
        } else {
            return nil
        }
        guard !values.isEmpty else { return nil }
        return SweepSpec.Axis(key: key, target: target, values: values)
    }

    static func readSampling(_ root: Mapping) -> SweepSampling {
        guard let map = root.mapping("sample", required: false, "method, points and seed") else { return .grid }
        map.rejectUnknownKeys(allowed: ["method", "points", "seed"], context: "'sample'")
        let method = map.string("method", required: true)
        let points = map.integer("points", required: true, range: 1...SweepSpec.maximumPoints) ?? 1
        let seed = UInt64(map.integer("seed", range: 0...Int.max) ?? 1)
        switch method {
        case "random": return .random(points: points, seed: seed)
        case "latin_hypercube": return .latinHypercube(points: points, seed: seed)
        case nil: return .grid
        case let other?:
            map.document.error("unknown sampling method '\(other)': random or latin_hypercube", at: map.value("method"),
                               keyPath: "sample.method")
            return .grid
        }
    }

    static func readConstraints(_ root: Mapping) -> [SweepSpec.Constraint] {
        guard let nodes = root.sequence("constraints", required: false, "conditions such as 'area_mm2 <= 25'") else { return [] }
        let metrics = SweepSpec.Metric.allCases.map(\.rawValue)
        return nodes.compactMap { node -> SweepSpec.Constraint? in
            let text = node.scalar?.string ?? ""
            let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard parts.count == 3, let metric = SweepSpec.Metric(rawValue: parts[0]),
                  let comparison = SweepSpec.Constraint.Comparison(rawValue: parts[1]),
                  let bound = Double(parts[2]), bound.isFinite else {
                root.document.error("a constraint must be 'METRIC OP NUMBER' with METRIC one of \(metrics.joined(separator: ", ")) "
                                    + "and OP one of <=, <, >=, >; got \(Mapping.describe(node))", at: node, keyPath: "constraints")
                return nil
            }
            return SweepSpec.Constraint(metric: metric, comparison: comparison, bound: bound)
        }
    }

    static func readObjectives(_ root: Mapping) -> [SweepSpec.Metric] {
        guard let nodes = root.sequence("objectives", required: false, "metrics to minimise") else {
            return [.cycles, .energyPicojoules]
        }
        let metrics = SweepSpec.Metric.allCases.map(\.rawValue)
        if nodes.isEmpty { root.document.error("'objectives' is empty", at: root.value("objectives"), keyPath: "objectives") }
        return nodes.compactMap { node in
            guard let text = node.scalar?.string, let metric = SweepSpec.Metric(rawValue: text) else {
                root.document.error("unknown objective \(Mapping.describe(node))\(Suggestion.didYouMean(node.scalar?.string ?? "", in: metrics))",
                                    at: node, keyPath: "objectives", notes: ["objectives: \(metrics.joined(separator: ", "))"])
                return nil
            }
            return metric
        }
    }
}

extension Result {
    /// The error, if any.
    var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
