import Foundation
import SimDITCore
@testable import SimDITFiles
import Testing

/// The ONNX test data the `onnx` wheel ships (the test command installs onnx 1.17.0 into `.venv`).
/// Never skipped: a missing wheel is a failure that says how to install it.
enum ONNXTestData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let python = root.appendingPathComponent(".venv/bin/python").path

    static func dataDirectory() throws -> URL {
        let lib = root.appendingPathComponent(".venv/lib")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        for version in versions where version.hasPrefix("python") {
            let data = lib.appendingPathComponent("\(version)/site-packages/onnx/backend/test/data")
            if FileManager.default.fileExists(atPath: data.appendingPathComponent("node").path) { return data }
        }
        Issue.record("the onnx 1.17.0 wheel is not in .venv: run scripts/test.sh (it installs it)")
        throw CancellationError()
    }

    static func lightModels() throws -> [URL] {
        let light = try dataDirectory().appendingPathComponent("light")
        return try FileManager.default.contentsOfDirectory(atPath: light.path).filter { $0.hasSuffix(".onnx") }.sorted()
            .map { light.appendingPathComponent($0) }
    }

    /// Runs a committed Python script of `Tests/ONNX` with the venv's interpreter; its standard output.
    static func runPython(_ script: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("Tests/ONNX/\(script)").path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(script) failed")
        return data
    }
}

func importONNX(_ path: String) throws -> Network {
    switch ONNXFile.read(path: path) {
    case .success(let loaded): return loaded.network
    case .failure(let error):
        Issue.record("\(path): \(error)")
        throw error
    }
}

@Suite("ONNX import")
struct ONNXImportTests {
    /// Every light_* model imports and simulates for inference and training, on genesys-inference-08
    /// and genesys-training-08 both; its useful MACs at
    /// batch 1 equal the product of the shapes onnx's own shape inference gives
    /// (Tests/ONNX/reference_macs.py, independent of the importer).
    @Test func lightModelsMatchOnnxShapeInference() throws {
        let models = try ONNXTestData.lightModels()
        #expect(models.count == 9)
        let reference = try JSONSerialization.jsonObject(
            with: ONNXTestData.runPython("reference_macs.py", models.map(\.path))) as? [String: Int] ?? [:]
        let inference = try #require(Presets.named("genesys-inference-08"))
        let training = try #require(Presets.named("genesys-training-08"))
        for model in models {
            let network = try importONNX(model.path)
            // Their Mul+Add by per-channel constants are batch norms, none left as a scale or shift.
            #expect(!network.layers.contains { $0.kind == .activation(.scale) || $0.kind == .activation(.shift) },
                    "\(model.lastPathComponent)")
            let program = try network.inferenceProgram().get()
            let result = try Simulator.run(program, on: inference, options: SimulationOptions(mode: .inference, batch: 1))
            let expected = try #require(reference[model.path], "no reference for \(model.lastPathComponent)")
            #expect(result.total.usefulMACs == Double(expected), "\(model.lastPathComponent)")
            #expect(result.total.usefulMACs <= result.total.macs)
            let trainingProgram = try network.trainingProgram().get()
            for preset in [inference, training] {
                let trained = try Simulator.run(trainingProgram, on: preset, options: SimulationOptions(mode: .training, batch: 4))
                // A training iteration does forward, dX and dW: about 3× the forward MACs (the first dX included, Q10).
                #expect(trained.total.usefulMACs > 2 * 4 * Double(expected), "\(model.lastPathComponent) on \(preset.name)")
            }
            let onTraining = try Simulator.run(program, on: training, options: SimulationOptions(mode: .inference, batch: 1))
            #expect(onTraining.total.usefulMACs == Double(expected))
        }
    }

    /// Every single-op model of the wheel either imports or gets diagnostics that name the file;
    /// none crashes or hangs. What imports also lowers and simulates (or says why not).
    @Test func everySingleOpModelImportsOrIsDiagnosed() throws {
        let node = try ONNXTestData.dataDirectory().appendingPathComponent("node")
        let cases = try FileManager.default.contentsOfDirectory(atPath: node.path).sorted()
        #expect(cases.count > 1000)
        let architecture = try #require(Presets.named("genesys-inference-08"))
        var imported = 0, diagnosed = 0
        for name in cases {
            let path = node.appendingPathComponent("\(name)/model.onnx").path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            switch ONNXFile.read(path: path) {
            case .success(let loaded):
                imported += 1
                if case .success(let program) = loaded.network.inferenceProgram() {
                    _ = try? Simulator.run(program, on: architecture, options: SimulationOptions(mode: .inference))
                }
            case .failure(let error):
                diagnosed += 1
                #expect(!error.diagnostics.isEmpty && error.diagnostics.allSatisfy { $0.file == path && !$0.message.isEmpty })
            }
        }
        // Measured with onnx 1.17.0: 99 of 1,288 import (the CNN operators); the rest are diagnosed.
        #expect(imported >= 90, "imported \(imported), diagnosed \(diagnosed)")
        #expect(imported + diagnosed > 1000)
    }

    /// The built-in ResNet-50, its YAML from `networks show`, and the same graph written as ONNX
    /// with onnx's helper API (Tests/ONNX/resnet50.py, built independently of the zoo) give
    /// identical results, layer by layer, for inference and training.
    @Test func resNet50ThreeWaysIsOneResult() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simdit-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("resnet50.onnx").path
        _ = try ONNXTestData.runPython("resnet50.py", [path])
        let builtIn = try #require(Zoo.named("resnet50"))
        let fromYAML = try NetworkFile.read(YAMLDocument(text: NetworkFile.render(builtIn), file: "resnet50.yaml")).get().network
        let fromONNX = try importONNX(path)
        for (mode, preset, batch) in [(ExecutionMode.inference, "genesys-inference-08", 1), (.training, "genesys-training-08", 32)] {
            let architecture = try #require(Presets.named(preset))
            func run(_ network: Network) throws -> NetworkResult {
                let program = try (mode == .inference ? network.inferenceProgram() : network.trainingProgram()).get()
                return try Simulator.run(program, on: architecture, options: SimulationOptions(mode: mode, batch: batch))
            }
            let reference = try run(builtIn)
            for other in [try run(fromYAML), try run(fromONNX)] {
                #expect(other.total == reference.total, "\(mode)")
                #expect(other.layers.map(\.counts) == reference.layers.map(\.counts), "\(mode)")
                #expect(other.layers.map(\.operation) == reference.layers.map(\.operation), "\(mode)")
            }
        }
    }

    /// Patterns current exporters write (Tests/ONNX/patterns.py): a MatMul over a sequence with a
    /// softmax over the last axis, explicit Pad nodes, squeeze-and-excitation, a depthwise-separable
    /// block with Clip-as-input ReLU6 and HardSwish (opsets 13–14), a channel shuffle through
    /// Reshape/Transpose/Unsqueeze/Squeeze. Each imports with the MACs onnx's shape inference
    /// gives, simulates for inference and training, and its `networks show` YAML reads back to
    /// the same results.
    @Test func exporterPatternsImport() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simdit-onnx-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try ONNXTestData.runPython("patterns.py", [directory.path])
        let models = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".onnx") }
            .sorted().map { directory.appendingPathComponent($0).path }
        #expect(models.count == 5)
        let reference = try JSONSerialization.jsonObject(with: ONNXTestData.runPython("reference_macs.py", models))
            as? [String: Int] ?? [:]
        let inference = try #require(Presets.named("genesys-inference-08"))
        let training = try #require(Presets.named("genesys-training-08"))
        for model in models {
            let network = try importONNX(model)
            let result = try Simulator.run(network.inferenceProgram().get(), on: inference,
                                           options: SimulationOptions(mode: .inference, batch: 1))
            let expected = try #require(reference[model])
            #expect(expected > 0 && result.total.usefulMACs == Double(expected), "\(model)")
            _ = try Simulator.run(network.trainingProgram().get(), on: training, options: SimulationOptions(mode: .training, batch: 4))
            let yaml = try NetworkFile.read(YAMLDocument(text: NetworkFile.render(network), file: "show.yaml")).get().network
            let again = try Simulator.run(yaml.inferenceProgram().get(), on: inference,
                                          options: SimulationOptions(mode: .inference, batch: 1))
            #expect(again.total == result.total, "\(model)")
        }
        let names = try importONNX(directory.appendingPathComponent("pad_conv.onnx").path).layers.map(\.kind.typeName)
        #expect(names == ["conv", "max_pool"])   // both Pad nodes folded
    }

    /// Nodes missing inputs they need are diagnosed, never a trap; a Clip with one bound imports and
    /// its `networks show` file reads back.
    @Test func nodesMissingInputsAreDiagnosed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simdit-onnx-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try ONNXTestData.runPython("malformed.py", [directory.path])
        for name in ["matmul_one_input", "gemm_no_weights", "conv_without_weights", "mul_one_input"] {
            let path = directory.appendingPathComponent(name + ".onnx").path
            guard case .failure(let error) = ONNXFile.read(path: path) else {
                Issue.record("\(name) imported")
                continue
            }
            #expect(error.diagnostics.allSatisfy { $0.file == path && $0.message.contains("node") }, "\(name): \(error)")
        }
        let clip = try importONNX(directory.appendingPathComponent("clip_lower_only.onnx").path)
        let text = NetworkFile.render(clip)
        #expect(text.contains("min: 0.5") && !text.contains("inf"))
        let again = try NetworkFile.read(YAMLDocument(text: text, file: "clip.yaml")).get().network
        #expect(again.layers.map(\.kind) == clip.layers.map(\.kind))
    }

    @Test func malformedFilesAreDiagnosed() throws {
        let garbage = ONNXFile.read(data: Data([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), file: "bad.onnx")
        guard case .failure(let error) = garbage else { Issue.record("garbage imported"); return }
        #expect(error.diagnostics.first?.message.contains("not an ONNX model") == true)
        let missing = ONNXFile.read(path: "/nonexistent/model.onnx")
        guard case .failure(let missingError) = missing else { Issue.record("missing file imported"); return }
        #expect(missingError.diagnostics.first?.message.contains("no such file") == true)
    }
}
