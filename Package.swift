// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "BoxLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "boxlab", targets: ["boxlab"]),
        .executable(name: "boxlab-bench", targets: ["boxlab-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Code that must run where Swift cannot: before the runtime starts threads
        // (entering the sandbox) and between fork and exec.
        .target(name: "CBoxLab"),
        .systemLibrary(name: "CReadline", pkgConfig: nil, providers: [.apt(["libreadline-dev"])]),
        .target(name: "Kernel", dependencies: ["CBoxLab"]),
        .target(name: "Lab", dependencies: ["Kernel", "CBoxLab"]),
        .executableTarget(
            name: "boxlab",
            dependencies: [
                "Lab", "Kernel", "CBoxLab", "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // scripts/bench: start time, evaluation cost and peak memory next to their floors.
        // (CBench: posix_spawn, which Swift cannot reach past CBoxLab's spawn.h.)
        .target(name: "CBench"),
        .executableTarget(name: "boxlab-bench", dependencies: ["Lab", "Kernel", "CBoxLab", "CBench"]),
        .testTarget(name: "KernelTests", dependencies: ["Kernel"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LabTests", dependencies: ["Lab", "Kernel"]),
        .testTarget(name: "SystemTests", dependencies: ["Lab", "Kernel"]),
    ],
    swiftLanguageModes: [.v6]
)
