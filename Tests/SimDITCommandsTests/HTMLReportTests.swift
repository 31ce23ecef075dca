import Foundation
import Testing

/// The HTML report of the default `simdit simulate`, rendered in headless Chromium (Debian's
/// `chromium`, which the test command installs): a screenshot is kept in .build/test-output, and
/// the DOM Chromium built is checked — one bar group per program entry, the charts' axis labels,
/// no script and nothing fetched.
@Suite("HTML report", .serialized)
struct HTMLReportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func chromium(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test func theDefaultSimulationRendersInChromium() throws {
        let artifacts = Self.root.appendingPathComponent(".build/test-output")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let page = artifacts.appendingPathComponent("simulate-report.html")
        let run = try SimDIT.run(["simulate", "--format", "html", "--output", page.path])
        #expect(run.status == 0, "\(run.standardError)")
        let html = try String(contentsOf: page, encoding: .utf8)
        // Self-contained: no script, no external resource (the SVG namespace is a name, not a fetch).
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=") && !html.contains("url("))
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").range(of: "http") == nil)

        let json = try SimDIT.run(["simulate", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let layerCount = try #require((object["layers"] as? [Any])?.count)

        let screenshot = artifacts.appendingPathComponent("simulate-report.png")
        try? FileManager.default.removeItem(at: screenshot)
        let shot = try chromium(["--window-size=1280,3600", "--screenshot=\(screenshot.path)", page.absoluteString])
        #expect(shot.status == 0, "\(shot.errors.suffix(2000))")
        let size = (try? FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0
        #expect(size > 50_000, "the screenshot is \(size) bytes")

        let dom = try chromium(["--dump-dom", page.absoluteString])
        #expect(dom.status == 0)
        #expect(!dom.errors.contains("Uncaught") && !dom.errors.contains("SyntaxError"))
        let bars = dom.output.components(separatedBy: "<g class=\"layer\"").count - 1
        #expect(bars == layerCount, "\(bars) layer bars for \(layerCount) program entries")
        for label in ["Cycles by unit", "Cycles by op category", "Cycles per layer", "DRAM traffic by kind", "Energy by component",
                      "Roofline", "arithmetic intensity (operations per DRAM byte)", "achieved useful operations per cycle",
                      "energy (joules)", "DRAM traffic (bytes)", "program entries, in order (\(layerCount))"] {
            #expect(dom.output.contains(label), "missing '\(label)'")
        }
        #expect(dom.output.components(separatedBy: "class=\"point\"").count > 50, "roofline points")

        // The roofline plots useful work: the stem's point is its useful ops per cycle (4.7 % of the
        // 64×64 array's peak), not the padded MACs the array executes (98 %); no tick label leaves the
        // 760-pixel plot (the last decade's label is centred on its tick).
        let layers = try #require(object["layers"] as? [[String: Any]])
        let stem = try #require(layers.first { $0["name"] as? String == "conv1" })
        let useful = try #require(stem["useful_macs"] as? Double)
        let cycles = try #require((stem["systolic"] as? [String: Any])?["cycles"] as? Double)
        let roofline = try #require(html.components(separatedBy: "<svg id=\"roofline\"").last)
        let title = try #require(roofline.components(separatedBy: "<title>conv1: ").dropFirst().first)
        let plotted = try #require(Double(title.prefix { $0 != " " }.replacingOccurrences(of: ",", with: "")))
        #expect(abs(plotted - 2 * useful / cycles) <= 0.01 * plotted, "\(plotted) vs \(2 * useful / cycles)")
        #expect(plotted < 0.1 * 2 * 64 * 64)
        let svg = try #require(roofline.components(separatedBy: "</svg>").first)
        let positions = svg.components(separatedBy: "<text x=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
        #expect(!positions.isEmpty && positions.allSatisfy { $0 <= 760 - 20 }, "\(positions.max() ?? 0)")
    }

    /// The sweep page: a Pareto scatter with one red mark per front point, both axes titled with
    /// units; the optimize page: the allocation before and after.
    @Test func sweepAndOptimizePagesRender() throws {
        let artifacts = Self.root.appendingPathComponent(".build/test-output")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let spec = Self.root.appendingPathComponent("examples/sweep/resnet50-space.yaml").path
        let page = artifacts.appendingPathComponent("sweep-report.html")
        #expect(try SimDIT.run(["sweep", spec, "--format", "html", "--output", page.path]).status == 0)
        let lines = try SimDIT.run(["sweep", spec]).standardOutput.split(separator: "\n")
        let front = lines.filter { $0.contains("\"pareto\":true") }.count
        let shot = try chromium(["--window-size=1200,1600", "--screenshot=\(artifacts.appendingPathComponent("sweep-report.png").path)",
                                 page.absoluteString])
        #expect(shot.status == 0)
        let dom = try chromium(["--dump-dom", page.absoluteString])
        #expect(dom.output.components(separatedBy: "class=\"front\"").count - 1 == front, "\(front) front points")
        #expect(dom.output.components(separatedBy: "class=\"front-row\"").count - 1 == front)
        #expect(dom.output.components(separatedBy: "class=\"point\"").count - 1 == lines.count - front)
        for label in ["Pareto front", "cycles", "energy (J)", "on the Pareto front"] {
            #expect(dom.output.contains(label), "missing '\(label)'")
        }

        let optimize = try SimDIT.run(["optimize", "--format", "html"])
        #expect(optimize.status == 0)
        let optimizePage = artifacts.appendingPathComponent("optimize-report.html")
        try optimize.standardOutput.write(to: optimizePage, atomically: true, encoding: .utf8)
        let optimizeDom = try chromium(["--dump-dom", optimizePage.absoluteString])
        for label in ["SRAM per buffer", "DRAM bandwidth per port", "Cycles by op category", "SRAM (bytes)",
                      "bandwidth (bits per cycle)", "base (genesys-inference-08)", "best"] {
            #expect(optimizeDom.output.contains(label), "missing '\(label)'")
        }
        #expect(!optimize.standardOutput.contains("<script"))
    }
}
