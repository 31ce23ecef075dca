#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-bit SRAM figures as a function of macro capacity, from a table of characterised macros.
///
/// Rule: each macro gives per-bit values (read and write energy per bit of word width, leakage and
/// area per bit of capacity); macros of equal capacity are averaged. Between two capacities a value
/// is interpolated linearly in log(capacity)–log(value) space (a power law through the two
/// macros). Outside the table the nearest segment's power law is extended, its exponent clamped to
/// [−1, 1] so that no extrapolation grows faster than linearly; with a single macro the per-bit
/// values are constant. An access of a `w`-bit word costs `w ×` the per-bit energy.
public struct SRAMTable: Sendable, Hashable {
    /// A per-bit quantity at one capacity.
    struct Point: Sendable, Hashable {
        var capacityBits: Double
        var readPerBit: Double
        var writePerBit: Double
        var leakagePerBit: Double
        var areaPerBit: Double
    }

    let points: [Point]

    public init(_ macros: [SRAMMacro]) {
        let grouped = Dictionary(grouping: macros, by: \.capacityBits)
        points = grouped.keys.sorted().map { capacity in
            let group = grouped[capacity] ?? []
            let count = Double(group.count)
            return Point(
                capacityBits: capacity,
                readPerBit: group.reduce(0) { $0 + $1.readEnergyPicojoules / $1.widthBits } / count,
                writePerBit: group.reduce(0) { $0 + $1.writeEnergyPicojoules / $1.widthBits } / count,
                leakagePerBit: group.reduce(0) { $0 + $1.leakageMicrowatts / $1.capacityBits } / count,
                areaPerBit: group.reduce(0) { $0 + $1.areaSquareMicrometres / $1.capacityBits } / count)
        }
    }

    /// Energy of reading one `widthBits` word from a macro of `capacityBits`, pJ.
    public func readEnergy(capacityBits: Double, widthBits: Double) -> Double {
        value(capacityBits, \.readPerBit) * widthBits
    }

    /// Energy of writing one `widthBits` word, pJ.
    public func writeEnergy(capacityBits: Double, widthBits: Double) -> Double {
        value(capacityBits, \.writePerBit) * widthBits
    }

    /// Leakage of a macro of `capacityBits`, µW.
    public func leakage(capacityBits: Double) -> Double { value(capacityBits, \.leakagePerBit) * capacityBits }

    /// Area of a macro of `capacityBits`, µm².
    public func area(capacityBits: Double) -> Double { value(capacityBits, \.areaPerBit) * capacityBits }

    func value(_ capacity: Double, _ quantity: KeyPath<Point, Double>) -> Double {
        guard let first = points.first, let last = points.last else { return 0 }
        guard points.count > 1 else { return first[keyPath: quantity] }
        let lower: Point, upper: Point
        var clamp = false
        if capacity <= first.capacityBits {
            (lower, upper, clamp) = (points[0], points[1], true)
        } else if capacity >= last.capacityBits {
            (lower, upper, clamp) = (points[points.count - 2], last, true)
        } else {
            let index = points.firstIndex { $0.capacityBits >= capacity } ?? points.count - 1
            (lower, upper) = (points[index - 1], points[index])
        }
        let x0 = log(lower.capacityBits), x1 = log(upper.capacityBits), x = log(capacity)
        let y0 = lower[keyPath: quantity], y1 = upper[keyPath: quantity]
        guard y0 > 0, y1 > 0 else {
            // A zero figure (no leakage, say): interpolate linearly in log-capacity, hold at the ends.
            if clamp { return capacity <= first.capacityBits ? y0 : y1 }
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        }
        var slope = (log(y1) - log(y0)) / (x1 - x0)
        if clamp { slope = min(1, max(-1, slope)) }
        // Extend from the end of the table the capacity lies beyond; interpolate from the lower point.
        let (anchorX, anchorY) = clamp && capacity >= upper.capacityBits ? (x1, log(y1)) : (x0, log(y0))
        return exp(anchorY + slope * (x - anchorX))
    }
}
