import Foundation

/// Parsers for Synopsys Design Compiler and Cadence Genus `report_area`, `report_power` and
/// `report_timing` text, so users of those flows close the same loop: the figures go into a
/// synthesis report in the calibration schema.
public enum CommercialReports {
    public enum Tool: String, Sendable, CaseIterable {
        case dc, genus
    }

    /// What the three reports give: area (library units, µm²), dynamic and leakage power (W),
    /// the clock period and the worst slack (ns).
    public struct Figures: Sendable, Hashable {
        public var areaSquareMicrometres: Double
        public var dynamicWatts: Double
        public var leakageWatts: Double
        public var clockPeriodNanoseconds: Double
        public var worstSlackNanoseconds: Double
    }

    struct Text {
        let file: String
        let lines: [String]
        init(_ text: String, file: String) {
            self.file = file
            // Any line ending (LF, CRLF, CR): reports copied from Windows machines keep CRLF.
            lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        }
        /// The first line containing `marker`, with its 1-based number.
        func line(containing marker: String) -> (number: Int, text: String)? {
            lines.firstIndex { $0.contains(marker) }.map { ($0 + 1, lines[$0]) }
        }
        func missing(_ what: String, _ tool: Tool, _ report: String) -> Diagnostic {
            Diagnostic("no \(what) found: is this a \(tool == .dc ? "Design Compiler" : "Genus") \(report) report?",
                       file: file, line: 1, column: 1)
        }
        func bad(_ number: Int, _ what: String) -> Diagnostic {
            Diagnostic("cannot read \(what) from this line", file: file, line: number, column: 1)
        }
    }

    /// Numbers in a line, in order (`1.2e-05`, `-0.30`, `700`).
    static func numbers(_ line: String) -> [Double] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "(" || $0 == ")" || $0 == "=" || $0 == ":" })
            .compactMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: "%,"))) }
    }

    /// Watts per unit: `pW`, `nW`, `uW`, `mW`, `W`.
    static func powerScale(_ unit: String) -> Double? {
        switch unit.trimmingCharacters(in: .whitespaces) {
        case "pW": 1e-12
        case "nW": 1e-9
        case "uW", "µW": 1e-6
        case "mW": 1e-3
        case "W": 1
        default: nil
        }
    }

    /// `NAME = 12.3 uW` → watts.
    static func powerValue(_ line: String) -> Double? {
        guard let value = line.split(separator: "=").dropFirst().first else { return nil }
        let fields = value.split(separator: " ")
        guard fields.count >= 2, let number = Double(fields[0]), let scale = powerScale(String(fields[1])) else { return nil }
        return number * scale
    }

    public static func parse(tool: Tool, area: (text: String, file: String), power: (text: String, file: String),
                             timing: (text: String, file: String)) -> Result<Figures, DiagnosticError> {
        var diagnostics: [Diagnostic] = []
        let areaText = Text(area.text, file: area.file), powerText = Text(power.text, file: power.file)
        let timingText = Text(timing.text, file: timing.file)
        var figures = Figures(areaSquareMicrometres: 0, dynamicWatts: 0, leakageWatts: 0, clockPeriodNanoseconds: 0,
                              worstSlackNanoseconds: 0)
        switch tool {
        case .dc:
            // report_area: "Total cell area:   1691.356902"
            if let (number, line) = areaText.line(containing: "Total cell area:") {
                if let value = numbers(line).last { figures.areaSquareMicrometres = value } else { diagnostics.append(areaText.bad(number, "the total cell area")) }
            } else { diagnostics.append(areaText.missing("'Total cell area:' line", tool, "report_area")) }
            // report_power: "Total Dynamic Power    = 122.4646 uW  (100%)", "Cell Leakage Power     =   4.5678 uW"
            if let (number, line) = powerText.line(containing: "Total Dynamic Power") {
                if let value = powerValue(line) { figures.dynamicWatts = value } else { diagnostics.append(powerText.bad(number, "the dynamic power and its unit")) }
            } else { diagnostics.append(powerText.missing("'Total Dynamic Power' line", tool, "report_power")) }
            if let (number, line) = powerText.line(containing: "Cell Leakage Power") {
                if let value = powerValue(line) { figures.leakageWatts = value } else { diagnostics.append(powerText.bad(number, "the leakage power and its unit")) }
            } else { diagnostics.append(powerText.missing("'Cell Leakage Power' line", tool, "report_power")) }
            // report_timing (ns): the capture edge "clock clk (rise edge)  2.00  2.00" after the data
            // arrival time, and "slack (MET)  0.72".
            let arrival = timingText.lines.firstIndex { $0.contains("data arrival time") } ?? 0
            if let edge = timingText.lines[arrival...].firstIndex(where: { $0.contains("(rise edge)") || $0.contains("(fall edge)") }),
               let period = numbers(timingText.lines[edge]).last {
                figures.clockPeriodNanoseconds = period
            } else { diagnostics.append(timingText.missing("capture clock edge after the data arrival time", tool, "report_timing")) }
            if let (number, line) = timingText.line(containing: "slack (") {
                if let value = numbers(line).last { figures.worstSlackNanoseconds = value } else { diagnostics.append(timingText.bad(number, "the slack")) }
            } else { diagnostics.append(timingText.missing("'slack (MET)' or 'slack (VIOLATED)' line", tool, "report_timing")) }
        case .genus:
            // report_area: the first row under the dashes: instance, cell count, cell area, net area, total.
            if let dashes = areaText.lines.firstIndex(where: { $0.hasPrefix("----") }), dashes + 1 < areaText.lines.count {
                let row = numbers(areaText.lines[dashes + 1])
                if row.count >= 3 { figures.areaSquareMicrometres = row[1] } else { diagnostics.append(areaText.bad(dashes + 2, "cell count and cell area")) }
            } else { diagnostics.append(areaText.missing("area table", tool, "report_area")) }
            // report_power: "Power Unit: W" and the "Subtotal" row (leakage, internal, switching, total).
            var scale = 1.0
            if let (number, line) = powerText.line(containing: "Power Unit:") {
                if let value = powerScale(String(line.split(separator: ":").last ?? "")) { scale = value } else {
                    diagnostics.append(powerText.bad(number, "the power unit (pW, nW, uW, mW or W)"))
                }
            } else { diagnostics.append(powerText.missing("'Power Unit:' line", tool, "report_power")) }
            if let (number, line) = powerText.line(containing: "Subtotal") {
                let row = numbers(line)
                if row.count >= 3 {
                    figures.leakageWatts = row[0] * scale
                    figures.dynamicWatts = (row[1] + row[2]) * scale
                } else { diagnostics.append(powerText.bad(number, "leakage, internal and switching power")) }
            } else { diagnostics.append(powerText.missing("'Subtotal' row", tool, "report_power")) }
            // report_timing (ps): "Clock Edge:+  2000  0" and "Slack:=  720".
            if let (number, line) = timingText.line(containing: "Clock Edge:") {
                let edges = numbers(line)
                if edges.count >= 2 { figures.clockPeriodNanoseconds = (edges[0] - edges[1]) / 1000 } else { diagnostics.append(timingText.bad(number, "the capture and launch edges")) }
            } else { diagnostics.append(timingText.missing("'Clock Edge:' line", tool, "report_timing")) }
            if let (number, line) = timingText.line(containing: "Slack:=") {
                if let value = numbers(line).last { figures.worstSlackNanoseconds = value / 1000 } else { diagnostics.append(timingText.bad(number, "the slack")) }
            } else { diagnostics.append(timingText.missing("'Slack:=' line", tool, "report_timing")) }
        }
        if diagnostics.isEmpty && figures.clockPeriodNanoseconds <= 0 {
            diagnostics.append(Diagnostic("the clock period read from the timing report is not positive", file: timing.file, line: 1, column: 1))
        }
        return diagnostics.isEmpty ? .success(figures) : .failure(DiagnosticError(diagnostics))
    }

    /// A synthesis report (calibration schema) with one module from these figures.
    public static func synthesisReport(_ f: Figures, design: String, tool: Tool, module: String, kind: String,
                                       precisionBits: Int?, lane: String?, instances: Int, activity: Double?,
                                       idleDynamicWatts: Double? = nil, nodeNanometres: Double?, voltage: Double?) -> String {
        var text = "# Synthesis report converted by `simdit import-report` from \(tool == .dc ? "Design Compiler" : "Genus") reports.\n"
        text += "version: 1\ndesign: \(YAMLText.scalar(design))\ntool: \(tool == .dc ? "\"Synopsys Design Compiler\"" : "\"Cadence Genus\"")\n"
        if let nodeNanometres { text += "node_nm: \(JSONValue.format(nodeNanometres))\n" }
        if let voltage { text += "voltage_v: \(JSONValue.format(voltage))\n" }
        text += "clock_period_ns: \(JSONValue.format(f.clockPeriodNanoseconds))\n"
        text += "worst_slack_ns: \(JSONValue.format(f.worstSlackNanoseconds))\n"
        if let activity { text += "switching_activity: \(JSONValue.format(activity))\n" }
        var fields = ["name: \(YAMLText.scalar(module))", "kind: \(kind)"]
        if let precisionBits { fields.append("precision_bits: \(precisionBits)") }
        if let lane { fields.append("lane: \(lane)") }
        fields += ["instances: \(instances)", "area_um2: \(JSONValue.format(f.areaSquareMicrometres))",
                   "leakage_uw: \(JSONValue.format(f.leakageWatts * 1e6))", "dynamic_uw: \(JSONValue.format(f.dynamicWatts * 1e6))"]
        if let idleDynamicWatts { fields.append("idle_dynamic_uw: \(JSONValue.format(idleDynamicWatts * 1e6))") }
        text += "modules:\n  - {\(fields.joined(separator: ", "))}\n"
        return text
    }
}
