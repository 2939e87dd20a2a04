import Foundation

/// Bad usage: exit status 2, with the command's help.
struct UsageError: Error {
    let message: String
}

/// Positionals and `--name value` / `--name=value` options, checked against what a command accepts.
struct Arguments {
    var positionals: [String] = []
    var values: [String: String] = [:]
    var flags: Set<String> = []

    init(_ words: [String], values allowedValues: Set<String>, flags allowedFlags: Set<String>) throws(UsageError) {
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            if word == "--" {
                positionals += words[index...]
                break
            }
            guard word.hasPrefix("--") else {
                positionals.append(word)
                continue
            }
            var name = String(word.dropFirst(2))
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if allowedFlags.contains(name), inline == nil {
                flags.insert(name)
            } else if allowedValues.contains(name) {
                if let inline {
                    values[name] = inline
                } else if index < words.count {
                    values[name] = words[index]
                    index += 1
                } else {
                    throw UsageError(message: "--\(name) needs a value")
                }
            } else {
                throw UsageError(message: "unknown option --\(name)")
            }
        }
    }

    func one(_ what: String) throws(UsageError) -> String {
        guard positionals.count == 1 else {
            throw UsageError(message: positionals.isEmpty ? "missing \(what)" : "expected one \(what), got \(positionals.count)")
        }
        return positionals[0]
    }

    func none() throws(UsageError) {
        if let extra = positionals.first { throw UsageError(message: "unexpected argument '\(extra)'") }
    }

    func format(_ allowed: [String]) throws(UsageError) -> String {
        let format = values["format"] ?? allowed[0]
        guard allowed.contains(format) else {
            throw UsageError(message: "--format must be one of \(allowed.joined(separator: ", "))")
        }
        return format
    }
}
