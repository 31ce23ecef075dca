import Foundation
import Testing

/// Every file in `Tests/Fixtures/invalid` is a bad architecture (`arch-*`) or network (`net-*`)
/// whose first line says the diagnostic it must produce: `# expect: LINE:COLUMN: message`.
enum InvalidFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/invalid")

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }
}

@Suite("Invalid input files exit non-zero with file:line:column diagnostics")
struct InvalidFixtureTests {
    @Test func thereAreAtLeastTenKinds() {
        #expect(InvalidFixtures.names.count >= 10)
    }

    @Test(arguments: InvalidFixtures.names)
    func fixture(_ name: String) throws {
        let path = InvalidFixtures.directory.appendingPathComponent(name).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let header = try #require(text.split(separator: "\n").first, "empty fixture")
        #expect(header.hasPrefix("# expect: "), "fixture lacks its '# expect:' line")
        let expectation = header.dropFirst("# expect: ".count)
        let parts = expectation.split(separator: ":", maxSplits: 2)
        try #require(parts.count == 3)
        let flag = name.hasPrefix("arch-") ? "--arch" : "--network"
        let run = try SimDIT.run(["simulate", flag, path])
        #expect(run.status == 1)
        #expect(run.standardOutput.isEmpty)
        let wanted = "\(path):\(parts[0]):\(parts[1]): error:\(parts[2])"
        #expect(run.standardError.contains(wanted), "wanted '\(wanted)' in:\n\(run.standardError)")
    }
}
