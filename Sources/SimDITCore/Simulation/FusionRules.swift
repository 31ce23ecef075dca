/// The published fusion option (GENESYS-MODEL.md §4.6): an array op's output can stay on chip for
/// the SIMD op that follows it. Which op takes part, and how, is its model's `fusion` role.
enum FusionRules {
    /// For each entry, whether it is fused: an array op whose nearest participating successor is a
    /// SIMD op, or a SIMD op whose nearest participating predecessor is an array op (transparent
    /// ops are skipped over; a barrier takes part and pairs with nothing). A pair the consumer does not accept is an issue (the published model
    /// asserts there).
    static func fusedOps(_ entries: [ProgramEntry]) -> (flags: [Bool], issues: [SimulationIssue]) {
        let roles = entries.map(\.operation.fusion)
        let participants = entries.indices.filter { roles[$0] != .transparent }
        var flags = [Bool](repeating: false, count: entries.count)
        var issues: [SimulationIssue] = []
        for (position, index) in participants.enumerated() {
            let pair: (producer: Int, consumer: Int)?
            switch roles[index] {
            case .producer:
                if position + 1 < participants.count, case .consumer = roles[participants[position + 1]] {
                    pair = (index, participants[position + 1])
                } else {
                    pair = nil
                }
            case .consumer:
                if position > 0, case .producer = roles[participants[position - 1]] {
                    pair = (participants[position - 1], index)
                } else {
                    pair = nil
                }
            case .transparent, .barrier:
                pair = nil
            }
            guard let pair, case .producer(let producer) = roles[pair.producer],
                  case .consumer(let accepted) = roles[pair.consumer] else { continue }
            if accepted.contains(producer) {
                flags[index] = true
            } else if index == pair.producer {
                issues.append(.unsupportedFusion(layer: entries[index].name,
                                                 producer: entries[pair.producer].operation.name,
                                                 consumer: entries[pair.consumer].operation.name))
            }
        }
        return (flags, issues)
    }
}
