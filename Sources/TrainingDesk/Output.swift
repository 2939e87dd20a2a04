import Foundation
import CtrlHubKit
import Terminal

/// Text output of the CLI. Tables and records are drawn as the UI draws text
/// (`TerminalText.shown`: cleaned, and laid out in the cells a terminal gives it); CSV fields
/// are cleaned but otherwise kept as sent. Either way data from the server cannot drive the
/// terminal it is printed on; JSON escapes such characters instead.
public enum Output {
    /// A column never takes more than this in a table, so one long provider name does not push
    /// the rest off the screen; scripts use CSV or JSON for the full text.
    public static let maxColumnWidth = 48

    public static func table(_ headers: [String], _ rows: [[String]]) -> String {
        let shown = rows.map { $0.map(TerminalText.shown) }
        var widths = headers.map(TerminalText.width)
        for row in shown {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = min(maxColumnWidth, max(widths[column], TerminalText.width(cell)))
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (column, cell) in cells.enumerated() {
                let last = column == cells.count - 1
                parts.append(last ? TerminalText.truncate(cell, to: widths[column]) : TerminalText.pad(cell, to: widths[column]))
            }
            return parts.joined(separator: "  ")
        }
        return ([line(headers)] + shown.map(line)).joined(separator: "\n") + "\n"
    }

    /// RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break.
    /// A field a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`.
    public static func csv(_ headers: [String], _ rows: [[String]]) -> String {
        func field(_ text: String) -> String {
            var clean = TerminalText.clean(text)
            if let first = clean.first, "=+-@".contains(first) { clean = "'" + clean }
            guard clean.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || clean.hasPrefix(" ") || clean.hasSuffix(" ") else {
                return clean
            }
            return "\"" + clean.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return ([headers] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// Key: value lines for one record.
    public static func record(_ pairs: [(String, String)]) -> String {
        let width = pairs.map { TerminalText.width($0.0) }.max() ?? 0
        return pairs.map { TerminalText.pad($0.0 + ":", to: width + 1) + " " + TerminalText.shown($0.1) }.joined(separator: "\n") + "\n"
    }
}

/// One completion as the CLI shows it.
public struct CompletionView: Sendable {
    public let completion: Completion
    public let rules: CompletionRules

    public init(_ completion: Completion, rules: CompletionRules) {
        self.completion = completion
        self.rules = rules
    }

    public var status: CompletionStatus { CompletionStatus(completion, rules: rules) }

    public func day(_ timestamp: String?) -> String {
        guard let timestamp else { return "" }
        return rules.day(of: timestamp)?.description ?? timestamp
    }

    public static let headers = ["Training standard", "Completed", "Expires", "Status", "Certificate", "Provider"]
    public static let csvHeaders = ["id", "training_standard_id", "training_standard", "completed_at", "expires_at", "status",
                                    "certificate_number", "training_provider_name"]

    public var cells: [String] {
        let attributes = completion.attributes
        return [completion.standardTitle, day(attributes.completedAt), day(attributes.expiresAt), status.label,
                attributes.certificateNumber ?? "", attributes.trainingProviderName ?? ""]
    }

    public var csvCells: [String] {
        let attributes = completion.attributes
        return [completion.id, completion.standardRef?.id ?? "", completion.standardTitle, attributes.completedAt,
                attributes.expiresAt ?? "", status.code, attributes.certificateNumber ?? "", attributes.trainingProviderName ?? ""]
    }

    public var json: JSON {
        let attributes = completion.attributes
        return .object(JSONObject([
            "id": .string(completion.id),
            "training_standard": .object(JSONObject([
                "id": JSON(completion.standardRef?.id),
                "title": JSON(completion.standard?.title),
            ])),
            "completed_at": .string(attributes.completedAt),
            "expires_at": JSON(attributes.expiresAt),
            "certificate_number": JSON(attributes.certificateNumber),
            "training_provider_name": JSON(attributes.trainingProviderName),
            "status": .string(status.code),
        ]))
    }

    public var recordPairs: [(String, String)] {
        let attributes = completion.attributes
        var pairs: [(String, String)] = [("Id", completion.id)]
        if let user = completion.user { pairs.append(("Person", "\(user.displayName) <\(user.email)>")) }
        pairs += [
            ("Training standard", completion.standardTitle),
            ("Completed", day(attributes.completedAt)),
            ("Expires", attributes.expiresAt == nil ? "never" : day(attributes.expiresAt)),
            ("Status", status.label),
            ("Certificate number", attributes.certificateNumber ?? "none"),
            ("Training provider", attributes.trainingProviderName ?? ""),
        ]
        return pairs
    }
}
