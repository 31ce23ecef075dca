/// The 21 published GeneSys design points (GENESYS-MODEL.md §1.3).
///
/// The specification tabulates the tiler's view (half of each double-buffered SA buffer); the file
/// values are twice that, except OBUF, whose file value is already one half (Q9). In every design
/// `rows × weight_bits ≥ PARAMBUF_AXI_DATA_WIDTH`, so the port width is the effective weight bandwidth.
public enum Presets {
    /// Every preset, in publication order.
    public static let all: [Architecture] = [
        preset("genesys-inference-01", n: 16, m: 16, act: 4, wgt: 4, wbufHalf: 65536, ibufHalf: 65536, obufHalf: 524288, bbufHalf: 8192, vmem: 524288, param: 64, ibufPort: 128, obufPort: 128, simdPort: 128),
        preset("genesys-inference-02", n: 16, m: 16, act: 4, wgt: 4, wbufHalf: 262144, ibufHalf: 131072, obufHalf: 1048576, bbufHalf: 8192, vmem: 1048576, param: 64, ibufPort: 256, obufPort: 256, simdPort: 256),
        preset("genesys-inference-03", n: 16, m: 16, act: 8, wgt: 8, wbufHalf: 131072, ibufHalf: 131072, obufHalf: 524288, bbufHalf: 8192, vmem: 524288, param: 128, ibufPort: 128, obufPort: 128, simdPort: 128),
        preset("genesys-inference-04", n: 16, m: 16, act: 8, wgt: 8, wbufHalf: 262144, ibufHalf: 262144, obufHalf: 1048576, bbufHalf: 8192, vmem: 1048576, param: 128, ibufPort: 256, obufPort: 256, simdPort: 256),
        preset("genesys-inference-05", n: 32, m: 32, act: 4, wgt: 4, wbufHalf: 262144, ibufHalf: 131072, obufHalf: 1048576, bbufHalf: 16384, vmem: 1048576, param: 128, ibufPort: 256, obufPort: 256, simdPort: 256),
        preset("genesys-inference-06", n: 32, m: 32, act: 4, wgt: 4, wbufHalf: 524288, ibufHalf: 262144, obufHalf: 2097152, bbufHalf: 16384, vmem: 2097152, param: 128, ibufPort: 256, obufPort: 256, simdPort: 256),
        preset("genesys-inference-07", n: 32, m: 32, act: 8, wgt: 8, wbufHalf: 1048576, ibufHalf: 524288, obufHalf: 2097152, bbufHalf: 16384, vmem: 2097152, param: 256, ibufPort: 256, obufPort: 256, simdPort: 256),
        preset("genesys-inference-08", n: 64, m: 64, act: 4, wgt: 4, wbufHalf: 1048576, ibufHalf: 524288, obufHalf: 4194304, bbufHalf: 32768, vmem: 2097152, param: 256, ibufPort: 256, obufPort: 256, simdPort: 256),
        preset("genesys-inference-09", n: 64, m: 64, act: 8, wgt: 8, wbufHalf: 2097152, ibufHalf: 1048576, obufHalf: 4194304, bbufHalf: 32768, vmem: 4194304, param: 512, ibufPort: 512, obufPort: 512, simdPort: 512),
        preset("genesys-inference-11", n: 128, m: 128, act: 4, wgt: 4, wbufHalf: 4194304, ibufHalf: 1048576, obufHalf: 8388608, bbufHalf: 65536, vmem: 8388608, param: 512, ibufPort: 128, obufPort: 256, simdPort: 256),
        preset("genesys-inference-12", n: 128, m: 128, act: 4, wgt: 4, wbufHalf: 8388608, ibufHalf: 1048576, obufHalf: 16777216, bbufHalf: 65536, vmem: 16777216, param: 512, ibufPort: 512, obufPort: 512, simdPort: 512),
        preset("genesys-inference-13", n: 128, m: 128, act: 8, wgt: 8, wbufHalf: 8388608, ibufHalf: 2097152, obufHalf: 8388608, bbufHalf: 65536, vmem: 8388608, param: 512, ibufPort: 128, obufPort: 256, simdPort: 256),
        preset("genesys-inference-14", n: 128, m: 128, act: 8, wgt: 8, wbufHalf: 16777216, ibufHalf: 2097152, obufHalf: 16777216, bbufHalf: 65536, vmem: 16777216, param: 512, ibufPort: 512, obufPort: 512, simdPort: 512),
        preset("genesys-training-01", n: 16, m: 16, act: 16, wgt: 16, wbufHalf: 262144, ibufHalf: 262144, obufHalf: 524288, bbufHalf: 8192, vmem: 524288, param: 256, ibufPort: 128, obufPort: 128, simdPort: 256),
        preset("genesys-training-02", n: 16, m: 16, act: 16, wgt: 16, wbufHalf: 1048576, ibufHalf: 524288, obufHalf: 1048576, bbufHalf: 8192, vmem: 1048576, param: 128, ibufPort: 128, obufPort: 128, simdPort: 128),
        preset("genesys-training-05", n: 32, m: 32, act: 16, wgt: 16, wbufHalf: 1048576, ibufHalf: 524288, obufHalf: 1048576, bbufHalf: 16384, vmem: 1048576, param: 256, ibufPort: 256, obufPort: 256, simdPort: 256),
        preset("genesys-training-06", n: 32, m: 32, act: 16, wgt: 16, wbufHalf: 2097152, ibufHalf: 1048576, obufHalf: 2097152, bbufHalf: 16384, vmem: 2097152, param: 256, ibufPort: 256, obufPort: 256, simdPort: 256),
        preset("genesys-training-08", n: 64, m: 64, act: 16, wgt: 16, wbufHalf: 4194304, ibufHalf: 2097152, obufHalf: 4194304, bbufHalf: 32768, vmem: 4194304, param: 512, ibufPort: 512, obufPort: 512, simdPort: 512),
        preset("genesys-training-09", n: 64, m: 64, act: 16, wgt: 16, wbufHalf: 8388608, ibufHalf: 2097152, obufHalf: 8388608, bbufHalf: 32768, vmem: 8388608, param: 512, ibufPort: 256, obufPort: 256, simdPort: 512),
        preset("genesys-training-11", n: 128, m: 128, act: 16, wgt: 16, wbufHalf: 16777216, ibufHalf: 4194304, obufHalf: 8388608, bbufHalf: 65536, vmem: 8388608, param: 512, ibufPort: 256, obufPort: 256, simdPort: 512),
        preset("genesys-training-12", n: 128, m: 128, act: 16, wgt: 16, wbufHalf: 33554432, ibufHalf: 4194304, obufHalf: 16777216, bbufHalf: 65536, vmem: 16777216, param: 512, ibufPort: 512, obufPort: 512, simdPort: 512),
    ]

    /// The preset with this name, if any.
    public static func named(_ name: String) -> Architecture? {
        all.first { $0.name == name }
    }

    private static func preset(
        _ name: String, n: Int, m: Int, act: Int, wgt: Int,
        wbufHalf: Int, ibufHalf: Int, obufHalf: Int, bbufHalf: Int, vmem: Int,
        param: Int, ibufPort: Int, obufPort: Int, simdPort: Int
    ) -> Architecture {
        Architecture(
            name: name, arrayRows: n, arrayColumns: m, activationBits: act, weightBits: wgt,
            biasBits: 32, accumulatorBits: 32,
            inputBufferCapacityBits: 2 * ibufHalf, weightBufferCapacityBits: 2 * wbufHalf,
            outputBufferCapacityBits: obufHalf, biasBufferCapacityBits: 2 * bbufHalf,
            vectorMemoryCapacityBits: vmem,
            instructionMemoryCapacityBits: 8192, simdInstructionMemoryAddressBits: 8,
            inputPortBitsPerCycle: ibufPort, parameterPortBitsPerCycle: param,
            outputPortBitsPerCycle: obufPort, simdPortBitsPerCycle: simdPort,
            instructionPortBitsPerCycle: 64
        )
    }
}
