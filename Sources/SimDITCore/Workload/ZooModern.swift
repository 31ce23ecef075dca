/// Five more built-in networks, torchvision's architectures at 224×224 with 1000 classes: VGG-16,
/// MobileNetV2, EfficientNet-B0, DenseNet-121 and Inception v1 (GoogLeNet as published). Layer
/// names follow torchvision's module names; the functional steps torchvision has no module for
/// (flatten, residual adds, concatenations, the SE product) get names of their own.
extension Zoo {
    /// torchvision `vgg16` (configuration D, no batch norm): thirteen 3×3 convolutions with bias,
    /// each with a ReLU, five 2×2 max pools, then the classifier fc 4096 → ReLU → dropout →
    /// fc 4096 → ReLU → dropout → fc. The adaptive 7×7 average pool is the identity at 224×224, so
    /// it is left out.
    static func vgg16(classes: Int = 1000) -> Network {
        var b = Builder()
        var index = 0
        for stage in [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]] {
            for width in stage {
                b.add("features.\(index)", .convolution(outputChannels: width, kernelHeight: 3, kernelWidth: 3,
                                                        stride: 1, padding: 1, bias: true))
                b.add("features.\(index + 1)", .relu)
                index += 2
            }
            b.add("features.\(index)", .maxPool(kernel: 2, stride: 2, padding: 0))
            index += 1
        }
        b.add("flatten", .flatten)
        b.add("classifier.0", .fullyConnected(outputFeatures: 4096, bias: true))
        b.add("classifier.1", .relu)
        b.add("classifier.2", .dropout(ratio: 0.5))
        b.add("classifier.3", .fullyConnected(outputFeatures: 4096, bias: true))
        b.add("classifier.4", .relu)
        b.add("classifier.5", .dropout(ratio: 0.5))
        b.add("classifier.6", .fullyConnected(outputFeatures: classes, bias: true))
        return Network(name: "vgg16", input: imageNetInput, layers: b.layers)
    }

    /// torchvision `mobilenet_v2` at width 1.0: a 3×3/2 stem, seventeen inverted residuals (expand
    /// 1×1 → depthwise 3×3 → linear 1×1 projection, a residual add where stride 1 keeps the
    /// channels), a 1×1 convolution to 1280, global pooling, dropout 0.2 and the classifier.
    /// Every convolution is followed by a batch norm; the activations are ReLU6.
    static func mobileNetV2(classes: Int = 1000) -> Network {
        let relu6 = ActivationFunction.clip(lower: 0, upper: 6)
        var b = Builder()
        b.convolutionNormActivation("features.0", outputs: 32, kernel: 3, stride: 2, activation: relu6)
        var channels = 32, index = 1
        // (expansion t, output channels c, repeats n, first stride s), the paper's Table 2.
        for (t, c, n, s) in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                             (6, 160, 3, 2), (6, 320, 1, 1)] {
            for block in 0..<n {
                let stride = block == 0 ? s : 1
                let prefix = "features.\(index).conv."
                let blockInput = b.last
                let hidden = channels * t
                var part = 0
                if t != 1 {
                    b.convolutionNormActivation(prefix + "0", outputs: hidden, kernel: 1, activation: relu6)
                    part = 1
                }
                b.convolutionNormActivation(prefix + "\(part)", outputs: hidden, kernel: 3, stride: stride,
                                            groups: hidden, activation: relu6)
                b.add(prefix + "\(part + 1)", .convolution(outputChannels: c, kernelHeight: 1, kernelWidth: 1,
                                                           stride: 1, padding: 0, bias: false))
                b.add(prefix + "\(part + 2)", .batchNorm)
                if stride == 1 && channels == c {
                    b.add("features.\(index).add", .add, inputs: [blockInput, b.last])
                }
                channels = c
                index += 1
            }
        }
        b.convolutionNormActivation("features.\(index)", outputs: 1280, kernel: 1, activation: relu6)
        b.add("avgpool", .globalAveragePool)
        b.add("flatten", .flatten)
        b.add("classifier.0", .dropout(ratio: 0.2))
        b.add("classifier.1", .fullyConnected(outputFeatures: classes, bias: true))
        return Network(name: "mobilenet_v2", input: imageNetInput, layers: b.layers)
    }

    /// torchvision `efficientnet_b0`: a 3×3/2 stem, sixteen MBConv blocks in seven stages, a 1×1
    /// head to 1280, global pooling, dropout 0.2 and the classifier; SiLU (swish) throughout. An
    /// MBConv block: expand 1×1 (not in stage 1, whose expansion is 1) → depthwise k×k →
    /// squeeze-and-excitation (global pool → 1×1 reduce to a quarter of the block's input
    /// channels, with bias → swish → 1×1 expand, with bias → sigmoid → product with the depthwise
    /// output) → linear 1×1 projection, with a residual add where stride 1 keeps the channels.
    /// Stochastic depth (training only, and an identity at inference) is left out.
    static func efficientNetB0(classes: Int = 1000) -> Network {
        var b = Builder()
        b.convolutionNormActivation("features.0", outputs: 32, kernel: 3, stride: 2, activation: .swish)
        var channels = 32
        // (expansion, kernel, first stride, output channels, blocks): torchvision's MBConvConfig
        // list for B0 (width and depth multipliers 1.0), the paper's Table 1.
        let stages = [(1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3), (6, 5, 1, 112, 3),
                      (6, 5, 2, 192, 4), (6, 3, 1, 320, 1)]
        for (stage, (expansion, kernel, firstStride, outputs, blocks)) in stages.enumerated() {
            for block in 0..<blocks {
                let stride = block == 0 ? firstStride : 1
                let name = "features.\(stage + 1).\(block)"
                let prefix = name + ".block."
                let blockInput = b.last
                let expanded = channels * expansion
                var part = 0
                if expansion != 1 {
                    b.convolutionNormActivation(prefix + "0", outputs: expanded, kernel: 1, activation: .swish)
                    part = 1
                }
                let depthwise = b.convolutionNormActivation(prefix + "\(part)", outputs: expanded, kernel: kernel,
                                                            stride: stride, groups: expanded, activation: .swish)
                let se = prefix + "\(part + 1)."
                b.add(se + "avgpool", .globalAveragePool)
                b.add(se + "fc1", .convolution(outputChannels: max(1, channels / 4), kernelHeight: 1, kernelWidth: 1,
                                               stride: 1, padding: 0, bias: true))
                b.add(se + "activation", .activation(.swish))
                b.add(se + "fc2", .convolution(outputChannels: expanded, kernelHeight: 1, kernelWidth: 1, stride: 1,
                                               padding: 0, bias: true))
                b.add(se + "scale_activation", .activation(.sigmoid))
                b.add(se + "mul", .multiply, inputs: [depthwise, b.last])
                b.convolutionNormActivation(prefix + "\(part + 2)", outputs: outputs, kernel: 1, activation: nil)
                if stride == 1 && channels == outputs {
                    b.add(name + ".add", .add, inputs: [blockInput, b.last])
                }
                channels = outputs
            }
        }
        b.convolutionNormActivation("features.8", outputs: 1280, kernel: 1, activation: .swish)
        b.add("avgpool", .globalAveragePool)
        b.add("flatten", .flatten)
        b.add("classifier.0", .dropout(ratio: 0.2))
        b.add("classifier.1", .fullyConnected(outputFeatures: classes, bias: true))
        return Network(name: "efficientnet_b0", input: imageNetInput, layers: b.layers)
    }

    /// torchvision `densenet121`: growth rate 32, dense blocks of [6, 12, 24, 16] layers, bottleneck
    /// width 4·32, 64 initial features, compression 0.5. The stem is conv 7×7/2 → BN → ReLU → max
    /// pool 3×3/2. A dense layer is BN → ReLU → conv 1×1 (128) → BN → ReLU → conv 3×3 (32), reading
    /// the concatenation of the block input and every earlier layer's output in the block (as
    /// torchvision's `torch.cat(prev_features)`; the first layer reads the block input itself); a
    /// block's output is the concatenation of all of them. A transition is BN → ReLU → conv 1×1
    /// halving the channels → average pool 2×2/2. Then BN → ReLU → global pool → classifier.
    static func denseNet121(classes: Int = 1000) -> Network {
        let growth = 32, bottleneck = 4 * 32
        var b = Builder()
        b.add("features.conv0", .convolution(outputChannels: 64, kernelHeight: 7, kernelWidth: 7, stride: 2, padding: 3,
                                             bias: false))
        b.add("features.norm0", .batchNorm)
        b.add("features.relu0", .relu)
        b.add("features.pool0", .maxPool(kernel: 3, stride: 2, padding: 1))
        var channels = 64
        let blocks = [6, 12, 24, 16]
        for (blockIndex, layerCount) in blocks.enumerated() {
            let block = "features.denseblock\(blockIndex + 1)"
            var features = [b.last]
            for layer in 0..<layerCount {
                let prefix = "\(block).denselayer\(layer + 1)."
                let input = features.count == 1 ? features[0] : b.add(prefix + "cat", .concat, inputs: features)
                b.add(prefix + "norm1", .batchNorm, inputs: [input])
                b.add(prefix + "relu1", .relu)
                b.add(prefix + "conv1", .convolution(outputChannels: bottleneck, kernelHeight: 1, kernelWidth: 1,
                                                     stride: 1, padding: 0, bias: false))
                b.add(prefix + "norm2", .batchNorm)
                b.add(prefix + "relu2", .relu)
                features.append(b.add(prefix + "conv2", .convolution(outputChannels: growth, kernelHeight: 3,
                                                                     kernelWidth: 3, stride: 1, padding: 1,
                                                                     bias: false)))
            }
            b.add(block + ".cat", .concat, inputs: features)
            channels += layerCount * growth
            if blockIndex < blocks.count - 1 {
                let transition = "features.transition\(blockIndex + 1)."
                b.add(transition + "norm", .batchNorm)
                b.add(transition + "relu", .relu)
                channels /= 2
                b.add(transition + "conv", .convolution(outputChannels: channels, kernelHeight: 1, kernelWidth: 1,
                                                        stride: 1, padding: 0, bias: false))
                b.add(transition + "pool", .averagePool(kernel: 2, stride: 2, padding: 0))
            }
        }
        b.add("features.norm5", .batchNorm)
        b.add("relu", .relu)
        b.add("avgpool", .globalAveragePool)
        b.add("flatten", .flatten)
        b.add("classifier", .fullyConnected(outputFeatures: classes, bias: true))
        return Network(name: "densenet121", input: imageNetInput, layers: b.layers)
    }

    /// Inception v1 (GoogLeNet) as published (Szegedy et al., 2015, Table 1 and the released
    /// Caffe model), with torchvision's `googlenet` module names but none of its changes: no batch
    /// norm (convolutions with bias, then ReLU), a real 5×5 convolution in the third branch (the
    /// torchvision port has a 3×3 there), local response normalisation after the first pool and
    /// after conv3, the 3×3/2 max pool before inception 5a (torchvision: 2×2/2, the same output
    /// size), and no auxiliary classifiers. Max pools round up (ceil mode), as Caffe's do.
    static func inceptionV1(classes: Int = 1000) -> Network {
        let lrn = LayerKind.localResponseNorm(LocalResponseNorm(size: 5, alpha: 1e-4, beta: 0.75, bias: 1))
        let pool = LayerKind.maxPool(Pooling(kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2,
                                             padding: .zero, ceilMode: true))
        var b = Builder()
        b.convolutionReLU("conv1", outputs: 64, kernel: 7, stride: 2)
        b.add("maxpool1", pool)
        b.add("norm1", lrn)
        b.convolutionReLU("conv2", outputs: 64, kernel: 1)
        b.convolutionReLU("conv3", outputs: 192, kernel: 3)
        b.add("norm2", lrn)
        b.add("maxpool2", pool)
        // (#1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj): the paper's Table 1.
        let modules: [(String, [Int])] = [
            ("inception3a", [64, 96, 128, 16, 32, 32]), ("inception3b", [128, 128, 192, 32, 96, 64]),
            ("maxpool3", []),
            ("inception4a", [192, 96, 208, 16, 48, 64]), ("inception4b", [160, 112, 224, 24, 64, 64]),
            ("inception4c", [128, 128, 256, 24, 64, 64]), ("inception4d", [112, 144, 288, 32, 64, 64]),
            ("inception4e", [256, 160, 320, 32, 128, 128]),
            ("maxpool4", []),
            ("inception5a", [256, 160, 320, 32, 128, 128]), ("inception5b", [384, 192, 384, 48, 128, 128]),
        ]
        for (name, widths) in modules {
            guard widths.count == 6 else {
                b.add(name, pool)
                continue
            }
            let input = b.last, prefix = name + "."
            let branch1 = b.convolutionReLU(prefix + "branch1", outputs: widths[0], kernel: 1, from: input)
            b.convolutionReLU(prefix + "branch2.0", outputs: widths[1], kernel: 1, from: input)
            let branch2 = b.convolutionReLU(prefix + "branch2.1", outputs: widths[2], kernel: 3)
            b.convolutionReLU(prefix + "branch3.0", outputs: widths[3], kernel: 1, from: input)
            let branch3 = b.convolutionReLU(prefix + "branch3.1", outputs: widths[4], kernel: 5)
            b.add(prefix + "branch4.0", .maxPool(Pooling(kernelHeight: 3, kernelWidth: 3, strideHeight: 1,
                                                         strideWidth: 1, padding: Padding(uniform: 1),
                                                         ceilMode: true)),
                  inputs: [input])
            let branch4 = b.convolutionReLU(prefix + "branch4.1", outputs: widths[5], kernel: 1)
            b.add(prefix + "cat", .concat, inputs: [branch1, branch2, branch3, branch4])
        }
        b.add("avgpool", .globalAveragePool)
        b.add("flatten", .flatten)
        b.add("dropout", .dropout(ratio: 0.4))
        b.add("fc", .fullyConnected(outputFeatures: classes, bias: true))
        return Network(name: "inception_v1", input: imageNetInput, layers: b.layers)
    }

    private static var imageNetInput: TensorShape { TensorShape(channels: 3, height: 224, width: 224) }
}

extension Zoo.Builder {
    /// torchvision's `Conv2dNormActivation`: a convolution without bias padded to keep the size
    /// (`(k − 1) / 2`), `prefix.0`; a batch norm, `prefix.1`; the activation, if any, `prefix.2`.
    /// Returns the last layer's name.
    @discardableResult
    mutating func convolutionNormActivation(_ prefix: String, outputs: Int, kernel: Int, stride: Int = 1,
                                            groups: Int = 1, activation: ActivationFunction?) -> String {
        add(prefix + ".0", .convolution(Convolution(
            outputChannels: outputs, kernelHeight: kernel, kernelWidth: kernel, strideHeight: stride,
            strideWidth: stride, padding: Padding(uniform: (kernel - 1) / 2), groups: groups, bias: false)))
        add(prefix + ".1", .batchNorm)
        if let activation { add(prefix + ".2", .activation(activation)) }
        return last
    }

    /// A convolution with bias padded to keep the size, `prefix.conv`, then a ReLU, `prefix.relu`
    /// (torchvision's `BasicConv2d` without its batch norm). Returns the ReLU's name.
    @discardableResult
    mutating func convolutionReLU(_ prefix: String, outputs: Int, kernel: Int, stride: Int = 1,
                                  from: String? = nil) -> String {
        add(prefix + ".conv", .convolution(outputChannels: outputs, kernelHeight: kernel, kernelWidth: kernel,
                                           stride: stride, padding: (kernel - 1) / 2, bias: true),
            inputs: from.map { [$0] })
        return add(prefix + ".relu", .relu)
    }
}
