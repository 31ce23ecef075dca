/// Helpers for writing YAML text by hand (so files keep their comments and key order).
public enum YAMLText {
    /// A scalar as YAML: plain when it is a safe name, double-quoted otherwise.
    public static func scalar(_ text: String) -> String {
        let safe = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "._-/+".contains($0) }
            && !["true", "false", "null", "yes", "no", "on", "off", "~"].contains(text.lowercased())
            && !(text.first.map { "-+.".contains($0) || $0.isNumber } ?? false)
        return safe ? text : quoted(text)
    }

    /// A double-quoted YAML scalar.
    public static func quoted(_ text: String) -> String {
        var escaped = "\""
        for character in text {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            default: escaped.append(character)
            }
        }
        return escaped + "\""
    }

    /// A finite number as YAML that reads back to the same `Double` (whole numbers without a point).
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }
}
