import Foundation

/// The last resort when the program dies of a fault (a Swift runtime trap, a bad pointer),
/// where no `defer` runs: put the terminal's settings back as they were before start and send
/// the bytes that undo full-screen mode, then let the fault go on as it would have.
/// The handler may only make async-signal-safe calls, so all it needs is prepared beforehand.
enum Rescue {
    private struct Kit {
        var saved = termios()
        var reset = [UInt8](repeating: 0, count: 256)
        var resetCount = 0
        var previous: [sigaction] = Array(repeating: .init(), count: 32)
        var armed = false
        /// Where standard error goes while the screen is ours, and the terminal it came from.
        var errors: Int32 = -1
        var terminal: Int32 = -1
        var copy = [UInt8](repeating: 0, count: 4096)
    }

    private static let signals = [SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV]
    /// Allocated once and never freed: a handler must not touch memory Swift may move or count.
    nonisolated(unsafe) private static let kit: UnsafeMutablePointer<Kit> = {
        let kit = UnsafeMutablePointer<Kit>.allocate(capacity: 1)
        kit.initialize(to: Kit())
        return kit
    }()

    /// The terminal's settings before ncurses changes them.
    static func save() {
        tcgetattr(STDIN_FILENO, &kit.pointee.saved)
    }

    /// From now on standard error goes to a hidden file, so that what the program or a library
    /// writes there does not land on the screen; `release` shows it once the screen is given
    /// back, and so does a fault: the runtime's "Fatal error" line comes before its signal.
    static func holdErrors() {
        var template = Array("/tmp/trainingdesk-stderr-XXXXXX".utf8CString)
        let file = mkstemp(&template)
        guard file >= 0 else { return }
        unlink(template)
        kit.pointee.terminal = dup(STDERR_FILENO)
        kit.pointee.errors = file
        dup2(file, STDERR_FILENO)
    }

    /// Standard error back on the terminal, after what was held.
    static func releaseErrors() {
        showErrors()
        kit.pointee.errors = -1
        kit.pointee.terminal = -1
    }

    /// Async-signal-safe: only read, write, lseek, dup2 and close on prepared descriptors.
    private static func showErrors() {
        let kit = Rescue.kit
        let errors = kit.pointee.errors, terminal = kit.pointee.terminal
        guard errors >= 0, terminal >= 0 else { return }
        lseek(errors, 0, SEEK_SET)
        kit.pointee.copy.withUnsafeMutableBufferPointer { buffer in
            while true {
                let count = read(errors, buffer.baseAddress, buffer.count)
                if count <= 0 { break }
                _ = write(terminal, buffer.baseAddress, count)
            }
        }
        dup2(terminal, STDERR_FILENO)
        close(terminal)
        close(errors)
    }

    static func arm(reset: [UInt8]) {
        let count = min(reset.count, kit.pointee.reset.count)
        kit.pointee.reset.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<count { buffer[index] = reset[index] }
        }
        kit.pointee.resetCount = count
        for number in signals {
            var action: sigaction = .init()
            action.__sigaction_handler.sa_handler = { number in Rescue.rescue(number) }
            sigemptyset(&action.sa_mask)
            kit.pointee.previous.withUnsafeMutableBufferPointer { previous in
                _ = sigaction(number, &action, &previous[Int(number)])
            }
        }
        kit.pointee.armed = true
    }

    static func disarm() {
        guard kit.pointee.armed else { return }
        kit.pointee.armed = false
        kit.pointee.previous.withUnsafeMutableBufferPointer { previous in
            for number in signals { _ = sigaction(number, &previous[Int(number)], nil) }
        }
    }

    /// Restores, then puts back whatever handled the signal before (the Swift runtime's crash
    /// report, or the default) and raises it again, so the program still dies of it.
    private static func rescue(_ number: Int32) {
        let kit = Rescue.kit
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &kit.pointee.saved)
        kit.pointee.reset.withUnsafeBufferPointer { buffer in
            _ = write(STDOUT_FILENO, buffer.baseAddress, kit.pointee.resetCount)
        }
        showErrors()
        kit.pointee.previous.withUnsafeMutableBufferPointer { previous in
            _ = sigaction(number, &previous[Int(number)], nil)
        }
        raise(number)
    }
}
