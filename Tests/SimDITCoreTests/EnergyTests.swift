import Testing
@testable import SimDITCore

/// A 4×4, 8-bit design with 32-bit ports, and a library of round numbers, so energies can be
/// derived by hand.
enum TinyDesign {
    static let architecture = Architecture(
        name: "tiny", arrayRows: 4, arrayColumns: 4, activationBits: 8, weightBits: 8,
        inputBufferCapacityBits: 65536, weightBufferCapacityBits: 65536, outputBufferCapacityBits: 65536,
        biasBufferCapacityBits: 4096, vectorMemoryCapacityBits: 65536,
        inputPortBitsPerCycle: 32, parameterPortBitsPerCycle: 32, outputPortBitsPerCycle: 32, simdPortBitsPerCycle: 32)

    /// One SRAM macro: 0.1 pJ per bit read, 0.2 per bit written, whatever the size.
    static let library = TechnologyLibrary(
        name: "round", nodeNanometres: 45, voltage: 1, clockHz: 1e9,
        macEnergyPicojoules: [8: 1, 16: 4], accumulateEnergyPicojoules: 0.5, peIdleEnergyPicojoulesPerCycle: [8: 0.25, 16: 0.5],
        peAreaSquareMicrometres: [8: 100], peLeakageMicrowatts: [8: 1],
        simdFixedPoint: SIMDOperationEnergies(add: 0.2, multiply: 1, divide: 2, exponent: 3, inverseSquareRoot: 4, compare: 0.3),
        simdFloat: SIMDOperationEnergies(add: 0.4, multiply: 2, divide: 4, exponent: 6, inverseSquareRoot: 8, compare: 0.3),
        simdFixedPointLane: LaneFigures(areaSquareMicrometres: 1000, leakageMicrowatts: 2, idleEnergyPicojoulesPerCycle: 0.1),
        simdFloatLane: LaneFigures(areaSquareMicrometres: 2000, leakageMicrowatts: 4, idleEnergyPicojoulesPerCycle: 0.2),
        sramMacros: [SRAMMacro(name: "m", capacityBits: 1024, widthBits: 32, readEnergyPicojoules: 3.2,
                               writeEnergyPicojoules: 6.4, leakageMicrowatts: 0, areaSquareMicrometres: 512)],
        dramEnergyPicojoulesPerBit: 10, controlAreaFraction: 0.5, controlLeakageFraction: 0.5)

    /// A 1×1 convolution, 4 → 4 channels on 2×2 (one DRAM tile), then its ReLU.
    static let program = Program(name: "tiny", entries: [
        ProgramEntry(name: "conv", operation: .convolution(ConvolutionOp(
            outputChannels: 4, inputChannels: 4, kernelHeight: 1, kernelWidth: 1, outputHeight: 2, outputWidth: 2))),
        ProgramEntry(name: "relu", operation: .relu(ElementwiseOp(channels: 4, height: 2, width: 2))),
    ])
}

private func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(abs(b), 1) }

@Suite("Energy, power and area")
struct EnergyTests {
    @Test func handDerivedConvolutionAndReLU() throws {
        let result = try Simulator.run(TinyDesign.program, on: TinyDesign.architecture)
        let conv = result.layers[0].counts, relu = result.layers[1].counts
        // Counts by GENESYS-MODEL.md for one whole tile (T = 1): 64 MACs; DRAM ifmap 2·2·4·8 = 128,
        // filter 4·4·8 = 128, ofmap 2·2·4·32 = 512, bias 4·32 = 128 bits; SRAM IBUF 128, WBUF
        // 16·4·8 = 512, OBUF 16·32 = 512, BBUF 512 bits. Compute 4 + F_A 6 = 10; stall with
        // Wt = Bt = It = 4, Pt = 16, n1 = −1: −6 + 8 + 0 + 6 + 16 = 24.
        #expect(conv.macs == 64)
        #expect([conv.dram.ifmapBits, conv.dram.filterBits, conv.dram.psumBits, conv.dram.ofmapBits, conv.dram.biasBits]
                == [128, 128, 0, 512, 128])
        #expect([conv.sram.ibufBits, conv.sram.wbufBits, conv.sram.obufBits, conv.sram.bbufBits] == [128, 512, 512, 512])
        #expect(conv.systolicComputeCycles == 10 && conv.systolicStallCycles == 24)
        // ReLU of 16 elements at 32 bits in and out: VMEM 1024, IMM 128, InsMem ⌈16/4⌉·32 = 128 bits;
        // compute 16/4 + F_S 8 = 12; stall 16 + 16 = 32.
        #expect(relu.sram.vmemBits == 1024 && relu.sram.immBits == 128 && relu.sram.instructionBits == 128)
        #expect(relu.simdComputeCycles == 12 && relu.simdStallCycles == 32)
        // Actions: OBUF written once per output; ReLU reads 16 inputs and writes 16 outputs of 32 bits,
        // its DRAM load fills VMEM and its store drains it.
        #expect(conv.buffers.obufWriteBits == 512 && conv.buffers.obufDrainBits == 512)
        #expect(relu.buffers.vmemWriteBits == 512 && relu.buffers.vmemFillBits == 512 && relu.buffers.vmemDrainBits == 512)

        let model = try EnergyModel(architecture: TinyDesign.architecture, library: TinyDesign.library, mode: .inference)
        // Leakage: 16 PEs × 1 µW + 4 lanes × 2 µW = 24 µW, + 50 % control = 36 µW (SRAM leaks 0).
        #expect(close(model.leakageWatts, 36e-6))
        let report = model.report(result)
        let e = report.layers[0]
        // Words: IBUF/WBUF 8-bit (0.8 pJ read, 1.6 write), BBUF/OBUF/VMEM/IMM/instruction 32-bit
        // (3.2 read, 6.4 write; mixed 4.8).
        #expect(close(e[.systolicMAC], 64 * 1 + 512.0 / 32 * 0.5))            // 72
        #expect(close(e[.systolicIdle], 16 * (10 + 24) * 0.25))              // 136: 16 PEs clocked 34 cycles
        #expect(close(e[.ibuf], 128.0 / 8 * 0.8 + 128.0 / 8 * 1.6))          // 38.4
        #expect(close(e[.wbuf], 512.0 / 8 * 0.8 + 128.0 / 8 * 1.6))          // 76.8
        #expect(close(e[.bbuf], 512.0 / 32 * 3.2 + 128.0 / 32 * 6.4))        // 76.8
        #expect(close(e[.obuf], 512.0 / 32 * 3.2 + 512.0 / 32 * 6.4))        // drained 16 words, written 16: 153.6
        #expect(close(e[.dram], 896 * 10))
        #expect(close(e[.leakage], 36e-6 * 34 / 1e9 * 1e12))                 // 1.224
        #expect(close(e.total, 9513.6 + 1.224))
        let r = report.layers[1]
        #expect(close(r[.vmem], (512.0 + 512) / 32 * 3.2 + (512.0 + 512) / 32 * 6.4))  // reads and drains, writes and fills: 307.2
        #expect(close(r[.imm], 128.0 / 32 * 3.2) && close(r[.instruction], 128.0 / 32 * 3.2))
        #expect(close(r[.simdALU], 16 * 0.3))                                // 16 max, priced as compares
        #expect(close(r[.simdIdle], 4 * (12 + 32) * 0.1))                    // 17.6: 4 lanes clocked 44 cycles
        #expect(close(r[.dram], 1024 * 10))
        #expect(close(r.total, 10595.2 + 36e-6 * 44 / 1e9 * 1e12))
        // Network: 78 cycles at 1 GHz.
        #expect(close(report.runtimeSeconds, 78e-9))
        #expect(close(report.total.total, 9514.824 + 10596.784))
        #expect(close(report.averagePowerWatts * report.runtimeSeconds, report.energyJoules))
        #expect(close(report.teraOpsPerWatt, result.total.ops / report.energyJoules / 1e12))
    }

    /// Reads, writes and fills are counted, not mixed: a 1×1 convolution reducing 8 input channels
    /// on 4 rows accumulates twice per output in OBUF.
    @Test func obufWritesAndReadsOfAnAccumulatingConvolution() throws {
        let program = Program(name: "acc", entries: [
            ProgramEntry(name: "conv", operation: .convolution(ConvolutionOp(
                outputChannels: 4, inputChannels: 8, kernelHeight: 1, kernelWidth: 1, outputHeight: 2, outputWidth: 2))),
        ])
        let counts = try Simulator.run(program, on: TinyDesign.architecture).layers[0].counts
        // 16 outputs, K = IC/N = 2 accumulation steps: 2K − 1 = 3 accesses of 32 bits per output
        // (§5.2), of which 2 writes (the first partial sum and the second step) and 1 read.
        #expect(counts.sram.obufBits == 16 * 3 * 32)
        #expect(counts.buffers.obufWriteBits == 16 * 2 * 32)
        // One DRAM tile: the ifmap 2·2·8·8 fills IBUF, the filter 8·4·8 WBUF, the bias 4·32 BBUF, the
        // 32-bit ofmap drains OBUF; no partial sums leave the chip.
        #expect([counts.buffers.ibufFillBits, counts.buffers.wbufFillBits, counts.buffers.bbufFillBits] == [256, 256, 128])
        #expect(counts.buffers.obufFillBits == 0 && counts.buffers.obufDrainBits == 512)
        let e = try EnergyModel(architecture: TinyDesign.architecture, library: TinyDesign.library, mode: .inference)
            .energy(of: counts)
        // OBUF words of 32 bits: reads 16 + drains 16 at 3.2 pJ, writes 32 at 6.4 pJ.
        #expect(close(e[.obuf], 32 * 3.2 + 32 * 6.4))
    }

    /// Over every preset and both modes: writes never exceed a buffer's accesses, and every DRAM bit
    /// is one buffer's fill or drain.
    @Test func bufferActionsAccountForEveryAccessAndTransfer() throws {
        let network = try #require(Zoo.named("resnet18"))
        for preset in Presets.all {
            let mode: ExecutionMode = preset.name.contains("training") ? .training : .inference
            let program = try (mode == .training ? network.trainingProgram() : network.inferenceProgram()).get()
            let result = try Simulator.run(program, on: preset, options: .init(mode: mode, batch: 2))
            for layer in result.layers {
                let c = layer.counts, b = c.buffers
                #expect(b.obufWriteBits >= 0 && b.obufWriteBits <= c.sram.obufBits, "\(layer.name)")
                #expect(b.vmemWriteBits >= 0 && b.vmemWriteBits <= c.sram.vmemBits, "\(layer.name)")
                let transfers = b.ibufFillBits + b.wbufFillBits + b.bbufFillBits + b.obufFillBits + b.obufDrainBits
                    + b.vmemFillBits + b.vmemDrainBits
                #expect(close(transfers, c.dram.totalBits), "\(preset.name) \(layer.name)")
            }
        }
    }

    @Test func breakdownSumsAndPowerTimesRuntimeIsEnergy() throws {
        let library = TinyDesign.library
        for preset in Presets.all {
            let mode: ExecutionMode = preset.name.contains("training") ? .training : .inference
            let network = try #require(Zoo.named("resnet18"))
            let program = try (mode == .training ? network.trainingProgram() : network.inferenceProgram()).get()
            let result = try Simulator.run(program, on: preset, options: .init(mode: mode, batch: 2))
            let report = try EnergyModel(architecture: preset, library: library, mode: mode).report(result)
            let components = EnergyComponent.allCases.reduce(0.0) { $0 + report.total[$1] }
            #expect(close(components, report.total.total))
            let layers = report.layers.reduce(0.0) { $0 + $1.total }
            #expect(close(layers, report.total.total))
            #expect(close(report.averagePowerWatts * report.runtimeSeconds, report.energyJoules))
        }
    }

    /// Doubling one figure doubles exactly the component it prices.
    @Test(arguments: [EnergyComponent.dram, .systolicMAC, .simdALU, .leakage, .systolicIdle, .simdIdle])
    func doublingAFigureDoublesItsComponent(component: EnergyComponent) throws {
        var doubled = TinyDesign.library
        switch component {
        case .dram: doubled.dramEnergyPicojoulesPerBit *= 2
        case .systolicMAC:
            doubled.macEnergyPicojoules = doubled.macEnergyPicojoules.mapValues { $0 * 2 }
            doubled.accumulateEnergyPicojoules *= 2
        case .simdALU:
            for path in [\TechnologyLibrary.simdFixedPoint, \TechnologyLibrary.simdFloat] {
                let e = doubled[keyPath: path]
                doubled[keyPath: path] = SIMDOperationEnergies(add: 2 * e.add, multiply: 2 * e.multiply, divide: 2 * e.divide,
                                                               exponent: 2 * e.exponent, inverseSquareRoot: 2 * e.inverseSquareRoot,
                                                               compare: 2 * e.compare)
            }
        case .leakage:
            doubled.peLeakageMicrowatts = doubled.peLeakageMicrowatts.mapValues { $0 * 2 }
            doubled.simdFixedPointLane.leakageMicrowatts *= 2
            doubled.simdFloatLane.leakageMicrowatts *= 2
        case .systolicIdle:
            doubled.peIdleEnergyPicojoulesPerCycle = doubled.peIdleEnergyPicojoulesPerCycle.mapValues { $0 * 2 }
        default:
            doubled.simdFixedPointLane.idleEnergyPicojoulesPerCycle *= 2
            doubled.simdFloatLane.idleEnergyPicojoulesPerCycle *= 2
        }
        let program = try #require(Zoo.named("resnet18")).trainingProgram().get()
        let preset = try #require(Presets.named("genesys-training-05"))
        let result = try Simulator.run(program, on: preset, options: .init(mode: .training, batch: 4))
        let base = try EnergyModel(architecture: preset, library: TinyDesign.library.with16BitMAC, mode: .training).report(result)
        let twice = try EnergyModel(architecture: preset, library: doubled.with16BitMAC, mode: .training).report(result)
        for other in EnergyComponent.allCases {
            if other == component {
                #expect(close(twice.total[other], 2 * base.total[other]), "\(other)")
                #expect(base.total[other] > 0)
            } else {
                #expect(twice.total[other] == base.total[other], "\(other) changed")
            }
        }
    }

    @Test func missingPrecisionIsAnError() {
        var library = TinyDesign.library
        library.macEnergyPicojoules = [4: 1]
        #expect(throws: EnergyModelError.self) {
            try EnergyModel(architecture: TinyDesign.architecture, library: library, mode: .inference)
        }
    }

    @Test func areaAddsUpPartByPart() {
        let model = AreaModel(architecture: TinyDesign.architecture, library: TinyDesign.library, mode: .inference)
        let area = model.areaSquareMicrometres
        #expect(area[.peArray] == 16 * 100)
        #expect(area[.simd] == 4 * 1000)
        // SRAM at 0.5 µm² per bit: IBUF 65536 bits → 32768 µm², both OBUF halves 131072 bits.
        #expect(close(area[.ibuf], 32768) && close(area[.obuf], 65536) && close(area[.vmem], 65536))
        let rest = area.total - area[.control]
        #expect(close(area[.control], 0.5 * rest))
    }

    /// Log–log interpolation between macros and power-law extension beyond them.
    @Test func sramTableInterpolatesInLogLogSpace() {
        let table = SRAMTable([
            SRAMMacro(name: "a", capacityBits: 1024, widthBits: 32, readEnergyPicojoules: 3.2, writeEnergyPicojoules: 3.2,
                      leakageMicrowatts: 1, areaSquareMicrometres: 1024),
            SRAMMacro(name: "b", capacityBits: 4096, widthBits: 32, readEnergyPicojoules: 6.4, writeEnergyPicojoules: 6.4,
                      leakageMicrowatts: 4, areaSquareMicrometres: 4096),
        ])
        // Per-bit read energy 0.1 at 1 Kib and 0.2 at 4 Kib: exponent 0.5. At 2 Kib: 0.1·√2.
        #expect(close(table.readEnergy(capacityBits: 2048, widthBits: 32), 32 * 0.1 * 2.0.squareRoot()))
        // Beyond: same power law, 16 Kib → 0.4 per bit; below: 256 bits → 0.05 per bit.
        #expect(close(table.readEnergy(capacityBits: 16384, widthBits: 8), 8 * 0.4))
        #expect(close(table.readEnergy(capacityBits: 256, widthBits: 8), 8 * 0.05))
        #expect(close(table.area(capacityBits: 8192), 8192))
    }
}

extension TechnologyLibrary {
    /// The tiny library with a 16-bit MAC class for the training presets.
    var with16BitMAC: TechnologyLibrary {
        var copy = self
        copy.peAreaSquareMicrometres[16] = 400
        copy.peLeakageMicrowatts[16] = peLeakageMicrowatts[8].map { $0 * 2 }
        return copy
    }
}

@Suite("Calibration from synthesis reports")
struct CalibrationTests {
    static let report = SynthesisReport(
        design: "pe8", clockPeriodNanoseconds: 10, worstSlackNanoseconds: 2, switchingActivity: 0.2,
        modules: [
            .init(name: "pe", kind: .pe, precisionBits: 8, areaSquareMicrometres: 500, leakageMicrowatts: 1,
                  dynamicMicrowatts: 100),
            .init(name: "lanes", kind: .simdLane, lane: "fixed32", instances: 4, areaSquareMicrometres: 8000,
                  leakageMicrowatts: 8, dynamicMicrowatts: 1000),
            .init(name: "ctrl", kind: .control, areaSquareMicrometres: 850, leakageMicrowatts: 0.9),
        ],
        sramMacros: [SRAMMacro(name: "s", capacityBits: 4096, widthBits: 32, readEnergyPicojoules: 2, writeEnergyPicojoules: 3,
                               leakageMicrowatts: 4, areaSquareMicrometres: 5000)])

    @Test func valuesEqualHandArithmetic() throws {
        let (figures, macros, issues) = Calibration.derive([Self.report], base: TinyDesign.library)
        #expect(issues.isEmpty)
        func value(_ path: String) -> Double? { figures.first { $0.keyPath == path }?.value }
        // Achievable clock: 1 / (10 − 2) ns = 125 MHz.
        #expect(close(try #require(value("clock_hz")), 125e6))
        // MAC: 100 µW / (100 MHz × 1 MAC/cycle × 0.2) = 5 pJ.
        #expect(close(try #require(value("pe.mac_pj.int8")), 5))
        #expect(value("pe.area_um2.int8") == 500 && value("pe.leakage_uw.int8") == 1)
        // Lane: 1000 µW / 4 / (100 MHz × 1 × 0.2) = 12.5 pJ per op; base mean (0.2 + 1 + 0.3)/3 = 0.5
        // → every fixed-point op × 25.
        #expect(close(try #require(value("simd.fixed32_pj.multiply")), 25))
        #expect(close(try #require(value("simd.fixed32_pj.add")), 5))
        #expect(value("simd.lane_area_um2.fixed32") == 2000 && value("simd.lane_leakage_uw.fixed32") == 2)
        // Control: 850 / (500 + 8000) = 0.1; leakage 0.9 / 9.
        #expect(close(try #require(value("control.area_fraction")), 0.1))
        #expect(close(try #require(value("control.leakage_fraction")), 0.1))
        #expect(macros.count == 1 && macros[0].readEnergyPicojoules == 2)
    }

    @Test func inconsistentReportsAreRefused() {
        var noTiming = Self.report
        noTiming.worstSlackNanoseconds = 12
        var badActivity = Self.report
        badActivity.switchingActivity = 1.5
        var otherPE = Self.report
        otherPE.modules = [.init(name: "pe", kind: .pe, precisionBits: 8, dynamicMicrowatts: 300)]
        for (reports, field) in [([noTiming], "worst_slack_ns"), ([badActivity], "switching_activity"),
                                 ([Self.report, otherPE], "modules[0].dynamic_uw")] {
            let issues = Calibration.derive(reports, base: TinyDesign.library).issues
            #expect(issues.contains { $0.field == field }, "\(field): \(issues)")
        }
        var noPrecision = Self.report
        noPrecision.modules = [.init(name: "pe", kind: .pe, dynamicMicrowatts: 1)]
        #expect(!Calibration.derive([noPrecision], base: TinyDesign.library).issues.isEmpty)
    }
}
