import Testing
@testable import SimDITCore

/// The tilers' searches (bisection and divisors) against the scans GENESYS-MODEL.md §3.0 states,
/// on every small case, and on sizes the scans could never reach.
@Suite("Tile searches")
struct SearchTests {
    /// The specification's scans, verbatim.
    static func scanSpatial(_ x: Double, _ y: Double, integral: Bool, fits: (Double, Double) -> Bool) -> (Double, Double)? {
        var i = 1.0
        while i <= max(x, y) {
            let tx = x / i, ty = y / i
            if integral {
                if tx == tx.rounded(.towardZero), ty == ty.rounded(.towardZero), fits(tx, ty) { return (tx, ty) }
            } else if fits(tx.rounded(.up), ty.rounded(.up)) {
                return (tx.rounded(.up), ty.rounded(.up))
            }
            i += 1
        }
        return nil
    }

    static func scanBatch(_ total: Double, fits: (Double) -> Bool) -> Double? {
        var k = 1.0
        while k <= total {
            let candidate = total / k
            if candidate == candidate.rounded(.towardZero), fits(candidate) { return candidate }
            k += 1
        }
        return nil
    }

    static func scanGrow(_ unit: Double, cap: Double, fits: (Double) -> Bool) -> Double {
        var accepted = unit, j = 2.0
        while true {
            let candidate = unit * j
            if candidate > cap || !fits(candidate) { return accepted }
            accepted = candidate
            j += 1
        }
    }

    @Test func spatialEqualsTheScan() {
        for x in [1, 2, 3, 5, 12, 28, 40, 64, 65, 96, 128, 130, 192, 199, 210] {
            for y in [1, 2, 3, 7, 12, 28, 40, 66, 120, 128, 150, 199, 210] {
                for capacity in [0.5, 1, 3, 10, 50, 200, 2000, 30_000] {
                    for integral in [true, false] {
                        let fits = { (a: Double, b: Double) in a * b <= capacity }
                        let fast = TileSearch.spatial(Double(x), Double(y), integral: integral, fits: fits)
                        let scan = Self.scanSpatial(Double(x), Double(y), integral: integral, fits: fits)
                        #expect(fast?.0 == scan?.0 && fast?.1 == scan?.1, "x \(x) y \(y) capacity \(capacity) integral \(integral)")
                    }
                }
            }
        }
    }

    @Test func batchEqualsTheScan() {
        for total in Array(1...300) + [512, 720, 1000, 1024, 5040, 7919] {
            for capacity in [0.5, 1, 2, 5, 17, 64, 100, 1000] {
                let fits = { (b: Double) in 3 * b <= capacity }
                #expect(TileSearch.batch(Double(total), fits: fits) == Self.scanBatch(Double(total), fits: fits),
                        "total \(total) capacity \(capacity)")
            }
        }
    }

    @Test func growEqualsTheScan() {
        for unit in [1.0, 16, 64] {
            for cap in stride(from: 1.0, through: 2000, by: 37) {
                for capacity in [1.0, 100, 1000, 10_000, 100_000] {
                    let fits = { (c: Double) in 5 * c <= capacity }
                    #expect(TileSearch.grow(unit, cap: cap, fits: fits) == Self.scanGrow(unit, cap: cap, fits: fits))
                }
            }
        }
    }

    /// Batches of 10^9 and the largest prime below 2^53: the largest fitting divisor, at once.
    @Test func hugeBatchesAreClosedForm() {
        #expect(TileSearch.batch(1_000_000_000, fits: { $0 <= 1000 }) == 1000)
        #expect(TileSearch.batch(1_000_000_000, fits: { $0 <= 999 }) == 800)
        #expect(TileSearch.batch(9_007_199_254_740_881, fits: { $0 <= 1e6 }) == 1)   // 2^53 − 111, prime
        #expect(Divisors.of(1 << 40).count == 41)
        #expect(Divisors.of(735_134_400).count == 1344)   // a highly composite number
        let tile = TileSearch.spatial(0x1p30, 0x1p30, integral: false, fits: { $0 * $1 <= 1e6 })
        // ⌈2^30 / i⌉ ≤ 1000 first at i = 1 073 742.
        #expect(tile?.0 == 1000 && tile?.1 == 1000)
    }
}
