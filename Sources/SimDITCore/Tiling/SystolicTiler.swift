/// The dimensions of a systolic-array op after the batch override (R2) and channel padding (R4).
public struct SystolicDimensions: Sendable, Hashable {
    public var outputWidth: Double
    public var outputHeight: Double
    /// `OC'`: output channels padded to the array's columns.
    public var outputChannels: Double
    public var kernelWidth: Double
    public var kernelHeight: Double
    /// `IC'`: input channels padded to the array's rows.
    public var inputChannels: Double
    public var batch: Double
    /// Vertical stride `s` (the published model's single stride).
    public var stride: Double
    public var strideWidth: Double
    /// Dilation (1 in the published model): a kernel of `k` taps spans `(k − 1)·d + 1` inputs.
    public var dilationHeight: Double
    public var dilationWidth: Double

    public init(outputWidth: Double, outputHeight: Double, outputChannels: Double, kernelWidth: Double,
                kernelHeight: Double, inputChannels: Double, batch: Double, stride: Double,
                strideWidth: Double? = nil, dilationHeight: Double = 1, dilationWidth: Double = 1) {
        self.outputWidth = outputWidth
        self.outputHeight = outputHeight
        self.outputChannels = outputChannels
        self.kernelWidth = kernelWidth
        self.kernelHeight = kernelHeight
        self.inputChannels = inputChannels
        self.batch = batch
        self.stride = stride
        self.strideWidth = strideWidth ?? stride
        self.dilationHeight = dilationHeight
        self.dilationWidth = dilationWidth
    }

    /// The input extent of an `ow × oh` output tile of a `kw × kh` kernel tile:
    /// `iw = (ow − 1)·s_w + (kw − 1)·d_w + 1` (`(ow − 1)·s + kw` in the published model).
    @inline(__always)
    func inputExtent(_ ow: Double, _ oh: Double, _ kw: Double, _ kh: Double) -> (width: Double, height: Double) {
        if dilationWidth == 1 && dilationHeight == 1 {
            return ((ow - 1) * strideWidth + kw, (oh - 1) * stride + kh)
        }
        return ((ow - 1) * strideWidth + (kw - 1) * dilationWidth + 1, (oh - 1) * stride + (kh - 1) * dilationHeight + 1)
    }
}

/// A DRAM→SRAM tile of a systolic-array op (GENESYS-MODEL.md §3.1). The input extent includes the
/// halo: `iw = (ow − 1)·s + kw`.
public struct SystolicTile: Sendable, Hashable {
    public init(outputWidth: Double, outputHeight: Double, outputChannels: Double, inputChannels: Double,
                kernelWidth: Double, kernelHeight: Double, batch: Double, inputWidth: Double, inputHeight: Double) {
        self.outputWidth = outputWidth
        self.outputHeight = outputHeight
        self.outputChannels = outputChannels
        self.inputChannels = inputChannels
        self.kernelWidth = kernelWidth
        self.kernelHeight = kernelHeight
        self.batch = batch
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
    }

    public var outputWidth: Double
    public var outputHeight: Double
    public var outputChannels: Double
    public var inputChannels: Double
    public var kernelWidth: Double
    public var kernelHeight: Double
    public var batch: Double
    public var inputWidth: Double
    public var inputHeight: Double
}

enum SystolicTiler {
    /// The convolution/GEMM tiler (GENESYS-MODEL.md §3.1): kernel, then input channels, then
    /// spatial, then batch, then output channels. Nil when no tile fits at some step; the
    /// minimum-capacity check rules that out for every op the published programs contain.
    static func tile(_ d: SystolicDimensions, _ hw: DerivedHardware) -> SystolicTile? {
        // The channel units: N and M, or a smaller channel count that runs in time and so is not
        // padded (MODEL-EXTENSIONS.md §12). Padded counts (R4) are never below N and M.
        let n = min(hw.rows, d.inputChannels), m = min(hw.columns, d.outputChannels)
        let bwA = hw.activationBits, bwW = hw.weightBits, bwP = hw.accumulatorBits, bwB = hw.biasBits
        let w2 = hw.weightTileBits, i2 = hw.inputTileBits, o2 = hw.outputTileBits, b2 = hw.biasTileBits

        // 1. Kernel: shrink to ⌈K/i⌉, i = 1, 2, …, until one N×M block of it fits WBUF and IBUF
        // (the first such i, by bisection: the block only shrinks as i grows; nil if 1×1 does not fit).
        // That is the non-integral spatial search over the kernel's sides.
        guard let (kw, kh) = TileSearch.spatial(d.kernelWidth, d.kernelHeight, integral: false, fits: { kw, kh in
            kw * kh * n * m * bwW <= w2 && kw * kh * n * bwA <= i2
        }) else { return nil }
        // 2. Input channels have priority over spatial size (1×1 spatial footprint in IBUF).
        let ic = TileSearch.grow(n, cap: d.inputChannels) { ic in
            kw * kh * ic * m * bwW <= w2 && kw * kh * ic * bwA <= i2
        }
        // 3. Spatial: integral search only for kernels up to 3×3.
        let integral = d.kernelHeight <= 3 && d.kernelWidth <= 3
        guard let (ow, oh) = TileSearch.spatial(d.outputWidth, d.outputHeight, integral: integral, fits: { ow, oh in
            let (iw, ih) = d.inputExtent(ow, oh, kw, kh)
            return ow * oh * m * 1 * bwP <= o2 && iw * ih * ic * 1 * bwA <= i2
        }) else { return nil }
        let (iw, ih) = d.inputExtent(ow, oh, kw, kh)
        // 4. Batch: the largest divisor of B that fits OBUF and IBUF.
        guard let b = TileSearch.batch(d.batch, fits: { b in
            ow * oh * m * b * bwP <= o2 && iw * ih * ic * b * bwA <= i2
        }) else { return nil }
        // 5. Output channels, last.
        let oc = TileSearch.grow(m, cap: d.outputChannels) { oc in
            kw * kh * ic * oc * bwW <= w2 && ow * oh * oc * b * bwP <= o2 && oc * bwB <= b2
        }
        return SystolicTile(outputWidth: ow, outputHeight: oh, outputChannels: oc, inputChannels: ic,
                            kernelWidth: kw, kernelHeight: kh, batch: b, inputWidth: iw, inputHeight: ih)
    }
}
