import Foundation
import SimDITCore
import SimDITFiles

/// The open-tool backend flow, driven by the files in `Flow/`: the RTL templates with a generated
/// header → Yosys synthesis to a Liberty library (`Flow/yosys/synth.tcl`) → gate-level simulation
/// of the netlist with the library's Verilog cell models under Icarus (`Flow/sim/*_stimulus.v`),
/// its value changes turned into per-net switching activity → OpenSTA timing and power at that
/// activity (`Flow/sta/power.tcl`) → a synthesis report in the calibration schema.
///
/// The modules, the array tile and the stimulus runs come from `Flow/plan.yaml`. Power is measured
/// twice or more per module: an idle run (clock running, operands held) and an active run per
/// action (a MAC, or a SIMD op of one kind, every cycle), so that calibration can split the energy
/// the way hardware spends it: dynamic energy per action = (P_active − P_idle) / f, and the clock
/// and register energy per cycle = P_idle / f. Every stage keeps its script, a `rerun.sh` with the
/// exact commands and environment, its logs and a parsed `result.json`.
public struct SynthesisFlow {
    public struct Tools: Sendable {
        public var yosys: String
        public var sta: String
        public var iverilog: String
        public var vvp: String

        public init(yosys: String, sta: String, iverilog: String, vvp: String) {
            self.yosys = yosys
            self.sta = sta
            self.iverilog = iverilog
            self.vvp = vvp
        }

        /// The tools on PATH, or the names of those missing.
        public static func find() -> Result<Tools, MissingTools> {
            let yosys = ToolRunner.find(["yosys"]), sta = ToolRunner.find(["sta", "opensta"])
            let iverilog = ToolRunner.find(["iverilog"]), vvp = ToolRunner.find(["vvp"])
            guard let yosys, let sta, let iverilog, let vvp else {
                var missing: [String] = []
                if yosys == nil { missing.append("yosys") }
                if sta == nil { missing.append("opensta") }
                if iverilog == nil || vvp == nil { missing.append("iverilog") }
                return .failure(MissingTools(packages: missing))
            }
            return .success(Tools(yosys: yosys, sta: sta, iverilog: iverilog, vvp: vvp))
        }
    }

    public struct MissingTools: Error, Sendable {
        /// Debian packages that provide them.
        public var packages: [String]
    }

    public struct Configuration: Sendable {
        public var architecture: Architecture
        public var output: URL
        /// `Flow/`: the scripts, the stimulus testbenches and the plan.
        public var flow: URL
        public var templates: URL
        public var plan: CharacterizationPlan
        public var liberty: String
        /// The Liberty library's Verilog cell models, for gate-level simulation.
        public var cellModels: String
        public var tools: Tools
        /// Clock period constraint for timing, and the clock of the simulations and power, ns.
        public var clockPeriodNanoseconds: Double
        /// Share of zero operands in the stimulus, percent.
        public var zeroPercent: Int
        public var nodeNanometres: Double

        public init(architecture: Architecture, output: URL, flow: URL, templates: URL, plan: CharacterizationPlan,
                    liberty: String, cellModels: String, tools: Tools, clockPeriodNanoseconds: Double, zeroPercent: Int,
                    nodeNanometres: Double) {
            self.architecture = architecture
            self.output = output
            self.flow = flow
            self.templates = templates
            self.plan = plan
            self.liberty = liberty
            self.cellModels = cellModels
            self.tools = tools
            self.clockPeriodNanoseconds = clockPeriodNanoseconds
            self.zeroPercent = zeroPercent
            self.nodeNanometres = nodeNanometres
        }
    }

    /// One stimulus run: its activity and OpenSTA's power at it.
    public struct Run: Sendable {
        public var name: String
        public var clockCycles: Int
        public var nets: Int
        public var meanActivity: Double
        public var power: ToolReports.Power
        /// Total power by cell type, W.
        public var powerByCell: [String: Double]
    }

    /// One synthesized module's parsed results.
    public struct Module: Sendable {
        public var name: String
        public var kind: CharacterizationPlan.Kind
        public var stat: ToolReports.YosysStat
        public var timing: ToolReports.Timing
        public var runs: [Run]
        /// Leakage, W (from the idle run, else the timing run).
        public var leakageWatts: Double

        public func run(_ name: String) -> Run? { runs.first { $0.name == name } }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var stage: String
        public var log: String
        public var description: String { "\(stage) failed; see \(log)" }
    }

    /// The architecture synthesized: the user's precisions on an array tile no larger than the
    /// plan's, with small valid buffers (only the PE, the array and the lane are synthesized) and a
    /// 2-word WBUF bank (WBUF energy comes from the SRAM table, like every buffer).
    public static func characterization(_ a: Architecture, plan: CharacterizationPlan) -> Architecture {
        let n = min(a.arrayRows, plan.maximumTileRows), m = min(a.arrayColumns, plan.maximumTileColumns)
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
        let characterized = characterization(c.architecture, plan: c.plan)
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

        var modules: [Module] = []
        for planned in c.plan.modules {
            let module = try characterize(planned, c, rtl: rtl, parameters: parameters)
            modules.append(module)
            var line = "\(planned.name): \(Format.decimal(module.stat.chipArea, places: 1)) µm², slack "
                + "\(Format.decimal(module.timing.slackNanoseconds, places: 3)) ns"
            for run in module.runs {
                line += ", \(run.name) \(Format.decimal(run.power.dynamicWatts * 1e6, places: 1)) µW"
            }
            log(line)
        }
        return (report(c, modules: modules), modules)
    }

    /// Synthesis, the stimulus runs and OpenSTA for one module of the plan.
    static func characterize(_ planned: CharacterizationPlan.Module, _ c: Configuration, rtl: URL,
                             parameters: RTLParameters) throws -> Module {
        let fm = FileManager.default
        let directory = c.output.appendingPathComponent(planned.name)
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        var rerun = "#!/bin/sh\n# Reruns every step of this module by hand, with the parameters simdit flow used.\nset -e\n"
        func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
        func copy(_ script: String) throws -> URL {
            let source = c.flow.appendingPathComponent(script)
            let target = file(source.lastPathComponent)
            try? fm.removeItem(at: target)
            try fm.copyItem(at: source, to: target)
            return target
        }

        // Synthesis.
        let netlist = file("netlist.v"), staNetlist = file("netlist-sta.v")
        let synthesisScript = try copy("yosys/synth.tcl")
        let synthesisEnvironment = [
            "SIMDIT_INCLUDE": rtl.path,
            "SIMDIT_SOURCES": planned.sources.map { c.templates.appendingPathComponent($0).path }.joined(separator: " "),
            "SIMDIT_TOP": planned.top, "SIMDIT_LIBERTY": c.liberty, "SIMDIT_NETLIST": netlist.path,
            "SIMDIT_STA_NETLIST": staNetlist.path,
        ]
        let yosysLog = file("yosys.log")
        let yosysArguments = ["-q", "-l", yosysLog.path, "-c", synthesisScript.path]
        rerun += ToolRunner.shellLine(c.tools.yosys, yosysArguments, environment: synthesisEnvironment) + "\n"
        let synthesis = try ToolRunner.run(c.tools.yosys, yosysArguments, environment: synthesisEnvironment,
                                           log: file("yosys.stdout.log"))
        guard synthesis == 0, let text = try? String(contentsOf: yosysLog, encoding: .utf8),
              let stat = ToolReports.yosysStat(text) else { throw Failure(stage: "yosys (\(planned.name))", log: yosysLog.path) }
        let instances = ToolReports.netlistInstances((try? String(contentsOf: netlist, encoding: .utf8)) ?? "")

        // Timing and power: one OpenSTA run per stimulus run (a timing-only run when there is none).
        let staScript = try copy("sta/power.tcl")
        func sta(_ name: String, activity: String) throws -> (ToolReports.Timing, ToolReports.Power, [String: Double]) {
            let environment = [
                "SIMDIT_LIBERTY": c.liberty, "SIMDIT_NETLIST": staNetlist.path, "SIMDIT_TOP": planned.top,
                "SIMDIT_PERIOD_NS": JSONValue.format(c.clockPeriodNanoseconds), "SIMDIT_PATHS": planned.timing.rawValue,
                "SIMDIT_ACTIVITY": activity,
            ]
            let staLog = file("\(name).sta.log")
            let arguments = ["-no_init", "-exit", staScript.path]
            rerun += ToolRunner.shellLine(c.tools.sta, arguments, environment: environment) + " > \(staLog.lastPathComponent)\n"
            let status = try ToolRunner.run(c.tools.sta, arguments, environment: environment, log: staLog)
            guard status == 0, let text = try? String(contentsOf: staLog, encoding: .utf8),
                  let timing = ToolReports.openSTATiming(text), let power = ToolReports.openSTAPower(text) else {
                throw Failure(stage: "OpenSTA (\(planned.name), \(name))", log: staLog.path)
            }
            var byCell: [String: Double] = [:]
            for (instance, watts) in ToolReports.openSTAInstancePower(text) {
                byCell[instances[instance] ?? "?", default: 0] += watts
            }
            return (timing, power, byCell)
        }

        var runs: [Run] = []
        var timing: ToolReports.Timing?
        var leakage: Double?
        if planned.runs.isEmpty {
            let (t, power, _) = try sta("timing", activity: "0")
            timing = t
            leakage = power.leakageWatts
        }
        if !planned.runs.isEmpty, let stimulus = planned.stimulus, let top = planned.stimulusTop {
            let testbench = try copy(stimulus)
            for (name, mode) in planned.runs {
                let vcd = file("\(name).vcd")
                var values: [(String, String)] = [
                    ("MODE", "\(mode)"), ("ZERO_PERCENT", "\(c.zeroPercent)"), ("CYCLES", "\(c.plan.cycles)"),
                    ("WARMUP", "\(c.plan.warmupCycles)"), ("SEED", "\(c.plan.seed)"),
                    ("PERIOD_NS", JSONValue.format(c.clockPeriodNanoseconds)), ("VCD", "\"\(vcd.path)\""),
                ]
                switch planned.kind {
                case .pe:
                    let a = parameters.architecture
                    values += [("ACT_W", "\(a.activationBits)"), ("WGT_W", "\(a.weightBits)"), ("ACC_W", "\(a.accumulatorBits)"),
                               ("WBUF_AW", "\(parameters.memory("WBUF")?.addressBits ?? 1)")]
                case .simdLane:
                    values += [("W", "\(parameters.architecture.accumulatorBits)")]   // SIMD_DATA_WIDTH
                case .array:
                    break
                }
                let compiled = file("\(name).vvp")
                let arguments = ["-g2005", "-o", compiled.path, "-s", top] + values.map { "-P\(top).\($0.0)=\($0.1)" }
                    + [testbench.path, netlist.path, c.cellModels]
                let simulationLog = file("\(name).sim.log")
                rerun += ToolRunner.shellLine(c.tools.iverilog, arguments, environment: [:]) + "\n"
                rerun += ToolRunner.shellLine(c.tools.vvp, ["-n", compiled.path], environment: [:]) + "\n"
                guard try ToolRunner.run(c.tools.iverilog, arguments, log: file("\(name).compile.log")) == 0 else {
                    throw Failure(stage: "iverilog (\(planned.name), \(name))", log: file("\(name).compile.log").path)
                }
                guard try ToolRunner.run(c.tools.vvp, ["-n", compiled.path], directory: directory, log: simulationLog) == 0,
                      let dump = try? String(contentsOf: vcd, encoding: .utf8) else {
                    throw Failure(stage: "gate-level simulation (\(planned.name), \(name))", log: simulationLog.path)
                }
                let activity: VCDActivity
                do {
                    activity = try VCDActivity.parse(dump)
                } catch {
                    throw Failure(stage: "value change dump (\(planned.name), \(name)): \(error.description)", log: vcd.path)
                }
                // The dump is large; its summary and the commands made from it are kept.
                try? fm.removeItem(at: vcd)
                try? fm.removeItem(at: compiled)
                let commands = file("\(name).activity.tcl")
                try activity.openSTACommands().write(to: commands, atomically: true, encoding: .utf8)
                let busiest = activity.nets.sorted { $0.activity > $1.activity }.prefix(10)
                let summary = JSONValue.object([
                    ("run", .string(name)), ("mode", .integer(mode)), ("zero_percent", .integer(c.zeroPercent)),
                    ("clock_cycles", .integer(activity.clockCycles)), ("nets", .integer(activity.nets.count)),
                    ("transitions", .integer(activity.transitions)), ("mean_activity", .number(activity.meanActivity)),
                    ("busiest_nets", .array(busiest.map { .object([("net", .string($0.name)), ("activity", .number($0.activity)),
                                                                    ("duty", .number($0.duty))]) })),
                ])
                try (summary.text() + "\n").write(to: file("\(name).vcd-summary.json"), atomically: true, encoding: .utf8)
                let (t, power, byCell) = try sta(name, activity: commands.path)
                if timing == nil { timing = t }
                if name == "idle" || leakage == nil { leakage = power.leakageWatts }
                runs.append(Run(name: name, clockCycles: activity.clockCycles, nets: activity.nets.count,
                                meanActivity: activity.meanActivity, power: power, powerByCell: byCell))
            }
        }
        guard let timing else { throw Failure(stage: "OpenSTA (\(planned.name)): no timing", log: directory.path) }
        try rerun.write(to: file("rerun.sh"), atomically: true, encoding: .utf8)
        let module = Module(name: planned.top, kind: planned.kind, stat: stat, timing: timing, runs: runs,
                            leakageWatts: leakage ?? 0)
        try (result(module).text() + "\n").write(to: file("result.json"), atomically: true, encoding: .utf8)
        return module
    }

    /// `result.json` of one module: area and cells, timing, and per run its activity and power, with
    /// the share of each cell type in the power a run adds over the idle run.
    static func result(_ module: Module) -> JSONValue {
        let idle = module.run("idle")
        let runs: [JSONValue] = module.runs.map { run in
            var fields: [(String, JSONValue)] = [
                ("run", .string(run.name)), ("clock_cycles", .integer(run.clockCycles)), ("nets", .integer(run.nets)),
                ("mean_activity", .number(run.meanActivity)), ("internal_power_w", .number(run.power.internalWatts)),
                ("switching_power_w", .number(run.power.switchingWatts)), ("leakage_power_w", .number(run.power.leakageWatts)),
                ("dynamic_power_w", .number(run.power.dynamicWatts)),
            ]
            if let idle, run.name != "idle" {
                var added: [String: Double] = [:]
                for (cell, watts) in run.powerByCell { added[cell] = watts - (idle.powerByCell[cell] ?? 0) }
                let total = added.values.reduce(0, +)
                let top = added.sorted { $0.value > $1.value }.prefix(8)
                fields.append(("dynamic_over_idle_w", .number(run.power.dynamicWatts - idle.power.dynamicWatts)))
                fields.append(("added_power_by_cell", .object(top.map {
                    ($0.key, .object([("watts", .number($0.value)), ("share", .number(total > 0 ? $0.value / total : 0))]))
                })))
            } else {
                let total = run.powerByCell.values.reduce(0, +)
                let top = run.powerByCell.sorted { $0.value > $1.value }.prefix(8)
                fields.append(("power_by_cell", .object(top.map {
                    ($0.key, .object([("watts", .number($0.value)), ("share", .number(total > 0 ? $0.value / total : 0))]))
                })))
            }
            return .object(fields)
        }
        return .object([
            ("module", .string(module.name)), ("kind", .string(module.kind.rawValue)), ("area_um2", .number(module.stat.chipArea)),
            ("cells", .object(module.stat.cells.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
            ("worst_slack_ns", .number(module.timing.slackNanoseconds)),
            ("data_arrival_ns", .number(module.timing.dataArrivalNanoseconds)),
            ("leakage_power_w", .number(module.leakageWatts)), ("runs", .array(runs)),
        ])
    }

    /// The synthesis report (calibration schema) of the characterized modules.
    static func report(_ c: Configuration, modules: [Module]) -> String {
        let a = c.architecture
        let voltage = libertyVoltage(c.liberty) ?? 0
        func microwatts(_ watts: Double) -> String { JSONValue.format(watts * 1e6) }
        var text = """
            # Synthesis report written by `simdit flow` (calibration schema, version 1).
            # Yosys \(c.liberty) synthesis of the simdit templates for \(a.name), gate-level simulation
            # under Icarus (\(c.plan.cycles) cycles, random operands, \(c.zeroPercent) % zeros, seed \(c.plan.seed)),
            # OpenSTA timing and power at the simulated activity of every net.
            version: 1
            design: \(YAMLText.scalar(a.name + "-characterization"))
            tool: "yosys + iverilog + OpenSTA"
            node_nm: \(JSONValue.format(c.nodeNanometres))

            """
        if voltage > 0 { text += "voltage_v: \(JSONValue.format(voltage))\n" }
        text += "clock_period_ns: \(JSONValue.format(c.clockPeriodNanoseconds))\n"
        if let array = modules.first(where: { $0.kind == .array }) {
            text += "worst_slack_ns: \(JSONValue.format(array.timing.slackNanoseconds))   # register to register, array tile\n"
        }
        text += "modules:\n"
        for module in modules {
            var fields = ["name: \(module.name)", "kind: \(module.kind.rawValue)"]
            switch module.kind {
            case .pe: fields.append("precision_bits: \(max(a.activationBits, a.weightBits))")
            case .simdLane: fields.append("lane: fixed32")
            case .array: break
            }
            fields += ["instances: 1", "area_um2: \(JSONValue.format(module.stat.chipArea))",
                       "leakage_uw: \(microwatts(module.leakageWatts))"]
            if let idle = module.run("idle") { fields.append("idle_dynamic_uw: \(microwatts(idle.power.dynamicWatts))") }
            switch module.kind {
            case .pe:
                if let mac = module.run("mac") {
                    fields += ["dynamic_uw: \(microwatts(mac.power.dynamicWatts))", "operations_per_cycle: 1"]
                }
            case .simdLane:
                let operations = module.runs.filter { $0.name != "idle" }
                    .map { "\($0.name): \(microwatts($0.power.dynamicWatts))" }
                if !operations.isEmpty { fields.append("operation_dynamic_uw: {\(operations.joined(separator: ", "))}") }
            case .array:
                break
            }
            text += "  - {\(fields.joined(separator: ", "))}\n"
        }
        return text
    }

    /// `nom_voltage : 1.8;` from a Liberty file.
    static func libertyVoltage(_ path: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.contains("nom_voltage") {
            return line.split(separator: ":").last.flatMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: " ;"))) }
        }
        return nil
    }

    /// Where Debian's qflow-tech-osu018 installs the OSU 0.18 µm standard cells.
    public static let defaultLiberty = "/usr/share/qflow/tech/osu018/osu018_stdcells.lib"

    /// The Verilog cell models beside a Liberty file (qflow's `<tech>_stdcells.v`), if there.
    public static func cellModels(besides liberty: String) -> String? {
        let url = URL(fileURLWithPath: liberty)
        let directory = url.deletingLastPathComponent()
        let stem = url.deletingPathExtension().lastPathComponent
        let candidates = [stem + ".v"] + ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix("_stdcells.v") }.sorted()
        return candidates.map { directory.appendingPathComponent($0).path }.first { FileManager.default.fileExists(atPath: $0) }
    }
}
