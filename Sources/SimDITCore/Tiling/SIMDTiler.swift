/// The SIMD tilers (GENESYS-MODEL.md §3.2). They all fill the whole VMEM (single-buffered) with
/// `bw_s`-bit elements and grow channels in units of the lane count `M`.
public enum SIMDTilerKind: String, Sendable, Hashable, CaseIterable {
    /// ReLU, element-wise add, ReLU gradient, SGD updates, reductions.
    case elementwise
    /// Max, average and global-average pooling, average-pool gradients (input tile in the fit).
    case pool
    case maxPoolGradient
    /// `mean_var`: spatial, then batch, then channels.
    case meanVariance
    /// `batch_norm` (forward apply).
    case batchNorm
    /// `batchnorm_grad_x_mu`.
    case batchNormBackward
}

/// The dimensions a SIMD tiler sees: spatial size (output size for pools), padded channels `C'`,
/// batch, and for pools the window.
public struct SIMDDimensions: Sendable, Hashable {
    public var width: Double
    public var height: Double
    public var channels: Double
    public var batch: Double
    public var kernelWidth: Double = 1
    public var kernelHeight: Double = 1
    /// Vertical stride (the published model's single stride).
    public var stride: Double = 1
    public var strideWidth: Double = 1
}

/// A DRAM→VMEM tile of a SIMD op. For pools the input extent includes the window halo; otherwise
/// it equals the output extent.
public struct SIMDTile: Sendable, Hashable {
    public var outputWidth: Double
    public var outputHeight: Double
    public var channels: Double
    public var batch: Double
    public var inputWidth: Double
    public var inputHeight: Double

    /// `v`: elements in one tile (output extent).
    var elements: Double { outputWidth * outputHeight * channels * batch }
}

enum SIMDTiler {
    static func tile(_ kind: SIMDTilerKind, _ d: SIMDDimensions, _ hw: DerivedHardware) -> SIMDTile? {
        let m = hw.columns, e = hw.simdBits, capacity = hw.vectorMemoryBits
        switch kind {
        case .elementwise:
            // Spatial → channels (with b = 1) → batch.
            guard let (ow, oh) = TileSearch.spatial(d.width, d.height, integral: true, fits: { ow, oh in
                m * ow * oh * e <= capacity
            }) else { return nil }
            let oc = TileSearch.grow(m, cap: d.channels) { oc in oc * ow * oh * e <= capacity }
            guard let b = TileSearch.batch(d.batch, fits: { b in oc * ow * oh * b * e <= capacity }) else { return nil }
            return SIMDTile(outputWidth: ow, outputHeight: oh, channels: oc, batch: b, inputWidth: ow, inputHeight: oh)

        case .pool, .maxPoolGradient:
            // Spatial (input extent in the fit) → channels → batch.
            let s = d.stride, sw = d.strideWidth, kw = d.kernelWidth, kh = d.kernelHeight
            let gradient = kind == .maxPoolGradient
            func volume(_ ow: Double, _ oh: Double, _ oc: Double, _ b: Double) -> Double {
                let iw = (ow - 1) * sw + kw, ih = (oh - 1) * s + kh
                return gradient ? (oc * iw * ih * b + oc * ow * oh * b) * e : oc * iw * ih * b * e
            }
            guard let (ow, oh) = TileSearch.spatial(d.width, d.height, integral: true, fits: { ow, oh in
                volume(ow, oh, m, 1) <= capacity
            }) else { return nil }
            let oc = TileSearch.grow(m, cap: d.channels) { oc in volume(ow, oh, oc, 1) <= capacity }
            guard let b = TileSearch.batch(d.batch, fits: { b in volume(ow, oh, oc, b) <= capacity }) else { return nil }
            return SIMDTile(outputWidth: ow, outputHeight: oh, channels: oc, batch: b,
                            inputWidth: (ow - 1) * sw + kw, inputHeight: (oh - 1) * s + kh)

        case .meanVariance, .batchNorm:
            // Spatial → batch → channels; a second VMEM holds per-channel statistics.
            let data = kind == .meanVariance ? capacity - m * e : capacity
            let statistics = kind == .meanVariance ? capacity / 2 : capacity / 4
            guard let (iw, ih) = TileSearch.spatial(d.width, d.height, integral: true, fits: { iw, ih in
                m * iw * ih * e <= data
            }) else { return nil }
            guard let b = TileSearch.batch(d.batch, fits: { b in m * iw * ih * b * e <= data }) else { return nil }
            let oc = TileSearch.grow(m, cap: d.channels) { oc in
                oc * iw * ih * b * e <= data && oc * e <= statistics
            }
            return SIMDTile(outputWidth: iw, outputHeight: ih, channels: oc, batch: b, inputWidth: iw, inputHeight: ih)

        case .batchNormBackward:
            // One test, `(oc·iw·ih·b + 3·oc)·bw_s ≤ V`: spatial (oc = M, b = 1) → batch → channels.
            func fits(_ iw: Double, _ ih: Double, _ oc: Double, _ b: Double) -> Bool {
                (oc * iw * ih * b + 3 * oc) * e <= capacity
            }
            guard let (iw, ih) = TileSearch.spatial(d.width, d.height, integral: true, fits: { iw, ih in
                fits(iw, ih, m, 1)
            }) else { return nil }
            guard let b = TileSearch.batch(d.batch, fits: { b in fits(iw, ih, m, b) }) else { return nil }
            let oc = TileSearch.grow(m, cap: d.channels) { oc in fits(iw, ih, oc, b) }
            return SIMDTile(outputWidth: iw, outputHeight: ih, channels: oc, batch: b, inputWidth: iw, inputHeight: ih)
        }
    }
}
