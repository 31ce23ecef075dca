import Foundation
import SimDITCore
@testable import SimDITFiles
import Testing

/// The import's edges (Tests/ONNX/import_edges.py builds each model with onnx's helper API, the
/// way one of PyTorch's exporters writes it): reductions, slices, shape arithmetic, SiLU,
/// stochastic depth, external data, and every problem of a file reported at once.
@Suite("ONNX import edges")
struct ONNXImportEdgeTests {
    static func models() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simdit-edges-\(UUID().uuidString)")
        _ = try ONNXTestData.runPython("import_edges.py", [directory.path])
        return directory
    }

    static func layers(_ network: Network) -> [(name: String, type: String, shape: TensorShape)] {
        let shapes = (try? network.inferShapes().get()) ?? []
        return zip(network.layers, shapes).map { ($0.name, $0.kind.typeName, $1) }
    }

    static func failure(_ path: String) -> [Diagnostic] {
        if case .failure(let error) = ONNXFile.read(path: path) { return error.diagnostics }
        Issue.record("\(path) imported")
        return []
    }

    /// A spatial ReduceMean is the global average pool (keepdims or not, axes an input or an
    /// attribute); other axes reduce an `O×K×1` view by the same global pool.
    @Test func reductionsAreGlobalPools() throws {
        let directory = try Self.models()
        defer { try? FileManager.default.removeItem(at: directory) }
        let r18 = Self.layers(try importONNX(directory.appendingPathComponent("reductions_18.onnx").path))
        #expect(r18.map(\.type) == ["global_avg_pool", "reshape", "global_max_pool", "reshape", "reshape", "global_sum_pool", "reshape"])
        // The max over 16 channels at each of 64 positions; the sum over 8 columns of 16×8 rows.
        #expect(r18[1].shape == TensorShape(channels: 64, height: 16, width: 1) && r18[3].shape == TensorShape(channels: 1, height: 8, width: 8))
        #expect(r18[4].shape == TensorShape(channels: 128, height: 8, width: 1) && r18[6].shape == TensorShape(channels: 16, height: 8, width: 1))
        let r13 = Self.layers(try importONNX(directory.appendingPathComponent("reductions_13.onnx").path))
        #expect(r13.map(\.type) == ["global_avg_pool", "global_sum_pool"])
        // A spatial ReduceMean costs exactly what GlobalAveragePool does, in both modes.
        let pool = Network(name: "p", input: TensorShape(channels: 16, height: 8, width: 8),
                           layers: [Layer(name: "m", kind: .globalAveragePool, inputs: [Network.inputName])])
        let reduced = try importONNX(directory.appendingPathComponent("reductions_13.onnx").path)
        let architecture = try #require(Presets.named("genesys-training-01"))
        let one = try Simulator.run(pool.trainingProgram().get(), on: architecture, options: SimulationOptions(mode: .training, batch: 4))
        let both = try Simulator.run(reduced.trainingProgram().get(), on: architecture, options: SimulationOptions(mode: .training, batch: 4))
        #expect(both.layers.first { $0.name == "m" }?.counts == one.layers.first { $0.name == "m" }?.counts)
        #expect(both.layers.contains { $0.operation == "global_sum_pool_grad" && $0.counts.simdComputeCycles > 0 })
    }

    /// Split (num_outputs; sizes as an input), Slice (a negative step, an end of 2^62, a step of 2)
    /// and Gather by constant indices are regions of their input, named after their outputs.
    @Test func slicesAreRegions() throws {
        let directory = try Self.models()
        defer { try? FileManager.default.removeItem(at: directory) }
        let slices = Self.layers(try importONNX(directory.appendingPathComponent("slices_18.onnx").path))
        #expect(slices.map(\.name) == ["a", "b", "r", "g", "w"])
        #expect(slices.allSatisfy { $0.type == "slice" })
        #expect(slices.map(\.shape) == [TensorShape(channels: 8, height: 8, width: 8), TensorShape(channels: 8, height: 8, width: 8),
                                        TensorShape(channels: 8, height: 8, width: 8), TensorShape(channels: 2, height: 8, width: 8),
                                        TensorShape(channels: 16, height: 8, width: 4)])
        let split = Self.layers(try importONNX(directory.appendingPathComponent("split_13.onnx").path))
        #expect(split.map(\.shape.channels) == [4, 12])
        // Free, and a fusion barrier: a slice's row is all zero in both modes.
        let network = try importONNX(directory.appendingPathComponent("slices_18.onnx").path)
        let result = try Simulator.run(network.trainingProgram().get(), on: #require(Presets.named("genesys-training-08")),
                                       options: SimulationOptions(mode: .training, batch: 2))
        #expect(result.layers.filter { $0.operation == "slice" }.count == 10)
        #expect(result.total == .zero)
    }

    /// A Reshape target computed by Shape, Gather, Range, Equal, Where, ConstantOfShape, Expand,
    /// Unsqueeze and Concat is evaluated at import.
    @Test func shapeArithmeticIsEvaluated() throws {
        let directory = try Self.models()
        defer { try? FileManager.default.removeItem(at: directory) }
        let layers = Self.layers(try importONNX(directory.appendingPathComponent("shape_arithmetic.onnx").path))
        #expect(layers.map(\.type) == ["reshape"])
        #expect(layers.first?.shape == TensorShape(channels: 16, height: 64, width: 1))
    }

    /// Sigmoid read only by Mul(x, ·) is one swish, HardSigmoid(x/6 + 1/2) so read one hard-swish;
    /// read twice, or gating another tensor, they stay gates; a per-sample
    /// random mask multiplied into a branch is stochastic depth, free at inference.
    @Test func siluAndStochasticDepth() throws {
        let directory = try Self.models()
        defer { try? FileManager.default.removeItem(at: directory) }
        let silu = Self.layers(try importONNX(directory.appendingPathComponent("silu.onnx").path))
        #expect(silu.map(\.type) == ["swish", "sigmoid", "mul", "add"])
        let hardSwish = Self.layers(try importONNX(directory.appendingPathComponent("hardswish_13.onnx").path))
        #expect(hardSwish.map(\.type) == ["hard_swish", "global_avg_pool", "hard_sigmoid", "mul"])
        let depth = try importONNX(directory.appendingPathComponent("stochastic_depth.onnx").path)
        #expect(Self.layers(depth).map(\.type) == ["conv", "stochastic_depth", "add"])
        let architecture = try #require(Presets.named("genesys-training-01"))
        let inference = try Simulator.run(depth.inferenceProgram().get(), on: architecture, options: SimulationOptions(mode: .inference))
        #expect(inference.layers.first { $0.name == "b" }?.counts == .zero)
        let training = try Simulator.run(depth.trainingProgram().get(), on: architecture, options: SimulationOptions(mode: .training, batch: 2))
        #expect(training.layers.map(\.operation).filter { $0.hasPrefix("stochastic_depth") } == ["stochastic_depth", "stochastic_depth_grad"])
        #expect(training.layers.filter { $0.operation.hasPrefix("stochastic_depth") }.allSatisfy { $0.counts.simdCycles > 0 })
    }

    /// External data: a small constant's value is read from its byte range; weights whose data file
    /// is missing are never needed; a needed value in a missing file, an absolute location and one
    /// leaving the folder are each one diagnostic naming the location, with nothing blamed after.
    @Test func externalData() throws {
        let directory = try Self.models()
        defer { try? FileManager.default.removeItem(at: directory) }
        let present = Self.layers(try importONNX(directory.appendingPathComponent("external_present.onnx").path))
        #expect(present.map(\.type) == ["conv", "reshape"] && present.last?.shape == TensorShape(channels: 16, height: 64, width: 1))
        let weights = try importONNX(directory.appendingPathComponent("weights_only.onnx").path)
        #expect(weights.name == "weights_only" && weights.layers.count == 1)
        for (name, expected) in [("external_missing", "'external_missing.onnx.data' cannot be read"),
                                 ("external_absolute", "'/etc/simdit-absolute.data' is absolute"),
                                 ("external_escape", "'../outside.data' leaves the model's folder")] {
            let path = directory.appendingPathComponent(name + ".onnx").path
            let diagnostics = Self.failure(path)
            #expect(diagnostics.count == 1 && diagnostics.allSatisfy { $0.file == path && $0.keyPath != nil }, "\(name): \(diagnostics)")
            #expect(diagnostics.first?.message.contains(expected) == true, "\(name): \(diagnostics)")
        }
    }

    /// Each unsupported operator once, with its count and first nodes, the supported forms listed
    /// once; nothing after them blamed; past 20 problems a count of the rest.
    @Test func everyProblemAtOnce() throws {
        let directory = try Self.models()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("unsupported.onnx").path
        let unsupported = Self.failure(path)
        #expect(unsupported.map(\.message) == ["operator Erf is not supported (3 nodes: 'erf0', 'erf1', 'erf2')",
                                               "operator Mish is not supported (1 node: 'mish0')"])
        #expect(unsupported.map(\.keyPath) == ["graph.node[1]", "graph.node[4]"])
        #expect(unsupported.flatMap(\.notes).filter { $0.contains("Gather") }.count == 1)
        #expect(unsupported.last?.notes.contains { $0.contains("Gather: constant indices on a non-batch axis") } == true)
        let many = Self.failure(directory.appendingPathComponent("many_problems.onnx").path)
        #expect(many.count == 21)
        #expect(many.prefix(20).allSatisfy { $0.message.contains("pads must be four numbers") })
        #expect(many.last?.message == "and 5 more problems (not listed: fix these and run again)")
    }

    /// A Split into 2^31 parts (no allocation by the number), a reduction with empty axes (all of
    /// them, the batch included), a constant divided by an activation: one diagnostic each, at
    /// its node. An operator the import does not evaluate, on constants, whose value a later node
    /// needs is reported as unsupported, not as that node's missing constant.
    @Test func refusedFormsAreDiagnosedAtTheirNodes() throws {
        let directory = try Self.models()
        defer { try? FileManager.default.removeItem(at: directory) }
        let refused = Self.failure(directory.appendingPathComponent("refused.onnx").path)
        #expect(refused.map(\.keyPath) == ["graph.node[0]", "graph.node[1]", "graph.node[2]"])
        #expect(refused[0].message.contains("num_outputs 2147483648 is not the node's 2 outputs"))
        #expect(refused[1].message.contains("a reduction over the batch axis is not supported"))
        #expect(refused[2].message.contains("dividing a constant by an activation is not supported"))
        let unevaluated = Self.failure(directory.appendingPathComponent("unevaluated_constant.onnx").path)
        #expect(unevaluated.map(\.message) == ["operator Erf is not supported (1 node: 'erf_on_constant')"])
        let noop = Self.layers(try importONNX(directory.appendingPathComponent("reduce_noop.onnx").path))
        #expect(noop.map(\.type) == ["identity"])
    }

    /// Every operator the supported table lists for constants is one the constant evaluator knows.
    @Test func everyConstantOperatorIsEvaluated() {
        for op in ONNXOperators.constantOnly {
            let node = Onnx_NodeProto.with { $0.opType = op }
            #expect(ONNXFolding(opType: op, attributes: ONNXAttributes(node), opset: 18).evaluate([]) != nil, "\(op)")
        }
        let unknown = Onnx_NodeProto.with { $0.opType = "Erf" }
        #expect(ONNXFolding(opType: "Erf", attributes: ONNXAttributes(unknown), opset: 18).evaluate([]) == nil)
    }
}

/// The wire walker on hand-built bytes: what it drops, and malformed input refused with where.
@Suite("ONNX wire walker")
struct ONNXWireTests {
    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value, out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        return out + [UInt8(v)]
    }

    static func field(_ number: UInt64, _ payload: [UInt8]) -> [UInt8] { varint(number << 3 | 2) + varint(UInt64(payload.count)) + payload }

    static func stripped(_ bytes: [UInt8]) -> Result<[UInt8], ONNXWire.Failure> {
        bytes.withUnsafeBytes { buffer in Result { () throws(ONNXWire.Failure) in try ONNXWire.stripped(buffer) } }
    }

    /// A model whose graph holds one initializer: dims, then data split as given.
    static func model(dims: [UInt64], data: [[UInt8]]) -> [UInt8] {
        var tensor = varint(1 << 3) + varint(dims[0])
        for d in dims.dropFirst() { tensor += varint(1 << 3) + varint(d) }
        tensor += varint(2 << 3) + varint(1)                         // data_type FLOAT
        for chunk in data { tensor += field(9, chunk) }              // raw_data, repeated
        return field(7, field(5, tensor))                            // ModelProto.graph.initializer
    }

    @Test func largeDataIsLeftOutSmallDataKept() throws {
        let small = Self.model(dims: [4], data: [[UInt8](repeating: 1, count: 16)])
        #expect(try Self.stripped(small).get() == small)
        let large = Self.model(dims: [1 << 20], data: [[UInt8](repeating: 2, count: 1 << 12)])
        let kept = try Self.stripped(large).get()
        #expect(kept.count < 32 && !kept.contains(2))
        // Small dims but 1,000 chunks of 64 bytes: over the data any small tensor needs, all dropped.
        let chunked = Self.model(dims: [4], data: [[UInt8]](repeating: [UInt8](repeating: 3, count: 64), count: 1000))
        #expect(try Self.stripped(chunked).get().count < 32)
    }

    @Test func malformedBytesAreRefusedWithTheirOffset() {
        let cases: [(String, [UInt8])] = [
            ("a malformed or truncated varint", [0x08] + [UInt8](repeating: 0xff, count: 11)),
            ("runs past the end", [0x3a, 0x10, 0x00]),                                // graph of 16 bytes, 1 there
            ("wire type 3", [0x3b]),                                                 // a group
            ("field number 0", [0x02, 0x00]),
            ("nested deeper than 64", Self.nested(70)),
        ]
        for (expected, bytes) in cases {
            guard case .failure(let failure) = Self.stripped(bytes) else {
                Issue.record("\(expected): accepted")
                continue
            }
            #expect(failure.reason.contains(expected), "\(failure.reason)")
            #expect(failure.offset >= 0 && failure.offset <= bytes.count)
        }
    }

    /// A graph in an attribute of a node of a graph … `depth` times.
    static func nested(_ depth: Int) -> [UInt8] {
        var graph: [UInt8] = []
        for _ in 0..<depth { graph = field(1, field(5, field(6, graph))) }   // node → attribute → g
        return field(7, graph)
    }
}
