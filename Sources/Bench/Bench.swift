import Foundation

public enum Bench {
    public struct Options: Sendable {
        /// A tiny run for the test suite: small sizes, one or two runs, no programs on terminals.
        public var smoke = false
        public init() {}
    }

    public static func run(_ options: Options) throws -> [Row] {
        let python = which("python3")
        var rows: [Row] = []
        rows += try DecodeCase.run(sizes: options.smoke ? [100] : [100, 1_000, 10_000], runs: options.smoke ? 2 : 9, python: python)
        rows += try ListCase.run(records: options.smoke ? 100 : 10_000, small: 100, rounds: options.smoke ? 1 : 5)
        return rows
    }
}
