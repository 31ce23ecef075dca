/// One op's evaluation: its tile (none for zero-cost ops) and counts.
struct OperationEvaluation {
    var tile: LayerTile?
    var counts: Counts
}

/// What a cost model needs besides the op: the run's batch (R2), the output width R3 chose, whether
/// fusion keeps the op's array-side operand on chip (§4.6), and the hardware.
struct EvaluationContext {
    var batch: Double
    var outputBits: Double
    var fused: Bool
    var hw: DerivedHardware
    /// How convolutions and GEMMs lie on the array (the published model: weight stationary).
    var mapping: ArrayMapping = Dataflow.weightStationary.mapping
}

/// The array ops whose output the published fusion option can keep on chip.
enum ArrayProducer: Sendable, Hashable {
    case convolution, gemm
}

/// How an op takes part in the fusion option (GENESYS-MODEL.md §4.6).
enum FusionRole: Sendable, Hashable {
    /// Skipped over by the neighbour search (zero-cost views, softmax).
    case transparent
    /// Takes part in the neighbour search but never fuses: nothing pairs across it (a concat,
    /// whose reader needs every producer's output in DRAM).
    case barrier
    /// An array op whose output can stay on chip for the SIMD op after it.
    case producer(ArrayProducer)
    /// A SIMD op that takes an on-chip output of these array ops (possibly none: then fusion
    /// with an array op before it is not modelled).
    case consumer(accepts: [ArrayProducer])
}

/// Everything the simulator knows about one op kind: its published name, the unit that runs it,
/// its breakdown category, its fusion behaviour, the SIMD tiler whose capacity minimum it needs,
/// and its tiler and cost model. One conformance per kind, in `Operations/`.
protocol OperationModel {
    var name: String { get }
    var unit: ExecutionUnit { get }
    var category: OperationCategory { get }
    var fusion: FusionRole { get }
    /// The SIMD tiler, for the capacity checks (nil for array and zero-cost ops).
    var simdTiler: SIMDTilerKind? { get }
    /// The op's tile and counts; nil when no tile fits.
    func evaluate(_ context: EvaluationContext) -> OperationEvaluation?
}

/// Something done with an op's model, generic over the model so no existential box is made.
protocol OperationModelVisitor {
    associatedtype Result
    func visit<Model: OperationModel>(_ model: Model) -> Result
}

extension Operation {
    /// The one place that maps each case to its model: exhaustive, so a new case fails to compile
    /// until it has one. Inlined so each use specializes and the models' values are not copied.
    @inline(__always)
    func withModel<Visitor: OperationModelVisitor>(_ visitor: Visitor) -> Visitor.Result {
        switch self {
        case .convolution(let op): visitor.visit(op)
        case .gemm(let op): visitor.visit(op)
        case .relu(let tensor): visitor.visit(PublishedElementwiseModel(add: false, tensor: tensor))
        case .elementwiseAdd(let tensor): visitor.visit(PublishedElementwiseModel(add: true, tensor: tensor))
        case .maxPool(let op): visitor.visit(PoolModel(kind: .max, op: op))
        case .averagePool(let op): visitor.visit(PoolModel(kind: .average, op: op))
        case .globalAveragePool(let op): visitor.visit(PoolModel(kind: .globalAverage, op: op))
        case .globalMaxPool(let op): visitor.visit(PoolModel(kind: .globalMax, op: op))
        case .spatialReduction(let op): visitor.visit(PoolModel(kind: .globalSum, op: op))
        case .softmax(let op): visitor.visit(op)
        case .softmaxGradient(let op): visitor.visit(SoftmaxGradientModel(op: op))
        case .meanVariance(let tensor): visitor.visit(BatchNormModel(kind: .statistics, tensor: tensor))
        case .batchNorm(let tensor): visitor.visit(BatchNormModel(kind: .apply, tensor: tensor))
        case .batchNormBackward(let tensor): visitor.visit(BatchNormModel(kind: .backward, tensor: tensor))
        case .reluGradient(let tensor): visitor.visit(ReLUGradientModel(tensor: tensor))
        case .reduceSum(let op): visitor.visit(op)
        case .weightUpdate(let op): visitor.visit(op)
        case .maxPoolGradient(let op): visitor.visit(PoolGradientModel(kind: .max, op: op))
        case .averagePoolGradient(let op): visitor.visit(PoolGradientModel(kind: .average, op: op))
        case .globalAveragePoolGradient(let op): visitor.visit(PoolGradientModel(kind: .globalAverage, op: op))
        case .globalMaxPoolGradient(let op): visitor.visit(PoolGradientModel(kind: .globalMax, op: op))
        case .globalSumPoolGradient(let op): visitor.visit(PoolGradientModel(kind: .globalSum, op: op))
        case .activation(let op): visitor.visit(ActivationModel(op: op))
        case .activationGradient(let op): visitor.visit(ActivationGradientModel(op: op))
        case .broadcast(let op): visitor.visit(op)
        case .localResponseNorm(let op): visitor.visit(LRNModel(op: op, gradient: false))
        case .localResponseNormGradient(let op): visitor.visit(LRNModel(op: op, gradient: true))
        case .permute(let tensor): visitor.visit(PermuteModel(tensor: tensor))
        case .concat(let tensor): visitor.visit(JoinModel(tensor: tensor, kind: .concat))
        case .split(let tensor): visitor.visit(JoinModel(tensor: tensor, kind: .split))
        case .slice(let tensor): visitor.visit(JoinModel(tensor: tensor, kind: .slice))
        case .sampleMask(let op): visitor.visit(op)
        case .zeroCost(let name): visitor.visit(ZeroCostModel(name: name))
        }
    }

    /// The op name (the `operation` field of a SimDIT spec for the published ops).
    public var name: String { withModel(NameOf()) }

    /// Which unit runs it.
    public var unit: ExecutionUnit { withModel(UnitOf()) }

    /// The breakdown category of this op.
    public var category: OperationCategory { withModel(CategoryOf()) }

    var fusion: FusionRole { withModel(FusionOf()) }

    /// The name and category together (one dispatch), for results.
    var traits: (name: String, category: OperationCategory) { withModel(TraitsOf()) }

    /// The SIMD tiler an op uses, for the capacity checks.
    var simdTiler: SIMDTilerKind? { withModel(TilerOf()) }

    /// Evaluates the op, its DRAM traffic booked as fills and drains of its unit's buffers; nil
    /// when no tile fits.
    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? { withModel(Evaluate(context: context)) }

    /// Evaluates one op (the allocation search's entry point).
    static func evaluate(_ operation: Operation, batch: Double, outputBits: Double, fused: Bool,
                         dataflow: Dataflow = .weightStationary, _ hw: DerivedHardware) -> OperationEvaluation? {
        operation.evaluate(EvaluationContext(batch: batch, outputBits: outputBits, fused: fused, hw: hw,
                                             mapping: dataflow.mapping))
    }
}

private struct NameOf: OperationModelVisitor {
    func visit<Model: OperationModel>(_ model: Model) -> String { model.name }
}

private struct TraitsOf: OperationModelVisitor {
    func visit<Model: OperationModel>(_ model: Model) -> (name: String, category: OperationCategory) {
        (model.name, model.category)
    }
}

private struct UnitOf: OperationModelVisitor {
    func visit<Model: OperationModel>(_ model: Model) -> ExecutionUnit { model.unit }
}

private struct CategoryOf: OperationModelVisitor {
    func visit<Model: OperationModel>(_ model: Model) -> OperationCategory { model.category }
}

private struct FusionOf: OperationModelVisitor {
    func visit<Model: OperationModel>(_ model: Model) -> FusionRole { model.fusion }
}

private struct TilerOf: OperationModelVisitor {
    func visit<Model: OperationModel>(_ model: Model) -> SIMDTilerKind? { model.simdTiler }
}

private struct Evaluate: OperationModelVisitor {
    var context: EvaluationContext
    @inline(__always)
    func visit<Model: OperationModel>(_ model: Model) -> OperationEvaluation? {
        guard var evaluation = model.evaluate(context) else { return nil }
        evaluation.counts.bookTransfers(on: model.unit)
        return evaluation
    }
}

/// R2 for an array op's batch: the run's batch, except for a weight-gradient op, whose temporal
/// "batch" is the forward op's input channels (the spec value).
@inline(__always)
func overriddenBatch(_ specBatch: Int, _ role: GradientRole, _ batch: Double) -> Double {
    role == .weightGradient ? Double(specBatch) : batch
}

/// R2 for an array op's input channels: a weight-gradient op reduces over the run's batch.
@inline(__always)
func overriddenInputs(_ inputs: Int, _ role: GradientRole, _ batch: Double) -> Double {
    role == .weightGradient ? batch : Double(inputs)
}

/// An op the model gives no cost: it moves no data (`coarse_flatten`, `reshape`, `dropout` at
/// inference) or only renames DRAM regions (`concat`, `split`), MODEL-EXTENSIONS.md §9.
struct ZeroCostModel: OperationModel {
    var name: String
    var unit: ExecutionUnit { .none }
    var category: OperationCategory { .other }
    var fusion: FusionRole { .transparent }
    var simdTiler: SIMDTilerKind? { nil }
    func evaluate(_ context: EvaluationContext) -> OperationEvaluation? { .init(tile: nil, counts: .zero) }
}
