import Foundation
import Testing

/// The built binary running in a real terminal emulator: tmux on a private socket, so tests
/// never see each other's sessions or a developer's own.
final class Tmux: @unchecked Sendable {
    let socket = FileManager.default.temporaryDirectory.appendingPathComponent("td-tmux-\(UUID().uuidString.prefix(8))").path
    let target = "td"

    /// Starts `arguments` with exactly `environment` (plus a pinned TERM) at the given size;
    /// `before` and `then` are shell commands run before the program starts and after it exits,
    /// on the same terminal.
    init(_ arguments: [String], environment: [String: String], width: Int = 80, height: Int = 24, before: String = "",
         then: String = "") throws {
        var variables = environment
        variables["TERM"] = variables["TERM"] ?? "xterm-256color"
        let assignments = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\(Tmux.quote($0.value))" }.joined(separator: " ")
        let command = "\(before.isEmpty ? "" : before + "; ")env -i \(assignments) \(([binary.path] + arguments).map(Tmux.quote).joined(separator: " ")); echo \"[exit $?]\"; \(then.isEmpty ? "" : then + ";") sleep 120"
        try tmux(["new-session", "-d", "-s", target, "-x", String(width), "-y", String(height), command])
        server = pid_t(try tmux(["display-message", "-p", "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Like `init`, but the program starts only once every byte it sends to the terminal is
    /// being appended to `file` (tmux `pipe-pane`), so the recording misses none of them.
    static func recording(_ arguments: [String], environment: [String: String], width: Int = 80, height: Int = 24,
                          to file: URL) throws -> Tmux {
        let ready = file.path + ".ready"
        let tmux = try Tmux(arguments, environment: environment, width: width, height: height,
                            before: "until [ -e \(quote(ready)) ]; do sleep 0.02; done")
        try tmux.tmux(["pipe-pane", "-o", "-t", tmux.target, "cat >> \(quote(file.path))"])
        FileManager.default.createFile(atPath: ready, contents: nil)
        return tmux
    }

    /// The tmux server, killed outright at the end: it would otherwise outlive the test run.
    private var server: pid_t = 0

    /// The terminal goes away, as when an SSH connection drops: the program gets SIGHUP.
    func hangUp() {
        if server > 0 { kill(server, SIGKILL) }
        server = 0
    }

    deinit {
        if server > 0 { kill(server, SIGKILL) }
        try? FileManager.default.removeItem(atPath: socket)
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs one tmux command and returns what it printed. Spawned directly with a close-on-exec
    /// pipe: the tmux server that `new-session` starts would otherwise inherit the pipe's
    /// write end, and reading to the end would wait for the server's whole life.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw CancellationError() }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let words = ["tmux", "-S", socket] + arguments
        var argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, nil, &argv, environ)
        close(ends[1])
        defer { close(ends[0]) }
        guard spawned == 0 else { throw CancellationError() }
        // Only the client writes here, and it exits when done; the server's stdout is /dev/null.
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(ends[0], &chunk, chunk.count)
            if count <= 0 { break }
            output += chunk[..<count]
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return String(decoding: output, as: UTF8.self)
    }

    /// Key names as tmux knows them: "Enter", "Tab", "C-s", "Escape", "Down".
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", target] + keys) }

    /// Text typed literally.
    func type(_ text: String) throws { try tmux(["send-keys", "-t", target, "-l", text]) }

    /// Raw bytes, each call its own write to the terminal: a key split across reads.
    func send(bytes: [UInt8]) throws {
        try tmux(["send-keys", "-t", target, "-H"] + bytes.map { String(format: "%02x", $0) })
    }

    /// Text pasted as a terminal pastes it: in bracketed-paste markers when the program asked.
    func paste(_ text: String) throws {
        try tmux(["set-buffer", "-b", "test", text])
        try tmux(["paste-buffer", "-p", "-d", "-b", "test", "-t", target])
    }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", target]) }

    /// The screen with its attributes and colours as SGR escape sequences.
    func styledScreen() throws -> String { try tmux(["capture-pane", "-p", "-e", "-t", target]) }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", target, "-x", String(width), "-y", String(height)])
    }

    /// Waits until the screen shows `text` (or the deadline passes) and returns the screen.
    @discardableResult
    func wait(for text: String, timeout: TimeInterval = 15, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try wait(timeout: timeout, sourceLocation: sourceLocation, "\"\(text)\"") { $0.contains(text) }
    }

    /// Waits until the screen shows every one of `texts`: a frame is read while it is drawn, so
    /// one text on screen does not mean the rest of the frame is there yet.
    @discardableResult
    func wait(forAll texts: [String], timeout: TimeInterval = 15, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try wait(timeout: timeout, sourceLocation: sourceLocation, texts.map { "\"\($0)\"" }.joined(separator: " and ")) { screen in
            texts.allSatisfy(screen.contains)
        }
    }

    @discardableResult
    func wait(timeout: TimeInterval = 15, sourceLocation: SourceLocation = #_sourceLocation, _ what: String,
              until condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the screen never showed \(what); it shows:\n\(last)", sourceLocation: sourceLocation)
        throw CancellationError()
    }
}
