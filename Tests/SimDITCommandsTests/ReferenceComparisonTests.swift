import Foundation
import Testing

/// The ops beyond the published model against an independent reference written from the
/// specifications alone (GENESYS-MODEL.md, MODEL-EXTENSIONS.md and the preset table), by someone
/// who did not read the code: Tests/Reference/extensions_reference.py. `compare.py` runs the CLI on
/// each of its cases and compares every per-layer count (cycles, DRAM and SRAM bytes by kind, MACs,
/// useful MACs, op counts) with a relative tolerance of 1e-9; it exits 1 on any mismatch.
@Suite("Independent reference")
struct ReferenceComparisonTests {
    @Test func extensionOpsMatchTheReference() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("Tests/Reference/compare.py").path,
                             try SimDIT.executable().path, "--mismatches-only"]
        process.currentDirectoryURL = root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text.suffix(4000))")
    }
}
