import Foundation
import CtrlHubKit

/// The four editable fields of a completion, in form order.
public enum CompletionField: String, CaseIterable, Sendable {
    case completed, expires, certificate, provider

    public var label: String {
        switch self {
        case .completed: return "Completed"
        case .expires: return "Expires"
        case .certificate: return "Certificate number"
        case .provider: return "Training provider"
        }
    }
}

/// Why one piece of input is refused, in words for the person who typed it.
public struct InputProblem: Error, Equatable, Sendable {
    public let message: String

    init(_ message: String) { self.message = message }
}

/// The outcome of checking an edit: what to send, or every problem found.
public enum Checked: Equatable, Sendable {
    case valid(CompletionAttributes)
    case invalid([FieldProblem])
}

public struct FieldProblem: Equatable, Sendable, CustomStringConvertible {
    public let field: CompletionField
    public let message: String

    public var description: String { "\(field.label): \(message)" }
}

/// What a person asked to change. `nil` leaves a field exactly as the server sent it; an empty
/// text clears Expires or Certificate number.
public struct CompletionEdit: Equatable, Sendable {
    public var completed: String?
    public var expires: String?
    public var certificate: String?
    public var provider: String?

    public init(completed: String? = nil, expires: String? = nil, certificate: String? = nil, provider: String? = nil) {
        self.completed = completed
        self.expires = expires
        self.certificate = certificate
        self.provider = provider
    }

    public subscript(field: CompletionField) -> String? {
        get {
            switch field {
            case .completed: return completed
            case .expires: return expires
            case .certificate: return certificate
            case .provider: return provider
            }
        }
        set {
            switch field {
            case .completed: completed = newValue
            case .expires: expires = newValue
            case .certificate: certificate = newValue
            case .provider: provider = newValue
            }
        }
    }
}

extension CompletionAttributes {
    /// One attribute by the form field that shows it; nil is "none" (a completed date is never
    /// nil, so setting it to nil leaves it as it was).
    public subscript(field: CompletionField) -> String? {
        get {
            switch field {
            case .completed: return completedAt
            case .expires: return expiresAt
            case .certificate: return certificateNumber
            case .provider: return trainingProviderName
            }
        }
        set {
            switch field {
            case .completed: completedAt = newValue ?? completedAt
            case .expires: expiresAt = newValue
            case .certificate: certificateNumber = newValue
            case .provider: trainingProviderName = newValue
            }
        }
    }
}

/// The rules an edit must pass before anything is sent. The CLI and the edit form both use
/// this, so they accept and refuse exactly the same input.
public struct CompletionRules: Sendable {
    public static let maxTextLength = 255
    public static let years = 1900...2100

    /// The zone dates are read and written in.
    public let zone: TimeZone
    public let today: CivilDate

    public init(zone: TimeZone, now: Date = Date()) {
        self.zone = zone
        self.today = CivilDate(now, in: zone)
    }

    /// `YYYY-MM-DD` or, day first as in the UK, `DD/MM/YYYY`.
    public static func parseDate(_ text: String) -> Result<CivilDate, InputProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts: [Substring]
        let order: (year: Int, month: Int, day: Int)
        if trimmed.contains("/") {
            parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
            order = (2, 1, 0)
        } else {
            parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
            order = (0, 1, 2)
        }
        let shapeOK = parts.count == 3 && parts[order.year].count == 4 && (1...2).contains(parts[order.month].count)
            && (1...2).contains(parts[order.day].count) && parts.allSatisfy { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        guard shapeOK, let year = Int(parts[order.year]), let month = Int(parts[order.month]), let day = Int(parts[order.day]) else {
            return .failure(InputProblem("'\(trimmed)' is not a date; use YYYY-MM-DD or DD/MM/YYYY"))
        }
        guard years.contains(year) else { return .failure(InputProblem("the year must be between \(years.lowerBound) and \(years.upperBound)")) }
        guard let date = CivilDate(year: year, month: month, day: day) else {
            return .failure(InputProblem("\(trimmed) is not a real calendar date"))
        }
        return .success(date)
    }

    /// The day a server timestamp falls on in this zone.
    public func day(of timestamp: String?) -> CivilDate? {
        timestamp.flatMap(RFC3339.parse).map { CivilDate($0, in: zone) }
    }

    /// A typed day is sent as the first instant of that day in this zone, so that it reads
    /// back as the same day.
    public func timestamp(for day: CivilDate) -> String {
        RFC3339.format(day.start(in: zone))
    }

    /// The attributes to send, or every problem found. Fields not edited keep the server's
    /// exact strings.
    public func apply(_ edit: CompletionEdit, to original: CompletionAttributes) -> Checked {
        var problems: [FieldProblem] = []
        var result = original

        var completedDay = day(of: original.completedAt)
        if let text = edit.completed {
            completedDay = nil
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(FieldProblem(field: .completed, message: "a completion date is required"))
            } else {
                switch Self.parseDate(text) {
                case .failure(let reason):
                    problems.append(FieldProblem(field: .completed, message: reason.message))
                case .success(let day) where day > today:
                    problems.append(FieldProblem(field: .completed, message: "\(day) is in the future; it must be today (\(today)) or earlier"))
                case .success(let day):
                    completedDay = day
                    if day != self.day(of: original.completedAt) { result.completedAt = timestamp(for: day) }
                }
            }
        }

        var expiresDay = day(of: original.expiresAt)
        if let text = edit.expires {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                result.expiresAt = nil
                expiresDay = nil
            } else {
                switch Self.parseDate(trimmed) {
                case .failure(let reason):
                    problems.append(FieldProblem(field: .expires, message: reason.message))
                    expiresDay = nil
                case .success(let day):
                    expiresDay = day
                    if day != self.day(of: original.expiresAt) { result.expiresAt = timestamp(for: day) }
                }
            }
        }
        if let completedDay, let expiresDay, expiresDay <= completedDay {
            // Blame the field the person changed, so the message appears where they typed.
            let field: CompletionField = edit.expires == nil ? .completed : .expires
            let message = field == .expires
                ? "the expiry date must be after the completion date (\(completedDay))"
                : "the completion date must be before the expiry date (\(expiresDay))"
            problems.append(FieldProblem(field: field, message: message))
        }

        if let text = edit.certificate {
            switch Self.cleanText(text) {
            case .failure(let reason): problems.append(FieldProblem(field: .certificate, message: reason.message))
            case .success(let value): result.certificateNumber = value.isEmpty ? nil : value
            }
        }
        if let text = edit.provider {
            switch Self.cleanText(text) {
            case .failure(let reason): problems.append(FieldProblem(field: .provider, message: reason.message))
            case .success(let value) where value.isEmpty:
                problems.append(FieldProblem(field: .provider, message: "a training provider is required"))
            case .success(let value): result.trainingProviderName = value
            }
        }
        return problems.isEmpty ? .valid(result) : .invalid(problems)
    }

    /// The problems that show without the record: each field on its own, and the order of the
    /// two dates when both are given. Lets a caller refuse bad input before any request.
    public func problems(in edit: CompletionEdit) -> [FieldProblem] {
        let unknown = CompletionAttributes(completedAt: "", expiresAt: nil, certificateNumber: nil, trainingProviderName: nil)
        if case .invalid(let problems) = apply(edit, to: unknown) { return problems }
        return []
    }

    /// Trimmed, at most 255 characters (counted as Unicode scalars, the strictest count a
    /// server might use), and no control characters.
    static func cleanText(_ text: String) -> Result<String, InputProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // What a decoder leaves for bytes that were not UTF-8, and the marker shown for what was
        // cleaned out of server text: saving it would lose the text.
        if trimmed.unicodeScalars.contains("\u{FFFD}") {
            return .failure(InputProblem("remove the \u{FFFD} marks: each stands for text that was not valid UTF-8 or could not be shown"))
        }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }) {
            return .failure(InputProblem("control characters are not allowed"))
        }
        let count = trimmed.unicodeScalars.count
        if count > maxTextLength {
            return .failure(InputProblem("at most \(maxTextLength) characters (this has \(count))"))
        }
        return .success(trimmed)
    }
}
