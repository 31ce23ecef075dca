/// The order in which the published model walks an op's DRAM tiles, which sets its stall pipeline
/// and DRAM volumes. It is not the array's dataflow (`Dataflow`), which places loops on the PEs.
enum TileLoopOrder: Sendable, Hashable {
    /// §4.4 and §5.1: a weight tile stays while every spatial and batch tile streams past it;
    /// partial sums go back to DRAM between input-channel and kernel tiles.
    case weightStationary
    /// §4.5 and §5.1: a GEMM at batch 1 keeps its output tile while the input-channel tiles stream.
    case outputStationary
}

/// The systolic-array cost model: compute and stall cycles (GENESYS-MODEL.md §4) and DRAM and SRAM
/// volumes (§5) of one convolution or GEMM, given its tile. All volumes in bits.
enum SystolicModel {
    /// §4.2 `C = cyc_tile + F_A`: one step per cycle, plus the array's fill and drain
    /// `(N − 1) + (M − 1)` once per DRAM tile. With the mapping's row loop `x_r`, column loop `x_c`
    /// and time loop `x_t` (MODEL-EXTENSIONS.md §12), `cyc_tile = kw·kh·⌈x_r/N⌉·⌈x_c/M⌉·x_t`; weight
    /// stationary gives the published `ow·oh·kw·kh·b·⌈ic/N⌉·⌈oc/M⌉`, which the RTL templates are
    /// verified against.
    /// The published mapping keeps the published product order, so its results stay bit for bit
    /// even where partial products pass 2^53.
    @inline(__always)
    static func tileCycles(_ t: SystolicTile, _ mapping: ArrayMapping, _ hw: DerivedHardware) -> Double {
        if mapping.time == .pixels {
            return t.outputWidth * t.outputHeight * t.kernelWidth * t.kernelHeight * t.batch
                * ceil(t.inputChannels / hw.rows) * ceil(t.outputChannels / hw.columns) + hw.systolicFill
        }
        return t.kernelWidth * t.kernelHeight * ceil(t.extent(mapping.rows) / hw.rows)
            * ceil(t.extent(mapping.columns) / hw.columns) * t.extent(mapping.time) + hw.systolicFill
    }

    /// How many times the array folds a loop of `extent` iterations: `⌈x/N⌉` on the rows, `⌈x/M⌉`
    /// on the columns, nil when the loop runs in time.
    @inline(__always)
    static func folds(_ loop: ArrayLoop, _ extent: Double, _ mapping: ArrayMapping, _ hw: DerivedHardware) -> Double? {
        if mapping.rows == loop { return ceil(extent / hw.rows) }
        if mapping.columns == loop { return ceil(extent / hw.columns) }
        return nil
    }

    /// Evaluates one op. `order` selects the stall pipeline and DRAM volumes (§4.4 or the batch-1
    /// GEMM's §4.5); `mapping` the compute steps and SRAM reuse; `fused` applies §4.6 (the output
    /// stays on chip for the next SIMD op).
    static func evaluate(
        _ d: SystolicDimensions, tile t: SystolicTile, order: TileLoopOrder, mapping: ArrayMapping, fused: Bool,
        _ hw: DerivedHardware
    ) -> Counts {
        let n = hw.rows, m = hw.columns
        let bwA = hw.activationBits, bwW = hw.weightBits, bwB = hw.biasBits, bwP = hw.accumulatorBits

        // §4.1 Tile counts: real ratios (quirk Q1), and their ceilings where the model uses them.
        let rOW = d.outputWidth / t.outputWidth, rOH = d.outputHeight / t.outputHeight
        let rB = d.batch / t.batch, rIC = d.inputChannels / t.inputChannels
        let rKW = d.kernelWidth / t.kernelWidth, rKH = d.kernelHeight / t.kernelHeight
        let rOC = d.outputChannels / t.outputChannels
        let cOW = ceil(rOW), cOH = ceil(rOH), cB = ceil(rB), cIC = ceil(rIC)
        let cKW = ceil(rKW), cKH = ceil(rKH), cOC = ceil(rOC)
        let tiles = rOW * rOH * rB * rIC * rKW * rKH * rOC  // T
        let weightStationaryTiles = rOW * rOH * rB          // WS

        // §4.2 Compute: one step of the mapping's N×M block per cycle, plus fill/drain per DRAM tile.
        let cyclesPerTile = tileCycles(t, mapping, hw)  // C
        var counts = Counts()
        counts.systolicComputeCycles = ceil(cyclesPerTile * tiles)
        counts.macs = t.outputWidth * t.outputHeight * t.kernelWidth * t.kernelHeight * t.batch
            * t.inputChannels * t.outputChannels * tiles
        counts.ops = 2 * counts.macs

        // §4.3 Per-tile DRAM transfer cycles, ⌈bits / port width⌉, no latency.
        let weightLoad = ceil(t.kernelWidth * t.kernelHeight * t.inputChannels * t.outputChannels * bwW / hw.weightPort)
        let biasLoad = ceil(t.outputChannels * bwB / hw.weightPort)
        let c = cyclesPerTile

        if order == .outputStationary {
            // §4.5 GEMM at batch 1.
            let inputLoad = ceil(t.inputChannels * bwA / hw.inputPort)
            let outputStore = fused ? 0 : ceil(t.outputChannels * bwP / hw.outputPort)
            let first = max(inputLoad, weightLoad + biasLoad)
            if cIC == 1 {
                let n1 = rOC - 2
                if n1 < 0 {
                    counts.systolicStallCycles = first + outputStore
                } else {
                    counts.systolicStallCycles = max(0, weightLoad + biasLoad - c, outputStore - c) * n1 + first
                        + max(0, weightLoad + biasLoad - c) + max(0, outputStore - c) + outputStore
                }
            } else {
                let n1 = rOC - 1, n4 = rOC - 1
                let n3 = (rIC * rOC - rOC - 1) - n4
                counts.systolicStallCycles = max(0, weightLoad + biasLoad - c, inputLoad - c) * n1
                    + max(0, weightLoad - c, inputLoad - c) * n3
                    + max(0, weightLoad - c, inputLoad - c, outputStore - c) * n4
                    + first + max(0, weightLoad - c, inputLoad - c) + 0 + outputStore
            }
            // §5.1 output-stationary DRAM; the ifmap is re-read per OC tile even when IC fits (Q3).
            counts.dram.ifmapBits = t.inputChannels * rIC * rOC * bwA
            counts.dram.filterBits = t.inputChannels * t.outputChannels * rIC * rOC * bwW
            counts.dram.ofmapBits = fused ? 0 : t.outputChannels * rOC * bwP
            counts.dram.biasBits = t.outputChannels * rOC * bwB
        } else {
            // §4.4 Weight-stationary 3-stage pipeline; case counts are not clamped (quirk Q2).
            let inputLoad = ceil(t.inputWidth * t.inputHeight * t.inputChannels * t.batch * bwA / hw.inputPort)
            let psumTransfer = ceil(t.outputWidth * t.outputHeight * t.outputChannels * t.batch * bwP / hw.outputPort)
            let weightTiles = rKW * rKH * rIC * rOC
            let weightOnlyTiles = weightTiles - rOC
            let psumWriteTiles = tiles
            let psumWriteOnlyTiles = weightStationaryTiles * rOC
            let psumReadWriteTiles = psumWriteTiles - psumWriteOnlyTiles
            let n5 = rOC - 1
            var n4 = weightOnlyTiles
            let n1 = (psumWriteOnlyTiles - 2) - n5
            var n2 = psumReadWriteTiles - n4
            if n2 + n4 == 0 { n2 = 0; n4 = 0 }
            let s1 = max(0, inputLoad - c, psumTransfer - c) * n1
            let s2 = max(0, inputLoad - c, 2 * psumTransfer - c) * n2
            let s4 = max(0, inputLoad - c, weightLoad - c, 2 * psumTransfer - c) * n4
            let s5 = max(0, inputLoad - c, psumTransfer - c, weightLoad + biasLoad - c) * n5
            let first = max(inputLoad, weightLoad + biasLoad)
            let second = max(0, inputLoad - c)
            let secondToLast = max(0, psumTransfer - c)
            let last = psumTransfer
            var stall = s1 + s2 + s4 + s5 + first + second + secondToLast + last
            if fused {
                // §4.6: the output stays on chip; the steady-state stall hidden behind the SIMD op.
                let steady = s1 + s2 + s4 + s5
                let steadyTiles = n1 + n2 + n4 + n5
                let average = steadyTiles <= 0 ? 0 : ceil(steady / steadyTiles)
                let reduction = min(steady, ceil(average * (weightStationaryTiles * rOC - 2)))
                stall -= reduction + secondToLast + last
            }
            counts.systolicStallCycles = stall

            // §5.1 weight-stationary DRAM volumes.
            counts.dram.ifmapBits = t.inputWidth * t.inputHeight * t.inputChannels * t.batch
                * rOW * rOH * rB * rIC * rKW * rKH * cOC * bwA
            counts.dram.filterBits = t.kernelWidth * t.kernelHeight * t.inputChannels * t.outputChannels
                * rIC * rKW * rKH * rOC * bwW
            // A difference of two products of real tile ratios: where it should be 0 (one reduction
            // step), rounding can leave a residue of either sign; never negative traffic.
            counts.dram.psumBits = max(0, (t.outputWidth * t.outputHeight * t.outputChannels * t.batch
                * rOW * rOH * rB * rOC * (2 * cIC * cKW * cKH - 1)
                - d.outputWidth * d.outputHeight * d.outputChannels * d.batch) * bwP)
            counts.dram.ofmapBits = fused ? 0 : d.outputWidth * d.outputHeight * d.outputChannels * d.batch * bwP
            counts.dram.biasBits = t.outputChannels * rOC * bwB
        }

        // §5.2 SRAM. Weight stationary is the published "no stationary" count: each PE re-reads
        // its weight every cycle, an input is read once per column fold of the output channels,
        // and an output once per row fold of the input channels (read and write after the first).
        // The other mappings apply the same rules to where their loops lie (MODEL-EXTENSIONS.md
        // §12): an input is read once per fold of the output channels when those are spatial,
        // once when they run in time; a weight once per fold of the pixels when those are
        // spatial, every cycle when they run in time; an output accumulates in its PE when the
        // input channels run in time.
        let pixels = t.outputWidth * t.outputHeight * t.batch
        let inputReads = folds(.outputChannels, t.outputChannels, mapping, hw) ?? 1
        let accumulationSteps = mapping.isSpatial(.inputChannels)
            ? t.inputChannels / (mapping.rows == .inputChannels ? n : m) * ceil(t.kernelWidth) * ceil(t.kernelHeight)
            : 1
        counts.sram.ibufBits = t.outputWidth * t.outputHeight * t.batch * t.inputChannels * t.kernelWidth
            * t.kernelHeight * inputReads * rOW * rOH * rB * rIC * rKW * rKH * cOC * bwA
        if let weightReads = folds(.pixels, pixels, mapping, hw) {
            counts.sram.wbufBits = t.kernelWidth * t.kernelHeight * t.inputChannels * t.outputChannels
                * weightReads * cOW * cOH * cB * rIC * rKW * rKH * rOC * bwW
        } else {
            counts.sram.wbufBits = t.kernelWidth * t.kernelHeight * t.inputChannels * t.outputChannels
                * ceil(t.outputWidth) * ceil(t.outputHeight) * ceil(t.batch) * cOW * cOH * cB
                * rIC * rKW * rKH * rOC * bwW
        }
        counts.sram.obufBits = t.outputWidth * t.outputHeight * t.batch * t.outputChannels
            * (2 * accumulationSteps * cIC * cKW * cKH - 1)
            * rOW * rOH * rB * rOC * bwP
        counts.sram.bbufBits = t.outputWidth * t.outputHeight * t.batch * t.outputChannels * rOW * rOH * rB * rOC * bwB
        // Of OBUF's (2K − 1) accesses per output, K are writes (the first and one per further
        // accumulation step) and K − 1 reads: writes = (accesses + one per output) / 2.
        let outputsOnce = t.outputWidth * t.outputHeight * t.batch * t.outputChannels * rOW * rOH * rB * rOC * bwP
        counts.buffers.obufWriteBits = (counts.sram.obufBits + outputsOnce) / 2
        return counts
    }
}
