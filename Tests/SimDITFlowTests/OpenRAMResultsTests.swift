import Foundation
import Testing
@testable import SimDITFlow

@Suite("OpenRAM outputs")
struct OpenRAMResultsTests {
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/openram")
    }

    @Test func lefSizeIsTheArea() throws {
        let lef = try String(contentsOf: Self.fixtures.appendingPathComponent("sram_32x32.lef"), encoding: .utf8)
        // "SIZE 842.4 BY 537.2 ;"
        #expect(OpenRAMResults.lefArea(lef) == 842.4 * 537.2)
        #expect(OpenRAMResults.lefArea("MACRO x\n   SIZE 0 BY 5 ;\n") == nil)
        #expect(OpenRAMResults.lefArea("no size here") == nil)
    }

    /// The Liberty file of a 16×4 ngspice characterization at 5 V: read is `!csb0 & web0`
    /// (7.742541 and 7.820569 mW), write `!csb0 & !web0` (7.399357 and 9.490269 mW), minimum period
    /// 15.625 ns, cell leakage 2.616034 mW.
    @Test func characterizationFromLiberty() throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("sram_16x4_TT_5p0V_25C.lib"), encoding: .utf8)
        let c = try #require(OpenRAMResults.liberty(text))
        #expect(c.minimumPeriodNanoseconds == 15.625)
        #expect(abs(c.readMilliwatts - (7.742541 + 7.820569) / 2) < 1e-12)
        #expect(abs(c.writeMilliwatts - (7.399357 + 9.490269) / 2) < 1e-12)
        #expect(c.leakageMilliwatts == 2.616034)
        #expect(abs(c.readPicojoules - 7.781555 * 15.625) < 1e-9)
        #expect(OpenRAMResults.liberty(text.replacingOccurrences(of: "minimum_period", with: "min_pulse_width")) == nil)
    }

    @Test func referenceDataRowsAndErrors() throws {
        let csv = """
            num_words,word_size,words_per_row,local_array_size,area,process,voltage,temperature,slew,load,rise_delay,fall_delay,rise_slew,fall_slew,write1_power,write0_power,read1_power,read0_power,leakage_power
            32,32,1,0,0,TT,5.0,25,0.0125,2.45605,2.5,2.5,0.1,0.1,44.1,63.9,52.4,52.6,0.00195
            32,32,1,0,0,TT,5.0,25,0.05,9.8242,2.6,2.6,0.1,0.1,44.1,63.9,52.4,52.6,0.00195
            32,32,1,0,0,TT,5.0,25,0.4,39.3,2.9,2.9,0.1,0.1,44.1,63.9,52.4,52.6,0.00195

            """
        let rows = try OpenRAMResults.referenceData(csv)
        #expect(rows.count == 3 && rows[1].line == 3)
        #expect(rows[0].readMilliwatts == 52.5 && rows[0].writeMilliwatts == 54.0 && rows[0].leakageMilliwatts == 0.00195)
        // The middle slew and load of the shape.
        let row = try #require(SRAMCharacterization.referenceRow(.init(words: 32, width: 32), in: rows))
        #expect(row.slewNanoseconds == 0.05 && row.riseDelayNanoseconds == 2.6)
        #expect(SRAMCharacterization.referenceRow(.init(words: 64, width: 32), in: rows) == nil)
        #expect(throws: OpenRAMResults.ReferenceError.self) {
            _ = try OpenRAMResults.referenceData("num_words,word_size\n1,2\n")
        }
        #expect {
            _ = try OpenRAMResults.referenceData(csv.replacingOccurrences(of: "0.4,39.3", with: "x,39.3"))
        } throws: { String(describing: $0) == "line 4: not a row of numbers" }
    }
}
