// swift-tools-version: 6.0
import PackageDescription

/// Release builds of the per-packet path skip the runtime exclusivity checks, count references non-atomically
/// (`-assume-single-threaded`: the reader thread shares only raw memory, Docs/architecture.md) and optimise across
/// modules. Measured per target with callgrind (Docs/performance.md, "Where the flags pay"): without them anywhere a
/// run costs 19-20 % more instructions; they pay in every target a packet, a frame or a JSON line goes through —
/// WSWire (its generic frame decoder is specialised for the analysis only with them: +1.5-2.8 % without), WSCapture,
/// WSAnalysis, WSReport, and the command line (its read loop calls the analysis for every packet: +1.1 % without).
/// WSStream builds without them: its small value types are `@inlinable` instead, which costs nothing measurable.
/// Debug builds and the tests keep every check; ReleaseBuildTests compares the release build's output with theirs.
let fast: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked", "-Xfrontend", "-assume-single-threaded", "-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "wsinspect",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "wsinspect", targets: ["wsinspect"]),
        .executable(name: "wsinspect-capgen", targets: ["wsinspect-capgen"]),
        // The wire format alone (frames, masking, close codes, the handshake rules, UTF-8), for other packages.
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        // System libraries (C), reached through module maps.
        .systemLibrary(
            name: "CPcap",
            path: "Sources/CPcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The vocabulary every layer shares: capture times and byte origins, endpoints, and the byte-stream interface
        // between ordered bytes (TCP, TLS) and the analysis that reads them.
        .target(name: "WSStream"),
        // Pure RFC 6455 / RFC 7692 wire format. No I/O.
        .target(
            name: "WSWire",
            dependencies: ["WSStream", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: fast
        ),
        // TLS between ordered TCP bytes and HTTP: records, handshakes, key logs, decryption (swift-crypto). Knows nothing
        // of HTTP or WebSocket.
        .target(name: "WSTLS", dependencies: ["WSStream", .product(name: "Crypto", package: "swift-crypto")]),
        // libpcap, link layers, IP, TCP reassembly. Knows nothing of WebSocket.
        .target(name: "WSCapture", dependencies: ["WSStream", "CPcap"], swiftSettings: fast),
        // Payload views: messages read as the application's protocol (JSON, Socket.IO, STOMP, MQTT, GraphQL over
        // WebSocket). Plain inputs (message bytes, text or binary, sender, time, subprotocol); knows no frames.
        .target(name: "WSViews", swiftSettings: fast),
        // Connections, handshakes, frame streams, messages, permessage-deflate -> events.
        .target(name: "WSAnalysis", dependencies: ["WSWire", "WSCapture", "WSTLS", "WSViews", "CZlib"], swiftSettings: fast),
        // Renderers of events: text, JSON Lines.
        .target(name: "WSReport", dependencies: ["WSAnalysis", "WSWire", "WSTLS", "WSViews", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: fast),
        // The command line.
        .executableTarget(
            name: "wsinspect",
            dependencies: [
                "WSReport", "WSAnalysis", "WSCapture", "WSWire", "WSTLS", "WSViews",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fast
        ),
        // Builders of packets and capture files, shared by the tests and the capture generator.
        .target(name: "WSTestSupport", dependencies: ["WSCapture", "WSWire", "WSTLS", .product(name: "Crypto", package: "swift-crypto")],
                path: "Tests/WSTestSupport"),
        // The deterministic synthetic-capture generator for benchmarks (Benchmarks/run.sh).
        .executableTarget(name: "wsinspect-capgen", dependencies: ["WSTestSupport", "WSCapture", "WSWire", "CZlib"],
                          path: "Benchmarks/CaptureGenerator"),
        // Fuzzing harnesses (Fuzz/run.sh builds them with libFuzzer; built normally, a replayer of saved inputs).
        .executableTarget(name: "wsinspect-fuzz", dependencies: ["WSAnalysis", "WSCapture", "WSReport", "WSWire", "WSTLS", "WSViews", "WSTestSupport"],
                          path: "Fuzz/Harnesses"),
        .testTarget(name: "WSWireTests", dependencies: ["WSWire", "WSTestSupport"]),
        .testTarget(name: "WSCaptureTests", dependencies: ["WSCapture", "WSTestSupport"]),
        .testTarget(name: "WSTLSTests", dependencies: ["WSTLS", "WSStream", "WSTestSupport"]),
        .testTarget(name: "WSAnalysisTests", dependencies: ["WSAnalysis", "WSCapture", "WSWire", "WSViews", "WSTestSupport", "CZlib"]),
        .testTarget(name: "WSViewsTests", dependencies: ["WSViews"]),
        .testTarget(name: "WSReportTests", dependencies: ["WSReport", "WSAnalysis", "WSWire", "WSStream", "WSViews"], exclude: ["Golden"]),
        .testTarget(name: "WSInspectCLITests", dependencies: ["wsinspect", "wsinspect-capgen", "wsinspect-fuzz", "WSTestSupport", "WSReport"], exclude: ["Expected"]),
    ]
)
