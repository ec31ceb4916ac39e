// swift-tools-version:6.0
import PackageDescription

/// Throughput and memory figures for liaosim, built against the package one
/// folder up. Run with `Benchmarks/run` (release build).
let package = Package(
    name: "liaosim-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named explicitly: a path package is otherwise known by its folder name.
        .package(name: "liaosim", path: "../"),
    ],
    targets: [
        .executableTarget(
            name: "liaosim-bench",
            dependencies: [
                .product(name: "LiaoCore", package: "liaosim"),
                .product(name: "LiaoLua", package: "liaosim"),
            ]
        ),
    ]
)
