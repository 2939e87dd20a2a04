import Foundation
import Testing

/// The benchmark is not part of the tests (it measures, and takes minutes); this only checks
/// that it builds and that its smallest run gives a well-formed report. No timing is judged.
@Suite struct BenchSmokeTests {
    @Test func theSmokeRunReportsEveryRowItMeasured() throws {
        let bench = binary.deletingLastPathComponent().appendingPathComponent("trainingdesk-bench")
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("td-bench-smoke-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let process = Process()
        process.executableURL = bench
        process.arguments = ["--smoke", "--json", json.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let table = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(table.contains("1 decode 100 records"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let rows = try #require(report["rows"] as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["case"] as? String }) == ["1 decode", "2 list key"])
        for row in rows {
            #expect(row["median"] is Double, "\(row["name"] ?? "?") has a figure")
            // Python may be missing; then the row says so instead.
            #expect((row["comparator"] as? [String: Any])?["name"] is String || row["note"] is String,
                    "\(row["name"] ?? "?") names its comparator or why it has none")
        }
        #expect((report["machine"] as? [String: String])?["cores"] != nil)
    }
}
