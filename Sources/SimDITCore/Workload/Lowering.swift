extension Network {
    /// The graph facts the lowering rules consult: shapes, producer indices, consumer counts.
    struct Analysis {
        var shapes: [TensorShape]
        var indexByName: [String: Int]
        var consumers: [Int]

        init(_ network: Network, shapes: [TensorShape]) {
            self.shapes = shapes
            indexByName = [:]
            consumers = [Int](repeating: 0, count: network.layers.count)
            for (index, layer) in network.layers.enumerated() {
                for producer in layer.inputs {
                    if let producerIndex = indexByName[producer] { consumers[producerIndex] += 1 }
                }
                indexByName[layer.name] = index
            }
        }

        func inputShapes(_ layer: Layer, networkInput: TensorShape) -> [TensorShape] {
            layer.inputs.map { producer in indexByName[producer].map { shapes[$0] } ?? networkInput }
        }
    }

    func lowering(_ index: Int, _ analysis: Analysis) -> LayerLowering {
        let layer = layers[index]
        return LayerLowering(name: layer.name, inputs: analysis.inputShapes(layer, networkInput: input),
                             output: analysis.shapes[index], readsNetworkInput: layer.inputs.first == Network.inputName)
    }

    /// Lowers the graph to the ordered program the model runs, for inference (GENESYS-MODEL.md
    /// §2.2–2.3): each layer by its kind's rule, in layer order. The one rule across layers: a
    /// batch norm folds into a convolution that feeds only it (the convolution then has a bias);
    /// any other batch norm is applied on the SIMD unit with its stored statistics (§6.5).
    public func inferenceProgram() -> Result<Program, NetworkError> {
        let analysis: Analysis
        switch inferShapes() {
        case .success(let shapes): analysis = Analysis(self, shapes: shapes)
        case .failure(let error): return .failure(error)
        }
        var foldedInto = [Bool](repeating: false, count: layers.count)
        var folded = [Bool](repeating: false, count: layers.count)
        for (index, layer) in layers.enumerated() where layer.kind == .batchNorm {
            if let producer = layer.inputs.first, let producerIndex = analysis.indexByName[producer],
               case .convolution = layers[producerIndex].kind, analysis.consumers[producerIndex] == 1 {
                foldedInto[producerIndex] = true
                folded[index] = true
            }
        }
        var program = ProgramBuilder()
        program.entries.reserveCapacity(layers.count)
        for index in layers.indices {
            var layer = lowering(index, analysis)
            layer.foldedBias = foldedInto[index]
            layer.foldedAway = folded[index]
            layers[index].kind.rule.lowerInference(layer, into: &program)
        }
        return .success(Program(name: name, entries: program.entries))
    }
}
