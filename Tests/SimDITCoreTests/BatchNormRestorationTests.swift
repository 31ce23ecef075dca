import Testing
@testable import SimDITCore

/// `Network.restoringBatchNorms()`: which convolutions get a batch norm back, hand-checked on a
/// small graph with each case.
@Suite("Batch-norm restoration")
struct BatchNormRestorationTests {
    static func conv(_ name: String, _ input: String, out: Int = 8, kernel: Int = 3, bias: Bool, folded: Bool = false) -> Layer {
        var convolution = Convolution(outputChannels: out, kernelHeight: kernel, kernelWidth: kernel, stride: 1,
                                      padding: kernel / 2, bias: bias)
        convolution.foldedBatchNorm = folded
        return Layer(name: name, kind: .convolution(convolution), inputs: [input])
    }

    /// a: biased, folded away (gets one); b: biased with its own batch norm (keeps it); c: bias-free
    /// (none); se1/se2: a squeeze-and-excitation's biased convolutions on a 1×1 map (none); the
    /// consumers of a read its batch norm afterwards.
    static let network = Network(name: "n", input: TensorShape(channels: 8, height: 8, width: 8), layers: [
        conv("a", Network.inputName, bias: true),
        Layer(name: "r", kind: .relu, inputs: ["a"]),
        conv("b", "r", bias: true),
        Layer(name: "b.bn", kind: .batchNorm, inputs: ["b"]),
        conv("c", "b.bn", bias: false),
        Layer(name: "pool", kind: .globalAveragePool, inputs: ["c"]),
        conv("se1", "pool", out: 2, kernel: 1, bias: true),
        conv("se2", "se1", out: 8, kernel: 1, bias: true),
        Layer(name: "gate", kind: .activation(.sigmoid), inputs: ["se2"]),
        Layer(name: "scaled", kind: .multiply, inputs: ["c", "gate"]),
        Layer(name: "sum", kind: .add, inputs: ["scaled", "a"]),
    ])

    @Test func biasedConvolutionsWithoutARecord() throws {
        let restored = Self.network.restoringBatchNorms()
        #expect(restored.layers.map(\.name) == ["a", "a.bn", "r", "b", "b.bn", "c", "pool", "se1", "se2", "gate", "scaled", "sum"])
        #expect(restored.layers[1] == Layer(name: "a.bn", kind: .batchNorm, inputs: ["a"]))
        #expect(restored.layers.first { $0.name == "r" }?.inputs == ["a.bn"])
        #expect(restored.layers.first { $0.name == "sum" }?.inputs == ["scaled", "a.bn"])
        guard case .convolution(let a) = restored.layers[0].kind else { Issue.record("a"); return }
        #expect(!a.bias && !a.foldedBatchNorm)
        #expect(try restored.inferShapes().get().count == 12)
        #expect(restored.restoringBatchNorms() == restored)
    }

    /// With the exporter's record, exactly the recorded convolutions, biased or not.
    @Test func recordedFoldsOnly() throws {
        var network = Self.network
        network.layers[4] = Self.conv("c", "b.bn", bias: false, folded: true)
        #expect(network.foldedBatchNormCount == 1)
        let restored = network.restoringBatchNorms()
        #expect(restored.layers.filter { $0.kind == .batchNorm }.map(\.name) == ["b.bn", "c.bn"])
        #expect(restored.foldedBatchNormCount == 0 && restored.layers.first { $0.name == "pool" }?.inputs == ["c.bn"])
        #expect(restored.layers.first { $0.name == "scaled" }?.inputs == ["c.bn", "gate"])
    }
}
