// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "TrainingDesk",
    products: [
        .executable(name: "trainingdesk", targets: ["trainingdesk"]),
        .executable(name: "trainingdesk-bench", targets: ["trainingdesk-bench"]),
    ],
    targets: [
        .systemLibrary(
            name: "CNCurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "Terminal", dependencies: ["CNCurses"]),
        .target(name: "CtrlHubKit"),
        .target(name: "CtrlHubSandbox"),
        // Runs a program on a pseudo-terminal of its own: for end-to-end tests and the benchmark.
        .target(name: "CPty"),
        .target(name: "Pty", dependencies: ["CPty"]),
        // The top-level themes/ folder links here, so the built-in themes ship as resources.
        .target(name: "TrainingDesk", dependencies: ["CtrlHubKit", "Terminal"], resources: [.copy("Themes")]),
        .executableTarget(
            name: "trainingdesk",
            dependencies: ["TrainingDesk", "CtrlHubKit", "CtrlHubSandbox"]
        ),
        // The benchmark (docs/performance.md): its cases in a library the smoke test can reach,
        // and a thin executable. It runs the built `trainingdesk`, so it depends on it.
        .target(name: "Bench", dependencies: ["CtrlHubKit", "CtrlHubSandbox", "TrainingDesk", "Terminal", "Pty"]),
        .executableTarget(name: "trainingdesk-bench", dependencies: ["Bench", "trainingdesk"]),
        .testTarget(name: "CtrlHubKitTests", dependencies: ["CtrlHubKit", "CtrlHubSandbox"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "CtrlHubSandboxTests", dependencies: ["CtrlHubSandbox"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal"]),
        // Snapshots are read from the source tree by path, so they are not bundled.
        .testTarget(name: "TrainingDeskTests", dependencies: ["TrainingDesk", "CtrlHubKit"], exclude: ["Snapshots"]),
        .testTarget(name: "EndToEndTests", dependencies: ["CtrlHubSandbox", "Pty", "trainingdesk", "trainingdesk-bench"]),
    ]
)
