import SimDITCore
import Yams

/// The architecture-file schema (version 1): one key per GeneSys top-level Verilog parameter,
/// grouped by block, snake_case with the unit in the name. `simdit presets show NAME` prints a
/// complete example.
public enum ArchitectureFile {
    /// One scalar field of the schema: section, key, the Verilog parameter, a default if optional,
    /// what it means, and where it lives in `Architecture`.
    public struct Field: Sendable {
        public let section: String
        public let key: String
        public let parameter: String
        public let defaultValue: Int?
        public let meaning: String
        public let property: WritableKeyPath<Architecture, Int> & Sendable
        /// The values accepted (`Limits`).
        public var range: ClosedRange<Int> {
            switch section {
            case "systolic_array": Limits.arrayDimension
            case "precision": Limits.dataBits
            case "buffers": Limits.capacityBits
            case "simd": Limits.addressBits
            default: Limits.portBitsPerCycle
            }
        }

        public var keyPath: String { "\(section).\(key)" }
    }

    /// The sections, in file order, with what they hold.
    public static let sections: [(name: String, meaning: String)] = [
        ("systolic_array", "the N×M array of multiply-accumulate PEs"),
        ("precision", "data widths in bits"),
        ("buffers", "on-chip memory capacities in bits"),
        ("simd", "the SIMD vector unit (its lane count is systolic_array.columns)"),
        ("dram_bandwidth", "DRAM (AXI) port widths in bits per cycle, one port per buffer group"),
    ]

    public static let fields: [Field] = [
        Field(section: "systolic_array", key: "rows", parameter: "ARRAY_N", defaultValue: nil,
              meaning: "rows; input channels are spread over them", property: \.arrayRows),
        Field(section: "systolic_array", key: "columns", parameter: "ARRAY_M", defaultValue: nil,
              meaning: "columns; output channels are spread over them; also the SIMD lane count", property: \.arrayColumns),
        Field(section: "precision", key: "activation_bits", parameter: "ACT_DATA_WIDTH", defaultValue: nil,
              meaning: "activations into the array", property: \.activationBits),
        Field(section: "precision", key: "weight_bits", parameter: "WGT_DATA_WIDTH", defaultValue: nil,
              meaning: "weights", property: \.weightBits),
        Field(section: "precision", key: "bias_bits", parameter: "BIAS_WIDTH", defaultValue: 32,
              meaning: "biases", property: \.biasBits),
        Field(section: "precision", key: "accumulator_bits", parameter: "ACC_WIDTH", defaultValue: 32,
              meaning: "partial sums, array outputs and all SIMD data", property: \.accumulatorBits),
        Field(section: "buffers", key: "ibuf_capacity_bits", parameter: "IBUF_CAPACITY_BITS", defaultValue: nil,
              meaning: "input buffer, both halves of its double buffer", property: \.inputBufferCapacityBits),
        Field(section: "buffers", key: "wbuf_capacity_bits", parameter: "WBUF_CAPACITY_BITS", defaultValue: nil,
              meaning: "weight buffer, both halves of its double buffer", property: \.weightBufferCapacityBits),
        Field(section: "buffers", key: "obuf_capacity_bits", parameter: "OBUF_CAPACITY_BITS", defaultValue: nil,
              meaning: "ONE of the two output-buffer halves (32-bit partial sums)", property: \.outputBufferCapacityBits),
        Field(section: "buffers", key: "bbuf_capacity_bits", parameter: "BBUF_CAPACITY_BITS", defaultValue: nil,
              meaning: "bias buffer, both halves of its double buffer", property: \.biasBufferCapacityBits),
        Field(section: "buffers", key: "vmem_capacity_bits", parameter: "SIMD_VMEM_CAPACITY_BITS", defaultValue: nil,
              meaning: "EACH of the two SIMD scratchpads VMEM1 and VMEM2 (single-buffered)",
              property: \.vectorMemoryCapacityBits),
        Field(section: "buffers", key: "instruction_memory_capacity_bits", parameter: "INST_MEM_CAPACITY_BITS",
              defaultValue: 8192, meaning: "instruction memory (not used by the performance model)",
              property: \.instructionMemoryCapacityBits),
        Field(section: "simd", key: "instruction_memory_address_bits", parameter: "SIMD_INST_MEM_ADDR_WIDTH",
              defaultValue: 8, meaning: "SIMD instruction-memory address width", property: \.simdInstructionMemoryAddressBits),
        Field(section: "dram_bandwidth", key: "ibuf_bits_per_cycle", parameter: "IBUF_AXI_DATA_WIDTH", defaultValue: nil,
              meaning: "DRAM → IBUF", property: \.inputPortBitsPerCycle),
        Field(section: "dram_bandwidth", key: "parambuf_bits_per_cycle", parameter: "PARAMBUF_AXI_DATA_WIDTH",
              defaultValue: nil, meaning: "DRAM → WBUF and BBUF (used up to rows × weight_bits)",
              property: \.parameterPortBitsPerCycle),
        Field(section: "dram_bandwidth", key: "obuf_bits_per_cycle", parameter: "OBUF_AXI_DATA_WIDTH", defaultValue: nil,
              meaning: "OBUF ↔ DRAM, partial-sum reads and output writes share it", property: \.outputPortBitsPerCycle),
        Field(section: "dram_bandwidth", key: "simd_bits_per_cycle", parameter: "SIMD_AXI_DATA_WIDTH", defaultValue: nil,
              meaning: "VMEM1 and VMEM2 ↔ DRAM, reads and writes share it", property: \.simdPortBitsPerCycle),
        Field(section: "dram_bandwidth", key: "instruction_bits_per_cycle", parameter: "INST_MEM_AXI_DATA_WIDTH",
              defaultValue: 64, meaning: "instruction port (not used by the performance model)",
              property: \.instructionPortBitsPerCycle),
    ]

    /// The key path of a buffer's capacity field, for diagnostics about it.
    public static func capacityKeyPath(_ buffer: Buffer) -> String? {
        switch buffer {
        case .ibuf: "buffers.ibuf_capacity_bits"
        case .wbuf: "buffers.wbuf_capacity_bits"
        case .obuf: "buffers.obuf_capacity_bits"
        case .bbuf: "buffers.bbuf_capacity_bits"
        case .vmem: "buffers.vmem_capacity_bits"
        case .instruction: "buffers.instruction_memory_capacity_bits"
        case .imm: nil
        }
    }
}

/// An architecture with where it came from, so later problems (a buffer too small for a network)
/// can point at the line that set it.
public struct LoadedArchitecture: Sendable {
    public var architecture: Architecture
    /// The file, or nil for a built-in preset.
    public var file: String?
    /// Line and column of each field's value, by key path.
    public var positions: [String: SourcePosition]

    public init(architecture: Architecture, file: String?, positions: [String: SourcePosition]) {
        self.architecture = architecture
        self.file = file
        self.positions = positions
    }

    /// A diagnostic about a field: at its value in the file, or naming the preset.
    public func diagnostic(_ message: String, keyPath: String?, notes: [String] = []) -> Diagnostic {
        if let file {
            let position = keyPath.flatMap { positions[$0] }
            return Diagnostic(message, file: file, line: position?.line ?? 1, column: position?.column ?? 1,
                              keyPath: keyPath, notes: notes)
        }
        return Diagnostic(message, file: "preset '\(architecture.name)'", keyPath: keyPath, notes: notes)
    }
}

/// A 1-based line and column.
public struct SourcePosition: Sendable, Hashable {
    public var line: Int
    public var column: Int
}

extension ArchitectureFile {
    static let topLevelKeys = ["version", "name", "description"] + sections.map(\.name)

    /// Reads and validates an architecture file: every problem is collected, then either the
    /// architecture or all diagnostics come back.
    public static func read(_ document: YAMLDocument) -> Result<LoadedArchitecture, DiagnosticError> {
        guard let root = document.rootMapping(expecting: "an architecture") else {
            return .failure(DiagnosticError(document.diagnostics))
        }
        root.rejectUnknownKeys(allowed: topLevelKeys, context: "the architecture file")
        document.checkVersion(root)
        let name = root.string("name") ?? fileStem(document.file)
        if root.value("description") != nil { _ = root.string("description") }

        var architecture = Architecture(
            name: name, arrayRows: 0, arrayColumns: 0, activationBits: 0, weightBits: 0,
            inputBufferCapacityBits: 0, weightBufferCapacityBits: 0, outputBufferCapacityBits: 0,
            biasBufferCapacityBits: 0, vectorMemoryCapacityBits: 0, inputPortBitsPerCycle: 0,
            parameterPortBitsPerCycle: 0, outputPortBitsPerCycle: 0, simdPortBitsPerCycle: 0)
        var positions: [String: SourcePosition] = [:]
        var complete = true
        for section in sections {
            let sectionFields = fields.filter { $0.section == section.name }
            let required = sectionFields.contains { $0.defaultValue == nil }
            guard let map = root.mapping(section.name, required: required, section.meaning) else {
                if required { complete = false }
                for field in sectionFields { if let value = field.defaultValue { architecture[keyPath: field.property] = value } }
                continue
            }
            map.rejectUnknownKeys(allowed: sectionFields.map(\.key), context: "'\(section.name)'")
            for field in sectionFields {
                if let node = map.value(field.key), let mark = node.mark {
                    positions[field.keyPath] = SourcePosition(line: mark.line, column: mark.column)
                }
                if let value = map.integer(field.key, required: field.defaultValue == nil, range: field.range) {
                    architecture[keyPath: field.property] = value
                } else if let value = field.defaultValue, map.value(field.key) == nil {
                    architecture[keyPath: field.property] = value
                } else {
                    complete = false
                }
            }
        }
        let loaded = LoadedArchitecture(architecture: architecture, file: document.file, positions: positions)
        var diagnostics = document.diagnostics
        if complete && diagnostics.isEmpty {
            diagnostics += capacityDiagnostics(loaded)
        }
        return diagnostics.isEmpty ? .success(loaded) : .failure(DiagnosticError(diagnostics))
    }

    /// The minimum buffer sizes every network needs (GENESYS-MODEL.md §3.1, and one element per
    /// SIMD lane for §3.2), as diagnostics at the offending keys.
    public static func capacityDiagnostics(_ loaded: LoadedArchitecture) -> [Diagnostic] {
        var violations = loaded.architecture.systolicCapacityViolations
        if let vmem = loaded.architecture.vectorMemoryViolation(for: .elementwise) { violations.append(vmem) }
        return violations.map { capacityDiagnostic($0, loaded) }
    }

    public static func capacityDiagnostic(_ violation: CapacityViolation, _ loaded: LoadedArchitecture,
                                          neededBy layer: String? = nil) -> Diagnostic {
        let key = capacityKeyPath(violation.buffer)
        var message = "\(violation.buffer.rawValue.uppercased()) too small: \(key ?? violation.buffer.rawValue) = "
            + "\(violation.capacityBits) bits, the minimum is \(violation.minimumBits) bits"
        if let layer { message += " (for layer '\(layer)')" }
        return loaded.diagnostic(message, keyPath: key, notes: ["the minimum is \(violation.reason)"])
    }

    static func fileStem(_ path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return base.hasSuffix(".yaml") ? String(base.dropLast(5)) : base.hasSuffix(".yml") ? String(base.dropLast(4)) : base
    }

    /// The architecture as a commented version-1 file that `read` accepts.
    public static func render(_ architecture: Architecture, description: String? = nil) -> String {
        var text = "# GeneSys architecture for simdit (schema version 1).\n"
        text += "# Each key is one GeneSys top-level Verilog parameter (named in its comment).\n"
        text += "version: 1\n"
        text += "name: \(YAMLText.scalar(architecture.name))\n"
        if let description { text += "description: \(YAMLText.scalar(description))\n" }
        for section in sections {
            text += "\n# \(section.meaning)\n\(section.name):\n"
            for field in fields where field.section == section.name {
                let line = "  \(field.key): \(architecture[keyPath: field.property])"
                text += line.padding(toLength: max(line.count + 1, 46), withPad: " ", startingAt: 0)
                text += "# \(field.parameter): \(field.meaning)\n"
            }
        }
        return text
    }
}
