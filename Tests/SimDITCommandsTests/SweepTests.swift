import Foundation
import Testing

/// `simdit sweep` end to end: the issue's example file, shards and merge, resume after a cut,
/// determinism across thread counts, and positioned diagnostics for bad sweep files.
@Suite("simdit sweep", .serialized)
struct SweepTests {
    static let example = """
        version: 1
        base: genesys-inference-08          # preset or architecture file
        network: resnet50
        mode: inference
        technology: generic-45nm
        axes:
          systolic_array.rows: [16, 32, 64, 128]
          systolic_array.columns: [16, 32, 64, 128]
          buffers.ibuf_capacity_bits: {from: 262144, to: 4194304, factor: 2}
          dram_bandwidth.simd_bits_per_cycle: [64, 128, 256, 512]
        objectives: [cycles, energy_pj, area_mm2]

        """

    func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func theIssuesExampleWorksAsWritten() throws {
        let directory = try temporaryDirectory()
        let spec = try write(Self.example, "sweep.yaml", in: directory)
        let output = directory.appendingPathComponent("out.jsonl").path
        let run = try SimDIT.run(["sweep", spec, "--format", "jsonl", "--output", output])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4 * 4 * 5 * 4)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        for key in ["systolic_array.rows", "systolic_array.columns", "buffers.ibuf_capacity_bits",
                    "dram_bandwidth.simd_bits_per_cycle", "valid", "cycles", "energy_pj", "power_w", "area_mm2", "pareto"] {
            #expect(first[key] != nil, "\(key)")
        }
        #expect(lines.contains { $0.contains("\"pareto\":true") })
        // A bigger array never has fewer PEs' worth of area: the 128×128 points are the largest.
        let json = try SimDIT.run(["sweep", spec, "--pareto", "cycles,area", "--pareto-only"])
        #expect(json.status == 0 && !json.standardOutput.contains("\"pareto\":false"))
    }

    @Test func shardsMergeToTheWholeAndResumeRepeatsNothing() throws {
        let directory = try temporaryDirectory()
        let spec = try write(Self.example, "sweep.yaml", in: directory)
        let whole = directory.appendingPathComponent("whole.jsonl").path
        #expect(try SimDIT.run(["sweep", spec, "--output", whole]).status == 0)
        var shards: [String] = []
        for i in 0..<4 {
            let path = directory.appendingPathComponent("shard\(i).jsonl").path
            #expect(try SimDIT.run(["sweep", spec, "--shard", "\(i)/4", "--output", path, "--jobs", "1"]).status == 0)
            shards.append(path)
        }
        let merged = directory.appendingPathComponent("merged.jsonl").path
        #expect(try SimDIT.run(["sweep", "merge", "--spec", spec] + shards.reversed() + ["--output", merged]).status == 0)
        let expected = try String(contentsOfFile: whole, encoding: .utf8)
        #expect(try String(contentsOfFile: merged, encoding: .utf8) == expected)

        // An interrupted run: the journal cut in the middle of a line.
        let journal = try Data(contentsOf: URL(fileURLWithPath: whole + ".journal"))
        let resumed = directory.appendingPathComponent("resumed.jsonl").path
        try journal.prefix(journal.count / 3).write(to: URL(fileURLWithPath: resumed + ".journal"))
        let run = try SimDIT.run(["sweep", spec, "--output", resumed, "--resume"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try String(contentsOfFile: resumed, encoding: .utf8) == expected)
        let lines = try String(contentsOfFile: resumed + ".journal", encoding: .utf8).split(separator: "\n")
        let points = Set(lines.dropFirst().compactMap { $0.split(separator: ",").first })
        #expect(lines.count == 321 && points.count == 320, "each point once in the journal")
        // A finished sweep resumed does no work and gives the same output.
        #expect(try SimDIT.run(["sweep", spec, "--output", resumed, "--resume"]).status == 0)
        #expect(try String(contentsOfFile: resumed + ".journal", encoding: .utf8).split(separator: "\n").count == 321)
        #expect(try String(contentsOfFile: resumed, encoding: .utf8) == expected)
    }

    /// The Slurm job-array script of examples/sweep, run as a two-task array would run it, then merged.
    @Test func theSlurmExampleShardsAndMerges() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let spec = root.appendingPathComponent("examples/sweep/resnet50-space.yaml").path
        let directory = try temporaryDirectory()
        let binDirectory = try SimDIT.executable().deletingLastPathComponent().path
        for task in 0..<2 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [root.appendingPathComponent("examples/sweep/slurm-array.sh").path, spec, directory.path]
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = binDirectory + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            environment["SLURM_ARRAY_TASK_COUNT"] = "2"
            environment["SLURM_ARRAY_TASK_ID"] = "\(task)"
            process.environment = environment
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let merged = try SimDIT.run(["sweep", "merge", "--spec", spec, directory.appendingPathComponent("shard-0.jsonl").path,
                                     directory.appendingPathComponent("shard-1.jsonl").path])
        let whole = try SimDIT.run(["sweep", spec])
        #expect(merged.status == 0 && whole.status == 0 && merged.standardOutput == whole.standardOutput)
        // The Kubernetes example carries the same sweep file in its ConfigMap.
        let manifest = try String(contentsOf: root.appendingPathComponent("examples/sweep/kubernetes-indexed-job.yaml"), encoding: .utf8)
        let specText = try String(contentsOfFile: spec, encoding: .utf8)
        for line in specText.split(separator: "\n") {
            let content = line.split(separator: "#").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            #expect(content.isEmpty || manifest.contains(content), "\(content)")
        }
    }

    /// A Latin hypercube can pick one grid cell twice: the merged shards keep both points.
    @Test func mergeKeepsRepeatedCells() throws {
        let directory = try temporaryDirectory()
        // Seed 4 picks one of the six cells twice among its four points.
        let spec = try write("version: 1\nbase: genesys-inference-08\nnetwork: resnet18\naxes:\n  systolic_array.rows: [16, 32]\n"
                             + "  systolic_array.columns: [16, 32, 64]\nsample: {method: latin_hypercube, points: 4, seed: 4}\n",
                             "lhs.yaml", in: directory)
        let whole = try SimDIT.run(["sweep", spec])
        let indices = whole.standardOutput.split(separator: "\n").compactMap { line in
            line.split(separator: ",").first { $0.hasPrefix("\"index\":") }
        }
        #expect(indices.count == 4 && Set(indices).count == 3, "a repeated cell: \(indices)")
        var shards: [String] = []
        for i in 0..<2 {
            let path = directory.appendingPathComponent("s\(i).jsonl").path
            #expect(try SimDIT.run(["sweep", spec, "--shard", "\(i)/2", "--output", path]).status == 0)
            shards.append(path)
        }
        let merged = try SimDIT.run(["sweep", "merge", "--spec", spec] + shards)
        #expect(merged.standardOutput == whole.standardOutput)
    }

    @Test func everyThreadCountGivesTheSameOutput() throws {
        let directory = try temporaryDirectory()
        let spec = try write(Self.example.replacingOccurrences(of: "objectives: [cycles, energy_pj, area_mm2]",
                                                                 with: "sample: {method: latin_hypercube, points: 64, seed: 9}\nconstraints: [\"area_mm2 <= 20\"]\nobjectives: [cycles, energy_pj]"),
                             "sweep.yaml", in: directory)
        let one = try SimDIT.run(["sweep", spec, "--jobs", "1", "--format", "csv"])
        let four = try SimDIT.run(["sweep", spec, "--jobs", "4", "--format", "csv"])
        #expect(one.status == 0 && one.standardOutput == four.standardOutput)
        #expect(one.standardOutput.split(separator: "\n").count == 65)
    }

    /// With 'allocate', each point's SRAM and bandwidth are split by the allocation optimizer: the
    /// split is reported, spends no more than the point's budgets, and is no slower than the point
    /// as written when the split as written is in the search space.
    @Test func theAllocationOptimizerRunsPerPoint() throws {
        let directory = try temporaryDirectory()
        let body = "version: 1\nbase: genesys-inference-08\nnetwork: resnet18\naxes:\n  systolic_array.rows: [16, 32]\n"
        let plain = try write(body, "plain.yaml", in: directory)
        let allocated = try write(body + "allocate: cycles\n", "allocated.yaml", in: directory)
        func rows(_ spec: String) throws -> [[String: Any]] {
            let run = try SimDIT.run(["sweep", spec])
            #expect(run.status == 0, "\(run.standardError)")
            return try run.standardOutput.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }
        let before = try rows(plain), after = try rows(allocated)
        #expect(before.count == 2 && after.count == 2)
        for (written, split) in zip(before, after) {
            let sram = ["ibuf", "wbuf", "bbuf"].map { split["allocated.buffers.\($0)_capacity_bits"] as? Int ?? -1 }.reduce(0, +)
                + 2 * (split["allocated.buffers.obuf_capacity_bits"] as? Int ?? -1) + 2 * (split["allocated.buffers.vmem_capacity_bits"] as? Int ?? -1)
            let ports = ["ibuf", "parambuf", "obuf", "simd"].map { split["allocated.dram_bandwidth.\($0)_bits_per_cycle"] as? Int ?? -1 }.reduce(0, +)
            // genesys-inference-08: 1,928 KiB of SRAM (OBUF and VMEM counted twice) and 1,024 bits/cycle.
            #expect(sram > 0 && sram <= 1928 * 8192, "\(sram)")
            #expect(ports > 0 && ports <= 1024, "\(ports)")
            let cyclesWritten = try #require(written["cycles"] as? Double), cyclesSplit = try #require(split["cycles"] as? Double)
            #expect(cyclesSplit <= cyclesWritten * 1.000001, "\(cyclesSplit) vs \(cyclesWritten)")
        }
        let bad = try write(body + "allocate: speed\n", "bad.yaml", in: directory)
        let run = try SimDIT.run(["sweep", bad])
        #expect(run.status == 1 && run.standardError.contains("\(bad):6:11: error: 'allocate' must be cycles, energy or edp"),
                "\(run.standardError)")
    }

    /// `dataflow` is a setting axis: each point equals `simdit simulate --dataflow` on it, and a
    /// value other than os, ws or is is refused where it is written.
    @Test func dataflowIsAnAxis() throws {
        let directory = try temporaryDirectory()
        let spec = try write("version: 1\nbase: genesys-inference-08\nnetwork: resnet18\naxes:\n  dataflow: [ws, os, is]\n",
                             "dataflow.yaml", in: directory)
        let run = try SimDIT.run(["sweep", spec])
        #expect(run.status == 0, "\(run.standardError)")
        let points = try run.standardOutput.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(points.map { $0["dataflow"] as? String } == ["ws", "os", "is"])
        for point in points {
            let dataflow = try #require(point["dataflow"] as? String)
            let single = try SimDIT.run(["simulate", "--mode", "inference", "--arch", "genesys-inference-08", "--network", "resnet18",
                                         "--dataflow", dataflow, "--format", "json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(single.standardOutput.utf8)) as? [String: Any])
            let total = try #require(report["total"] as? [String: Any])
            #expect(report["dataflow"] as? String == dataflow)
            #expect(point["cycles"] as? Double == total["cycles"] as? Double, "\(dataflow)")
        }
        #expect(Set(points.compactMap { $0["cycles"] as? Double }).count == 3)
        let bad = try write("version: 1\nbase: genesys-inference-08\naxes:\n  dataflow: [ws, rs]\n", "bad.yaml", in: directory)
        let refused = try SimDIT.run(["sweep", bad])
        #expect(refused.status == 1 && refused.standardError.contains("\(bad):4:18: error: 'axes.dataflow' values must be os, ws or is, got 'rs'"),
                "\(refused.standardError)")
    }

    /// A sweep larger than --max-points is refused at the file's size-setting key; a Latin hypercube
    /// asking for more points than the grid has evaluates the grid's cells.
    @Test func sweepSizeIsBounded() throws {
        let directory = try temporaryDirectory()
        let spec = try write(Self.example, "sweep.yaml", in: directory)
        let refused = try SimDIT.run(["sweep", spec, "--max-points", "100"])
        #expect(refused.status == 1 && refused.standardError.contains("\(spec):7:3: error: the sweep has 320 points, more than --max-points 100"),
                "\(refused.standardError)")
        let sampled = try write(Self.example + "sample: {method: latin_hypercube, points: 16777216, seed: 1}\n", "big.yaml", in: directory)
        let run = try SimDIT.run(["sweep", sampled, "--max-points", "320", "--format", "csv"])
        #expect(run.status == 0 && run.standardOutput.split(separator: "\n").count == 321, "\(run.standardError)")
    }

    @Test(arguments: [
        ("axes:\n  systolic_array.rowz: [16]\n", 4, 3, "unknown axis 'systolic_array.rowz'; did you mean 'systolic_array.rows'?"),
        ("axes:\n  buffers.ibuf_capacity_bits: {from: 10, to: 5, step: 1}\n", 4, 31, "is empty: 'from' 10 is above 'to' 5"),
        ("axes:\n  systolic_array.rows: []\n", 4, 24, "is an empty list"),
        ("axes:\n  systolic_array.rows: [16, 9000]\n", 4, 29, "values must be whole numbers from 1 to 8,192, got '9000'"),
        ("axes:\n  systolic_array.rows: [16]\nconstraints: [\"area_mm2 <== 5\"]\n", 5, 15, "a constraint must be 'METRIC OP NUMBER'"),
        ("axes:\n  systolic_array.rows: [16]\nobjectives: [speed]\n", 5, 14, "unknown objective 'speed'"),
        ("axes:\n  network: [resnet50, nosuchnet]\n", 4, 23, "unknown network 'nosuchnet'"),
    ])
    func badSweepFilesArePositioned(body: String, line: Int, column: Int, fragment: String) throws {
        let directory = try temporaryDirectory()
        let spec = try write("version: 1\nbase: genesys-inference-08\n" + body, "bad.yaml", in: directory)
        let run = try SimDIT.run(["sweep", spec])
        #expect(run.status == 1)
        let wanted = "\(spec):\(line):\(column): error:"
        #expect(run.standardError.contains(wanted) && run.standardError.contains(fragment), "\(run.standardError)")
    }
}
