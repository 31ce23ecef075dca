import Foundation
import SimDITFiles

/// What the flow writes from its modules: each module's `result.json` and the synthesis report.
extension SynthesisFlow {
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
            ("layout_area_um2", module.layoutAreaSquareMicrometres.map { .number($0) } ?? .null),
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
            // After place and route, the routed PE and lane (with their wires) can be slower than the
            // synthesized array tile: the clock is set by the worst.
            let routed = modules.filter { $0.layoutAreaSquareMicrometres != nil }
            let worst = ([array] + routed).min { $0.timing.slackNanoseconds < $1.timing.slackNanoseconds } ?? array
            let why = worst.kind == .array ? "register to register, the array" : "\(worst.name) after place and route"
            text += "worst_slack_ns: \(JSONValue.format(worst.timing.slackNanoseconds))   # \(why)\n"
        }
        text += "modules:\n"
        for module in modules {
            var fields = ["name: \(module.name)", "kind: \(module.kind.rawValue)"]
            switch module.kind {
            case .pe: fields.append("precision_bits: \(max(a.activationBits, a.weightBits))")
            case .simdLane: fields.append("lane: fixed32")
            case .array: break
            }
            fields += ["instances: 1", "area_um2: \(JSONValue.format(module.area))",
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
}
