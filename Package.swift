// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "simdit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "simdit", targets: ["simdit"]),
        .library(name: "SimDITCore", targets: ["SimDITCore"]),
        .library(name: "SimDITFiles", targets: ["SimDITFiles"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        // ONNX model files are protobuf; the code generated from onnx.proto is committed
        // (scripts/generate-onnx-proto.sh), so only the runtime is needed.
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
    ],
    targets: [
        // The pure model: hardware, workloads, tilers, cost models, results. No I/O.
        .target(name: "SimDITCore"),
        // Files at the edge: YAML → validated core values with diagnostics, report writers.
        .target(
            name: "SimDITFiles",
            dependencies: [
                "SimDITCore", .product(name: "Yams", package: "Yams"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // Runs the external tools of the backend flow (Flow/): Yosys, Icarus Verilog, OpenSTA.
        .target(name: "SimDITFlow", dependencies: ["SimDITCore", "SimDITFiles"]),
        // The command line, as a library so tests can drive it in-process.
        .target(
            name: "SimDITCommands",
            dependencies: [
                "SimDITCore", "SimDITFiles", "SimDITFlow",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "simdit", dependencies: ["SimDITCommands"]),
        .testTarget(name: "SimDITCoreTests", dependencies: ["SimDITCore"]),
        .testTarget(name: "SimDITFilesTests", dependencies: ["SimDITCore", "SimDITFiles"]),
        .testTarget(name: "SimDITFlowTests", dependencies: ["SimDITFlow", "SimDITFiles", "SimDITCore"]),
        .testTarget(name: "SimDITCommandsTests", dependencies: ["SimDITCommands", "SimDITFiles", "SimDITCore"]),
        // Compiles and simulates the Verilog templates (Icarus Verilog, Verilator).
        .testTarget(name: "SimDITRTLTests", dependencies: ["SimDITFiles", "SimDITCore"], exclude: []),
    ]
)
