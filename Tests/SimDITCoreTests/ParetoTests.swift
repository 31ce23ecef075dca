import Testing
@testable import SimDITCore

/// The Pareto front against a brute force (every pair compared) on random point sets, with ties.
@Suite("Pareto front")
struct ParetoTests {
    static func bruteForce(_ points: [[Double]]) -> [Bool] {
        points.indices.map { i in !points.indices.contains { j in j != i && Pareto.dominates(points[j], points[i]) } }
    }

    @Test(arguments: [1, 2, 3, 4])
    func equalsTheBruteForce(dimensions: Int) {
        var generator = Random(seed: UInt64(dimensions) * 7919)
        for round in 0..<60 {
            let count = Int.random(in: 1...200, using: &generator)
            // Few distinct values, so ties and duplicates are common.
            let levels = round % 2 == 0 ? 5 : 1000
            let points = (0..<count).map { _ in (0..<dimensions).map { _ in Double(Int.random(in: 0..<levels, using: &generator)) } }
            #expect(Pareto.front(points) == Self.bruteForce(points), "round \(round)")
        }
    }

    @Test func samplingIsDeterministicAndBounded() {
        let sizes = [4, 4, 5, 4]
        #expect(SweepSampling.grid.indices(sizes: sizes) == Array(0..<320))
        let random = SweepSampling.random(points: 50, seed: 3).indices(sizes: sizes)
        #expect(random == SweepSampling.random(points: 50, seed: 3).indices(sizes: sizes))
        #expect(Set(random).count == 50 && random.allSatisfy { (0..<320).contains($0) })
        let cube = SweepSampling.latinHypercube(points: 40, seed: 5).indices(sizes: sizes)
        #expect(cube.count == 40)
        // Along every axis each value is used 40 / size times.
        for (axis, size) in sizes.enumerated() {
            let stride = sizes[(axis + 1)...].reduce(1, *)
            var uses = [Int](repeating: 0, count: size)
            for index in cube { uses[index / stride % size] += 1 }
            #expect(uses.allSatisfy { $0 == 40 / size }, "axis \(axis): \(uses)")
        }
    }
}
