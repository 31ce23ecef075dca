/// The Verilog parameters of an architecture for the RTL templates: the GeneSys top-level
/// parameters plus the bank organisation derived from them (banks, words per bank, address widths).
public struct RTLParameters: Sendable, Hashable {
    /// One buffer's organisation.
    public struct Memory: Sendable, Hashable {
        /// The Verilog prefix (`IBUF`, `WBUF`, …).
        public var prefix: String
        public var capacityBits: Int
        public var banks: Int
        public var wordBits: Int
        /// Words per bank.
        public var depth: Int
        public var addressBits: Int
    }

    /// A problem with the architecture for RTL: the architecture-file key and what is wrong.
    public struct Issue: Sendable, Hashable, CustomStringConvertible {
        public var keyPath: String
        public var message: String
        public var description: String { message }
    }

    /// Every reason an architecture cannot be built as RTL.
    public struct Issues: Error, Sendable, Hashable {
        public var issues: [Issue]
    }

    public var architecture: Architecture
    public var memories: [Memory]

    /// `⌈log2(depth)⌉`, at least 1.
    public static func addressBits(_ depth: Int) -> Int {
        var bits = 1
        while (1 << bits) < depth { bits += 1 }
        return bits
    }

    /// Derives the bank organisation, or every reason it cannot be built: a capacity that is not a
    /// whole number of banks × words (double-buffered buffers: of two halves), an accumulator too
    /// narrow for a product, a DRAM port that is not an AXI width (a power of two, 8 to 1024 bits).
    public static func derive(_ a: Architecture) -> Result<RTLParameters, Issues> {
        var issues: [Issue] = []
        var memories: [Memory] = []
        func memory(_ prefix: String, key: String, capacity: Int, banks: Int, word: Int, halves: Int, what: String) {
            let unit = banks * word * halves
            guard capacity > 0, banks > 0, word > 0 else {
                issues.append(Issue(keyPath: key, message: "\(prefix) capacity, banks and word width must be positive"))
                return
            }
            if capacity % unit != 0 {
                issues.append(Issue(keyPath: key, message:
                    "\(prefix) capacity \(capacity) bits does not divide into \(what): it must be a multiple of \(unit) bits "
                    + "(nearest: \(max(unit, capacity / unit * unit)) or \((capacity / unit + 1) * unit))"))
                return
            }
            let depth = capacity / (banks * word)
            memories.append(Memory(prefix: prefix, capacityBits: capacity, banks: banks, wordBits: word, depth: depth,
                                   addressBits: addressBits(depth)))
        }
        let n = a.arrayRows, m = a.arrayColumns
        memory("IBUF", key: "buffers.ibuf_capacity_bits", capacity: a.inputBufferCapacityBits, banks: n,
               word: a.activationBits, halves: 2, what: "\(n) banks (one per row) of \(a.activationBits)-bit words in two halves")
        memory("WBUF", key: "buffers.wbuf_capacity_bits", capacity: a.weightBufferCapacityBits, banks: n * m,
               word: a.weightBits, halves: 2, what: "\(n * m) banks (one per PE) of \(a.weightBits)-bit words in two halves")
        memory("OBUF", key: "buffers.obuf_capacity_bits", capacity: a.outputBufferCapacityBits, banks: m,
               word: a.accumulatorBits, halves: 1, what: "\(m) banks (one per column) of \(a.accumulatorBits)-bit words")
        memory("BBUF", key: "buffers.bbuf_capacity_bits", capacity: a.biasBufferCapacityBits, banks: m,
               word: a.biasBits, halves: 2, what: "\(m) banks (one per column) of \(a.biasBits)-bit words in two halves")
        memory("VMEM", key: "buffers.vmem_capacity_bits", capacity: a.vectorMemoryCapacityBits, banks: m,
               word: a.accumulatorBits, halves: 1, what: "\(m) banks (one per SIMD lane) of \(a.accumulatorBits)-bit words")
        memory("INST_MEM", key: "buffers.instruction_memory_capacity_bits", capacity: a.instructionMemoryCapacityBits,
               banks: 1, word: 32, halves: 1, what: "32-bit instructions")
        if a.accumulatorBits < a.activationBits + a.weightBits {
            issues.append(Issue(keyPath: "precision.accumulator_bits", message:
                "accumulator_bits \(a.accumulatorBits) is narrower than a product of activation_bits + weight_bits = "
                + "\(a.activationBits + a.weightBits) bits"))
        }
        if a.biasBits > a.accumulatorBits {
            issues.append(Issue(keyPath: "precision.bias_bits",
                                message: "bias_bits \(a.biasBits) is wider than accumulator_bits \(a.accumulatorBits)"))
        }
        if a.simdInstructionMemoryAddressBits > 24 {
            issues.append(Issue(keyPath: "simd.instruction_memory_address_bits",
                                message: "SIMD instruction memory address width \(a.simdInstructionMemoryAddressBits) exceeds 24 bits"))
        }
        for (key, width) in [("dram_bandwidth.ibuf_bits_per_cycle", a.inputPortBitsPerCycle),
                             ("dram_bandwidth.parambuf_bits_per_cycle", a.parameterPortBitsPerCycle),
                             ("dram_bandwidth.obuf_bits_per_cycle", a.outputPortBitsPerCycle),
                             ("dram_bandwidth.simd_bits_per_cycle", a.simdPortBitsPerCycle),
                             ("dram_bandwidth.instruction_bits_per_cycle", a.instructionPortBitsPerCycle)]
        where width < 8 || width > 1024 || width & (width - 1) != 0 {
            issues.append(Issue(keyPath: key, message:
                "\(width) bits is not an AXI data width: use a power of two from 8 to 1024"))
        }
        return issues.isEmpty ? .success(RTLParameters(architecture: a, memories: memories)) : .failure(Issues(issues: issues))
    }

    public func memory(_ prefix: String) -> Memory? { memories.first { $0.prefix == prefix } }
}
