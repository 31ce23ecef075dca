/// The built-in networks, as graphs with their batch-norm layers (inference folds them).
public enum Zoo {
    /// Every built-in network with a one-line description.
    public static let all: [(name: String, summary: String, network: Network)] = [
        ("resnet18", "ResNet-18, 224×224 ImageNet classifier (basic blocks)", resNet(basicBlocks: [2, 2, 2, 2])),
        ("resnet50", "ResNet-50 v1.5, 224×224 ImageNet classifier (bottlenecks, stride on the 3×3)",
         resNet(bottlenecks: [3, 4, 6, 3])),
        ("vgg16", "VGG-16 (configuration D, no batch norm), 224×224 (15.47 G MACs)", vgg16()),
        ("mobilenet_v2", "MobileNetV2 1.0, 224×224 (300 M MACs)", mobileNetV2()),
        ("efficientnet_b0", "EfficientNet-B0, 224×224, swish and squeeze-and-excitation (390 M MACs)", efficientNetB0()),
        ("densenet121", "DenseNet-121 (growth 32), 224×224 (2.87 G MACs)", denseNet121()),
        ("inception_v1", "Inception v1 (GoogLeNet as published: 5×5, LRN, no BN), 224×224 (1.5 G MACs; 1.58 G by shape)",
         inceptionV1()),
    ]

    /// The built-in network with this name, if any.
    public static func named(_ name: String) -> Network? {
        all.first { $0.name == name }?.network
    }

    /// A graph under construction: appends layers, each reading the previous one by default.
    struct Builder {
        var layers: [Layer] = []
        var last = Network.inputName

        @discardableResult
        mutating func add(_ name: String, _ kind: LayerKind, inputs: [String]? = nil) -> String {
            layers.append(Layer(name: name, kind: kind, inputs: inputs ?? [last]))
            last = name
            return name
        }

        /// Convolution without bias, then batch norm; returns the batch norm's name.
        @discardableResult
        mutating func convolutionBatchNorm(_ prefix: String, _ convName: String, _ bnName: String, outputs: Int,
                                           kernel: Int, stride: Int, from: String? = nil) -> String {
            add("\(prefix)\(convName)", .convolution(outputChannels: outputs, kernelHeight: kernel, kernelWidth: kernel,
                                                    stride: stride, padding: kernel / 2, bias: false),
                inputs: from.map { [$0] })
            return add("\(prefix)\(bnName)", .batchNorm)
        }

        mutating func stem() {
            convolutionBatchNorm("", "conv1", "bn1", outputs: 64, kernel: 7, stride: 2)
            add("relu", .relu)
            add("maxpool", .maxPool(kernel: 3, stride: 2, padding: 1))
        }

        mutating func head(classes: Int) -> [Layer] {
            add("avgpool", .globalAveragePool)
            add("flatten", .flatten)
            add("fc", .fullyConnected(outputFeatures: classes, bias: true))
            return layers
        }
    }

    /// torchvision's ResNet: a stem, four stages of residual blocks (the first block of stages 2–4
    /// halves the size), then global pooling and the classifier. `residual` emits one block's main
    /// path and returns its output and its own output width; a projection shortcut is added where
    /// the shape changes.
    private static func resNet(
        name: String, blocks: [Int], classes: Int,
        residual: (inout Builder, _ prefix: String, _ width: Int, _ stride: Int) -> (output: String, channels: Int)
    ) -> Network {
        var b = Builder()
        b.stem()
        var channels = 64
        for (stage, count) in blocks.enumerated() {
            for block in 0..<count {
                let prefix = "layer\(stage + 1).\(block)."
                let stride = stage > 0 && block == 0 ? 2 : 1
                let blockInput = b.last
                let main = residual(&b, prefix, 64 << stage, stride)
                var shortcut = blockInput
                if stride != 1 || main.channels != channels {
                    shortcut = b.convolutionBatchNorm(prefix, "downsample.0", "downsample.1", outputs: main.channels,
                                                      kernel: 1, stride: stride, from: blockInput)
                }
                b.add(prefix + "add", .add, inputs: [main.output, shortcut])
                b.add(prefix + "relu_out", .relu)
                channels = main.channels
            }
        }
        return Network(name: name, input: TensorShape(channels: 3, height: 224, width: 224), layers: b.head(classes: classes))
    }

    /// Bottleneck blocks, v1.5: 1×1 reduce, 3×3 carrying the stride, 1×1 expand ×4.
    static func resNet(bottlenecks blocks: [Int], classes: Int = 1000) -> Network {
        resNet(name: "resnet\(2 + 3 * blocks.reduce(0, +))", blocks: blocks, classes: classes) { b, prefix, width, stride in
            b.convolutionBatchNorm(prefix, "conv1", "bn1", outputs: width, kernel: 1, stride: 1)
            b.add(prefix + "relu1", .relu)
            b.convolutionBatchNorm(prefix, "conv2", "bn2", outputs: width, kernel: 3, stride: stride)
            b.add(prefix + "relu2", .relu)
            return (b.convolutionBatchNorm(prefix, "conv3", "bn3", outputs: 4 * width, kernel: 1, stride: 1), 4 * width)
        }
    }

    /// Basic blocks: two 3×3 convolutions, the first carrying the stride.
    static func resNet(basicBlocks blocks: [Int], classes: Int = 1000) -> Network {
        resNet(name: "resnet\(2 + 2 * blocks.reduce(0, +))", blocks: blocks, classes: classes) { b, prefix, width, stride in
            b.convolutionBatchNorm(prefix, "conv1", "bn1", outputs: width, kernel: 3, stride: stride)
            b.add(prefix + "relu1", .relu)
            return (b.convolutionBatchNorm(prefix, "conv2", "bn2", outputs: width, kernel: 3, stride: 1), width)
        }
    }
}
