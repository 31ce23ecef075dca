import Foundation
import SimDITCore

/// SCALE-Sim v2's inputs: its `.cfg` (INI) configuration and its topology CSVs (convolution rows
/// `name, IFMAP H, IFMAP W, Filter H, Filter W, Channels, Num Filter, Stride,` or GEMM rows
/// `name, M, N, K,`), read with positioned diagnostics (SCALE-Sim builds such messages and never
/// prints them).
public enum ScaleSimFiles {
    public struct Config: Sendable {
        public var runName: String
        public var rows: Int
        public var columns: Int
        public var dataflow: Dataflow
        public var ifmapSRAMKiB: Int
        public var filterSRAMKiB: Int
        public var ofmapSRAMKiB: Int
    }

    /// The lines of a file with their 1-based numbers, whatever the line ending (LF, CRLF or CR:
    /// SCALE-Sim's example files mix them, and Python's text mode reads all three).
    static func lines(_ text: String) -> [(number: Int, text: String)] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().map { ($0 + 1, String($1)) }
    }

    /// Reads a configuration; every key the model uses must be present and valid.
    public static func readConfig(text: String, file: String) -> Result<Config, DiagnosticError> {
        var diagnostics: [Diagnostic] = []
        var values: [String: (value: String, line: Int, column: Int)] = [:]
        var section = ""
        let known: [String: [String]] = [
            "general": ["run_name"],
            "architecture_presets": ["arrayheight", "arraywidth", "ifmapsramszkb", "filtersramszkb", "ofmapsramszkb",
                                     "ifmapoffset", "filteroffset", "ofmapoffset", "dataflow", "bandwidth", "memorybanks",
                                     "readrequestbuffer", "writerequestbuffer"],
            "run_presets": ["interfacebandwidth", "useramulatortrace", "usesparsity", "sparsitysupport",
                            "sparsityoptimizedmapping", "blocksize", "randomnumbergeneratorseed", "layoutgen", "ramulatortrace",
                            "accuracy"],
            "network_presets": ["topologycsvloc"],
            "sparsity": ["sparsitysupport", "sparserep", "sparseformat", "nonzeroelems", "optimizedmapping", "blocksize",
                         "randomnumbergeneratorseed"],
            "layout": ["ifmapcustomlayout", "filtercustomlayout", "ifmapsrambankbandwidth", "ifmapsrambanknum",
                       "ifmapsrambankport", "filtersrambankbandwidth", "filtersrambanknum", "filtersrambankport",
                       "ifmapsramrow", "ifmapsramcol", "onchipmemorybanks", "onchipmemorybankports"],
        ]
        for (number, raw) in lines(text) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    diagnostics.append(Diagnostic("a section header must be [name]", file: file, line: number, column: 1))
                    continue
                }
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces).lowercased()
                if known[section] == nil {
                    diagnostics.append(Diagnostic("unknown section [\(section)]", file: file, line: number, column: 1,
                                                  notes: ["sections: " + known.keys.sorted().joined(separator: ", ")]))
                }
                continue
            }
            guard let equals = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                diagnostics.append(Diagnostic("expected 'key = value'", file: file, line: number, column: 1))
                continue
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            let column = (raw.range(of: value).map { raw.distance(from: raw.startIndex, to: $0.lowerBound) } ?? 0) + 1
            if let keys = known[section], !keys.contains(key) {
                diagnostics.append(Diagnostic("unknown key '\(key)' in [\(section)]", file: file, line: number, column: 1,
                                              notes: ["expected one of: " + keys.joined(separator: ", ")]))
                continue
            }
            values[key] = (value, number, column)
        }
        func integer(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let entry = values[key] else {
                diagnostics.append(Diagnostic("missing key '\(key)' in [architecture_presets]: expected a whole number from "
                                              + Limits.describe(range), file: file, line: 1, column: 1))
                return nil
            }
            guard let number = Int(entry.value), range.contains(number) else {
                diagnostics.append(Diagnostic("'\(key)' must be a whole number from \(Limits.describe(range)), got '\(entry.value)'",
                                              file: file, line: entry.line, column: entry.column))
                return nil
            }
            return number
        }
        let rows = integer("arrayheight", Limits.arrayDimension)
        let columns = integer("arraywidth", Limits.arrayDimension)
        let ifmap = integer("ifmapsramszkb", 1...(1 << 30)), filter = integer("filtersramszkb", 1...(1 << 30))
        let ofmap = integer("ofmapsramszkb", 1...(1 << 30))
        var dataflow: Dataflow?
        if let entry = values["dataflow"] {
            dataflow = Dataflow(rawValue: entry.value.lowercased())
            if dataflow == nil {
                diagnostics.append(Diagnostic("'dataflow' must be os, ws or is, got '\(entry.value)'", file: file, line: entry.line,
                                              column: entry.column))
            }
        } else {
            diagnostics.append(Diagnostic("missing key 'dataflow' in [architecture_presets]: expected os, ws or is", file: file,
                                          line: 1, column: 1))
        }
        if let mode = values["interfacebandwidth"], mode.value.uppercased() != "CALC" {
            diagnostics.append(Diagnostic("InterfaceBandwidth '\(mode.value)' is not modelled: only CALC (SCALE-Sim's default)",
                                          file: file, line: mode.line, column: mode.column))
        }
        // SCALE-Sim v3's options that change its counts: sparse layers, Ramulator's DRAM traces and
        // custom SRAM layouts (bank conflicts) are not modelled; their default, off, is accepted.
        for (key, name) in [("sparsitysupport", "SparsitySupport"), ("usesparsity", "UseSparsity"),
                            ("useramulatortrace", "UseRamulatorTrace"), ("ifmapcustomlayout", "IfmapCustomLayout"),
                            ("filtercustomlayout", "FilterCustomLayout")] {
            if let entry = values[key], entry.value.lowercased() != "false" {
                diagnostics.append(Diagnostic("\(name) '\(entry.value)' is not modelled: only False (SCALE-Sim's default)",
                                              file: file, line: entry.line, column: entry.column))
            }
        }
        guard diagnostics.isEmpty, let rows, let columns, let ifmap, let filter, let ofmap, let dataflow else {
            return .failure(DiagnosticError(diagnostics))
        }
        return .success(Config(runName: values["run_name"]?.value ?? "simdit", rows: rows, columns: columns, dataflow: dataflow,
                               ifmapSRAMKiB: ifmap, filterSRAMKiB: filter, ofmapSRAMKiB: ofmap))
    }

    /// The most layers a topology may describe once SCALE-Sim's depth-wise rows are expanded (one
    /// layer per channel), which bounds the reports' size; the copies are evaluated once
    /// (`reports`), so the work grows with the file's rows.
    public static let maximumLayers = 100_000

    /// Reads a topology: its first line is a header (skipped, as SCALE-Sim does); each row is a
    /// convolution (7 or 8 numbers after the name) or, with `gemm`, `M, N, K`. A trailing comma is
    /// optional (SCALE-Sim requires it); empty rows and cells past the layer's are ignored. As in
    /// SCALE-Sim, a convolution whose name contains `DP` is depth-wise: it becomes one layer per
    /// channel, `NAMEChannel_i` with one channel each.
    public static func readTopology(text: String, file: String, gemm: Bool) -> Result<[ScaleSimLayer], DiagnosticError> {
        var diagnostics: [Diagnostic] = []
        var layers: [ScaleSimLayer] = []
        for (number, raw) in lines(text).dropFirst() {
            var fields = raw.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            // Rows of empty cells are skipped; cells past the layer's (notes, spreadsheet columns)
            // are ignored, as SCALE-Sim ignores them. A ninth number is the horizontal stride.
            if fields.allSatisfy(\.isEmpty) { continue }
            let used = gemm ? 4 : (fields.count > 8 && Int(fields[8]) != nil ? 9 : 8)
            if fields.count > used { fields = Array(fields.prefix(used)) }
            let counts = gemm ? [4] : [8, 9]
            guard counts.contains(fields.count) else {
                diagnostics.append(Diagnostic(gemm ? "a GEMM row is 'name, M, N, K', got \(fields.count) fields"
                                              : "a convolution row is 'name, IFMAP H, IFMAP W, Filter H, Filter W, Channels, "
                                                + "Num Filter, Stride[, Stride W]', got \(fields.count) fields",
                                              file: file, line: number, column: 1))
                continue
            }
            // Each field's column in the raw line (1-based), past its leading spaces.
            var columns: [Int] = []
            var offset = 0
            for segment in raw.split(separator: ",", omittingEmptySubsequences: false) {
                columns.append(offset + segment.prefix { $0 == " " || $0 == "\t" }.count + 1)
                offset += segment.count + 1
            }
            var numbers: [Int] = []
            for (position, field) in fields.enumerated().dropFirst() {
                guard let value = Int(field), Limits.networkSize.contains(value) else {
                    diagnostics.append(Diagnostic("'\(field)' must be a whole number from \(Limits.describe(Limits.networkSize))",
                                                  file: file, line: number, column: columns[position]))
                    break
                }
                numbers.append(value)
            }
            guard numbers.count == fields.count - 1 else { continue }
            let layer = gemm ? ScaleSimLayer.gemm(name: fields[0], m: numbers[0], n: numbers[1], k: numbers[2])
                : ScaleSimLayer(name: fields[0], ifmapHeight: numbers[0], ifmapWidth: numbers[1], filterHeight: numbers[2],
                                filterWidth: numbers[3], channels: numbers[4], filters: numbers[5], strideHeight: numbers[6],
                                strideWidth: numbers.count > 7 ? numbers[7] : numbers[6])
            guard layer.filterHeight <= layer.ifmapHeight, layer.filterWidth <= layer.ifmapWidth else {
                diagnostics.append(Diagnostic("the filter \(layer.filterHeight)×\(layer.filterWidth) is larger than the ifmap "
                                              + "\(layer.ifmapHeight)×\(layer.ifmapWidth)", file: file, line: number, column: 1))
                continue
            }
            let copies = !gemm && layer.name.contains("DP") ? layer.channels : 1
            guard layers.count + copies <= maximumLayers else {
                diagnostics.append(Diagnostic("the topology has more than \(maximumLayers) layers"
                                              + (copies > 1 ? " once its depth-wise (DP) rows are expanded, one layer per channel "
                                                 + "as SCALE-Sim does" : ""),
                                              file: file, line: number, column: 1))
                break
            }
            if copies > 1 {
                var channel = layer
                channel.channels = 1
                for index in 0..<copies {
                    channel.name = layer.name + "Channel_\(index)"
                    layers.append(channel)
                }
            } else {
                layers.append(layer)
            }
        }
        if layers.isEmpty && diagnostics.isEmpty {
            diagnostics.append(Diagnostic("the topology has no layers (its first line is a header)", file: file, line: 1, column: 1))
        }
        return diagnostics.isEmpty ? .success(layers) : .failure(DiagnosticError(diagnostics))
    }

    /// SCALE-Sim v2's three reports, with its exact headers (each line ends with a comma).
    /// The three reports, and the layers with DRAM columns (counts, start and stop cycles,
    /// bandwidths) that estimate rather than equal SCALE-Sim's: `estimated` names them, `estimates` is the CSV that lists them
    /// (`LayerID, Layer name, Estimated columns`, the columns separated by `;`).
    public static func reports(_ layers: [ScaleSimLayer], _ config: Config, dataflow: Dataflow)
        -> (compute: String, bandwidth: String, detailed: String, estimates: String,
            estimated: [(layer: String, columns: [String])]) {
        var estimated: [(layer: String, columns: [String])] = []
        var estimates = "LayerID, Layer name, Estimated columns,\n"
        var compute = "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,\n"
        var bandwidth = "LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, Avg IFMAP DRAM BW, "
            + "Avg FILTER DRAM BW, Avg OFMAP DRAM BW,\n"
        var detailed = "LayerID, SRAM IFMAP Start Cycle, SRAM IFMAP Stop Cycle, SRAM IFMAP Reads, SRAM Filter Start Cycle, "
            + "SRAM Filter Stop Cycle, SRAM Filter Reads, SRAM OFMAP Start Cycle, SRAM OFMAP Stop Cycle, SRAM OFMAP Writes, "
            + "DRAM IFMAP Start Cycle, DRAM IFMAP Stop Cycle, DRAM IFMAP Reads, DRAM Filter Start Cycle, DRAM Filter Stop Cycle, "
            + "DRAM Filter Reads, DRAM OFMAP Start Cycle, DRAM OFMAP Stop Cycle, DRAM OFMAP Writes,\n"
        func n(_ value: Double) -> String { JSONValue.format(value) }
        // Layers that differ only in name (a depth-wise row's per-channel copies) are evaluated
        // once, so the work grows with the file's distinct rows, not with a channel count.
        var evaluated: [ScaleSimLayer: ScaleSimLayerReport] = [:]
        for (index, layer) in layers.enumerated() {
            var shape = layer
            shape.name = ""
            let r: ScaleSimLayerReport
            if let known = evaluated[shape] {
                r = known
            } else {
                r = ScaleSimModel.evaluate(layer, rows: config.rows, columns: config.columns, dataflow: dataflow,
                                           sram: ScaleSimSRAMSizes(ifmapKilobytes: config.ifmapSRAMKiB,
                                                                   filterKilobytes: config.filterSRAMKiB,
                                                                   ofmapKilobytes: config.ofmapSRAMKiB))
                evaluated[shape] = r
            }
            let cycles = max(r.totalCycles, 1), w = r.windows
            // In the reports' order: DETAILED_ACCESS_REPORT's DRAM columns, then BANDWIDTH_REPORT's.
            let ifmapWindow = w.dramIfmapAccuracy == .estimate ? ["DRAM IFMAP Start Cycle", "DRAM IFMAP Stop Cycle"] : []
            let ofmapWindow = w.dramOfmapAccuracy == .estimate ? ["DRAM OFMAP Start Cycle", "DRAM OFMAP Stop Cycle"] : []
            let columns = ifmapWindow + (r.dramIfmapAccuracy == .estimate ? ["DRAM IFMAP Reads"] : [])
                + ofmapWindow + (r.dramOfmapAccuracy == .estimate ? ["DRAM OFMAP Writes"] : [])
                + (r.dramIfmapAccuracy == .estimate || w.dramIfmapAccuracy == .estimate ? ["Avg IFMAP DRAM BW"] : [])
                + (r.dramOfmapAccuracy == .estimate || w.dramOfmapAccuracy == .estimate ? ["Avg OFMAP DRAM BW"] : [])
            if !columns.isEmpty {
                estimated.append((layer.name, columns))
                estimates += "\(index), \(layer.name), \(columns.joined(separator: "; ")),\n"
            }
            compute += "\(index), \(n(r.totalCycles)), \(n(r.stallCycles)), \(n(r.overallUtilizationPercent)), "
                + "\(n(r.mappingEfficiencyPercent)), \(n(r.computeUtilizationPercent)),\n"
            // SRAM bandwidths per cycle of the layer's run; DRAM ones per cycle of each operand's
            // own start–stop window, as SCALE-Sim divides them.
            bandwidth += "\(index), \(n(r.sramIfmapReads / cycles)), \(n(r.sramFilterReads / cycles)), \(n(r.sramOfmapWrites / cycles)), "
                + "\(n(w.dramIfmap.bandwidth(r.dramIfmapReads))), \(n(w.dramFilter.bandwidth(r.dramFilterReads))), "
                + "\(n(w.dramOfmap.bandwidth(r.dramOfmapWrites))),\n"
            func accesses(_ window: ScaleSimWindow, _ count: Double) -> String { "\(n(window.start)), \(n(window.stop)), \(n(count))" }
            detailed += "\(index), \(accesses(w.sramIfmap, r.sramIfmapReads)), \(accesses(w.sramFilter, r.sramFilterReads)), "
                + "\(accesses(w.sramOfmap, r.sramOfmapWrites)), \(accesses(w.dramIfmap, r.dramIfmapReads)), "
                + "\(accesses(w.dramFilter, r.dramFilterReads)), \(accesses(w.dramOfmap, r.dramOfmapWrites)),\n"
        }
        return (compute, bandwidth, detailed, estimates, estimated)
    }
}
