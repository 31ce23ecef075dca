/// The SRAM sizes of a SCALE-Sim v2 configuration (`IfmapSramSzkB`, `FilterSramSzkB`,
/// `OfmapSramSzkB`), in its kB of 1,024 one-byte words.
public struct ScaleSimSRAMSizes: Sendable, Hashable {
    public var ifmapKilobytes: Int
    public var filterKilobytes: Int
    public var ofmapKilobytes: Int

    public init(ifmapKilobytes: Int, filterKilobytes: Int, ofmapKilobytes: Int) {
        self.ifmapKilobytes = ifmapKilobytes
        self.filterKilobytes = filterKilobytes
        self.ofmapKilobytes = ofmapKilobytes
    }

    /// The same size for all three buffers.
    public init(kilobytes: Int) {
        self.init(ifmapKilobytes: kilobytes, filterKilobytes: kilobytes, ofmapKilobytes: kilobytes)
    }
}

/// Whether a column equals SCALE-Sim's count or estimates it (README, "SCALE-Sim compatibility").
public enum ScaleSimAccuracy: Sendable, Hashable {
    /// Equal to SCALE-Sim 2.0.2's count (a closed form verified against its runs).
    case exact
    /// An estimate of a count that depends on SCALE-Sim's trace; off by up to the README's bound.
    case estimate
}

/// SCALE-Sim v2's DRAM accounting in its CALC bandwidth mode, in closed form (reverse-engineered
/// from its `read_buffer_estimate_bw.py` and `write_buffer.py` and checked against 2,034 layer runs of
/// scalesim 2.0.2: arrays 8×8 to 64×64 and 16×48, 1 to 2,048 kB, every dataflow).
///
/// A buffer of `B` kB holds `Tw = 1024·B` one-byte words.
/// - Read buffers (ifmap, filter) keep a set of `C = 50·⌊Tw/100⌋` words: a word not in the set is a
///   DRAM read and joins it; the set empties when it reaches `C` words. DRAM reads are the misses
///   of the SRAM demand stream under that policy.
/// - The ofmap buffer writes lines of `W` (the array width) words in drains of `⌈D/W⌉` lines,
///   `D = ⌊Tw/2⌋`; a partial line pads to `W` once when `W` divides `D`.
enum ScaleSimDRAM {
    /// `S = ⌊1024·B/100⌋`, the words of one of a read buffer's 100 sets (`B` kB).
    static func setWords(kilobytes: Int) -> Double {
        (1024 * Double(kilobytes) / 100).rounded(.down)
    }

    /// `C = 50·S`, the words a read buffer of `B` kB holds before it empties.
    static func capacity(kilobytes: Int) -> Double {
        50 * setWords(kilobytes: kilobytes)
    }

    /// `D = ⌊1024·B/2⌋`, the ofmap buffer's half that triggers a drain (`B` kB).
    static func drainWords(kilobytes: Int) -> Double {
        (1024 * Double(kilobytes) / 2).rounded(.down)
    }

    /// DRAM filter reads (exact). Filter words never alias, so with `C` the capacity:
    /// - ws: `K·M`, every weight streamed once;
    /// - is: `K·M` if `K·M < C`, else `Fc·K·M` (the `Fc` column folds each stream all weights);
    /// - os: the `G = ⌈M/Ca⌉` filter groups of `U = K·Ca` words (the last `K·(M − (G−1)·Ca)`), each
    ///   replayed `Fr` times, with `n` the misses since the set last emptied: a group costs `Fr·U` if
    ///   `U ≥ C`, `U` if `n + U < C` or `Fr = 1`, else `U + C − n` (its first `C − n` words are
    ///   fetched again). Equal groups repeat with period `j = ⌈C/U⌉ − 1`, so the `G − 1` full
    ///   groups sum in closed form: `(G−1)·U + r·(C − j·U)` with `r = ⌊(G−2)/j⌋` refetches.
    static func filterReads(window k: Double, filters m: Double, rowFolds fr: Double, columnFolds fc: Double, columns ca: Double,
                            dataflow: Dataflow, capacity c: Double) -> Double {
        switch dataflow {
        case .weightStationary:
            return k * m
        case .inputStationary:
            return k * m < c ? k * m : fc * k * m
        case .outputStationary:
            let groups = (m / ca).rounded(.up)
            guard groups >= 1 else { return 0 }
            let full = groups - 1, group = k * ca, last = k * (m - full * ca)
            var total: Double, misses: Double
            if fr == 1 || group >= c {
                let perGroup = fr == 1 ? group : fr * group
                total = full * perGroup
                misses = total.truncatingRemainder(dividingBy: c)
            } else {
                let period = (c / group).rounded(.up) - 1
                let refetches = full >= 1 ? ((full - 1) / period).rounded(.down) : 0
                total = full * group + refetches * (c - period * group)
                misses = (full - refetches * period) * group
            }
            if last >= c { return total + fr * last }
            if misses + last < c || fr == 1 { return total + last }
            return total + last + c - misses
        }
    }

    /// DRAM ofmap writes: `N + (W − 1)·[W divides D and N ≥ D + 2]` with `N` the ofmap SRAM writes
    /// that hold a value (`E·M` for os, `Fr·E·M` for ws and is), `W` the array width and
    /// `D = ⌊1024·B/2⌋`: the first drain leaves a one-word line behind that is later written
    /// padded to `W`. Exact when `W < D`; for `W ≥ D` (a buffer narrower than two array rows) it
    /// returns `N`, an estimate.
    static func ofmapWrites(_ written: Double, columns w: Double, kilobytes: Int) -> (Double, ScaleSimAccuracy) {
        let d = drainWords(kilobytes: kilobytes)
        guard w < d else { return (written, .estimate) }
        let pads = d.truncatingRemainder(dividingBy: w) == 0 && written >= d + 2
        return (written + (pads ? w - 1 : 0), .exact)
    }

    /// DRAM ifmap reads. With `U` the ifmap words some window touches, `V` the window reads that
    /// fall inside the ifmap (`V ≥ U`, equal when no windows overlap), `P` the passes over the
    /// ifmap (`Fc` for os and ws, which stream it once per filter fold; 1 for is) and `C` the
    /// capacity, exact in three regimes:
    /// - `U < C`: `U` (the set never empties);
    /// - `V = U` (1×1 convolutions, strides ≥ the filter): `P·U`, no word reused within a pass;
    /// - ws with `2·Ra ≤ Cin` and every row fold reading at least `C` words (the smallest is the
    ///   last, `(K − (Fr−1)·Ra)·vh·vw` with `vh`, `vw` the outputs whose last filter row, column
    ///   fits): `Fc·V`, every read a miss.
    /// Otherwise an estimate (`estimatedIfmapReads`, rounded to whole words).
    static func ifmapReads(_ layer: ScaleSimLayer, rows ra: Double, columnFolds fc: Double, dataflow: Dataflow,
                           capacity c: Double) -> (Double, ScaleSimAccuracy) {
        let geometry = Geometry(layer)
        let u = layer.touchedIfmapElements, v = geometry.validReads(channels: Double(layer.channels))
        let passes = dataflow == .inputStationary ? 1 : fc
        if u < c { return (u, .exact) }
        if v == u { return (passes * u, .exact) }
        let k = layer.window, rowFolds = (k / ra).rounded(.up)
        if dataflow == .weightStationary && 2 * ra <= Double(layer.channels) {
            let lastFold = k - (rowFolds - 1) * ra
            if lastFold * geometry.height.validAt(Double(layer.filterHeight - 1))
                * geometry.width.validAt(Double(layer.filterWidth - 1)) >= c {
                return (fc * v, .exact)
            }
        }
        return (estimatedIfmapReads(layer, geometry, rows: ra, passes: passes, dataflow: dataflow, capacity: c).rounded(), .estimate)
    }

    /// One side of the ifmap (height or width) under its filter side and stride.
    struct Side {
        /// Ifmap size `n`, filter size `f`, stride `s`, outputs `e = ⌈(n − f)/s⌉ + 1`.
        var size, filter, stride, outputs: Double
        /// `ρ = max(0, n − (e − 1)·s)`: filter offsets `r < ρ` are inside the ifmap for all `e`
        /// outputs, the others for `e − 1` (the overhanging last window). SCALE-Sim's
        /// `e = ⌈(n − f + s)/s⌉` can place the last window wholly past the ifmap (a stride larger
        /// than the filter: `n = 10, f = 1, s = 8` gives windows at 0, 8 and 16), and then `ρ = 0`.
        var inside: Double { max(0, size - (outputs - 1) * stride) }

        /// Outputs whose filter offset `r` falls inside the ifmap: `e` if `r < ρ`, else `e − 1`.
        func validAt(_ r: Double) -> Double { r < inside ? outputs : outputs - 1 }
        /// `Σ_{r<x} validAt(r) = x·e − max(0, x − ρ)`.
        func validBefore(_ x: Double) -> Double { x * outputs - max(0, x - inside) }
        /// Ifmap positions `{o·s + r : o < e, lo ≤ r ≤ hi} ∩ [0, n)`: the union of the grids of
        /// offsets `lo…hi`, `min(n − lo, (e − 1)·s + w)` when they overlap (`s ≤ w = hi − lo + 1`),
        /// else `e − 1` runs of `w` and a last clipped one.
        func covered(_ lo: Double, _ hi: Double) -> Double {
            guard outputs > 0 else { return 0 }
            let w = hi - lo + 1
            if stride <= w { return min(size - lo, (outputs - 1) * stride + w) }
            return (outputs - 1) * w + max(0, min(w, size - (outputs - 1) * stride - lo))
        }
        /// The positions `n` consecutive outputs (any real `n ≥ 0`) touch with offsets `lo…hi`:
        /// `covered(lo, hi)` for all outputs, else `min(n − lo, (n − 1)·s + w)` when the grids overlap
        /// and `n·w` when they do not (the image edge ignored).
        func covered(outputs n: Double, _ lo: Double, _ hi: Double) -> Double {
            guard n > 0 else { return 0 }
            if n >= outputs { return covered(lo, hi) }
            let w = hi - lo + 1
            return stride <= w ? min(size - lo, (n - 1) * stride + w) : n * w
        }
    }

    struct Geometry {
        var height: Side, width: Side
        init(_ layer: ScaleSimLayer) {
            height = Side(size: Double(layer.ifmapHeight), filter: Double(layer.filterHeight), stride: Double(layer.strideHeight),
                          outputs: Double(ScaleSimLayer.outputs(layer.ifmapHeight, layer.filterHeight, layer.strideHeight)))
            width = Side(size: Double(layer.ifmapWidth), filter: Double(layer.filterWidth), stride: Double(layer.strideWidth),
                         outputs: Double(ScaleSimLayer.outputs(layer.ifmapWidth, layer.filterWidth, layer.strideWidth)))
        }
        /// `V = Vh·Vw·Cin`, the window reads inside the ifmap, `Vh = Σ_r validAt(r)` over the filter.
        func validReads(channels: Double) -> Double {
            height.validBefore(height.filter) * width.validBefore(width.filter) * channels
        }

        /// The distinct ifmap words read by the first `pixels` output pixels (raster order, any real
        /// count) at window offsets `k0 ..< k1` (`k = (r·S + q)·Cin + c`). The offsets split into at
        /// most three classes of channels sharing the filter positions `j0…j1` (`j = r·S + q`), taken
        /// as filter rows `r0…r1` by columns `q0…q1` (all `S` columns when they span rows); a class of
        /// `n` channels touches `n × rows × columns`, rows and columns from `Side.covered(outputs:)`
        /// over `pixels/Ew` output rows by all `Ew` columns (or one row by `pixels` columns).
        func distinctWords(pixels: Double, offsets k0: Double, _ k1: Double, channels: Double) -> Double {
            guard pixels > 0, k1 > k0 else { return 0 }
            let columns = width.outputs
            let b0 = k0.truncatingRemainder(dividingBy: channels), b1 = k1.truncatingRemainder(dividingBy: channels)
            let cuts = Set([0, b0, b1, channels]).sorted()
            var total = 0.0
            for (first, next) in zip(cuts, cuts.dropFirst()) {
                let count = next - first
                let j0 = ((k0 - first) / channels).rounded(.up), j1 = ((k1 - 1 - first) / channels).rounded(.down)
                guard count > 0, j1 >= j0 else { continue }
                let s = width.filter
                let r0 = (j0 / s).rounded(.down), r1 = (j1 / s).rounded(.down)
                let (q0, q1) = r0 == r1 ? (j0 - r0 * s, j1 - r1 * s) : (0, s - 1)
                let area = pixels >= columns
                    ? height.covered(outputs: pixels / columns, r0, r1) * width.covered(q0, q1)
                    : height.covered(outputs: 1, r0, r1) * width.covered(outputs: pixels, q0, q1)
                total += area * count
            }
            return total
        }
    }

    /// At most this many ws row folds are evaluated; beyond it an even sample is scaled up, so the
    /// work is bounded whatever the layer's size.
    static let sampledFolds = 4096
    /// At most this many ws row folds (or runs of them) are walked by `walkedPass`.
    static let walkedFolds = 1024

    /// The estimate outside the exact regimes: `P` passes, each costing `Σ u·μ` over its streams,
    /// capped by the reads `V`.
    /// - os, is: one stream per pass, raster over output pixels; `u = U`.
    /// - ws: one stream per row fold (its `Ra` window offsets over all pixels), per class of
    ///   channels sharing offsets `j0…j1` (`j = r·S + q`): `u` the rows × columns the offsets cover
    ///   (`Side.covered`) × channels; the next fold's reuse counted as misses; at least `U` per pass;
    ///   and at most `walkedPass`, which counts the reuse across folds.
    /// - `μ`, misses per distinct word, from a word's vertical reuse: it is read by `a + 1` output
    ///   rows (`a = Σ_r validAt(r)/rows covered − 1`), each reuse a stream progress of `g` words
    ///   apart (`g = sh·W·Cin` for os and is, `u/Eh` for a ws class); the set empties inside a gap
    ///   with probability `μ·g/C`, so `μ = 1 + a·min(1, μ·g/C)`: `1/(1 − a·g/C)` when
    ///   `(1 + a)·g/C ≤ 1`, else `1 + a`.
    /// Measured against 544 SCALE-Sim runs outside the exact regimes: median |error| 5.5 %, 90th
    /// percentile 34 %, worst +64 % and −78 % (1 kB buffers with 64-wide arrays in os and is, whose
    /// skewed streams this ignores); on 600 held-out synthetic layers checked against an exact
    /// trace replay: median 8.1 %, 90th percentile 52 %, worst +140 % / −82 %.
    static func estimatedIfmapReads(_ layer: ScaleSimLayer, _ geometry: Geometry, rows ra: Double, passes: Double,
                                    dataflow: Dataflow, capacity c: Double) -> Double {
        func misses(perWord a: Double, gap g: Double) -> Double {
            guard a > 0 else { return 1 }
            let b = g / c
            return b * (1 + a) <= 1 ? 1 / (1 - a * b) : 1 + a
        }
        let channels = Double(layer.channels), h = geometry.height, w = geometry.width
        let v = geometry.validReads(channels: channels), u = layer.touchedIfmapElements
        guard dataflow == .weightStationary else {
            let rowsTouched = h.covered(0, h.filter - 1)
            let a = rowsTouched > 0 ? h.validBefore(h.filter) / rowsTouched - 1 : 0
            let mu = misses(perWord: a, gap: h.stride * w.size * channels)
            return min(passes * u * mu, passes * v)
        }
        let k = layer.window, folds = (k / ra).rounded(.up)
        let evaluated = min(folds, Double(sampledFolds))
        let step = folds / evaluated
        func fold(_ index: Double) -> Double {
            let k0 = index * ra, k1 = min(k, k0 + ra)
            let b0 = k0.truncatingRemainder(dividingBy: channels), b1 = k1.truncatingRemainder(dividingBy: channels)
            let cuts = Set([0, b0, b1, channels]).sorted()
            var cost = 0.0
            for (first, next) in zip(cuts, cuts.dropFirst()) {
                let count = next - first
                let j0 = ((k0 - first) / channels).rounded(.up), j1 = ((k1 - 1 - first) / channels).rounded(.down)
                guard count > 0, j1 >= j0 else { continue }
                let s = w.filter
                let r0 = (j0 / s).rounded(.down), r1 = (j1 / s).rounded(.down)
                let (q0, q1) = r0 == r1 ? (j0 - r0 * s, j1 - r1 * s) : (0, s - 1)
                let rowsCovered = h.covered(r0, r1)
                let distinct = rowsCovered * w.covered(q0, q1) * count
                // Reads of offsets j0…j1: prefix sums of validAt(r)·validAt(q) in raster order.
                func before(_ j: Double) -> Double {
                    let r = (j / s).rounded(.down)
                    return h.validBefore(r) * w.validBefore(s) + h.validAt(r) * w.validBefore(j - r * s)
                }
                let reads = (before(j1 + 1) - before(j0)) * count
                let a = rowsCovered > 0 ? (h.validBefore(r1 + 1) - h.validBefore(r0)) / rowsCovered - 1 : 0
                let mu = misses(perWord: a, gap: h.outputs > 0 ? distinct / h.outputs : 0)
                cost += min(reads, distinct * mu)
            }
            return cost
        }
        var pass = 0.0
        if folds <= evaluated {
            var index = 0.0
            while index < folds { pass += fold(index); index += 1 }
        } else {
            // An even sample of the full folds, scaled; the partial last fold on its own.
            var sample = 0.0
            for i in 0..<sampledFolds - 1 { sample += fold((Double(i) * step).rounded(.down)) }
            pass = sample * (folds - 1) / Double(sampledFolds - 1) + fold(folds - 1)
        }
        return passes * min(max(u, pass), walkedPass(layer, geometry, rows: ra, capacity: c))
    }

    /// One ws pass (the `Fr` row folds, each reading all `E` pixels at its `Ra` offsets) walked fold
    /// by fold, so that reuse across folds counts (`estimatedIfmapReads` prices each fold alone).
    /// With `D(a…b)` the distinct words of folds `a…b` (`Geometry.distinctWords` over all pixels)
    /// and the current stretch between two emptyings started in fold `s` at pixel fraction `x`
    /// holding `n` words, fold `b` brings `ν = D(s+1…b) − D(s+1…b−1) − (1 − x)·o` new words, `o` its
    /// words shared with fold `s` only (inclusion–exclusion). If `n + ν < C` they join; else the
    /// set empties at the fraction `y` where `n + ν/D(b)·d(y) = C` (`d(y)` the words of the fold's
    /// first `y·E` pixels), then every `Δ` with `d(Δ) = C` (`⌊(1 − y)/Δ⌋` times, each `C` misses),
    /// and the rest `d(1 − y)` starts the next stretch. Returns the misses plus the last stretch.
    /// Fractions are found by bisection (32 halvings); beyond `walkedFolds` folds, runs of
    /// `⌈Fr/walkedFolds⌉` folds are walked as one.
    static func walkedPass(_ layer: ScaleSimLayer, _ geometry: Geometry, rows ra: Double, capacity c: Double) -> Double {
        let channels = Double(layer.channels), k = layer.window
        let pixels = geometry.height.outputs * geometry.width.outputs
        let folds = (k / ra).rounded(.up)
        let step = ra * (folds / Double(walkedFolds)).rounded(.up), count = (k / step).rounded(.up)
        guard count >= 1, pixels > 0 else { return 0 }
        /// Distinct words of folds `a…b` (none when `b < a`).
        func span(_ a: Double, _ b: Double) -> Double {
            b < a ? 0 : geometry.distinctWords(pixels: pixels, offsets: a * step, min(k, (b + 1) * step), channels: channels)
        }
        /// Distinct words of the first fraction `y` of fold `b`'s pixels.
        func prefix(_ b: Double, _ y: Double) -> Double {
            geometry.distinctWords(pixels: y * pixels, offsets: b * step, min(k, (b + 1) * step), channels: channels)
        }
        /// The least fraction in 0…1 where the increasing `f` reaches `target`.
        func solve(_ target: Double, _ f: (Double) -> Double) -> Double {
            var low = 0.0, high = 1.0
            for _ in 0..<32 {
                let middle = (low + high) / 2
                if f(middle) < target { low = middle } else { high = middle }
            }
            return high
        }
        var misses = 0.0, held = 0.0, start = 0.0, fraction = 0.0, fold = 0.0
        while fold < count {
            defer { fold += 1 }
            let own = span(fold, fold)
            guard own > 0 else { continue }
            var new = own
            if fold > start {
                let shared = span(start, fold - 1) + span(start + 1, fold) - span(start, fold) - span(start + 1, fold - 1)
                new = max(0, span(start + 1, fold) - span(start + 1, fold - 1) - (1 - fraction) * max(0, shared))
            }
            if held + new < c { held += new; continue }
            let scale = new / own, entered = held
            var y = solve(c) { entered + scale * prefix(fold, $0) }
            misses += c
            if own >= c {
                let stretch = solve(c) { prefix(fold, $0) }
                if stretch < 1 {
                    let repeats = ((1 - y) / stretch).rounded(.down)
                    misses += repeats * c
                    y += repeats * stretch
                }
            }
            start = fold
            fraction = y
            held = y < 1 ? prefix(fold, 1 - y) : 0
        }
        return misses + held
    }
}
