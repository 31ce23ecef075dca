/// Reads an ONNX file's protobuf without its weights: the wire format is walked field by field and
/// copied, except the data of every tensor with more than `ONNXConstant.dataLimit` elements, which
/// is skipped by its length without being touched. What remains (the graph, the attributes, the
/// tensors' names, shapes and types, small constants) decodes with swift-protobuf in time and memory
/// that grow with the graph, not with the weights: a 553 MB VGG-16 with its weights inline keeps
/// about 60 kB. A memory-mapped file is only paged in where a field header lies.
enum ONNXWire {
    /// Why the bytes are not a protobuf, and where.
    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    /// The messages the walk descends into: those that can hold tensors.
    private enum Message {
        case model, graph, node, attribute, tensor, sparseTensor, function, trainingInfo

        /// What a field of this message holds, when it is a message the walk descends into.
        func child(_ field: UInt64) -> Message? {
            switch (self, field) {
            case (.model, 7): .graph               // ModelProto.graph
            case (.model, 20): .trainingInfo       // ModelProto.training_info
            case (.model, 25): .function           // ModelProto.functions
            case (.graph, 1): .node                // GraphProto.node
            case (.graph, 5): .tensor              // GraphProto.initializer
            case (.graph, 15): .sparseTensor       // GraphProto.sparse_initializer
            case (.node, 5): .attribute            // NodeProto.attribute
            case (.attribute, 5), (.attribute, 10): .tensor       // AttributeProto.t, tensors
            case (.attribute, 6), (.attribute, 11): .graph        // AttributeProto.g, graphs
            case (.attribute, 22), (.attribute, 23): .sparseTensor   // sparse_tensor(s)
            case (.sparseTensor, 1), (.sparseTensor, 2): .tensor  // SparseTensorProto.values, indices
            case (.function, 7): .node             // FunctionProto.node
            case (.function, 11): .attribute       // FunctionProto.attribute_proto (defaults)
            case (.trainingInfo, 1), (.trainingInfo, 2): .graph   // initialization, algorithm
            default: nil
            }
        }

        /// Fields dropped because nothing reads them (documentation strings).
        func drops(_ field: UInt64) -> Bool {
            switch (self, field) {
            case (.node, 6), (.graph, 10), (.model, 6): true
            default: false
            }
        }
    }

    /// TensorProto fields that hold element data: float_data, int32_data, string_data, int64_data,
    /// raw_data, double_data, uint64_data.
    private static let tensorDataFields: Set<UInt64> = [4, 5, 6, 7, 9, 10, 11]

    /// Nesting deeper than this (graphs in attributes in graphs) is refused.
    static let depthLimit = 64

    /// The model's bytes with the data of large tensors left out.
    static func stripped(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(bytes.count, 1 << 20))
        try copy(bytes, 0..<bytes.count, as: .model, into: &output, depth: 0)
        return output
    }

    // MARK: Walking

    private struct Field {
        var number: UInt64
        var wireType: UInt8
        /// The value of a varint field.
        var value: UInt64
        /// The whole field, tag included.
        var range: Range<Int>
        /// The payload of a length-delimited field.
        var payload: Range<Int>
    }

    /// The fields of one message, in order.
    private struct Fields: Sequence, IteratorProtocol {
        let bytes: UnsafeRawBufferPointer
        var position: Int
        let end: Int
        var failure: Failure?

        mutating func next() -> Field? {
            guard position < end, failure == nil else { return nil }
            do {
                return try field()
            } catch {
                failure = error
                return nil
            }
        }

        private mutating func field() throws(Failure) -> Field {
            let start = position
            let tag = try varint()
            let number = tag >> 3, wireType = UInt8(tag & 7)
            guard number >= 1 else { throw Failure(offset: start, reason: "field number 0") }
            var payload = position..<position
            var value: UInt64 = 0
            switch wireType {
            case 0: value = try varint()
            case 1: try skip(8)
            case 5: try skip(4)
            case 2:
                let length = try varint()
                guard length <= UInt64(end - position) else {
                    throw Failure(offset: start, reason: "a field of \(length) bytes runs past the end of its message")
                }
                payload = position..<(position + Int(length))
                position += Int(length)
            default:
                throw Failure(offset: start, reason: "wire type \(wireType) (groups are not used by ONNX)")
            }
            return Field(number: number, wireType: wireType, value: value, range: start..<position, payload: payload)
        }

        private mutating func skip(_ count: Int) throws(Failure) {
            guard end - position >= count else { throw Failure(offset: position, reason: "a fixed-size field runs past the end") }
            position += count
        }

        mutating func varint() throws(Failure) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while position < end {
                let byte = bytes[position]
                position += 1
                if shift == 63 && byte > 1 { break }
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
                if shift > 63 { break }
            }
            throw Failure(offset: position, reason: "a malformed or truncated varint")
        }
    }

    private static func copy(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, as message: Message,
                             into output: inout [UInt8], depth: Int) throws(Failure) {
        guard depth < depthLimit else { throw Failure(offset: range.lowerBound, reason: "messages nested deeper than \(depthLimit)") }
        let dropData = message == .tensor ? try tensorIsLarge(bytes, range) : false
        var fields = Fields(bytes: bytes, position: range.lowerBound, end: range.upperBound)
        while let field = fields.next() {
            if message.drops(field.number) { continue }
            if dropData && tensorDataFields.contains(field.number) { continue }
            if field.wireType == 2, let child = message.child(field.number) {
                var inner: [UInt8] = []
                try copy(bytes, field.payload, as: child, into: &inner, depth: depth + 1)
                appendVarint(field.number << 3 | 2, to: &output)
                appendVarint(UInt64(inner.count), to: &output)
                output.append(contentsOf: inner)
            } else {
                output.append(contentsOf: bytes[field.range])
            }
        }
        if let failure = fields.failure { throw failure }
    }

    /// The most bytes of element data a tensor the importer reads can have (8 per element, and the
    /// tags of unpacked elements).
    static let dataByteLimit = ONNXConstant.dataLimit * 16

    /// Whether a TensorProto has more elements than the importer ever reads (or dimensions that do
    /// not multiply within its limits), or more data than that many elements need, in all its data
    /// fields together (packed chunks, unpacked elements, repeated fields): its data is then left out.
    private static func tensorIsLarge(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) throws(Failure) -> Bool {
        var elements = 1
        var dataBytes = 0
        var fields = Fields(bytes: bytes, position: range.lowerBound, end: range.upperBound)
        func multiply(_ dimension: UInt64) {
            let d = Int(clamping: dimension)
            let (product, overflow) = elements.multipliedReportingOverflow(by: d)
            elements = overflow || product > ONNXLimits.elements ? Int.max : product
        }
        while let field = fields.next() {
            if tensorDataFields.contains(field.number) { dataBytes += field.range.count }
            guard field.number == 1 else { continue }   // TensorProto.dims
            if field.wireType == 0 {
                multiply(field.value)
            } else if field.wireType == 2 {
                var packed = Fields(bytes: bytes, position: field.payload.lowerBound, end: field.payload.upperBound)
                while packed.position < packed.end { multiply(try packed.varint()) }
            }
        }
        if let failure = fields.failure { throw failure }
        return elements > ONNXConstant.dataLimit || dataBytes > dataByteLimit
    }

    private static func appendVarint(_ value: UInt64, to output: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            output.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        output.append(UInt8(v))
    }
}
