/// One layer as SCALE-Sim describes it: an ifmap `H×W×C`, `M` filters of `R×S`, a stride, no
/// padding. A GEMM `M×K · K×N` is the layer with ifmap `M×K`, filter `1×K`, `C = 1`, `N` filters.
public struct ScaleSimLayer: Sendable, Hashable {
    public var name: String
    public var ifmapHeight: Int
    public var ifmapWidth: Int
    public var filterHeight: Int
    public var filterWidth: Int
    public var channels: Int
    public var filters: Int
    public var strideHeight: Int
    public var strideWidth: Int

    public init(name: String, ifmapHeight: Int, ifmapWidth: Int, filterHeight: Int, filterWidth: Int, channels: Int,
                filters: Int, strideHeight: Int, strideWidth: Int) {
        self.name = name
        self.ifmapHeight = ifmapHeight
        self.ifmapWidth = ifmapWidth
        self.filterHeight = filterHeight
        self.filterWidth = filterWidth
        self.channels = channels
        self.filters = filters
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
    }

    /// A GEMM row `M, N, K`: `M×K` times `K×N`.
    public static func gemm(name: String, m: Int, n: Int, k: Int) -> ScaleSimLayer {
        ScaleSimLayer(name: name, ifmapHeight: m, ifmapWidth: k, filterHeight: 1, filterWidth: k, channels: 1, filters: n,
                      strideHeight: 1, strideWidth: 1)
    }

    /// `E = Eh·Ew` output pixels, `Eh = ⌈(H − R + s)/s⌉` as SCALE-Sim computes it: one more than a
    /// convolution's `⌊(H − R)/s⌋ + 1` when `H − R` is not a multiple of `s`, the last window then
    /// overhanging the ifmap (its missing pixels are still counted as SRAM reads).
    var outputPixels: Double {
        Double(Self.outputs(ifmapHeight, filterHeight, strideHeight)) * Double(Self.outputs(ifmapWidth, filterWidth, strideWidth))
    }

    /// SCALE-Sim's `⌈(size − filter + stride)/stride⌉` along one side, 0 when the filter is larger.
    static func outputs(_ size: Int, _ filter: Int, _ stride: Int) -> Int {
        let span = size - filter + stride
        return span <= 0 ? 0 : (span + stride - 1) / stride
    }

    /// `K = R·S·C`, the window.
    var window: Double { Double(filterHeight) * Double(filterWidth) * Double(channels) }

    /// The ifmap pixels some window touches, per channel: all of them unless the stride skips
    /// rows; an overhanging last window touches only the pixels that exist (none when it starts
    /// past the ifmap, as SCALE-Sim's output count allows with a stride larger than the filter).
    var touchedIfmapElements: Double {
        func touched(_ size: Int, _ filter: Int, _ stride: Int) -> Int {
            let outputs = Self.outputs(size, filter, stride)
            guard outputs > 0 else { return 0 }
            let lastStart = (outputs - 1) * stride
            return stride >= filter ? (outputs - 1) * filter + max(0, min(filter, size - lastStart)) : min(size, lastStart + filter)
        }
        return Double(touched(ifmapHeight, filterHeight, strideHeight)) * Double(touched(ifmapWidth, filterWidth, strideWidth))
            * Double(channels)
    }
}

/// SCALE-Sim v2's per-layer results in its own conventions (README, "SCALE-Sim compatibility"):
/// compute cycles, utilizations and SRAM and DRAM accesses in words, from closed forms.
public struct ScaleSimLayerReport: Sendable, Hashable {
    public var totalCycles: Double
    public var stallCycles: Double
    public var overallUtilizationPercent: Double
    public var mappingEfficiencyPercent: Double
    public var computeUtilizationPercent: Double
    public var sramIfmapReads: Double
    public var sramFilterReads: Double
    public var sramOfmapWrites: Double
    public var dramIfmapReads: Double
    public var dramFilterReads: Double
    public var dramOfmapWrites: Double
    /// Whether `dramIfmapReads` equals SCALE-Sim's count or estimates it (`ScaleSimDRAM.ifmapReads`).
    public var dramIfmapAccuracy: ScaleSimAccuracy
    /// Whether `dramOfmapWrites` equals SCALE-Sim's count (always, unless the array is at least
    /// half the ofmap buffer wide).
    public var dramOfmapAccuracy: ScaleSimAccuracy
    /// The start and stop cycles of each buffer's accesses (`ScaleSimWindowModel`), with the
    /// accuracy of the ifmap and ofmap DRAM windows; the DRAM bandwidths divide each count by its
    /// window (`ScaleSimWindow.bandwidth`).
    public var windows: ScaleSimWindows
}

/// SCALE-Sim v2's compute model, in closed form. With `Sr × Sc` the operand matrix the array folds
/// (`E×M` for OS, `K×M` for WS, `K×E` for IS), `T` the streamed dimension (`K`, `E`, `M`), and
/// `Fr = ⌈Sr/Ra⌉`, `Fc = ⌈Sc/Ca⌉` folds of an `Ra×Ca` array:
/// - total cycles `Fr·Fc·(T + Ra + Ca − 2) − 1` (OS) or `Fr·Fc·(T + 2Ra + Ca − 2) − 1` (WS, IS): the
///   index of the last demand row, one short of the count (SCALE-Sim issue #125);
/// - mapping efficiency `100·Sr·Sc/(Fr·Fc·Ra·Ca)`; compute utilization `MapEff·T/c` with the per-fold
///   `c = T + Ra + Ca − 2` (OS) or `T + 2Ra + 2Ca − 3` (WS, IS); overall `100·E·M·K/(cycles·Ra·Ca)`;
/// - SRAM reads: ifmap `Fc·E·K` (OS, WS) or `E·K` (IS); filter `Fr·K·M` (OS), `K·M` (WS), `Fc·K·M`
///   (IS); ofmap writes `E·M + Fr·Fc·(Ra + Ca)` (OS: SCALE-Sim adds `Ra + Ca` per fold) or `Fr·E·M`;
/// - DRAM reads and writes in its CALC mode (`ScaleSimDRAM`, which states each formula). Per column:
///   - filter reads: exact in every dataflow and size;
///   - ofmap writes: exact (`E·M` or `Fr·E·M` written, plus `W − 1` pads once when the array width
///     `W` divides half the buffer), except when `W` is at least half the ofmap buffer: then the
///     writes without pads, an estimate;
///   - ifmap reads: exact when the touched words fit the buffer's `C = 50·⌊1024·kB/100⌋`, when no
///     windows overlap, and in ws when every row fold reads at least `C` words with
///     `2·Ra ≤ Cin`; otherwise an estimate (median error 5.5 %, worst +64 % / −78 % over 544
///     SCALE-Sim runs). E.g. 56×56×64, 3×3, 64 filters, ws, 32×32, 64 kB: 3,359,232 ifmap reads
///     and 3,359,263 ofmap writes, both exact.
/// Stalls are 0 (its CALC mode).
public enum ScaleSimModel {
    public static func evaluate(_ layer: ScaleSimLayer, rows: Int, columns: Int, dataflow: Dataflow,
                                sram: ScaleSimSRAMSizes) -> ScaleSimLayerReport {
        let e = layer.outputPixels, k = layer.window, m = Double(layer.filters)
        let ra = Double(rows), ca = Double(columns)
        let (sr, sc, t): (Double, Double, Double) = switch dataflow {
        case .outputStationary: (e, m, k)
        case .weightStationary: (k, m, e)
        case .inputStationary: (k, e, m)
        }
        let fr = (sr / ra).rounded(.up), fc = (sc / ca).rounded(.up)
        let perFold = dataflow == .outputStationary ? t + ra + ca - 2 : t + 2 * ra + ca - 2
        let cycles = fr * fc * perFold - 1
        let utilizationFold = dataflow == .outputStationary ? t + ra + ca - 2 : t + 2 * ra + 2 * ca - 3
        let mapping = fr * fc > 0 ? 100 * sr * sc / (fr * fc * ra * ca) : 0
        let ofmapWrites = dataflow == .outputStationary ? e * m + fr * fc * (ra + ca) : fr * e * m
        let filterReads: Double = switch dataflow {
        case .outputStationary: fr * k * m
        case .weightStationary: k * m
        case .inputStationary: fc * k * m
        }
        let ifmapDRAM = ScaleSimDRAM.ifmapReads(layer, rows: ra, columnFolds: fc, dataflow: dataflow,
                                                capacity: ScaleSimDRAM.capacity(kilobytes: sram.ifmapKilobytes))
        let ofmapDRAM = ScaleSimDRAM.ofmapWrites(dataflow == .outputStationary ? e * m : fr * e * m, columns: ca,
                                                 kilobytes: sram.ofmapKilobytes)
        let sramIfmapReads = dataflow == .inputStationary ? e * k : fc * e * k
        let dramFilterReads = ScaleSimDRAM.filterReads(window: k, filters: m, rowFolds: fr, columnFolds: fc, columns: ca,
                                                       dataflow: dataflow,
                                                       capacity: ScaleSimDRAM.capacity(kilobytes: sram.filterKilobytes))
        let windows = ScaleSimWindowModel.evaluate(layer, rows: rows, columns: columns, dataflow: dataflow, sram: sram,
                                                   dramIfmapReads: ifmapDRAM.0, dramIfmapAccuracy: ifmapDRAM.1,
                                                   dramFilterReads: dramFilterReads, sramIfmapReads: sramIfmapReads)
        return ScaleSimLayerReport(
            totalCycles: cycles, stallCycles: 0,
            overallUtilizationPercent: cycles > 0 ? 100 * e * m * k / (cycles * ra * ca) : 0,
            mappingEfficiencyPercent: mapping,
            computeUtilizationPercent: utilizationFold > 0 ? mapping * t / utilizationFold : 0,
            sramIfmapReads: sramIfmapReads,
            sramFilterReads: filterReads,
            sramOfmapWrites: ofmapWrites,
            dramIfmapReads: ifmapDRAM.0,
            dramFilterReads: dramFilterReads,
            dramOfmapWrites: ofmapDRAM.0, dramIfmapAccuracy: ifmapDRAM.1, dramOfmapAccuracy: ofmapDRAM.1, windows: windows)
    }
}
