import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a line without echo from the terminal, or a plain line when standard input is not
/// one (a script piping the password in). Never from an argument.
func readSecret(prompt: String) -> String? {
    guard isatty(STDIN_FILENO) == 1 else { return readLine(strippingNewline: true) }
    let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
    guard tty >= 0 else { return readLine(strippingNewline: true) }
    defer { close(tty) }
    guard tcgetattr(tty, &savedTerminal) == 0 else { return readLine(strippingNewline: true) }
    promptTerminal = tty
    var quiet = savedTerminal
    quiet.c_lflag &= ~tcflag_t(ECHO)
    quiet.c_lflag |= tcflag_t(ECHONL)
    _ = prompt.withCString { write(tty, $0, strlen($0)) }
    let stops = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    for number in stops { signal(number, restoreAndDie) }
    tcsetattr(tty, TCSAFLUSH, &quiet)
    defer {
        tcsetattr(tty, TCSAFLUSH, &savedTerminal)
        for number in stops { signal(number, SIG_DFL) }
    }
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while read(tty, &byte, 1) == 1 {
        if byte == 0x0A || byte == 0x0D { return String(decoding: bytes, as: UTF8.self) }
        bytes.append(byte)
    }
    return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
}

func readLine(prompt: String) -> String? {
    FileHandle.standardError.write(Data(prompt.utf8))
    return readLine(strippingNewline: true)
}

// What a signal during the prompt needs, kept where a signal handler can reach it.
nonisolated(unsafe) private var savedTerminal = termios()
nonisolated(unsafe) private var promptTerminal: Int32 = -1

/// Ctrl-C at the password prompt must not leave the terminal without echo. Only
/// async-signal-safe calls: restore the settings, then die of the same signal.
private func restoreAndDie(_ number: Int32) {
    tcsetattr(promptTerminal, TCSAFLUSH, &savedTerminal)
    signal(number, SIG_DFL)
    raise(number)
}
