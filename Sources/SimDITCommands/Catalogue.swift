import ArgumentParser
import SimDITCore
import SimDITFiles

/// `simdit presets`: the published design points.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List the built-in GeneSys design points, or print one as an architecture file.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the presets.")

        func run() {
            let header = ["name", "array", "act/wgt bits", "IBUF (KiB)", "WBUF (KiB)", "OBUF (KiB)", "VMEM (KiB)",
                          "ports IBUF/PARAM/OBUF/SIMD (bits/cycle)"]
            let rows = Presets.all.map { a in
                [a.name, "\(a.arrayRows)×\(a.arrayColumns)", "\(a.activationBits)/\(a.weightBits)",
                 kib(a.inputBufferCapacityBits), kib(a.weightBufferCapacityBits),
                 kib(2 * a.outputBufferCapacityBits), kib(a.vectorMemoryCapacityBits),
                 "\(a.inputPortBitsPerCycle)/\(a.parameterPortBitsPerCycle)/\(a.outputPortBitsPerCycle)/\(a.simdPortBitsPerCycle)"]
            }
            print(TextTable.render(header: header, rows: rows, rightAligned: [3, 4, 5, 6]), terminator: "")
            print("OBUF is both halves; VMEM is each of VMEM1 and VMEM2. 'simdit presets show NAME' prints one as YAML.")
        }

        func kib(_ bits: Int) -> String { bits % 8192 == 0 ? String(bits / 8192) : String(Double(bits) / 8192) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a preset as an architecture YAML file.")

        @Argument(help: "The preset name.")
        var name: String

        func run() throws {
            guard let preset = Presets.named(name) else {
                throw fail([Diagnostic(
                    "unknown preset '\(name)'\(Suggestion.didYouMean(name, in: Presets.all.map(\.name)))",
                    file: "<command line>", notes: ["'simdit presets' lists them"])])
            }
            print(ArchitectureFile.render(preset, description: "published GeneSys design point (SimDIT)"),
                  terminator: "")
        }
    }
}

/// `simdit networks`: the built-in networks.
struct NetworksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "networks",
        abstract: "List the built-in networks, or print one as a network file.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the built-in networks.")

        func run() {
            let rows = Zoo.all.map { entry -> [String] in
                let layers = entry.network.layers.count
                let program = (try? entry.network.inferenceProgram().get())?.entries.count ?? 0
                return [entry.name, "\(entry.network.input)", "\(layers)", "\(program)", entry.summary]
            }
            print(TextTable.render(header: ["name", "input", "layers", "inference ops", "description"], rows: rows,
                                   rightAligned: [2, 3]),
                  terminator: "")
            print("'simdit networks show NAME' prints one as a network YAML file to start from.")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a network as a network YAML file: a built-in one, or an ONNX model converted.",
            discussion: """
            NETWORK is a built-in name ('simdit networks' lists them), a .onnx model file (printed as the \
            equivalent network file: the layers simdit models, with zero-cost views where the model \
            reshapes), or a network YAML file (printed normalised).
            """)

        @Argument(help: "A built-in network name, an ONNX model (.onnx) or a network YAML file.")
        var name: String

        @Flag(name: .long, help: Workload.restoreBatchNormHelp)
        var restoreBatchNorm = false

        func run() throws {
            func restored(_ network: Network) -> Network { restoreBatchNorm ? network.restoringBatchNorms() : network }
            if let entry = Zoo.all.first(where: { $0.name == name }) {
                print(NetworkFile.render(restored(entry.network), description: entry.summary), terminator: "")
                return
            }
            switch InputResolver.network(name) {
            case .success(let loaded):
                print(NetworkFile.render(restored(loaded.network), description: "converted from \(loaded.file)"), terminator: "")
            case .failure(let error):
                throw fail(error.diagnostics)
            }
        }
    }
}
