import Foundation
import Testing

/// Training a network whose batch norms an export for inference folded away: the report says so
/// (table, JSON `warnings`, HTML), worded both for networks built without batch norm and for the
/// exporter's recorded folds, and `--restore-batch-norm` puts them back.
@Suite("Training warnings", .serialized)
struct TrainingWarningTests {
    /// ResNet-18 with one convolution the exporter recorded as folded, as `networks show` writes an
    /// import of PyTorch's default exporter.
    static let folded = """
        version: 1
        name: folded
        input: {channels: 3, height: 32, width: 32}
        layers:
          - {name: conv1, type: conv, out_channels: 16, kernel: 3, stride: 1, padding: 1, bias: false, folded_batch_norm: true}
          - {name: relu1, type: relu}
          - {name: conv2, type: conv, out_channels: 16, kernel: 3, stride: 1, padding: 1, bias: false}
          - {name: bn2, type: batch_norm}
          - {name: pool, type: global_avg_pool}
          - {name: fc, type: fc, out_features: 10}

        """

    @Test func withoutNormalizationEveryFormatWarns() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let table = try SimDIT.run(["simulate", "--network", "vgg16", "--batch", "2", "--summary"])
        #expect(table.status == 0)
        #expect(table.standardOutput.contains("warning: 'vgg16' has no normalization layer"))
        #expect(table.standardOutput.contains("--restore-batch-norm") && table.standardOutput.contains("model.train()"))
        let json = try jsonObject(SimDIT.run(["simulate", "--network", "vgg16", "--batch", "2", "--format", "json"]).standardOutput)
        let warnings = try #require(json["warnings"] as? [String])
        #expect(warnings.count == 1 && warnings[0].contains("(VGG, AlexNet, SqueezeNet) trains as simulated"))
        let page = directory.appendingPathComponent("vgg.html").path
        #expect(try SimDIT.run(["simulate", "--network", "vgg16", "--batch", "2", "--format", "html", "--output", page]).status == 0)
        #expect(try String(contentsOfFile: page, encoding: .utf8)
            .contains("<p class=\"warning\"><strong>warning:</strong> 'vgg16' has no normalization layer"))
        let csv = try SimDIT.run(["simulate", "--network", "vgg16", "--batch", "2", "--format", "csv"])
        #expect(csv.standardError.contains("warning: 'vgg16' has no normalization layer"))
        // Inference, and a network with batch norms, say nothing.
        let inference = try jsonObject(SimDIT.run(["simulate", "--network", "vgg16", "--mode", "inference", "--format", "json"]).standardOutput)
        #expect((inference["warnings"] as? [String])?.isEmpty == true)
        let resnet = try jsonObject(SimDIT.run(["simulate", "--network", "resnet18", "--batch", "2", "--format", "json"]).standardOutput)
        #expect((resnet["warnings"] as? [String])?.isEmpty == true)
    }

    @Test func recordedFoldsWarnAndRestoreTakesThemBack() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("folded.yaml").path
        try Self.folded.write(toFile: path, atomically: true, encoding: .utf8)
        let warned = try jsonObject(SimDIT.run(["simulate", "--network", path, "--batch", "4", "--format", "json"]).standardOutput)
        let warnings = try #require(warned["warnings"] as? [String])
        #expect(warnings.count == 1 && warnings[0].hasPrefix("1 convolution of 'folded' carries a batch norm the exporter folded in"))
        let restored = try jsonObject(SimDIT.run(["simulate", "--network", path, "--batch", "4", "--format", "json",
                                                  "--restore-batch-norm"]).standardOutput)
        #expect((restored["warnings"] as? [String])?.isEmpty == true)
        let layers = try #require(restored["layers"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(layers.contains("conv1.bn") && layers.filter { $0.hasPrefix("conv2.bn") }.isEmpty)
        // The restored graph has the batch norm's three passes the folded one lacks.
        let before = try #require((warned["total"] as? [String: Any])?["cycles"] as? Double)
        let after = try #require((restored["total"] as? [String: Any])?["cycles"] as? Double)
        #expect(after > before)
        let ops = try #require(restored["layers"] as? [[String: Any]]).compactMap { $0["op"] as? String }
        #expect(ops.filter { $0 == "mean_var" }.count == 2 && ops.filter { $0 == "batchnorm_grad_x_mu" }.count == 2)
    }

    /// DenseNet exported for inference: the batch norms after its concats stay (nothing to fold them
    /// into), those after convolutions were folded without a record. The biased convolution with no
    /// batch norm after it, in a network that has them, is what is warned about and restored;
    /// the squeeze-and-excitation convolution on a 1×1 map is neither.
    @Test func partlyFoldedNetworksWarn() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("partly.yaml").path
        try """
            version: 1
            name: partly
            input: {channels: 16, height: 16, width: 16}
            layers:
              - {name: norm1, type: batch_norm}
              - {name: relu1, type: relu}
              - {name: conv1, type: conv, out_channels: 16, kernel: 1, bias: true}
              - {name: relu2, type: relu}
              - {name: squeeze, type: global_avg_pool}
              - {name: fc1, type: conv, out_channels: 16, kernel: 1, bias: true}
              - {name: gate, type: sigmoid}
              - {name: scaled, type: mul, inputs: [relu2, gate]}

            """.write(toFile: path, atomically: true, encoding: .utf8)
        let warned = try jsonObject(SimDIT.run(["simulate", "--network", path, "--batch", "2", "--format", "json"]).standardOutput)
        let warnings = try #require(warned["warnings"] as? [String])
        #expect(warnings.count == 1 && warnings[0].hasPrefix("'partly' has batch norms, but 1 biased convolution has none after it"),
                "\(warnings)")
        let restored = try jsonObject(SimDIT.run(["simulate", "--network", path, "--batch", "2", "--format", "json",
                                                  "--restore-batch-norm"]).standardOutput)
        #expect((restored["warnings"] as? [String])?.isEmpty == true)
        let names = try #require(restored["layers"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(names.contains("conv1.bn") && !names.contains { $0.hasPrefix("fc1.bn") })
    }
}
