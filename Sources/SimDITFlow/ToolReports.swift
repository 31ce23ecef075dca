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
            if fields.count == 3, fields[2] == "(", fields[0] != "module" {
                var name = String(fields[1])
                if name.hasPrefix("\\") { name.removeFirst() }
                instances[name] = String(fields[0])
            }
        }
        return instances
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
