import Foundation
import SimDITCore
import Yams

/// A parsed YAML file with its node tree (positions included) and the diagnostics collected while
/// reading it. Readers walk it with `Mapping` views and record every problem instead of stopping.
public final class YAMLDocument {
    public let file: String
    public let root: Node?
    public private(set) var diagnostics: [Diagnostic] = []

    /// Parses `text`; a syntax error becomes a diagnostic and leaves `root` nil.
    public init(text: String, file: String) {
        self.file = file
        var parsed: Node?
        var syntaxError: Diagnostic?
        do {
            parsed = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            syntaxError = YAMLDocument.diagnostic(for: error, file: file)
        } catch {
            syntaxError = Diagnostic("malformed YAML: \(error)", file: file)
        }
        root = parsed
        if let syntaxError { diagnostics.append(syntaxError) }
    }

    /// Reads a file; a missing or unreadable one is a diagnostic (with no position).
    public static func load(path: String) -> YAMLDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read file" : "no such file"
            let document = YAMLDocument(text: "", file: path)
            document.diagnostics = [Diagnostic("\(reason) '\(path)'", file: path)]
            return document
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let document = YAMLDocument(text: "", file: path)
            document.diagnostics = [Diagnostic("file is not UTF-8 text", file: path, line: 1, column: 1)]
            return document
        }
        return YAMLDocument(text: text, file: path)
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Records an error at a node's position.
    public func error(_ message: String, at node: Node?, keyPath: String?, notes: [String] = []) {
        let mark = node?.mark
        diagnostics.append(Diagnostic(.error, message, file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                      keyPath: keyPath, notes: notes))
    }

    /// The root as a mapping, or an error saying the file must be one.
    public func rootMapping(expecting what: String) -> Mapping? {
        guard let root else {
            if !hasErrors {
                diagnostics.append(Diagnostic("empty file: expected \(what)", file: file, line: 1, column: 1))
            }
            return nil
        }
        guard let mapping = root.mapping else {
            error("expected \(what) (a mapping of keys to values) at the top level", at: root, keyPath: nil)
            return nil
        }
        return Mapping(document: self, node: root, mapping: mapping, path: "")
    }

    /// Checks `version: 1`.
    public func checkVersion(_ map: Mapping) {
        guard let node = map.value("version") else {
            error("missing key 'version'; every simdit file starts with 'version: 1'", at: map.node, keyPath: "version")
            return
        }
        guard let version = map.integer("version") else { return }
        if version != 1 {
            error("unsupported version \(version); this simdit reads version 1", at: node, keyPath: "version")
        }
    }

    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return Diagnostic("malformed YAML: \(detail)", file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Diagnostic("duplicate key \(keys) in one mapping; each key may appear once", file: file,
                              line: context.mark.line, column: context.mark.column)
        case .reader(let problem, _, _, _):
            return Diagnostic("malformed YAML: \(problem)", file: file, line: 1, column: 1)
        default:
            return Diagnostic("malformed YAML: \(error)", file: file, line: 1, column: 1)
        }
    }
}

/// A view of one YAML mapping with its key path, for typed, checked reads.
public struct Mapping {
    public let document: YAMLDocument
    public let node: Node
    let mapping: Node.Mapping
    /// The dotted path of this mapping in the document ("" for the root).
    public let path: String

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Every key present, in file order.
    public var keys: [String] { mapping.keys.compactMap { $0.scalar?.string } }

    /// The value node for a key.
    public func value(_ key: String) -> Node? { mapping[key] }

    /// The key node itself (for positions of unknown keys).
    func keyNode(_ key: String) -> Node? { mapping.keys.first { $0.scalar?.string == key } }

    /// Reports every key not in `allowed`, with a suggestion.
    public func rejectUnknownKeys(allowed: [String], context: String) {
        for keyNode in mapping.keys {
            guard let key = keyNode.scalar?.string else {
                document.error("keys must be plain names", at: keyNode, keyPath: path)
                continue
            }
            if !allowed.contains(key) {
                document.error("unknown key '\(key)' in \(context)\(Suggestion.didYouMean(key, in: allowed))", at: keyNode,
                               keyPath: keyPath(key),
                               notes: ["expected one of: \(allowed.joined(separator: ", "))"])
            }
        }
    }

    /// A required key's value; missing is an error at the mapping.
    public func require(_ key: String, _ what: String) -> Node? {
        if let node = value(key) { return node }
        document.error("missing key '\(key)' in \(path.isEmpty ? "the file" : "'\(path)'"): expected \(what)", at: node,
                       keyPath: keyPath(key))
        return nil
    }

    /// An integer in a documented range; out of range is an error that states the range.
    public func integer(_ key: String, required: Bool = false, range: ClosedRange<Int>) -> Int? {
        let what = "a whole number from \(Limits.describe(range))"
        guard let valueNode = required ? require(key, what) : value(key) else { return nil }
        guard let scalar = valueNode.scalar, scalar.style == .plain || scalar.style == .any,
              let number = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
            document.error("'\(key)' must be \(what), got \(Mapping.describe(valueNode))", at: valueNode,
                           keyPath: keyPath(key))
            return nil
        }
        guard range.contains(number) else {
            document.error("'\(key)' must be \(what), got \(number)", at: valueNode, keyPath: keyPath(key))
            return nil
        }
        return number
    }

    /// An integer; a value of another type is an error. Nil when absent or wrong.
    public func integer(_ key: String, required: Bool = false, minimum: Int? = nil) -> Int? {
        let what = minimum.map { $0 > 0 ? "a positive whole number" : "a whole number ≥ \($0)" } ?? "a whole number"
        guard let valueNode = required ? require(key, what) : value(key) else { return nil }
        guard let scalar = valueNode.scalar, scalar.style == .plain || scalar.style == .any,
              let number = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
            document.error("'\(key)' must be \(what), got \(Mapping.describe(valueNode))", at: valueNode,
                           keyPath: keyPath(key))
            return nil
        }
        if let minimum, number < minimum {
            document.error("'\(key)' must be \(what), got \(number)", at: valueNode, keyPath: keyPath(key))
            return nil
        }
        return number
    }

    /// A finite real number. Nil when absent or wrong.
    public func number(_ key: String, required: Bool = false) -> Double? {
        guard let valueNode = required ? require(key, "a number") : value(key) else { return nil }
        guard let scalar = valueNode.scalar, scalar.style == .plain || scalar.style == .any,
              let number = Double(scalar.string.replacingOccurrences(of: "_", with: "")), number.isFinite else {
            document.error("'\(key)' must be a finite number, got \(Mapping.describe(valueNode))", at: valueNode,
                           keyPath: keyPath(key))
            return nil
        }
        return number
    }

    /// One whole number or a list of them, of one of the `counts` lengths, each from `minimum` to
    /// 2^24 (`Limits.networkSize`):
    /// `stride: 2` or `stride: [2, 1]`. A single number is returned as a one-element list.
    public func integers(_ key: String, counts: [Int], minimum: Int, _ what: String) -> [Int]? {
        guard let valueNode = value(key) else { return nil }
        let scalars = valueNode.sequence.map(Array.init) ?? [valueNode]
        let values = scalars.compactMap { node -> Int? in
            guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return nil }
            return Int(scalar.string.replacingOccurrences(of: "_", with: ""))
        }
        let allowed = valueNode.sequence == nil ? [1] : counts
        let maximum = Limits.networkSize.upperBound
        guard values.count == scalars.count, allowed.contains(values.count),
              values.allSatisfy({ $0 >= minimum && $0 <= maximum }) else {
            document.error("'\(key)' must be \(what), got \(Mapping.describe(valueNode))", at: valueNode, keyPath: keyPath(key))
            return nil
        }
        return values
    }

    /// A string scalar.
    public func string(_ key: String, required: Bool = false) -> String? {
        guard let valueNode = required ? require(key, "a name") : value(key) else { return nil }
        guard let scalar = valueNode.scalar, !scalar.string.isEmpty else {
            document.error("'\(key)' must be a non-empty string, got \(Mapping.describe(valueNode))", at: valueNode,
                           keyPath: keyPath(key))
            return nil
        }
        return scalar.string
    }

    /// A boolean (`true` or `false`).
    public func boolean(_ key: String) -> Bool? {
        guard let valueNode = value(key) else { return nil }
        switch valueNode.scalar?.string {
        case "true": return true
        case "false": return false
        default:
            document.error("'\(key)' must be true or false, got \(Mapping.describe(valueNode))", at: valueNode,
                           keyPath: keyPath(key))
            return nil
        }
    }

    /// A nested mapping.
    public func mapping(_ key: String, required: Bool = true, _ what: String) -> Mapping? {
        guard let valueNode = required ? require(key, what) : value(key) else { return nil }
        guard let nested = valueNode.mapping else {
            document.error("'\(key)' must be a mapping (\(what)), got \(Mapping.describe(valueNode))", at: valueNode,
                           keyPath: keyPath(key))
            return nil
        }
        return Mapping(document: document, node: valueNode, mapping: nested, path: keyPath(key))
    }

    /// A sequence.
    public func sequence(_ key: String, required: Bool = true, _ what: String) -> [Node]? {
        guard let valueNode = required ? require(key, what) : value(key) else { return nil }
        guard let nodes = valueNode.sequence else {
            document.error("'\(key)' must be a list (\(what)), got \(Mapping.describe(valueNode))", at: valueNode,
                           keyPath: keyPath(key))
            return nil
        }
        return Array(nodes)
    }

    /// A list of mappings (`key[0]`, `key[1]`, …) as views; an item that is not a mapping is an
    /// error naming what each item should be. Nil when the key is absent (and not required) or not a list.
    public func mappings(_ key: String, required: Bool = true, item: String, _ what: String) -> [Mapping]? {
        guard let nodes = sequence(key, required: required, what) else { return nil }
        return nodes.enumerated().compactMap { index, node in
            let itemPath = "\(keyPath(key))[\(index)]"
            guard let mapping = node.mapping else {
                document.error("each \(item) must be a mapping, got \(Mapping.describe(node))", at: node, keyPath: itemPath)
                return nil
            }
            return Mapping(document: document, node: node, mapping: mapping, path: itemPath)
        }
    }

    /// A short description of a node for messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if scalar.string.isEmpty { return "nothing" }
            return scalar.style == .plain || scalar.style == .any ? "'\(scalar.string)'" : "the string \"\(scalar.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
