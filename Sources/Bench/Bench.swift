import Foundation

/// The benchmark of issue 6: every case with its comparator, in one run (docs/performance.md).
public enum Bench {
    public struct Options: Sendable {
        /// A tiny run for the test suite: 100 records, few runs, no programs on terminals.
        public var smoke = false
        /// The built `trainingdesk` the program cases run; by default the one beside this program.
        public var binary: String?
        /// Which cases to run (1 to 6); all when empty.
        public var cases: Set<Int> = []
        public init() {}
    }

    public static func run(_ options: Options) throws -> [Row] {
        func wanted(_ number: Int) -> Bool { options.cases.isEmpty || options.cases.contains(number) }
        var rows: [Row] = []
        if wanted(1) {
            rows += try DecodeCase.run(sizes: options.smoke ? [100] : [100, 1_000, 10_000], runs: options.smoke ? 2 : 9,
                                       python: which("python3"))
        }
        if wanted(2) {
            rows += try ListCase.run(records: options.smoke ? 100 : 10_000, small: 100, rounds: options.smoke ? 1 : 5)
        }
        if options.smoke { return rows }
        let binary = options.binary ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("trainingdesk").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no trainingdesk at \(binary): build it (swift build -c release) or give --binary PATH")
        }
        let programs = ProgramCases(binary: binary, curl: which("curl"), less: which("less"), runs: 5)
        let busy = Dataset(records: 262)
        if wanted(3) || wanted(4) || wanted(5) {
            try ProgramCases.serving(busy) { server, url in
                if wanted(3) { rows += try programs.bytes(busy, sandbox: url) }
                if wanted(4) { rows += try programs.firstScreen(busy, sandbox: url) }
                if wanted(5) { rows += try programs.save(busy, sandbox: url, server: server) }
            }
        }
        if wanted(6) || wanted(3) {
            let large = Dataset(records: 10_000)
            rows += try ProgramCases.serving(large) { _, url in try programs.memoryAndIdle(large, sandbox: url, idle: 10) }
        }
        return rows.sorted { $0.section.prefix(1) < $1.section.prefix(1) }
    }

    /// Where it ran: cores, CPU and Swift, as docs/performance.md records them.
    public static var machine: [String: String] {
        var machine = ["cores": String(ProcessInfo.processInfo.activeProcessorCount)]
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if let model = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("model name") }) {
            machine["cpu"] = model.split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces)
        }
        if let swift = which("swift"), let version = try? output(of: [swift, "--version"]) {
            machine["swift"] = String(decoding: version, as: UTF8.self).split(separator: "\n").first.map(String.init)
        }
        return machine
    }
}
