import Foundation
import SimDITCore
import SwiftProtobuf
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an ONNX model into a network graph (MODEL-EXTENSIONS.md §11). The file is mapped, not
/// read: the protobuf is walked without the weights' data (`ONNXWire`), so import time and memory
/// grow with the graph, not with the weights. Weights kept in external data files are never read;
/// a small constant stored there (a shape vector) is read, from its own byte range, only when the
/// import needs its value.
public enum ONNXFile {
    /// Reads and validates a model file, including the resulting graph.
    public static func read(path: String) -> Result<NetworkFile.Loaded, DiagnosticError> {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        switch MappedFile.map(path) {
        case .failure(let failure):
            return .failure(DiagnosticError([Diagnostic("cannot read the ONNX model: \(failure.reason)", file: path)]))
        case .success(let mapped):
            defer { mapped.unmap() }
            return mapped.withBytes { read(bytes: $0, file: path, directory: directory) }
        }
    }

    /// Reads a model from its bytes; `file` names it in diagnostics, and external data files are
    /// looked for beside it.
    public static func read(data: Data, file: String) -> Result<NetworkFile.Loaded, DiagnosticError> {
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        return data.withUnsafeBytes { read(bytes: $0, file: file, directory: directory) }
    }

    static func read(bytes: UnsafeRawBufferPointer, file: String, directory: String)
        -> Result<NetworkFile.Loaded, DiagnosticError> {
        let model: Onnx_ModelProto
        do {
            let stripped = try ONNXWire.stripped(bytes)
            var options = BinaryDecodingOptions()
            options.messageDepthLimit = ONNXWire.depthLimit + 16
            model = try Onnx_ModelProto(serializedBytes: stripped, options: options)
        } catch let failure as ONNXWire.Failure {
            return .failure(notAModel(file, "\(failure.reason) at byte \(failure.offset)"))
        } catch {
            return .failure(notAModel(file, "\(error)"))
        }
        var importer = ONNXImporter(model: model, file: file, externalData: ONNXExternalData(directory: directory, file: file))
        let network = importer.run()
        guard importer.diagnostics.isEmpty, let network else {
            return .failure(DiagnosticError(importer.diagnostics.isEmpty
                ? [Diagnostic("the model has no graph to import", file: file)] : importer.diagnostics))
        }
        var loaded = NetworkFile.Loaded(network: network, file: file, layerPositions: [], fieldPositions: [])
        loaded.isBinary = true
        if case .failure(let error) = network.inferShapes() {
            return .failure(DiagnosticError(error.issues.map { issue in
                let layer = issue.layerIndex.map { network.layers[$0].name } ?? network.name
                return Diagnostic("node '\(layer)': \(issue.message)", file: file, keyPath: "graph")
            }))
        }
        return .success(loaded)
    }

    private static func notAModel(_ file: String, _ reason: String) -> DiagnosticError {
        DiagnosticError([Diagnostic(
            "not an ONNX model: the protobuf does not decode (\(reason))", file: file,
            notes: ["give a .onnx file as written by torch.onnx.export, onnx.save or another exporter"])])
    }
}

/// A file's bytes, memory-mapped when it is a regular file (pages are read only where touched),
/// read whole otherwise (a pipe).
struct MappedFile {
    private let address: UnsafeMutableRawPointer?
    private let count: Int
    private let data: Data?

    /// Why a file cannot be read.
    struct Failure: Error {
        var reason: String
    }

    static func map(_ path: String) -> Result<MappedFile, Failure> {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return .failure(Failure(reason: errno == ENOENT || errno == ENOTDIR ? "no such file" : "it cannot be read (\(String(cString: strerror(errno))))"))
        }
        let kind = status.st_mode & S_IFMT
        if kind == S_IFDIR { return .failure(Failure(reason: "it is a directory")) }
        guard kind == S_IFREG else {
            guard let data = FileManager.default.contents(atPath: path) else { return .failure(Failure(reason: "it cannot be read")) }
            return .success(MappedFile(address: nil, count: data.count, data: data))
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return .failure(Failure(reason: "it cannot be read (\(String(cString: strerror(errno))))")) }
        defer { close(descriptor) }
        let size = Int(status.st_size)
        guard size > 0 else { return .success(MappedFile(address: nil, count: 0, data: Data())) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            return .failure(Failure(reason: "it cannot be mapped (\(String(cString: strerror(errno))))"))
        }
        // Field headers are scattered between the weights: no read-ahead around them.
        _ = madvise(mapped, size, MADV_RANDOM)
        return .success(MappedFile(address: mapped, count: size, data: nil))
    }

    func withBytes<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T {
        if let data { return data.withUnsafeBytes(body) }
        return body(UnsafeRawBufferPointer(start: address, count: count))
    }

    func unmap() {
        if let address { munmap(address, count) }
    }
}
