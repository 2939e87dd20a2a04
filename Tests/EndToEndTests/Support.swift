import Foundation
import Testing
import CtrlHubSandbox

/// The built `trainingdesk` binary: beside the test bundle in the build directory.
let binary: URL = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("trainingdesk")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/trainingdesk")
}()

struct Outcome {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// A clean environment for one run: its own state and config folders, a pinned zone and
/// locale, and nothing of the developer's own Ctrl Hub settings.
func environment(_ extra: [String: String] = [:]) -> [String: String] {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("td-home-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    var environment = ["HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                       "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
                       "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "Europe/London"]
    environment.merge(extra) { _, new in new }
    return environment
}

/// Runs the binary to completion (killed after a minute, so a hang fails rather than stalls).
func run(_ arguments: [String], environment: [String: String], input: String = "") throws -> Outcome {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.environment = environment
    let output = Pipe(), errors = Pipe(), stdin = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = stdin
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let watchdog = DispatchWorkItem { process.terminate() }
    DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
    // Read before waiting: a full pipe would otherwise block the child forever.
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    watchdog.cancel()
    return Outcome(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: String(decoding: err, as: UTF8.self))
}

/// A sandbox for one test and the environment that points the CLI at it.
final class CLISandbox: @unchecked Sendable {
    let server = SandboxServer()
    let url: URL

    init() throws { url = try server.start() }
    deinit { server.stop() }

    func environment(token: String? = SandboxServer.admin.token, _ extra: [String: String] = [:]) -> [String: String] {
        var values = ["CTRLHUB_API_URL": url.absoluteString]
        if let token { values["CTRLHUB_SESSION_TOKEN"] = token }
        return EndToEndTests.environment(values.merging(extra) { _, new in new })
    }

    func run(_ arguments: [String], token: String? = SandboxServer.admin.token, input: String = "") throws -> Outcome {
        try EndToEndTests.run(arguments, environment: environment(token: token), input: input)
    }

    var person: SandboxPerson { server.data.busiestPerson }
    var record: SandboxCompletion { server.data.completions.first { $0.userID == person.id && $0.expiresAt != nil }! }
    func requests(_ method: String) -> [SandboxRequest] { server.requests().filter { $0.method == method } }
}

func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}
