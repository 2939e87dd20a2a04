import Foundation
import Bench

/// `swift run -c release trainingdesk-bench [--smoke] [--case N]... [--json PATH] [--binary PATH]`
var options = Bench.Options()
var json = ".build/bench.json"
var words = Array(CommandLine.arguments.dropFirst())
while !words.isEmpty {
    let word = words.removeFirst()
    switch word {
    case "--smoke": options.smoke = true
    case "--case" where !words.isEmpty:
        guard let number = Int(words.removeFirst()), (1...6).contains(number) else {
            FileHandle.standardError.write(Data("--case takes a number from 1 to 6\n".utf8))
            exit(2)
        }
        options.cases.insert(number)
    case "--json" where !words.isEmpty: json = words.removeFirst()
    case "--binary" where !words.isEmpty: options.binary = words.removeFirst()
    default:
        FileHandle.standardError.write(Data("usage: trainingdesk-bench [--smoke] [--case N]... [--json PATH] [--binary PATH]\n".utf8))
        exit(2)
    }
}
do {
    let started = Date()
    let rows = try Bench.run(options)
    let machine = Bench.machine
    let about = machine.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
    FileHandle.standardOutput.write(Data((Report.table(rows) + "\n" + about + "\n").utf8))
    try Report.json(rows, machine: machine).write(to: URL(fileURLWithPath: json))
    FileHandle.standardError.write(Data("bench: done in \(Int(Date().timeIntervalSince(started))) s; JSON in \(json)\n".utf8))
} catch {
    FileHandle.standardError.write(Data("bench: \(error)\n".utf8))
    exit(1)
}
