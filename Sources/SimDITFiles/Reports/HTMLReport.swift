import Foundation
import SimDITCore

/// One self-contained HTML page for a simulation: inline CSS and SVG, no script, no network. Every
/// number comes from the `NetworkResult` and the `EnergyReport`; each chart's axes carry units and
/// every bar a tooltip (`<title>`) with its exact value.
struct HTMLReport {
    let report: SimulationReport

    var result: NetworkResult { report.result }

    static let colors = (systolicCompute: "#1f77b4", systolicStall: "#aec7e8", simdCompute: "#ff7f0e", simdStall: "#ffbb78",
                         accent: "#2ca02c", roof: "#d62728", grid: "#ddd")

    func render() -> String {
        let options = result.options
        var body = ""
        body += "<h1>\(HTMLCharts.escape(result.programName)) on \(HTMLCharts.escape(report.architecture.name))</h1>\n"
        body += "<p class=\"subtitle\">\(report.architecture.arrayRows)×\(report.architecture.arrayColumns) array, "
            + "\(options.mode == .training ? "training (one iteration, \(options.optimizer.rawValue))" : "inference"), "
            + "batch \(options.batch), model \(options.variant.rawValue), \(options.dataflow.rawValue) dataflow, fusion \(options.fusion ? "on" : "off")</p>\n"
        for warning in report.warnings {
            body += "<p class=\"warning\"><strong>warning:</strong> \(HTMLCharts.escape(warning))</p>\n"
        }
        body += summary()
        body += HTMLCharts.section("Cycles by unit", "Compute and stall cycles of the systolic array and the SIMD unit (no overlap, §7).",
                        unitBar())
        body += HTMLCharts.section("Cycles by op category", "Share of total cycles; the non-convolution share is "
                        + Format.percent(result.nonConvolutionShare, of: 1) + ".",
                        HTMLCharts.horizontalBars(result.cyclesByCategory.map { ($0.category.title, $0.cycles) }, unit: .count("cycles"),
                                       color: Self.colors.systolicCompute, id: "categories"))
        body += HTMLCharts.section("Cycles per layer", "One bar per program entry, stacked: systolic compute, systolic stall, SIMD "
                        + "compute, SIMD stall.", layerChart())
        let dram = result.total.dram
        body += HTMLCharts.section("DRAM traffic by kind", "Bytes moved between DRAM and the buffers.",
                        HTMLCharts.horizontalBars(["filter", "ifmap", "psum", "ofmap", "bias"],
                                                  series: [("", Self.colors.simdCompute, [dram.filterBits, dram.ifmapBits, dram.psumBits,
                                                                                           dram.ofmapBits, dram.biasBits].map { $0 / 8 })],
                                                  unit: .bytes, axisTitle: "DRAM traffic (bytes)", id: "dram"))
        if let energy = report.energy {
            body += HTMLCharts.section("Energy by component", "Technology library \(HTMLCharts.escape(energy.library)).",
                            HTMLCharts.horizontalBars(EnergyComponent.allCases.map { ($0.rawValue, energy.total[$0] * 1e-12) },
                                           unit: .joules, color: Self.colors.accent, id: "energy"))
        }
        body += HTMLCharts.section("Roofline", "Per array layer: achieved useful operations per cycle (2 × the unpadded "
                        + "MACs the network asks for, not the padded work the array executes) against the array's peak "
                        + "(2·N·M) and the DRAM bandwidth roof (bytes per cycle × operations per DRAM byte), log–log. "
                        + "Layers with no useful work (a first layer's data gradient) are left out.",
                        roofline())
        return HTMLCharts.page(title: "simdit: \(result.programName) on \(report.architecture.name)", body: body)
    }

    // MARK: Pieces

    func summary() -> String {
        var rows: [(String, String)] = [("cycles", Format.grouped(result.total.cycles)),
                                        ("non-convolution share", Format.percent(result.nonConvolutionShare, of: 1)),
                                        ("DRAM traffic", HTMLCharts.number(result.total.dram.totalBits / 8, .bytes)),
                                        ("useful MACs", HTMLCharts.number(result.total.usefulMACs, .count("MACs")))]
        if let utilization = result.arrayUtilization(result.total) {
            rows.append(("array utilization", Format.percent(utilization, of: 1)))
        }
        if let energy = report.energy {
            rows += [("energy", HTMLCharts.number(energy.energyJoules, .joules)), ("runtime", HTMLCharts.number(energy.runtimeSeconds, .seconds)),
                     ("average power", HTMLCharts.number(energy.averagePowerWatts, .watts))]
        }
        return "<table class=\"summary\">" + rows.map { "<tr><td>\($0.0)</td><td class=\"value\">\($0.1)</td></tr>" }.joined()
            + "</table>\n"
    }

    func legend() -> String {
        let c = Self.colors
        return "<p class=\"legend\"><span><i style=\"background:\(c.systolicCompute)\"></i>systolic compute</span>"
            + "<span><i style=\"background:\(c.systolicStall)\"></i>systolic stall</span>"
            + "<span><i style=\"background:\(c.simdCompute)\"></i>SIMD compute</span>"
            + "<span><i style=\"background:\(c.simdStall)\"></i>SIMD stall</span></p>\n"
    }

    func unitBar() -> String {
        let t = result.total
        let parts = [("systolic compute", t.systolicComputeCycles, Self.colors.systolicCompute),
                     ("systolic stall", t.systolicStallCycles, Self.colors.systolicStall),
                     ("SIMD compute", t.simdComputeCycles, Self.colors.simdCompute),
                     ("SIMD stall", t.simdStallCycles, Self.colors.simdStall)]
        let width = 1000.0, total = max(t.cycles, 1e-300)
        var x = 0.0
        var svg = legend() + "<svg id=\"units\" width=\"\(Int(width))\" height=\"60\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        for (name, cycles, color) in parts {
            let w = cycles / total * width
            svg += "<rect class=\"unit\" x=\"\(HTMLCharts.format(x))\" y=\"4\" width=\"\(HTMLCharts.format(w))\" height=\"28\" fill=\"\(color)\">"
                + "<title>\(name): \(Format.grouped(cycles)) cycles (\(Format.percent(cycles, of: total)))</title></rect>\n"
            x += w
        }
        svg += "<text class=\"axis-title\" x=\"\(Int(width / 2))\" y=\"52\" text-anchor=\"middle\">cycles (total "
            + "\(Format.grouped(t.cycles)))</text>\n</svg>\n"
        return svg
    }

    /// One stacked bar per program entry.
    func layerChart() -> String {
        let layers = result.layers
        let plotHeight = 300.0, left = 80.0, barWidth = max(2.0, min(18.0, 1100.0 / Double(max(layers.count, 1))))
        let width = left + barWidth * Double(layers.count) + 20
        let largest = max(layers.map(\.counts.cycles).max() ?? 0, 1e-300)
        var svg = legend() + "<div style=\"overflow-x:auto\"><svg id=\"layers\" width=\"\(Int(width))\" height=\"\(Int(plotHeight + 60))\" "
            + "xmlns=\"http://www.w3.org/2000/svg\">\n"
        for tick in 0...4 {
            let y = plotHeight - plotHeight * Double(tick) / 4 + 10
            svg += "<line x1=\"\(left)\" y1=\"\(HTMLCharts.format(y))\" x2=\"\(HTMLCharts.format(width - 10))\" y2=\"\(HTMLCharts.format(y))\" stroke=\"\(Self.colors.grid)\"/>"
                + "<text x=\"\(Int(left - 6))\" y=\"\(HTMLCharts.format(y + 4))\" text-anchor=\"end\">\(HTMLCharts.number(largest * Double(tick) / 4, .count("")))</text>\n"
        }
        for (index, layer) in layers.enumerated() {
            let c = layer.counts
            let x = left + Double(index) * barWidth
            var y = plotHeight + 10
            svg += "<g class=\"layer\" data-name=\"\(HTMLCharts.escape(layer.name))\"><title>\(HTMLCharts.escape(layer.name)) (\(layer.operation)): "
                + "\(Format.grouped(c.cycles)) cycles</title>"
            for (cycles, color) in [(c.systolicComputeCycles, Self.colors.systolicCompute), (c.systolicStallCycles, Self.colors.systolicStall),
                                    (c.simdComputeCycles, Self.colors.simdCompute), (c.simdStallCycles, Self.colors.simdStall)] where cycles > 0 {
                let h = cycles / largest * plotHeight
                y -= h
                svg += "<rect x=\"\(HTMLCharts.format(x))\" y=\"\(HTMLCharts.format(y))\" width=\"\(HTMLCharts.format(max(barWidth - 1, 1)))\" height=\"\(HTMLCharts.format(h))\" fill=\"\(color)\"/>"
            }
            svg += "</g>\n"
        }
        svg += "<text class=\"axis-title\" transform=\"translate(14,\(Int(plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">cycles</text>"
            + "<text class=\"axis-title\" x=\"\(HTMLCharts.format(left + (width - left) / 2))\" y=\"\(Int(plotHeight + 40))\" text-anchor=\"middle\">"
            + "program entries, in order (\(layers.count))</text>\n</svg></div>\n"
        return svg
    }

    /// Useful operations per cycle against useful operations per DRAM byte, log–log, with the two
    /// roofs: a padded layer sits as far below the peak as its useful utilization says.
    func roofline() -> String {
        let peak = 2.0 * Double(report.architecture.arrayRows * report.architecture.arrayColumns)
        let a = report.architecture
        let bytesPerCycle = Double(a.inputPortBitsPerCycle + a.parameterPortBitsPerCycle + a.outputPortBitsPerCycle) / 8
        let points = result.layers.compactMap { layer -> (String, Double, Double)? in
            let c = layer.counts
            guard c.systolicCycles > 0, c.usefulMACs > 0, c.dram.totalBits > 0 else { return nil }
            return (layer.name, 2 * c.usefulMACs / (c.dram.totalBits / 8), 2 * c.usefulMACs / c.systolicCycles)
        }
        // The right margin leaves room for half the last decade's label.
        let width = 760.0, height = 420.0, left = 70.0, right = 40.0, bottom = 50.0
        let xs = points.map(\.1) + [peak / bytesPerCycle]
        let minX = HTMLCharts.pow10(Foundation.floor(Foundation.log10(max(xs.min() ?? 1, 1e-6)))), maxX = HTMLCharts.pow10(Foundation.ceil(Foundation.log10(max(xs.max() ?? 10, minX * 10))))
        let minY = HTMLCharts.pow10(Foundation.floor(Foundation.log10(max(points.map(\.2).min() ?? 1, 1e-6)))), maxY = HTMLCharts.pow10(Foundation.ceil(Foundation.log10(peak * 2)))
        func px(_ x: Double) -> Double { left + (Foundation.log10(x) - Foundation.log10(minX)) / (Foundation.log10(maxX) - Foundation.log10(minX)) * (width - left - right) }
        func py(_ y: Double) -> Double { height - bottom - (Foundation.log10(y) - Foundation.log10(minY)) / (Foundation.log10(maxY) - Foundation.log10(minY)) * (height - bottom - 10) }
        var svg = "<svg id=\"roofline\" width=\"\(Int(width))\" height=\"\(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        var decade = minX
        while decade <= maxX * 1.0001 {
            svg += "<line x1=\"\(HTMLCharts.format(px(decade)))\" y1=\"10\" x2=\"\(HTMLCharts.format(px(decade)))\" y2=\"\(HTMLCharts.format(height - bottom))\" stroke=\"\(Self.colors.grid)\"/>"
                + "<text x=\"\(HTMLCharts.format(px(decade)))\" y=\"\(HTMLCharts.format(height - bottom + 14))\" text-anchor=\"middle\">\(HTMLCharts.number(decade, .count("")))</text>"
            decade *= 10
        }
        decade = minY
        while decade <= maxY * 1.0001 {
            svg += "<line x1=\"\(left)\" y1=\"\(HTMLCharts.format(py(decade)))\" x2=\"\(HTMLCharts.format(width - right))\" y2=\"\(HTMLCharts.format(py(decade)))\" stroke=\"\(Self.colors.grid)\"/>"
                + "<text x=\"\(Int(left - 6))\" y=\"\(HTMLCharts.format(py(decade) + 4))\" text-anchor=\"end\">\(HTMLCharts.number(decade, .count("")))</text>"
            decade *= 10
        }
        // Roofs: bandwidth × intensity up to the ridge, then the array's peak.
        let ridge = peak / bytesPerCycle
        svg += "<polyline class=\"roof\" fill=\"none\" stroke=\"\(Self.colors.roof)\" stroke-width=\"2\" points=\""
            + "\(HTMLCharts.format(px(minX))),\(HTMLCharts.format(py(max(minX * bytesPerCycle, minY)))) \(HTMLCharts.format(px(ridge))),\(HTMLCharts.format(py(peak))) "
            + "\(HTMLCharts.format(px(maxX))),\(HTMLCharts.format(py(peak)))\"><title>roofs: \(Format.grouped(peak)) ops/cycle peak, "
            + "\(Format.grouped(bytesPerCycle)) DRAM bytes/cycle</title></polyline>\n"
        for (name, intensity, achieved) in points {
            svg += "<circle class=\"point\" cx=\"\(HTMLCharts.format(px(intensity)))\" cy=\"\(HTMLCharts.format(py(max(achieved, minY))))\" r=\"3\" "
                + "fill=\"\(Self.colors.systolicCompute)\" fill-opacity=\"0.6\"><title>\(HTMLCharts.escape(name)): "
                + "\(Format.grouped(achieved)) useful ops/cycle at \(Format.grouped(intensity)) ops/byte</title></circle>\n"
        }
        svg += "<text class=\"axis-title\" x=\"\(HTMLCharts.format((width - right + left) / 2))\" y=\"\(Int(height - 12))\" text-anchor=\"middle\">"
            + "arithmetic intensity (operations per DRAM byte)</text>"
            + "<text class=\"axis-title\" transform=\"translate(16,\(Int((height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">"
            + "achieved useful operations per cycle</text>\n</svg>\n"
        return svg
    }
}
