/// The first and last cycle SCALE-Sim reports for one buffer's accesses
/// (DETAILED_ACCESS_REPORT.csv's Start Cycle and Stop Cycle columns).
public struct ScaleSimWindow: Sendable, Hashable {
    public var start: Double
    public var stop: Double

    public init(start: Double, stop: Double) {
        self.start = start
        self.stop = stop
    }

    /// SCALE-Sim's average bandwidth over the window: `accesses / (stop − start + 1)`, 0 for an
    /// empty window.
    public func bandwidth(_ accesses: Double) -> Double {
        let cycles = stop - start + 1
        return cycles > 0 ? accesses / cycles : 0
    }
}

/// The six windows of one layer, and whether the two DRAM windows that can be estimates are exact
/// (the SRAM windows and the filter DRAM window always are).
public struct ScaleSimWindows: Sendable, Hashable {
    public var sramIfmap, sramFilter, sramOfmap, dramIfmap, dramFilter, dramOfmap: ScaleSimWindow
    public var dramIfmapAccuracy: ScaleSimAccuracy
    public var dramOfmapAccuracy: ScaleSimAccuracy
}

/// SCALE-Sim v2's start and stop cycles in closed form, from the same demand matrices its compute
/// modules build (reverse-engineered from `compute/systolic_compute_{os,ws,is}.py`,
/// `memory/double_buffered_scratchpad_mem.py`, `read_buffer_estimate_bw.py` and `write_buffer.py`,
/// checked against its 2,034 runs in `Tests/Fixtures/scalesim/scalesim-windows.csv`).
///
/// Demand rows: `Fr·Fc` folds of `f` rows each (`ScaleSimModel`'s per-fold cycles), column folds
/// outer, row folds inner; fold `(c, r)` starts at row `(c·Fr + r)·f`. Within a fold, with `nr`,
/// `nc` the fold's rows and columns of the folded operand:
/// - os: ifmap `(k, p)` at row `k + p` (`k < K`, `p < nr` pixels), filter `(k, c)` at `k + c`, ofmap
///   `(p, c)` at `K − 1 + Ra − 1 − p + c`;
/// - ws: ifmap `(p, k)` at `Ra + p + k` (`p < E`, `k < nr`), filter `(k, c)` at `Ra − 1 − k`, ofmap
///   `(p, c)` at `2Ra − 1 + p + c`;
/// - is: ifmap `(k, p)` at `Ra − 1 − k` (`k < nr`, `p < nc`), filter `(m, k)` at `Ra + m + k`,
///   ofmap `(m, c)` at `2Ra − 1 + m + c`.
/// An ifmap entry is empty (−1) where its window overhangs the ifmap (`ScaleSimLayer.outputPixels`).
///
/// Windows:
/// - SRAM: first and last row with a non-empty entry, plus the read buffers' hit latency 1 for
///   ifmap and filter (the ofmap's write cycle is its row). Exact.
/// - DRAM reads (ifmap, filter), a buffer of `S = ⌊1024·B/100⌋`-word sets emptying after
///   `C = 50·S` misses (`ScaleSimDRAM`), `R` its reads: if `R ≥ C` it emptied; start `f − 5S`
///   (`f` the first row with a request: its first prefetch of `50·S` words at 10 words a cycle
///   ends the cycle before), stop `t + 1` with `t` the row of the miss that last emptied it, miss
///   number `⌊R/C⌋·C`; if `R < C` start `−⌈⌈R/S⌉·S/10⌉` and stop −1 (one prefetch before cycle 0).
/// - DRAM ofmap writes (`ScaleSimDRAM.ofmapWrites`: `N` words, drains of `L = ⌈D/W⌉` lines of
///   `W`, `D = ⌊1024·B/2⌋`): start the row of word `D + 1` (the first drain), or the last row
///   `rows − 1` when `N ≤ D`; stop `rows − 2 + P`, `P` the lines of the final drain:
///   `W | D`: `k = ⌊(N − 1)/D⌋` drains before it, `P = 1 + ⌈(N − k·D − 1)/W⌉` if `k ≥ 1` else
///   `⌈N/W⌉`; otherwise `k = ⌊N/(D + 1)⌋`, `P = ⌈(N − k·(D + 1))/W⌉`, and when `P = 0` the stop is
///   the row of word `k·(D + 1)` plus `L − 1`. Exact for `W < D`, as the count.
enum ScaleSimWindowModel {
    /// One fold's entries of an operand: `count` of them, in SCALE-Sim's order (row by row, column
    /// ascending), over rows `offset + a + b` (`skewed`: `a < first`, `b < second`) or
    /// `offset + a` (`a < first` rows of `second` entries).
    struct FoldShape {
        var first, second, offset: Double
        var skewed: Bool
        var count: Double { first * second }

        /// `#{(a, b) : a < x, b < y, a + b ≤ d}` in closed form: `T(d+1) − T(d+1−x) − T(d+1−y) +
        /// T(d+1−x−y)` with `T(n) = n(n+1)/2` for `n > 0`, else 0.
        static func skewedCount(_ x: Double, _ y: Double, through d: Double) -> Double {
            func t(_ n: Double) -> Double { n > 0 ? n * (n + 1) / 2 : 0 }
            guard d >= 0 else { return 0 }
            return t(d + 1) - t(d + 1 - x) - t(d + 1 - y) + t(d + 1 - x - y)
        }

        /// The row of the `w`-th entry (1-based): for a skewed fold the least `d` with
        /// `skewedCount(d) ≥ w`, by bisection (at most 64 steps, whatever the sizes).
        func row(of w: Double) -> Double {
            guard skewed else { return offset + ((w - 1) / second).rounded(.down) }
            var low = 0.0, high = max(0, first + second - 2)
            // Bounded: past 2^53 doubles stop resolving single rows, so the loop also stops
            // after 128 halvings (the answer is then within a row or two).
            var steps = 0
            while low < high && steps < 128 {
                steps += 1
                let middle = ((low + high) / 2).rounded(.down)
                if Self.skewedCount(first, second, through: middle) >= w { high = middle } else { low = middle + 1 }
            }
            return offset + low
        }
    }

    enum Operand { case ifmap, filter, ofmap }

    /// The folded problem: dataflow, array, sizes and folds as in `ScaleSimModel`.
    struct Folding {
        var dataflow: Dataflow
        var ra, ca, e, k, m, sr, sc, fr, fc, perFold: Double

        init(_ layer: ScaleSimLayer, rows: Int, columns: Int, dataflow: Dataflow) {
            self.dataflow = dataflow
            ra = Double(rows); ca = Double(columns)
            e = layer.outputPixels; k = layer.window; m = Double(layer.filters)
            (sr, sc) = switch dataflow {
            case .outputStationary: (e, m)
            case .weightStationary: (k, m)
            case .inputStationary: (k, e)
            }
            let t = dataflow == .outputStationary ? k : dataflow == .weightStationary ? e : m
            fr = (sr / ra).rounded(.up); fc = (sc / ca).rounded(.up)
            perFold = dataflow == .outputStationary ? t + ra + ca - 2 : t + 2 * ra + ca - 2
        }

        var rows: Double { fr * fc * perFold }
        /// `nr` of row fold `r`, `nc` of column fold `c`.
        func foldRows(_ r: Double) -> Double { min(ra, sr - r * ra) }
        func foldColumns(_ c: Double) -> Double { min(ca, sc - c * ca) }
        func base(_ c: Double, _ r: Double) -> Double { (c * fr + r) * perFold }

        /// The shape of an operand's entries in fold `(c, r)`, rows relative to the fold.
        func shape(_ operand: Operand, _ c: Double, _ r: Double) -> FoldShape {
            let nr = foldRows(r), nc = foldColumns(c)
            switch (dataflow, operand) {
            case (.outputStationary, .ifmap): return FoldShape(first: k, second: nr, offset: 0, skewed: true)
            case (.outputStationary, .filter): return FoldShape(first: k, second: nc, offset: 0, skewed: true)
            case (.outputStationary, .ofmap): return FoldShape(first: nr, second: nc, offset: k - 1 + ra - nr, skewed: true)
            case (.weightStationary, .ifmap): return FoldShape(first: e, second: nr, offset: ra, skewed: true)
            case (.weightStationary, .filter): return FoldShape(first: nr, second: nc, offset: ra - nr, skewed: false)
            case (.weightStationary, .ofmap): return FoldShape(first: e, second: nc, offset: 2 * ra - 1, skewed: true)
            case (.inputStationary, .ifmap): return FoldShape(first: nr, second: nc, offset: ra - nr, skewed: false)
            case (.inputStationary, .filter): return FoldShape(first: m, second: nr, offset: ra, skewed: true)
            case (.inputStationary, .ofmap): return FoldShape(first: m, second: nc, offset: 2 * ra - 1, skewed: true)
            }
        }

        /// The demand row of an operand's `w`-th entry (1-based, every entry counted, empty or
        /// not): column fold `⌊(w−1)/Σc⌋`, then row fold, then `FoldShape.row`; O(1).
        func row(_ operand: Operand, entry w: Double) -> Double {
            let perColumnFold = (fr - 1) * shape(operand, 0, 0).count + shape(operand, 0, fr - 1).count
            let c = min(((w - 1) / perColumnFold).rounded(.down), fc - 1)
            let inColumnFold = w - c * perColumnFold
            let full = shape(operand, c, 0).count
            let r = min(((inColumnFold - 1) / full).rounded(.down), fr - 1)
            return base(c, r) + shape(operand, c, r).row(of: inColumnFold - r * full)
        }
    }

    /// The pixels of one overhang class (in the last output row or not, in the last output column
    /// or not) and its window's valid filter rows `0…rowLimit` and columns `0…columnLimit`; only
    /// classes with valid entries.
    struct PixelClass {
        var smallest, largest, rowLimit, columnLimit: Double
    }

    static func pixelClasses(_ layer: ScaleSimLayer) -> [PixelClass] {
        let g = ScaleSimDRAM.Geometry(layer), h = g.height, w = g.width
        var classes: [PixelClass] = []
        for lastRow in [true, false] where lastRow || h.outputs >= 2 {
            for lastColumn in [true, false] where lastColumn || w.outputs >= 2 {
                let rowLimit = lastRow ? min(h.filter, h.inside) - 1 : h.filter - 1
                let columnLimit = lastColumn ? min(w.filter, w.inside) - 1 : w.filter - 1
                guard rowLimit >= 0, columnLimit >= 0 else { continue }
                let (y0, y1) = lastRow ? (h.outputs - 1, h.outputs - 1) : (0, h.outputs - 2)
                let (x0, x1) = lastColumn ? (w.outputs - 1, w.outputs - 1) : (0, w.outputs - 2)
                classes.append(PixelClass(smallest: y0 * w.outputs + x0, largest: y1 * w.outputs + x1,
                                          rowLimit: rowLimit, columnLimit: columnLimit))
            }
        }
        return classes
    }

    /// Window offsets `k = (r·S + q)·Cin + channel` of one class: the largest valid one, the largest
    /// valid one `≤ x`, the least valid one `≥ x` (nil if none).
    struct Offsets {
        var filterWidth, channels: Double
        func largest(_ c: PixelClass) -> Double { (c.rowLimit * filterWidth + c.columnLimit) * channels + channels - 1 }
        func split(_ x: Double) -> (Double, Double) {
            ((x / (filterWidth * channels)).rounded(.down),
             (x.truncatingRemainder(dividingBy: filterWidth * channels) / channels).rounded(.down))
        }
        func atMost(_ x: Double, _ c: PixelClass) -> Double {
            let (r, q) = split(x)
            if r > c.rowLimit { return largest(c) }
            if q > c.columnLimit { return (r * filterWidth + c.columnLimit) * channels + channels - 1 }
            return x
        }
        func atLeast(_ x: Double, _ c: PixelClass) -> Double? {
            let (r, q) = split(x)
            if r > c.rowLimit { return nil }
            if q > c.columnLimit { return r + 1 <= c.rowLimit ? (r + 1) * filterWidth * channels : nil }
            return x
        }
    }

    /// SRAM windows. Filter and ofmap entries are never empty: start and stop are the extreme rows
    /// of the first and last folds. The ifmap's last non-empty row comes from the overhang classes:
    /// os the largest `p − p0 + k` over the last row fold holding a valid pixel; ws the largest
    /// `Ra + p + k − k0` over the last row fold holding a valid offset; is `Ra − 1 − (k − k0)` for
    /// the least valid offset `k` of that fold. Its first is row 0 (os), `Ra` (ws) or
    /// `Ra − 1 − k` for the largest valid `k < min(Ra, K)` of the first column fold's pixels (is).
    static func sram(_ layer: ScaleSimLayer, _ f: Folding) -> (ifmap: ScaleSimWindow, filter: ScaleSimWindow, ofmap: ScaleSimWindow) {
        let classes = pixelClasses(layer)
        let offsets = Offsets(filterWidth: Double(layer.filterWidth), channels: Double(layer.channels))
        let ra = f.ra, lastFold = f.base(f.fc - 1, f.fr - 1)
        let lastRows = f.foldRows(f.fr - 1), lastColumns = f.foldColumns(f.fc - 1)
        guard !classes.isEmpty, f.fr >= 1, f.fc >= 1 else {
            let empty = ScaleSimWindow(start: 0, stop: 0)
            return (empty, empty, empty)
        }
        let ifmap: ScaleSimWindow, filter: ScaleSimWindow, ofmap: ScaleSimWindow
        switch f.dataflow {
        case .outputStationary:
            let fold = ((classes.map(\.largest).max() ?? 0) / ra).rounded(.down), p0 = fold * ra
            let last = classes.filter { $0.largest >= p0 }.map { $0.largest - p0 + offsets.largest($0) }.max() ?? 0
            ifmap = ScaleSimWindow(start: 1, stop: f.base(f.fc - 1, fold) + last + 1)
            filter = ScaleSimWindow(start: 1, stop: lastFold + f.k + lastColumns - 1)
            ofmap = ScaleSimWindow(start: f.k - 1 + ra - min(ra, f.e), stop: lastFold + f.k + ra + lastColumns - 3)
        case .weightStationary:
            let fold = ((classes.map(offsets.largest).max() ?? 0) / ra).rounded(.down), k0 = fold * ra
            let last = classes.filter { offsets.largest($0) >= k0 }.map { $0.largest + offsets.largest($0) - k0 }.max() ?? 0
            ifmap = ScaleSimWindow(start: ra + 1, stop: f.base(f.fc - 1, fold) + ra + last + 1)
            filter = ScaleSimWindow(start: ra - min(ra, f.k) + 1, stop: lastFold + ra)
            ofmap = ScaleSimWindow(start: 2 * ra - 1, stop: lastFold + 2 * ra - 1 + f.e - 1 + lastColumns - 1)
        case .inputStationary:
            let firstColumns = min(f.ca, f.e), firstRows = min(ra, f.k)
            let first = classes.filter { $0.smallest <= firstColumns - 1 }.map { offsets.atMost(firstRows - 1, $0) }.max() ?? 0
            // The last column fold holding a valid pixel: with SCALE-Sim's output count the last
            // pixels' windows can lie wholly past the ifmap, leaving the last folds empty.
            let columnFold = min(f.fc - 1, ((classes.map(\.largest).max() ?? 0) / f.ca).rounded(.down))
            let present = classes.filter { $0.largest >= columnFold * f.ca }
            let fold = ((present.map(offsets.largest).max() ?? 0) / ra).rounded(.down), k0 = fold * ra
            let least = present.compactMap { offsets.atLeast(k0, $0) }.min() ?? k0
            ifmap = ScaleSimWindow(start: ra - 1 - first + 1, stop: f.base(columnFold, fold) + ra - 1 - (least - k0) + 1)
            filter = ScaleSimWindow(start: ra + 1, stop: lastFold + ra + f.m - 1 + lastRows - 1 + 1)
            ofmap = ScaleSimWindow(start: 2 * ra - 1, stop: lastFold + 2 * ra - 1 + f.m - 1 + lastColumns - 1)
        }
        return (ifmap, filter, ofmap)
    }

    /// A read buffer's DRAM window from its reads `R`, its first request row and, when it emptied,
    /// the stream entry (1-based) whose miss emptied it last.
    static func readWindow(reads: Double, kilobytes: Int, firstRow: Double, lastEmptying: (Double) -> Double) -> ScaleSimWindow {
        let set = ScaleSimDRAM.setWords(kilobytes: kilobytes), capacity = ScaleSimDRAM.capacity(kilobytes: kilobytes)
        guard reads >= capacity else {
            return ScaleSimWindow(start: -((reads / set).rounded(.up) * set / 10).rounded(.up), stop: -1)
        }
        return ScaleSimWindow(start: firstRow - 5 * set, stop: lastEmptying((reads / capacity).rounded(.down) * capacity) + 1)
    }

    /// The os filter stream entry of the last emptying, from `ScaleSimDRAM.filterReads`'s groups
    /// (`G` groups of `U = K·Ca` words, the last of `K·(M − (G−1)·Ca)`, each streamed `Fr` times):
    /// - `Fr = 1` or `U ≥ C`: every read before the last group a miss, and the last group empties
    ///   the set, if at all, on its first pass: entry `J = ⌊R/C⌋·C`, the miss's own number;
    /// - otherwise (`U < C`, `Fr > 1`) a group empties the set once, at its own entry `C − n`
    ///   (`n` misses since the last emptying): the last group if `n + last ≥ C`, else full group
    ///   `g = 1 + ⌊(G−2)/j⌋·j` (1-based, `j = ⌈C/U⌉ − 1`, `n = j·U` there), if `⌊(G−2)/j⌋ ≥ 1`.
    static func outputStationaryFilterEntry(_ f: Folding, reads: Double, capacity c: Double) -> Double? {
        let groups = f.fc, full = groups - 1, group = f.k * f.ca, last = f.k * (f.m - full * f.ca)
        guard reads >= c else { return nil }
        let lastEmptyingMiss = (reads / c).rounded(.down) * c
        if f.fr == 1 || group >= c { return lastEmptyingMiss }
        let period = (c / group).rounded(.up) - 1
        let refetches = full >= 1 ? ((full - 1) / period).rounded(.down) : 0
        let misses = (full - refetches * period) * group
        if misses + last >= c { return full * f.fr * group + c - misses }
        guard refetches >= 1 else { return nil }
        let emptyingGroup = refetches * period   // 0-based index of group 1 + refetches·j
        return emptyingGroup * f.fr * group + c - period * group
    }

    static func evaluate(_ layer: ScaleSimLayer, rows: Int, columns: Int, dataflow: Dataflow, sram sizes: ScaleSimSRAMSizes,
                         dramIfmapReads: Double, dramIfmapAccuracy: ScaleSimAccuracy, dramFilterReads: Double,
                         sramIfmapReads: Double) -> ScaleSimWindows {
        let f = Folding(layer, rows: rows, columns: columns, dataflow: dataflow)
        let s = sram(layer, f)
        guard f.rows > 0 else {
            let empty = ScaleSimWindow(start: 0, stop: 0)
            return ScaleSimWindows(sramIfmap: empty, sramFilter: empty, sramOfmap: empty, dramIfmap: empty, dramFilter: empty,
                                   dramOfmap: empty, dramIfmapAccuracy: .estimate, dramOfmapAccuracy: .estimate)
        }
        // Ifmap: exact when its count is and every read is a miss of a stream with no empty entry
        // (the exact regimes read each word once per pass, or every read misses), or it never empties.
        let g = ScaleSimDRAM.Geometry(layer)
        let overhangs = g.height.inside < g.height.filter || g.width.inside < g.width.filter
        let ifmapExact = dramIfmapAccuracy == .exact
            && (!overhangs || dramIfmapReads < ScaleSimDRAM.capacity(kilobytes: sizes.ifmapKilobytes))
        let ifmap = readWindow(reads: dramIfmapReads, kilobytes: sizes.ifmapKilobytes, firstRow: s.ifmap.start - 1) { miss in
            // Outside the exact regimes: the misses spread evenly over the stream's entries.
            let entry = ifmapExact ? miss : max(1, min(sramIfmapReads, (miss * sramIfmapReads / dramIfmapReads).rounded()))
            return f.row(.ifmap, entry: entry)
        }
        let filterCapacity = ScaleSimDRAM.capacity(kilobytes: sizes.filterKilobytes)
        let filter = readWindow(reads: dramFilterReads, kilobytes: sizes.filterKilobytes, firstRow: s.filter.start - 1) { miss in
            let entry = dataflow == .outputStationary
                ? outputStationaryFilterEntry(f, reads: dramFilterReads, capacity: filterCapacity) ?? miss : miss
            return f.row(.filter, entry: entry)
        }
        let (ofmap, ofmapAccuracy) = ofmapWindow(f, kilobytes: sizes.ofmapKilobytes)
        return ScaleSimWindows(sramIfmap: s.ifmap, sramFilter: s.filter, sramOfmap: s.ofmap, dramIfmap: ifmap, dramFilter: filter,
                               dramOfmap: ofmap, dramIfmapAccuracy: ifmapExact ? .exact : .estimate,
                               dramOfmapAccuracy: ofmapAccuracy)
    }

    /// The ofmap DRAM window (the type's documentation); for `W ≥ D` the same formulas, an estimate.
    static func ofmapWindow(_ f: Folding, kilobytes: Int) -> (ScaleSimWindow, ScaleSimAccuracy) {
        let d = ScaleSimDRAM.drainWords(kilobytes: kilobytes), w = f.ca
        let written = f.dataflow == .outputStationary ? f.e * f.m : f.fr * f.e * f.m
        let accuracy: ScaleSimAccuracy = w < d ? .exact : .estimate
        let lines = (d / w).rounded(.up)
        func row(_ word: Double) -> Double { f.row(.ofmap, entry: word) }
        let start = written >= d + 1 ? row(d + 1) : f.rows - 1
        let finalLines: Double
        if d.truncatingRemainder(dividingBy: w) == 0 {
            let drains = ((written - 1) / d).rounded(.down)
            finalLines = drains >= 1 ? 1 + ((written - drains * d - 1) / w).rounded(.up) : (written / w).rounded(.up)
        } else {
            let drains = (written / (d + 1)).rounded(.down)
            finalLines = ((written - drains * (d + 1)) / w).rounded(.up)
            if finalLines == 0 {
                return (ScaleSimWindow(start: start, stop: row(drains * (d + 1)) + lines - 1), accuracy)
            }
        }
        return (ScaleSimWindow(start: start, stop: f.rows - 2 + finalLines), accuracy)
    }
}
