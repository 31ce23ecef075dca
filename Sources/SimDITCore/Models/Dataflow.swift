/// A systolic array's dataflow: which operand stays in the PEs while the others stream through.
/// The same three values drive SCALE-Sim's compute model (`ScaleSimModel`) and the GeneSys
/// array's (`SystolicModel`, through `ArrayMapping`).
public enum Dataflow: String, Sendable, Hashable, CaseIterable {
    /// Output stationary: each PE accumulates one output; inputs and weights stream.
    case outputStationary = "os"
    /// Weight stationary: each PE holds one weight (GeneSys, the published model).
    case weightStationary = "ws"
    /// Input stationary: each PE holds one input; weights stream.
    case inputStationary = "is"

    /// How this dataflow lays a convolution over the GeneSys array (MODEL-EXTENSIONS.md §12).
    var mapping: ArrayMapping {
        switch self {
        case .weightStationary: ArrayMapping(rows: .inputChannels, columns: .outputChannels, time: .pixels)
        case .outputStationary: ArrayMapping(rows: .pixels, columns: .outputChannels, time: .inputChannels)
        case .inputStationary: ArrayMapping(rows: .inputChannels, columns: .pixels, time: .outputChannels)
        }
    }
}

/// One of the three loops of a convolution tile that a dataflow places: output pixels
/// (`ow·oh·b`), input channels and output channels. The kernel taps (`kw·kh`) always run in time,
/// as in the published model, whose rows hold channels rather than SCALE-Sim's `R·S·C` window.
enum ArrayLoop: Sendable, Hashable {
    case pixels, inputChannels, outputChannels
}

/// Which loop lies along the array's rows (`N`), which along its columns (`M`) and which streams
/// through time. Everything the GeneSys model derives from the dataflow follows from this value:
/// the step count of a tile, which channels are padded to the array, and each buffer's reuse.
struct ArrayMapping: Sendable, Hashable {
    var rows: ArrayLoop
    var columns: ArrayLoop
    var time: ArrayLoop

    /// Whether a loop lies along the rows or the columns (so folds and padding apply to it).
    @inline(__always)
    func isSpatial(_ loop: ArrayLoop) -> Bool { rows == loop || columns == loop }
}

extension ArrayMapping {
    /// A channel count as the array stores it: padded to the array's side when the loop lies
    /// along it (rule R4 for the published mapping's `IC'` and `OC'`), as it is when it runs in time.
    @inline(__always)
    func padded(_ count: Double, _ loop: ArrayLoop, _ hw: DerivedHardware) -> Double {
        if rows == loop { return padUp(count, hw.rows) }
        if columns == loop { return padUp(count, hw.columns) }
        return count
    }
}

extension SystolicTile {
    /// The tile's iterations of one loop: `ow·oh·b` pixels, `ic` or `oc` channels.
    @inline(__always)
    func extent(_ loop: ArrayLoop) -> Double {
        switch loop {
        case .pixels: outputWidth * outputHeight * batch
        case .inputChannels: inputChannels
        case .outputChannels: outputChannels
        }
    }
}
