import Foundation

/// Runs the flow's external programs: each one's standard output and error go to a kept log.
public enum ToolRunner {
    /// Runs `executable` with `arguments` and `environment` added to this process's, in
    /// `directory`, writing everything it prints to `log`; returns its exit status.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           directory: URL? = nil, log: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The first executable of these names on PATH.
    public static func find(_ names: [String]) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in names {
            for directory in paths where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    /// A shell line that reruns a step by hand: the environment, then the command.
    static func shellLine(_ executable: String, _ arguments: [String], environment: [String: String]) -> String {
        func quote(_ word: String) -> String {
            word.allSatisfy { $0.isLetter || $0.isNumber || "/._-=+:,".contains($0) } ? word
                : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(quote($0.value))" }
        return (assignments + [quote(executable)] + arguments.map(quote)).joined(separator: " ")
    }
}
