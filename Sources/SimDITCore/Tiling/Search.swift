/// The tilers' search primitives (GENESYS-MODEL.md §3.0). Every fit test is "≤ capacity" in bits;
/// tile values are doubles holding integers.
enum TileSearch {
    /// SpatialSearch: tries `(X/i, Y/i)` for `i = 1, 2, …` and returns the first that fits. When
    /// `integral`, an `i` that does not divide both is skipped; otherwise the candidate is
    /// `(⌈X/i⌉, ⌈Y/i⌉)`. Nil when not even a 1×1 tile fits.
    @inline(__always)
    static func spatial(
        _ x: Double, _ y: Double, integral: Bool, fits: (Double, Double) -> Bool
    ) -> (Double, Double)? {
        let limit = Swift.max(x, y)
        var i = 1.0
        while i <= limit {
            let tx = x / i, ty = y / i
            if integral {
                if tx == tx.rounded(.towardZero), ty == ty.rounded(.towardZero), fits(tx, ty) {
                    return (tx, ty)
                }
            } else {
                let cx = ceil(tx), cy = ceil(ty)
                if fits(cx, cy) { return (cx, cy) }
            }
            i += 1
        }
        return nil
    }

    /// BatchSearch: tries `B/k` for `k = 1, 2, …`, skipping non-integers, and returns the first
    /// that fits. Nil when not even 1 fits.
    @inline(__always)
    static func batch(_ total: Double, fits: (Double) -> Bool) -> Double? {
        var k = 1.0
        while k <= total {
            let candidate = total / k
            if candidate == candidate.rounded(.towardZero), fits(candidate) { return candidate }
            k += 1
        }
        return nil
    }

    /// Grow: the largest multiple of `unit` that is `≤ cap` and fits, trying `unit·j` for
    /// `j = 2, 3, …` and stopping at the first failure. `unit` itself is taken as fitting; the
    /// result need not divide `cap` (quirk Q1).
    @inline(__always)
    static func grow(_ unit: Double, cap: Double, fits: (Double) -> Bool) -> Double {
        var accepted = unit
        var j = 2.0
        while true {
            let candidate = unit * j
            if candidate > cap || !fits(candidate) { return accepted }
            accepted = candidate
            j += 1
        }
    }
}
