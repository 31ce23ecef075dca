import Foundation
import Testing
import SimDITCore
@testable import SimDITFiles

/// Paths and tools for the RTL tests.
enum RTL {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let templates = repository.appendingPathComponent("Templates")
    static let testbench = repository.appendingPathComponent("Tests/RTL/simdit_tb.v")

    static var templateFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: templates.path)) ?? []).filter { $0.hasSuffix(".v") }.sorted()
            .map { templates.appendingPathComponent($0).path }
    }

    /// A tool on PATH; a missing tool fails the test (scripts/test.sh installs them), never skips it.
    static func tool(_ name: String) throws -> String {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for directory in paths {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        Issue.record("\(name) is not installed: run 'bash scripts/test.sh', which installs iverilog and verilator")
        throw CancellationError()
    }

    struct Output {
        var status: Int32
        var text: String
    }

    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, text: String(decoding: data, as: UTF8.self))
    }

    static func scratch(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("simdit-rtl-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes the generated header for an architecture into `directory`.
    static func writeHeader(_ architecture: Architecture, to directory: URL) throws {
        let parameters = try RTLParameters.derive(architecture).get()
        try RTLHeader.render(parameters, origin: "the RTL tests").write(
            to: directory.appendingPathComponent(RTLHeader.fileName), atomically: true, encoding: .utf8)
    }

    /// The configurations the issue names: two presets, a non-square 4×8 and a 32×32.
    static let custom4x8 = Architecture(
        name: "custom-4x8", arrayRows: 4, arrayColumns: 8, activationBits: 8, weightBits: 8,
        inputBufferCapacityBits: 65536, weightBufferCapacityBits: 65536, outputBufferCapacityBits: 65536,
        biasBufferCapacityBits: 4096, vectorMemoryCapacityBits: 65536,
        inputPortBitsPerCycle: 64, parameterPortBitsPerCycle: 32, outputPortBitsPerCycle: 64, simdPortBitsPerCycle: 64)

    static func preset(_ name: String) -> Architecture {
        Presets.named(name) ?? custom4x8
    }
}

extension Random {
    /// A uniform signed number of `bits` bits.
    mutating func signed(bits: Int) -> Int {
        let range = 1 << (bits - 1)
        return Int(next() % UInt64(2 * range)) - range
    }
}

/// One convolution (or GEMM) tile laid out for the testbench, with its reference output computed
/// here from the definition of a convolution.
struct ConvolutionTile {
    var outputWidth: Int, outputHeight: Int, kernel: Int, stride: Int, batch: Int
    var inputChannels: Int, outputChannels: Int

    /// P, R, O of the RTL sequencer.
    func steps(_ a: Architecture) -> (pixels: Int, reductions: Int, outputBlocks: Int) {
        let icBlocks = (inputChannels + a.arrayRows - 1) / a.arrayRows
        let ocBlocks = (outputChannels + a.arrayColumns - 1) / a.arrayColumns
        return (outputWidth * outputHeight * batch, kernel * kernel * icBlocks, ocBlocks)
    }

    /// The model's tile, for its per-tile cycle count.
    func modelTile(_ a: Architecture) -> SystolicTile {
        SystolicTile(outputWidth: Double(outputWidth), outputHeight: Double(outputHeight),
                     outputChannels: Double(outputChannels), inputChannels: Double(inputChannels),
                     kernelWidth: Double(kernel), kernelHeight: Double(kernel), batch: Double(batch),
                     inputWidth: Double((outputWidth - 1) * stride + kernel),
                     inputHeight: Double((outputHeight - 1) * stride + kernel))
    }

    /// Writes ibuf/wbuf/bbuf/expected hex files; `corrupt` flips one weight in the RTL's copy only.
    func write(_ a: Architecture, to directory: URL, seed: UInt64, corrupt: Bool = false) throws {
        var random = Random(seed: seed)
        let n = a.arrayRows, m = a.arrayColumns
        let (pixels, reductions, outputBlocks) = steps(a)
        let icBlocks = reductions / (kernel * kernel)
        let inputHeight = (outputHeight - 1) * stride + kernel, inputWidth = (outputWidth - 1) * stride + kernel
        let actBits = min(a.activationBits, 8), wgtBits = min(a.weightBits, 8)
        // x[b][c][y][x], w[oc][ic][ky][kx], bias[oc].
        var x = [Int](repeating: 0, count: batch * inputChannels * inputHeight * inputWidth)
        for i in x.indices { x[i] = random.signed(bits: actBits) }
        var w = [Int](repeating: 0, count: outputChannels * inputChannels * kernel * kernel)
        for i in w.indices { w[i] = random.signed(bits: wgtBits) }
        let bias = (0..<outputChannels).map { _ in random.signed(bits: 12) }
        func input(_ b: Int, _ c: Int, _ y: Int, _ xx: Int) -> Int {
            x[((b * inputChannels + c) * inputHeight + y) * inputWidth + xx]
        }
        func weight(_ oc: Int, _ ic: Int, _ ky: Int, _ kx: Int) -> Int {
            w[((oc * inputChannels + ic) * kernel + ky) * kernel + kx]
        }
        func pixel(_ p: Int) -> (b: Int, y: Int, x: Int) {
            (p / (outputHeight * outputWidth), (p / outputWidth) % outputHeight, p % outputWidth)
        }
        // Reduction block r = kernel position × input-channel block.
        func block(_ r: Int) -> (ky: Int, kx: Int, icBlock: Int) {
            let position = r / icBlocks
            return (position / kernel, position % kernel, r % icBlocks)
        }
        var ibuf: [Int] = []
        for r in 0..<reductions {
            let (ky, kx, icBlock) = block(r)
            for p in 0..<pixels {
                let (b, y, xx) = pixel(p)
                for row in 0..<n {
                    let c = icBlock * n + row
                    ibuf.append(c < inputChannels ? input(b, c, y * stride + ky, xx * stride + kx) : 0)
                }
            }
        }
        var wbuf: [Int] = []
        for o in 0..<outputBlocks {
            for r in 0..<reductions {
                let (ky, kx, icBlock) = block(r)
                for row in 0..<n {
                    for column in 0..<m {
                        let ic = icBlock * n + row, oc = o * m + column
                        wbuf.append(ic < inputChannels && oc < outputChannels ? weight(oc, ic, ky, kx) : 0)
                    }
                }
            }
        }
        var bbuf: [Int] = []
        for o in 0..<outputBlocks {
            for column in 0..<m {
                let oc = o * m + column
                bbuf.append(oc < outputChannels ? bias[oc] : 0)
            }
        }
        var expected: [Int] = []
        for o in 0..<outputBlocks {
            for p in 0..<pixels {
                let (b, y, xx) = pixel(p)
                for column in 0..<m {
                    let oc = o * m + column
                    guard oc < outputChannels else { expected.append(0); continue }
                    var sum = bias[oc]
                    for ic in 0..<inputChannels {
                        for ky in 0..<kernel {
                            for kx in 0..<kernel { sum += input(b, ic, y * stride + ky, xx * stride + kx) * weight(oc, ic, ky, kx) }
                        }
                    }
                    expected.append(sum)
                }
            }
        }
        if corrupt, let index = wbuf.firstIndex(where: { $0 != 0 }) { wbuf[index] = -wbuf[index] + 1 }
        func hex(_ values: [Int], bits: Int) -> String {
            values.map { String(UInt64(bitPattern: Int64($0)) & ((1 << UInt64(bits)) - 1), radix: 16) }.joined(separator: "\n") + "\n"
        }
        try hex(ibuf, bits: a.activationBits).write(to: directory.appendingPathComponent("ibuf.hex"), atomically: true, encoding: .utf8)
        try hex(wbuf, bits: a.weightBits).write(to: directory.appendingPathComponent("wbuf.hex"), atomically: true, encoding: .utf8)
        try hex(bbuf, bits: a.biasBits).write(to: directory.appendingPathComponent("bbuf.hex"), atomically: true, encoding: .utf8)
        try hex(expected, bits: a.accumulatorBits).write(to: directory.appendingPathComponent("expected.hex"), atomically: true,
                                                         encoding: .utf8)
    }
}

/// SIMD-lane vectors: for each op, random operands per lane and the expected result, 32-bit wrap.
enum SIMDVectors {
    static func write(lanes: Int, to directory: URL, seed: UInt64) throws -> Int {
        var random = Random(seed: seed)
        var words: [Int] = []
        let ops = [0, 1, 2, 3, 4, 0, 3, 2]
        for op in ops {
            words.append(op)
            for _ in 0..<lanes {
                let a = Int(Int32(truncatingIfNeeded: random.next())) >> (op == 3 ? 12 : 1)
                let b = Int(Int32(truncatingIfNeeded: random.next())) >> (op == 3 ? 12 : 1)
                let y: Int32
                switch op {
                case 0: y = Int32(truncatingIfNeeded: a &+ b)
                case 1: y = Int32(truncatingIfNeeded: a &- b)
                case 2: y = Int32(max(a, b))
                case 3: y = Int32(truncatingIfNeeded: a &* b)
                default: y = a < b ? 1 : 0
                }
                words += [a, b, Int(y)]
            }
        }
        let text = words.map { String(UInt32(truncatingIfNeeded: $0), radix: 16) }.joined(separator: "\n") + "\n"
        try text.write(to: directory.appendingPathComponent("simd.hex"), atomically: true, encoding: .utf8)
        return ops.count
    }
}

/// One simulation's verdict.
struct SimulationResult {
    var errors: Int
    var checked: Int
    var latency: Int

    init(_ text: String) throws {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }) else {
            Issue.record("no RESULT line in:\n\(text)")
            throw CancellationError()
        }
        func field(_ name: String) -> Int {
            line.split(separator: " ").first { $0.hasPrefix(name + "=") }.flatMap { Int($0.dropFirst(name.count + 1)) } ?? -1
        }
        errors = field("errors")
        checked = field("checked")
        latency = field("latency")
    }
}

/// A compiled testbench for one configuration under one simulator.
struct CompiledBench {
    enum Simulator { case icarus, verilator }

    let simulator: Simulator
    let directory: URL
    let executable: String

    init(_ architecture: Architecture, _ simulator: Simulator) throws {
        self.simulator = simulator
        directory = try RTL.scratch(architecture.name)
        try RTL.writeHeader(architecture, to: directory)
        let sources = RTL.templateFiles + [RTL.testbench.path]
        switch simulator {
        case .icarus:
            let compiled = directory.appendingPathComponent("tb.vvp").path
            let out = try RTL.run(try RTL.tool("iverilog"),
                                  ["-g2005", "-Wall", "-I", directory.path, "-s", "simdit_tb", "-o", compiled] + sources)
            #expect(out.status == 0 && out.text.isEmpty, "iverilog:\n\(out.text)")
            executable = compiled
        case .verilator:
            let objects = directory.appendingPathComponent("obj")
            let out = try RTL.run(try RTL.tool("verilator"),
                                  ["--binary", "--timing", "-Wno-fatal", "-O1", "-I\(directory.path)", "--top-module", "simdit_tb",
                                   "--Mdir", objects.path, "-o", "simdit_tb"] + sources)
            #expect(out.status == 0, "verilator:\n\(out.text.suffix(3000))")
            executable = objects.appendingPathComponent("simdit_tb").path
        }
    }

    /// Runs one tile (and the SIMD vectors) and returns the testbench's verdict.
    func run(_ tile: ConvolutionTile, on architecture: Architecture, seed: UInt64, corrupt: Bool = false) throws
        -> SimulationResult {
        let data = try RTL.scratch("data")
        try tile.write(architecture, to: data, seed: seed, corrupt: corrupt)
        let vectors = try SIMDVectors.write(lanes: architecture.arrayColumns, to: data, seed: seed &+ 1)
        let (p, r, o) = tile.steps(architecture)
        var arguments = ["+P=\(p)", "+R=\(r)", "+O=\(o)"]
        for name in ["ibuf", "wbuf", "bbuf", "expected"] {
            arguments.append("+\(name)=\(data.appendingPathComponent("\(name).hex").path)")
        }
        arguments += ["+simd=\(data.appendingPathComponent("simd.hex").path)", "+vectors=\(vectors)"]
        let out: RTL.Output
        switch simulator {
        case .icarus: out = try RTL.run(try RTL.tool("vvp"), ["-n", executable] + arguments)
        case .verilator: out = try RTL.run(executable, arguments)
        }
        return try SimulationResult(out.text)
    }
}
