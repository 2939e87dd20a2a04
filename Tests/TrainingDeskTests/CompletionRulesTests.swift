import Foundation
import Testing
import CtrlHubKit
@testable import TrainingDesk

@Suite struct CompletionRulesTests {
    let london = TimeZone(identifier: "Europe/London")!
    // 2026-06-15T12:00:00Z: a summer day in London.
    let now = Date(timeIntervalSince1970: 1_781_524_800)
    var rules: CompletionRules { CompletionRules(zone: london, now: now) }
    let original = CompletionAttributes(completedAt: "2024-03-01T09:15:00.123Z", expiresAt: "2027-03-01T09:15:00.123Z",
                                        certificateNumber: "ABC-1", trainingProviderName: "CITB")

    func problems(_ edit: CompletionEdit) -> [FieldProblem] {
        if case .invalid(let problems) = rules.apply(edit, to: original) { return problems }
        return []
    }

    func applied(_ edit: CompletionEdit) throws -> CompletionAttributes {
        guard case .valid(let attributes) = rules.apply(edit, to: original) else {
            Issue.record("expected \(edit) to pass")
            throw CancellationError()
        }
        return attributes
    }

    @Test(arguments: [("2024-02-29", "2024-02-29"), ("29/02/2024", "2024-02-29"), ("1/3/2024", "2024-03-01"),
                      (" 2024-3-1 ", "2024-03-01"), ("1900-01-01", "1900-01-01"), ("31/12/2100", "2100-12-31")])
    func acceptsBothDateForms(_ text: String, _ expected: String) throws {
        #expect(try CompletionRules.parseDate(text).get().description == expected)
    }

    @Test(arguments: ["2023-02-29", "31/04/2024", "1899-12-31", "2101-01-01", "2024/03/01", "03-01-2024", "tomorrow", "",
                      "2024-03-01T00:00:00Z", "٢٠٢٤-٠٣-٠١", "2024-13-01", "00/01/2024"])
    func rejectsWhatIsNotARealDateInRange(_ text: String) {
        #expect(throws: InputProblem.self) { try CompletionRules.parseDate(text).get() }
    }

    @Test func unchangedFieldsKeepTheServerStringsExactly() throws {
        let result = try applied(CompletionEdit(certificate: "XYZ-9"))
        #expect(result.completedAt == "2024-03-01T09:15:00.123Z")
        #expect(result.expiresAt == "2027-03-01T09:15:00.123Z")
        #expect(result.certificateNumber == "XYZ-9")
        #expect(result.trainingProviderName == "CITB")
    }

    @Test func retypingTheSameDayChangesNothing() throws {
        #expect(try applied(CompletionEdit(completed: "01/03/2024", expires: "2027-03-01")) == original)
    }

    @Test func aTypedDayIsSentAsTheStartOfThatDayInTheZone() throws {
        let summer = try applied(CompletionEdit(completed: "2025-07-01"))
        #expect(summer.completedAt == "2025-06-30T23:00:00Z")
        let winter = try applied(CompletionEdit(completed: "2025-01-10"))
        #expect(winter.completedAt == "2025-01-10T00:00:00Z")
        #expect(rules.day(of: summer.completedAt)?.description == "2025-07-01")
    }

    @Test(arguments: ["Europe/London", "America/New_York", "Pacific/Auckland", "UTC"])
    func aTypedDayReadsBackAsTheSameDayInItsZone(_ name: String) throws {
        let rules = CompletionRules(zone: try #require(TimeZone(identifier: name)), now: now)
        for typed in ["2025-01-10", "2025-07-01", "2025-03-30", "2025-10-26", "2025-04-06", "2025-09-28"] {
            guard case .valid(let sent) = rules.apply(CompletionEdit(completed: typed, expires: ""), to: original) else {
                Issue.record("\(typed) refused in \(name)")
                continue
            }
            #expect(rules.day(of: sent.completedAt)?.description == typed, "\(typed) in \(name) sent as \(sent.completedAt)")
        }
    }

    @Test func completedIsRequiredAndNotInTheFuture() {
        #expect(problems(CompletionEdit(completed: "  ")) == [FieldProblem(field: .completed, message: "a completion date is required")])
        #expect(problems(CompletionEdit(completed: "2026-06-16")).map(\.field) == [.completed])
        #expect(problems(CompletionEdit(completed: "2026-06-15")).isEmpty, "today is allowed")
    }

    @Test func expiryMustBeAfterCompletion() {
        let both = problems(CompletionEdit(completed: "2024-05-01", expires: "2024-05-01"))
        #expect(both.map(\.field) == [.expires])
        #expect(both.first?.message.contains("after the completion date (2024-05-01)") == true)
        // Only the completed date changed: the message belongs beside it.
        var expiring = original
        expiring.expiresAt = "2026-04-01T00:00:00Z"
        guard case .invalid(let late) = rules.apply(CompletionEdit(completed: "2026-05-01"), to: expiring) else {
            Issue.record("a completion after the expiry must be refused")
            return
        }
        #expect(late.map(\.field) == [.completed])
        #expect(late.first?.message.contains("before the expiry date (2026-04-01)") == true)
        #expect(problems(CompletionEdit(expires: "2020-01-01")).map(\.field) == [.expires])
    }

    @Test func emptyClearsExpiryAndCertificate() throws {
        let result = try applied(CompletionEdit(expires: "", certificate: " "))
        #expect(result.expiresAt == nil)
        #expect(result.certificateNumber == nil)
    }

    @Test func textIsTrimmedBoundedAndFreeOfControls() throws {
        #expect(try applied(CompletionEdit(provider: "  Acme Ltd \n")).trainingProviderName == "Acme Ltd")
        #expect(problems(CompletionEdit(provider: "")).map(\.message) == ["a training provider is required"])
        #expect(problems(CompletionEdit(certificate: String(repeating: "é", count: 255))).isEmpty)
        #expect(problems(CompletionEdit(certificate: String(repeating: "e\u{301}", count: 128))).map(\.field) == [.certificate])
        #expect(problems(CompletionEdit(provider: "Evil\u{1B}[2J")).map(\.field) == [.provider])
        #expect(problems(CompletionEdit(certificate: "A\u{202E}B")).map(\.field) == [.certificate])
        #expect(problems(CompletionEdit(provider: "Caf\u{FFFD} Ltd")).first?.message.contains("not valid UTF-8") == true)
    }

    @Test func everyProblemIsReportedAtOnce() {
        let all = problems(CompletionEdit(completed: "2023-02-29", expires: "soon", certificate: "\u{7}", provider: ""))
        #expect(all.map(\.field) == [.completed, .expires, .certificate, .provider])
    }

    @Test func theRecordFreeCheckFindsFieldProblemsOnly() {
        #expect(rules.problems(in: CompletionEdit(expires: "2020-01-01")).isEmpty, "needs the record to judge")
        #expect(rules.problems(in: CompletionEdit(completed: "2024-05-02", expires: "2024-05-01")).map(\.field) == [.expires])
        #expect(rules.problems(in: CompletionEdit(completed: "31/02/2024")).map(\.field) == [.completed])
    }
}

@Suite struct CompletionStatusTests {
    let today = CivilDate(year: 2026, month: 6, day: 15)!

    @Test func statusReadsInWords() {
        #expect(CompletionStatus(expires: nil, today: today).label == "no expiry")
        #expect(CompletionStatus(expires: today.adding(days: -1), today: today).label == "EXPIRED")
        #expect(CompletionStatus(expires: today, today: today).label == "expires today")
        #expect(CompletionStatus(expires: today.adding(days: 12), today: today).label == "expires in 12d")
        #expect(CompletionStatus(expires: today.adding(days: 30), today: today).code == "expiring")
        #expect(CompletionStatus(expires: today.adding(days: 31), today: today).label == "valid")
    }

    @Test func theZoneComesFromTheProfileThenTZThenUTC() {
        #expect(displayZone(profile: "Pacific/Auckland", environment: ["TZ": "America/New_York"]).identifier == "Pacific/Auckland")
        #expect(displayZone(profile: "Not/AZone", environment: ["TZ": ":America/New_York"]).identifier == "America/New_York")
        #expect(displayZone(profile: nil, environment: [:]).secondsFromGMT() == 0)
    }
}
