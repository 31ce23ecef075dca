import ArgumentParser
import Dispatch
import Foundation
import SimDITCore
import SimDITFiles

/// `simdit sweep`: evaluates every point of a design space (cycles, energy, power, area), marks the
/// Pareto front, writes JSON Lines or CSV; resumable and shardable.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Evaluate a design space from a sweep file and mark its Pareto front.",
        discussion: """
            SPEC names a base architecture and axes (architecture key paths such as \\
            systolic_array.rows or buffers.ibuf_capacity_bits, and network, mode, batch, fusion, \\
            optimizer, technology), each a list or a range {from, to, step} / {from, to, factor}, \\
            optionally a sample of the grid, constraints and objectives (README, "Design-space \\
            sweeps"). Every point gets cycles, energy_pj, power_w, area_mm2, runtime_s and edp_j_s, \\
            or valid: false and the reason; pareto is true on the front of the objectives among the \\
            valid points that meet the constraints. Points are evaluated on all cores; the output is \\
            the same whatever the thread count. With --output, finished points are appended to \\
            OUTPUT.journal as they complete, so --resume continues an interrupted sweep and repeats \\
            nothing; a finished sweep resumed does no work. --shard i/n evaluates every n-th point \\
            from the i-th; 'simdit sweep merge' joins the shards.
            """,
        subcommands: [Run.self, Merge.self],
        defaultSubcommand: Run.self
    )

    enum Format: String, CaseIterable, ExpressibleByArgument {
        case jsonl, csv
        /// One self-contained page with the Pareto scatter and the front's points.
        case html
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Evaluate a sweep file (the default).")

        @Argument(help: "The sweep file (YAML, schema version 1).")
        var spec: String

        @Option(name: .long, help: "Output format: jsonl (one JSON object per point), csv, or html (a page with the Pareto scatter).")
        var format: Format = .jsonl

        @Option(name: .long, help: "Write here (whole or not at all) instead of standard output; also keeps OUTPUT.journal for --resume.")
        var output: String?

        @Flag(name: .long, help: "Continue from OUTPUT.journal: evaluate only the points it lacks.")
        var resume = false

        @Option(name: .long, help: "Evaluate shard i of n (0 ≤ i < n): the points at positions i, i + n, i + 2n, …")
        var shard: String?

        @Option(name: .long, help: "Objectives of the Pareto front, comma-separated (cycles, energy, power, area, runtime, edp); default: the file's.")
        var pareto: String?

        @Flag(name: .long, help: "Write only the points on the Pareto front.")
        var paretoOnly = false

        @Option(name: .long, parsing: .unconditional, help: "Worker threads, 1 to 256. (default: the number of cores)")
        var jobs: Int?

        @Option(name: .long, parsing: .unconditional,
                help: "Refuse a sweep of more points than this, 1 to 100,000,000 (a guard for shared machines). (default: 100,000,000)")
        var maxPoints: Int = SweepSpec.maximumPoints

        func validate() throws {
            try checkRange("--jobs", jobs, 1...256)
            try checkRange("--max-points", maxPoints, 1...SweepSpec.maximumPoints)
            if resume && (output == nil || output == "-" || output == "/dev/stdout") {
                throw ValidationError("--resume needs --output FILE (the journal is FILE.journal)")
            }
            if let shard, SweepRunner.parseShard(shard) == nil {
                throw ValidationError("--shard must be i/n with 0 ≤ i < n ≤ 1,000,000, got '\(shard)'")
            }
            if let pareto, SweepRunner.parseObjectives(pareto) == nil {
                throw ValidationError("--pareto must list objectives from cycles, energy, power, area, runtime, edp, got '\(pareto)'")
            }
        }

        func run() throws {
            var spec = try resolved(SweepFile.read(YAMLDocument.load(path: self.spec)))
            if let pareto, let objectives = SweepRunner.parseObjectives(pareto) { spec.objectives = objectives }
            let points = spec.pointCount
            guard points <= maxPoints else {
                throw fail([Diagnostic("the sweep has \(points) points, more than --max-points \(maxPoints): "
                                       + "sample it or narrow the axes, or raise --max-points", file: spec.file,
                                       line: spec.sizePosition.line, column: spec.sizePosition.column)])
            }
            let runner = try SweepRunner(spec: spec)
            let shard = shard.flatMap(SweepRunner.parseShard) ?? (0, 1)
            let positions = runner.positions(shard: shard)
            // Standard output keeps no journal (there is no file to resume into).
            let toFile = output.map { $0 != "-" && $0 != "/dev/stdout" } ?? false
            let journal = toFile ? output.map { $0 + ".journal" } : nil
            var rows = [SweepRunner.Row?](repeating: nil, count: positions.count)
            let header = runner.journalHeader(shard: shard, points: positions.count)
            if let journal {
                if resume, FileManager.default.fileExists(atPath: journal) {
                    try runner.readJournal(journal, header: header, positions: positions, into: &rows)
                } else {
                    if let problem = OutputFile.write(header + "\n", to: journal) { throw fail([problem]) }
                }
            }
            let missing = rows.indices.filter { rows[$0] == nil }
            let progress = SweepProgress(total: positions.count, done: positions.count - missing.count)
            let threads = jobs ?? ProcessInfo.processInfo.activeProcessorCount
            let handle = journal.flatMap { FileHandle(forWritingAtPath: $0) }
            defer { try? handle?.close() }
            _ = try handle?.seekToEnd()
            // Chunks of points: evaluated in parallel, appended to the journal in order, whole lines at once.
            let chunk = 4096
            var start = 0
            while start < missing.count {
                let slice = Array(missing[start..<min(start + chunk, missing.count)])
                let evaluated = runner.evaluate(slice.map { positions[$0] }, threads: threads)
                var text = ""
                for (offset, row) in evaluated.enumerated() {
                    rows[slice[offset]] = row
                    if handle != nil { text += runner.journalLine(row) + "\n" }
                }
                if let handle { try handle.write(contentsOf: Data(text.utf8)) }
                progress.advance(slice.count)
                start += chunk
            }
            progress.finish()
            let complete = rows.compactMap { $0 }
            let text = runner.render(complete, format: format, paretoOnly: paretoOnly)
            if let output {
                if let problem = OutputFile.write(text, to: output) { throw fail([problem]) }
            } else {
                print(text, terminator: "")
            }
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join the outputs of a sweep's shards (JSON Lines) and mark the Pareto front across them.")

        @Option(name: .long, help: "The sweep file the shards ran (for the axes, constraints and objectives).")
        var spec: String

        @Argument(help: "The shards' JSON Lines outputs.")
        var shards: [String]

        @Option(name: .long, help: "Output format: jsonl or csv.")
        var format: Format = .jsonl

        @Option(name: .long, help: "Write here (whole or not at all) instead of standard output.")
        var output: String?

        @Option(name: .long, help: "Objectives of the Pareto front, comma-separated; default: the file's.")
        var pareto: String?

        @Flag(name: .long, help: "Write only the points on the Pareto front.")
        var paretoOnly = false

        func run() throws {
            var spec = try resolved(SweepFile.read(YAMLDocument.load(path: self.spec)))
            if let pareto, let objectives = SweepRunner.parseObjectives(pareto) { spec.objectives = objectives }
            let runner = try SweepRunner(spec: spec)
            var rows: [SweepRunner.Row] = []
            var seen = Set<Int>()
            for shard in shards {
                let parsed = try runner.readOutput(shard)
                for row in parsed where seen.insert(row.position).inserted { rows.append(row) }
            }
            rows.sort { $0.position < $1.position }
            let text = runner.render(rows, format: format, paretoOnly: paretoOnly)
            if let output {
                if let problem = OutputFile.write(text, to: output) { throw fail([problem]) }
            } else {
                print(text, terminator: "")
            }
        }
    }
}

/// Progress on standard error when it is a terminal: points done, rate, time left.
final class SweepProgress: @unchecked Sendable {
    let total: Int
    private var done: Int
    private let started = ContinuousClock.now
    private let startDone: Int
    private let enabled = isatty(2) == 1
    private var lastPrint = ContinuousClock.now

    init(total: Int, done: Int) {
        self.total = total
        self.done = done
        startDone = done
    }

    func advance(_ count: Int) {
        done += count
        guard enabled, ContinuousClock.now - lastPrint > .milliseconds(200) else { return }
        lastPrint = .now
        let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18
            + Double((ContinuousClock.now - started).components.seconds)
        let rate = seconds > 0 ? Double(done - startDone) / seconds : 0
        let left = rate > 0 ? Double(total - done) / rate : 0
        let width = 30, filled = total > 0 ? width * done / total : width
        var standardError = FileHandle.standardError
        print("\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] "
              + "\(done)/\(total) points, \(Int(rate)) points/s, \(Int(left)) s left ", terminator: "", to: &standardError)
    }

    func finish() {
        guard enabled else { return }
        var standardError = FileHandle.standardError
        print("\r\(String(repeating: " ", count: 90))\r", terminator: "", to: &standardError)
    }
}
