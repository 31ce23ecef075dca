import ArgumentParser
import Foundation
import SimDITCore
import SimDITFiles

/// `simdit bench`: in-process timing of the simulator core on built-in cases.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the simulator on built-in cases and print the median per case.",
        discussion: """
            Each case is lowered once, then simulated --warmup times untimed and --repetitions times \
            timed; the table gives the median and the fastest run. An --onnx model is a case that \
            times the whole path each run: reading and importing the file, lowering it for \
            inference and simulating it at batch 1 on genesys-inference-08. Build with -c release \
            for meaningful numbers.
            """
    )

    @Option(name: .long, parsing: .unconditional, help: "Timed runs per case, 1 to 1,000,000.")
    var repetitions: Int = 200

    @Option(name: .long, parsing: .unconditional, help: "Untimed runs per case before timing, 0 to 1,000,000.")
    var warmup: Int = 20

    @Option(name: .long, help: "Only the cases whose name contains this text (e.g. 'training', 'inference-08').")
    var filter: String?

    @Option(name: .long, parsing: .upToNextOption,
            help: "ONNX models to time end to end (import, lower, simulate), e.g. light_resnet50.onnx.")
    var onnx: [String] = []

    @Flag(name: .long, help: "Also time a sweep of 144,000 ResNet-50 inference design points with energy and area on all cores (at most 5 runs), in points per second.")
    var sweep = false

    /// The sweep case: seven architecture axes around genesys-inference-08, 144,000 points.
    static func sweepSpec() -> SweepSpec? {
        guard let base = Presets.named("genesys-inference-08") else { return nil }
        let axes: [SweepSpec.Axis?] = [
            SweepSpec.Axis(key: "network", target: .network, values: [.name("resnet50")]),
            SweepSpec.Axis(key: "mode", target: .mode, values: [.name("inference")]),
            SweepSpec.Axis(key: "batch", target: .batch, values: [.integer(1)]),
            SweepSpec.Axis(key: "fusion", target: .fusion, values: [.flag(false)]),
            SweepSpec.Axis(key: "optimizer", target: .optimizer, values: [.name("sgd")]),
            SweepSpec.Axis(key: "technology", target: .technology, values: [.name("generic-45nm")]),
            .architecture("systolic_array.rows", [8, 16, 32, 64, 128]),
            .architecture("systolic_array.columns", [8, 16, 32, 64, 128]),
            .architecture("buffers.ibuf_capacity_bits", [1 << 18, 1 << 19, 1 << 20, 1 << 21, 1 << 22, 1 << 23]),
            .architecture("buffers.wbuf_capacity_bits", [1 << 18, 1 << 19, 1 << 20, 1 << 21, 1 << 22, 1 << 23]),
            .architecture("buffers.obuf_capacity_bits", [1 << 18, 1 << 19, 1 << 20, 1 << 21, 1 << 22]),
            .architecture("dram_bandwidth.simd_bits_per_cycle", [64, 128, 256, 512]),
            .architecture("dram_bandwidth.ibuf_bits_per_cycle", [128, 256, 512, 1024]),
            .architecture("dram_bandwidth.parambuf_bits_per_cycle", [256, 512]),
        ]
        return SweepSpec(file: "bench", base: LoadedArchitecture(architecture: base, file: nil, positions: [:]),
                         axes: axes.compactMap { $0 }, objectives: [.cycles, .energyPicojoules, .areaSquareMillimetres])
    }

    func validate() throws {
        try checkRange("--repetitions", repetitions, 1...1_000_000)
        try checkRange("--warmup", warmup, 0...1_000_000)
    }

    /// The built-in cases: ResNet-50 inference at batch 1 on every inference preset, and one
    /// ResNet-50 training iteration at batch 32 on every training preset.
    /// A timed case: one run returns the simulated cycles (0 when it failed).
    typealias Case = (name: String, run: () -> Double)

    static func cases() -> [Case] {
        guard let resnet50 = Zoo.named("resnet50"), let inference = try? resnet50.inferenceProgram().get(),
              let training = try? resnet50.trainingProgram().get() else { return [] }
        func simulate(_ program: Program, _ preset: Architecture, _ options: SimulationOptions) -> () -> Double {
            { (try? Simulator.run(program, on: preset, options: options))?.total.cycles ?? 0 }
        }
        let inferenceCases: [Case] = Presets.all.filter { $0.name.hasPrefix("genesys-inference-") }.map { preset in
            ("resnet50 inference b1 on \(preset.name)", simulate(inference, preset, SimulationOptions(mode: .inference, batch: 1)))
        }
        let trainingCases: [Case] = Presets.all.filter { $0.name.hasPrefix("genesys-training-") }.map { preset in
            ("resnet50 training b32 on \(preset.name)", simulate(training, preset, SimulationOptions(mode: .training, batch: 32)))
        }
        return inferenceCases + trainingCases
    }

    /// An ONNX model timed end to end: import, lowering and simulation in each run.
    static func onnxCase(_ path: String) -> Case {
        let name = "\(path.split(separator: "/").last.map(String.init) ?? path) import+inference b1 on genesys-inference-08"
        return (name, {
            guard let architecture = Presets.named("genesys-inference-08"),
                  case .success(let loaded) = InputResolver.network(path),
                  case .success(let program) = loaded.network.inferenceProgram() else { return 0 }
            return (try? Simulator.run(program, on: architecture, options: SimulationOptions(mode: .inference, batch: 1)))?
                .total.cycles ?? 0
        })
    }

    func run() throws {
        let clock = ContinuousClock()
        var rows: [[String]] = []
        let cases = (Self.cases() + onnx.map(Self.onnxCase)).filter { filter.map($0.name.contains) ?? true }
        guard !cases.isEmpty else {
            throw ValidationError("no bench case matches --filter '\(filter ?? "")'")
        }
        for benchCase in cases {
            var checksum = 0.0
            for _ in 0..<warmup { checksum += benchCase.run() }
            var samples: [Double] = []
            samples.reserveCapacity(repetitions)
            for _ in 0..<repetitions {
                let start = clock.now
                let cycles = benchCase.run()
                let elapsed = clock.now - start
                checksum += cycles
                samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
            }
            samples.sort()
            let median = samples.count % 2 == 1
                ? samples[samples.count / 2] : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
            rows.append([benchCase.name, String(format3(median)), String(format3(samples[0])), "\(repetitions)",
                         checksum > 0 ? "ok" : "failed"])
        }
        print(TextTable.render(header: ["case", "median (µs)", "min (µs)", "runs", "result"], rows: rows,
                               rightAligned: [1, 2, 3]), terminator: "")
        if sweep { try runSweep() }
    }

    /// Times the sweep case: evaluation, the Pareto front and rendering, as `simdit sweep` does.
    private func runSweep() throws {
        guard let spec = Self.sweepSpec() else { return }
        let runner = try SweepRunner(spec: spec)
        let positions = runner.positions(shard: (0, 1))
        let threads = ProcessInfo.processInfo.activeProcessorCount
        var rates: [Double] = []
        var valid = 0
        for _ in 0..<min(repetitions, 5) {
            let start = ContinuousClock.now
            let rows = runner.evaluate(positions, threads: threads)
            _ = runner.render(rows, format: .jsonl, paretoOnly: false)
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            rates.append(Double(positions.count) / seconds)
            valid = rows.filter { $0.valid }.count
        }
        rates.sort()
        let median = rates[rates.count / 2]
        print("sweep: \(positions.count) ResNet-50 inference points (\(valid) valid) with energy and area on \(threads) "
              + "threads: median \(Int(median)) points/s over \(rates.count) runs (\(format3(Double(positions.count) / median)) s per sweep)")
    }

    private func format3(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
