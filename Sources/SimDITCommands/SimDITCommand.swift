import ArgumentParser
import Foundation
import SimDITCore
import SimDITFiles

/// `simdit`: performance analysis of CNN inference on GeneSys systolic-array accelerators.
public struct SimDITCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "simdit",
        abstract: "Performance analysis of CNN inference and training on GeneSys systolic-array + SIMD accelerators.",
        discussion: """
            Cycles (compute and stall, systolic array and SIMD), DRAM traffic by data kind, SRAM \
            accesses by buffer and op counts, per layer, per op category and in total, for inference \
            or one training iteration, from the published SimDIT performance model (variant 'simdit').
            """,
        version: "0.1.0",
        subcommands: [Simulate.self, Optimize.self, Area.self, Calibrate.self, RTL.self, Flow.self, Activity.self, SRAM.self, ImportReport.self, PresetsCommand.self, NetworksCommand.self, Sweep.self, ScaleSimCommand.self, Bench.self]
    )

    public init() {}
}

/// Prints diagnostics to standard error and fails with exit code 1.
func fail(_ diagnostics: [Diagnostic]) -> ExitCode {
    var standardError = FileHandle.standardError
    for diagnostic in diagnostics { print(diagnostic, to: &standardError) }
    return ExitCode(1)
}

/// A directory for a command's output files: created when missing; a diagnostic when the path is
/// something else than a directory.
func outputDirectory(_ path: String) throws -> URL {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        guard isDirectory.boolValue else {
            throw fail([Diagnostic("--output \(path) exists and is not a directory; give a directory (it is created when missing)",
                                   file: "<command line>", keyPath: "--output")])
        }
    } else {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw fail([Diagnostic("cannot create the output directory \(path): \(error.localizedDescription)",
                                   file: "<command line>", keyPath: "--output")])
        }
    }
    return URL(fileURLWithPath: path)
}

/// Prints a warning to standard error.
func warn(_ message: String, severity: String = "warning") {
    var standardError = FileHandle.standardError
    print("\(severity): \(message)", to: &standardError)
}

/// Warns when a technology library mixes process nodes (its figures tagged with another `node_nm`).
func warnIfMixedNodes(_ technology: TechnologyFile) {
    if let warning = technology.mixedNodeWarning { warn(warning) }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) { write(Data(string.utf8)) }
}

extension ExecutionMode: ExpressibleByArgument {}
extension ModelVariant: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}
extension Optimizer: ExpressibleByArgument {}
extension AllocationObjective: ExpressibleByArgument {}

/// Checks a whole-number option against its documented range (`Limits`), saying the range.
func checkRange(_ option: String, _ value: Int?, _ range: ClosedRange<Int>, unit: String = "") throws {
    guard let value, !range.contains(value) else { return }
    throw ValidationError("\(option) must be a whole number from \(Limits.describe(range))\(unit.isEmpty ? "" : " " + unit), got \(value)")
}

/// The formats of the commands that print a table or JSON only (`area`).
enum TableOrJSON: String, CaseIterable, ExpressibleByArgument {
    case table, json
}

/// `optimize`'s formats: a table, JSON, or one self-contained HTML page.
enum OptimizeFormat: String, CaseIterable, ExpressibleByArgument {
    case table, json, html
}
