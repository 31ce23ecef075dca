/// Switching activity of every net from a value change dump (IEEE 1364 §18): what the gate-level
/// simulation of a synthesized module measured, in the units OpenSTA's power analysis takes.
///
/// For each bit of each variable declared inside the scope named `scope` (the device under test):
/// - activity = transitions between 0 and 1 / clock cycles in the dump (transitions per clock
///   period; a net that changes every cycle has activity 1, the clock itself 2);
/// - duty = time at 1 / the dump's duration.
/// Changes to or from x or z are not transitions. Clock cycles are the rising edges of `clock`.
public struct VCDActivity: Sendable {
    public struct Net: Sendable, Hashable {
        /// The net's name as the netlist spells it, without Verilog escapes (`wbuf[1][0]`, `act_in[3]`).
        public var name: String
        public var transitions: Int
        public var activity: Double
        public var duty: Double
    }

    public var nets: [Net]
    public var clockCycles: Int
    /// First and last time stamp of the dump, in the dump's time unit.
    public var duration: Int
    public var timescale: String

    public enum ParseError: Error, Sendable, CustomStringConvertible {
        case malformed(line: Int, String)
        case noClock(String)
        public var description: String {
            switch self {
            case .malformed(let line, let message): "line \(line): \(message)"
            case .noClock(let name): "no rising edge of the clock '\(name)' in the dump"
            }
        }
    }

    /// Total transitions over all nets.
    public var transitions: Int { nets.reduce(0) { $0 + $1.transitions } }
    /// Mean activity over the nets (transitions per clock period per net).
    public var meanActivity: Double { nets.isEmpty ? 0 : nets.reduce(0) { $0 + $1.activity } / Double(nets.count) }

    private struct Bit {
        var name: String
        var value: UInt8 = 2   // 0, 1, or 2 for x/z
        var since = 0
        var highTime = 0
        var transitions = 0
    }

    /// The most bits of one scope a dump may declare (a gate-level PE or lane has a few thousand).
    public static let maximumBits = 1 << 22

    /// Parses `text`, keeping the variables inside the first scope called `scope`.
    public static func parse(_ text: String, scope: String = "dut", clock: String = "clk") throws(ParseError) -> VCDActivity {
        var bits: [Bit] = []
        var idBits: [Substring: [Int]] = [:]   // identifier code → bit indices, most significant first
        var scopes: [Substring] = []
        var inHeader = true
        var time = 0, start: Int?
        var timescale = ""
        var clockRises = 0
        var clockBit: Int?
        var initial = false   // inside $dumpvars: initial values, not transitions
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)   // LF, CRLF or CR
        var lineIndex = 0
        func change(_ value: Substring, _ id: Substring, line: Int) throws(ParseError) {
            guard let indices = idBits[id] else { return }
            // Left-extend a vector value: x or z extends as itself, 0 and 1 with 0 (§18.2.3.5).
            let fill: UInt8 = value.first == "x" || value.first == "X" || value.first == "z" || value.first == "Z" ? 2 : 0
            let digits = Array(value.utf8)
            guard digits.count <= indices.count else { throw .malformed(line: line, "value \(value) wider than its variable") }
            for (position, index) in indices.enumerated() {
                let offset = position - (indices.count - digits.count)
                let new: UInt8
                if offset < 0 { new = fill } else {
                    switch digits[offset] {
                    case UInt8(ascii: "0"): new = 0
                    case UInt8(ascii: "1"): new = 1
                    case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "z"), UInt8(ascii: "Z"): new = 2
                    default: throw .malformed(line: line, "'\(value)' is not a binary value")
                    }
                }
                var bit = bits[index]
                if bit.value == new { continue }
                if bit.value == 1 { bit.highTime += time - bit.since }
                if !initial && bit.value != 2 && new != 2 {
                    bit.transitions += 1
                    if index == clockBit && new == 1 { clockRises += 1 }
                }
                bit.value = new
                bit.since = time
                bits[index] = bit
            }
        }
        while lineIndex < lines.count {
            let line = lines[lineIndex]
            lineIndex += 1
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = fields.first else { continue }
            if inHeader {
                switch first {
                case "$scope":
                    guard fields.count >= 3 else { throw .malformed(line: lineIndex, "$scope needs a type and a name") }
                    scopes.append(fields[2])
                case "$upscope":
                    _ = scopes.popLast()
                case "$var":
                    guard fields.count >= 5, let width = Int(fields[2]), width > 0, width <= 1 << 16 else {
                        throw .malformed(line: lineIndex, "$var needs a type, a width, an identifier code and a name")
                    }
                    guard scopes.last == Substring(scope) else { continue }
                    // The bits tracked are bounded, whatever the widths a file declares.
                    guard bits.count + width <= maximumBits else {
                        throw .malformed(line: lineIndex, "more than \(maximumBits) bits declared in scope '\(scope)'")
                    }
                    let id = fields[3]
                    var name = String(fields[4])
                    if name.hasPrefix("\\") { name.removeFirst() }
                    var msb = width - 1, lsb = 0
                    if fields.count >= 6, fields[5] != "$end", fields[5].hasPrefix("[") {
                        let range = fields[5].dropFirst().dropLast().split(separator: ":")
                        if width == 1 { name += String(fields[5]) } else if range.count == 2,
                            let high = Int(range[0]), let low = Int(range[1]) {
                            msb = high
                            lsb = low
                        }
                    }
                    var indices: [Int] = []
                    for offset in 0..<width {
                        let index = msb >= lsb ? msb - offset : msb + offset
                        indices.append(bits.count)
                        bits.append(Bit(name: width == 1 ? name : "\(name)[\(index)]"))
                    }
                    if idBits[id] == nil { idBits[id] = indices }
                    if width == 1 && name == clock { clockBit = indices[0] }
                case "$timescale":
                    var words: [Substring] = Array(fields.dropFirst())
                    while !words.contains("$end") && lineIndex < lines.count {
                        words += lines[lineIndex].split(separator: " ")
                        lineIndex += 1
                    }
                    timescale = words.filter { $0 != "$end" }.joined().trimmingCharacters(in: .whitespaces)
                case "$enddefinitions":
                    inHeader = false
                default:
                    continue
                }
                continue
            }
            let head = first.utf8.first ?? 0
            switch head {
            case UInt8(ascii: "#"):
                guard let value = Int(first.dropFirst()), value >= time else {
                    throw .malformed(line: lineIndex, "time stamp '\(first)' is not a non-decreasing whole number")
                }
                time = value
                if start == nil { start = value }
            case UInt8(ascii: "$"):
                if first == "$dumpvars" { initial = true } else if first == "$end" { initial = false }
            case UInt8(ascii: "b"), UInt8(ascii: "B"):
                guard fields.count >= 2 else { throw .malformed(line: lineIndex, "vector change without an identifier") }
                try change(first.dropFirst(), fields[1], line: lineIndex)
            case UInt8(ascii: "r"), UInt8(ascii: "R"):
                continue
            case UInt8(ascii: "0"), UInt8(ascii: "1"), UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "z"), UInt8(ascii: "Z"):
                try change(first.prefix(1), first.dropFirst(), line: lineIndex)
            default:
                throw .malformed(line: lineIndex, "unexpected '\(first)'")
            }
        }
        guard let start else { throw .malformed(line: lineIndex, "no value changes after the definitions") }
        for index in bits.indices where bits[index].value == 1 { bits[index].highTime += time - bits[index].since }
        guard clockRises > 0 else { throw .noClock(clock) }
        let duration = time - start
        let nets = bits.map { bit in
            Net(name: bit.name, transitions: bit.transitions, activity: Double(bit.transitions) / Double(clockRises),
                duty: duration > 0 ? Double(bit.highTime) / Double(duration) : 0)
        }
        return VCDActivity(nets: nets, clockCycles: clockRises, duration: duration, timescale: timescale)
    }

    /// OpenSTA commands, one per net, read by `Flow/sta/power.tcl` (the clock is left to create_clock).
    public func openSTACommands(clock: String = "clk") -> String {
        var text = "# Switching activity from gate-level simulation: \(clockCycles) clock cycles, \(nets.count) nets.\n"
        text += "# simdit_net_activity NET TRANSITIONS_PER_CLOCK_PERIOD DUTY\n"
        for net in nets where net.name != clock && !net.name.contains("{") && !net.name.contains("}") {
            text += "simdit_net_activity {\(net.name)} \(net.activity) \(net.duty)\n"
        }
        return text
    }
}
