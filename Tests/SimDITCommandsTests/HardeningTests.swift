import Foundation
import Testing

/// The reproducers of issue 12: extreme values in files and options are diagnostics stating the
/// valid range, never a trap, a hang or a clobbered file.
@Suite("Hardening", .serialized)
struct HardeningTests {
    func architecture(replacing key: String, with value: String) throws -> String {
        let preset = try SimDIT.run(["presets", "show", "genesys-inference-01"]).standardOutput
        let lines = preset.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard let range = line.range(of: "\(key): ") else { return String(line) }
            return String(line[..<range.upperBound]) + value
        }
        let url = try temporaryDirectory().appendingPathComponent("arch.yaml")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test(arguments: [("rows", "3000000000000000", ["simulate"]), ("ibuf_capacity_bits", "9223372036854775807", ["rtl", "--output", "/tmp"]),
                      ("obuf_capacity_bits", "4611686018427387904", ["optimize"]), ("weight_bits", "-1", ["area"])])
    func extremeArchitectureValuesAreRangeDiagnostics(key: String, value: String, command: [String]) throws {
        let path = try architecture(replacing: key, with: value)
        let run = try SimDIT.run(command + ["--arch", path])
        #expect(run.status == 1)
        #expect(run.standardError.contains("\(path):"), "positioned: \(run.standardError)")
        #expect(run.standardError.contains("'\(key)' must be a whole number from 1 to"), "\(run.standardError)")
    }

    /// Budgets taken from the architecture file are the file's problems: an odd port total is
    /// reported at the file (found by the fuzz suite, seed 77).
    @Test func architectureBudgetProblemsArePositioned() throws {
        let path = try architecture(replacing: "ibuf_bits_per_cycle", with: "130")
        let run = try SimDIT.run(["optimize", "--arch", path, "--network", "resnet18"])
        #expect(run.status == 1)
        #expect(run.standardError.hasPrefix("\(path):") && run.standardError.contains("is not a multiple of its granularity"),
                "\(run.standardError)")
    }

    @Test func extremeOptionsAreRangeErrors() throws {
        for arguments in [["optimize", "--sram-budget-kib", "1125899906842624"], ["optimize", "--sram-granularity-kib", "1125899906842624"],
                          ["optimize", "--bandwidth-budget", "1000000000"], ["bench", "--repetitions", "9223372036854775807"],
                          ["simulate", "--batch", "-1"], ["simulate", "--batch", "9007199254740993"]] {
            let run = try SimDIT.run(arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.standardError.contains("must be a whole number from"), "\(arguments): \(run.standardError)")
        }
        let fine = try SimDIT.run(["optimize", "--bandwidth-budget", "4194304", "--bandwidth-granularity", "1"])
        #expect(fine.status == 1 && fine.standardError.contains("the search explores at most 4096"))
    }

    /// The model is closed-form in the batch: 10^9 and 2^53 cost what 1 does.
    @Test func hugeBatchesFinishAtOnce() throws {
        for batch in ["1000000000", "9007199254740992"] {
            let started = ContinuousClock.now
            let run = try SimDIT.run(["simulate", "--mode", "inference", "--batch", batch, "--summary"])
            #expect(run.status == 0, "\(run.standardError)")
            #expect(ContinuousClock.now - started < .seconds(10))
            let total = run.standardOutput.split(separator: "\n").first { $0.hasPrefix("total") } ?? ""
            #expect(!total.contains(",."), "garbled: \(total)")
        }
        let huge = try SimDIT.run(["simulate", "--mode", "inference", "--batch", "9007199254740992", "--summary"])
        #expect(huge.standardOutput.contains("e2"), "three significant digits past 10^15")
    }

    /// A 2^24-wide input (the largest a network file accepts) is answered at once; 2^31 is a range error.
    @Test func wideInputsAreQuick() throws {
        let directory = try temporaryDirectory()
        for (width, ok) in [("16777216", true), ("2147483648", false)] {
            let path = directory.appendingPathComponent("wide\(width).yaml")
            try """
            version: 1
            input: {channels: 3, height: 1, width: \(width)}
            layers:
              - {name: c, type: conv, out_channels: 16, kernel: [1, 3], padding: [0, 1]}
              - {name: r, type: relu}
            """.write(to: path, atomically: true, encoding: .utf8)
            let started = ContinuousClock.now
            let run = try SimDIT.run(["simulate", "--mode", "training", "--network", path.path, "--arch", "genesys-inference-01"])
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(run.status == 1)
            #expect(run.standardError.contains(ok ? "\(path.path):4:5: error: layer 'c': no tile" : "'width' must be a whole number from 1 to 2^24"),
                    "\(run.standardError)")
        }
    }

    @Test func outputsNeverReplaceWhatIsNotARegularFile() throws {
        let directory = try temporaryDirectory()
        let link = directory.appendingPathComponent("link.json")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "/dev/null")
        for (target, what) in [("/dev/null", "a device"), (directory.path, "a directory"), (link.path, "a symbolic link")] {
            for command in [["simulate", "--mode", "inference"], ["optimize", "--emit-arch"]] {
                let arguments = command.last == "--emit-arch" ? command + [target] : command + ["--output", target]
                let run = try SimDIT.run(arguments)
                #expect(run.status == 1 && run.standardError.contains("is \(what), and only a regular file is replaced"),
                        "\(arguments): \(run.standardError)")
            }
        }
        let empty = try SimDIT.run(["simulate", "--mode", "inference", "--output", ""])
        #expect(empty.status == 1 && empty.standardError.contains("the output path is empty"))
        let stream = try SimDIT.run(["simulate", "--mode", "inference", "--format", "json", "--output", "-"])
        #expect(stream.status == 0 && stream.standardOutput.hasPrefix("{"))
    }

    @Test func smallerEdges() throws {
        let help = try SimDIT.run(["optimize", "--help"]).standardOutput + SimDIT.run(["area", "--help"]).standardOutput
        #expect(!help.contains("csv"))
        let training = try SimDIT.run(["simulate", "--arch", "genesys-inference-08", "--mode", "training", "--batch", "2", "--summary"])
        // The warning is part of the report (the table here), where the numbers it qualifies are.
        #expect(training.status == 0 && training.standardOutput.contains("warning: training on 'genesys-inference-08' with 4-bit"))
        let json = try SimDIT.run(["simulate", "--arch", "genesys-training-08", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let layers = try #require(object["layers"] as? [[String: Any]])
        for layer in layers {
            let kinds = layer["dram_bytes_by_kind"] as? [String: Double] ?? [:]
            #expect(kinds.values.allSatisfy { $0 >= 0 }, "\(layer["name"] ?? "?")")   // no −5.96e-08 psum residue
        }
    }
}
