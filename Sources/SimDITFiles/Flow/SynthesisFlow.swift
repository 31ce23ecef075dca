import Foundation
import SimDITCore

/// The open-tool backend flow: the RTL templates with a generated header → Yosys synthesis to a
/// Liberty library → OpenSTA timing and power → a synthesis report in the calibration schema.
///
/// Three modules are characterised: the PE on its own (so that flattening an array does not merge
/// it away), a tile of the array of at most 4×4 PEs (its register-to-register path sets the clock),
/// and one SIMD lane. In the characterisation the PE's WBUF bank is a 2-word register file: WBUF
/// energy, leakage and area come from the library's SRAM table, like every buffer.
public struct SynthesisFlow {
    public struct Configuration: Sendable {
        public var architecture: Architecture
        public var output: URL
        public var templates: URL
        public var liberty: String
        public var yosys: String
        public var sta: String
        /// Clock period constraint for timing and power, ns.
        public var clockPeriodNanoseconds: Double
        /// Toggle rate for the power analysis.
        public var switchingActivity: Double
        public var nodeNanometres: Double

        public init(architecture: Architecture, output: URL, templates: URL, liberty: String, yosys: String, sta: String,
                    clockPeriodNanoseconds: Double, switchingActivity: Double, nodeNanometres: Double) {
            self.architecture = architecture
            self.output = output
            self.templates = templates
            self.liberty = liberty
            self.yosys = yosys
            self.sta = sta
            self.clockPeriodNanoseconds = clockPeriodNanoseconds
            self.switchingActivity = switchingActivity
            self.nodeNanometres = nodeNanometres
        }
    }

    /// One synthesized module's parsed results.
    public struct Module: Sendable {
        public var name: String
        public var stat: ToolReports.YosysStat
        public var timing: ToolReports.Timing
        public var power: ToolReports.Power
    }

    public struct Failure: Error, CustomStringConvertible {
        public var stage: String
        public var log: String
        public var description: String { "\(stage) failed; see \(log)" }
    }

    /// The architecture synthesized: the user's precisions on an array of at most 4×4, with small
    /// valid buffers (only the PE, the array and the lane are synthesized) and a 2-word WBUF bank.
    public static func characterization(_ a: Architecture) -> Architecture {
        let n = min(a.arrayRows, 4), m = min(a.arrayColumns, 4)
        return Architecture(
            name: a.name + "-characterization", arrayRows: n, arrayColumns: m, activationBits: a.activationBits,
            weightBits: a.weightBits, biasBits: a.biasBits, accumulatorBits: a.accumulatorBits,
            inputBufferCapacityBits: 2 * n * a.activationBits * 64, weightBufferCapacityBits: 2 * n * m * a.weightBits,
            outputBufferCapacityBits: m * a.accumulatorBits * 64, biasBufferCapacityBits: 2 * m * a.biasBits * 4,
            vectorMemoryCapacityBits: m * a.accumulatorBits * 64, instructionMemoryCapacityBits: 8192,
            simdInstructionMemoryAddressBits: a.simdInstructionMemoryAddressBits,
            inputPortBitsPerCycle: 64, parameterPortBitsPerCycle: 64, outputPortBitsPerCycle: 64, simdPortBitsPerCycle: 64,
            instructionPortBitsPerCycle: 64)
    }

    /// Runs the flow and returns the synthesis report (calibration schema) and the modules.
    public static func run(_ c: Configuration, log: (String) -> Void) throws -> (report: String, modules: [Module]) {
        let fm = FileManager.default
        try fm.createDirectory(at: c.output, withIntermediateDirectories: true)
        let characterized = characterization(c.architecture)
        let rtl = c.output.appendingPathComponent("rtl")
        try fm.createDirectory(at: rtl, withIntermediateDirectories: true)
        let parameters: RTLParameters
        switch RTLParameters.derive(characterized) {
        case .success(let value): parameters = value
        case .failure(let error): throw Failure(stage: "rtl: \(error.issues.map(\.message).joined(separator: "; "))", log: rtl.path)
        }
        try RTLHeader.render(parameters, origin: "simdit flow (characterization of \(c.architecture.name))")
            .write(to: rtl.appendingPathComponent(RTLHeader.fileName), atomically: true, encoding: .utf8)
        log("rtl: \(rtl.appendingPathComponent(RTLHeader.fileName).path)")

        func template(_ name: String) -> String { c.templates.appendingPathComponent(name).path }
        let jobs: [(name: String, top: String, files: [String], registerToRegister: Bool)] = [
            ("pe", "simdit_pe", [template("simdit_pe.v")], false),
            ("array", "simdit_systolic_array",
             [template("simdit_delay.v"), template("simdit_pe.v"), template("simdit_systolic_array.v")], true),
            ("lane", "simdit_simd_lane", [template("simdit_simd_lane.v")], false),
        ]
        var modules: [Module] = []
        for job in jobs {
            let directory = c.output.appendingPathComponent(job.name)
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            let netlist = directory.appendingPathComponent("netlist.v").path
            let script = """
                read_verilog -I\(rtl.path) \(job.files.joined(separator: " "))
                synth -top \(job.top) -flatten
                dfflibmap -liberty \(c.liberty)
                abc -liberty \(c.liberty)
                opt_clean
                stat -liberty \(c.liberty)
                splitnets -ports
                opt_clean -purge
                write_verilog -noattr -noexpr -nohex -nodec \(netlist)

                """
            let scriptPath = directory.appendingPathComponent("synth.ys")
            try script.write(to: scriptPath, atomically: true, encoding: .utf8)
            let yosysLog = directory.appendingPathComponent("yosys.log")
            let synthesis = try runTool(c.yosys, ["-q", "-l", yosysLog.path, scriptPath.path])
            guard synthesis == 0, let text = try? String(contentsOf: yosysLog, encoding: .utf8),
                  let stat = ToolReports.yosysStat(text) else { throw Failure(stage: "yosys (\(job.name))", log: yosysLog.path) }
            let paths = job.registerToRegister ? " -from [all_registers -clock_pins] -to [all_registers -data_pins]" : ""
            let sta = """
                read_liberty \(c.liberty)
                read_verilog \(netlist)
                link_design \(job.top)
                create_clock -name clk -period \(c.clockPeriodNanoseconds) [get_ports clk]
                set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk]]
                set_output_delay 0 -clock clk [all_outputs]
                report_checks -path_delay max -digits 4\(paths)
                set_power_activity -global -activity \(c.switchingActivity)
                report_power -digits 6
                exit

                """
            let staPath = directory.appendingPathComponent("sta.tcl")
            try sta.write(to: staPath, atomically: true, encoding: .utf8)
            let staLog = directory.appendingPathComponent("sta.log")
            let status = try runTool(c.sta, ["-no_init", "-exit", staPath.path], output: staLog)
            guard status == 0, let staText = try? String(contentsOf: staLog, encoding: .utf8),
                  let timing = ToolReports.openSTATiming(staText), let power = ToolReports.openSTAPower(staText) else {
                throw Failure(stage: "OpenSTA (\(job.name))", log: staLog.path)
            }
            let module = Module(name: job.top, stat: stat, timing: timing, power: power)
            modules.append(module)
            let parsed = JSONValue.object([
                ("module", .string(job.top)),
                ("area_um2", .number(stat.chipArea)),
                ("cells", .object(stat.cells.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
                ("worst_slack_ns", .number(timing.slackNanoseconds)),
                ("data_arrival_ns", .number(timing.dataArrivalNanoseconds)),
                ("internal_power_w", .number(power.internalWatts)),
                ("switching_power_w", .number(power.switchingWatts)),
                ("leakage_power_w", .number(power.leakageWatts)),
            ])
            try (parsed.text() + "\n").write(to: directory.appendingPathComponent("result.json"), atomically: true, encoding: .utf8)
            log("\(job.name): \(Format.decimal(stat.chipArea, places: 1)) µm², slack \(Format.decimal(timing.slackNanoseconds, places: 3)) ns, "
                + "dynamic \(Format.decimal(power.dynamicWatts * 1e6, places: 1)) µW, leakage \(Format.decimal(power.leakageWatts * 1e6, places: 4)) µW")
        }
        let a = c.architecture
        let voltage = libertyVoltage(c.liberty) ?? 0
        func entry(_ module: Module, _ extra: String) -> String {
            "  - {name: \(module.name), \(extra), instances: 1, area_um2: \(JSONValue.format(module.stat.chipArea)), "
                + "leakage_uw: \(JSONValue.format(module.power.leakageWatts * 1e6)), "
                + "dynamic_uw: \(JSONValue.format(module.power.dynamicWatts * 1e6))}\n"
        }
        var report = """
            # Synthesis report written by `simdit flow` (calibration schema, version 1).
            # Yosys \(c.liberty) synthesis and OpenSTA timing and power of the simdit templates for \(a.name).
            version: 1
            design: \(YAMLText.scalar(a.name + "-characterization"))
            tool: "yosys + OpenSTA"
            node_nm: \(JSONValue.format(c.nodeNanometres))

            """
        if voltage > 0 { report += "voltage_v: \(JSONValue.format(voltage))\n" }
        report += "clock_period_ns: \(JSONValue.format(c.clockPeriodNanoseconds))\n"
        report += "worst_slack_ns: \(JSONValue.format(modules[1].timing.slackNanoseconds))   # register to register, array tile\n"
        report += "switching_activity: \(JSONValue.format(c.switchingActivity))\n"
        report += "modules:\n"
        report += entry(modules[0], "kind: pe, precision_bits: \(max(a.activationBits, a.weightBits)), operations_per_cycle: 1")
        report += entry(modules[1], "kind: array")
        report += entry(modules[2], "kind: simd_lane, lane: fixed32, operations_per_cycle: 1")
        return (report, modules)
    }

    /// `nom_voltage : 1.8;` from a Liberty file.
    static func libertyVoltage(_ path: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.contains("nom_voltage") {
            return line.split(separator: ":").last.flatMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: " ;"))) }
        }
        return nil
    }

    @discardableResult
    static func runTool(_ executable: String, _ arguments: [String], output: URL? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if let output { try data.write(to: output) }
        return process.terminationStatus
    }

    /// The first executable of these names on PATH.
    public static func findTool(_ names: [String]) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in names {
            for directory in paths where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    /// Where Debian's qflow-tech-osu018 installs the OSU 0.18 µm standard-cell Liberty.
    public static let defaultLiberty = "/usr/share/qflow/tech/osu018/osu018_stdcells.lib"
}
