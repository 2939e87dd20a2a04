import Foundation
import Pty
import CtrlHubSandbox

/// A program on a pseudo-terminal of its own at 80x24, with its screen followed as its bytes
/// arrive, in a home of its own that is removed afterwards.
final class Program {
    let terminal: PseudoTerminal
    let screen = VirtualTerminal()
    /// The wall clock just before the program was started.
    let started: Double
    private var fed = 0
    private let home: URL

    init(_ arguments: [String], environment extra: [String: String] = [:]) throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("td-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        var environment = ["HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                           "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
                           "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "Europe/London", "TERM": "xterm-256color"]
        environment.merge(extra) { _, new in new }
        started = wallClock()
        terminal = try PseudoTerminal(arguments, environment: environment)
    }

    /// The built `trainingdesk` signed in to a sandbox as its administrator.
    convenience init(trainingdesk binary: String, sandbox: URL, _ arguments: [String] = []) throws {
        try self.init([binary] + arguments, environment: ["CTRLHUB_API_URL": sandbox.absoluteString,
                                                           "CTRLHUB_SESSION_TOKEN": SandboxServer.admin.token])
    }

    deinit {
        if terminal.finish(timeout: 0) == nil {
            kill(terminal.pid, SIGKILL)
            _ = terminal.finish(timeout: 5)
        }
        try? FileManager.default.removeItem(at: home)
    }

    /// Bytes sent to the terminal so far.
    var count: Int { terminal.count }

    func send(_ keys: String) { terminal.send(keys) }

    /// Waits until the screen satisfies `condition`, and returns the wall clock when the bytes
    /// that made it so had arrived; throws at the timeout, saying what was awaited.
    @discardableResult
    func wait(_ what: String, timeout: TimeInterval = 30, _ condition: (VirtualTerminal) -> Bool) throws -> Double {
        var seen: Double?
        let met = terminal.wait(timeout: timeout) { bytes in
            if fed < bytes.count {
                screen.feed(bytes[fed...])
                fed = bytes.count
            }
            if condition(screen) { seen = wallClock() }
            return seen != nil
        }
        guard met, let seen else {
            throw BenchError("timed out waiting for \(what); the screen shows:\n" + screen.lines.joined(separator: "\n"))
        }
        return seen
    }

    /// Waits until nothing has arrived for a moment: the frame is done.
    func settle() {
        terminal.settle(quiet: 0.2)
        _ = try? wait("the screen") { _ in true }
    }

    /// The bytes one action sends: `keys`, then whatever arrives until the screen is still.
    func bytes(after keys: String) -> Double {
        let before = count
        send(keys)
        settle()
        return Double(count - before)
    }

    /// CPU seconds each of the program's threads has used so far, from the scheduler's
    /// own nanosecond counts (/proc/PID/task/*/schedstat): a tick-based count is too coarse for
    /// a budget of milliseconds.
    var threadCPU: [String: Double] {
        let tasks = "/proc/\(terminal.pid)/task"
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []
        var seconds: [String: Double] = [:]
        for thread in threads {
            let text = (try? String(contentsOfFile: "\(tasks)/\(thread)/schedstat", encoding: .utf8)) ?? ""
            seconds[thread] = (Double(text.split(separator: " ").first ?? "0") ?? 0) / 1e9
        }
        return seconds
    }

    /// User and system CPU of the whole process in clock ticks (/proc/PID/stat), threads that
    /// have ended included: coarse, but it misses nothing.
    var ticks: Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(terminal.pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return 0 }
        // After the name: state, then fields 4 to 52; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        return fields.count > 12 ? (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0) : 0
    }

    /// The most resident memory the program has had, in MiB (VmHWM).
    var peakMemory: Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(terminal.pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ")[1]) else { return nil }
        return kilobytes / 1024
    }

    /// Ctrl-C, as a person quits, and waits for the end.
    func quit(with keys: String = "\u{3}") {
        send(keys)
        _ = terminal.finish(timeout: 10)
    }
}

extension VirtualTerminal {
    /// The last line, where TrainingDesk's status bar is.
    var statusLine: String { line(height - 1) }

    /// TrainingDesk's list, with every visible row filled.
    var listIsFull: Bool {
        line(0).contains("training records") && (3..<(height - 1)).allSatisfy { !line($0).allSatisfy { $0 == " " } }
    }
}
