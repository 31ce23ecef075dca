import Testing
@testable import SimDITCore

private func space(_ preset: String, sramKiB: Int? = nil, sramGranuleKiB: Int, bandwidth: Int? = nil, portGranule: Int,
                   program: Program, axi: Bool = false) throws -> ResourceSpace {
    let base = try #require(Presets.named(preset))
    return try ResourceSpace(
        base: base, sramBudgetBits: sramKiB.map { $0 * 8192 } ?? ResourceSpace.sramBits(base),
        sramGranuleBits: sramGranuleKiB * 8192, bandwidthBudget: bandwidth ?? ResourceSpace.bandwidthBits(base),
        portGranuleBits: portGranule, minimumBits: ResourceSpace.minimumBits(for: program, on: base), axiPorts: axi)
}

@Suite("Resource allocation search")
struct AllocationTests {
    /// On spaces small enough to enumerate, the descent finds the enumerated optimum.
    @Test(arguments: [("genesys-inference-08", 1152, 128, "resnet18"), ("genesys-inference-01", 256, 32, "resnet50"),
                      ("genesys-inference-05", 640, 64, "resnet50")])
    func descentMatchesExhaustiveSearchOnSmallSpaces(preset: String, sramKiB: Int, sramGranuleKiB: Int,
                                                      network: String) throws {
        let program = try #require(Zoo.named(network)).inferenceProgram().get()
        let bandwidth = ResourceSpace.bandwidthBits(try #require(Presets.named(preset)))
        let space = try space(preset, sramKiB: sramKiB, sramGranuleKiB: sramGranuleKiB, portGranule: bandwidth / 8,
                              program: program)
        #expect(AllocationSearch.spaceSize(space) <= AllocationSearch.exhaustiveLimit)
        let options = SimulationOptions(batch: 1)
        let exhaustive = try #require(AllocationSearch.run(space: space, program: program, options: options, objective: .cycles,
                                                           library: nil))
        #expect(exhaustive.exhaustive)
        #expect(Double(exhaustive.evaluated) == AllocationSearch.spaceSize(space))
        let descent = try #require(AllocationSearch.run(space: space, program: program, options: options, objective: .cycles,
                                                        library: nil, forceDescent: true))
        #expect(!descent.exhaustive && descent.evaluated < exhaustive.evaluated)
        #expect(descent.bestCost == exhaustive.bestCost, "descent \(descent.bestCost) vs exhaustive \(exhaustive.bestCost)")
    }

    /// The search's fast evaluation (identical ops counted once, parts cached) agrees with the simulator.
    @Test func evaluatorAgreesWithTheSimulator() throws {
        let program = try #require(Zoo.named("resnet50")).trainingProgram().get()
        let space = try space("genesys-training-05", sramGranuleKiB: 4, portGranule: 64, program: program)
        let options = SimulationOptions(mode: .training, batch: 8, fusion: true)
        let evaluator = AllocationEvaluator(space: space, program: program, options: options, objective: .cycles, library: nil)
        for allocation in [space.baseAllocation, space.equalSplit].compactMap({ $0 }) {
            let simulated = try Simulator.run(program, on: space.architecture(allocation), options: options).total.cycles
            let fast = evaluator.cost(allocation)
            #expect(abs(fast - simulated) <= 1e-9 * simulated)
        }
    }

    @Test func budgetsThatAdmitNoSplitAreErrors() throws {
        let program = try #require(Zoo.named("resnet18")).inferenceProgram().get()
        let base = try #require(Presets.named("genesys-inference-08"))
        let minimum = ResourceSpace.minimumBits(for: program, on: base)
        func problems(sram: Int, granule: Int, bandwidth: Int, portGranule: Int) -> [ResourceSpace.Problem] {
            do {
                _ = try ResourceSpace(base: base, sramBudgetBits: sram, sramGranuleBits: granule, bandwidthBudget: bandwidth,
                                      portGranuleBits: portGranule, minimumBits: minimum, axiPorts: false)
                return []
            } catch {
                return error.problems
            }
        }
        #expect(problems(sram: 100 * 8192 + 4096, granule: 32768, bandwidth: 1024, portGranule: 32).contains {
            if case .notMultiple(let what, _, _) = $0 { what == "SRAM" } else { false } })
        #expect(problems(sram: 1928 * 8192, granule: 32768, bandwidth: 1000, portGranule: 32).contains {
            if case .notMultiple(let what, _, _) = $0 { what == "bandwidth" } else { false } })
        #expect(problems(sram: 64 * 8192, granule: 32768, bandwidth: 1024, portGranule: 32).contains {
            if case .tooSmall(let what, _, _) = $0 { what == "SRAM" } else { false } })
        #expect(problems(sram: 1928 * 8192, granule: 32768, bandwidth: 96, portGranule: 32).contains {
            if case .tooSmall(let what, _, _) = $0 { what == "bandwidth" } else { false } })
        #expect(problems(sram: 1928 * 8192, granule: 12, bandwidth: 1024, portGranule: 32).contains {
            if case .granuleNotBanked = $0 { true } else { false } })
        // A granule finer than a bank is fine: that bucket moves in steps of whole banks.
        #expect(problems(sram: 1928 * 8192, granule: 8192, bandwidth: 1024, portGranule: 32).isEmpty)
    }

    @Test func axiPortsArePowersOfTwo() throws {
        let program = try #require(Zoo.named("resnet18")).inferenceProgram().get()
        let space = try space("genesys-inference-08", sramGranuleKiB: 8, portGranule: 32, program: program, axi: true)
        #expect(AllocationSearch.spaceSize(space) > AllocationSearch.exhaustiveLimit)
        #expect(space.portChoices.map { $0 * 32 } == [32, 64, 128, 256, 512, 1024])
        let result = try #require(AllocationSearch.run(space: space, program: program, options: .init(), objective: .cycles,
                                                       library: nil))
        let best = space.architecture(result.best)
        #expect(RTLParameters.derive(best).isSuccess)
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}
