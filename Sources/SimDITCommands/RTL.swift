import ArgumentParser
import Foundation
import SimDITCore
import SimDITFiles

/// `simdit rtl`: the Verilog parameter header for the templates.
struct RTL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rtl",
        abstract: "Write the Verilog parameter header (simdit_params.vh) that the RTL templates include.",
        discussion: """
            Writes DIR/simdit_params.vh with the GeneSys parameters of the architecture and the bank \
            organisation derived from them (banks, words per bank, address widths). Compile the \
            templates with it: iverilog -I DIR Templates/*.v, verilator --lint-only -Wall -IDIR Templates/*.v.
            """
    )

    @Option(name: .long, help: "A preset name or an architecture YAML file.")
    var arch: String

    @Option(name: .long, help: "Directory to write simdit_params.vh into (created if missing).")
    var output: String

    func run() throws {
        let loaded = try resolved(InputResolver.architecture(arch))
        let parameters: RTLParameters
        switch RTLParameters.derive(loaded.architecture) {
        case .success(let value): parameters = value
        case .failure(let error):
            throw fail(error.issues.map { loaded.diagnostic($0.message, keyPath: $0.keyPath) })
        }
        let origin = loaded.file.map { "architecture file \($0)" } ?? "preset \(loaded.architecture.name)"
        let text = RTLHeader.render(parameters, origin: origin)
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw fail([Diagnostic("cannot create directory: \(error.localizedDescription)", file: output)])
        }
        let path = (output as NSString).appendingPathComponent(RTLHeader.fileName)
        if let problem = OutputFile.write(text, to: path) { throw fail([problem]) }
        print("wrote \(path)")
    }
}
