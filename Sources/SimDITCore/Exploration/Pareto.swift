/// Pareto fronts: the points no other point dominates, all objectives minimised. A point dominates
/// another when it is no worse in every objective and better in at least one; equal points do not
/// dominate each other (both are on the front).
public enum Pareto {
    /// Whether each point is on the front. Exact: two objectives in `O(n log n)` (a sort and one
    /// pass), more in `O(n log n + n·f)` for a front of `f` points (each point is checked against
    /// the front so far, in lexicographic order, which no later point can dominate into).
    public static func front(_ points: [[Double]]) -> [Bool] {
        guard let dimensions = points.first?.count, dimensions > 0 else { return [] }
        let order = points.indices.sorted { a, b in
            for k in 0..<dimensions where points[a][k] != points[b][k] { return points[a][k] < points[b][k] }
            return a < b
        }
        var onFront = [Bool](repeating: false, count: points.count)
        if dimensions == 1 {
            let best = points[order[0]][0]
            for i in points.indices { onFront[i] = points[i][0] == best }
            return onFront
        }
        if dimensions == 2 {
            // Sorted by (x, y): a point is on the front when its y is below every y seen at a smaller x,
            // or it equals the last front point exactly.
            var bestY = Double.infinity
            var last: [Double]? = nil
            for index in order {
                let p = points[index]
                if p[1] < bestY {
                    onFront[index] = true
                    bestY = p[1]
                    last = p
                } else if let last, last == p {
                    onFront[index] = true
                }
            }
            return onFront
        }
        var front: [Int] = []
        for index in order {
            let p = points[index]
            let dominated = front.contains { dominates(points[$0], p) }
            if !dominated {
                onFront[index] = true
                front.append(index)
            }
        }
        return onFront
    }

    /// Whether `a` dominates `b` (minimisation).
    public static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var strictly = false
        for k in a.indices {
            if a[k] > b[k] { return false }
            if a[k] < b[k] { strictly = true }
        }
        return strictly
    }
}

/// Which points of a grid a sweep evaluates: all, a random sample, or a Latin hypercube.
public enum SweepSampling: Sendable, Hashable {
    case grid
    /// `points` distinct grid points, uniformly at random.
    case random(points: Int, seed: UInt64)
    /// `points` points (at most the grid's) such that along every axis each value is used as
    /// evenly as possible.
    case latinHypercube(points: Int, seed: UInt64)

    /// The grid indices to evaluate, in the order they are reported. `sizes` are the axes' value
    /// counts; a grid index is the mixed-radix number of the axes' value indices (the last axis
    /// fastest).
    public func indices(sizes: [Int]) -> [Int] {
        let total = sizes.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        switch self {
        case .grid:
            return Array(0..<total)
        case .random(let points, let seed):
            var generator = Random(seed: seed)
            guard points < total else { return Array(0..<total) }
            // Floyd's algorithm: `points` distinct values, work proportional to `points`.
            var chosen = Set<Int>()
            for j in (total - points)..<total {
                let t = Int.random(in: 0...j, using: &generator)
                chosen.insert(chosen.contains(t) ? j : t)
            }
            return chosen.sorted()
        case .latinHypercube(let requested, let seed):
            // More points than the grid has would only repeat cells.
            let points = Swift.min(requested, total)
            var generator = Random(seed: seed)
            var columns: [[Int]] = []
            for size in sizes {
                // Stratum s of `points` maps to value ⌊s·size/points⌋; strata shuffled per axis.
                var strata = Array(0..<points)
                strata.shuffle(using: &generator)
                columns.append(strata.map { $0 * size / points })
            }
            return (0..<points).map { row in
                var index = 0
                for (axis, size) in sizes.enumerated() { index = index * size + columns[axis][row] }
                return index
            }
        }
    }
}
