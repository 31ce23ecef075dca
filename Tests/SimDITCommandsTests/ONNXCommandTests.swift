import Foundation
import Testing

/// The ONNX import as a process: a model's weights are never read (Tests/ONNX/weights_never_read.py
/// writes a model with a 1 GiB weight inline, as a sparse file, and fails unless `simdit simulate`
/// stays under 150 MiB resident).
@Suite("ONNX import, whole process")
struct ONNXCommandTests {
    @Test func weightsAreNeverRead() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = root.appendingPathComponent(".venv/bin/python")
        process.arguments = [root.appendingPathComponent("Tests/ONNX/weights_never_read.py").path, try SimDIT.executable().path,
                             directory.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let resident = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(problems)")
        let kib = try #require(Int(resident.trimmingCharacters(in: .whitespacesAndNewlines)), "\(resident)")
        #expect(kib < 150 * 1024)
    }
}
