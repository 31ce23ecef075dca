import Foundation

/// Nodes whose inputs are all constants compute constants: weight reshapes, the shape arithmetic
/// exporters emit (`Shape` → `Gather` → `Div` → `Slice` for a channel chunk; `Range`, `Equal`,
/// `Where`, `Expand`, `ConstantOfShape`), and training masks (`RandomUniformLike` → `Less` →
/// `Cast` → `Div`). Their dimensions are always propagated where the op is known; their values
/// when every input's are known and the result has at most `ONNXConstant.dataLimit` elements, so
/// the work is bounded by the graph, never by a number in it. Values of weights stored in external
/// data are not read for this (only integer constants and operands that are shapes, axes or
/// indices are).
extension ONNXImporter {
    /// A node on constants only: its outputs are constants, evaluated where the op is known. An op
    /// the folder does not evaluate (or another domain's) gives constants that remember it: if a
    /// later node fails for want of their shape or values, that op is what is reported unsupported.
    mutating func importConstantNode(_ index: Int) {
        let node = model.graph.node[index]
        let defaultDomain = node.domain.isEmpty || node.domain == "ai.onnx"
        let positions = ONNXFolding.valuePositions(node.opType)
        var inputs: [ONNXConstant?] = []
        for (position, name) in node.input.enumerated() {
            guard !name.isEmpty, case .constant(let stored)? = values[name] else {
                inputs.append(nil)
                continue
            }
            // Values are read from external data only where the op may use them: shapes, axes and
            // indices, and integer tensors (shape arithmetic), but never for Shape or Size.
            let integral = (ONNXDataType(rawValue: stored.dataType)?.isIntegral ?? false)
                && node.opType != "Shape" && node.opType != "Size"
            inputs.append(positions.contains(position) || integral || stored.external == nil ? constant(name) : stored)
        }
        let results = defaultDomain
            ? ONNXFolding(opType: node.opType, attributes: ONNXAttributes(node), opset: opset).evaluate(inputs) : nil
        for (position, output) in node.output.enumerated() where !output.isEmpty {
            guard let results else {
                var unevaluated = ONNXConstant.unknown
                unevaluated.unevaluated = index
                values[output] = .constant(unevaluated)
                continue
            }
            values[output] = .constant(position < results.count ? results[position] : .unknown)
        }
    }
}

/// The evaluation of one node on constants.
struct ONNXFolding {
    var opType: String
    var attributes: ONNXAttributes
    var opset: Int

    /// A constant's dimensions and values as one dense array (values as doubles; `integral` when
    /// they are integers).
    struct Dense {
        var dims: [Int]
        var data: [Double]
        var integral: Bool
    }

    /// The input positions whose values the op uses (shapes, axes, indices, bounds): read even
    /// from external data.
    static func valuePositions(_ opType: String) -> Set<Int> {
        switch opType {
        case "Reshape", "Expand", "Unsqueeze", "Squeeze", "Gather", "ConstantOfShape": [0, 1]
        case "Slice": [1, 2, 3, 4]
        case "Range": [0, 1, 2]
        case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "Split": [1]
        default: []
        }
    }

    /// The outputs, nil for an op the folder does not evaluate.
    func evaluate(_ inputs: [ONNXConstant?]) -> [ONNXConstant]? {
        guard var results = compute(inputs) else { return nil }
        // What an unevaluated op feeds, without a shape of its own, still remembers that op.
        if let source = inputs.compactMap({ $0?.unevaluated }).first {
            for i in results.indices where results[i].dims == nil { results[i].unevaluated = source }
        }
        // Whatever a random draw feeds is random too: a mask, with the draw's keep probability.
        if let draw = inputs.compactMap({ $0 }).first(where: \.random) {
            for i in results.indices {
                results[i].random = true
                results[i].keepProbability = results[i].keepProbability ?? draw.keepProbability
            }
        }
        return results
    }

    private func compute(_ inputs: [ONNXConstant?]) -> [ONNXConstant]? {
        let a = attributes
        func input(_ i: Int) -> ONNXConstant? { i < inputs.count ? inputs[i] : nil }
        func dense(_ i: Int) -> Dense? { input(i).flatMap(Self.dense) }
        switch opType {
        case "Constant":
            if let tensor = a.tensor("value") { return [ONNXConstant(tensor)] }
            if let value = a.float("value_float") { return [Self.make(Dense(dims: [], data: [value], integral: false))] }
            if let value = a.int("value_int") { return [Self.make(Dense(dims: [], data: [Double(value)], integral: true))] }
            if let values = a.ints("value_ints") {
                return [Self.make(Dense(dims: [values.count], data: values.map(Double.init), integral: true))]
            }
            if let values = a.floats("value_floats") { return [Self.make(Dense(dims: [values.count], data: values, integral: false))] }
            return [.unknown]
        case "ConstantOfShape":
            guard let shape = input(0)?.integers, shape.allSatisfy({ $0 >= 0 && $0 <= ONNXLimits.dimension }),
                  let count = ONNXLimits.product(shape) else { return [.unknown] }
            let fill = a.tensor("value").map(ONNXConstant.init)
            let value = fill?.reals?.first ?? 0
            let integral = fill.flatMap { ONNXDataType(rawValue: $0.dataType)?.isIntegral } ?? false
            return [Self.make(dims: shape, count <= ONNXConstant.dataLimit ? [Double](repeating: value, count: count) : nil, integral)]
        case "Identity", "Dropout":
            return [input(0) ?? .unknown]
        case "Cast", "CastLike":
            guard var x = input(0) else { return [.unknown] }
            let to = opType == "Cast" ? a.int("to").map { Int32(clamping: $0) } : input(1)?.dataType
            guard let to, let type = ONNXDataType(rawValue: to) else { return [x] }
            if let d = Self.dense(x) {
                let converted: [Double] = switch type {
                case .bool: d.data.map { $0 != 0 ? 1 : 0 }
                case _ where type.isIntegral: d.data.map { $0.rounded(.towardZero) }
                default: d.data
                }
                x = Self.make(Dense(dims: d.dims, data: converted, integral: type.isIntegral))
            }
            x.dataType = to
            return [x]
        case "Shape":
            guard let dims = input(0)?.dims else { return [.unknown] }
            let rank = dims.count
            func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + rank : v, 0), rank) }
            let start = clamp(a.int("start") ?? 0), end = clamp(a.int("end") ?? rank)
            let shape = start < end ? Array(dims[start..<end]) : []
            return [Self.make(Dense(dims: [shape.count], data: shape.map(Double.init), integral: true))]
        case "Size":
            guard let count = input(0)?.elements else { return [.unknown] }
            return [Self.make(Dense(dims: [], data: [Double(count)], integral: true))]
        case "Reshape": return [reshape(input(0), input(1)?.integers ?? (opset < 5 ? a.ints("shape") : nil))]
        case "Flatten":
            guard let x = input(0), let dims = x.dims else { return [.unknown] }
            let given = a.int("axis") ?? 1
            let axis = min(max(given < 0 ? given + dims.count : given, 0), dims.count)
            return [reshape(x, [ONNXLimits.product(dims[..<axis]) ?? 0, ONNXLimits.product(dims[axis...]) ?? 0])]
        case "Unsqueeze", "Squeeze": return [squeeze(input(0), opset < 13 ? a.ints("axes") : input(1)?.integers)]
        case "Transpose": return [transpose(input(0), a.ints("perm"))]
        case "Concat": return [concat(inputs, axis: a.int("axis") ?? 0)]
        case "Gather": return [gather(input(0), input(1), axis: a.int("axis") ?? 0)]
        case "Slice":
            if opset < 10 { return [slice(input(0), starts: a.ints("starts"), ends: a.ints("ends"), axes: a.ints("axes"), steps: nil)] }
            return [slice(input(0), starts: input(1)?.integers, ends: input(2)?.integers, axes: input(3)?.integers,
                          steps: input(4)?.integers)]
        case "Range":
            guard let start = dense(0)?.data.first, let limit = dense(1)?.data.first, let delta = dense(2)?.data.first,
                  delta != 0, start.isFinite, limit.isFinite else { return [.unknown] }
            let count = max(0, ((limit - start) / delta).rounded(.up))
            guard count <= Double(ONNXConstant.dataLimit) else { return [.unknown] }
            let integral = dense(0)?.integral ?? false
            return [Self.make(Dense(dims: [Int(count)], data: (0..<Int(count)).map { start + Double($0) * delta }, integral: integral))]
        case "Expand":
            guard let x = input(0), let dims = x.dims, let shape = input(1)?.integers,
                  let out = Self.broadcast(dims, shape) else { return [.unknown] }
            return [elementwise([x], dims: out, integral: Self.dense(x)?.integral ?? false) { $0[0] }]
        case "Where":
            return [map3(inputs) { $0[0] != 0 ? $0[1] : $0[2] }]
        case "Equal": return [map2(inputs, logical: true) { $0 == $1 ? 1 : 0 }]
        case "Less": return [comparison(inputs) { $0 < $1 ? 1 : 0 }]
        case "LessOrEqual": return [comparison(inputs) { $0 <= $1 ? 1 : 0 }]
        case "Greater": return [comparison(inputs, keepsBelow: false) { $0 > $1 ? 1 : 0 }]
        case "GreaterOrEqual": return [comparison(inputs, keepsBelow: false) { $0 >= $1 ? 1 : 0 }]
        case "And": return [map2(inputs, logical: true) { $0 != 0 && $1 != 0 ? 1 : 0 }]
        case "Or": return [map2(inputs, logical: true) { $0 != 0 || $1 != 0 ? 1 : 0 }]
        case "Xor": return [map2(inputs, logical: true) { ($0 != 0) != ($1 != 0) ? 1 : 0 }]
        case "Add": return [map2(inputs) { $0 + $1 }]
        case "Sub": return [map2(inputs) { $0 - $1 }]
        case "Mul": return [map2(inputs) { $0 * $1 }]
        case "Div": return [map2(inputs, divide: true) { $0 / $1 }]
        case "Mod": return [map2(inputs) { $1 == 0 ? .nan : $0 - $1 * ($0 / $1).rounded(.down) }]
        case "Pow": return [map2(inputs) { pow($0, $1) }]
        case "Min", "Max", "Sum", "Mean":
            guard var result = inputs.first ?? nil else { return [.unknown] }
            for next in inputs.dropFirst() {
                result = map2([result, next]) { opType == "Min" ? min($0, $1) : opType == "Max" ? max($0, $1) : $0 + $1 }
            }
            if opType == "Mean", let d = Self.dense(result) {
                result = Self.make(Dense(dims: d.dims, data: d.data.map { $0 / Double(inputs.count) }, integral: false))
            }
            return [result]
        case "Not": return [map1(inputs, logical: true) { $0 == 0 ? 1 : 0 }]
        case "Neg": return [map1(inputs) { -$0 }]
        case "Abs": return [map1(inputs) { abs($0) }]
        case "Floor": return [map1(inputs) { $0.rounded(.down) }]
        case "Ceil": return [map1(inputs) { $0.rounded(.up) }]
        case "Sqrt": return [map1(inputs) { $0.squareRoot() }]
        case "Reciprocal": return [map1(inputs) { 1 / $0 }]
        case "Sign": return [map1(inputs) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }]
        case "ReduceProd", "ReduceSum", "ReduceMin", "ReduceMax", "ReduceMean":
            let axesSince = opType == "ReduceSum" ? 13 : 18
            var axes = opset < axesSince ? a.ints("axes") : nil
            if opset >= axesSince, let given = input(1) {
                guard let values = given.integers else { return [.unknown] }   // axes whose values are unknown
                axes = values
            }
            // No axes (absent or empty) reduce everything, unless noop_with_empty_axes.
            if (axes ?? []).isEmpty && (a.int("noop_with_empty_axes") ?? 0) != 0 { return [input(0) ?? .unknown] }
            return [reduce(input(0), axes: (axes ?? []).isEmpty ? nil : axes, keepDims: (a.int("keepdims") ?? 1) != 0)]
        case "RandomUniformLike", "RandomNormalLike", "Bernoulli":
            var mask = ONNXConstant(dims: input(0)?.dims, integers: nil, reals: nil)
            mask.random = true
            return [mask]
        case "RandomUniform", "RandomNormal":
            var mask = ONNXConstant(dims: a.ints("shape"), integers: nil, reals: nil)
            if let dims = mask.dims, !(dims.allSatisfy { $0 >= 0 } && ONNXLimits.product(dims) != nil) { mask.dims = nil }
            mask.random = true
            return [mask]
        default:
            return nil
        }
    }

    // MARK: Dense values

    static func dense(_ c: ONNXConstant) -> Dense? {
        guard let dims = c.dims, let count = ONNXLimits.product(dims), let reals = c.reals, reals.count == count else { return nil }
        let integral = ONNXDataType(rawValue: c.dataType)?.isIntegral ?? (c.integers != nil && c.dataType == 0)
        return Dense(dims: dims, data: reals, integral: integral)
    }

    static func make(_ d: Dense) -> ONNXConstant { make(dims: d.dims, d.data, d.integral) }

    /// A constant of these dimensions, with its values when known and small; integers are kept
    /// beside the reals when every value is whole.
    static func make(dims: [Int]?, _ data: [Double]?, _ integral: Bool) -> ONNXConstant {
        var c = ONNXConstant(dims: dims, integers: nil, reals: nil)
        c.dataType = integral ? ONNXDataType.int64.rawValue : ONNXDataType.float.rawValue
        if let data, data.count <= ONNXConstant.dataLimit, data.count == dims.flatMap(ONNXLimits.product) {
            c.reals = data
            if data.allSatisfy({ $0 == $0.rounded() && abs($0) <= Double(1 << 31) }) { c.integers = data.map { Int($0) } }
        }
        return c
    }

    /// Numpy broadcasting of two shapes (right-aligned).
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a, pb = [Int](repeating: 1, count: rank - b.count) + b
        var result: [Int] = []
        for (p, q) in zip(pa, pb) {
            guard p == q || p == 1 || q == 1 else { return nil }
            result.append(p == 1 ? q : p)
        }
        return result
    }

    /// For each element of `out`, the offset of the element of a tensor of `dims` that broadcasts
    /// to it.
    static func broadcastOffsets(_ dims: [Int], to out: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: out.count - dims.count) + dims
        let strides = zip(padded, rowMajorStrides(padded)).map { $0 == 1 ? 0 : $1 }   // a broadcast axis stays put
        return strided(out, strides)
    }

    /// The strides of a row-major tensor of these dimensions, in elements.
    static func rowMajorStrides(_ dims: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: dims.count)
        for axis in dims.indices.reversed().dropFirst() { strides[axis] = strides[axis + 1] * dims[axis + 1] }
        return strides
    }

    /// An element-wise op of broadcast inputs: the result's dimensions, and its values when every
    /// input's are known and it is small.
    private func elementwise(_ inputs: [ONNXConstant], dims: [Int], integral: Bool, _ f: ([Double]) -> Double) -> ONNXConstant {
        guard let count = ONNXLimits.product(dims), count <= ONNXConstant.dataLimit else { return Self.make(dims: dims, nil, integral) }
        let operands = inputs.compactMap(Self.dense)
        guard operands.count == inputs.count else { return Self.make(dims: dims, nil, integral) }
        let offsets = operands.map { Self.broadcastOffsets($0.dims, to: dims) }
        var data = [Double](repeating: 0, count: count)
        var arguments = [Double](repeating: 0, count: operands.count)
        for position in 0..<count {
            for k in operands.indices { arguments[k] = operands[k].data[offsets[k][position]] }
            data[position] = f(arguments)
        }
        return Self.make(dims: dims, data, integral)
    }

    private func map1(_ inputs: [ONNXConstant?], logical: Bool = false, _ f: @escaping (Double) -> Double) -> ONNXConstant {
        guard let x = inputs.first ?? nil, let dims = x.dims else { return .unknown }
        return elementwise([x], dims: dims, integral: logical || (Self.dense(x)?.integral ?? false)) { f($0[0]) }
    }

    private func map2(_ inputs: [ONNXConstant?], logical: Bool = false, divide: Bool = false,
                      _ f: @escaping (Double, Double) -> Double) -> ONNXConstant {
        guard inputs.count >= 2, let x = inputs[0], let y = inputs[1], let dx = x.dims, let dy = y.dims,
              let dims = Self.broadcast(dx, dy) else { return .unknown }
        let integral = logical || ((Self.dense(x)?.integral ?? false) && (Self.dense(y)?.integral ?? false))
        // Integer division truncates (as ONNX runtimes do for integer tensors).
        return elementwise([x, y], dims: dims, integral: integral) { values in
            let value = f(values[0], values[1])
            return divide && integral ? value.rounded(.towardZero) : value
        }
    }

    /// A comparison: a uniform random draw compared with a constant threshold `t` keeps an element
    /// with probability `t` (`Less`, `LessOrEqual`) or `1 − t` (`Greater`, `GreaterOrEqual`).
    private func comparison(_ inputs: [ONNXConstant?], keepsBelow: Bool = true,
                            _ f: @escaping (Double, Double) -> Double) -> ONNXConstant {
        var result = map2(inputs, logical: true, f)
        if inputs.count >= 2, inputs[0]?.random == true, let threshold = inputs[1]?.reals, threshold.count == 1 {
            result.keepProbability = keepsBelow ? threshold[0] : 1 - threshold[0]
        }
        return result
    }

    private func map3(_ inputs: [ONNXConstant?], _ f: @escaping ([Double]) -> Double) -> ONNXConstant {
        guard inputs.count >= 3, let c = inputs[0], let x = inputs[1], let y = inputs[2], let dc = c.dims, let dx = x.dims,
              let dy = y.dims, let partial = Self.broadcast(dc, dx), let dims = Self.broadcast(partial, dy) else { return .unknown }
        let integral = (Self.dense(x)?.integral ?? false) && (Self.dense(y)?.integral ?? false)
        return elementwise([c, x, y], dims: dims, integral: integral, f)
    }

    // MARK: Shapes

    private func reshape(_ x: ONNXConstant?, _ target: [Int]?) -> ONNXConstant {
        guard let x, let dims = x.dims, let target else { return .unknown }
        let allowZero = (attributes.int("allowzero") ?? 0) != 0
        let elements = ONNXLimits.product(dims) ?? 0
        var out = target.enumerated().map { $1 == 0 && !allowZero && $0 < dims.count ? dims[$0] : $1 }
        if let hole = out.firstIndex(of: -1) {
            let known = ONNXLimits.product(out.filter { $0 != -1 }) ?? 0
            out[hole] = known > 0 ? elements / known : 0
        }
        guard out.allSatisfy({ $0 >= 0 && $0 <= ONNXLimits.dimension }), ONNXLimits.product(out) == elements else { return .unknown }
        var result = x
        result.dims = out
        return result
    }

    private func squeeze(_ x: ONNXConstant?, _ axes: [Int]?) -> ONNXConstant {
        guard var result = x, var dims = result.dims else { return .unknown }
        if opType == "Unsqueeze" {
            guard let axes else { return .unknown }
            let rank = dims.count + axes.count
            let sorted = axes.map { $0 < 0 ? $0 + rank : $0 }.sorted()
            guard Set(sorted).count == sorted.count, sorted.allSatisfy({ $0 >= 0 && $0 < rank }) else { return .unknown }
            for axis in sorted { dims.insert(1, at: axis) }
        } else {
            let rank = dims.count
            let drop = Set((axes ?? dims.indices.filter { dims[$0] == 1 }).map { $0 < 0 ? $0 + rank : $0 })
            guard drop.allSatisfy({ $0 >= 0 && $0 < rank && dims[$0] == 1 }) else { return .unknown }
            dims = dims.indices.filter { !drop.contains($0) }.map { dims[$0] }
        }
        result.dims = dims
        return result
    }

    private func transpose(_ x: ONNXConstant?, _ permutation: [Int]?) -> ONNXConstant {
        guard let x, let dims = x.dims else { return .unknown }
        let perm = permutation ?? Array((0..<dims.count).reversed())
        guard perm.count == dims.count, Set(perm) == Set(0..<dims.count) else { return .unknown }
        let out = perm.map { dims[$0] }
        guard let d = Self.dense(x) else { return Self.make(dims: out, nil, false) }
        // The source offset of each output element: the input strides, permuted.
        let inputStrides = Self.rowMajorStrides(dims)
        let strides = perm.map { inputStrides[$0] }
        let data = Self.strided(out, strides).map { d.data[$0] }
        return Self.make(dims: out, data, d.integral)
    }

    /// The offsets of every element of a `dims` walk with these strides, in order (plus `base`).
    static func strided(_ dims: [Int], _ strides: [Int], base: Int = 0) -> [Int] {
        let count = ONNXLimits.product(dims) ?? 0
        var offsets: [Int] = []
        offsets.reserveCapacity(count)
        var index = [Int](repeating: 0, count: dims.count)
        for _ in 0..<count {
            var offset = base
            for axis in dims.indices { offset += index[axis] * strides[axis] }
            offsets.append(offset)
            var axis = dims.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < dims[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return offsets
    }

    private func concat(_ inputs: [ONNXConstant?], axis: Int) -> ONNXConstant {
        let parts = inputs.compactMap { $0 }
        guard parts.count == inputs.count, let first = parts.first?.dims else { return .unknown }
        let rank = first.count
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < max(rank, 1), parts.allSatisfy({ $0.dims?.count == rank }) else { return .unknown }
        var out = first
        if rank > 0 { out[a] = parts.reduce(0) { $0 + ($1.dims?[a] ?? 0) } }
        for part in parts {
            guard let dims = part.dims, dims.indices.allSatisfy({ $0 == a || dims[$0] == first[$0] }) else { return .unknown }
        }
        let dense = parts.compactMap(Self.dense)
        guard dense.count == parts.count, rank > 0, (ONNXLimits.product(out) ?? .max) <= ONNXConstant.dataLimit else {
            return Self.make(dims: out, nil, dense.allSatisfy(\.integral))
        }
        // Blocks of `inner` elements, taken from each part in turn, `outer` times.
        let outer = ONNXLimits.product(first[..<a]) ?? 0
        var data: [Double] = []
        for block in 0..<outer {
            for part in dense {
                let inner = ONNXLimits.product(part.dims[a...]) ?? 0
                data += part.data[(block * inner)..<((block + 1) * inner)]
            }
        }
        return Self.make(dims: out, data, dense.allSatisfy(\.integral))
    }

    private func gather(_ x: ONNXConstant?, _ indices: ONNXConstant?, axis: Int) -> ONNXConstant {
        guard let x, let dims = x.dims, let indices, let indexDims = indices.dims, !dims.isEmpty else { return .unknown }
        let a = axis < 0 ? axis + dims.count : axis
        guard a >= 0, a < dims.count else { return .unknown }
        let out = Array(dims[..<a]) + indexDims + Array(dims[(a + 1)...])
        guard let d = Self.dense(x), let picks = indices.integers, (ONNXLimits.product(out) ?? .max) <= ONNXConstant.dataLimit else {
            return Self.make(dims: out, nil, Self.dense(x)?.integral ?? false)
        }
        let size = dims[a]
        let normalized = picks.map { $0 < 0 ? $0 + size : $0 }
        guard normalized.allSatisfy({ $0 >= 0 && $0 < size }) else { return .unknown }
        let outer = ONNXLimits.product(dims[..<a]) ?? 0, inner = ONNXLimits.product(dims[(a + 1)...]) ?? 0
        var data: [Double] = []
        for block in 0..<outer {
            for pick in normalized {
                let start = (block * size + pick) * inner
                data += d.data[start..<(start + inner)]
            }
        }
        return Self.make(dims: out, data, d.integral)
    }

    private func slice(_ x: ONNXConstant?, starts: [Int]?, ends: [Int]?, axes: [Int]?, steps: [Int]?) -> ONNXConstant {
        guard let x, let dims = x.dims, let starts, let ends, starts.count == ends.count else { return .unknown }
        let axes = (axes ?? Array(0..<starts.count)).map { $0 < 0 ? $0 + dims.count : $0 }
        let steps = steps ?? [Int](repeating: 1, count: starts.count)
        guard axes.count == starts.count, steps.count == starts.count, Set(axes).count == axes.count,
              axes.allSatisfy({ $0 >= 0 && $0 < dims.count }), !steps.contains(0) else { return .unknown }
        var out = dims
        var first = [Int](repeating: 0, count: dims.count)
        var step = [Int](repeating: 1, count: dims.count)
        for (i, axis) in axes.enumerated() {
            (first[axis], out[axis]) = Self.sliceRange(start: starts[i], end: ends[i], step: steps[i], size: dims[axis])
            step[axis] = steps[i]
        }
        guard let d = Self.dense(x), (ONNXLimits.product(out) ?? .max) <= ONNXConstant.dataLimit else {
            return Self.make(dims: out, nil, Self.dense(x)?.integral ?? false)
        }
        let inputStrides = Self.rowMajorStrides(dims)
        let base = dims.indices.reduce(0) { $0 + first[$1] * inputStrides[$1] }
        let strides = dims.indices.map { inputStrides[$0] * step[$0] }
        return Self.make(dims: out, Self.strided(out, strides, base: base).map { d.data[$0] }, d.integral)
    }

    /// ONNX `Slice` on one axis of `size` elements: the first index taken and how many are taken
    /// (negative starts and ends count from the end; both are clamped to the axis; steps of
    /// either sign, not 0).
    static func sliceRange(start: Int, end: Int, step: Int, size: Int) -> (first: Int, length: Int) {
        var start = start < 0 ? start + size : start
        var end = end < 0 ? end + size : end
        if step > 0 {
            start = min(max(start, 0), size)
            end = min(max(end, 0), size)
            return (start, end > start ? (end - start + step - 1) / step : 0)
        }
        start = min(max(start, 0), size - 1)
        end = min(max(end, -1), size - 1)
        return (start, start > end ? (start - end - step - 1) / -step : 0)
    }

    private func reduce(_ x: ONNXConstant?, axes: [Int]?, keepDims: Bool) -> ONNXConstant {
        guard let x, let dims = x.dims else { return .unknown }
        let reduced = Set((axes ?? Array(dims.indices)).map { $0 < 0 ? $0 + dims.count : $0 })
        guard reduced.allSatisfy({ $0 >= 0 && $0 < dims.count }) else { return .unknown }
        let out = keepDims ? dims.indices.map { reduced.contains($0) ? 1 : dims[$0] }
                           : dims.indices.filter { !reduced.contains($0) }.map { dims[$0] }
        guard let d = Self.dense(x), !d.data.isEmpty else { return Self.make(dims: out, nil, Self.dense(x)?.integral ?? false) }
        // Each input element's output position: its index with the reduced axes zeroed.
        let kept = dims.indices.map { reduced.contains($0) ? 1 : dims[$0] }
        var outStrides = [Int](repeating: 0, count: dims.count)
        var stride = 1
        for axis in dims.indices.reversed() where !reduced.contains(axis) {
            outStrides[axis] = stride
            stride *= kept[axis]
        }
        let targets = Self.strided(dims, outStrides)
        let count = ONNXLimits.product(kept) ?? 0
        var groups = [[Double]](repeating: [], count: count)
        for (position, target) in targets.enumerated() { groups[target].append(d.data[position]) }
        let data = groups.map { group -> Double in
            switch opType {
            case "ReduceProd": group.reduce(1, *)
            case "ReduceSum": group.reduce(0, +)
            case "ReduceMin": group.min() ?? 0
            case "ReduceMax": group.max() ?? 0
            default: group.reduce(0, +) / Double(max(group.count, 1))
            }
        }
        return Self.make(dims: out, data, d.integral && opType != "ReduceMean")
    }
}
