import ArgumentParser
import SimDITCore
import SimDITFiles

/// `simdit area`: area and leakage of an architecture in a technology.
struct Area: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report the area (mm²) and leakage (mW) of an architecture in a technology library.",
        discussion: """
            PE array (PE area × rows × columns at the array precision), each buffer (its banks as SRAM \
            macros from the library's table), the SIMD lanes (fixed-point lanes for inference designs, \
            float lanes for training designs) and control (a fraction of the rest).
            """
    )

    @Option(name: .long, help: "A preset name or an architecture YAML file.")
    var arch: String = "genesys-training-08"

    @Option(name: .long, help: "A built-in technology library (generic-45nm) or a technology YAML file.")
    var tech: String = "generic-45nm"

    @Option(name: .long, help: "Which SIMD lanes the design has: training (float) or inference (fixed point). (default: training for 16-bit designs, else inference)")
    var mode: ExecutionMode?

    @Option(name: .long, help: "Output format: table or json.")
    var format: TableOrJSON = .table

    func validate() throws {
    }

    func run() throws {
        let architecture = try resolved(InputResolver.architecture(arch)).architecture
        let technology = try resolved(InputResolver.technology(tech))
        warnIfMixedNodes(technology)
        let library = technology.library
        let lanes = mode ?? (max(architecture.activationBits, architecture.weightBits) >= 16 ? .training : .inference)
        let model = AreaModel(architecture: architecture, library: library, mode: lanes)
        guard let peClass = model.peClass else {
            throw fail([technology.diagnostic("technology library '\(library.name)' has no PE area for "
                + "\(max(architecture.activationBits, architecture.weightBits))-bit operands", keyPath: "pe.area_um2")])
        }
        let parts = PartFigures.Part.allCases
        if format == .json {
            let json = JSONValue.object([
                ("schema", .string("simdit.area/1")),
                ("architecture", .string(architecture.name)),
                ("technology", .string(library.name)),
                ("pe_precision_bits", .integer(peClass)),
                ("simd_lanes", .string(lanes == .training ? "float32" : "fixed32")),
                ("area_mm2", .object(parts.map { ($0.rawValue, .number(model.areaSquareMicrometres[$0] / 1e6)) }
                    + [("total", .number(model.areaSquareMicrometres.total / 1e6))])),
                ("leakage_mw", .object(parts.map { ($0.rawValue, .number(model.leakageMicrowatts[$0] / 1e3)) }
                    + [("total", .number(model.leakageMicrowatts.total / 1e3))])),
            ])
            print(json.text())
            return
        }
        print("\(architecture.name) (\(architecture.arrayRows)×\(architecture.arrayColumns) array, int\(peClass) PEs, "
              + "\(lanes == .training ? "float" : "fixed-point") SIMD lanes) in \(library.name)\n")
        let area = model.areaSquareMicrometres, leakage = model.leakageMicrowatts
        var rows = parts.map { part in
            [part.rawValue, Format.decimal(area[part] / 1e6, places: 4), Format.percent(area[part], of: area.total),
             Format.decimal(leakage[part] / 1e3, places: 3)]
        }
        rows.append(["total", Format.decimal(area.total / 1e6, places: 4), "100.0 %", Format.decimal(leakage.total / 1e3, places: 3)])
        print(TextTable.render(header: ["part", "area (mm²)", "share", "leakage (mW)"], rows: rows, rightAligned: [1, 2, 3]),
              terminator: "")
    }
}
