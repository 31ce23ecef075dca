/// Parsers for what OpenRAM writes: the macro's LEF (its size), its Liberty file after a SPICE
/// characterization (minimum period, read and write power, leakage), and the SPICE-characterized
/// reference data it ships (`technology/<tech>/sim_data/sim_data.csv`).
///
/// OpenRAM's power figures are average supply power in mW over one clock cycle of the operation at
/// the macro's minimum period (its `delay.py` measures `avg` power from one cycle start to the next
/// and scales W by 1e3), so the energy of one access is power × period: mW × ns = pJ.
public enum OpenRAMResults {
    /// `SIZE 840.8 BY 375.6 ;` in a LEF macro: its area, µm².
    public static func lefArea(_ text: String) -> Double? {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count >= 4, fields[0] == "SIZE", fields[2] == "BY", let width = Double(fields[1]),
               let height = Double(fields[3]), width > 0, height > 0 {
                return width * height
            }
        }
        return nil
    }

    /// A SPICE characterization, from OpenRAM's Liberty file.
    public struct Characterization: Sendable, Hashable {
        public var minimumPeriodNanoseconds: Double
        /// Mean of the rising and falling clock edges' average power, mW.
        public var readMilliwatts: Double
        public var writeMilliwatts: Double
        /// `cell_leakage_power`, mW: an idle transient, not a DC operating point.
        public var leakageMilliwatts: Double

        public var readPicojoules: Double { readMilliwatts * minimumPeriodNanoseconds }
        public var writePicojoules: Double { writeMilliwatts * minimumPeriodNanoseconds }
    }

    /// The clock pin's `internal_power` groups (`when : "!csb0 & web0"` is a read, `"!csb0 & !web0"`
    /// a write), its `minimum_period` and the cell's leakage.
    public static func liberty(_ text: String) -> Characterization? {
        enum Group { case other, power, timing }
        var group = Group.other
        var when: String?, timingType: String?
        var read: [Double] = [], write: [Double] = [], period: Double?, leakage: Double?
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("internal_power") {
                group = .power
                when = nil
            } else if line.hasPrefix("timing(") || line.hasPrefix("timing (") {
                group = .timing
                timingType = nil
            } else if line.hasPrefix("when") {
                when = quoted(line)
            } else if line.hasPrefix("timing_type") {
                timingType = line.split(separator: ":").last.map { $0.filter { $0.isLetter || $0 == "_" } }
            } else if line.hasPrefix("cell_leakage_power") {
                leakage = line.split(separator: ":").last.flatMap { Double($0.filter { !" ;".contains($0) }) }
            } else if line.hasPrefix("values("), let value = quoted(line).flatMap(Double.init) {
                switch group {
                case .power where when == "!csb0 & web0": read.append(value)
                case .power where when == "!csb0 & !web0": write.append(value)
                case .timing where timingType == "minimum_period" && period == nil: period = value
                default: break
                }
            }
        }
        guard let period, period > 0, read.count == 2, write.count == 2, let leakage else { return nil }
        return Characterization(minimumPeriodNanoseconds: period, readMilliwatts: (read[0] + read[1]) / 2,
                                writeMilliwatts: (write[0] + write[1]) / 2, leakageMilliwatts: leakage)
    }

    private static func quoted(_ line: String) -> String? {
        guard let start = line.firstIndex(of: "\""), let end = line[line.index(after: start)...].firstIndex(of: "\"") else { return nil }
        return String(line[line.index(after: start)..<end])
    }

    /// One row of OpenRAM's reference data.
    public struct ReferenceRow: Sendable, Hashable {
        public var line: Int
        public var words: Int
        public var width: Int
        public var wordsPerRow: Int
        public var voltage: Double
        public var slewNanoseconds: Double
        public var loadFemtofarads: Double
        public var riseDelayNanoseconds: Double
        public var readMilliwatts: Double
        public var writeMilliwatts: Double
        public var leakageMilliwatts: Double
    }

    public enum ReferenceError: Error, Sendable, CustomStringConvertible {
        case missingColumn(String)
        case malformed(line: Int)
        public var description: String {
            switch self {
            case .missingColumn(let name): "no column '\(name)'"
            case .malformed(let line): "line \(line): not a row of numbers"
            }
        }
    }

    /// `sim_data.csv`: one row per macro shape and input slew / output load point.
    public static func referenceData(_ text: String) throws(ReferenceError) -> [ReferenceRow] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first?.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) else { return [] }
        func column(_ name: String) throws(ReferenceError) -> Int {
            guard let index = header.firstIndex(of: name) else { throw .missingColumn(name) }
            return index
        }
        let words = try column("num_words"), width = try column("word_size"), wpr = try column("words_per_row")
        let voltage = try column("voltage"), slew = try column("slew"), load = try column("load")
        let delay = try column("rise_delay"), read1 = try column("read1_power"), read0 = try column("read0_power")
        let write1 = try column("write1_power"), write0 = try column("write0_power"), leakage = try column("leakage_power")
        var rows: [ReferenceRow] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            func number(_ index: Int) -> Double? { index < fields.count ? Double(fields[index]) : nil }
            guard let w = number(words), let b = number(width), let p = number(wpr), let v = number(voltage),
                  let s = number(slew), let l = number(load), let d = number(delay), let r1 = number(read1),
                  let r0 = number(read0), let w1 = number(write1), let w0 = number(write0), let k = number(leakage),
                  w >= 1, b >= 1, p >= 1, w < 1e9, b < 1e6, p < 1e6 else { throw .malformed(line: offset + 1) }
            rows.append(ReferenceRow(line: offset + 1, words: Int(w), width: Int(b), wordsPerRow: Int(p), voltage: v,
                                     slewNanoseconds: s, loadFemtofarads: l, riseDelayNanoseconds: d,
                                     readMilliwatts: (r1 + r0) / 2, writeMilliwatts: (w1 + w0) / 2, leakageMilliwatts: k))
        }
        return rows
    }
}
