import Foundation
import SimDITCore

/// The pieces of simdit's self-contained HTML reports: the page (inline CSS, no script, nothing
/// fetched), sections, and SVG charts whose axes carry units and whose marks carry tooltips.
public enum HTMLCharts {
    public static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>\(escape(title))</title>
        <style>
        body { font: 14px/1.4 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1200px; color: #222; }
        h1 { font-size: 22px; margin-bottom: 0; } h2 { font-size: 17px; margin: 28px 0 4px; }
        .subtitle, .note { color: #555; margin-top: 4px; }
        .warning { background: #fff4e5; border-left: 4px solid #e08a00; padding: 6px 10px; margin: 10px 0; }
        table.summary, table.data { border-collapse: collapse; margin-top: 12px; }
        table.summary td, table.data td, table.data th { padding: 2px 14px 2px 0; text-align: right; font-variant-numeric: tabular-nums; }
        table.summary td:first-child, table.data th:first-child { text-align: left; }
        svg text { font: 11px sans-serif; fill: #333; } svg .axis-title { font-size: 12px; font-weight: 600; }
        .legend span { display: inline-block; margin-right: 14px; } .legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
        </style></head>
        <body>
        \(body)<p class="note">Written by simdit; self-contained (no script, no network). Hover a mark for its exact value.</p>
        </body></html>

        """
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    public static func number(_ value: Double, _ quantity: Format.Quantity) -> String {
        let (text, unit) = Format.scaled(value, quantity)
        return unit.isEmpty ? text : "\(text) \(unit)"
    }

    public static func section(_ title: String, _ note: String, _ content: String) -> String {
        let id = title.lowercased().replacingOccurrences(of: " ", with: "-")
        return "<section id=\"\(id)\"><h2>\(escape(title))</h2><p class=\"note\">\(note)</p>\n\(content)</section>\n"
    }

    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return String(Double((value * 10).rounded()) / 10)
    }

    public static func unitTitle(_ unit: Format.Quantity) -> String {
        switch unit {
        case .bytes: "bytes"
        case .joules: "energy (joules)"
        case .watts: "power (watts)"
        case .seconds: "time (seconds)"
        case .hertz: "frequency (hertz)"
        case .count(let name): name
        }
    }

    /// A horizontal bar chart; `series` gives several bars per label (a grouped chart) with a legend.
    public static func horizontalBars(_ labels: [String], series: [(name: String, color: String, values: [Double])],
                               unit: Format.Quantity, axisTitle: String, id: String) -> String {
        let barHeight = 16.0, gap = 8.0, labelWidth = 220.0, plotWidth = 760.0
        let group = barHeight * Double(series.count) + gap
        let height = Double(labels.count) * group + 44
        let largest = max(series.flatMap(\.values).max() ?? 0, 1e-300)
        var svg = ""
        if series.count > 1 {
            svg += "<p class=\"legend\">" + series.map { "<span><i style=\"background:\($0.color)\"></i>\(escape($0.name))</span>" }
                .joined() + "</p>\n"
        }
        svg += "<svg id=\"\(id)\" class=\"bars\" width=\"\(Int(labelWidth + plotWidth + 120))\" height=\"\(Int(height))\" "
            + "xmlns=\"http://www.w3.org/2000/svg\">\n"
        for (index, label) in labels.enumerated() {
            let top = Double(index) * group + 4
            svg += "<g class=\"bar\"><text x=\"\(Int(labelWidth - 6))\" y=\"\(format(top + 12))\" text-anchor=\"end\">\(escape(label))</text>"
            for (k, s) in series.enumerated() where index < s.values.count {
                let value = s.values[index], y = top + Double(k) * barHeight
                let width = max(0, value / largest * plotWidth)
                svg += "<rect x=\"\(labelWidth)\" y=\"\(format(y))\" width=\"\(format(width))\" height=\"\(barHeight - 2)\" fill=\"\(s.color)\">"
                    + "<title>\(escape(label))\(series.count > 1 ? ", " + escape(s.name) : ""): \(number(value, unit))</title></rect>"
                    + "<text x=\"\(format(labelWidth + width + 6))\" y=\"\(format(y + 11))\">\(number(value, unit))</text>"
            }
            svg += "</g>\n"
        }
        let axisY = Double(labels.count) * group + 8
        svg += "<line x1=\"\(labelWidth)\" y1=\"\(axisY)\" x2=\"\(labelWidth + plotWidth)\" y2=\"\(axisY)\" stroke=\"#888\"/>"
        for tick in 0...4 {
            let x = labelWidth + plotWidth * Double(tick) / 4
            svg += "<text x=\"\(format(x))\" y=\"\(axisY + 14)\" text-anchor=\"middle\">\(number(largest * Double(tick) / 4, unit))</text>"
        }
        svg += "<text class=\"axis-title\" x=\"\(labelWidth + plotWidth / 2)\" y=\"\(axisY + 32)\" text-anchor=\"middle\">"
            + "\(escape(axisTitle))</text>\n</svg>\n"
        return svg
    }

    public static func horizontalBars(_ items: [(String, Double)], unit: Format.Quantity, color: String, id: String) -> String {
        horizontalBars(items.map(\.0), series: [("", color, items.map(\.1))], unit: unit, axisTitle: unitTitle(unit), id: id)
    }

    public static func pow10(_ exponent: Double) -> Double { Foundation.pow(10, exponent) }

    /// A scatter plot with logarithmic axes when the values span more than 100×; `highlighted`
    /// points are drawn over the rest, joined in x order (a Pareto front).
    public static func scatter(_ points: [(label: String, x: Double, y: Double, highlighted: Bool)], xTitle: String, yTitle: String,
                        xUnit: Format.Quantity, yUnit: Format.Quantity, id: String) -> String {
        let width = 860.0, height = 480.0, left = 90.0, bottom = 56.0
        let xs = points.map(\.x).filter { $0 > 0 && $0.isFinite }, ys = points.map(\.y).filter { $0 > 0 && $0.isFinite }
        let (minX, maxX) = (xs.min() ?? 1, max(xs.max() ?? 1, (xs.min() ?? 1) * 1.0001))
        let (minY, maxY) = (ys.min() ?? 1, max(ys.max() ?? 1, (ys.min() ?? 1) * 1.0001))
        let logX = maxX / minX > 100, logY = maxY / minY > 100
        func scale(_ v: Double, _ low: Double, _ high: Double, _ log: Bool) -> Double {
            log ? (Foundation.log10(v) - Foundation.log10(low)) / (Foundation.log10(high) - Foundation.log10(low)) : (v - low) / (high - low)
        }
        func px(_ x: Double) -> Double { left + 10 + scale(x, minX, maxX, logX) * (width - left - 70) }
        func py(_ y: Double) -> Double { height - bottom - 10 - scale(y, minY, maxY, logY) * (height - bottom - 30) }
        var svg = "<svg id=\"\(id)\" width=\"\(Int(width))\" height=\"\(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 10)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>"
            + "<line x1=\"\(left)\" y1=\"10\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>\n"
        for tick in 0...4 {
            let fx = Double(tick) / 4
            let vx = logX ? pow10(Foundation.log10(minX) + fx * (Foundation.log10(maxX) - Foundation.log10(minX))) : minX + fx * (maxX - minX)
            let vy = logY ? pow10(Foundation.log10(minY) + fx * (Foundation.log10(maxY) - Foundation.log10(minY))) : minY + fx * (maxY - minY)
            svg += "<text x=\"\(format(px(vx)))\" y=\"\(format(height - bottom + 16))\" text-anchor=\"middle\">\(number(vx, xUnit))</text>"
                + "<text x=\"\(Int(left - 6))\" y=\"\(format(py(vy) + 4))\" text-anchor=\"end\">\(number(vy, yUnit))</text>\n"
        }
        for point in points where !point.highlighted && point.x > 0 && point.y > 0 {
            svg += "<circle class=\"point\" cx=\"\(format(px(point.x)))\" cy=\"\(format(py(point.y)))\" r=\"2.5\" fill=\"#999\" "
                + "fill-opacity=\"0.5\"><title>\(escape(point.label))</title></circle>\n"
        }
        let front = points.filter { $0.highlighted && $0.x > 0 && $0.y > 0 }.sorted { $0.x < $1.x }
        if front.count > 1 {
            svg += "<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"1.5\" points=\""
                + front.map { "\(format(px($0.x))),\(format(py($0.y)))" }.joined(separator: " ") + "\"/>\n"
        }
        for point in front {
            svg += "<circle class=\"front\" cx=\"\(format(px(point.x)))\" cy=\"\(format(py(point.y)))\" r=\"4\" fill=\"#d62728\">"
                + "<title>\(escape(point.label))</title></circle>\n"
        }
        svg += "<text class=\"axis-title\" x=\"\(format((width + left) / 2))\" y=\"\(Int(height - 14))\" text-anchor=\"middle\">"
            + "\(escape(xTitle))\(logX ? " (log scale)" : "")</text>"
            + "<text class=\"axis-title\" transform=\"translate(18,\(Int((height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">"
            + "\(escape(yTitle))\(logY ? " (log scale)" : "")</text>\n</svg>\n"
        return svg
    }
}
