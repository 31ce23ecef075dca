/// The published fusion option (GENESYS-MODEL.md §4.6): an array op's output can stay on chip for
/// the SIMD op that follows it.
enum FusionRules {
    /// Op names that take part in the neighbour search; everything else (zero-cost ops, softmax)
    /// is skipped over.
    static let participating: Set<String> = [
        "conv_bias", "conv", "gemm", "gemm_no_bias",
        "relu", "elem_add", "max_pool", "avg_pool", "global_avg_pool",
        "sgd4d", "sgd2d", "sgd1d", "relu_grad", "elem_add_grad", "reduce_sum",
        "mean_var", "batch_norm", "batchnorm_grad_x_mu",
        "max_pool_grad", "average_pool_grad", "global_average_pool_grad",
    ]

    /// Whether the published model fuses this array op into this SIMD op.
    static func isSupported(producer: String, consumer: String) -> Bool {
        switch producer {
        case "conv", "conv_bias": ["relu", "elem_add", "mean_var", "sgd4d"].contains(consumer)
        case "gemm", "gemm_no_bias": consumer == "sgd2d"
        default: false
        }
    }

    /// For each entry, whether it is fused: an array op whose nearest participating successor is a
    /// SIMD op, or a SIMD op whose nearest participating predecessor is an array op. A pair the
    /// published model does not cover is an issue (it asserts there).
    static func fusedOps(_ entries: [ProgramEntry]) -> (flags: [Bool], issues: [SimulationIssue]) {
        let names = entries.map(\.operation.publishedName)
        let participants = entries.indices.filter { participating.contains(names[$0]) }
        var flags = [Bool](repeating: false, count: entries.count)
        var issues: [SimulationIssue] = []
        for (position, index) in participants.enumerated() {
            let unit = entries[index].operation.unit
            let pair: (producer: Int, consumer: Int)?
            if unit == .systolic, position + 1 < participants.count,
               entries[participants[position + 1]].operation.unit == .simd {
                pair = (index, participants[position + 1])
            } else if unit == .simd, position > 0, entries[participants[position - 1]].operation.unit == .systolic {
                pair = (participants[position - 1], index)
            } else {
                pair = nil
            }
            guard let pair else { continue }
            if isSupported(producer: names[pair.producer], consumer: names[pair.consumer]) {
                flags[index] = true
            } else if index == pair.producer {
                issues.append(.unsupportedFusion(layer: entries[index].name,
                                                 producer: names[pair.producer], consumer: names[pair.consumer]))
            }
        }
        return (flags, issues)
    }
}
