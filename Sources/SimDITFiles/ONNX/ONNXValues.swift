import Foundation
import SimDITCore

/// A tensor of an ONNX graph as the importer tracks it: an activation (per-sample dimensions, the
/// batch dimension dropped, and the layer that produces it), or a constant (an initializer or
/// anything computed from constants only: weights, shapes, scales).
enum ONNXValue {
    case activation(dims: [Int], layer: String)
    /// `dims` nil when the importer cannot tell (an op on constants it does not evaluate);
    /// `integers` and `reals` hold the data of small tensors (shape vectors, clip bounds).
    case constant(ONNXConstant)
    /// Produced by a node that could not be imported (already diagnosed): whatever reads it is
    /// skipped without a further diagnostic, so one unsupported node is reported once.
    case unavailable
}

struct ONNXConstant {
    var dims: [Int]?
    var integers: [Int]?
    var reals: [Double]?
    /// Data not yet read from an external file (read when the value is needed), with its type.
    var external: ONNXExternalReference?
    var dataType: Int32 = 0
    /// Drawn from a random generator (a dropout or stochastic-depth mask), and the probability of
    /// keeping an element when the graph compares the draw with a constant threshold.
    var random = false
    var keepProbability: Double?
    /// The node whose op the importer does not evaluate and that this constant comes from.
    var unevaluated: Int?

    init(dims: [Int]?, integers: [Int]?, reals: [Double]?) {
        self.dims = dims
        self.integers = integers
        self.reals = reals
    }

    /// Nothing known: an op the importer does not evaluate.
    static let unknown = ONNXConstant(dims: nil, integers: nil, reals: nil)

    var elements: Int? { dims.flatMap(ONNXLimits.product) }

    /// The most elements whose data the importer reads (shape vectors and scalars are tiny; weights
    /// are never read), so work does not depend on the size of a weight.
    static let dataLimit = 4096
}

/// The sizes the importer accepts, so that no product of them overflows.
enum ONNXLimits {
    /// The largest dimension of an activation or weight (16 Mi).
    static let dimension = 1 << 24
    /// The most elements of one sample's tensor or of a weight (1 Ti).
    static let elements = 1 << 40

    static func clamped(_ value: Int64) -> Int { Int(max(-(Int64(1) << 31), min(Int64(1) << 31, value))) }

    /// The product of dimensions, nil when it exceeds `elements` (or a dimension is negative).
    static func product<S: Sequence>(_ dims: S) -> Int? where S.Element == Int {
        var result = 1
        for d in dims {
            guard d >= 0 else { return nil }
            let (next, overflow) = result.multipliedReportingOverflow(by: d)
            guard !overflow, next <= elements else { return nil }
            result = next
        }
        return result
    }
}

/// The ONNX tensor element types (onnx.proto `TensorProto.DataType`) the importer reads data of.
enum ONNXDataType: Int32 {
    case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, bool = 9, double = 11,
         uint32 = 12, uint64 = 13, float16 = 10, bfloat16 = 16

    /// Bytes per element in `raw_data`.
    var byteSize: Int {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16, .float16, .bfloat16: 2
        case .float, .int32, .uint32: 4
        case .int64, .double, .uint64: 8
        }
    }

    /// Whether the type holds integers (bool included).
    var isIntegral: Bool {
        switch self {
        case .float, .double, .float16, .bfloat16: false
        default: true
        }
    }
}

extension ONNXConstant {
    /// A constant from an initializer or a `Constant`'s tensor: its dimensions and, when small,
    /// its data (integers for integer types, reals for float and double).
    init(_ tensor: Onnx_TensorProto) {
        let dims = tensor.dims.map(ONNXLimits.clamped)
        dataType = tensor.dataType
        guard dims.allSatisfy({ $0 >= 0 && $0 <= ONNXLimits.dimension }), let count = ONNXLimits.product(dims) else { return }
        self.dims = dims
        guard count <= ONNXConstant.dataLimit else { return }
        let raw = tensor.rawData
        switch ONNXDataType(rawValue: tensor.dataType) {
        case .int64:
            if !tensor.int64Data.isEmpty {
                integers = tensor.int64Data.map(ONNXLimits.clamped)
            } else if raw.count == count * 8 {
                integers = stride(from: 0, to: raw.count, by: 8).map { offset in
                    ONNXLimits.clamped(raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int64.self) }.littleEndian)
                }
            }
        case .int32, .int16, .int8, .uint8, .uint16, .bool:
            if !tensor.int32Data.isEmpty {
                integers = tensor.int32Data.map { Int($0) }
            } else if let type = ONNXDataType(rawValue: tensor.dataType), raw.count == count * type.byteSize {
                integers = stride(from: 0, to: raw.count, by: type.byteSize).map { offset in
                    raw.withUnsafeBytes { bytes -> Int in
                        switch type {
                        case .int32: Int(bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self).littleEndian)
                        case .int16: Int(bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self).littleEndian)
                        case .uint16: Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian)
                        case .int8: Int(bytes.loadUnaligned(fromByteOffset: offset, as: Int8.self))
                        default: Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt8.self))
                        }
                    }
                }
            }
        case .float:
            if !tensor.floatData.isEmpty {
                reals = tensor.floatData.map { Double($0) }
            } else if raw.count == count * 4 {
                reals = stride(from: 0, to: raw.count, by: 4).map { offset in
                    Double(Float(bitPattern: raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }.littleEndian))
                }
            }
        case .double:
            if !tensor.doubleData.isEmpty {
                reals = tensor.doubleData
            } else if raw.count == count * 8 {
                reals = stride(from: 0, to: raw.count, by: 8).map { offset in
                    Double(bitPattern: raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }.littleEndian)
                }
            }
        case .uint32, .uint64, .float16, .bfloat16, nil:
            break
        }
        if integers == nil, let reals, reals.allSatisfy({ $0 == $0.rounded() && abs($0) <= Double(1 << 31) }) {
            integers = reals.map { Int($0) }
        }
        if reals == nil, let integers { self.reals = integers.map(Double.init) }
    }
}

/// A node's attributes by name.
struct ONNXAttributes {
    var byName: [String: Onnx_AttributeProto] = [:]

    init(_ node: Onnx_NodeProto) {
        for attribute in node.attribute { byName[attribute.name] = attribute }
    }

    /// Integer attributes are clamped to ±2^31: no valid size, stride or axis is larger, so a
    /// clamped value still fails the checks it would fail, and no arithmetic on it overflows.
    func int(_ name: String) -> Int? { byName[name].flatMap { $0.hasI ? ONNXLimits.clamped($0.i) : nil } }
    func float(_ name: String) -> Double? { byName[name].flatMap { $0.hasF ? Double($0.f) : nil } }
    func ints(_ name: String) -> [Int]? { byName[name].map { $0.ints.map(ONNXLimits.clamped) } }
    func floats(_ name: String) -> [Double]? { byName[name].map { $0.floats.map(Double.init) } }
    func string(_ name: String) -> String? { byName[name].flatMap { $0.hasS ? String(decoding: $0.s, as: UTF8.self) : nil } }
    func tensor(_ name: String) -> Onnx_TensorProto? { byName[name].flatMap { $0.hasT ? $0.t : nil } }
}

/// Per-sample dimensions folded into the simulator's `channels × height × width`: one dimension
/// is the channels; two are channels × height; three are C × H × W; more fold the leading ones
/// into the channels.
func foldedShape(_ dims: [Int]) -> TensorShape {
    switch dims.count {
    case 0: return TensorShape(channels: 1, height: 1, width: 1)
    case 1: return TensorShape(channels: dims[0], height: 1, width: 1)
    case 2: return TensorShape(channels: dims[0], height: dims[1], width: 1)
    default:
        let leading = ONNXLimits.product(dims.dropLast(2)) ?? ONNXLimits.elements
        return TensorShape(channels: leading, height: dims[dims.count - 2], width: dims[dims.count - 1])
    }
}
