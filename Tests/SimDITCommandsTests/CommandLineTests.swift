import Foundation
import Testing
import SimDITFiles

/// Runs the built `simdit` executable (the README's test command builds it first).
struct SimDIT {
    struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static func executable() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("simdit"),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/simdit"),
        ]
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "simdit executable not built (run 'swift build' first): looked at \(candidates.map(\.path))")
    }

    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read before waiting so a large report cannot fill the pipe and block the child.
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                   standardError: String(decoding: errData, as: UTF8.self))
    }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("simdit-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite("simdit command line", .serialized)
struct CommandLineTests {
    @Test func defaultRunPrintsTheSummary() throws {
        let run = try SimDIT.run(["simulate"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains(
            "resnet50 on genesys-training-08 (64×64 array), training (one iteration, sgd), batch 32"))
        // The paper's headline: non-convolution ops are 59.5 % of ResNet-50 training on 64×64.
        let share = run.standardOutput.split(separator: "\n").first { $0.hasPrefix("non-convolution share") }
        #expect(share?.hasSuffix("59.5 %") == true, "\(String(describing: share))")
        #expect(run.standardOutput.contains("cycles by op category"))
        #expect(!run.standardOutput.contains("conv1.dW"))  // summary only
    }

    @Test func inferenceDefaultsToTheInferenceDesign() throws {
        let run = try SimDIT.run(["simulate", "--mode", "inference", "--summary"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("resnet50 on genesys-inference-08 (64×64 array), inference, batch 1"))
    }

    @Test func trainingJSONGroupsCyclesByCategory() throws {
        let run = try SimDIT.run(["simulate", "--arch", "genesys-training-05", "--batch", "8", "--optimizer", "adam",
                                  "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let root = try jsonObject(run.standardOutput)
        #expect(root["optimizer"] as? String == "adam")
        let breakdown = try #require(root["breakdown"] as? [String: Any])
        for category in ["forward_convolution", "data_gradient_convolution", "weight_gradient_convolution",
                         "fully_connected", "batch_norm_statistics", "batch_norm_apply", "batch_norm_backward", "relu",
                         "relu_gradient", "elementwise_add", "pooling", "pooling_gradient", "weight_update", "reductions"] {
            #expect(breakdown[category] is NSNumber, "breakdown.\(category)")
        }
        let share = try #require((root["non_conv_share"] as? NSNumber)?.doubleValue)
        let total = try #require(((root["total"] as? [String: Any])?["cycles"] as? NSNumber)?.doubleValue)
        let simd = try #require((((root["total"] as? [String: Any])?["simd"] as? [String: Any])?["cycles"] as? NSNumber)?.doubleValue)
        #expect(abs(share - simd / total) < 1e-12)
        let layers = try #require(root["layers"] as? [[String: Any]])
        #expect(layers.contains { $0["op"] as? String == "adam4d" })
    }

    @Test func optimizerNeedsTraining() throws {
        let run = try SimDIT.run(["simulate", "--mode", "inference", "--optimizer", "adam"])
        #expect(run.status != 0 && run.standardError.contains("--optimizer applies to --mode training only"))
    }

    @Test func jsonHasTheContractKeys() throws {
        let run = try SimDIT.run(["simulate", "--mode", "inference", "--arch", "genesys-inference-01", "--network",
                                  "resnet18", "--batch", "4", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let root = try jsonObject(run.standardOutput)
        #expect(root["schema"] as? String == "simdit.simulation/1")
        let total = try #require(root["total"] as? [String: Any])
        for key in ["cycles", "dram_bytes", "ops"] { #expect(total[key] is NSNumber, "total.\(key)") }
        for unit in ["systolic", "simd"] {
            let part = try #require(total[unit] as? [String: Any])
            #expect(part["compute_cycles"] is NSNumber && part["stall_cycles"] is NSNumber)
        }
        let kinds = try #require(total["dram_bytes_by_kind"] as? [String: Any])
        #expect(Set(kinds.keys) == ["filter", "ifmap", "psum", "ofmap", "bias"])
        let buffers = try #require(total["sram_bytes_by_buffer"] as? [String: Any])
        #expect(Set(buffers.keys) == ["ibuf", "wbuf", "obuf", "bbuf", "vmem", "imm", "instruction"])
        let layers = try #require(root["layers"] as? [[String: Any]])
        #expect(layers.count == 49)
        for layer in layers {
            for key in ["name", "op", "unit", "cycles", "compute_cycles", "stall_cycles", "dram_bytes", "tile"] {
                #expect(layer[key] != nil, "layers[].\(key)")
            }
            #expect(["systolic", "simd", "none"].contains(layer["unit"] as? String ?? ""))
        }
        // The total is the sum of the layers.
        let sum = layers.reduce(0.0) { $0 + (($1["cycles"] as? NSNumber)?.doubleValue ?? .nan) }
        let cycles = try #require((total["cycles"] as? NSNumber)?.doubleValue)
        #expect(abs(sum - cycles) <= 1e-9 * cycles)
    }

    @Test func csvAndOutputFile() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("run.csv").path
        let run = try SimDIT.run(["simulate", "--mode", "inference", "--network", "resnet18", "--format", "csv",
                                  "--output", path])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("index,name,op,unit"))
        let rows = text.split(separator: "\n")
        #expect(rows.filter { $0.first?.isNumber == true }.count == 49)
        #expect(rows.contains { $0.hasPrefix(",non_convolution,") })
    }

    @Test func unwritableOutputLeavesNoFile() throws {
        let run = try SimDIT.run(["simulate", "--output", "/nonexistent-dir/run.txt"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("cannot write the output: the directory /nonexistent-dir does not exist"))
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent-dir/run.txt"))
    }

    @Test func presetShowRoundTripsThroughSimulate() throws {
        let directory = try temporaryDirectory()
        let shown = try SimDIT.run(["presets", "show", "genesys-inference-05"])
        #expect(shown.status == 0)
        let path = directory.appendingPathComponent("arch.yaml").path
        try shown.standardOutput.write(toFile: path, atomically: true, encoding: .utf8)
        let fromFile = try SimDIT.run(["simulate", "--mode", "inference", "--arch", path, "--format", "json"])
        let fromPreset = try SimDIT.run(["simulate", "--mode", "inference", "--arch", "genesys-inference-05",
                                         "--format", "json"])
        #expect(fromFile.status == 0, "\(fromFile.standardError)")
        let a = try jsonObject(fromFile.standardOutput)["total"] as? [String: Any]
        let b = try jsonObject(fromPreset.standardOutput)["total"] as? [String: Any]
        #expect((a?["cycles"] as? NSNumber) == (b?["cycles"] as? NSNumber))
    }

    @Test func networkShowRoundTripsThroughSimulate() throws {
        let directory = try temporaryDirectory()
        let shown = try SimDIT.run(["networks", "show", "resnet50"])
        let path = directory.appendingPathComponent("resnet50.yaml").path
        try shown.standardOutput.write(toFile: path, atomically: true, encoding: .utf8)
        let fromFile = try SimDIT.run(["simulate", "--network", path, "--format", "csv"])
        let builtIn = try SimDIT.run(["simulate", "--network", "resnet50", "--format", "csv"])
        #expect(fromFile.status == 0, "\(fromFile.standardError)")
        #expect(fromFile.standardOutput == builtIn.standardOutput)
    }

    @Test func listings() throws {
        let presets = try SimDIT.run(["presets"])
        #expect(presets.status == 0)
        #expect(presets.standardOutput.split(separator: "\n").filter { $0.hasPrefix("genesys-") }.count == 21)
        let networks = try SimDIT.run(["networks"])
        #expect(networks.standardOutput.contains("resnet18") && networks.standardOutput.contains("resnet50"))
    }

    @Test func badFileExitsNonZeroWithPositions() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("bad.yaml").path
        try "version: 1\nsystolic_array:\n  rowz: 16\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = try SimDIT.run(["simulate", "--arch", path])
        #expect(run.status == 1)
        #expect(run.standardError.contains("\(path):3:3: error: unknown key 'rowz' in 'systolic_array'; did you mean 'rows'?"))
        #expect(run.standardError.contains("missing key 'columns'"))
        #expect(run.standardOutput.isEmpty)
    }

    @Test func badNamesAndOptions() throws {
        let preset = try SimDIT.run(["simulate", "--arch", "genesys-inference-10"])
        #expect(preset.status == 1 && preset.standardError.contains("unknown architecture preset 'genesys-inference-10'"))
        let missing = try SimDIT.run(["simulate", "--network", "missing.yaml"])
        #expect(missing.status == 1 && missing.standardError.contains("no such file"))
        let batch = try SimDIT.run(["simulate", "--batch", "-3"])
        #expect(batch.status != 0 && batch.standardError.contains("--batch"))
        let format = try SimDIT.run(["simulate", "--format", "xml"])
        #expect(format.status != 0)
    }

    @Test func smallBufferForTheNetworkPointsAtTheKey() throws {
        let directory = try temporaryDirectory()
        let shown = try SimDIT.run(["presets", "show", "genesys-inference-01"])
        // Enough for one element per lane (file check) but not for a 7×7 pooling window.
        let text = shown.standardOutput.replacingOccurrences(of: "vmem_capacity_bits: 524288", with: "vmem_capacity_bits: 1024")
        let path = directory.appendingPathComponent("small-vmem.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try SimDIT.run(["simulate", "--mode", "inference", "--arch", path])
        #expect(run.status == 1)
        #expect(run.standardError.contains("VMEM too small: buffers.vmem_capacity_bits = 1024 bits, the minimum is 25088 bits"))
        #expect(run.standardError.contains("\(path):25:23: error:"))
    }

    @Test func benchReportsMedians() throws {
        let run = try SimDIT.run(["bench", "--repetitions", "3", "--warmup", "1"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("median (µs)"))
        #expect(run.standardOutput.split(separator: "\n").filter { $0.contains("resnet50 inference") }.count == 13)
        #expect(run.standardOutput.split(separator: "\n").filter { $0.contains("resnet50 training") }.count == 8)
        #expect(!run.standardOutput.contains("failed"))
    }
}

@Suite("simdit energy, area and calibration commands", .serialized)
struct EnergyCommandTests {
    @Test func jsonCarriesEnergyAndPower() throws {
        let run = try SimDIT.run(["simulate", "--mode", "inference", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let root = try jsonObject(run.standardOutput)
        #expect(root["technology"] as? String == "generic-45nm")
        let total = try #require(root["total"] as? [String: Any])
        let energy = try #require((total["energy_pj"] as? NSNumber)?.doubleValue)
        let breakdown = try #require(total["energy_breakdown_pj"] as? [String: NSNumber])
        #expect(abs(breakdown.values.reduce(0) { $0 + $1.doubleValue } - energy) <= 1e-9 * energy)
        #expect(Set(breakdown.keys).isSuperset(of: ["systolic_mac", "ibuf", "wbuf", "obuf", "bbuf", "vmem", "simd_alu",
                                                   "dram", "leakage"]))
        let runtime = try #require((total["runtime_s"] as? NSNumber)?.doubleValue)
        let power = try #require((total["average_power_w"] as? NSNumber)?.doubleValue)
        let clock = try #require((total["clock_hz"] as? NSNumber)?.doubleValue)
        let cycles = try #require((total["cycles"] as? NSNumber)?.doubleValue)
        #expect(abs(runtime - cycles / clock) <= 1e-12 * runtime)
        #expect(abs(power * runtime - energy * 1e-12) <= 1e-9 * energy * 1e-12)
        let layers = try #require(root["layers"] as? [[String: Any]])
        let layerSum = layers.reduce(0.0) { $0 + (($1["energy_pj"] as? NSNumber)?.doubleValue ?? .nan) }
        #expect(abs(layerSum - energy) <= 1e-9 * energy)
    }

    @Test func doublingDRAMEnergyInAUserLibraryDoublesTheDRAMComponent() throws {
        let directory = try temporaryDirectory()
        let base = try String(contentsOf: InvalidFixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TechLib/generic-45nm.yaml"), encoding: .utf8)
        // ddr3 is 30.46875 pJ/bit; the same library with twice that, given as a number.
        let doubled = base.replacingOccurrences(of: "standard: ddr3", with: "energy_pj_per_bit: 60.9375")
        #expect(doubled != base)
        let path = directory.appendingPathComponent("double-dram.yaml").path
        try doubled.write(toFile: path, atomically: true, encoding: .utf8)
        func breakdown(_ tech: String) throws -> [String: Double] {
            let run = try SimDIT.run(["simulate", "--network", "resnet18", "--batch", "4", "--tech", tech, "--format", "json"])
            #expect(run.status == 0, "\(run.standardError)")
            let total = try #require(try jsonObject(run.standardOutput)["total"] as? [String: Any])
            return try #require(total["energy_breakdown_pj"] as? [String: NSNumber]).mapValues(\.doubleValue)
        }
        let one = try breakdown("generic-45nm"), two = try breakdown(path)
        for (component, value) in one {
            if component == "dram" {
                #expect(abs(two[component]! - 2 * value) <= 1e-12 * value)
            } else {
                #expect(two[component] == value, "\(component)")
            }
        }
    }

    @Test func areaReportsEveryPart() throws {
        let run = try SimDIT.run(["area", "--arch", "genesys-inference-08", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let root = try jsonObject(run.standardOutput)
        let area = try #require(root["area_mm2"] as? [String: NSNumber])
        for part in ["pe_array", "ibuf", "wbuf", "obuf", "bbuf", "vmem", "simd", "control", "total"] {
            #expect((area[part]?.doubleValue ?? 0) > 0, "area_mm2.\(part)")
        }
        let parts = area.filter { $0.key != "total" }.values.reduce(0) { $0 + $1.doubleValue }
        #expect(abs(parts - area["total"]!.doubleValue) <= 1e-9 * parts)
        let table = try SimDIT.run(["area"])
        #expect(table.status == 0 && table.standardOutput.contains("area (mm²)"))
    }

    @Test func calibrateThenSimulateUsesTheCalibratedFigures() throws {
        let directory = try temporaryDirectory()
        let reportPath = directory.appendingPathComponent("pe.yaml").path
        try """
            version: 1
            design: pe-int16
            clock_period_ns: 4
            worst_slack_ns: -1
            switching_activity: 0.5
            modules:
              - {name: pe, kind: pe, precision_bits: 16, area_um2: 2000, leakage_uw: 3, dynamic_uw: 1000}

            """.write(toFile: reportPath, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("calibrated.yaml").path
        let run = try SimDIT.run(["calibrate", "--report", reportPath, "--output", output])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("clock 200 MHz"))  // 1 / (4 − (−1)) ns
        let simulated = try SimDIT.run(["simulate", "--tech", output, "--format", "json"])
        #expect(simulated.status == 0, "\(simulated.standardError)")
        let root = try jsonObject(simulated.standardOutput)
        let total = try #require(root["total"] as? [String: Any])
        #expect((total["clock_hz"] as? NSNumber)?.doubleValue == 200e6)
        // MAC energy 1000 µW / (250 MHz × 1 × 0.5) = 8 pJ; the MAC component is MACs × 8 + bias adds × 0.1.
        let macs = try #require((total["macs"] as? NSNumber)?.doubleValue)
        let bbufBytes = try #require(((total["sram_bytes_by_buffer"] as? [String: Any])?["bbuf"] as? NSNumber)?.doubleValue)
        let mac = try #require(((total["energy_breakdown_pj"] as? [String: Any])?["systolic_mac"] as? NSNumber)?.doubleValue)
        let expected = macs * 8 + bbufBytes * 8 / 32 * 0.1
        #expect(abs(mac - expected) <= 1e-9 * expected)
    }

    @Test func inconsistentReportWritesNothing() throws {
        let directory = try temporaryDirectory()
        let reportPath = directory.appendingPathComponent("bad.yaml").path
        try "version: 1\ndesign: x\nclock_period_ns: 2\nworst_slack_ns: 3\nswitching_activity: 0.1\nmodules:\n  - {name: pe, kind: pe, precision_bits: 8, dynamic_uw: 5}\n"
            .write(toFile: reportPath, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("out.yaml").path
        let run = try SimDIT.run(["calibrate", "--report", reportPath, "--output", output])
        #expect(run.status == 1)
        #expect(run.standardError.contains("\(reportPath):4:17: error:"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}

@Suite("simdit rtl", .serialized)
struct RTLCommandTests {
    @Test func writesTheHeaderForAPreset() throws {
        let directory = try temporaryDirectory().appendingPathComponent("new/dir")
        let run = try SimDIT.run(["rtl", "--arch", "genesys-inference-01", "--output", directory.path])
        #expect(run.status == 0, "\(run.standardError)")
        let header = try String(contentsOf: directory.appendingPathComponent("simdit_params.vh"), encoding: .utf8)
        #expect(header.contains("`define ARRAY_N 16 ") && header.contains("`define WBUF_DEPTH 128 "))
        #expect(header.contains("from preset genesys-inference-01"))
    }

    @Test func badConfigurationIsADiagnosticAtTheKey() throws {
        let directory = try temporaryDirectory()
        let shown = try SimDIT.run(["presets", "show", "genesys-inference-01"])
        let text = shown.standardOutput.replacingOccurrences(of: "ibuf_capacity_bits: 131072", with: "ibuf_capacity_bits: 131080")
            .replacingOccurrences(of: "simd_bits_per_cycle: 128", with: "simd_bits_per_cycle: 96")
        let path = directory.appendingPathComponent("odd.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try SimDIT.run(["rtl", "--arch", path, "--output", directory.appendingPathComponent("out").path])
        #expect(run.status == 1)
        #expect(run.standardError.contains("\(path):21:23: error: IBUF capacity 131080 bits does not divide"))
        #expect(run.standardError.contains("\(path):37:24: error: 96 bits is not an AXI data width"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out/simdit_params.vh").path))
    }
}

@Suite("simdit optimize", .serialized)
struct OptimizeCommandTests {
    /// ResNet-50 inference at batch 1 on genesys-inference-08's budgets: the best split beats the
    /// equal split by at least 1.3×, and simulating the emitted architecture gives best.cycles exactly.
    @Test func resNet50OnInference08() throws {
        let directory = try temporaryDirectory()
        let archPath = directory.appendingPathComponent("best.yaml").path
        let run = try SimDIT.run(["optimize", "--arch", "genesys-inference-08", "--network", "resnet50", "--mode", "inference",
                                  "--batch", "1", "--format", "json", "--emit-arch", archPath])
        #expect(run.status == 0, "\(run.standardError)")
        let root = try jsonObject(run.standardOutput)
        #expect(root["schema"] as? String == "simdit.optimization/1")
        let best = try #require(root["best"] as? [String: Any])
        let bestCycles = try #require((best["cycles"] as? NSNumber)?.doubleValue)
        let equal = try #require(((root["equal_split"] as? [String: Any])?["cycles"] as? NSNumber)?.doubleValue)
        let baseline = try #require(((root["baseline"] as? [String: Any])?["cycles"] as? NSNumber)?.doubleValue)
        #expect(equal / bestCycles >= 1.3, "best over equal split: \(equal / bestCycles)")
        #expect(abs(((root["speedup_vs_equal_split"] as? NSNumber)?.doubleValue ?? 0) - equal / bestCycles) < 1e-12)
        #expect(abs(((root["speedup_vs_baseline"] as? NSNumber)?.doubleValue ?? 0) - baseline / bestCycles) < 1e-12)
        #expect(((root["evaluated"] as? NSNumber)?.intValue ?? 0) > 0)
        #expect(((root["seconds"] as? NSNumber)?.doubleValue ?? 99) < 60)
        let arch = try #require(best["arch"] as? [String: Any])
        #expect(arch["version"] as? Int == 1 && arch["buffers"] is [String: Any] && arch["dram_bandwidth"] is [String: Any])
        // The emitted file reproduces best.cycles exactly.
        let simulated = try SimDIT.run(["simulate", "--mode", "inference", "--arch", archPath, "--batch", "1", "--format", "json"])
        #expect(simulated.status == 0, "\(simulated.standardError)")
        let cycles = try #require(((try jsonObject(simulated.standardOutput))["total"] as? [String: Any])?["cycles"] as? NSNumber)
        #expect(cycles.doubleValue == bestCycles)
    }

    @Test func emitRTLUsesAXIWidths() throws {
        let directory = try temporaryDirectory()
        let run = try SimDIT.run(["optimize", "--arch", "genesys-inference-01", "--network", "resnet18", "--emit-rtl",
                                  directory.path, "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let header = try String(contentsOf: directory.appendingPathComponent("simdit_params.vh"), encoding: .utf8)
        for port in ["IBUF", "PARAMBUF", "OBUF", "SIMD"] {
            let line = try #require(header.split(separator: "\n").first { $0.hasPrefix("`define \(port)_AXI_DATA_WIDTH ") })
            let width = Int(line.split(separator: " ")[2]) ?? 0
            #expect(width >= 8 && width & (width - 1) == 0, "\(line)")
        }
    }

    @Test func budgetsThatDoNotDivideOrFitAreDiagnostics() throws {
        let notMultiple = try SimDIT.run(["optimize", "--bandwidth-budget", "1000", "--bandwidth-granularity", "64"])
        #expect(notMultiple.status == 1)
        #expect(notMultiple.standardError.contains("the bandwidth budget 1000 bits per cycle is not a multiple of its granularity 64 bits per cycle"))
        let tooSmall = try SimDIT.run(["optimize", "--sram-budget-kib", "64", "--sram-granularity-kib", "4"])
        #expect(tooSmall.status == 1 && tooSmall.standardError.contains("the SRAM budget 64 KiB is below"))
        let negative = try SimDIT.run(["optimize", "--sram-budget-kib", "0"])
        #expect(negative.status != 0 && negative.standardError.contains("must be a whole number from 1 to 2^30 KiB, got 0"))
    }
}

/// The backend loop on a small configuration (a PE, a 4×4 array tile, a SIMD lane), each stage checked.
@Suite("simdit flow", .serialized)
struct FlowCommandTests {
    static let liberty = "/usr/share/qflow/tech/osu018/osu018_stdcells.lib"

    static func writeArchitecture(_ directory: URL) throws -> String {
        let archPath = directory.appendingPathComponent("arch.yaml").path
        try """
            version: 1
            name: flow-4x4
            systolic_array: {rows: 4, columns: 4}
            precision: {activation_bits: 8, weight_bits: 8}
            buffers: {ibuf_capacity_bits: 65536, wbuf_capacity_bits: 65536, obuf_capacity_bits: 65536, bbuf_capacity_bits: 4096, vmem_capacity_bits: 65536}
            dram_bandwidth: {ibuf_bits_per_cycle: 64, parambuf_bits_per_cycle: 32, obuf_bits_per_cycle: 64, simd_bits_per_cycle: 64}

            """.write(toFile: archPath, atomically: true, encoding: .utf8)
        return archPath
    }

    /// A figure's value from a calibrated library's text.
    static func figure(_ prefix: String, in library: String, after section: String? = nil) throws -> Double {
        var lines = library.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        if let section, let start = lines.firstIndex(of: section) { lines = Array(lines[start...]) }
        let line = try #require(lines.first { $0.hasPrefix(prefix) }, "no \(prefix)")
        let value = line.components(separatedBy: "value: ")[1].prefix { $0 != "," && $0 != "}" }
        return try #require(Double(value))
    }

    /// OpenSTA's total dynamic power (internal + switching), W, from a kept log.
    static func dynamicPower(_ log: URL) throws -> Double {
        let text = try String(contentsOf: log, encoding: .utf8)
        let total = try #require(text.split(separator: "\n").first { $0.hasPrefix("Total") })
        let powers = total.split(separator: " ").dropFirst().compactMap { Double($0) }
        return powers[0] + powers[1]
    }

    @Test func synthesisActivityTimingPowerCalibrationAndEnergy() throws {
        let directory = try temporaryDirectory()
        let archPath = try Self.writeArchitecture(directory)
        let out = directory.appendingPathComponent("flow")
        let run = try SimDIT.run(["flow", "--arch", archPath, "--output", out.path, "--clock-period-ns", "10"])
        #expect(run.status == 0, "\(run.standardError)\n\(run.standardOutput)")
        for file in ["rtl/simdit_params.vh", "pe/synth.tcl", "pe/yosys.log", "pe/netlist.v", "pe/pe_stimulus.v", "pe/power.tcl",
                     "pe/idle.sim.log", "pe/idle.vcd-summary.json", "pe/idle.activity.tcl", "pe/idle.sta.log", "pe/mac.sta.log",
                     "pe/rerun.sh", "pe/result.json", "array/timing.sta.log", "lane/add.sta.log", "lane/max.activity.tcl",
                     "lane/multiply.vcd-summary.json", "lane/result.json", "report.yaml", "calibrated.yaml", "energy.txt"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
        }
        // Area: the sum of the mapped cells' Liberty areas, counted here from the netlist.
        let liberty = try String(contentsOfFile: Self.liberty, encoding: .utf8)
        var areas: [String: Double] = [:]
        var cell: String?
        for line in liberty.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("cell (") { cell = String(line.dropFirst(6).prefix { $0 != ")" }) }
            if line.hasPrefix("area :"), let name = cell, areas[name] == nil {
                areas[name] = Double(line.dropFirst(6).trimmingCharacters(in: CharacterSet(charactersIn: " ;")))
            }
        }
        let netlist = try String(contentsOf: out.appendingPathComponent("pe/netlist.v"), encoding: .utf8)
        var summed = 0.0
        for line in netlist.split(separator: "\n") {
            if let first = line.split(separator: " ").first, let area = areas[String(first)] { summed += area }
        }
        let result = try jsonObject(String(contentsOf: out.appendingPathComponent("pe/result.json"), encoding: .utf8))
        let peArea = try #require((result["area_um2"] as? NSNumber)?.doubleValue)
        #expect(summed > 0 && abs(summed - peArea) < 1e-6, "netlist cells \(summed) µm² vs reported \(peArea) µm²")
        // Activity from the simulation: a random 8-bit activation bit toggles with probability 1/2
        // each cycle (2000 cycles: 0.5 ± 0.05 is more than four standard deviations); held operands
        // of the idle run do not toggle at all.
        func activity(_ run: String, _ net: String) throws -> Double {
            let text = try String(contentsOf: out.appendingPathComponent("pe/\(run).activity.tcl"), encoding: .utf8)
            let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("simdit_net_activity {\(net)} ") })
            return try #require(Double(line.split(separator: " ")[2]))
        }
        #expect(abs(try activity("mac", "act_in[3]") - 0.5) < 0.05)
        #expect(try activity("idle", "act_in[3]") == 0)
        // The whole 4×4 array is built around the PE's netlist: 16 PE instances, timed with it.
        let arrayNetlist = try String(contentsOf: out.appendingPathComponent("array/netlist.v"), encoding: .utf8)
        #expect(arrayNetlist.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("simdit_pe ") }.count == 16)
        let arrayRerun = try String(contentsOf: out.appendingPathComponent("array/rerun.sh"), encoding: .utf8)
        #expect(arrayRerun.contains("pe/netlist.v \(out.path)/array/netlist.v"))
        // Clock: period minus the array's register-to-register slack, from the STA log.
        let arrayLog = try String(contentsOf: out.appendingPathComponent("array/timing.sta.log"), encoding: .utf8)
        let slackLine = try #require(arrayLog.split(separator: "\n").first { $0.contains("slack (") })
        let slack = try #require(Double(slackLine.split(separator: " ")[0]))
        let calibrated = try String(contentsOf: out.appendingPathComponent("calibrated.yaml"), encoding: .utf8)
        #expect(abs(try Self.figure("clock_hz:", in: calibrated) - 1e9 / (10 - slack)) <= 1e-6 * 1e9 / (10 - slack))
        // MAC energy: (P_active − P_idle) / (100 MHz × 1 MAC per cycle); idle energy P_idle / 100 MHz,
        // from the kept OpenSTA logs.
        let active = try Self.dynamicPower(out.appendingPathComponent("pe/mac.sta.log"))
        let idle = try Self.dynamicPower(out.appendingPathComponent("pe/idle.sta.log"))
        #expect(active > idle && idle > 0)
        let expectedMAC = (active - idle) / (1e8 * 1) * 1e12, expectedIdle = idle / 1e8 * 1e12
        #expect(abs(try Self.figure("int8:", in: calibrated, after: "mac_pj:") - expectedMAC) <= 1e-6 * expectedMAC)
        #expect(abs(try Self.figure("int8:", in: calibrated, after: "idle_pj_per_cycle:") - expectedIdle) <= 1e-6 * expectedIdle)
        // The lane: an add costs its power over idle at 100 MHz.
        let add = try Self.dynamicPower(out.appendingPathComponent("lane/add.sta.log"))
        let laneIdle = try Self.dynamicPower(out.appendingPathComponent("lane/idle.sta.log"))
        let expectedAdd = (add - laneIdle) / 1e8 * 1e12
        #expect(abs(try Self.figure("add:", in: calibrated, after: "fixed32_pj:") - expectedAdd) <= 1e-6 * expectedAdd)
        // The final energy report uses the calibrated library: MACs and bias adds, and every PE idle
        // for every cycle the array runs.
        let simulated = try SimDIT.run(["simulate", "--mode", "inference", "--arch", archPath, "--tech",
                                        out.appendingPathComponent("calibrated.yaml").path, "--format", "json"])
        let totals = try #require(try jsonObject(simulated.standardOutput)["total"] as? [String: Any])
        let macs = try #require((totals["macs"] as? NSNumber)?.doubleValue)
        let bias = try #require(((totals["sram_bytes_by_buffer"] as? [String: Any])?["bbuf"] as? NSNumber)?.doubleValue)
        let breakdown = try #require(totals["energy_breakdown_pj"] as? [String: Any])
        let macEnergy = try #require((breakdown["systolic_mac"] as? NSNumber)?.doubleValue)
        #expect(abs(macEnergy - (macs * expectedMAC + bias * 8 / 32 * 0.1)) <= 1e-6 * macEnergy)
        let systolicCycles = try #require(((totals["systolic"] as? [String: Any])?["cycles"] as? NSNumber)?.doubleValue)
        let idleEnergy = try #require((breakdown["systolic_idle"] as? NSNumber)?.doubleValue)
        #expect(abs(idleEnergy - 16 * systolicCycles * expectedIdle) <= 1e-6 * idleEnergy)
        let energyText = try String(contentsOf: out.appendingPathComponent("energy.txt"), encoding: .utf8)
        let joules = try #require((totals["energy_pj"] as? NSNumber)?.doubleValue) * 1e-12
        let (number, unit) = Format.scaled(joules, .joules)
        #expect(energyText.contains("\(number)  \(unit)"), "energy.txt does not show \(joules) J as \(number) \(unit)")
    }

    /// Operand streams with half their activations and weights zero switch less: a lower energy per MAC.
    @Test func zeroOperandsLowerTheEnergyPerMAC() throws {
        let directory = try temporaryDirectory()
        let archPath = try Self.writeArchitecture(directory)
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // The committed plan with a shorter stimulus and a 2×2 array tile, to keep the test quick.
        var plan = try String(contentsOf: repository.appendingPathComponent("Flow/plan.yaml"), encoding: .utf8)
        plan = plan.replacingOccurrences(of: "cycles: 2000", with: "cycles: 1000")
            .replacingOccurrences(of: "{max_rows: 4, max_columns: 4}", with: "{max_rows: 2, max_columns: 2}")
        let planPath = directory.appendingPathComponent("plan.yaml").path
        try plan.write(toFile: planPath, atomically: true, encoding: .utf8)
        var energies: [Double] = []
        for zeros in ["0", "50"] {
            let out = directory.appendingPathComponent("flow-\(zeros)")
            let run = try SimDIT.run(["flow", "--arch", archPath, "--output", out.path, "--plan", planPath, "--zero-percent", zeros])
            #expect(run.status == 0, "\(run.standardError)")
            let calibrated = try String(contentsOf: out.appendingPathComponent("calibrated.yaml"), encoding: .utf8)
            energies.append(try Self.figure("int8:", in: calibrated, after: "mac_pj:"))
        }
        #expect(energies[1] < energies[0], "50 % zeros \(energies[1]) pJ vs random \(energies[0]) pJ per MAC")
    }

    /// The smallest PE through qflow: the report's PE area is the routed die's, and timing and power
    /// see the routed wires.
    @Test func placeAndRouteThePE() throws {
        let directory = try temporaryDirectory()
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var plan = try String(contentsOf: repository.appendingPathComponent("Flow/plan.yaml"), encoding: .utf8)
        plan = plan.replacingOccurrences(of: "cycles: 2000", with: "cycles: 500")
            .replacingOccurrences(of: "{max_rows: 4, max_columns: 4}", with: "{max_rows: 2, max_columns: 2}")
        let planPath = directory.appendingPathComponent("plan.yaml").path
        try plan.write(toFile: planPath, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("flow")
        let run = try SimDIT.run(["flow", "--arch", "genesys-inference-01", "--output", out.path, "--plan", planPath,
                                  "--place-route", "pe"])
        #expect(run.status == 0, "\(run.standardError)\n\(run.standardOutput)")
        let def = try String(contentsOf: out.appendingPathComponent("pe/layout/simdit_pe.def"), encoding: .utf8)
        let lines = def.split(separator: "\n").map { $0.split(separator: " ") }
        let units = try #require(lines.first { $0.count >= 4 && $0[0] == "UNITS" }.flatMap { Double($0[3]) })
        let die = try #require(lines.first { $0.first == "DIEAREA" }).compactMap { Double($0) }
        let area = (die[2] - die[0]) * (die[3] - die[1]) / (units * units)
        let report = try String(contentsOf: out.appendingPathComponent("report.yaml"), encoding: .utf8)
        #expect(report.contains("kind: pe, precision_bits: 4, instances: 1, area_um2: \(JSONValue.format(area))"))
        let sta = try String(contentsOf: out.appendingPathComponent("pe/mac.sta.log"), encoding: .utf8)
        #expect(sta.contains("wire loads: "))
        let rerun = try String(contentsOf: out.appendingPathComponent("pe/rerun.sh"), encoding: .utf8)
        #expect(rerun.contains("SIMDIT_NETLIST=\(out.path)/pe/layout/simdit_pe.rtlnopwr.v"))
        let loads = try String(contentsOf: out.appendingPathComponent("pe/wire-loads.tcl"), encoding: .utf8)
        #expect(loads.split(separator: "\n").filter { $0.hasPrefix("set_load ") }.count > 100)
        // The whole 16×16 array is built from the PE's routed netlist and counts 256 synthesized PEs.
        let peResult = try jsonObject(String(contentsOf: out.appendingPathComponent("pe/result.json"), encoding: .utf8))
        let peCells = try #require((peResult["area_um2"] as? NSNumber)?.doubleValue)
        let arrayResult = try jsonObject(String(contentsOf: out.appendingPathComponent("array/result.json"), encoding: .utf8))
        let arrayArea = try #require((arrayResult["area_um2"] as? NSNumber)?.doubleValue)
        #expect(arrayArea > 256 * peCells, "array \(arrayArea) µm², PE \(peCells) µm²")
        // The lane was not placed: its area is the synthesized cells'.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("lane/layout").path))
        let bad = try SimDIT.run(["flow", "--arch", "genesys-inference-01", "--output", out.path, "--place-route", "array"])
        #expect(bad.status == 1 && bad.standardError.contains("--place-route takes a PE or SIMD-lane module"))
    }

    @Test(arguments: [
        (["--zero-percent", "101"], "--zero-percent must be from 0 to 100"),
        (["--clock-period-ns", "nan"], "--clock-period-ns must be a positive number"),
        (["--clock-period-ns=-1"], "--clock-period-ns must be a positive number"),
        (["--plan", "/nonexistent/plan.yaml"], "/nonexistent/plan.yaml"),
    ])
    func badFlowOptionsAreDiagnostics(arguments: [String], message: String) throws {
        let run = try SimDIT.run(["flow", "--arch", "genesys-inference-01", "--output", try temporaryDirectory().path] + arguments)
        #expect(run.status != 0 && run.standardError.contains(message), "\(run.standardError)")
    }

    @Test func outputThatIsAFileAndAMissingSRAMReportAreDiagnostics() throws {
        let file = try temporaryDirectory().appendingPathComponent("plain")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        for command in [["flow", "--arch", "genesys-inference-01"], ["sram", "--macro", "16x4"]] {
            let run = try SimDIT.run(command + ["--output", file.path])
            #expect(run.status == 1 && run.standardError.contains("exists and is not a directory"), "\(run.standardError)")
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "x")
        let missing = try SimDIT.run(["flow", "--arch", "genesys-inference-01", "--output", try temporaryDirectory().path,
                                      "--sram-report", "/nonexistent/sram.yaml"])
        #expect(missing.status == 1 && missing.standardError.contains("/nonexistent/sram.yaml"))
    }

    @Test func missingLibertyIsADiagnostic() throws {
        let run = try SimDIT.run(["flow", "--arch", "genesys-inference-01", "--output", try temporaryDirectory().path,
                                  "--liberty", "/nonexistent.lib"])
        #expect(run.status == 1 && run.standardError.contains("no Liberty library at /nonexistent.lib"))
    }
}

@Suite("simdit activity")
struct ActivityCommandTests {
    @Test func dumpToCommandsAndMalformedDumps() throws {
        let directory = try temporaryDirectory()
        let good = directory.appendingPathComponent("good.vcd")
        try "$scope module dut $end\n$var wire 1 ! clk $end\n$var wire 1 \" d $end\n$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n0!\n0\"\n$end\n#5\n1!\n1\"\n#10\n0!\n#15\n1!\n0\"\n#20\n"
            .write(to: good, atomically: true, encoding: .utf8)
        let run = try SimDIT.run(["activity", good.path])
        // Two rising clock edges; d changes twice: activity 1, high from 5 to 15 of 20: duty 0.5.
        #expect(run.status == 0 && run.standardOutput.contains("simdit_net_activity {d} 1.0 0.5"), "\(run.standardError)")
        let bad = directory.appendingPathComponent("bad.vcd")
        try "$scope module dut $end\n$var wire 1 ! clk $end\n$enddefinitions $end\n#0\nq!\n".write(to: bad, atomically: true, encoding: .utf8)
        let failed = try SimDIT.run(["activity", bad.path, "--output", directory.appendingPathComponent("out.tcl").path])
        #expect(failed.status == 1 && failed.standardError.contains("bad.vcd") && failed.standardError.contains("line 5"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.tcl").path))
        let missing = try SimDIT.run(["activity", directory.appendingPathComponent("none.vcd").path])
        #expect(missing.status == 1 && missing.standardError.contains("cannot read"))
    }
}

@Suite("simdit import-report")
struct ImportReportCommandTests {
    @Test(arguments: ["dc", "genus"])
    func convertsAndCalibrates(tool: String) throws {
        let fixtures = InvalidFixtures.directory.deletingLastPathComponent().appendingPathComponent("reports/\(tool)")
        let directory = try temporaryDirectory()
        let report = directory.appendingPathComponent("pe.yaml").path
        let run = try SimDIT.run(["import-report", "--tool", tool, "--area", fixtures.appendingPathComponent("area.rpt").path,
                                  "--power", fixtures.appendingPathComponent("power.rpt").path,
                                  "--timing", fixtures.appendingPathComponent("timing.rpt").path,
                                  "--module", "simdit_pe", "--kind", "pe", "--precision-bits", "8", "--activity", "0.25",
                                  "--output", report])
        #expect(run.status == 0, "\(run.standardError)")
        let calibrated = directory.appendingPathComponent("lib.yaml").path
        let calibrate = try SimDIT.run(["calibrate", "--report", report, "--output", calibrated])
        #expect(calibrate.status == 0 && calibrate.standardOutput.contains("clock 781.25 MHz"), "\(calibrate.standardError)")
    }

    /// A PE's power with a MAC every cycle and idle: the MAC energy is their difference per cycle.
    @Test func idlePowerGivesMACAndIdleEnergies() throws {
        let fixtures = InvalidFixtures.directory.deletingLastPathComponent().appendingPathComponent("reports/dc")
        let directory = try temporaryDirectory()
        let report = directory.appendingPathComponent("pe.yaml").path
        let run = try SimDIT.run(["import-report", "--tool", "dc", "--area", fixtures.appendingPathComponent("area.rpt").path,
                                  "--power", fixtures.appendingPathComponent("power.rpt").path,
                                  "--idle-power", fixtures.appendingPathComponent("idle_power.rpt").path,
                                  "--timing", fixtures.appendingPathComponent("timing.rpt").path,
                                  "--module", "simdit_pe", "--kind", "pe", "--precision-bits", "8", "--output", report])
        #expect(run.status == 0, "\(run.standardError)")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        #expect(text.contains("dynamic_uw: 122.46") && text.contains("idle_dynamic_uw: 40.6646") && !text.contains("switching_activity"))
        let calibrated = directory.appendingPathComponent("lib.yaml").path
        let calibrate = try SimDIT.run(["calibrate", "--report", report, "--output", calibrated])
        #expect(calibrate.status == 0, "\(calibrate.standardError)")
        // The power was reported at the DC timing fixture's 2 ns clock (it closes at 1.28 ns):
        // (122.4646 − 40.6646) µW × 2 ns = 0.1636 pJ per MAC, 40.6646 µW × 2 ns = 0.0813 pJ idle per cycle.
        let library = try String(contentsOfFile: calibrated, encoding: .utf8)
        #expect(abs(try FlowCommandTests.figure("int8:", in: library, after: "mac_pj:") - 81.8e-6 * 2e-9 * 1e12) < 1e-9)
        #expect(abs(try FlowCommandTests.figure("int8:", in: library, after: "idle_pj_per_cycle:") - 40.6646e-6 * 2e-9 * 1e12) < 1e-9)
        let neither = try SimDIT.run(["import-report", "--tool", "dc", "--area", fixtures.appendingPathComponent("area.rpt").path,
                                      "--power", fixtures.appendingPathComponent("power.rpt").path,
                                      "--timing", fixtures.appendingPathComponent("timing.rpt").path,
                                      "--module", "simdit_pe", "--kind", "pe", "--precision-bits", "8", "--output", report + ".2"])
        #expect(neither.status != 0 && neither.standardError.contains("--idle-power"))
    }

    /// A library calibrated at 500 MHz from a DC report at another node keeps generic-45nm's other
    /// figures tagged with 45 nm: calibrate, simulate and area warn; scaled, none do.
    @Test func mixedNodesWarnAndScaledDoNot() throws {
        let fixtures = InvalidFixtures.directory.deletingLastPathComponent().appendingPathComponent("reports/dc")
        let directory = try temporaryDirectory()
        let report = directory.appendingPathComponent("pe.yaml").path
        let run = try SimDIT.run(["import-report", "--tool", "dc", "--area", fixtures.appendingPathComponent("area.rpt").path,
                                  "--power", fixtures.appendingPathComponent("power.rpt").path,
                                  "--idle-power", fixtures.appendingPathComponent("idle_power.rpt").path,
                                  "--timing", fixtures.appendingPathComponent("timing.rpt").path, "--node-nm", "32",
                                  "--module", "simdit_pe", "--kind", "pe", "--precision-bits", "8", "--output", report])
        #expect(run.status == 0, "\(run.standardError)")
        let tagged = directory.appendingPathComponent("tagged.yaml").path, scaled = directory.appendingPathComponent("scaled.yaml").path
        let calibrate = try SimDIT.run(["calibrate", "--report", report, "--output", tagged])
        #expect(calibrate.status == 0 && calibrate.standardError.contains("(32 nm) mixes nodes"), "\(calibrate.standardError)")
        for command in [["simulate", "--mode", "inference", "--summary"], ["area"]] {
            let warned = try SimDIT.run(command + ["--tech", tagged])
            #expect(warned.status == 0 && warned.standardError.contains("warning: technology library"), "\(command)")
        }
        let quiet = try SimDIT.run(["calibrate", "--report", report, "--scale-to-node", "--output", scaled])
        #expect(quiet.status == 0 && !quiet.standardError.contains("mixes nodes"))
        let simulated = try SimDIT.run(["simulate", "--mode", "inference", "--summary", "--tech", scaled])
        #expect(simulated.status == 0 && !simulated.standardError.contains("warning"))
    }

    @Test func malformedReportExitsNonZero() throws {
        let fixtures = InvalidFixtures.directory.deletingLastPathComponent().appendingPathComponent("reports")
        let run = try SimDIT.run(["import-report", "--tool", "dc", "--area", fixtures.appendingPathComponent("genus/area.rpt").path,
                                  "--power", fixtures.appendingPathComponent("dc/power.rpt").path,
                                  "--timing", fixtures.appendingPathComponent("dc/timing.rpt").path, "--module", "pe", "--kind", "pe",
                                  "--precision-bits", "8", "--activity", "0.25", "--output", try temporaryDirectory().path + "/x.yaml"])
        #expect(run.status == 1 && run.standardError.contains("genus/area.rpt:1:1: error: no 'Total cell area:' line found"))
    }
}

/// SRAM macros from OpenRAM: a layout run for the area, the shipped reference data for the energy.
@Suite("simdit sram", .serialized)
struct SRAMCommandTests {
    @Test func layoutAreaAndReferenceEnergies() throws {
        let directory = try temporaryDirectory()
        let out = directory.appendingPathComponent("sram")
        let run = try SimDIT.run(["sram", "--macro", "16x4", "--macro", "32x32", "--voltage", "3.3", "--output", out.path])
        #expect(run.status == 0, "\(run.standardError)\n\(run.standardOutput)")
        let report = try String(contentsOf: out.appendingPathComponent("report.yaml"), encoding: .utf8)
        // Area: the LEF's SIZE, read here.
        let lef = try String(contentsOf: out.appendingPathComponent("sram_32x32/layout/sram_32x32.lef"), encoding: .utf8)
        let size = try #require(lef.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("SIZE") })
            .split(separator: " ").compactMap { Double($0) }
        func value(_ key: String, macro: String) throws -> Double {
            let lines = report.split(separator: "\n").map(String.init)
            let start = try #require(lines.firstIndex { $0.contains("name: \(macro)") })
            let line = try #require(lines[start...].first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key + ":") })
            return try #require(Double(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)))
        }
        let area = try value("area_um2", macro: "sram_32x32")
        #expect(size.count == 2 && abs(area - size[0] * size[1]) < 1e-6)
        // Energy: OpenRAM's reference row for 32×32 at slew 0.05 ns and load 9.8242 fF, read here:
        // the mean of read1 and read0 power × 2 × the access time, × (3.3 / 5)².
        let python = FileManager.default.currentDirectoryPath + "/.venv/lib"
        let site = try #require(FileManager.default.enumerator(atPath: python)?.first { ($0 as? String)?.hasSuffix(
            "openram/technology/scn4m_subm/sim_data/sim_data.csv") == true } as? String)
        let csv = try String(contentsOfFile: python + "/" + site, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",") }
        let row = try #require(csv.first { $0.count > 18 && $0[0] == "32" && $0[1] == "32" && $0[8] == "0.05" && $0[9] == "9.8242" })
        let delay = try #require(Double(row[10])), read = (try #require(Double(row[16])) + (try #require(Double(row[17])))) / 2
        let expected = read * 2 * delay * 3.3 * 3.3 / 25
        #expect(abs(try value("read_pj", macro: "sram_32x32") - expected) <= 1e-9 * expected)
        let leakage = try #require(Double(row[18])) * 1000 * 3.3 / 5
        #expect(abs(try value("leakage_uw", macro: "sram_32x32") - leakage) <= 1e-9 * leakage)
        // Bigger macro, bigger access energy and area; the report calibrates a library.
        let smallArea = try value("area_um2", macro: "sram_16x4"), smallRead = try value("read_pj", macro: "sram_16x4")
        let read32 = try value("read_pj", macro: "sram_32x32")
        #expect(area > smallArea && read32 > smallRead)
        #expect(report.contains("sim_data.csv line") && report.contains("LEF SIZE"))
        let library = directory.appendingPathComponent("lib.yaml").path
        let calibrate = try SimDIT.run(["calibrate", "--report", out.appendingPathComponent("report.yaml").path, "--output", library])
        #expect(calibrate.status == 0, "\(calibrate.standardError)")
        #expect(try String(contentsOfFile: library, encoding: .utf8).contains("sim_data.csv line"))
        // Rerun with --reuse: the kept layouts give the same report without OpenRAM running again.
        let logDate = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("sram_32x32/layout.log").path)[.modificationDate] as? Date
        let again = try SimDIT.run(["sram", "--macro", "16x4", "--macro", "32x32", "--voltage", "3.3", "--output", out.path, "--reuse"])
        let reused = try String(contentsOf: out.appendingPathComponent("report.yaml"), encoding: .utf8)
        let laterDate = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("sram_32x32/layout.log").path)[.modificationDate] as? Date
        #expect(again.status == 0 && reused == report && laterDate == logDate)
    }

    @Test func shapesWithoutReferenceDataAndBadShapesAreDiagnostics() throws {
        let directory = try temporaryDirectory()
        let missing = try SimDIT.run(["sram", "--macro", "33x32", "--output", directory.path])
        #expect(missing.status == 1 && missing.standardError.contains("no 33x32 macro") && missing.standardError.contains("32x32"))
        let bad = try SimDIT.run(["sram", "--macro", "0x5", "--output", directory.path])
        #expect(bad.status != 0 && bad.standardError.contains("WORDSxBITS"))
    }
}
