import Foundation

/// Several measurements of one thing: the median is what the table shows, min and max say how
/// steady it was.
public struct Sample: Sendable {
    public let values: [Double]

    public init(_ values: [Double]) { self.values = values.sorted() }

    public var median: Double {
        guard !values.isEmpty else { return .nan }
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }

    public var min: Double { values.first ?? .nan }
    public var max: Double { values.last ?? .nan }
}

public enum Unit: String, Sendable {
    case milliseconds = "ms"
    case bytes = "B"
    case mebibytes = "MiB"
    /// A plain number, such as a ratio of two measurements.
    case times = "x"
}

/// What a row must meet: a fixed limit in its unit, a ratio to its comparator, or the
/// comparator's figure plus a margin.
public enum Budget: Sendable {
    case atMost(Double)
    case below(Double)
    case ratioAtMost(Double)
    case comparatorPlus(Double)

    func met(_ value: Double, comparator: Double?) -> Bool? {
        switch self {
        case .atMost(let limit): return value <= limit
        case .below(let limit): return value < limit
        case .ratioAtMost(let limit): return comparator.map { value / $0 <= limit }
        case .comparatorPlus(let margin): return comparator.map { value <= $0 + margin }
        }
    }

    func text(_ unit: Unit) -> String {
        switch self {
        case .atMost(let limit): return "≤ \(Report.number(limit)) \(unit.rawValue)"
        case .below(let limit): return "< \(Report.number(limit)) \(unit.rawValue)"
        case .ratioAtMost(let limit): return "ratio ≤ \(Report.number(limit))"
        case .comparatorPlus(let margin): return "≤ cmp + \(Report.number(margin)) \(unit.rawValue)"
        }
    }
}

/// One line of the table: a measurement, what it is compared with, and its budget.
public struct Row: Sendable {
    public let section: String
    public let name: String
    public let unit: Unit
    public let sample: Sample
    public let comparatorName: String?
    public let comparator: Sample?
    public let budget: Budget?
    /// Why a comparator is missing, or anything else the reader must know about the figure.
    public let note: String?

    public init(_ section: String, _ name: String, _ unit: Unit, _ sample: Sample, comparator: (String, Sample)? = nil,
                budget: Budget? = nil, note: String? = nil) {
        self.section = section
        self.name = name
        self.unit = unit
        self.sample = sample
        comparatorName = comparator?.0
        self.comparator = comparator?.1
        self.budget = budget
        self.note = note
    }

    public var ratio: Double? {
        guard let comparator, comparator.median > 0 else { return nil }
        return sample.median / comparator.median
    }

    /// Nil when the row has no budget, or its budget needs a comparator that could not run.
    public var met: Bool? { budget?.met(sample.median, comparator: comparator?.median) }
}

/// Prints the table and writes the same as JSON.
public enum Report {
    static func number(_ value: Double) -> String {
        if value.isNaN { return "-" }
        if value == value.rounded(), abs(value) >= 10 || value == 0 { return String(Int(value)) }
        let magnitude = abs(value)
        let digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : magnitude >= 0.01 ? 3 : 4
        return String(format: "%.\(digits)f", value)
    }

    public static func table(_ rows: [Row]) -> String {
        let header = ["case", "median", "min", "max", "comparator", "cmp median", "ratio", "budget", ""]
        var lines: [[String]] = [header]
        for row in rows {
            let unit = row.unit.rawValue
            lines.append([
                "\(row.section) \(row.name)",
                "\(number(row.sample.median)) \(unit)", number(row.sample.min), number(row.sample.max),
                row.comparatorName ?? "-",
                row.comparator.map { "\(number($0.median)) \(unit)" } ?? "-",
                row.ratio.map(number) ?? "-",
                row.budget.map { $0.text(row.unit) } ?? "-",
                row.met.map { $0 ? "ok" : "MISSED" } ?? "",
            ])
        }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        let rightAligned: Set<Int> = [1, 2, 3, 5, 6]
        var text = lines.map { cells in
            cells.indices.map { column in
                let cell = cells[column]
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
        let notes = rows.compactMap { row in row.note.map { "  \(row.section) \(row.name): \($0)" } }
        if !notes.isEmpty { text += "\nNotes:\n" + notes.joined(separator: "\n") + "\n" }
        return text
    }

    public static func json(_ rows: [Row], machine: [String: String]) throws -> Data {
        // JSON has no NaN: a figure that could not be taken is null.
        func figure(_ value: Double) -> Any { value.isFinite ? value : NSNull() }
        func sample(_ sample: Sample) -> [String: Any] {
            ["median": figure(sample.median), "min": figure(sample.min), "max": figure(sample.max), "runs": sample.values.count]
        }
        let entries: [[String: Any]] = rows.map { row in
            var entry: [String: Any] = ["case": row.section, "name": row.name, "unit": row.unit.rawValue]
            entry.merge(sample(row.sample)) { first, _ in first }
            if let name = row.comparatorName, let comparator = row.comparator {
                entry["comparator"] = ["name": name].merging(sample(comparator)) { first, _ in first }
            } else if let name = row.comparatorName {
                entry["comparator"] = ["name": name]
            }
            if let ratio = row.ratio { entry["ratio"] = figure(ratio) }
            if let budget = row.budget { entry["budget"] = budget.text(row.unit) }
            if let met = row.met { entry["met"] = met }
            if let note = row.note { entry["note"] = note }
            return entry
        }
        return try JSONSerialization.data(withJSONObject: ["machine": machine, "rows": entries], options: [.prettyPrinted, .sortedKeys])
    }
}
