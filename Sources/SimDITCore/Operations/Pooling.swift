/// A pooling window: kernel, stride, padding on each side, and ONNX's ceil mode.
public struct Pooling: Sendable, Hashable {
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideHeight: Int
    public var strideWidth: Int
    public var padding: Padding
    /// Round the output size up (a last window that starts inside the input is kept).
    public var ceilMode: Bool

    public init(kernelHeight: Int, kernelWidth: Int, strideHeight: Int, strideWidth: Int, padding: Padding,
                ceilMode: Bool = false) {
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.padding = padding
        self.ceilMode = ceilMode
    }

    /// A square window with one stride and symmetric padding.
    public init(kernel: Int, stride: Int, padding: Int) {
        self.init(kernelHeight: kernel, kernelWidth: kernel, strideHeight: stride, strideWidth: stride,
                  padding: Padding(uniform: padding))
    }
}

/// Which pooling a layer or op does.
enum PoolKind {
    case max, average, globalAverage, globalMax
    /// A per-channel sum over the whole map (`reduce_spatial`).
    case globalSum

    var isGlobal: Bool { self == .globalAverage || self == .globalMax || self == .globalSum }
}

/// A pooling layer: windowed max or average (§6.3; padding only changes the output size, as the
/// published model ignores it, Q6), or a global pool over the whole map: average, max, or sum
/// (`reduce_spatial`, MODEL-EXTENSIONS.md §4 and §7).
struct PoolLayer: LayerRule {
    var kind: PoolKind
    /// The window; nil for a global pool.
    var pooling: Pooling?

    var typeName: String {
        switch kind {
        case .max: "max_pool"
        case .average: "avg_pool"
        case .globalAverage: "global_avg_pool"
        case .globalMax: "global_max_pool"
        case .globalSum: "global_sum_pool"
        }
    }
    var arity: LayerArity { .exactly(1) }

    func outputShape(_ inputs: [TensorShape], _ check: inout LayerShapeCheck) -> TensorShape {
        let x = inputs[0]
        guard let p = pooling else { return TensorShape(channels: x.channels, height: 1, width: 1) }
        let paddedHeight = x.height + p.padding.height, paddedWidth = x.width + p.padding.width
        if paddedHeight < p.kernelHeight || paddedWidth < p.kernelWidth {
            check.fail("kernel", "window \(p.kernelHeight)×\(p.kernelWidth) is larger than the padded input \(paddedHeight)×\(paddedWidth)")
        }
        let pads = [p.padding.top, p.padding.bottom, p.padding.left, p.padding.right]
        let largest = pads.max() ?? 0
        if 2 * largest >= min(p.kernelHeight, p.kernelWidth) + 1 {
            check.fail("padding", "padding \(largest) must be at most half the window \(min(p.kernelHeight, p.kernelWidth))")
        }
        return TensorShape(
            channels: x.channels,
            height: Window.outputSize(x.height, kernel: p.kernelHeight, stride: p.strideHeight, padBegin: p.padding.top,
                                      padEnd: p.padding.bottom, ceilMode: p.ceilMode),
            width: Window.outputSize(x.width, kernel: p.kernelWidth, stride: p.strideWidth, padBegin: p.padding.left,
                                     padEnd: p.padding.right, ceilMode: p.ceilMode))
    }

    private func op(_ layer: LayerLowering) -> PoolOp {
        let x = layer.x, y = layer.y
        guard let p = pooling else { return .global(channels: x.channels, inputHeight: x.height, inputWidth: x.width) }
        return PoolOp(channels: x.channels, outputHeight: y.height, outputWidth: y.width, kernelHeight: p.kernelHeight,
                      kernelWidth: p.kernelWidth, stride: p.strideHeight, strideWidth: p.strideWidth)
    }

    func lowerInference(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let op = op(layer)
        switch kind {
        case .max: program.emit(layer.name, .maxPool(op))
        case .average: program.emit(layer.name, .averagePool(op))
        case .globalAverage: program.emit(layer.name, .globalAveragePool(op))
        case .globalMax: program.emit(layer.name, .globalMaxPool(op))
        case .globalSum: program.emit(layer.name, .spatialReduction(op))
        }
    }

    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let op = op(layer)
        switch kind {
        case .max: program.emit(layer.name + ".grad", .maxPoolGradient(op))
        case .average: program.emit(layer.name + ".grad", .averagePoolGradient(op))
        case .globalAverage: program.emit(layer.name + ".grad", .globalAveragePoolGradient(op))
        case .globalMax: program.emit(layer.name + ".grad", .globalMaxPoolGradient(op))
        case .globalSum: program.emit(layer.name + ".grad", .globalSumPoolGradient(op))
        }
    }
}

extension SIMDDimensions {
    /// A pool's SIMD dimensions: the output size, channels padded to the lanes, the window.
    init(_ op: PoolOp, _ context: EvaluationContext) {
        self.init(width: Double(op.outputWidth), height: Double(op.outputHeight),
                  channels: padUp(Double(op.channels), context.hw.columns), batch: context.batch,
                  kernelWidth: Double(op.kernelWidth), kernelHeight: Double(op.kernelHeight),
                  stride: Double(op.stride), strideWidth: Double(op.strideWidth))
    }
}

/// §6.3 pooling on the SIMD unit with the pool tiler; a global max pool is a max pool whose window
/// is the map, a spatial sum an average pool without the divide.
struct PoolModel: OperationModel {
    var kind: PoolKind
    var op: PoolOp

    var name: String {
        switch kind {
        case .max: "max_pool"
        case .average: "avg_pool"
        case .globalAverage: "global_avg_pool"
        case .globalMax: "global_max_pool"
        case .globalSum: "reduce_spatial"
        }
    }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { kind == .globalSum ? .reductions : .pooling }
    var fusion: FusionRole { .consumer(accepts: []) }
    var simdTiler: SIMDTilerKind? { .pool }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let d = SIMDDimensions(op, context)
        guard let tile = SIMDTiler.tile(.pool, d, context.hw) else {
            return kind.isGlobal ? streamedGlobalPool(context) : nil
        }
        let arithmetic: SIMDModels.PoolArithmetic = switch kind {
        case .max, .globalMax: .max
        case .average, .globalAverage: .average
        case .globalSum: .sum
        }
        return .init(tile: .simd(tile), counts: SIMDModels.pool(arithmetic, d, tile: tile, outputBits: context.outputBits,
                                                                context.hw))
    }

    /// A global pool whose map does not fit one VMEM tile (a squeeze-and-excitation squeeze over
    /// 112×112): the map streams through in element-wise tiles, each element folded into its
    /// channel's partial result in VMEM, at §6.3's rates (one cycle per element per lane step, two
    /// operand reads and a partial write per element); the `C'·B` results are written once, and
    /// the average's divides come on top (MODEL-EXTENSIONS.md §7).
    private func streamedGlobalPool(_ context: EvaluationContext) -> OperationEvaluation? {
        let hw = context.hw, m = hw.columns, e = hw.simdBits, port = hw.simdPort
        let map = SIMDDimensions(ElementwiseOp(channels: op.channels, height: op.kernelHeight, width: op.kernelWidth), context)
        guard let tile = SIMDTiler.tile(.elementwise, map, hw) else { return nil }
        let tiles = SIMDModels.tileCount(map, tile)
        let elements = map.batch * map.channels * map.height * map.width   // W: window steps
        let outputs = map.batch * map.channels                               // C'·B results
        let average = kind == .globalAverage
        var c = Counts()
        c.simdComputeCycles = ceil((tile.elements / m + hw.simdFill) * tiles)
            + (average ? ceil(outputs / m * hw.latencies.divide) : 0)
        c.simdStallCycles = ceil(tile.elements * e / port) * tiles + ceil(outputs * context.outputBits / port)
        c.dram.ifmapBits = elements * e
        c.dram.ofmapBits = outputs * context.outputBits
        c.sram.vmemBits = 2 * elements * e + (elements - outputs) * e + outputs * context.outputBits
            + (average ? 3 * outputs * e : 0)
        c.buffers.vmemWriteBits = (elements - outputs) * e + outputs * context.outputBits + (average ? outputs * e : 0)
        c.sram.instructionBits = ceil(elements / m + (average ? outputs / m : 0)) * 32
        if kind == .globalMax { c.simdOperations.max = elements } else { c.simdOperations.add = elements }
        if average { c.simdOperations.divide = outputs }
        c.ops = c.simdOperations.latencyWeightedCount(hw.latencies)
        return .init(tile: .simd(tile), counts: c)
    }
}

/// §6.8 pooling gradients: max (and global max) scatter through the saved argmax; average (and
/// global average) spread each gradient over its window; a spatial sum's gradient spreads each
/// channel's gradient over its map as the global average's does, without the divide
/// (MODEL-EXTENSIONS.md §7).
struct PoolGradientModel: OperationModel {
    var kind: PoolKind
    var op: PoolOp

    var name: String {
        switch kind {
        case .max: "max_pool_grad"
        case .average: "average_pool_grad"
        case .globalAverage: "global_average_pool_grad"
        case .globalMax: "global_max_pool_grad"
        case .globalSum: "global_sum_pool_grad"
        }
    }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { kind == .globalSum ? .reductions : .poolingGradient }
    var fusion: FusionRole { .consumer(accepts: []) }
    var isMax: Bool { kind == .max || kind == .globalMax }
    var simdTiler: SIMDTilerKind? { isMax ? .maxPoolGradient : .pool }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let hw = context.hw
        let d = SIMDDimensions(op, context)
        guard let tile = SIMDTiler.tile(isMax ? .maxPoolGradient : .pool, d, hw) else {
            return kind.isGlobal ? streamedGlobalGradient(context) : nil
        }
        if !isMax {
            // §3.2: the produced input gradient and the gradient plus one lane vector must fit.
            let e = hw.simdBits, capacity = hw.vectorMemoryBits
            guard tile.inputWidth * tile.inputHeight * tile.channels * tile.batch * e <= capacity,
                  tile.elements * e + hw.columns * e <= capacity else { return nil }
        }
        return .init(tile: .simd(tile),
                     counts: TrainingSIMDModels.poolGradient(max: isMax, divides: kind != .globalSum, d, tile: tile,
                                                             outputBits: context.outputBits, hw))
    }

    /// The gradient of a global pool whose map does not fit one VMEM tile: the `C'·B` gradients
    /// (and, for max, the saved argmax) are read once, the map is written in element-wise tiles at
    /// §6.8's rates: for max `cmov, add(+2)` per element (`d_cmov + 3` cycles), for average a
    /// divide per gradient and one add per element (MODEL-EXTENSIONS.md §7).
    private func streamedGlobalGradient(_ context: EvaluationContext) -> OperationEvaluation? {
        let hw = context.hw, m = hw.columns, e = hw.simdBits, port = hw.simdPort, lat = hw.latencies
        let map = SIMDDimensions(ElementwiseOp(channels: op.channels, height: op.kernelHeight, width: op.kernelWidth), context)
        guard let tile = SIMDTiler.tile(.elementwise, map, hw) else { return nil }
        let tiles = SIMDModels.tileCount(map, tile)
        let elements = map.batch * map.channels * map.height * map.width
        let gradients = map.batch * map.channels
        let reads = isMax ? 2.0 : 1.0
        var c = Counts()
        let total: Double
        if isMax {
            c.simdComputeCycles = ceil(((lat.conditionalMove + 3) * tile.elements / m + hw.simdFill) * tiles)
            c.simdOperations.conditionalMove = elements
            c.simdOperations.add = elements
            total = 2 * elements
        } else if kind == .globalSum {
            c.simdComputeCycles = ceil((tile.elements / m + hw.simdFill) * tiles)
            c.simdOperations.add = elements
            total = elements
        } else {
            c.simdComputeCycles = ceil((tile.elements / m + hw.simdFill) * tiles) + ceil(gradients / m * lat.divide)
            c.simdOperations.divide = gradients
            c.simdOperations.add = elements
            total = gradients + elements
        }
        c.simdStallCycles = reads * ceil(gradients * e / port) + ceil(tile.elements * context.outputBits / port) * tiles
        c.dram.ifmapBits = reads * gradients * e
        c.dram.ofmapBits = elements * context.outputBits
        c.sram.vmemBits = 3 * total * e
        c.buffers.vmemWriteBits = total * e
        c.sram.instructionBits = total / m * 32
        c.ops = c.simdOperations.latencyWeightedCount(lat)
        return .init(tile: .simd(tile), counts: c)
    }
}
