// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "BoxLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "boxlab", targets: ["boxlab"]),
        .executable(name: "boxlab-bench", targets: ["boxlab-bench"]),
        .executable(name: "boxlab-fuzz", targets: ["boxlab-fuzz"]),
        .executable(name: "boxlab-resolver", targets: ["boxlab-resolver"]),
        .executable(name: "boxlab-flannel", targets: ["boxlab-flannel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.24.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // Code that must run where Swift cannot: before the runtime starts threads
        // (entering the sandbox) and between fork and exec.
        .target(name: "CBoxLab"),
        .systemLibrary(name: "CReadline", pkgConfig: nil, providers: [.apt(["libreadline-dev"])]),
        .target(name: "Kernel", dependencies: ["CBoxLab"]),
        // libarchive reads and writes the layers' tar streams, gzip-compressed or not; it is
        // loaded on first use (archive_loader.c), not at every start.
        .target(name: "CArchive", linkerSettings: [.linkedLibrary("dl")]),
        // OCI image layouts: building one from busybox, verifying it, unpacking its layers for overlayfs.
        .target(
            name: "Image",
            dependencies: ["Kernel", "CArchive", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // etcd's v3 API over its HTTP/JSON gateway: the lab's expectations and the agent share it.
        .target(name: "Etcd", dependencies: ["Kernel"]),
        .target(name: "Lab", dependencies: ["Kernel", "Image", "CBoxLab", "Etcd"]),
        // The live view: a page in the browser that follows the session, its pictures drawn
        // by Lab from the kernel's state; served over HTTP and a WebSocket by Hummingbird.
        .target(
            name: "LiveView",
            dependencies: [
                "Lab", "Kernel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "boxlab",
            dependencies: [
                "Lab", "LiveView", "Kernel", "Image", "CBoxLab", "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The embedded DNS resolver a container on a user-defined network gets; Kernel only,
        // so that each running copy stays small.
        .executableTarget(name: "boxlab-resolver", dependencies: ["Kernel"]),
        // flanneld's vxlan backend, BoxLab's way: a lease in etcd, docker0, flannel.1 and the
        // routes, neighbours and FDB entries of the other hosts' leases. Kernel and Etcd only.
        .executableTarget(name: "boxlab-flannel", dependencies: ["Kernel", "Etcd"]),
        // scripts/bench: start time, evaluation cost and peak memory next to their floors.
        // (CBench: posix_spawn, which Swift cannot reach past CBoxLab's spawn.h.)
        .target(name: "CBench"),
        .executableTarget(name: "boxlab-bench", dependencies: ["Lab", "LiveView", "LabFuzz", "Kernel", "Etcd", "CBoxLab", "CBench"]),
        // A seeded generator of lab-language input: the parser test uses it here, the VM
        // tier runs the lab files `boxlab-fuzz generate` writes.
        .target(name: "LabFuzz", dependencies: ["Lab"]),
        .executableTarget(name: "boxlab-fuzz", dependencies: ["LabFuzz", "Kernel"]),
        .testTarget(name: "KernelTests", dependencies: ["Kernel", "LabFuzz"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LabTests", dependencies: ["Lab", "Kernel", "LabFuzz", "Etcd"]),
        .testTarget(name: "ImageTests", dependencies: ["Image", "Kernel"]),
        .testTarget(name: "EtcdTests", dependencies: ["Etcd", "Kernel"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SystemTests", dependencies: ["Lab", "Kernel", "Etcd"]),
    ],
    swiftLanguageModes: [.v6]
)
