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
}

/// A pooling layer: windowed max or average (§6.3; padding only changes the output size, as the
/// published model ignores it, Q6), or a global pool over the whole map.
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
        }
    }

    func lowerBackward(_ layer: LayerLowering, into program: inout ProgramBuilder) {
        let op = op(layer)
        switch kind {
        case .max: program.emit(layer.name + ".grad", .maxPoolGradient(op))
        case .average: program.emit(layer.name + ".grad", .averagePoolGradient(op))
        case .globalAverage: program.emit(layer.name + ".grad", .globalAveragePoolGradient(op))
        case .globalMax: program.emit(layer.name + ".grad", .globalMaxPoolGradient(op))
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
    enum Kind { case max, average, globalAverage, globalMax, spatialSum }
    var kind: Kind
    var op: PoolOp

    var name: String {
        switch kind {
        case .max: "max_pool"
        case .average: "avg_pool"
        case .globalAverage: "global_avg_pool"
        case .globalMax: "global_max_pool"
        case .spatialSum: "reduce_spatial"
        }
    }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { kind == .spatialSum ? .reductions : .pooling }
    var fusion: FusionRole { .consumer(accepts: []) }
    var simdTiler: SIMDTilerKind? { .pool }

    var isGlobal: Bool { kind == .globalAverage || kind == .globalMax || kind == .spatialSum }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let d = SIMDDimensions(op, context)
        guard let tile = SIMDTiler.tile(.pool, d, context.hw) else {
            return isGlobal ? streamedGlobalPool(context) : nil
        }
        let arithmetic: SIMDModels.PoolArithmetic = switch kind {
        case .max, .globalMax: .max
        case .average, .globalAverage: .average
        case .spatialSum: .sum
        }
        return .init(tile: .simd(tile), counts: SIMDModels.pool(arithmetic, d, tile: tile, outputBits: context.outputBits,
                                                                context.hw))
    }

    /// A global pool whose map does not fit one VMEM tile (a squeeze-and-excitation squeeze over
    /// 112×112): the map streams through in element-wise tiles, each element one compare or add
    /// into its channel's partial result (MODEL-EXTENSIONS.md §7). The average's divide per
    /// channel is counted on top.
    private func streamedGlobalPool(_ context: EvaluationContext) -> OperationEvaluation? {
        let map = ElementwiseOp(channels: op.channels, height: op.kernelHeight, width: op.kernelWidth)
        let program = ElementProgram { ops in
            if kind == .globalMax { ops.max = 1 } else { ops.add = 1 }
        }
        guard var evaluation = program.evaluate(SIMDDimensions(map, context), context) else { return nil }
        if kind == .globalAverage {
            let channels = padUp(Double(op.channels), context.hw.columns) * context.batch
            evaluation.counts.simdComputeCycles += ceil(channels / context.hw.columns * context.hw.latencies.divide)
            evaluation.counts.simdOperations.divide += channels
            evaluation.counts.ops += channels * context.hw.latencies.divide
        }
        return evaluation
    }
}

/// §6.8 pooling gradients: max (and global max) scatter through the saved argmax; average (and
/// global average) spread each gradient over its window.
struct PoolGradientModel: OperationModel {
    var kind: PoolKind
    var op: PoolOp

    var name: String {
        switch kind {
        case .max: "max_pool_grad"
        case .average: "average_pool_grad"
        case .globalAverage: "global_average_pool_grad"
        case .globalMax: "global_max_pool_grad"
        }
    }
    var unit: ExecutionUnit { .simd }
    var category: OperationCategory { .poolingGradient }
    var fusion: FusionRole { .consumer(accepts: []) }
    var isMax: Bool { kind == .max || kind == .globalMax }
    var simdTiler: SIMDTilerKind? { isMax ? .maxPoolGradient : .pool }

    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? {
        let hw = context.hw
        let d = SIMDDimensions(op, context)
        guard let tile = SIMDTiler.tile(isMax ? .maxPoolGradient : .pool, d, hw) else {
            return op.outputHeight == 1 && op.outputWidth == 1 ? streamedGlobalGradient(context) : nil
        }
        if !isMax {
            // §3.2: the produced input gradient and the gradient plus one lane vector must fit.
            let e = hw.simdBits, capacity = hw.vectorMemoryBits
            guard tile.inputWidth * tile.inputHeight * tile.channels * tile.batch * e <= capacity,
                  tile.elements * e + hw.columns * e <= capacity else { return nil }
        }
        return .init(tile: .simd(tile),
                     counts: TrainingSIMDModels.poolGradient(max: isMax, d, tile: tile, outputBits: context.outputBits, hw))
    }

    /// The gradient of a global pool whose map does not fit one VMEM tile: streamed in element-wise
    /// tiles, each input element written from its channel's gradient (scaled by `1/K`, or selected
    /// by the saved argmax), MODEL-EXTENSIONS.md §7.
    private func streamedGlobalGradient(_ context: EvaluationContext) -> OperationEvaluation? {
        let map = ElementwiseOp(channels: op.channels, height: op.kernelHeight, width: op.kernelWidth)
        let program = isMax ? ElementProgram(inputs: 2) { $0.conditionalMove = 1 } : ElementProgram { $0.multiply = 1 }
        var unfused = context
        unfused.fused = false
        return program.evaluate(SIMDDimensions(map, context), unfused)
    }
}
