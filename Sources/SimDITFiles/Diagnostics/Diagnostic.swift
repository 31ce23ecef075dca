/// A problem found in a user's input, rendered like a compiler's message:
/// `arch.yaml:14:7: error: unknown key 'rowz' in 'systolic_array'; did you mean 'rows'?`
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    public var message: String
    /// The file the problem is in, or a pseudo-name such as `<command line>`.
    public var file: String
    /// 1-based line and column, when the problem has a position.
    public var line: Int?
    public var column: Int?
    /// Where in the document, e.g. `buffers.wbuf_capacity_bits` or `layers[3].kernel`.
    public var keyPath: String?
    /// Further explanation, each rendered as a `note:` line.
    public var notes: [String]

    /// An error.
    public init(_ message: String, file: String, line: Int? = nil, column: Int? = nil, keyPath: String? = nil,
                notes: [String] = []) {
        self.init(.error, message, file: file, line: line, column: column, keyPath: keyPath, notes: notes)
    }

    public init(_ severity: Severity, _ message: String, file: String, line: Int? = nil, column: Int? = nil,
                keyPath: String? = nil, notes: [String] = []) {
        self.severity = severity
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.notes = notes
    }

    /// `file:line:column: severity: message`, then one `note:` line per note.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        var text = "\(location): \(severity.rawValue): \(message)"
        for note in notes { text += "\n\(location): note: \(note)" }
        return text
    }
}

/// Input that could not be used: every problem found, not just the first.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Suggestions for a misspelt name: the closest candidate within a small edit distance.
public enum Suggestion {
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(Array(word.lowercased()), Array(candidate.lowercased()))
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// " did you mean 'x'?" or an empty string.
    public static func didYouMean(_ word: String, in candidates: [String]) -> String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
