import Foundation
import SimDITFiles

/// SRAM macros from the OpenRAM memory compiler, run from `Flow/openram/sram_config.py`:
/// - area from a layout run (the LEF's size);
/// - read and write energy per access and the minimum period from an ngspice characterization
///   (`spice`: power × minimum period), or from the SPICE-characterized reference data OpenRAM
///   ships (`reference`: its power × the period OpenRAM's own regression model assumes, twice the
///   access time, scaled from the data's supply by V²);
/// - leakage from the reference data's idle transient of the same shape, scaled from its supply
///   ∝ V (a transient of a generated netlist floats its bitlines, and its DC operating point does
///   not converge, so no run here gives a trustworthy leakage).
/// Never from OpenRAM's analytical power model, which sums gate C·V² at a fixed 100 MHz.
public struct SRAMCharacterization {
    public enum EnergySource: String, Sendable, CaseIterable {
        case spice, reference
    }

    public struct Shape: Sendable, Hashable {
        public var words: Int
        public var width: Int

        public init(words: Int, width: Int) {
            self.words = words
            self.width = width
        }

        public var name: String { "sram_\(words)x\(width)" }
        public var capacityBits: Int { words * width }
    }

    public struct Configuration: Sendable {
        public var shapes: [Shape]
        public var output: URL
        public var flow: URL
        public var python: String
        /// The installed OpenRAM package directory (holding `sram_compiler.py` and `technology/`).
        public var openRAM: URL
        public var technology: String
        public var voltage: Double
        public var nodeNanometres: Double
        public var energy: EnergySource
        /// Keep a macro's earlier run in `output` (its LEF, or its characterized Liberty file)
        /// instead of running OpenRAM again.
        public var reuse = false

        public init(shapes: [Shape], output: URL, flow: URL, python: String, openRAM: URL, technology: String, voltage: Double,
                    nodeNanometres: Double, energy: EnergySource) {
            self.shapes = shapes
            self.output = output
            self.flow = flow
            self.python = python
            self.openRAM = openRAM
            self.technology = technology
            self.voltage = voltage
            self.nodeNanometres = nodeNanometres
            self.energy = energy
        }
    }

    /// One characterized macro, each figure with where it came from.
    public struct Macro: Sendable {
        public var shape: Shape
        public var areaSquareMicrometres: Double
        public var readPicojoules: Double
        public var writePicojoules: Double
        public var leakageMicrowatts: Double
        public var minimumPeriodNanoseconds: Double
        public var provenance: [String: String]
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var log: String
        public var description: String { "\(message); see \(log)" }
    }

    /// The OpenRAM package of `python`, or nil.
    public static func openRAMPackage(python: String) -> URL? {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simdit-openram-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("find.log")
        guard let status = try? ToolRunner.run(python, ["-c", "import os, openram; print(os.path.dirname(openram.__file__))"],
                                               log: log), status == 0,
              let text = try? String(contentsOf: log, encoding: .utf8),
              let path = text.split(separator: "\n").last.map(String.init),
              FileManager.default.fileExists(atPath: path + "/sram_compiler.py") else { return nil }
        return URL(fileURLWithPath: path)
    }

    /// The reference data's row for a shape: its slew and load closest to the middle of the data's
    /// ranges (0.05 ns, 9.82 fF in scn4m_subm).
    static func referenceRow(_ shape: Shape, in rows: [OpenRAMResults.ReferenceRow]) -> OpenRAMResults.ReferenceRow? {
        let matching = rows.filter { $0.words == shape.words && $0.width == shape.width }
        let slews = Set(matching.map(\.slewNanoseconds)).sorted(), loads = Set(matching.map(\.loadFemtofarads)).sorted()
        guard !matching.isEmpty else { return nil }
        let slew = slews[slews.count / 2], load = loads[loads.count / 2]
        return matching.first { $0.slewNanoseconds == slew && $0.loadFemtofarads == load } ?? matching.first
    }

    public static func run(_ c: Configuration, log: (String) -> Void) throws -> [Macro] {
        let fm = FileManager.default
        try fm.createDirectory(at: c.output, withIntermediateDirectories: true)
        let referencePath = c.openRAM.appendingPathComponent("technology/\(c.technology)/sim_data/sim_data.csv")
        guard let referenceText = try? String(contentsOf: referencePath, encoding: .utf8) else {
            throw Failure(message: "OpenRAM has no reference data for \(c.technology)", log: referencePath.path)
        }
        let rows: [OpenRAMResults.ReferenceRow]
        do { rows = try OpenRAMResults.referenceData(referenceText) } catch {
            throw Failure(message: "OpenRAM's reference data: \(error.description)", log: referencePath.path)
        }
        // OpenRAM sources $CONDA_HOME/bin/activate before every ngspice run and calls `conda deactivate`
        // after it: a no-op `conda` keeps it from failing.
        let conda = c.output.appendingPathComponent("conda")
        try fm.createDirectory(at: conda.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try "conda() { :; }\n".write(to: conda.appendingPathComponent("bin/activate"), atomically: true, encoding: .utf8)
        let config = c.flow.appendingPathComponent("openram/sram_config.py")
        let compiler = c.openRAM.appendingPathComponent("sram_compiler.py")
        var macros: [Macro] = []
        for shape in c.shapes {
            guard let row = referenceRow(shape, in: rows) else {
                let shapes = Set(rows.map { "\($0.words)x\($0.width)" }).sorted()
                throw Failure(message: "OpenRAM's \(c.technology) reference data has no \(shape.words)x\(shape.width) macro "
                    + "(its leakage comes from there); shapes: \(shapes.joined(separator: ", "))", log: referencePath.path)
            }
            let directory = c.output.appendingPathComponent(shape.name)
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            var rerun = "#!/bin/sh\n# Reruns the OpenRAM steps of this macro by hand, with the parameters simdit sram used.\nset -e\n"
            func openRAM(_ mode: String, voltage: Double) throws -> URL {
                let out = directory.appendingPathComponent(mode)
                let environment = [
                    "OPENRAM_TMP": directory.appendingPathComponent("tmp-\(mode)").path, "CONDA_HOME": conda.path,
                    "SIMDIT_SRAM_WORDS": "\(shape.words)", "SIMDIT_SRAM_WIDTH": "\(shape.width)",
                    "SIMDIT_SRAM_WORDS_PER_ROW": "\(row.wordsPerRow)", "SIMDIT_SRAM_TECH": c.technology,
                    "SIMDIT_SRAM_MODE": mode, "SIMDIT_SRAM_VOLTAGE": JSONValue.format(voltage),
                    "SIMDIT_SRAM_OUTPUT": out.path, "SIMDIT_SRAM_NAME": shape.name,
                ]
                let arguments = [compiler.path, "-v", config.path]
                let runLog = directory.appendingPathComponent("\(mode).log")
                rerun += ToolRunner.shellLine(c.python, arguments, environment: environment) + " > \(runLog.lastPathComponent)\n"
                let kept = ((try? fm.contentsOfDirectory(atPath: out.path)) ?? []).contains {
                    mode == "layout" ? $0 == "\(shape.name).lef" : $0.hasSuffix(".lib")
                }
                if c.reuse && kept { return out }
                try? fm.removeItem(at: out)
                try fm.createDirectory(at: out, withIntermediateDirectories: true)
                guard try ToolRunner.run(c.python, arguments, environment: environment, directory: directory, log: runLog) == 0 else {
                    throw Failure(message: "OpenRAM (\(shape.name), \(mode))", log: runLog.path)
                }
                try? fm.removeItem(at: directory.appendingPathComponent("tmp-\(mode)"))
                return out
            }
            // Area: the layout's LEF. The GDS is large and not needed after.
            let layout = try openRAM("layout", voltage: c.voltage)
            let lefPath = layout.appendingPathComponent("\(shape.name).lef")
            guard let lef = try? String(contentsOf: lefPath, encoding: .utf8), let area = OpenRAMResults.lefArea(lef) else {
                throw Failure(message: "no SIZE in the LEF of \(shape.name)", log: lefPath.path)
            }
            for file in (try? fm.contentsOfDirectory(atPath: layout.path)) ?? [] where !file.hasSuffix(".lef") && !file.hasSuffix(".html") {
                try? fm.removeItem(at: layout.appendingPathComponent(file))
            }
            let relative = "\(c.output.relativePath)/\(shape.name)"
            var provenance = ["area_um2": "OpenRAM layout (\(relative)/layout.log): LEF SIZE of \(relative)/layout/\(shape.name).lef"]
            let voltageRatio = c.voltage / row.voltage
            let read: Double, write: Double, period: Double
            switch c.energy {
            case .spice:
                // At the reference data's supply (OpenRAM's scn4m_subm cells do not work at 3.3 V: no
                // period up to 160 ns passes there), then scaled to the library's supply by V².
                let spice = try openRAM("spice", voltage: row.voltage)
                let libPath = (try? fm.contentsOfDirectory(atPath: spice.path))?.first { $0.hasSuffix(".lib") }
                    .map { spice.appendingPathComponent($0) }
                guard let libPath, let text = try? String(contentsOf: libPath, encoding: .utf8),
                      let characterized = OpenRAMResults.liberty(text) else {
                    throw Failure(message: "no characterization in OpenRAM's Liberty file of \(shape.name)",
                                  log: directory.appendingPathComponent("spice.log").path)
                }
                for file in (try? fm.contentsOfDirectory(atPath: spice.path)) ?? []
                where !file.hasSuffix(".lib") && !file.hasSuffix(".html") && file != "datasheet.info" {
                    try? fm.removeItem(at: spice.appendingPathComponent(file))
                }
                let scale = voltageRatio * voltageRatio
                read = characterized.readPicojoules * scale
                write = characterized.writePicojoules * scale
                period = characterized.minimumPeriodNanoseconds
                let source = "ngspice characterization by OpenRAM at \(JSONValue.format(row.voltage)) V (\(relative)/spice.log, "
                    + "\(relative)/spice/\(libPath.lastPathComponent))"
                let rule = "minimum period \(JSONValue.format(period)) ns x (\(JSONValue.format(c.voltage)) / "
                    + "\(JSONValue.format(row.voltage)) V)^2"
                provenance["read_pj"] = "\(source): read power \(JSONValue.format(characterized.readMilliwatts)) mW x \(rule)"
                provenance["write_pj"] = "\(source): write power \(JSONValue.format(characterized.writeMilliwatts)) mW x \(rule)"
            case .reference:
                period = 2 * row.riseDelayNanoseconds
                let scale = voltageRatio * voltageRatio
                read = row.readMilliwatts * period * scale
                write = row.writeMilliwatts * period * scale
                let source = "OpenRAM reference data \(c.technology)/sim_data/sim_data.csv line \(row.line) (HSPICE, "
                    + "\(JSONValue.format(row.voltage)) V)"
                let rule = "period 2 x access time \(JSONValue.format(row.riseDelayNanoseconds)) ns (OpenRAM's regression model) "
                    + "x (\(JSONValue.format(c.voltage)) / \(JSONValue.format(row.voltage)) V)^2"
                provenance["read_pj"] = "\(source): read power \(JSONValue.format(row.readMilliwatts)) mW x \(rule)"
                provenance["write_pj"] = "\(source): write power \(JSONValue.format(row.writeMilliwatts)) mW x \(rule)"
            }
            let leakage = row.leakageMilliwatts * 1000 * voltageRatio
            provenance["leakage_uw"] = "OpenRAM reference data \(c.technology)/sim_data/sim_data.csv line \(row.line) (HSPICE idle "
                + "transient, \(JSONValue.format(row.voltage)) V): \(JSONValue.format(row.leakageMilliwatts)) mW x "
                + "(\(JSONValue.format(c.voltage)) / \(JSONValue.format(row.voltage)) V), leakage taken as proportional to V"
            try rerun.write(to: directory.appendingPathComponent("rerun.sh"), atomically: true, encoding: .utf8)
            let macro = Macro(shape: shape, areaSquareMicrometres: area, readPicojoules: read, writePicojoules: write,
                              leakageMicrowatts: leakage, minimumPeriodNanoseconds: period, provenance: provenance)
            macros.append(macro)
            log("\(shape.name): \(Format.decimal(area, places: 0)) µm², read \(Format.decimal(read, places: 2)) pJ, write "
                + "\(Format.decimal(write, places: 2)) pJ, leakage \(Format.decimal(leakage, places: 4)) µW, period "
                + "\(Format.decimal(period, places: 3)) ns")
        }
        return macros
    }

    /// A synthesis report (calibration schema) with the macros as `sram_macros`, each figure's
    /// provenance kept.
    public static func report(_ macros: [Macro], _ c: Configuration) -> String {
        var text = """
            # SRAM macros characterized by `simdit sram` with OpenRAM (\(c.technology), \(JSONValue.format(c.voltage)) V,
            # energy from \(c.energy == .spice ? "ngspice characterization" : "OpenRAM's reference data")).
            version: 1
            design: \(YAMLText.scalar("\(c.technology)-sram"))
            tool: "OpenRAM + ngspice"
            node_nm: \(JSONValue.format(c.nodeNanometres))
            voltage_v: \(JSONValue.format(c.voltage))
            # The slowest macro's minimum period: a buffer is accessed every cycle, so the clock is no faster.
            clock_period_ns: \(JSONValue.format(macros.map(\.minimumPeriodNanoseconds).max() ?? 0))
            worst_slack_ns: 0
            sram_macros:

            """
        for macro in macros {
            text += "  - name: \(macro.shape.name)\n"
            text += "    capacity_bits: \(macro.shape.capacityBits)\n"
            text += "    width_bits: \(macro.shape.width)\n"
            text += "    read_pj: \(JSONValue.format(macro.readPicojoules))\n"
            text += "    write_pj: \(JSONValue.format(macro.writePicojoules))\n"
            text += "    leakage_uw: \(JSONValue.format(macro.leakageMicrowatts))\n"
            text += "    area_um2: \(JSONValue.format(macro.areaSquareMicrometres))\n"
            text += "    minimum_period_ns: \(JSONValue.format(macro.minimumPeriodNanoseconds))\n"
            text += "    provenance:\n"
            for key in ["read_pj", "write_pj", "leakage_uw", "area_um2"] {
                if let source = macro.provenance[key] { text += "      \(key): \(YAMLText.quoted(source))\n" }
            }
        }
        return text
    }
}
