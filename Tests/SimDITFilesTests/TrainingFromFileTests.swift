import Testing
import SimDITCore
@testable import SimDITFiles

/// A user network written in YAML, without residual connections and without batch norm, yields a
/// complete training iteration.
@Suite("Training a network read from a file")
struct TrainingFromFileTests {
    static let plainNetwork = """
        version: 1
        name: plain-cnn
        input: {channels: 1, height: 28, width: 28}
        layers:
          - {name: conv1, type: conv, out_channels: 32, kernel: 5, padding: 2}
          - {name: relu1, type: relu}
          - {name: pool1, type: max_pool, kernel: 2}
          - {name: conv2, type: conv, out_channels: 64, kernel: [3, 5], stride: 2, padding: 1}
          - {name: relu2, type: relu}
          - {name: pool2, type: avg_pool, kernel: 2}
          - {name: flat, type: flatten}
          - {name: fc1, type: fc, out_features: 128}
          - {name: relu3, type: relu}
          - {name: fc2, type: fc, out_features: 10, bias: false}
          - {name: prob, type: softmax}

        """

    @Test(arguments: Optimizer.allCases)
    func everyConvolutionAndTensorGetsItsGradients(optimizer: Optimizer) throws {
        let loaded = try NetworkFile.read(YAMLDocument(text: Self.plainNetwork, file: "plain.yaml")).get()
        let program = try loaded.network.trainingProgram(optimizer: optimizer).get()
        func entries(of layer: String) -> [ProgramEntry] { program.entries.filter { $0.name.hasPrefix(layer + ".") } }
        for conv in ["conv1", "conv2"] {
            let roles = entries(of: conv).compactMap { entry -> GradientRole? in
                if case .convolution(let op) = entry.operation { return op.role }
                return nil
            }
            #expect(roles == [.dataGradient, .weightGradient], "\(conv)")
        }
        // Trainable tensors: conv1 w+b, conv2 w+b, fc1 w+b, fc2 w (no bias): seven, one update each.
        let updates = program.entries.filter { if case .weightUpdate = $0.operation { true } else { false } }
        #expect(updates.map(\.name).sorted() == ["conv1.bias_update", "conv1.update", "conv2.bias_update", "conv2.update",
                                                 "fc1.bias_update", "fc1.update", "fc2.update"])
        #expect(updates.allSatisfy { $0.operation.name.hasPrefix(optimizer.rawValue) })
        // Every forward layer with a gradient gets one, in reverse order, after the loss.
        let loss = try #require(program.entries.firstIndex { $0.name == "loss.grad" })
        let backward = program.entries[(loss + 1)...].map(\.name)
        #expect(backward.first == "fc2.dX")
        #expect(backward.last == "conv1.update" || backward.last == "conv1.bias_update")
        #expect(backward.contains("pool2.grad") && backward.contains("pool1.grad") && backward.contains("relu1.grad"))
        let result = try Simulator.run(program, on: try #require(Presets.named("genesys-training-02")),
                                       options: .init(mode: .training, batch: 16))
        let share = result.nonConvolutionShare
        #expect(share > 0 && share < 1)
        #expect(result.cyclesByCategory.contains { $0.category == .weightGradientConvolution && $0.cycles > 0 })
    }
}
