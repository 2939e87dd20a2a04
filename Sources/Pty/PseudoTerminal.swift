import Foundation
import CPty

/// A program running on a pseudo-terminal of our own: every byte it sends to its terminal is
/// kept, keys are written as a person would type them, and the window can be resized or hung
/// up. The end-to-end tests and the benchmark use it where a terminal emulator would hide the
/// bytes (tmux redraws its own way).
public final class PseudoTerminal: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let pid: pid_t
    /// The terminal's device, for tools such as `stty -F`.
    public let path: String
    private let master: Int32
    /// Held open so the terminal's settings can still be read after the program has gone.
    private let follower: Int32
    private let received = Received()
    private var attached = true
    private var ended: (status: Int32, cpu: TimeInterval)?

    /// Starts `arguments` (the program's path first) with exactly `environment`, on a terminal
    /// of the given size that is the program's controlling terminal; `configure` may first
    /// change its settings, as a person's own `stty` would.
    public init(_ arguments: [String], environment: [String: String], width: Int = 80, height: Int = 24,
                configure: (inout termios) -> Void = { _ in }) throws {
        var name = [CChar](repeating: 0, count: 128)
        let master = cpty_open(&name, UInt(name.count))
        guard master >= 0 else {
            throw Failure(description: "no pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let path = String(cString: name)
        let follower = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard follower >= 0 else {
            close(master)
            throw Failure(description: "cannot open \(path)")
        }
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        var settings = termios()
        tcgetattr(follower, &settings)
        configure(&settings)
        tcsetattr(follower, TCSANOW, &settings)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A session of its own, so opening the terminal makes it the controlling one, with the
        // signal state a login shell would give (the test runner may block or ignore some).
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, cpty_spawn_setsid() | Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, path, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        var argv = arguments.map { strdup($0) } + [nil]
        var envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, &envp)
        guard spawned == 0 else {
            close(master)
            close(follower)
            throw Failure(description: "cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        self.path = path
        self.master = master
        self.follower = follower
        // The thread holds only what it fills, so dropping the terminal still ends the program.
        let received = self.received
        Thread { PseudoTerminal.readAll(master, into: received) }.start()
    }

    deinit {
        if ended == nil {
            kill(pid, SIGKILL)
            _ = finish(timeout: 5)
        }
        closeTerminal()
    }

    /// What the reader thread fills and the tests read.
    private final class Received: @unchecked Sendable {
        let lock = NSCondition()
        var bytes: [UInt8] = []
        var stopping = false
        var reading = true
    }

    private static func readAll(_ master: Int32, into received: Received) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            received.lock.lock()
            let going = !received.stopping
            received.lock.unlock()
            if !going { break }
            var ready = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 20) > 0 else { continue }
            let count = read(master, &chunk, chunk.count)
            if count <= 0 {
                if count < 0, errno == EINTR || errno == EAGAIN { continue }
                break
            }
            received.lock.lock()
            received.bytes += chunk[..<count]
            received.lock.broadcast()
            received.lock.unlock()
        }
        received.lock.lock()
        received.reading = false
        received.lock.broadcast()
        received.lock.unlock()
    }

    /// Stops the reader, then closes both ends: the reader must not be left polling a closed
    /// descriptor that the process might reuse.
    private func closeTerminal() {
        received.lock.lock()
        received.stopping = true
        while received.reading { received.lock.wait() }
        let wasAttached = attached
        attached = false
        received.lock.unlock()
        if wasAttached {
            close(master)
            close(follower)
        }
    }

    /// Everything the program has sent to its terminal so far.
    public var output: [UInt8] {
        received.lock.lock()
        defer { received.lock.unlock() }
        return received.bytes
    }

    /// How many bytes the program has sent so far: a mark to measure what one action sends.
    public var count: Int { output.count }

    /// Waits until the output satisfies `condition` or the deadline passes; says which.
    @discardableResult
    public func wait(timeout: TimeInterval = 15, until condition: ([UInt8]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        received.lock.lock()
        defer { received.lock.unlock() }
        while !condition(received.bytes) {
            if !received.reading || !received.lock.wait(until: deadline) { return condition(received.bytes) }
        }
        return true
    }

    /// Waits until `text` appears in the output after byte `offset`.
    @discardableResult
    public func wait(for text: String, after offset: Int = 0, timeout: TimeInterval = 15) -> Bool {
        let needle = Array(text.utf8)
        return wait(timeout: timeout) { bytes in
            bytes.count >= offset && PseudoTerminal.find(needle, in: bytes[offset...]) != nil
        }
    }

    /// Waits until no byte has arrived for `quiet` seconds (or `timeout` passes): the frame is done.
    public func settle(quiet: TimeInterval = 0.3, timeout: TimeInterval = 10) {
        let deadline = Date().addingTimeInterval(timeout)
        var seen = count
        while Date() < deadline {
            Thread.sleep(forTimeInterval: quiet)
            let now = count
            if now == seen { return }
            seen = now
        }
    }

    /// Where `needle` first occurs in `haystack`, if it does.
    public static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// Sends bytes as if typed (or pasted) at the terminal.
    public func send(_ text: String) { send(Array(text.utf8)) }

    public func send(_ data: [UInt8]) {
        var offset = 0
        while offset < data.count {
            let written = data[offset...].withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// A new window size: the kernel tells the program with SIGWINCH.
    public func resize(width: Int, height: Int) {
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    /// The terminal goes away, as when the SSH connection drops: the program gets SIGHUP and
    /// its reads and writes fail from then on.
    public func hangUp() { closeTerminal() }

    /// Waits for the program to end; its exit status (as the shell shows it: 128 + a signal)
    /// and the CPU it used. Nil if it is still running at the deadline.
    public func finish(timeout: TimeInterval = 10) -> (status: Int32, cpu: TimeInterval)? {
        if let ended { return ended }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            var usage = rusage()
            if wait4(pid, &status, WNOHANG, &usage) == pid {
                let signalled = status & 0x7F
                let code = signalled == 0 ? (status >> 8) & 0xFF : 128 + signalled
                let cpu = TimeInterval(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                    + TimeInterval(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
                ended = (code, cpu)
                return ended
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return nil
    }
}
