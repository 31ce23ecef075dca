import Foundation
import Testing
@testable import SimDITFlow
import SimDITFiles

@Suite("value change dumps to switching activity")
struct VCDActivityTests {
    // Four clock periods of 10 time units from #0 to #40. Hand count:
    // - clk rises at 10, 20, 30, 40 → 4 cycles (the dump starts with clk = 0 at #0; 5 and 15 … are falls);
    // - d toggles 0→1 at 10, 1→0 at 20, 0→1 at 30: 3 transitions → activity 3/4; high 10–20 and 30–40
    //   → duty 20/40;
    // - bus[1:0] goes 00 → 01 (#10: bit0) → 10 (#20: bit0 and bit1) → x (#30: not a transition):
    //   bit0 2 transitions, bit1 1; bit1 is high 20–30 → duty 10/40 (x is not high);
    // - q outside the dut scope is ignored; the escaped \w[0] keeps its name without the backslash.
    static let dump = """
        $timescale 1ns $end
        $scope module tb $end
        $var wire 1 ? q $end
        $scope module dut $end
        $var wire 1 ! clk $end
        $var wire 1 " d $end
        $var wire 2 # bus [1:0] $end
        $var wire 1 % \\w[0] $end
        $upscope $end
        $upscope $end
        $enddefinitions $end
        #0
        $dumpvars
        0!
        0"
        b00 #
        1%
        0?
        $end
        #5
        1!
        #10
        0!
        1"
        b1 #
        1?
        #15
        1!
        #20
        0!
        0"
        b10 #
        #25
        1!
        #30
        0!
        1"
        bx #
        #35
        1!
        #40
        0!

        """

    @Test func countsTransitionsDutyAndCycles() throws {
        // The clock falls at 10, 20, 30, 40 and rises at 5, 15, 25, 35: four rising edges.
        let activity = try VCDActivity.parse(Self.dump)
        #expect(activity.clockCycles == 4)
        #expect(activity.duration == 40)
        let nets = Dictionary(uniqueKeysWithValues: activity.nets.map { ($0.name, $0) })
        #expect(Set(nets.keys) == ["clk", "d", "bus[1]", "bus[0]", "w[0]"])
        #expect(nets["d"]?.transitions == 3 && nets["d"]?.activity == 0.75 && nets["d"]?.duty == 0.5)
        #expect(nets["bus[0]"]?.transitions == 2 && nets["bus[0]"]?.duty == 0.25)
        #expect(nets["bus[1]"]?.transitions == 1 && nets["bus[1]"]?.duty == 0.25)
        #expect(nets["w[0]"]?.transitions == 0 && nets["w[0]"]?.duty == 1)
        #expect(nets["clk"]?.transitions == 8 && nets["clk"]?.activity == 2)
        let commands = activity.openSTACommands()
        #expect(commands.contains("simdit_net_activity {d} 0.75 0.5\n"))
        #expect(commands.contains("simdit_net_activity {w[0]} 0.0 1.0\n"))
        #expect(!commands.contains("{clk}"))
    }

    /// A dump written with Windows line endings reads the same.
    @Test func windowsLineEndingsReadTheSame() throws {
        let unix = try VCDActivity.parse(Self.dump)
        let windows = try VCDActivity.parse(Self.dump.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(windows.openSTACommands() == unix.openSTACommands() && windows.clockCycles == 4)
    }

    @Test(arguments: [
        ("$scope module dut $end\n$var wire x ! a $end\n$enddefinitions $end\n#0\n", "line 2"),
        ("$scope module dut $end\n$var wire 1 ! clk $end\n$enddefinitions $end\n#0\n1!\n#5\n2!\n", "line 7"),
        ("$scope module dut $end\n$var wire 1 ! clk $end\n$enddefinitions $end\n#10\n1!\n#5\n", "line 6"),
        ("$scope module dut $end\n$var wire 2 ! b [1:0] $end\n$enddefinitions $end\n#0\nb101 !\n", "line 5"),
    ])
    func malformedDumpsAreErrorsWithTheLine(text: String, line: String) {
        #expect {
            _ = try VCDActivity.parse(text)
        } throws: { error in
            String(describing: error).hasPrefix(line)
        }
    }

    /// Declared widths cannot make the parser allocate without bound: 64 variables of 65,536 bits
    /// (4 Mib) fit; the 65th, on line 66, crosses the bound and is refused.
    @Test func declaredBitsAreBounded() {
        var text = "$scope module dut $end\n"
        for index in 0..<65 { text += "$var wire 65536 v\(index) w\(index) [65535:0] $end\n" }
        text += "$enddefinitions $end\n#0\n"
        #expect {
            _ = try VCDActivity.parse(text)
        } throws: { String(describing: $0).hasPrefix("line 66: more than 4194304 bits") }
    }

    @Test func aDumpWithoutClockEdgesIsAnError() {
        let text = "$scope module dut $end\n$var wire 1 ! clk $end\n$enddefinitions $end\n#0\n0!\n#10\n"
        #expect(throws: VCDActivity.ParseError.self) { _ = try VCDActivity.parse(text) }
    }
}

@Suite("the characterization plan")
struct CharacterizationPlanTests {
    static var repository: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    @Test func theCommittedPlanReads() throws {
        let path = Self.repository.appendingPathComponent("Flow/plan.yaml").path
        let plan = try CharacterizationPlan.read(YAMLDocument.load(path: path)).get()
        #expect(plan.module(.pe)?.runs.map(\.name) == ["idle", "mac"])
        #expect(plan.module(.simdLane)?.runs.map(\.name) == ["idle", "add", "max", "multiply"])
        #expect(plan.module(.array)?.timing == .registerToRegister && plan.module(.array)?.size == .full)
        for module in plan.modules {
            for source in module.sources {
                #expect(FileManager.default.fileExists(atPath: Self.repository.appendingPathComponent("Templates/\(source)").path))
            }
            if let stimulus = module.stimulus {
                #expect(FileManager.default.fileExists(atPath: Self.repository.appendingPathComponent("Flow/\(stimulus)").path))
            }
        }
    }

    @Test func badPlansGetPositionedDiagnostics() {
        let text = """
            version: 1
            stimulus: {cycles: 0, warmup_cycles: 16, seed: 1}
            array_tile: {max_rows: 4, max_columns: 4, depth: 2}
            modules:
              - {name: pe, kind: pe, top: simdit_pe, sources: [simdit_pe.v], stimulus: sim/pe_stimulus.v, stimulus_top: t, runs: {idle: 0}}
              - {name: lane, kind: lane, top: simdit_simd_lane, sources: [simdit_simd_lane.v]}
              - {name: pe2, kind: pe, top: simdit_pe, sources: [simdit_pe.v], size: full}
              - {name: lane2, kind: simd_lane, top: l, sources: [a.v], stimulus: s.v, stimulus_top: t, runs: {idle: -9, add: 0, multiply: 3, max: 2}}

            """
        guard case .failure(let error) = CharacterizationPlan.read(YAMLDocument(text: text, file: "plan.yaml")) else {
            Issue.record("a bad plan was accepted")
            return
        }
        let messages = error.diagnostics.map(\.description)
        #expect(messages.contains { $0.hasPrefix("plan.yaml:2:") && $0.contains("'cycles' must be from 1") })
        #expect(messages.contains { $0.hasPrefix("plan.yaml:3:") && $0.contains("unknown key 'depth'") })
        #expect(messages.contains { $0.hasPrefix("plan.yaml:5:") && $0.contains("needs the runs mac") })
        #expect(messages.contains { $0.hasPrefix("plan.yaml:6:") && $0.contains("unknown module kind 'lane'") })
        #expect(messages.contains { $0.contains("the plan has no array module") })
        #expect(messages.contains { $0.hasPrefix("plan.yaml:7:") && $0.contains("'size' is tile or full, for an array module") })
        #expect(messages.filter { $0.contains("'idle' must be a MODE from -8 to 8, got -9") }.count == 1)
    }
}

@Suite("the whole array's size bound")
struct WholeArrayBoundTests {
    /// 4-bit osu018 PEs have 452 cells: 128×128 of them is 7.4 million instances, timed whole (12.6 GB
    /// measured); 8-bit PEs of about 700 cells are not, nor is anything that would overflow.
    @Test func boundByInstances() {
        #expect(SynthesisFlow.timesWholeArray(peCells: 452, rows: 128, columns: 128))
        #expect(!SynthesisFlow.timesWholeArray(peCells: 700, rows: 128, columns: 128))
        #expect(SynthesisFlow.timesWholeArray(peCells: 700, rows: 64, columns: 64))
        #expect(!SynthesisFlow.timesWholeArray(peCells: Int.max / 2, rows: 4, columns: 4))
    }
}
