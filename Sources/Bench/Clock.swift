import Foundation

/// Seconds on a clock that never jumps.
func wallClock() -> Double { clock(CLOCK_MONOTONIC) }

/// CPU seconds the calling thread has used: what a key costs, whatever else the machine runs.
func threadCPU() -> Double { clock(CLOCK_THREAD_CPUTIME_ID) }

private func clock(_ id: clockid_t) -> Double {
    var time = timespec()
    clock_gettime(id, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Runs `body` `warmUp` times unmeasured, then `runs` times, each measured by `measure`
/// (seconds), and returns the figures in milliseconds.
func repeated(warmUp: Int, runs: Int, clock: () -> Double = wallClock, _ body: () throws -> Void) rethrows -> Sample {
    for _ in 0..<warmUp { try body() }
    var figures: [Double] = []
    for _ in 0..<runs {
        let start = clock()
        try body()
        figures.append((clock() - start) * 1000)
    }
    return Sample(figures)
}

/// Progress goes to stderr, so the table on stdout stays clean.
func progress(_ line: String) {
    FileHandle.standardError.write(Data(("bench: " + line + "\n").utf8))
}

/// A program on PATH, or nil.
func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// Runs a program to its end and returns its stdout; stderr is passed through.
func output(of arguments: [String], input: Data? = nil) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    let out = Pipe()
    process.standardOutput = out
    let stdin = Pipe()
    if input != nil { process.standardInput = stdin }
    try process.run()
    if let input {
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchError("\(arguments[0]) exited with status \(process.terminationStatus)")
    }
    return data
}

public struct BenchError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
