import Foundation
import SimDITCore
@testable import SimDITFiles
import Testing

/// Torchvision models exported by PyTorch 2.13 as users export them — the default exporter
/// (`dynamo=True`, opset 20, weights in external data) and the classic one (`dynamo=False`, opset
/// 17), after `model.eval()` and `model.train()` — kept in Tests/Fixtures/onnx/torchvision with
/// their weights left out (Tests/ONNX/export_torchvision.py made them). Each imports and simulates
/// in both modes, its useful MACs equal onnx's shape inference (Tests/ONNX/torchvision_fixtures.py),
/// and the training-mode ResNet-50 equals the built-in one.
@Suite("Torchvision exports")
struct TorchvisionExportTests {
    /// The fixtures unpacked into a temporary folder, with their reference MACs per sample (nil
    /// where onnx's shape inference cannot give every shape).
    static func unpack() throws -> (directory: URL, reference: [String: (macs: Double, first: Double)?]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simdit-torchvision-\(UUID().uuidString)")
        let json = try JSONSerialization.jsonObject(with: ONNXTestData.runPython("torchvision_fixtures.py", [directory.path]))
        let entries = try #require(json as? [String: Any])
        var reference: [String: (macs: Double, first: Double)?] = [:]
        for (path, value) in entries {
            let name = URL(fileURLWithPath: path).lastPathComponent
            if let counts = value as? [String: Double], let macs = counts["macs"], let first = counts["first"] {
                reference[name] = (macs, first)
            } else {
                reference[name] = .some(nil)
            }
        }
        return (directory, reference)
    }

    static func run(_ network: Network, _ mode: ExecutionMode, batch: Int, on preset: String) throws -> NetworkResult {
        let program = try (mode == .inference ? network.inferenceProgram() : network.trainingProgram()).get()
        return try Simulator.run(program, on: #require(Presets.named(preset)), options: SimulationOptions(mode: mode, batch: batch))
    }

    /// Every export imports with no diagnostic and simulates for inference (batch 1) and training
    /// (batch 2) on a 16×16 and a 64×64 design. Inference useful MACs equal onnx's shape inference;
    /// training's are each layer's forward, data-gradient and weight-gradient MACs, `3·F·B` less
    /// the first layer's data gradient, which it needs none of. The classic exporter's ShuffleNet
    /// defeats onnx's shape inference, so its MACs are checked against the default exporter's.
    @Test func everyExportImportsWithExactMACs() throws {
        let (directory, reference) = try Self.unpack()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(reference.count == 14)
        var useful: [String: Double] = [:]
        for (name, counts) in reference.sorted(by: { $0.key < $1.key }) {
            let network = try importONNX(directory.appendingPathComponent(name).path)
            #expect(network.name == String(name.dropLast(5)), "named after the file, not 'main_graph'")
            for preset in ["genesys-inference-01", "genesys-inference-08"] {
                let inference = try Self.run(network, .inference, batch: 1, on: preset)
                useful[name] = inference.total.usefulMACs
                if let counts {
                    #expect(inference.total.usefulMACs == counts.macs, "\(name) on \(preset)")
                }
                #expect(inference.total.usefulMACs <= inference.total.macs)
            }
            for preset in ["genesys-training-01", "genesys-training-08"] {
                let training = try Self.run(network, .training, batch: 2, on: preset)
                if let counts {
                    #expect(training.total.usefulMACs == 2 * (3 * counts.macs - counts.first), "\(name) on \(preset)")
                }
                #expect(training.total.usefulMACs <= training.total.macs)
            }
        }
        #expect(useful["shufflenet_v2_x1_0-classic-eval.onnx"] == useful["shufflenet_v2_x1_0-dynamo-eval.onnx"])
        #expect(useful["shufflenet_v2_x1_0-classic-eval.onnx"] == 144_907_992)
    }

    /// What each export's graph becomes: the default exporter's spatial ReduceMean is the global
    /// pool, ShuffleNet's chunks are slices (Split in one exporter, Slice at offsets computed from
    /// Shape in the other), EfficientNet's Sigmoid·Mul is one swish, its training export's random
    /// per-sample masks are stochastic depth and MNASNet's per-element one is dropout.
    @Test func exporterPatternsBecomeTheirLayers() throws {
        let (directory, _) = try Self.unpack()
        defer { try? FileManager.default.removeItem(at: directory) }
        func kinds(_ name: String) throws -> [String: Int] {
            let network = try importONNX(directory.appendingPathComponent(name + ".onnx").path)
            return network.layers.reduce(into: [:]) { $0[$1.kind.typeName, default: 0] += 1 }
        }
        let resnet18 = try kinds("resnet18-dynamo-eval")
        #expect(resnet18["global_avg_pool"] == 1 && resnet18["conv"] == 20)
        for exporter in ["classic", "dynamo"] {
            let shufflenet = try kinds("shufflenet_v2_x1_0-\(exporter)-eval")
            #expect(shufflenet["slice"] == 26 && shufflenet["concat"] == 16 && shufflenet["permute"] == 16, "\(exporter)")
        }
        for exporter in ["classic", "dynamo"] {
            let efficientnet = try kinds("efficientnet_b0-\(exporter)-train")
            #expect(efficientnet["swish"] == 49 && efficientnet["stochastic_depth"] == 9 && efficientnet["dropout"] == 1,
                    "\(exporter): \(efficientnet)")
            #expect(efficientnet["sigmoid"] == 16 && efficientnet["mul"] == 16)   // the SE gates stay sigmoid × map
        }
        let mnasnet = try importONNX(directory.appendingPathComponent("mnasnet0_5-dynamo-train.onnx").path)
        let dropout = try #require(mnasnet.layers.first { $0.kind.typeName == "dropout" })
        guard case .dropout(let ratio) = dropout.kind else {
            Issue.record("\(dropout.kind) is not a dropout")
            return
        }
        #expect(abs(ratio - 0.2) < 1e-6, "the ratio comes from the mask's threshold")
        // Nested concats (the default exporter's Inception) merge: the same cycles as a flat one.
        let inception = try kinds("inception_v3-dynamo-eval")
        #expect(inception["concat"] == 11)
    }

    /// The training-mode export of ResNet-50 (classic exporter, batch norms kept) is the built-in
    /// ResNet-50 entry by entry at batch 32; the inference exports, whose batch norms were folded,
    /// give the same once `restoringBatchNorms` puts them back — from the default exporter's record
    /// of each fold, or, for the classic exporter, after each biased convolution.
    @Test func trainingExportOfResNet50IsTheBuiltIn() throws {
        let (directory, _) = try Self.unpack()
        defer { try? FileManager.default.removeItem(at: directory) }
        let builtIn = try Self.run(#require(Zoo.named("resnet50")), .training, batch: 32, on: "genesys-training-08")
        let trained = try importONNX(directory.appendingPathComponent("resnet50-classic-train.onnx").path)
        #expect(trained.hasNormalization && trained.foldedBatchNormCount == 0)
        let exported = try Self.run(trained, .training, batch: 32, on: "genesys-training-08")
        #expect(exported.total == builtIn.total)
        #expect(exported.layers.map(\.counts) == builtIn.layers.map(\.counts))
        #expect(exported.total.cycles == 991_981_608.25)

        let folded = try importONNX(directory.appendingPathComponent("resnet50-dynamo-train.onnx").path)
        #expect(!folded.hasNormalization && folded.foldedBatchNormCount == 53)
        let eval = try importONNX(directory.appendingPathComponent("resnet50-classic-eval.onnx").path)
        #expect(!eval.hasNormalization && eval.foldedBatchNormCount == 0)
        for network in [folded, eval] {
            let missing = try Self.run(network, .training, batch: 32, on: "genesys-training-08")
            #expect(missing.total.cycles < 0.6 * builtIn.total.cycles, "the batch norms' passes are missing")
            let restored = try Self.run(network.restoringBatchNorms(), .training, batch: 32, on: "genesys-training-08")
            #expect(restored.total == builtIn.total)
            #expect(restored.layers.map(\.counts) == builtIn.layers.map(\.counts))
        }
        // Inference is the same with or without the record: a folded batch norm is a bias (the
        // default exporter drops a zero bias from the file; its record keeps the convolution biased).
        let inferenceFolded = try Self.run(folded, .inference, batch: 1, on: "genesys-inference-08")
        let inferenceEval = try Self.run(eval, .inference, batch: 1, on: "genesys-inference-08")
        #expect(inferenceFolded.total == inferenceEval.total)
        #expect(inferenceFolded.layers.map(\.counts) == inferenceEval.layers.map(\.counts))
        #expect(inferenceFolded.layers.filter { $0.operation == "conv_bias" }.count == 53)
    }

    /// VGG-16-BN exported for inference: its 13 biased convolutions get their batch norms back,
    /// once (restoring again changes nothing).
    @Test func restoringVGGPutsBackItsThirteenBatchNorms() throws {
        let (directory, _) = try Self.unpack()
        defer { try? FileManager.default.removeItem(at: directory) }
        let eval = try importONNX(directory.appendingPathComponent("vgg16_bn-classic-eval.onnx").path)
        let restored = eval.restoringBatchNorms()
        #expect(restored.layers.filter { $0.kind == .batchNorm }.count == 13)
        #expect(restored.restoringBatchNorms() == restored, "restoring twice changes nothing")
        #expect(try restored.inferShapes().get().count == restored.layers.count)
    }
}
