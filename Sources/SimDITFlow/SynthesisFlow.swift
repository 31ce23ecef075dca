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
        /// Debian's qflow, for `--place-route`.
        public var qflow: String?

        public init(yosys: String, sta: String, iverilog: String, vvp: String, qflow: String? = nil) {
            self.yosys = yosys
            self.sta = sta
            self.iverilog = iverilog
            self.vvp = vvp
            self.qflow = qflow
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
            return .success(Tools(yosys: yosys, sta: sta, iverilog: iverilog, vvp: vvp, qflow: ToolRunner.find(["qflow"])))
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
        /// The plan's modules (PE or SIMD lane) to place and route with qflow (technology
        /// `qflowTechnology`): their area, timing and power then come from the routed netlist with its
        /// wire capacitances.
        public var placeRoute: Set<String> = []
        public var qflowTechnology: String?

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
        /// After place and route: the die area, µm² (`stat.chipArea` stays the synthesized cells').
        public var layoutAreaSquareMicrometres: Double?
        /// The gate-level netlist simulated (vector ports).
        public var netlist: URL

        /// The area calibration takes: the layout's when placed and routed.
        public var area: Double { layoutAreaSquareMicrometres ?? stat.chipArea }

        public func run(_ name: String) -> Run? { runs.first { $0.name == name } }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var stage: String
        public var log: String
        public var description: String { "\(stage) failed; see \(log)" }
    }

    /// The most PE-cell instances a whole array is timed with (about 12 GB of OpenSTA memory, a
    /// 128×128 array of 4-bit PEs); larger arrays are timed as a tile.
    public static let maximumArrayInstances = 8_000_000

    /// Whether an array of `rows` × `columns` PEs of `peCells` cells each is timed whole.
    public static func timesWholeArray(peCells: Int, rows: Int, columns: Int) -> Bool {
        let (product, overflow) = peCells.multipliedReportingOverflow(by: rows)
        let (instances, overflow2) = product.multipliedReportingOverflow(by: columns)
        return !overflow && !overflow2 && instances <= maximumArrayInstances
    }

    /// The architecture synthesized: the user's precisions on an array tile no larger than the
    /// plan's, with small valid buffers (only the PE, the array and the lane are synthesized) and a
    /// 2-word WBUF bank (WBUF energy comes from the SRAM table, like every buffer).
    public static func characterization(_ a: Architecture, plan: CharacterizationPlan) -> Architecture {
        characterization(a, rows: min(a.arrayRows, plan.maximumTileRows), columns: min(a.arrayColumns, plan.maximumTileColumns))
    }

    /// The same on an array of `rows` × `columns` PEs.
    static func characterization(_ a: Architecture, rows n: Int, columns m: Int) -> Architecture {
        Architecture(
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
            // A full array is built around the PE's netlist: the plan's PE module comes first.
            var pe: WholeArrayPE?
            if planned.kind == .array && planned.size == .full {
                guard let index = modules.firstIndex(where: { $0.kind == .pe }), let plannedPE = c.plan.module(.pe) else {
                    throw Failure(stage: "array (\(planned.name)): the plan's PE module must come before a full array",
                                  log: c.output.path)
                }
                // OpenSTA holds every PE's cells: about 1.7 kB each, so the whole array is bounded by memory.
                let peCells = modules[index].stat.cells.values.reduce(0, +)
                let instances = peCells * c.architecture.arrayRows * c.architecture.arrayColumns
                if timesWholeArray(peCells: peCells, rows: c.architecture.arrayRows, columns: c.architecture.arrayColumns) {
                    pe = WholeArrayPE(module: plannedPE, netlist: modules[index].netlist,
                                      areaSquareMicrometres: modules[index].stat.chipArea)
                } else {
                    log("\(planned.name): the whole array would be \(Format.grouped(Double(instances))) cell instances for OpenSTA, "
                        + "more than \(Format.grouped(Double(maximumArrayInstances))); timed as a tile of at most "
                        + "\(c.plan.maximumTileRows)×\(c.plan.maximumTileColumns) PEs instead")
                }
            }
            let module = try characterize(planned, c, rtl: rtl, parameters: parameters, pe: pe)
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
                             parameters: RTLParameters, pe: WholeArrayPE? = nil) throws -> Module {
        if let pe { return try characterizeFullArray(planned, c, pe: pe) }
        let fm = FileManager.default
        let directory = c.output.appendingPathComponent(planned.name)
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        var rerun = rerunHeader
        func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
        func copy(_ script: String) throws -> URL { try copyScript(script, c, into: directory) }

        // Synthesis.
        let netlist = file("netlist.v"), staNetlist = file("netlist-sta.v")
        let synthesisScript = try copy("yosys/synth.tcl")
        let synthesisEnvironment = [
            "SIMDIT_INCLUDE": rtl.path,
            "SIMDIT_SOURCES": planned.sources.map { c.templates.appendingPathComponent($0).path }.joined(separator: " "),
            "SIMDIT_TOP": planned.top, "SIMDIT_LIBERTY": c.liberty, "SIMDIT_NETLIST": netlist.path,
            "SIMDIT_STA_NETLIST": staNetlist.path,
        ]
        let stat = try runYosys(c, script: synthesisScript, environment: synthesisEnvironment, directory: directory,
                                stage: "yosys (\(planned.name))", rerun: &rerun)
        // With --place-route, the PE and the lane are laid out by qflow; its routed netlist, with each
        // net's wire capacitance, replaces the synthesized one for simulation, timing and power.
        var simulated = netlist, timed = staNetlist, wireLoads = "", layoutArea: Double?
        if c.placeRoute.contains(planned.name) && planned.kind != .array {
            let routed = try placeAndRoute(planned, c, rtl: rtl, sources: synthesisEnvironment["SIMDIT_SOURCES"] ?? "",
                                           directory: directory, rerun: &rerun)
            simulated = routed.netlist
            timed = routed.netlist
            wireLoads = routed.wireLoads.path
            layoutArea = routed.area
        }
        let instances = ToolReports.netlistInstances((try? String(contentsOf: simulated, encoding: .utf8)) ?? "")

        // Timing and power: one OpenSTA run per stimulus run (a timing-only run when there is none).
        let staScript = try copy("sta/power.tcl")
        func sta(_ name: String, activity: String) throws -> (ToolReports.Timing, ToolReports.Power, [String: Double]) {
            let environment = [
                "SIMDIT_LIBERTY": c.liberty, "SIMDIT_NETLIST": timed.path, "SIMDIT_TOP": planned.top, "SIMDIT_WIRE_LOADS": wireLoads,
                "SIMDIT_PERIOD_NS": JSONValue.format(c.clockPeriodNanoseconds), "SIMDIT_PATHS": planned.timing.rawValue,
                "SIMDIT_ACTIVITY": activity,
            ]
            let (timing, power, text) = try runOpenSTA(c, script: staScript, environment: environment, log: file("\(name).sta.log"),
                                                       stage: "OpenSTA (\(planned.name), \(name))", rerun: &rerun)
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
                    + [testbench.path, simulated.path, c.cellModels]
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
                            leakageWatts: leakage ?? 0, layoutAreaSquareMicrometres: layoutArea, netlist: simulated)
        try (result(module).text() + "\n").write(to: file("result.json"), atomically: true, encoding: .utf8)
        return module
    }

    /// The PE a whole array is built from: its plan entry, its netlist and its synthesized area.
    struct WholeArrayPE {
        var module: CharacterizationPlan.Module
        var netlist: URL
        var areaSquareMicrometres: Double
    }

    static let rerunHeader = "#!/bin/sh\n# Reruns every step of this module by hand, with the parameters simdit flow used.\nset -e\n"

    /// A copy of `Flow/<script>` in a module's directory, kept with its results.
    static func copyScript(_ script: String, _ c: Configuration, into directory: URL) throws -> URL {
        let source = c.flow.appendingPathComponent(script)
        let target = directory.appendingPathComponent(source.lastPathComponent)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }

    /// Yosys on `script` (its log `yosys.log` in `directory`), the command added to `rerun`: the
    /// `stat -liberty` it prints.
    static func runYosys(_ c: Configuration, script: URL, environment: [String: String], directory: URL, stage: String,
                         rerun: inout String) throws -> ToolReports.YosysStat {
        let log = directory.appendingPathComponent("yosys.log")
        let arguments = ["-q", "-l", log.path, "-c", script.path]
        rerun += ToolRunner.shellLine(c.tools.yosys, arguments, environment: environment) + "\n"
        guard try ToolRunner.run(c.tools.yosys, arguments, environment: environment,
                                 log: directory.appendingPathComponent("yosys.stdout.log")) == 0,
              let text = try? String(contentsOf: log, encoding: .utf8), let stat = ToolReports.yosysStat(text) else {
            throw Failure(stage: stage, log: log.path)
        }
        return stat
    }

    /// OpenSTA on `script`, printing to `log`, the command added to `rerun`: the worst path, the power
    /// totals and the log's text.
    static func runOpenSTA(_ c: Configuration, script: URL, environment: [String: String], log: URL, stage: String,
                           rerun: inout String) throws -> (ToolReports.Timing, ToolReports.Power, String) {
        let arguments = ["-no_init", "-exit", script.path]
        rerun += ToolRunner.shellLine(c.tools.sta, arguments, environment: environment) + " > \(log.lastPathComponent)\n"
        guard try ToolRunner.run(c.tools.sta, arguments, environment: environment, log: log) == 0,
              let text = try? String(contentsOf: log, encoding: .utf8),
              let timing = ToolReports.openSTATiming(text), let power = ToolReports.openSTAPower(text) else {
            throw Failure(stage: stage, log: log.path)
        }
        return (timing, power, text)
    }

    /// The whole N×M array, hierarchically: its own logic synthesized around black-box PEs
    /// (`Flow/yosys/array.tcl`, the full array's header in `DIR/<array>/rtl`), then timed by OpenSTA
    /// with the PE's netlist for every instance. Its area is the array's own cells plus N·M PEs.
    static func characterizeFullArray(_ planned: CharacterizationPlan.Module, _ c: Configuration,
                                      pe: WholeArrayPE) throws -> Module {
        let fm = FileManager.default
        let directory = c.output.appendingPathComponent(planned.name)
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
        var rerun = rerunHeader
        let a = c.architecture
        let full = characterization(a, rows: a.arrayRows, columns: a.arrayColumns)
        let rtl = file("rtl")
        try fm.createDirectory(at: rtl, withIntermediateDirectories: true)
        switch RTLParameters.derive(full) {
        case .success(let parameters):
            try RTLHeader.render(parameters, origin: "simdit flow (the whole array of \(a.name))")
                .write(to: rtl.appendingPathComponent(RTLHeader.fileName), atomically: true, encoding: .utf8)
        case .failure(let error):
            throw Failure(stage: "rtl: \(error.issues.map(\.message).joined(separator: "; "))", log: rtl.path)
        }
        let script = try copyScript("yosys/array.tcl", c, into: directory)
        let netlist = file("netlist.v")
        let environment = [
            "SIMDIT_INCLUDE": rtl.path,
            "SIMDIT_SOURCES": planned.sources.filter { !pe.module.sources.contains($0) }
                .map { c.templates.appendingPathComponent($0).path }.joined(separator: " "),
            "SIMDIT_BLACKBOX": pe.module.sources.map { c.templates.appendingPathComponent($0).path }.joined(separator: " "),
            "SIMDIT_TOP": planned.top, "SIMDIT_LIBERTY": c.liberty, "SIMDIT_NETLIST": netlist.path,
        ]
        let stat = try runYosys(c, script: script, environment: environment, directory: directory,
                                stage: "yosys (\(planned.name), the whole array)", rerun: &rerun)
        let staScript = try copyScript("sta/power.tcl", c, into: directory)
        let staEnvironment = [
            "SIMDIT_LIBERTY": c.liberty, "SIMDIT_NETLIST": "\(pe.netlist.path) \(netlist.path)", "SIMDIT_TOP": planned.top,
            "SIMDIT_WIRE_LOADS": "", "SIMDIT_PERIOD_NS": JSONValue.format(c.clockPeriodNanoseconds),
            "SIMDIT_PATHS": planned.timing.rawValue, "SIMDIT_ACTIVITY": "0",
        ]
        let (timing, power, _) = try runOpenSTA(c, script: staScript, environment: staEnvironment, log: file("timing.sta.log"),
                                                stage: "OpenSTA (\(planned.name), the whole array)", rerun: &rerun)
        try rerun.write(to: file("rerun.sh"), atomically: true, encoding: .utf8)
        // The PE's synthesized area, N·M times, beside the array's own cells.
        var total = stat
        total.chipArea = stat.chipArea + Double(a.arrayRows * a.arrayColumns) * pe.areaSquareMicrometres
        let module = Module(name: planned.top, kind: planned.kind, stat: total, timing: timing, runs: [],
                            leakageWatts: power.leakageWatts, netlist: netlist)
        try (result(module).text() + "\n").write(to: file("result.json"), atomically: true, encoding: .utf8)
        return module
    }

    /// Lays a module out with `Flow/qflow/place_route.sh`: its routed netlist, a file of its nets'
    /// wire capacitances for OpenSTA (`set_load`, from the SPEF's total `*D_NET` capacitance), and the
    /// die area.
    static func placeAndRoute(_ planned: CharacterizationPlan.Module, _ c: Configuration, rtl: URL, sources: String,
                              directory: URL, rerun: inout String) throws -> (netlist: URL, wireLoads: URL, area: Double) {
        guard let qflow = c.tools.qflow, let technology = c.qflowTechnology else {
            throw Failure(stage: "place and route (\(planned.name)): qflow and its technology are needed", log: directory.path)
        }
        let fm = FileManager.default
        let layout = directory.appendingPathComponent("layout")
        try? fm.removeItem(at: layout)
        let script = try copyScript("qflow/place_route.sh", c, into: directory)
        let environment = [
            "SIMDIT_QFLOW_DIR": layout.path, "SIMDIT_INCLUDE": rtl.path, "SIMDIT_SOURCES": sources, "SIMDIT_TOP": planned.top,
            "SIMDIT_QFLOW_TECH": technology, "PATH": URL(fileURLWithPath: qflow).deletingLastPathComponent().path + ":"
                + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        ]
        let log = directory.appendingPathComponent("layout.log")
        rerun += ToolRunner.shellLine("/bin/sh", [script.path], environment: environment) + " > layout.log\n"
        guard try ToolRunner.run("/bin/sh", [script.path], environment: environment, log: log) == 0 else {
            throw Failure(stage: "qflow place and route (\(planned.name))", log: log.path)
        }
        guard let def = try? String(contentsOf: layout.appendingPathComponent("\(planned.top).def"), encoding: .utf8),
              let area = ToolReports.defDieArea(def),
              let spef = try? String(contentsOf: layout.appendingPathComponent("\(planned.top).spef"), encoding: .utf8) else {
            throw Failure(stage: "qflow place and route (\(planned.name)): no DIEAREA or SPEF", log: log.path)
        }
        let loads = ToolReports.spefNetCapacitances(spef).filter { !$0.net.contains("{") && !$0.net.contains("}") }
        let wireLoads = directory.appendingPathComponent("wire-loads.tcl")
        try ("# Wire capacitance of each routed net, pF (total *D_NET capacitance of \(planned.top).spef).\n"
            + loads.map { "set_load \(JSONValue.format($0.picofarads)) [get_nets {\($0.net)}]\n" }.joined())
            .write(to: wireLoads, atomically: true, encoding: .utf8)
        return (layout.appendingPathComponent("\(planned.top).rtlnopwr.v"), wireLoads, area)
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
