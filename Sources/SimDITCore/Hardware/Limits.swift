/// The documented ranges of every number the tool accepts, checked where it comes in (files and
/// options) so that the model's arithmetic cannot overflow for any accepted input (README,
/// "Valid ranges"). Sizes are chosen well beyond any real design.
public enum Limits {
    /// Array rows and columns (so `N·M ≤ 2^26` PEs).
    public static let arrayDimension: ClosedRange<Int> = 1...8192
    /// Data widths in bits.
    public static let dataBits: ClosedRange<Int> = 1...64
    /// Buffer and memory capacities in bits (up to 1 TiB).
    public static let capacityBits: ClosedRange<Int> = 1...(1 << 43)
    /// DRAM port widths in bits per cycle.
    public static let portBitsPerCycle: ClosedRange<Int> = 1...(1 << 20)
    /// Address widths in bits.
    public static let addressBits: ClosedRange<Int> = 1...40
    /// The run's batch: every batch up to 2^53 is exact in the model's doubles.
    public static let batch: ClosedRange<Int> = 1...(1 << 53)
    /// A network's channels, heights, widths, kernel sizes, strides, paddings, groups and features.
    public static let networkSize: ClosedRange<Int> = 1...(1 << 24)
    /// Padding may be 0.
    public static let networkPadding: ClosedRange<Int> = 0...(1 << 24)
    /// The largest magnitude of a figure in a technology library or synthesis report (pJ, µm², µW,
    /// ns, V, …): far beyond any real one, and small enough that no product of figures and counts
    /// overflows a double.
    public static let figureMagnitude = 1e12
    /// The most elements of one sample's tensor (1 Ti).
    public static let tensorElements = 1 << 40

    /// `1...8,192` as people read it.
    public static func describe(_ range: ClosedRange<Int>) -> String {
        "\(grouped(range.lowerBound)) to \(grouped(range.upperBound))"
    }

    static func grouped(_ value: Int) -> String {
        if value >= 1 << 20, value & (value - 1) == 0 { return "2^\(value.trailingZeroBitCount)" }
        var digits = String(value), groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(Substring(digits.suffix(3)), at: 0)
            digits = String(digits.dropLast(3))
        }
        groups.insert(Substring(digits), at: 0)
        return groups.joined(separator: ",")
    }
}
