// swift-tools-version:6.0
import PackageDescription

/// Compiler settings shared by every Swift target: keep imports explicit and
/// C types out of public API.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "liaosim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "liaosim", targets: ["liaosim"]),
        .library(name: "LiaoCore", targets: ["LiaoCore"]),
        .library(name: "LiaoLua", targets: ["LiaoLua"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Lua 5.4 from the system (Debian: liblua5.4-dev), found with pkg-config.
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // Wrappers for Lua's function-like macros and the C trampolines that raise
        // Lua errors on behalf of Swift callbacks.
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // The simulation core: model, instruments, random streams, statistics.
        .target(name: "LiaoCore", swiftSettings: strictSettings),
        // The only target that talks to Lua.
        .target(name: "LiaoLua", dependencies: ["LiaoCore", "CLuaShim", "CLua"], swiftSettings: strictSettings),
        // Text and JSON rendering of results.
        .target(name: "LiaoReport", dependencies: ["LiaoCore"], swiftSettings: strictSettings),
        .executableTarget(
            name: "liaosim",
            dependencies: [
                "LiaoCore", "LiaoLua", "LiaoReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.embedInCode("Embedded/plan.lua")],
            swiftSettings: strictSettings
        ),
        // Random scenarios and API calls through the Lua bridge (scripts/fuzz);
        // Tests/Fuzz/corpus holds the cases that once found a hole.
        .executableTarget(
            name: "liaosim-fuzz",
            dependencies: ["LiaoLua", "LiaoCore"],
            path: "Tests/Fuzz",
            exclude: ["corpus"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "LiaoCoreTests", dependencies: ["LiaoCore"], swiftSettings: strictSettings),
        .testTarget(name: "LiaoLuaTests", dependencies: ["LiaoLua", "LiaoCore"], swiftSettings: strictSettings),
        .testTarget(name: "LiaoReportTests", dependencies: ["LiaoReport", "LiaoCore"], swiftSettings: strictSettings),
        .testTarget(name: "LiaosimCLITests", dependencies: ["LiaoCore"], swiftSettings: strictSettings),
    ]
)
