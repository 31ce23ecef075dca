import ArgumentParser
import Foundation
import SimDITFiles
import SimDITFlow

/// `simdit activity`: a gate-level simulation's value change dump → OpenSTA activity commands.
struct Activity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn a value change dump (VCD) of a gate-level simulation into per-net OpenSTA activity commands.",
        discussion: """
            Counts, for every bit of every variable in the scope named --scope, its transitions between \
            0 and 1 per rising edge of --clock (transitions per clock period) and its share of time at \
            1, and prints one `simdit_net_activity NET ACTIVITY DUTY` line per net: the file \
            Flow/sta/power.tcl reads as SIMDIT_ACTIVITY. `simdit flow` does this for every stimulus run.
            """
    )

    @Argument(help: "The value change dump.")
    var dump: String

    @Option(name: .long, help: "The scope of the device under test.")
    var scope: String = "dut"

    @Option(name: .long, help: "The clock net.")
    var clock: String = "clk"

    @Option(name: .long, help: "Where to write the commands (whole or not at all); standard output without it.")
    var output: String?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: dump), let text = String(data: data, encoding: .utf8) else {
            throw fail([Diagnostic("cannot read the value change dump", file: dump)])
        }
        let activity: VCDActivity
        do {
            activity = try VCDActivity.parse(text, scope: scope, clock: clock)
        } catch {
            throw fail([Diagnostic("not a usable value change dump: \(error.description)", file: dump)])
        }
        let commands = activity.openSTACommands(clock: clock)
        if let output {
            if let problem = OutputFile.write(commands, to: output) { throw fail([problem]) }
        } else {
            print(commands, terminator: "")
        }
    }
}
