import Foundation
import SimDITCore

/// Turns the command line's `--arch` and `--network` values into validated core values: a
/// built-in name, or a path to a YAML file.
public enum InputResolver {
    /// A preset name or an architecture file.
    public static func architecture(_ argument: String) -> Result<LoadedArchitecture, DiagnosticError> {
        if let preset = Presets.named(argument) {
            return .success(LoadedArchitecture(architecture: preset, file: nil, positions: [:]))
        }
        guard looksLikePath(argument) else {
            let names = Presets.all.map(\.name)
            return .failure(DiagnosticError([Diagnostic(
                "unknown architecture preset '\(argument)'\(Suggestion.didYouMean(argument, in: names))",
                file: "<command line>", keyPath: "--arch",
                notes: ["give a preset name (see 'simdit presets') or the path of an architecture YAML file"])]))
        }
        return ArchitectureFile.read(YAMLDocument.load(path: argument))
    }

    /// A built-in network name, an ONNX model (`.onnx`) or a network file.
    public static func network(_ argument: String) -> Result<NetworkFile.Loaded, DiagnosticError> {
        if let network = Zoo.named(argument) {
            return .success(NetworkFile.Loaded(network: network, file: "built-in network '\(argument)'",
                                               layerPositions: [], fieldPositions: []))
        }
        guard looksLikePath(argument) else {
            let names = Zoo.all.map(\.name)
            return .failure(DiagnosticError([Diagnostic(
                "unknown network '\(argument)'\(Suggestion.didYouMean(argument, in: names))",
                file: "<command line>", keyPath: "--network",
                notes: ["give a built-in name (see 'simdit networks'), an ONNX model (.onnx) or the path of a network YAML file"])]))
        }
        if argument.lowercased().hasSuffix(".onnx") { return ONNXFile.read(path: argument) }
        return NetworkFile.read(YAMLDocument.load(path: argument))
    }

    /// A built-in technology library (`TechLib/*.yaml`, compiled in) or a library file.
    public static func technology(_ argument: String) -> Result<TechnologyFile, DiagnosticError> {
        if let builtIn = BuiltInLibraryText.all.first(where: { $0.name == argument }) {
            return TechnologyFile.read(YAMLDocument(text: builtIn.text, file: "TechLib/\(builtIn.name).yaml"))
        }
        guard looksLikePath(argument) else {
            let names = BuiltInLibraryText.all.map(\.name)
            return .failure(DiagnosticError([Diagnostic(
                "unknown technology library '\(argument)'\(Suggestion.didYouMean(argument, in: names))",
                file: "<command line>", keyPath: "--tech",
                notes: ["built-in: \(names.joined(separator: ", ")); or give the path of a technology YAML file"])]))
        }
        return TechnologyFile.read(YAMLDocument.load(path: argument))
    }

    /// The names of the compiled-in technology libraries.
    public static var builtInTechnologies: [String] { BuiltInLibraryText.all.map(\.name) }

    static func looksLikePath(_ argument: String) -> Bool {
        argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml")
            || argument.lowercased().hasSuffix(".onnx")
            || FileManager.default.fileExists(atPath: argument)
    }
}

/// Writes output files whole or not at all: to a temporary file in the target's directory, then
/// renamed over the target. Standard output (`-` or `/dev/stdout`) is written as a stream. Anything
/// at the target that is not a regular file (a directory, a device, a symbolic link, a pipe) is
/// left alone with an error; Foundation's errors become messages naming the path and the cause.
public enum OutputFile {
    public static func write(_ text: String, to path: String) -> Diagnostic? {
        if path == "-" || path == "/dev/stdout" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return nil
        }
        guard !path.isEmpty else { return Diagnostic("the output path is empty: give a file name, or - for standard output", file: "<command line>") }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var status = stat()
        if lstat(path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            guard kind == S_IFREG else {
                let what = switch kind {
                case S_IFDIR: "a directory"
                case S_IFLNK: "a symbolic link"
                case S_IFCHR, S_IFBLK: "a device"
                case S_IFIFO: "a pipe"
                case S_IFSOCK: "a socket"
                default: "not a regular file"
                }
                return Diagnostic("cannot write the output: \(path) is \(what), and only a regular file is replaced",
                                  file: path, notes: ["give the path of a new or regular file, or - for standard output"])
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return Diagnostic("cannot write the output: the directory \(directory) does not exist", file: path)
        }
        let temporary = URL(fileURLWithPath: directory)
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8)) else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            return Diagnostic("cannot write the output in \(directory): \(reason)", file: path)
        }
        guard rename(temporary.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            return Diagnostic("cannot replace the output file: \(reason)", file: path)
        }
        return nil
    }
}
