import Foundation

/// Where a tensor's data lies outside the model file (`TensorProto.external_data`): a file beside
/// the model, a byte offset and an optional length.
struct ONNXExternalReference: Hashable {
    var location: String
    var offset: Int
    var length: Int?
}

/// The external data files of one model. Locations are checked when the model is read (one that
/// is absolute or leaves the model's folder is refused); data is read, from its own byte range,
/// only when the import needs a value, so a missing weights file is fine for a model whose small
/// constants are inline.
final class ONNXExternalData {
    let directory: String
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    private var reported: Set<String> = []

    init(directory: String, file: String) {
        self.directory = directory
        self.file = file
    }

    /// The reference of an externally stored tensor, nil (and a diagnostic, once per location)
    /// when it is unusable.
    func reference(_ tensor: Onnx_TensorProto, keyPath: String) -> ONNXExternalReference? {
        var location: String?, offset = 0, length: Int?
        for entry in tensor.externalData {
            switch entry.key {
            case "location": location = entry.value
            case "offset": offset = Int(entry.value) ?? -1
            case "length": length = Int(entry.value) ?? -1
            default: break
            }
        }
        guard let location, !location.isEmpty else {
            report("tensor '\(tensor.name)' is stored externally but names no location", key: "location:" + tensor.name,
                   keyPath: keyPath)
            return nil
        }
        guard offset >= 0, (length ?? 0) >= 0 else {
            report("tensor '\(tensor.name)' has a negative or malformed external offset or length", key: "range:" + tensor.name,
                   keyPath: keyPath)
            return nil
        }
        if let problem = Self.locationProblem(location) {
            report("the external data location '\(location)' \(problem)", key: location, keyPath: keyPath,
                   notes: ["external data must lie in the model's folder, named relative to it (as torch.onnx.export and onnx.save write it)"])
            return nil
        }
        return ONNXExternalReference(location: location, offset: offset, length: length)
    }

    /// Why a location is refused: absolute, or leaving the model's folder; nil when it is fine.
    static func locationProblem(_ location: String) -> String? {
        let components = location.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if location.hasPrefix("/") || location.hasPrefix("\\") || (components.first?.contains(":") ?? false) {
            return "is absolute"
        }
        var depth = 0
        for component in components {
            if component == ".." { depth -= 1 } else if component != "." { depth += 1 }
            if depth < 0 { return "leaves the model's folder" }
        }
        return depth == 0 ? "names no file" : nil
    }

    /// The bytes of a tensor's data, `byteCount` of them; nil (with a diagnostic) when the file is
    /// missing, leaves the folder through a link, or is too short.
    func read(_ reference: ONNXExternalReference, byteCount: Int, tensor: String, keyPath: String) -> [UInt8]? {
        let path = directory.isEmpty ? reference.location : directory + "/" + reference.location
        let folder = URL(fileURLWithPath: directory.isEmpty ? "." : directory).resolvingSymlinksInPath().path
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard resolved.hasPrefix(folder + "/") else {
            report("the external data location '\(reference.location)' leaves the model's folder through a link",
                   key: reference.location, keyPath: keyPath)
            return nil
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            report("the value of tensor '\(tensor)' is needed, but its external data file '\(reference.location)' cannot be read",
                   key: "missing:" + reference.location, keyPath: keyPath,
                   notes: ["keep the data file beside the model (only small constants such as shape vectors are read from it)"])
            return nil
        }
        defer { try? handle.close() }
        if let length = reference.length, length != byteCount {
            report("tensor '\(tensor)' has \(length) bytes of external data; its shape and type need \(byteCount)",
                   key: "length:" + tensor, keyPath: keyPath)
            return nil
        }
        let bytes: Data?
        do {
            try handle.seek(toOffset: UInt64(reference.offset))
            bytes = try handle.read(upToCount: byteCount)
        } catch {
            bytes = nil
        }
        guard let bytes, bytes.count == byteCount else {
            report("the external data file '\(reference.location)' ends before tensor '\(tensor)' (offset \(reference.offset), \(byteCount) bytes)",
                   key: "short:" + tensor, keyPath: keyPath)
            return nil
        }
        return [UInt8](bytes)
    }

    private func report(_ message: String, key: String, keyPath: String, notes: [String] = []) {
        guard reported.insert(key).inserted else { return }
        diagnostics.append(Diagnostic(message, file: file, keyPath: keyPath, notes: notes))
    }
}
