/// DRAM interfaces with a published energy per bit transferred (device and interface together),
/// selectable in a technology library (`dram.standard`).
public enum DRAMStandard: String, Sendable, Hashable, CaseIterable {
    case ddr3
    case gddr5
    case hbm2

    /// Energy per bit read or written, pJ.
    public var energyPicojoulesPerBit: Double {
        switch self {
        case .ddr3: 30.46875
        case .gddr5: 14.0
        case .hbm2: 3.97
        }
    }

    /// Where the figure comes from.
    public var citation: String {
        switch self {
        case .ddr3:
            "M. Horowitz, 'Computing's energy problem (and what we can do about it)', ISSCC 2014: DDR3 DRAM 1.3-2.6 nJ "
                + "per 64-bit access; the midpoint 1.95 nJ / 64 bits"
        case .gddr5:
            "M. O'Connor et al., 'Fine-Grained DRAM: Energy-Efficient DRAM for Extreme Bandwidth Systems', MICRO 2017: "
                + "GDDR5 14.0 pJ/bit"
        case .hbm2:
            "M. O'Connor et al., 'Fine-Grained DRAM: Energy-Efficient DRAM for Extreme Bandwidth Systems', MICRO 2017: "
                + "HBM2 3.97 pJ/bit"
        }
    }

    /// The key of `citation` in a library's `sources`.
    public var sourceKey: String {
        switch self {
        case .ddr3: "horowitz2014"
        case .gddr5, .hbm2: "oconnor2017"
        }
    }
}
