import Dispatch
import Foundation
import SimDITCore
import SimDITFiles

/// Evaluates a sweep's points: each one's architecture (the base with the axes' values), program
/// (lowered once per network, mode and optimizer), simulation, energy, power and area.
struct SweepRunner: Sendable {
    let spec: SweepSpec
    /// The grid index of each point, in report order (the sampling's).
    let gridIndices: [Int]
    private let programs: [String: Program]
    private let technologies: [String: TechnologyLibrary]
    private let specText: String

    /// One evaluated point.
    struct Row: Sendable {
        /// The point's place in the sweep (its line in the unsharded output).
        var position: Int
        /// Its index in the grid.
        var index: Int
        /// The axes' values, in `spec.axes` order, the batch resolved.
        var values: [SweepSpec.Value]
        var valid: Bool
        var reason: String?
        /// By `SweepSpec.Metric.allCases`; empty when not valid.
        var metrics: [Double]
        /// The allocation optimizer's split, by `SweepSpec.allocatedFields`, when it ran.
        var allocation: [Int] = []

        func metric(_ metric: SweepSpec.Metric) -> Double? {
            guard valid, let slot = SweepSpec.Metric.allCases.firstIndex(of: metric), slot < metrics.count else { return nil }
            return metrics[slot]
        }
    }

    init(spec: SweepSpec) throws {
        self.spec = spec
        specText = (try? String(contentsOfFile: spec.file, encoding: .utf8)) ?? ""
        gridIndices = spec.sampling.indices(sizes: spec.axes.map(\.values.count))
        var programs: [String: Program] = [:]
        var technologies: [String: TechnologyLibrary] = [:]
        var problems: [Diagnostic] = []
        func resolvePath(_ name: String) -> String { SweepFile.resolvePath(name, besides: spec.file) }
        let values = { (target: SweepSpec.Target) in spec.axes.first { $0.target == target }?.values ?? [] }
        for technology in values(.technology) {
            switch InputResolver.technology(resolvePath(technology.description)) {
            case .success(let file): technologies[technology.description] = file.library
            case .failure(let error): problems += error.diagnostics
            }
        }
        for network in values(.network) {
            let loaded: Network
            switch InputResolver.network(resolvePath(network.description)) {
            case .success(let file): loaded = file.network
            case .failure(let error):
                problems += error.diagnostics
                continue
            }
            if values(.mode).contains(where: { $0.description == ExecutionMode.training.rawValue }) {
                let restore = "sweep the network file 'simdit networks show \(network) --restore-batch-norm' prints"
                Workload.trainingWarnings(loaded, restore: restore).forEach { warn("network '\(network)': \($0)") }
            }
            for mode in values(.mode) {
                for optimizer in values(.optimizer) {
                    let executionMode = ExecutionMode(rawValue: mode.description) ?? .inference
                    let rule = Optimizer(rawValue: optimizer.description) ?? .sgd
                    let program = executionMode == .training ? loaded.trainingProgram(optimizer: rule) : loaded.inferenceProgram()
                    switch program {
                    case .success(let lowered): programs[Self.programKey(network, mode, optimizer)] = lowered
                    case .failure(let error):
                        problems.append(Diagnostic("network '\(network)' does not lower: "
                                                   + (error.issues.first?.message ?? "graph error"), file: spec.file, keyPath: "network"))
                    }
                }
            }
        }
        guard problems.isEmpty else { throw fail(problems) }
        self.programs = programs
        self.technologies = technologies
    }

    static func programKey(_ network: SweepSpec.Value, _ mode: SweepSpec.Value, _ optimizer: SweepSpec.Value) -> String {
        "\(network)\u{1}\(mode)\u{1}\(optimizer)"
    }

    static func parseShard(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 1_000_000, i >= 0, i < n else { return nil }
        return (i, n)
    }

    static func parseObjectives(_ text: String) -> [SweepSpec.Metric]? {
        let names: [String: SweepSpec.Metric] = [
            "cycles": .cycles, "energy": .energyPicojoules, "energy_pj": .energyPicojoules, "power": .powerWatts,
            "power_w": .powerWatts, "area": .areaSquareMillimetres, "area_mm2": .areaSquareMillimetres,
            "runtime": .runtimeSeconds, "runtime_s": .runtimeSeconds, "edp": .energyDelayProduct, "edp_j_s": .energyDelayProduct,
        ]
        let metrics = text.split(separator: ",").map { names[String($0).trimmingCharacters(in: .whitespaces)] }
        guard !metrics.isEmpty, metrics.allSatisfy({ $0 != nil }) else { return nil }
        return metrics.compactMap { $0 }
    }

    /// The positions of shard `i` of `n`.
    func positions(shard: (Int, Int)) -> [Int] {
        Array(stride(from: shard.0, to: gridIndices.count, by: shard.1))
    }

    // MARK: Evaluation

    func evaluate(_ positions: [Int], threads: Int) -> [Row] {
        var rows = [Row?](repeating: nil, count: positions.count)
        let workers = max(1, min(threads, positions.count))
        rows.withUnsafeMutableBufferPointer { buffer in
            let slots = UnsafeMutableSendableBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var k = worker
                while k < positions.count {
                    slots.set(k, evaluate(position: positions[k]))
                    k += workers
                }
            }
        }
        let filled = rows.compactMap { $0 }
        precondition(filled.count == positions.count, "every worker fills its slots")
        return filled
    }

    func evaluate(position: Int) -> Row {
        let index = gridIndices[position]
        let choice = spec.valueIndices(of: index)
        var values = spec.axes.indices.map { spec.axes[$0].values[choice[$0]] }
        var architecture = spec.base.architecture
        var network = SweepSpec.Value.name("resnet50"), mode = SweepSpec.Value.name("inference")
        var optimizer = SweepSpec.Value.name("sgd"), technology = SweepSpec.Value.name("generic-45nm")
        var batch = 0, fusion = false, dataflow = Dataflow.weightStationary
        for (axis, value) in zip(spec.axes, values) {
            switch axis.target {
            case .architecture(let path): if case .integer(let v) = value { architecture[keyPath: path] = v }
            case .network: network = value
            case .mode: mode = value
            case .batch: if case .integer(let v) = value { batch = v }
            case .fusion: if case .flag(let v) = value { fusion = v }
            case .optimizer: optimizer = value
            case .technology: technology = value
            case .dataflow: dataflow = Dataflow(rawValue: value.description) ?? .weightStationary
            }
        }
        let executionMode = ExecutionMode(rawValue: mode.description) ?? .inference
        if batch == 0 {
            batch = executionMode == .training ? 32 : 1
            if let slot = spec.axes.firstIndex(where: { $0.target == .batch }) { values[slot] = .integer(batch) }
        }
        func invalid(_ reason: String) -> Row {
            Row(position: position, index: index, values: values, valid: false, reason: reason, metrics: [])
        }
        guard let program = programs[Self.programKey(network, mode, optimizer)],
              let library = technologies[technology.description] else { return invalid("no program or library") }
        let options = SimulationOptions(mode: executionMode, batch: batch, fusion: fusion,
                                        optimizer: Optimizer(rawValue: optimizer.description) ?? .sgd, dataflow: dataflow)
        var allocation: [Int] = []
        if let objective = spec.allocation {
            // The point's budgets split among the buffers as `simdit optimize` would (default granules).
            let sram = ResourceSpace.sramBits(architecture), bandwidth = ResourceSpace.bandwidthBits(architecture)
            let space: ResourceSpace
            do {
                space = try ResourceSpace(base: architecture, sramBudgetBits: sram,
                                          sramGranuleBits: Optimize.defaultGranule(sram, unit: 8192, parts: 64),
                                          bandwidthBudget: bandwidth,
                                          portGranuleBits: Optimize.defaultGranule(bandwidth, unit: 8, parts: 32),
                                          minimumBits: ResourceSpace.minimumBits(for: program, on: architecture), axiPorts: false)
            } catch {
                return invalid("allocation: " + (error.problems.first.map { "\($0)" } ?? "no space"))
            }
            guard let found = AllocationSearch.run(space: space, program: program, options: options, objective: objective,
                                                   library: objective == .cycles ? nil : library) else {
                return invalid("allocation: no valid split simulates")
            }
            architecture = space.architecture(found.best)
            allocation = SweepSpec.allocatedFields.compactMap { key in
                ArchitectureFile.fields.first { $0.keyPath == key }.map { architecture[keyPath: $0.property] }
            }
        }
        let result: NetworkResult
        do {
            result = try Simulator.run(program, on: architecture, options: options)
        } catch {
            return invalid(error.issues.first?.description ?? "does not simulate")
        }
        let energyModel: EnergyModel
        do {
            energyModel = try EnergyModel(architecture: architecture, library: library, mode: executionMode)
        } catch {
            return invalid(error.description)
        }
        let energy = energyModel.energy(of: result.total).total
        let runtime = result.total.cycles / library.clockHz
        let power = runtime > 0 ? energy * 1e-12 / runtime : 0
        let area = AreaModel(architecture: architecture, library: library, mode: executionMode).areaSquareMicrometres.total / 1e6
        let metrics = SweepSpec.Metric.allCases.map { metric -> Double in
            switch metric {
            case .cycles: result.total.cycles
            case .energyPicojoules: energy
            case .powerWatts: power
            case .areaSquareMillimetres: area
            case .runtimeSeconds: runtime
            case .energyDelayProduct: energy * 1e-12 * runtime
            }
        }
        return Row(position: position, index: index, values: values, valid: true, reason: nil, metrics: metrics,
                   allocation: allocation)
    }

    // MARK: Output

    func feasible(_ row: Row) -> Bool {
        row.valid && spec.constraints.allSatisfy { constraint in row.metric(constraint.metric).map(constraint.holds) ?? false }
    }

    /// The Pareto flags of rows: on the front of the objectives among the feasible ones.
    func paretoFlags(_ rows: [Row]) -> [Bool] {
        let candidates = rows.indices.filter { feasible(rows[$0]) }
        let front = Pareto.front(candidates.map { i in spec.objectives.map { rows[i].metric($0) ?? .infinity } })
        var flags = [Bool](repeating: false, count: rows.count)
        for (k, i) in candidates.enumerated() { flags[i] = front[k] }
        return flags
    }

    func json(_ value: SweepSpec.Value) -> JSONValue {
        switch value {
        case .integer(let v): .integer(v)
        case .name(let v): .string(v)
        case .flag(let v): .bool(v)
        }
    }

    func object(_ row: Row, feasible: Bool?, pareto: Bool?) -> JSONValue {
        var members: [(String, JSONValue)] = [("point", .integer(row.position)), ("index", .integer(row.index))]
        for (axis, value) in zip(spec.axes, row.values) { members.append((axis.key, json(value))) }
        members.append(("valid", .bool(row.valid)))
        if let reason = row.reason { members.append(("reason", .string(reason))) }
        for metric in SweepSpec.Metric.allCases {
            members.append((metric.rawValue, row.metric(metric).map(JSONValue.number) ?? .null))
        }
        if spec.allocation != nil {
            for (slot, key) in SweepSpec.allocatedFields.enumerated() {
                members.append(("allocated." + key, slot < row.allocation.count ? .integer(row.allocation[slot]) : .null))
            }
        }
        if let feasible { members.append(("feasible", .bool(feasible))) }
        if let pareto { members.append(("pareto", .bool(pareto))) }
        return .object(members)
    }

    /// How a metric is scaled for people, and its value in that quantity's base unit.
    static func quantity(_ metric: SweepSpec.Metric) -> (Format.Quantity, Double, String) {
        switch metric {
        case .cycles: (.count("cycles"), 1, "cycles")
        case .energyPicojoules: (.joules, 1e-12, "energy (J)")
        case .powerWatts: (.watts, 1, "power (W)")
        case .areaSquareMillimetres: (.count("mm²"), 1, "area (mm²)")
        case .runtimeSeconds: (.seconds, 1, "runtime (s)")
        case .energyDelayProduct: (.count("J·s"), 1, "energy-delay product (J·s)")
        }
    }

    /// One self-contained page: the counts, a Pareto scatter of the first two objectives with the
    /// front highlighted, and the front's points.
    func html(_ rows: [Row], flags: [Bool]) -> String {
        let valid = rows.filter(\.valid).count, meeting = rows.filter { self.feasible($0) }.count, front = flags.filter { $0 }.count
        var body = "<h1>Sweep of \(HTMLCharts.escape(URL(fileURLWithPath: spec.file).lastPathComponent))</h1>\n"
        body += "<p class=\"subtitle\">base \(HTMLCharts.escape(spec.base.architecture.name)); axes "
            + spec.axes.filter { $0.values.count > 1 }.map { "\(HTMLCharts.escape($0.key)) (\($0.values.count))" }.joined(separator: ", ")
            + "; objectives \(spec.objectives.map(\.rawValue).joined(separator: ", "))</p>\n"
        body += "<table class=\"summary\"><tr><td>points</td><td>\(rows.count)</td></tr><tr><td>valid</td><td>\(valid)</td></tr>"
            + "<tr><td>meeting the constraints</td><td>\(meeting)</td></tr><tr><td>on the Pareto front</td><td>\(front)</td></tr></table>\n"
        let x = spec.objectives.first ?? .cycles
        let y = spec.objectives.count > 1 ? spec.objectives[1] : (x == .energyPicojoules ? .cycles : .energyPicojoules)
        let (xUnit, xScale, xTitle) = Self.quantity(x), (yUnit, yScale, yTitle) = Self.quantity(y)
        let points = zip(rows, flags).compactMap { row, flag -> (String, Double, Double, Bool)? in
            guard let vx = row.metric(x), let vy = row.metric(y) else { return nil }
            let values = zip(spec.axes, row.values).filter { $0.0.values.count > 1 }.map { "\($0.0.key) \($0.1)" }
            return ("point \(row.position): " + values.joined(separator: ", ") + "; \(HTMLCharts.number(vx * xScale, xUnit)), "
                    + HTMLCharts.number(vy * yScale, yUnit), vx * xScale, vy * yScale, flag)
        }
        body += HTMLCharts.section("Pareto front", "Every valid point (grey) and the front of the objectives (red), \(xTitle) "
                                   + "against \(yTitle).",
                                   HTMLCharts.scatter(points.map { ($0.0, $0.1, $0.2, $0.3) }, xTitle: xTitle, yTitle: yTitle,
                                                      xUnit: xUnit, yUnit: yUnit, id: "pareto"))
        let varying = spec.axes.filter { $0.values.count > 1 }
        var table = "<table class=\"data\"><tr><th>point</th>" + varying.map { "<th>\(HTMLCharts.escape($0.key))</th>" }.joined()
            + spec.objectives.map { "<th>\(Self.quantity($0).2)</th>" }.joined() + "</tr>\n"
        for (row, flag) in zip(rows, flags) where flag {
            let values = zip(spec.axes, row.values).filter { $0.0.values.count > 1 }.map { "<td>\(HTMLCharts.escape($0.1.description))</td>" }
            let metrics = spec.objectives.map { metric -> String in
                let (unit, scale, _) = Self.quantity(metric)
                return "<td>\(row.metric(metric).map { HTMLCharts.number($0 * scale, unit) } ?? "")</td>"
            }
            table += "<tr class=\"front-row\"><td>\(row.position)</td>" + values.joined() + metrics.joined() + "</tr>\n"
        }
        body += HTMLCharts.section("The front's points", "\(front) points, in sweep order.", table + "</table>\n")
        return HTMLCharts.page(title: "simdit sweep", body: body)
    }

    func render(_ rows: [Row], format: Sweep.Format, paretoOnly: Bool) -> String {
        let flags = paretoFlags(rows)
        var out = ""
        switch format {
        case .html:
            return html(rows, flags: flags)
        case .jsonl:
            for (row, flag) in zip(rows, flags) where !paretoOnly || flag {
                out += object(row, feasible: feasible(row), pareto: flag).compactText() + "\n"
            }
        case .csv:
            let allocated = spec.allocation == nil ? [] : SweepSpec.allocatedFields.map { "allocated." + $0 }
            let header = ["point", "index"] + spec.axes.map(\.key) + ["valid", "reason"]
                + SweepSpec.Metric.allCases.map(\.rawValue) + allocated + ["feasible", "pareto"]
            out += header.joined(separator: ",") + "\n"
            for (row, flag) in zip(rows, flags) where !paretoOnly || flag {
                var cells = [String(row.position), String(row.index)] + row.values.map { SimulationReport.csvField($0.description) }
                cells += [String(row.valid), SimulationReport.csvField(row.reason ?? "")]
                cells += SweepSpec.Metric.allCases.map { row.metric($0).map(JSONValue.format) ?? "" }
                if spec.allocation != nil {
                    cells += SweepSpec.allocatedFields.indices.map { $0 < row.allocation.count ? String(row.allocation[$0]) : "" }
                }
                cells += [String(feasible(row)), String(flag)]
                out += cells.joined(separator: ",") + "\n"
            }
        }
        return out
    }

    // MARK: Journal and shard outputs

    /// The journal's first line: what it belongs to, so a resume never mixes sweeps.
    func journalHeader(shard: (Int, Int), points: Int) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in specText.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return JSONValue.object([("simdit_sweep_journal", .integer(1)), ("spec", .string(String(hash, radix: 16))),
                                 ("shard", .string("\(shard.0)/\(shard.1)")), ("points", .integer(points))]).compactText()
    }

    /// Reads the rows a journal holds into their slots; a partial last line (an interrupted write)
    /// is ignored, and the journal is cut back to its whole lines.
    func readJournal(_ path: String, header: String, positions: [Int], into rows: inout [Row?]) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail([Diagnostic("cannot read the journal", file: path)])
        }
        // The last piece is empty after a final newline, or a partial line an interrupted write left.
        let lines = Array(data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast())
        guard let first = lines.first, String(decoding: first, as: UTF8.self) == header else {
            throw fail([Diagnostic("the journal belongs to another sweep file, shard or sampling: remove it or run without --resume",
                                   file: path, line: 1, column: 1)])
        }
        let slotOfPosition = Dictionary(uniqueKeysWithValues: positions.enumerated().map { ($1, $0) })
        var kept = first.count + 1
        for (number, line) in lines.enumerated().dropFirst() {
            guard let row = parseRow(Data(line)), let slot = slotOfPosition[row.position] else {
                throw fail([Diagnostic("line \(number + 1) of the journal is not a point of this sweep", file: path,
                                       line: number + 1, column: 1)])
            }
            rows[slot] = row
            kept += line.count + 1
        }
        if kept < data.count, let handle = FileHandle(forWritingAtPath: path) {
            try handle.truncate(atOffset: UInt64(kept))
            try handle.close()
        }
    }

    /// The rows of a shard's JSON Lines output.
    func readOutput(_ path: String) throws -> [Row] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail([Diagnostic("cannot read the shard output: no such file", file: path)])
        }
        var rows: [Row] = []
        for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            guard let row = parseRow(Data(line)), row.position < gridIndices.count, gridIndices[row.position] == row.index else {
                throw fail([Diagnostic("line \(number + 1) is not a point of this sweep (wrong file, or another sweep's output)",
                                       file: path, line: number + 1, column: 1)])
            }
            rows.append(row)
        }
        return rows
    }

    func parseRow(_ line: Data) -> Row? {
        guard let object = FlatJSON.parse(line), let position = object["point"]?.int, let index = object["index"]?.int,
              let valid = object["valid"]?.bool else { return nil }
        var values: [SweepSpec.Value] = []
        for axis in spec.axes {
            switch axis.target {
            case .fusion:
                guard let flag = object[axis.key]?.bool else { return nil }
                values.append(.flag(flag))
            case .architecture, .batch:
                guard let number = object[axis.key]?.int else { return nil }
                values.append(.integer(number))
            case .network, .mode, .optimizer, .technology, .dataflow:
                guard let text = object[axis.key]?.string else { return nil }
                values.append(.name(text))
            }
        }
        let metrics = valid ? SweepSpec.Metric.allCases.compactMap { object[$0.rawValue]?.double } : []
        guard !valid || metrics.count == SweepSpec.Metric.allCases.count else { return nil }
        let allocation = spec.allocation == nil || !valid ? [] : SweepSpec.allocatedFields.compactMap { object["allocated." + $0]?.int }
        guard spec.allocation == nil || !valid || allocation.count == SweepSpec.allocatedFields.count else { return nil }
        return Row(position: position, index: index, values: values, valid: valid, reason: object["reason"]?.string,
                   metrics: metrics, allocation: allocation)
    }

    /// A row as a journal line: what the output has, without feasibility and the front.
    func journalLine(_ row: Row) -> String { object(row, feasible: nil, pareto: nil).compactText() }
}

/// Slots that concurrent workers fill at distinct indices.
struct UnsafeMutableSendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
    func set(_ index: Int, _ value: Element) { buffer[index] = value }
}

/// A flat JSON object (scalar values only), parsed so that numbers read back exactly: the
/// sweep's rows, written by `JSONValue` with the shortest round-tripping digits.
enum FlatJSON {
    enum Value {
        case number(String), string(String), bool(Bool), null

        var int: Int? { if case .number(let text) = self { Int(text) } else { nil } }
        var double: Double? { if case .number(let text) = self { Double(text) } else { nil } }
        var string: String? { if case .string(let text) = self { text } else { nil } }
        var bool: Bool? { if case .bool(let flag) = self { flag } else { nil } }
    }

    static func parse(_ line: Data) -> [String: Value]? {
        let bytes = [UInt8](line)
        var i = 0
        func skipSpace() { while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0d { i += 1 } }
        func string() -> String? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") {
                    scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                    raw.removeAll()
                    i += 1
                    guard i < bytes.count else { return nil }
                    switch bytes[i] {
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        guard i + 4 < bytes.count, let code = UInt32(String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self), radix: 16),
                              let scalar = Unicode.Scalar(code) else { return nil }
                        scalars.append(scalar)
                        i += 4
                    default: scalars.append(Unicode.Scalar(bytes[i]))
                    }
                } else {
                    raw.append(bytes[i])
                }
                i += 1
            }
            guard i < bytes.count else { return nil }
            i += 1
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            return String(scalars)
        }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        var object: [String: Value] = [:]
        while true {
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; break }
            guard let key = string() else { return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "\""):
                guard let text = string() else { return nil }
                object[key] = .string(text)
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let start = i
                while i < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[i]) { i += 1 }
                switch String(decoding: bytes[start..<i], as: UTF8.self) {
                case "true": object[key] = .bool(true)
                case "false": object[key] = .bool(false)
                case "null": object[key] = .null
                default: return nil
                }
            default:
                let start = i
                while i < bytes.count, bytes[i] != UInt8(ascii: ","), bytes[i] != UInt8(ascii: "}") { i += 1 }
                let text = String(decoding: bytes[start..<i], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                guard Double(text) != nil else { return nil }
                object[key] = .number(text)
            }
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; break }
            return nil
        }
        skipSpace()
        return i == bytes.count ? object : nil
    }
}
