import SimDITCore

/// The importers of reductions: GlobalAveragePool, GlobalMaxPool, and ReduceMean, ReduceMax and
/// ReduceSum over any non-batch axes (MODEL-EXTENSIONS.md §7, §11).
extension ONNXImporter {
    mutating func importGlobalPool(_ index: Int, _ x: Activation) {
        guard x.dims.count == 3 else { return fail(unsupportedRank(x.dims), node: index) }
        let kind: LayerKind = model.graph.node[index].opType == "GlobalMaxPool" ? .globalMaxPool : .globalAveragePool
        addLayer(index, kind, inputs: [x.layer], output: [x.dims[0], 1, 1])
    }

    /// A reduction over constant axes (an attribute before opset 18, or 13 for ReduceSum; an input
    /// after). Over the height and width of an `N × C × H × W` tensor it is the global pool of that
    /// kind, exactly (a mean is `global_avg_pool`, a max `global_max_pool`, a sum
    /// `global_sum_pool`). Over other axes, its cost depends only on the `O` results and the `K`
    /// elements each reduces (as a softmax's does on classes and rows): the input is viewed as
    /// `O × K × 1` and reduced by the same global pool. `keepdims` only changes the view after.
    mutating func importReduction(_ index: Int, _ a: ONNXAttributes, _ x: Activation) {
        let node = model.graph.node[index]
        let rank = x.dims.count + 1
        let axesSince = node.opType == "ReduceSum" ? 13 : 18
        var axes: [Int] = []
        switch integerOperand(index, input: 1, attribute: "axes", a, inputSince: axesSince) {
        case .value(let given): axes = given
        case .dynamic: return fail("the axes must be a constant", node: index)
        case .absent: break
        }
        // No axes (absent or empty) reduce everything, batch included, unless noop_with_empty_axes.
        if axes.isEmpty {
            if (a.int("noop_with_empty_axes") ?? 0) != 0 {
                addLayer(index, .identity, inputs: [x.layer], output: x.dims)
                return
            }
            axes = Array(0..<rank)
        }
        let normalized = Set(axes.map { $0 < 0 ? $0 + rank : $0 })
        guard normalized.count == axes.count, normalized.allSatisfy({ $0 >= 0 && $0 < rank }) else {
            return fail("axes \(axes) are out of range or repeated for a rank-\(rank) tensor", node: index)
        }
        guard !normalized.contains(0) else {
            return fail("a reduction over the batch axis is not supported (simdit models each sample separately)", node: index)
        }
        let reduced = Set(normalized.map { $0 - 1 })
        let keepDims = (a.int("keepdims") ?? 1) != 0
        let output = keepDims ? x.dims.indices.map { reduced.contains($0) ? 1 : x.dims[$0] }
                              : x.dims.indices.filter { !reduced.contains($0) }.map { x.dims[$0] }
        let kind: LayerKind = switch node.opType {
        case "ReduceMean": .globalAveragePool
        case "ReduceMax": .globalMaxPool
        default: .globalSumPool
        }
        if x.dims.count == 3, reduced == [1, 2] {
            addLayer(index, kind, inputs: [x.layer], output: output)
            return
        }
        let kept = ONNXLimits.product(x.dims.indices.filter { !reduced.contains($0) }.map { x.dims[$0] }) ?? 0
        let extent = ONNXLimits.product(reduced.map { x.dims[$0] }) ?? 0
        guard extent > 1 else {
            addLayer(index, .identity, inputs: [x.layer], output: output)
            return
        }
        var input = x.layer
        let rows = TensorShape(channels: kept, height: extent, width: 1)
        if foldedShape(x.dims) != rows {
            guard let view = addLayer(index, .reshape(rows), inputs: [x.layer], output: [kept, extent], suffix: ".rows",
                                      bind: false) else { return }
            input = view
        }
        addLayer(index, kind, inputs: [input], output: output)
    }
}
