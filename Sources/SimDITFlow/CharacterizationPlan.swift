import SimDITFiles

/// `Flow/plan.yaml`: which modules the flow synthesizes, which tile of the array it times, and
/// which stimulus runs give each module's power.
public struct CharacterizationPlan: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case pe
        case array
        case simdLane = "simd_lane"
    }

    public enum TimingPaths: String, Sendable, Hashable, CaseIterable {
        case all
        case registerToRegister = "register_to_register"
    }

    /// How an array module is built: a flat tile of at most `array_tile` PEs, or the whole N×M
    /// array around the PE's netlist (synthesized once), timed hierarchically.
    public enum ArraySize: String, Sendable, Hashable, CaseIterable {
        case tile
        case full
    }

    public struct Module: Sendable, Hashable {
        public var name: String
        public var kind: Kind
        public var top: String
        /// Files in `Templates/`.
        public var sources: [String]
        public var timing: TimingPaths
        /// For the array: a tile, or the full array.
        public var size: ArraySize = .tile
        /// A testbench under `Flow/`, and its top module.
        public var stimulus: String?
        public var stimulusTop: String?
        /// Run name → the testbench's MODE parameter, in file order.
        public var runs: [(name: String, mode: Int)]

        public static func == (lhs: Module, rhs: Module) -> Bool {
            lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.top == rhs.top && lhs.sources == rhs.sources
                && lhs.timing == rhs.timing && lhs.size == rhs.size && lhs.stimulus == rhs.stimulus && lhs.stimulusTop == rhs.stimulusTop
                && lhs.runs.map(\.name) == rhs.runs.map(\.name) && lhs.runs.map(\.mode) == rhs.runs.map(\.mode)
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    }

    public var cycles: Int
    public var warmupCycles: Int
    public var seed: Int
    public var maximumTileRows: Int
    public var maximumTileColumns: Int
    public var modules: [Module]

    /// The runs each kind must have for calibration.
    public static func requiredRuns(_ kind: Kind) -> [String] {
        switch kind {
        case .pe: ["idle", "mac"]
        case .array: []
        case .simdLane: ["idle", "add", "multiply", "max"]
        }
    }

    public func module(_ kind: Kind) -> Module? { modules.first { $0.kind == kind } }

    /// Reads and checks a plan: every key known, one module of each kind, the runs calibration needs,
    /// bounded cycle counts.
    public static func read(_ document: YAMLDocument) -> Result<CharacterizationPlan, DiagnosticError> {
        guard let root = document.rootMapping(expecting: "a characterization plan") else {
            return .failure(DiagnosticError(document.diagnostics))
        }
        root.rejectUnknownKeys(allowed: ["version", "stimulus", "array_tile", "modules"], context: "the characterization plan")
        document.checkVersion(root)
        var plan = CharacterizationPlan(cycles: 2000, warmupCycles: 16, seed: 1, maximumTileRows: 4, maximumTileColumns: 4,
                                        modules: [])
        if let stimulus = root.mapping("stimulus", "cycles, warmup_cycles and seed") {
            stimulus.rejectUnknownKeys(allowed: ["cycles", "warmup_cycles", "seed"], context: "'stimulus'")
            plan.cycles = bounded(stimulus, "cycles", 1...100_000) ?? plan.cycles
            plan.warmupCycles = bounded(stimulus, "warmup_cycles", 0...100_000) ?? plan.warmupCycles
            plan.seed = bounded(stimulus, "seed", 0...Int(Int32.max)) ?? plan.seed
        }
        if let tile = root.mapping("array_tile", "max_rows and max_columns") {
            tile.rejectUnknownKeys(allowed: ["max_rows", "max_columns"], context: "'array_tile'")
            plan.maximumTileRows = bounded(tile, "max_rows", 1...256) ?? plan.maximumTileRows
            plan.maximumTileColumns = bounded(tile, "max_columns", 1...256) ?? plan.maximumTileColumns
        }
        for map in root.mappings("modules", item: "module", "the modules to characterize") ?? [] {
            map.rejectUnknownKeys(allowed: ["name", "kind", "top", "sources", "timing", "size", "stimulus", "stimulus_top", "runs"],
                                  context: "a module")
            let name = map.string("name", required: true) ?? "module"
            let kindText = map.string("kind", required: true) ?? ""
            let kind = Kind(rawValue: kindText)
            if kind == nil && !kindText.isEmpty {
                document.error("unknown module kind '\(kindText)'; expected \(Kind.allCases.map(\.rawValue).joined(separator: ", "))",
                               at: map.value("kind"), keyPath: map.path + ".kind")
            }
            let timingText = map.string("timing") ?? "all"
            let timing = TimingPaths(rawValue: timingText)
            if timing == nil {
                document.error("unknown timing '\(timingText)'; expected all or register_to_register", at: map.value("timing"),
                               keyPath: map.path + ".timing")
            }
            var sources: [String] = []
            for node in map.sequence("sources", "Verilog files in Templates/") ?? [] {
                guard let file = node.scalar?.string, !file.isEmpty, !file.contains("/") else {
                    document.error("each source must be a file name in Templates/", at: node, keyPath: map.path + ".sources")
                    continue
                }
                sources.append(file)
            }
            var runs: [(name: String, mode: Int)] = []
            if let runMap = map.mapping("runs", required: false, "run name → the testbench's MODE") {
                for key in runMap.keys {
                    guard let mode = runMap.integer(key) else { continue }
                    if (-8...8).contains(mode) {
                        runs.append((key, mode))
                    } else {
                        document.error("'\(key)' must be a MODE from -8 to 8, got \(mode)", at: runMap.value(key),
                                       keyPath: runMap.path + "." + key)
                    }
                }
            }
            let sizeText = map.string("size") ?? "tile"
            let size = ArraySize(rawValue: sizeText)
            if size == nil || (size == .full && kind != .array) {
                document.error("'size' is tile or full, for an array module; got '\(sizeText)'", at: map.value("size"),
                               keyPath: map.path + ".size")
            }
            let module = Module(name: name, kind: kind ?? .pe, top: map.string("top", required: true) ?? name, sources: sources,
                                timing: timing ?? .all, size: size ?? .tile, stimulus: map.string("stimulus"),
                                stimulusTop: map.string("stimulus_top"), runs: runs)
            if let kind {
                let missing = requiredRuns(kind).filter { run in !runs.contains { $0.name == run } }
                if !missing.isEmpty {
                    document.error("module '\(name)' (\(kind.rawValue)) needs the runs \(missing.joined(separator: ", "))",
                                   at: map.node, keyPath: map.path + ".runs")
                }
                if !runs.isEmpty && (module.stimulus == nil || module.stimulusTop == nil) {
                    document.error("module '\(name)' has runs but no stimulus and stimulus_top", at: map.node, keyPath: map.path)
                }
                if plan.modules.contains(where: { $0.kind == kind }) {
                    document.error("a second \(kind.rawValue) module '\(name)'; the plan has one of each kind", at: map.node,
                                   keyPath: map.path)
                }
            }
            plan.modules.append(module)
        }
        for kind in Kind.allCases where !plan.modules.contains(where: { $0.kind == kind }) {
            document.error("the plan has no \(kind.rawValue) module", at: root.node, keyPath: "modules")
        }
        if document.hasErrors { return .failure(DiagnosticError(document.diagnostics)) }
        return .success(plan)
    }

    private static func bounded(_ map: Mapping, _ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard let value = map.integer(key, required: true) else { return nil }
        guard range.contains(value) else {
            map.document.error("'\(key)' must be from \(range.lowerBound) to \(range.upperBound), got \(value)", at: map.value(key),
                               keyPath: map.path + "." + key)
            return nil
        }
        return value
    }
}
