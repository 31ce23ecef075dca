import Foundation

/// Parsers for the text the open tools print: Yosys `stat -liberty`, OpenSTA `report_checks` and
/// `report_power`, and Liberty cell areas.
public enum ToolReports {
    /// Yosys `stat -liberty`: the chip area of the top module, and the mapped cells by type.
    public struct YosysStat: Sendable, Hashable {
        public var chipArea: Double
        public var cells: [String: Int]
    }

    /// The last "Chip area for module" line and the cell list above it.
    public static func yosysStat(_ log: String) -> YosysStat? {
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let areaIndex = lines.lastIndex(where: { $0.contains("Chip area for module") }),
              let area = lines[areaIndex].split(separator: ":").last.flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) })
        else { return nil }
        // Cell lines look like "     DFFPOSX1                       58" above the area line, after "Number of cells".
        var cells: [String: Int] = [:]
        if let start = lines[..<areaIndex].lastIndex(where: { $0.contains("Number of cells") }) {
            for line in lines[(start + 1)..<areaIndex] {
                let fields = line.split(separator: " ")
                if fields.count == 2, let count = Int(fields[1]) { cells[String(fields[0])] = count }
            }
        }
        return YosysStat(chipArea: area, cells: cells)
    }

    /// OpenSTA: the slack of the worst path and the required clock period.
    public struct Timing: Sendable, Hashable {
        public var slackNanoseconds: Double
        public var dataArrivalNanoseconds: Double
    }

    public static func openSTATiming(_ log: String) -> Timing? {
        var slack: Double?, arrival: Double?
        for line in log.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if line.contains("slack (") { slack = fields.first.flatMap { Double($0) } }
            if line.hasSuffix("data arrival time"), arrival == nil, fields.count >= 4 { arrival = Double(fields[0]) }
        }
        guard let slack, let arrival else { return nil }
        return Timing(slackNanoseconds: slack, dataArrivalNanoseconds: arrival)
    }

    /// OpenSTA `report_power` totals, W.
    public struct Power: Sendable, Hashable {
        public var internalWatts: Double
        public var switchingWatts: Double
        public var leakageWatts: Double
        public var dynamicWatts: Double { internalWatts + switchingWatts }
    }

    public static func openSTAPower(_ log: String) -> Power? {
        for line in log.split(separator: "\n") where line.hasPrefix("Total") {
            let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
            if values.count >= 4 { return Power(internalWatts: values[0], switchingWatts: values[1], leakageWatts: values[2]) }
        }
        return nil
    }

    /// OpenSTA `report_power -instances`: total power (W) by instance name.
    public static func openSTAInstancePower(_ log: String) -> [String: Double] {
        var power: [String: Double] = [:]
        var inside = false
        for line in log.split(separator: "\n") {
            if line.hasPrefix("simdit: power by instance") { inside = true; continue }
            guard inside else { continue }
            let fields = line.split(separator: " ")
            if fields.count == 5, let total = Double(fields[3]), Double(fields[0]) != nil { power[String(fields[4])] = total }
        }
        return power
    }

    /// Instance name → cell type in a Yosys `write_verilog` netlist (`  CELL NAME (`).
    public static func netlistInstances(_ netlist: String) -> [String: String] {
        var instances: [String: String] = [:]
        for line in netlist.split(separator: "\n") {
            let fields = line.split(separator: " ")
            // Yosys writes `  CELL NAME (` and the connections below; qflow `CELL NAME ( .A(x), … );` on one line.
            if fields.count >= 3, fields[2].hasPrefix("("), fields[0] != "module", fields[0].first?.isLetter == true {
                var name = String(fields[1])
                if name.hasPrefix("\\") { name.removeFirst() }
                instances[name] = String(fields[0])
            }
        }
        return instances
    }

    /// Each net's total capacitance from a SPEF file (`*D_NET *N C` with `*N` from its `*NAME_MAP`).
    /// qrouter writes the value in pF whatever its `*C_UNIT` line says; the OSU libraries' load unit
    /// is pF too.
    public static func spefNetCapacitances(_ text: String) -> [(net: String, picofarads: Double)] {
        var names: [Substring: Substring] = [:]
        var section = ""
        var loads: [(String, Double)] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let first = fields.first else { continue }
            if first.hasPrefix("*NAME_MAP") || first.hasPrefix("*PORTS") || first.hasPrefix("*D_NET") || first.hasPrefix("*END") {
                section = String(first)
            }
            if section == "*NAME_MAP", fields.count == 2, first.hasPrefix("*"), first != "*NAME_MAP", names[first] == nil {
                names[first] = fields[1]
            }
            if first == "*D_NET", fields.count >= 3, let cap = Double(fields[2]), cap >= 0, cap.isFinite {
                let net = fields[1].hasPrefix("*") ? names[fields[1]].map(String.init) : String(fields[1])
                if let net { loads.append((net, cap)) }
            }
        }
        return loads
    }

    /// The die area of a DEF file, µm² (`DIEAREA ( x0 y0 ) ( x1 y1 ) ;` in `UNITS DISTANCE MICRONS`).
    public static func defDieArea(_ text: String) -> Double? {
        var units: Double?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count >= 4, fields[0] == "UNITS", fields[1] == "DISTANCE", fields[2] == "MICRONS" { units = Double(fields[3]) }
            if fields.first == "DIEAREA", let units, units > 0 {
                let numbers = fields.compactMap { Double($0) }
                guard numbers.count == 4 else { return nil }
                let area = (numbers[2] - numbers[0]) * (numbers[3] - numbers[1]) / (units * units)
                return area > 0 ? area : nil
            }
        }
        return nil
    }

    /// `cell (NAME) { … area : X;` from a Liberty file.
    public static func libertyAreas(_ text: String) -> [String: Double] {
        var areas: [String: Double] = [:]
        var current: String?
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("cell (") || line.hasPrefix("cell(") {
                current = line.split(separator: "(").dropFirst().first.map { String($0.split(separator: ")")[0]) }
                    .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
            } else if let cell = current, line.hasPrefix("area"), areas[cell] == nil {
                let value = line.split(separator: ":").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " ;")) }
                if let value, let area = Double(value) { areas[cell] = area }
            }
        }
        return areas
    }

    /// The instances of each cell type in a Yosys `write_verilog` netlist.
    public static func netlistCells(_ netlist: String, known: Set<String>) -> [String: Int] {
        var cells: [String: Int] = [:]
        for line in netlist.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, known.contains(String(fields[0])), fields[1].hasPrefix("_") || fields[1].first?.isLetter == true {
                cells[String(fields[0]), default: 0] += 1
            }
        }
        return cells
    }
}
