/// A GeneSys accelerator configuration: the systolic array, the SIMD unit, the on-chip buffers and
/// the DRAM ports.
///
/// Every field is one GeneSys top-level Verilog parameter (named in its comment), so the same value
/// feeds the performance model and, later, the RTL header. Sizes are in bits, port widths in bits
/// per cycle (GENESYS-MODEL.md §1.1).
public struct Architecture: Sendable, Hashable {
    /// A short identifier, e.g. `genesys-inference-08`.
    public var name: String

    /// `ARRAY_N`: systolic-array rows; input channels are spread over them.
    public var arrayRows: Int
    /// `ARRAY_M`: systolic-array columns; output channels are spread over them. Also the number of
    /// SIMD lanes.
    public var arrayColumns: Int

    /// `ACT_DATA_WIDTH`: activation width in bits.
    public var activationBits: Int
    /// `WGT_DATA_WIDTH`: weight width in bits.
    public var weightBits: Int
    /// `BIAS_WIDTH`: bias width in bits.
    public var biasBits: Int
    /// `ACC_WIDTH`: partial-sum width in bits; also the SIMD data width.
    public var accumulatorBits: Int

    /// `IBUF_CAPACITY_BITS`: input buffer, both halves of its double buffer.
    public var inputBufferCapacityBits: Int
    /// `WBUF_CAPACITY_BITS`: weight buffer, both halves of its double buffer.
    public var weightBufferCapacityBits: Int
    /// `OBUF_CAPACITY_BITS`: **one** of the two output-buffer halves.
    public var outputBufferCapacityBits: Int
    /// `BBUF_CAPACITY_BITS`: bias buffer, both halves of its double buffer.
    public var biasBufferCapacityBits: Int
    /// `SIMD_VMEM_CAPACITY_BITS`: each of VMEM1 and VMEM2 (single-buffered).
    public var vectorMemoryCapacityBits: Int
    /// `INST_MEM_CAPACITY_BITS`: instruction memory. The published model does not use it.
    public var instructionMemoryCapacityBits: Int
    /// `SIMD_INST_MEM_ADDR_WIDTH`: SIMD instruction-memory address width in bits.
    public var simdInstructionMemoryAddressBits: Int

    /// `IBUF_AXI_DATA_WIDTH`: DRAM→IBUF port.
    public var inputPortBitsPerCycle: Int
    /// `PARAMBUF_AXI_DATA_WIDTH`: DRAM→WBUF and BBUF port (capped at rows × weight width).
    public var parameterPortBitsPerCycle: Int
    /// `OBUF_AXI_DATA_WIDTH`: one port shared by partial-sum reads and output writes.
    public var outputPortBitsPerCycle: Int
    /// `SIMD_AXI_DATA_WIDTH`: one port shared by VMEM1 and VMEM2, reads and writes.
    public var simdPortBitsPerCycle: Int
    /// `INST_MEM_AXI_DATA_WIDTH`: instruction port. The published model does not use it.
    public var instructionPortBitsPerCycle: Int

    public init(
        name: String,
        arrayRows: Int, arrayColumns: Int,
        activationBits: Int, weightBits: Int, biasBits: Int = 32, accumulatorBits: Int = 32,
        inputBufferCapacityBits: Int, weightBufferCapacityBits: Int,
        outputBufferCapacityBits: Int, biasBufferCapacityBits: Int,
        vectorMemoryCapacityBits: Int,
        instructionMemoryCapacityBits: Int = 8192, simdInstructionMemoryAddressBits: Int = 8,
        inputPortBitsPerCycle: Int, parameterPortBitsPerCycle: Int,
        outputPortBitsPerCycle: Int, simdPortBitsPerCycle: Int,
        instructionPortBitsPerCycle: Int = 64
    ) {
        self.name = name
        self.arrayRows = arrayRows
        self.arrayColumns = arrayColumns
        self.activationBits = activationBits
        self.weightBits = weightBits
        self.biasBits = biasBits
        self.accumulatorBits = accumulatorBits
        self.inputBufferCapacityBits = inputBufferCapacityBits
        self.weightBufferCapacityBits = weightBufferCapacityBits
        self.outputBufferCapacityBits = outputBufferCapacityBits
        self.biasBufferCapacityBits = biasBufferCapacityBits
        self.vectorMemoryCapacityBits = vectorMemoryCapacityBits
        self.instructionMemoryCapacityBits = instructionMemoryCapacityBits
        self.simdInstructionMemoryAddressBits = simdInstructionMemoryAddressBits
        self.inputPortBitsPerCycle = inputPortBitsPerCycle
        self.parameterPortBitsPerCycle = parameterPortBitsPerCycle
        self.outputPortBitsPerCycle = outputPortBitsPerCycle
        self.simdPortBitsPerCycle = simdPortBitsPerCycle
        self.instructionPortBitsPerCycle = instructionPortBitsPerCycle
    }
}

/// The buffers of a GeneSys accelerator, for diagnostics and reports.
public enum Buffer: String, Sendable, CaseIterable, Hashable {
    case ibuf, wbuf, obuf, bbuf, vmem, imm, instruction
}

/// A buffer too small for the model's smallest tile (GENESYS-MODEL.md §3.1, §3.2).
public struct CapacityViolation: Sendable, Hashable, CustomStringConvertible {
    public var buffer: Buffer
    public var capacityBits: Int
    public var minimumBits: Int
    /// Why that minimum: the tile that must fit.
    public var reason: String

    public var description: String {
        "\(buffer.rawValue) capacity \(capacityBits) bits is below the minimum \(minimumBits) bits (\(reason))"
    }
}

extension Architecture {
    /// Integer parameters that must be positive, named by their architecture-file key path.
    public var positiveParameters: [(keyPath: String, value: Int)] {
        [
            ("systolic_array.rows", arrayRows),
            ("systolic_array.columns", arrayColumns),
            ("precision.activation_bits", activationBits),
            ("precision.weight_bits", weightBits),
            ("precision.bias_bits", biasBits),
            ("precision.accumulator_bits", accumulatorBits),
            ("buffers.ibuf_capacity_bits", inputBufferCapacityBits),
            ("buffers.wbuf_capacity_bits", weightBufferCapacityBits),
            ("buffers.obuf_capacity_bits", outputBufferCapacityBits),
            ("buffers.bbuf_capacity_bits", biasBufferCapacityBits),
            ("buffers.vmem_capacity_bits", vectorMemoryCapacityBits),
            ("buffers.instruction_memory_capacity_bits", instructionMemoryCapacityBits),
            ("simd.instruction_memory_address_bits", simdInstructionMemoryAddressBits),
            ("dram_bandwidth.ibuf_bits_per_cycle", inputPortBitsPerCycle),
            ("dram_bandwidth.parambuf_bits_per_cycle", parameterPortBitsPerCycle),
            ("dram_bandwidth.obuf_bits_per_cycle", outputPortBitsPerCycle),
            ("dram_bandwidth.simd_bits_per_cycle", simdPortBitsPerCycle),
            ("dram_bandwidth.instruction_bits_per_cycle", instructionPortBitsPerCycle),
        ]
    }

    /// The minimum capacities the systolic-array tiler needs (GENESYS-MODEL.md §3.1): a 3×3 kernel
    /// tile, a 15×15 input tile (7×7 output at stride 2) and a 7×7 output tile, double-buffered.
    public var systolicCapacityViolations: [CapacityViolation] {
        let n = arrayRows, m = arrayColumns
        var violations: [CapacityViolation] = []
        func check(_ buffer: Buffer, _ capacity: Int, _ minimum: Int, _ reason: String) {
            if capacity < minimum {
                violations.append(.init(buffer: buffer, capacityBits: capacity, minimumBits: minimum, reason: reason))
            }
        }
        check(.wbuf, weightBufferCapacityBits, 2 * n * m * 9 * weightBits,
              "2·rows·columns·9·weight_bits: a 3×3 weight tile for the whole array, double-buffered")
        check(.ibuf, inputBufferCapacityBits, 2 * n * 15 * 15 * activationBits,
              "2·rows·15·15·activation_bits: a 15×15 input tile, double-buffered")
        check(.obuf, outputBufferCapacityBits, m * 49 * accumulatorBits,
              "columns·49·accumulator_bits: a 7×7 output tile in one of the two OBUF halves")
        check(.bbuf, biasBufferCapacityBits, 2 * m * biasBits,
              "2·columns·bias_bits: one bias per column, double-buffered")
        return violations
    }

    /// The minimum VMEM capacity a SIMD tiler needs (GENESYS-MODEL.md §3.2), or nil when it fits.
    public func vectorMemoryViolation(for tiler: SIMDTilerKind) -> CapacityViolation? {
        let lane = arrayColumns * accumulatorBits
        let (minimum, reason): (Int, String)
        switch tiler {
        case .elementwise: (minimum, reason) = (lane, "columns·accumulator_bits: one element per SIMD lane")
        case .pool: (minimum, reason) = (lane * 49, "columns·accumulator_bits·49: a 7×7 window per SIMD lane")
        case .maxPoolGradient:
            (minimum, reason) = (lane * 49 + lane, "columns·accumulator_bits·50: a 7×7 window and its gradient per lane")
        case .meanVariance: (minimum, reason) = (2 * lane, "2·columns·accumulator_bits: data and temporary per lane")
        case .batchNorm, .batchNormBackward:
            (minimum, reason) = (4 * lane, "4·columns·accumulator_bits: mean, istd, scale and offset per lane")
        }
        guard vectorMemoryCapacityBits < minimum else { return nil }
        return .init(buffer: .vmem, capacityBits: vectorMemoryCapacityBits, minimumBits: minimum, reason: reason)
    }
}

extension Architecture {
    /// Cycles the systolic array spends on one DRAM tile (GENESYS-MODEL.md §4.2):
    /// `ow·oh·kw·kh·b·⌈ic/N⌉·⌈oc/M⌉ + (N − 1) + (M − 1)` weight stationary, MODEL-EXTENSIONS.md §12
    /// for the other dataflows.
    public func systolicTileCycles(_ tile: SystolicTile, dataflow: Dataflow = .weightStationary) -> Double {
        SystolicModel.tileCycles(tile, dataflow.mapping, DerivedHardware(self, mode: .inference))
    }
}
