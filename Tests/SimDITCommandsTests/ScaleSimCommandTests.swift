import Foundation
import SimDITCore
import SimDITFiles
import Testing

/// `simdit scalesim` on SCALE-Sim v2's own inputs against its reports from real runs
/// (Tests/Fixtures/scalesim/README.md): total cycles, SRAM reads and writes, DRAM accesses and start and stop cycles
/// equal; utilizations equal to 1e-9; the headers exact. DRAM columns equal where the model calls
/// them exact, within the measured bound where it estimates.
@Suite("simdit scalesim")
struct ScaleSimCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/scalesim")

    /// A report's rows as fields, header first.
    func rows(_ url: URL) throws -> [[String]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    @Test(arguments: ["os", "ws", "is"])
    func reportsMatchScaleSim(dataflow: String) throws {
        for (topology, gemm) in [("topo.csv", false), ("gemm.csv", true)] {
            let output = try temporaryDirectory()
            var arguments = ["scalesim", "--config", Self.fixtures.appendingPathComponent("cfg_\(dataflow).cfg").path,
                             "--topology", Self.fixtures.appendingPathComponent(topology).path, "--output", output.path]
            if gemm { arguments.append("--gemm") }
            let run = try SimDIT.run(arguments)
            #expect(run.status == 0, "\(run.standardError)")
            let reference = Self.fixtures.appendingPathComponent("scalesim-\(gemm ? "gemm" : "conv")-\(dataflow)")
            let ours = try rows(output.appendingPathComponent("COMPUTE_REPORT.csv"))
            let theirs = try rows(reference.appendingPathComponent("COMPUTE_REPORT.csv"))
            #expect(ours.first == theirs.first, "COMPUTE_REPORT header")
            #expect(ours.count == theirs.count)
            for (a, b) in zip(ours.dropFirst(), theirs.dropFirst()) {
                #expect(a[0] == b[0] && Double(a[1]) == Double(b[1]) && Double(a[2]) == Double(b[2]), "\(a) vs \(b)")
                for column in 3...5 {
                    #expect(abs((Double(a[column]) ?? -1) - (Double(b[column]) ?? 1)) < 1e-9, "column \(column): \(a) vs \(b)")
                }
            }
            let detailed = try rows(output.appendingPathComponent("DETAILED_ACCESS_REPORT.csv"))
            let reference2 = try rows(reference.appendingPathComponent("DETAILED_ACCESS_REPORT.csv"))
            #expect(detailed.first == reference2.first, "DETAILED_ACCESS_REPORT header")
            // Start cycle, stop cycle, reads or writes: SRAM ifmap, filter, ofmap, DRAM ifmap, filter, ofmap.
            for (a, b) in zip(detailed.dropFirst(), reference2.dropFirst()) {
                for column in 1...18 {
                    #expect(Double(a[column]) == Double(b[column]), "column \(column): \(a[column]) vs \(b[column])")
                }
            }
            let bandwidth = try rows(output.appendingPathComponent("BANDWIDTH_REPORT.csv"))
            #expect(bandwidth.first == ["LayerID", "Avg IFMAP SRAM BW", "Avg FILTER SRAM BW", "Avg OFMAP SRAM BW", "Avg IFMAP DRAM BW",
                                        "Avg FILTER DRAM BW", "Avg OFMAP DRAM BW", ""])
        }
    }

    /// The relative error the ifmap DRAM estimate stays within over 544 SCALE-Sim runs (README).
    static let ifmapEstimateBound = 0.79

    /// Edge-case layers (Tests/Fixtures/scalesim/accept-conv.csv: 1×1, strided, overhanging,
    /// non-square, filters as large as the ifmap) on 64×64 and 16×48 arrays with 1, 4 and 64 kB
    /// SRAMs, where most operands do not fit: compute and SRAM columns equal, DRAM filter reads
    /// and ofmap writes equal, ifmap reads equal where the model calls them exact.
    @Test(arguments: ["a64x64_ws_s1", "a16x48_os_s4", "a64x64_is_s4", "a16x48_ws_s64"])
    func edgeCasesMatchScaleSim(run: String) throws {
        let directory = Self.fixtures.appendingPathComponent("accept-\(run)")
        let config = directory.appendingPathComponent("\(run).cfg"), topology = Self.fixtures.appendingPathComponent("accept-conv.csv")
        let output = try temporaryDirectory()
        let result = try SimDIT.run(["scalesim", "--config", config.path, "--topology", topology.path, "--output", output.path])
        #expect(result.status == 0, "\(result.standardError)")
        let ours = try rows(output.appendingPathComponent("COMPUTE_REPORT.csv"))
        let theirs = try rows(directory.appendingPathComponent("COMPUTE_REPORT.csv"))
        #expect(ours.count == theirs.count && ours.count == 24)
        for (a, b) in zip(ours.dropFirst(), theirs.dropFirst()) {
            #expect(Double(a[1]) == Double(b[1]) && Double(a[2]) == Double(b[2]), "\(a) vs \(b)")
            for column in 3...5 {
                #expect(abs((Double(a[column]) ?? -1) - (Double(b[column]) ?? 1)) < 1e-9, "column \(column): \(a) vs \(b)")
            }
        }
        // Which ifmap counts the model calls exact, from the same inputs.
        let configuration = try ScaleSimFiles.readConfig(text: String(contentsOf: config, encoding: .utf8), file: config.path).get()
        let layers = try ScaleSimFiles.readTopology(text: String(contentsOf: topology, encoding: .utf8), file: topology.path,
                                                    gemm: false).get()
        let sram = ScaleSimSRAMSizes(ifmapKilobytes: configuration.ifmapSRAMKiB, filterKilobytes: configuration.filterSRAMKiB,
                                     ofmapKilobytes: configuration.ofmapSRAMKiB)
        let detailed = try rows(output.appendingPathComponent("DETAILED_ACCESS_REPORT.csv"))
        let reference = try rows(directory.appendingPathComponent("DETAILED_ACCESS_REPORT.csv"))
        #expect(detailed.count == reference.count)
        var estimated = 0
        for ((a, b), layer) in zip(zip(detailed.dropFirst(), reference.dropFirst()), layers) {
            for column in [3, 6, 9, 15, 18] {
                #expect(Double(a[column]) == Double(b[column]), "\(layer.name) column \(column): \(a[column]) vs \(b[column])")
            }
            let model = ScaleSimModel.evaluate(layer, rows: configuration.rows, columns: configuration.columns,
                                               dataflow: configuration.dataflow, sram: sram)
            #expect(model.dramOfmapAccuracy == .exact)
            let (ifmap, expected) = (Double(a[12]) ?? -1, Double(b[12]) ?? 1)
            if model.dramIfmapAccuracy == .exact {
                #expect(ifmap == expected, "\(layer.name) ifmap: \(ifmap) vs \(expected)")
            } else {
                estimated += 1
                #expect(abs(ifmap - expected) / expected <= Self.ifmapEstimateBound, "\(layer.name) ifmap: \(ifmap) vs \(expected)")
            }
        }
        // Half the counts or more are exact; the 1 and 4 kB runs estimate some ifmap reads.
        #expect(estimated <= layers.count / 2)
        if run.hasSuffix("_s1") || run.hasSuffix("_s4") { #expect(estimated > 0, "\(run)") }
    }

    /// Whole SCALE-Sim runs kept with their three reports, compared column by column: every
    /// column equal (utilizations and bandwidths to 1e-9 relative) except the ones
    /// ESTIMATED_COLUMNS.csv lists for the layer.
    /// - dp: Windows line endings and a depth-wise row (`blkDP`: SCALE-Sim makes it one layer per
    ///   channel, `blkDPChannel_0` … `_3`); nothing estimated.
    /// - stride: strides larger than the filter, where SCALE-Sim's output count puts the last
    ///   windows wholly past the ifmap (10×1 with stride 8: windows at 0, 8 and 16), at 64 and 1 kB.
    @Test(arguments: [("dp", "os", 6), ("dp", "ws", 6), ("dp", "is", 6),
                      ("stride", "os_64", 5), ("stride", "ws_64", 5), ("stride", "is_64", 5),
                      ("stride", "os_1", 5), ("stride", "ws_1", 5), ("stride", "is_1", 5)])
    func keptRunsMatchEveryColumn(fixture: String, run: String, layers: Int) throws {
        let directory = Self.fixtures.appendingPathComponent(fixture)
        let topology = try FileManager.default.contentsOfDirectory(atPath: directory.path).first { $0.hasSuffix(".csv") } ?? ""
        let output = try temporaryDirectory()
        let result = try SimDIT.run(["scalesim", "--config", directory.appendingPathComponent("cfg_\(run).cfg").path,
                                     "--topology", directory.appendingPathComponent(topology).path, "--output", output.path])
        #expect(result.status == 0 && result.standardOutput.hasPrefix("\(layers) layers"), "\(result.standardOutput) \(result.standardError)")
        var estimated: Set<String> = []
        for row in try rows(output.appendingPathComponent("ESTIMATED_COLUMNS.csv")).dropFirst() where row.count >= 3 {
            for column in row[2].split(separator: ";") { estimated.insert("\(row[0]) \(column.trimmingCharacters(in: .whitespaces))") }
        }
        if fixture == "dp" { #expect(estimated.isEmpty) }
        var compared = 0
        for report in ["COMPUTE_REPORT.csv", "DETAILED_ACCESS_REPORT.csv", "BANDWIDTH_REPORT.csv"] {
            let ours = try rows(output.appendingPathComponent(report))
            let theirs = try rows(directory.appendingPathComponent("scalesim-\(run)").appendingPathComponent(report))
            #expect(ours.first == theirs.first, "\(report) header")
            #expect(ours.count == layers + 1 && theirs.count == layers + 1, "\(report)")
            let header = theirs.first ?? []
            for (a, b) in zip(ours.dropFirst(), theirs.dropFirst()) {
                for column in 1..<min(a.count, b.count, header.count) where !header[column].isEmpty {
                    if estimated.contains("\(a[0]) \(header[column])") { continue }
                    let (x, y) = (Double(a[column]) ?? .nan, Double(b[column]) ?? .nan)
                    #expect(abs(x - y) <= 1e-9 * max(1, abs(y)), "\(report) layer \(a[0]) \(header[column]): \(x) vs \(y)")
                    compared += 1
                }
            }
        }
        #expect(compared >= layers * 25)
    }

    /// A depth-wise row expanding past the layer limit is refused at its line.
    @Test func depthwiseExpansionIsBounded() throws {
        let directory = try temporaryDirectory()
        let topology = directory.appendingPathComponent("big.csv")
        try "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nfine, 8, 8, 3, 3, 4, 4, 1,\n"
            .appending("hugeDP, 8, 8, 3, 3, 16777216, 1, 1,\n").write(to: topology, atomically: true, encoding: .utf8)
        let run = try SimDIT.run(["scalesim", "--config", Self.fixtures.appendingPathComponent("cfg_os.cfg").path,
                                  "--topology", topology.path, "--output", directory.appendingPathComponent("out").path])
        #expect(run.status == 1 && run.standardError.contains("big.csv:3:1: error: the topology has more than 100000 layers once its depth-wise (DP) rows"),
                "\(run.standardError)")
    }

    /// A layer whose DRAM ifmap count SCALE-Sim takes from its trace is named in a note; a run
    /// whose counts are all exact has none. (56×56×64, 3×3, 64 filters, 64 kB: exact in ws, where
    /// every read misses; estimated in os.)
    @Test func estimatedColumnsAreNamed() throws {
        let speed = Self.fixtures.appendingPathComponent("speed")
        for (dataflow, estimated) in [("ws", false), ("os", true)] {
            let output = try temporaryDirectory()
            let run = try SimDIT.run(["scalesim", "--config", speed.appendingPathComponent("cfg_\(dataflow).cfg").path,
                                      "--topology", speed.appendingPathComponent("one.csv").path, "--output", output.path])
            #expect(run.status == 0 && run.standardOutput.hasPrefix("1 layer, \(dataflow), 32×32 array: wrote"), "\(run.standardOutput)")
            #expect(run.standardError.contains("note: estimated DRAM columns in 1 of 1 layers") == estimated
                    && run.standardError.contains("conv2_x (DRAM IFMAP Start Cycle, DRAM IFMAP Stop Cycle, DRAM IFMAP Reads, "
                                                  + "Avg IFMAP DRAM BW)") == estimated, "\(run.standardError)")
            let listed = try rows(output.appendingPathComponent("ESTIMATED_COLUMNS.csv"))
            #expect(listed.count == (estimated ? 2 : 1) && (!estimated || listed[1] == ["0", "conv2_x", "DRAM IFMAP Start Cycle; DRAM IFMAP Stop Cycle; DRAM IFMAP Reads; Avg IFMAP DRAM BW", ""]),
                    "\(listed)")
        }
    }

    /// SCALE-Sim v3's configuration keys ([layout], [sparsity], UseRamulatorTrace, request buffers)
    /// are read; the options that would change its counts are refused where they are set.
    @Test func version3ConfigurationsRead() throws {
        let directory = try temporaryDirectory()
        let v3 = """
            [general]
            run_name = v3_32x32_os

            [architecture_presets]
            ArrayHeight:    32
            ArrayWidth:     32
            IfmapSramSzkB:   64
            FilterSramSzkB:  64
            OfmapSramSzkB:   64
            IfmapOffset:    0
            FilterOffset:   10000000
            OfmapOffset:    20000000
            Bandwidth : 10
            Dataflow : os
            MemoryBanks:   1
            ReadRequestBuffer: 512
            WriteRequestBuffer: 512

            [layout]
            IfmapCustomLayout: False
            IfmapSRAMBankBandwidth: 10
            IfmapSRAMBankNum: 10
            IfmapSRAMBankPort: 2
            FilterCustomLayout: False
            FilterSRAMBankBandwidth: 10
            FilterSRAMBankNum: 10
            FilterSRAMBankPort: 2

            [sparsity]
            SparsitySupport : false
            SparseRep : ellpack_block
            OptimizedMapping : false
            BlockSize : 8
            RandomNumberGeneratorSeed : 40

            [run_presets]
            InterfaceBandwidth: CALC
            UseRamulatorTrace: False

            """
        let config = directory.appendingPathComponent("v3.cfg")
        try v3.write(to: config, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("out")
        let run = try SimDIT.run(["scalesim", "--config", config.path, "--topology", Self.fixtures.appendingPathComponent("topo.csv").path,
                                  "--output", output.path])
        #expect(run.status == 0, "\(run.standardError)")
        // The same numbers as the v2 configuration of the same array (fixture scalesim-conv-os).
        let ours = try rows(output.appendingPathComponent("COMPUTE_REPORT.csv"))
        let theirs = try rows(Self.fixtures.appendingPathComponent("scalesim-conv-os/COMPUTE_REPORT.csv"))
        #expect(ours.map { $0.prefix(3) } == theirs.map { $0.prefix(3) })
        let sparse = directory.appendingPathComponent("sparse.cfg")
        try v3.replacingOccurrences(of: "SparsitySupport : false", with: "SparsitySupport : true")
            .write(to: sparse, atomically: true, encoding: .utf8)
        let refused = try SimDIT.run(["scalesim", "--config", sparse.path, "--topology", Self.fixtures.appendingPathComponent("topo.csv").path,
                                      "--output", output.path])
        #expect(refused.status == 1 && refused.standardError.contains("sparse.cfg:30:19: error: SparsitySupport 'true' is not modelled"),
                "\(refused.standardError)")
    }

    /// Topologies as SCALE-Sim's own files write them: spreadsheet cells past the layer's and rows
    /// of empty cells are ignored, a ninth number is the horizontal stride.
    @Test func spreadsheetStyleTopologiesRead() throws {
        let directory = try temporaryDirectory()
        let topology = directory.appendingPathComponent("net.csv")
        try """
            Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,,,Eh,Ew
            ,,,,,,,,,,,
            first,17,17,3,3,8,40,2,,,8,8
            second,16,16,1,1,64,64,1,,,,
            wide,17,17,3,3,8,40,2,1,,,

            """.write(to: topology, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("out")
        let run = try SimDIT.run(["scalesim", "--config", Self.fixtures.appendingPathComponent("cfg_os.cfg").path,
                                  "--topology", topology.path, "--output", output.path])
        #expect(run.status == 0, "\(run.standardError)")
        let report = try rows(output.appendingPathComponent("COMPUTE_REPORT.csv"))
        // first and second are fixture layers c1 and c0 (os): 535 and 2015 cycles; 'wide' strides 2×1.
        #expect(report.count == 4 && report[1][1] == "535" && report[2][1] == "2015" && report[3][1] != "535", "\(report)")
    }

    @Test func badInputsArePositioned() throws {
        let directory = try temporaryDirectory()
        let config = directory.appendingPathComponent("bad.cfg")
        try "[architecture_presets]\nArrayHeight = 32\nArrayWidth = -4\nIfmapSramSzkB = 64\nFilterSramSzkB = 64\nOfmapSramSzkB = 64\nDataflow = xs\nColour = red\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let topology = directory.appendingPathComponent("t.csv")
        try "header\nl1, 16, 16, 3, 3, 8, 16, 1,\nl2, 8, 8, 9, 3, 8, 16, 1,\nl3, 8, eight, 3, 3, 8, 16, 1,\nl4, 1, 2\n"
            .write(to: topology, atomically: true, encoding: .utf8)
        let run = try SimDIT.run(["scalesim", "--config", config.path, "--topology", topology.path, "--output", directory.path + "/out"])
        #expect(run.status == 1)
        for wanted in ["\(config.path):3:14: error: 'arraywidth' must be a whole number from 1 to 8,192, got '-4'",
                       "\(config.path):7:12: error: 'dataflow' must be os, ws or is, got 'xs'",
                       "\(config.path):8:1: error: unknown key 'colour' in [architecture_presets]"] {
            #expect(run.standardError.contains(wanted), "\(wanted) in \(run.standardError)")
        }
        let topologyRun = try SimDIT.run(["scalesim", "--config", Self.fixtures.appendingPathComponent("cfg_os.cfg").path,
                                          "--topology", topology.path, "--output", directory.path + "/out"])
        for wanted in ["\(topology.path):3:1: error: the filter 9×3 is larger than the ifmap 8×8",
                       "\(topology.path):4:8: error: 'eight' must be a whole number", "\(topology.path):5:1: error: a convolution row is"] {
            #expect(topologyRun.standardError.contains(wanted), "\(wanted) in \(topologyRun.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/out/COMPUTE_REPORT.csv"))
    }
}
