/// A synthesis or implementation report, as the calibration reads it: what was built, at which
/// clock and switching activity, and per module its area, leakage and dynamic power.
public struct SynthesisReport: Sendable, Hashable {
    public enum ModuleKind: String, Sendable, Hashable, CaseIterable {
        /// One processing element (multiply-accumulate); needs `precisionBits`.
        case pe
        /// One SIMD lane ALU; `lane` says fixed32 or float32.
        case simdLane = "simd_lane"
        /// Control logic: its area and leakage relative to the report's other modules.
        case control
        /// A whole array or any other module: reported, not used for a figure.
        case array, other
    }

    public struct Module: Sendable, Hashable {
        public var name: String
        public var kind: ModuleKind
        public var precisionBits: Int?
        /// `fixed32` or `float32` for a SIMD lane.
        public var lane: String?
        /// The figures cover this many instances together.
        public var instances: Double
        public var areaSquareMicrometres: Double?
        public var leakageMicrowatts: Double?
        /// Dynamic power at the report's clock: while doing its action every cycle (a MAC on a PE)
        /// when `idleDynamicMicrowatts` is given, else at the report's global switching activity.
        public var dynamicMicrowatts: Double?
        /// Dynamic power with the clock running and every operand held: clock and register power.
        public var idleDynamicMicrowatts: Double?
        /// A SIMD lane's dynamic power doing one operation kind every cycle (`add`, `multiply`, `max`).
        public var operationDynamicMicrowatts: [String: Double]
        /// MACs (PE) or ALU operations (lane) one instance completes per cycle.
        public var operationsPerCycle: Double

        public init(name: String, kind: ModuleKind, precisionBits: Int? = nil, lane: String? = nil, instances: Double = 1,
                    areaSquareMicrometres: Double? = nil, leakageMicrowatts: Double? = nil,
                    dynamicMicrowatts: Double? = nil, idleDynamicMicrowatts: Double? = nil,
                    operationDynamicMicrowatts: [String: Double] = [:], operationsPerCycle: Double = 1) {
            self.name = name
            self.kind = kind
            self.precisionBits = precisionBits
            self.lane = lane
            self.instances = instances
            self.areaSquareMicrometres = areaSquareMicrometres
            self.leakageMicrowatts = leakageMicrowatts
            self.dynamicMicrowatts = dynamicMicrowatts
            self.idleDynamicMicrowatts = idleDynamicMicrowatts
            self.operationDynamicMicrowatts = operationDynamicMicrowatts
            self.operationsPerCycle = operationsPerCycle
        }
    }

    public var design: String
    public var nodeNanometres: Double?
    public var voltage: Double?
    /// The constrained clock period the power was reported at.
    public var clockPeriodNanoseconds: Double
    /// Worst setup slack at that period; the achievable period is `period − slack`.
    public var worstSlackNanoseconds: Double?
    /// Global toggle rate of a power analysis without simulated activity (0 < a ≤ 1); needed by
    /// modules that report `dynamicMicrowatts` without an idle figure.
    public var switchingActivity: Double?
    public var modules: [Module]
    public var sramMacros: [SRAMMacro]

    public init(design: String, nodeNanometres: Double? = nil, voltage: Double? = nil, clockPeriodNanoseconds: Double,
                worstSlackNanoseconds: Double? = nil, switchingActivity: Double? = nil, modules: [Module],
                sramMacros: [SRAMMacro] = []) {
        self.design = design
        self.nodeNanometres = nodeNanometres
        self.voltage = voltage
        self.clockPeriodNanoseconds = clockPeriodNanoseconds
        self.worstSlackNanoseconds = worstSlackNanoseconds
        self.switchingActivity = switchingActivity
        self.modules = modules
        self.sramMacros = sramMacros
    }

    /// The period the design actually closes at, ns.
    public var achievablePeriodNanoseconds: Double { clockPeriodNanoseconds - (worstSlackNanoseconds ?? 0) }
    /// The clock the power was measured at, Hz.
    public var reportClockHz: Double { 1e9 / clockPeriodNanoseconds }
}

/// One library figure derived from a report: the technology-file key path, its value, the report
/// and field it came from, and how.
public struct CalibratedFigure: Sendable, Hashable {
    public var keyPath: String
    public var value: Double
    public var report: Int
    /// The report field(s) used, e.g. `modules[0].dynamic_uw`.
    public var field: String
    public var derivation: String
}

/// A report inconsistency: which report and field, and why.
public struct CalibrationIssue: Sendable, Hashable, CustomStringConvertible {
    public var report: Int
    public var field: String
    public var message: String
    public var description: String { message }
}

/// Derives per-action energies, leakage, area and the achievable clock from synthesis reports
/// (BRIEF.md: synthesis reports calibrate the model).
///
/// - Clock: `1 / (period − worst slack)`; with several reports, the slowest.
/// - PE, measured active and idle (a gate-level simulation with a MAC every cycle, and one with
///   the clock running and operands held): dynamic energy per MAC
///   `(P_active − P_idle) / instances / (report clock × MACs per cycle)` (`pe.mac_pj.intN`), and the
///   clock and register energy per PE per cycle `P_idle / instances / report clock`
///   (`pe.idle_pj_per_cycle.intN`). Without an idle figure (a commercial report at a global toggle
///   rate a): `P / instances / (report clock × MACs per cycle × a)` is the MAC energy and the idle
///   energy keeps the base figure. PE area and leakage per instance.
/// - SIMD lane, measured per operation kind and idle: `add`, `multiply` and `compare` (from the
///   `max` run: a compare and a select, what ReLU and pooling do) are `(P_op − P_idle) / instances /
///   (clock × ops per cycle)`; `divide`, `exponent` and `inverse_sqrt`, sequences of multiplies
///   and adds in every base derivation, are the base figures × measured multiply / base multiply;
///   `simd.idle_pj_per_cycle.<lane>` is `P_idle / instances / clock`. With only a dynamic power at a
///   global toggle rate, every op energy of that lane kind is the base one scaled by
///   `lane energy / mean(base add, multiply, compare)`. Lane area and leakage per instance.
/// - Control: `control area / the report's other modules' area` (likewise leakage) as fractions.
/// - SRAM macros: a report's macros replace the base table (the figures of one process belong
///   together); without any, the base table stays.
public enum Calibration {
    public static func derive(
        _ reports: [SynthesisReport], base: TechnologyLibrary
    ) -> (figures: [CalibratedFigure], macros: [SRAMMacro], issues: [CalibrationIssue]) {
        var figures: [CalibratedFigure] = []
        var issues: [CalibrationIssue] = []
        var macros: [SRAMMacro] = []
        func issue(_ report: Int, _ field: String, _ message: String) {
            issues.append(CalibrationIssue(report: report, field: field, message: message))
        }
        func add(_ figure: CalibratedFigure) {
            if let existing = figures.first(where: { $0.keyPath == figure.keyPath }),
               abs(existing.value - figure.value) > 1e-9 * max(abs(existing.value), abs(figure.value)) {
                issue(figure.report, figure.field, "conflicting values for \(figure.keyPath): \(existing.value) from report "
                    + "\(existing.report + 1) and \(figure.value) from report \(figure.report + 1)")
                return
            }
            if !figures.contains(where: { $0.keyPath == figure.keyPath }) { figures.append(figure) }
        }
        func perInstance(_ module: SynthesisReport.Module, _ at: String, _ r: Int, area: String, leakage: String) {
            if let value = module.areaSquareMicrometres {
                add(CalibratedFigure(keyPath: area, value: value / module.instances, report: r, field: "\(at).area_um2",
                                     derivation: "\(fmt(value)) um2 / \(fmt(module.instances)) instances"))
            }
            if let value = module.leakageMicrowatts {
                add(CalibratedFigure(keyPath: leakage, value: value / module.instances, report: r, field: "\(at).leakage_uw",
                                     derivation: "\(fmt(value)) uW / \(fmt(module.instances)) instances"))
            }
        }
        var slowest: (hz: Double, report: Int)?
        var node: (nm: Double, report: Int)?
        for (r, report) in reports.enumerated() {
            if report.clockPeriodNanoseconds <= 0 {
                issue(r, "clock_period_ns", "the clock period must be positive, got \(report.clockPeriodNanoseconds) ns")
                continue
            }
            if report.achievablePeriodNanoseconds <= 0 {
                issue(r, "worst_slack_ns", "worst slack \(report.worstSlackNanoseconds ?? 0) ns is not below the clock period "
                    + "\(report.clockPeriodNanoseconds) ns: no positive achievable period")
                continue
            }
            if let activity = report.switchingActivity, !(activity > 0 && activity <= 1) {
                issue(r, "switching_activity", "switching activity must be in (0, 1], got \(activity)")
                continue
            }
            if let nm = report.nodeNanometres {
                if let node, node.nm != nm {
                    issue(r, "node_nm", "report is for \(nm) nm but report \(node.report + 1) is for \(node.nm) nm")
                } else {
                    node = (nm, r)
                }
            }
            let achievableHz = 1e9 / report.achievablePeriodNanoseconds
            if slowest == nil || achievableHz < slowest!.hz { slowest = (achievableHz, r) }
            let clock = report.reportClockHz
            let otherArea = report.modules.filter { $0.kind != .control }.compactMap(\.areaSquareMicrometres).reduce(0, +)
            let otherLeakage = report.modules.filter { $0.kind != .control }.compactMap(\.leakageMicrowatts).reduce(0, +)
            for (m, module) in report.modules.enumerated() {
                let at = "modules[\(m)]"
                guard module.instances > 0, module.operationsPerCycle > 0 else {
                    issue(r, "\(at).instances", "'\(module.name)': instances and operations_per_cycle must be positive")
                    continue
                }
                switch module.kind {
                case .pe:
                    guard let bits = module.precisionBits else {
                        issue(r, at, "PE module '\(module.name)' needs precision_bits (4, 8, 16)")
                        continue
                    }
                    let key = "int\(bits)"
                    if let power = module.dynamicMicrowatts {
                        guard power > 0 else {
                            issue(r, "\(at).dynamic_uw", "PE dynamic power must be positive, got \(power) µW")
                            continue
                        }
                        let perMAC = clock * module.operationsPerCycle
                        if let idle = module.idleDynamicMicrowatts {
                            guard power > idle else {
                                issue(r, "\(at).idle_dynamic_uw", "the PE's idle power \(idle) µW is not below its power "
                                    + "with a MAC every cycle, \(power) µW")
                                continue
                            }
                            add(CalibratedFigure(
                                keyPath: "pe.mac_pj.\(key)", value: (power - idle) * 1e-6 / module.instances / perMAC * 1e12,
                                report: r, field: "\(at).dynamic_uw, \(at).idle_dynamic_uw",
                                derivation: "(active \(fmt(power)) uW - idle \(fmt(idle)) uW) / \(fmt(module.instances)) "
                                    + "instances / (\(fmt(clock)) Hz x \(fmt(module.operationsPerCycle)) MAC/cycle)"))
                            add(CalibratedFigure(
                                keyPath: "pe.idle_pj_per_cycle.\(key)", value: idle * 1e-6 / module.instances / clock * 1e12,
                                report: r, field: "\(at).idle_dynamic_uw",
                                derivation: "idle \(fmt(idle)) uW / \(fmt(module.instances)) instances / \(fmt(clock)) Hz"))
                        } else {
                            guard let activity = report.switchingActivity else {
                                issue(r, "\(at).idle_dynamic_uw", "PE module '\(module.name)' reports dynamic_uw without "
                                    + "idle_dynamic_uw, so the report needs the switching_activity it was measured at")
                                continue
                            }
                            add(CalibratedFigure(
                                keyPath: "pe.mac_pj.\(key)", value: power * 1e-6 / module.instances / (perMAC * activity) * 1e12,
                                report: r, field: "\(at).dynamic_uw",
                                derivation: "dynamic \(fmt(power)) uW / \(fmt(module.instances)) instances / (\(fmt(clock)) Hz x "
                                    + "\(fmt(module.operationsPerCycle)) MAC/cycle x activity \(fmt(activity)))"))
                        }
                    }
                    perInstance(module, at, r, area: "pe.area_um2.\(key)", leakage: "pe.leakage_uw.\(key)")
                case .simdLane:
                    let lane = module.lane ?? "fixed32"
                    guard lane == "fixed32" || lane == "float32" else {
                        issue(r, "\(at).lane", "lane must be fixed32 or float32, got '\(lane)'")
                        continue
                    }
                    let table = lane == "float32" ? base.simdFloat : base.simdFixedPoint
                    let perOperation = clock * module.operationsPerCycle
                    if let idle = module.idleDynamicMicrowatts, !module.operationDynamicMicrowatts.isEmpty {
                        var measured: [String: Double] = [:]
                        for (run, key) in [("add", "add"), ("multiply", "multiply"), ("max", "compare")] {
                            guard let power = module.operationDynamicMicrowatts[run] else {
                                issue(r, "\(at).operation_dynamic_uw", "SIMD lane '\(module.name)' needs the power of '\(run)'")
                                continue
                            }
                            guard power > idle else {
                                issue(r, "\(at).operation_dynamic_uw", "the lane's idle power \(idle) µW is not below its "
                                    + "power doing '\(run)' every cycle, \(power) µW")
                                continue
                            }
                            let energy = (power - idle) * 1e-6 / module.instances / perOperation * 1e12
                            measured[key] = energy
                            add(CalibratedFigure(
                                keyPath: "simd.\(lane)_pj.\(key)", value: energy, report: r,
                                field: "\(at).operation_dynamic_uw.\(run), \(at).idle_dynamic_uw",
                                derivation: "(\(run) \(fmt(power)) uW - idle \(fmt(idle)) uW) / \(fmt(module.instances)) "
                                    + "instances / (\(fmt(clock)) Hz x \(fmt(module.operationsPerCycle)) op/cycle)"))
                        }
                        if let multiply = measured["multiply"], table.multiply > 0 {
                            let scale = multiply / table.multiply
                            for (key, value) in [("divide", table.divide), ("exponent", table.exponent),
                                                 ("inverse_sqrt", table.inverseSquareRoot)] {
                                add(CalibratedFigure(
                                    keyPath: "simd.\(lane)_pj.\(key)", value: value * scale, report: r,
                                    field: "\(at).operation_dynamic_uw.multiply",
                                    derivation: "base \(fmt(value)) pJ x measured multiply \(fmt(multiply)) pJ / base multiply "
                                        + "\(fmt(table.multiply)) pJ (a sequence of multiplies and adds)"))
                            }
                        }
                        add(CalibratedFigure(
                            keyPath: "simd.idle_pj_per_cycle.\(lane)", value: idle * 1e-6 / module.instances / clock * 1e12,
                            report: r, field: "\(at).idle_dynamic_uw",
                            derivation: "idle \(fmt(idle)) uW / \(fmt(module.instances)) instances / \(fmt(clock)) Hz"))
                    } else if let power = module.dynamicMicrowatts, power > 0 {
                        guard let activity = report.switchingActivity else {
                            issue(r, "\(at).idle_dynamic_uw", "SIMD lane '\(module.name)' reports dynamic_uw without "
                                + "idle_dynamic_uw and operation_dynamic_uw, so the report needs its switching_activity")
                            continue
                        }
                        let energy = power * 1e-6 / module.instances / (perOperation * activity) * 1e12
                        let mean = (table.add + table.multiply + table.compare) / 3
                        guard mean > 0 else {
                            issue(r, "\(at).dynamic_uw", "the base library has no \(lane) op energies to scale")
                            continue
                        }
                        let scale = energy / mean
                        let values: [(String, Double)] = [
                            ("add", table.add), ("multiply", table.multiply), ("divide", table.divide),
                            ("exponent", table.exponent), ("inverse_sqrt", table.inverseSquareRoot), ("compare", table.compare),
                        ]
                        for (key, value) in values {
                            add(CalibratedFigure(
                                keyPath: "simd.\(lane)_pj.\(key)", value: value * scale, report: r, field: "\(at).dynamic_uw",
                                derivation: "base \(fmt(value)) pJ x \(fmt(scale)): lane energy \(fmt(energy)) pJ per op "
                                    + "(dynamic \(fmt(power)) uW / \(fmt(module.instances)) / (\(fmt(clock)) Hz x "
                                    + "\(fmt(module.operationsPerCycle)) op/cycle x activity \(fmt(activity)))) over the "
                                    + "base mean of add, multiply and compare \(fmt(mean)) pJ"))
                        }
                    }
                    perInstance(module, at, r, area: "simd.lane_area_um2.\(lane)", leakage: "simd.lane_leakage_uw.\(lane)")
                case .control:
                    guard otherArea > 0 else {
                        issue(r, at, "control module '\(module.name)' needs the report's other modules (with area) to "
                            + "give a fraction")
                        continue
                    }
                    if let area = module.areaSquareMicrometres {
                        add(CalibratedFigure(keyPath: "control.area_fraction", value: area / otherArea, report: r,
                                             field: "\(at).area_um2",
                                             derivation: "control \(fmt(area)) um2 / other modules \(fmt(otherArea)) um2"))
                    }
                    if let leakage = module.leakageMicrowatts, otherLeakage > 0 {
                        add(CalibratedFigure(keyPath: "control.leakage_fraction", value: leakage / otherLeakage, report: r,
                                             field: "\(at).leakage_uw",
                                             derivation: "control \(fmt(leakage)) uW / other modules \(fmt(otherLeakage)) uW"))
                    }
                case .array, .other:
                    continue
                }
            }
            macros += report.sramMacros
        }
        if let slowest {
            let report = reports[slowest.report]
            add(CalibratedFigure(
                keyPath: "clock_hz", value: slowest.hz, report: slowest.report, field: "clock_period_ns, worst_slack_ns",
                derivation: "1 / (period \(fmt(report.clockPeriodNanoseconds)) ns - worst slack "
                    + "\(fmt(report.worstSlackNanoseconds ?? 0)) ns)" + (reports.count > 1 ? ", the slowest report" : "")))
        }
        if let node { add(CalibratedFigure(keyPath: "node_nm", value: node.nm, report: node.report, field: "node_nm",
                                           derivation: "as reported")) }
        for (r, report) in reports.enumerated() {
            if let voltage = report.voltage {
                add(CalibratedFigure(keyPath: "voltage_v", value: voltage, report: r, field: "voltage_v", derivation: "as reported"))
            }
        }
        return (figures, macros, issues)
    }

    /// A number in its shortest exact form.
    static func fmt(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
