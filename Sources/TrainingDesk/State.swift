import Foundation
import CtrlHubKit
import Terminal

/// Who is signed in, where: what the status bar shows on the left.
public struct SessionInfo: Equatable, Sendable {
    public var me: Me
    public var host: String
    public var demo: Bool
    /// The organisation worked in: the one asked for, else the caller's first.
    public var organisation: Organisation?
    /// When the session ends, where known (a sign-in or the stored session says).
    public var expiresAt: Date?

    public init(me: Me, host: String, demo: Bool, organisation: String? = nil, expiresAt: Date? = nil) {
        self.me = me
        self.host = host
        self.demo = demo
        self.expiresAt = expiresAt
        self.organisation = organisation.map { id in me.organisations.first { $0.id == id } ?? Organisation(id: id, name: id) }
            ?? me.organisations.first
    }
}

public enum Mode: Equatable, Sendable {
    case starting, signIn, picker, list, form
}

public struct SignInState: Equatable, Sendable {
    public var email = TextField()
    public var password = TextField(masked: true)
    public var focusOnPassword = false
    public var busy = false
}

public struct PickerState: Equatable, Sendable {
    public var query = TextField()
    public var results: [User] = []
    public var selection = 0
    /// The first result shown.
    public var top = 0
    public var loading = false
    /// Bumped on every edit of the query, so only the last pause in typing searches.
    public var generation = 0
    /// The query the results belong to.
    public var answered: String?
    /// Enter was pressed before the results for the query came: open the first one then.
    public var openWhenAnswered = false

    /// Results shown for an older query than the one typed: not to be chosen.
    public var stale: Bool { answered != query.text }
}

public enum SortOrder: CaseIterable, Equatable, Sendable {
    case expirySoonest, completedNewest, standardAZ

    public var label: String {
        switch self {
        case .expirySoonest: return "expiry, soonest first"
        case .completedNewest: return "completed, newest first"
        case .standardAZ: return "standard A-Z"
        }
    }

    public var next: SortOrder {
        let all = SortOrder.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

public struct ListState: Equatable, Sendable {
    public var person: User
    /// The records as they came; change them with `load` and `replace`, which keep `facts` true.
    public private(set) var all: [Completion] = []
    /// What sorting, filtering and drawing need of each record in `all`, worked out once when
    /// the records come, so that a key costs in proportion to the screen, not the list.
    private(set) var facts: [RowFacts] = []
    /// The zone `facts` were worked out in.
    private(set) var zone: TimeZone?
    /// Indices into `all` in the current sort order, before filtering, and the order they are in.
    var ordered: [Int] = []
    var orderedBy: SortOrder?
    /// Indices into `all`, filtered and sorted.
    public var rows: [Int] = []
    /// The filter `rows` were chosen by, as the bytes searched for.
    var rowsFilter: [UInt8]?
    public var selection = 0
    public var top = 0
    public var sort = SortOrder.expirySoonest
    public var filter = TextField()
    public var filtering = false
    public var loading = true
    /// How many records the server has, while fewer have come: the first page is shown as soon
    /// as it is in, and a failed later page leaves the list short of this.
    public var expected: Int?

    public init(person: User) { self.person = person }

    public var selected: Completion? { rows.indices.contains(selection) ? all[rows[selection]] : nil }

    /// Whether some records are known to be missing: loading, or a later page failed.
    public var incomplete: Bool { expected.map { $0 > all.count } ?? false }
}

/// One record's dates in the display zone, its standard's place in title order, and the text
/// the filter searches.
struct RowFacts: Equatable, Sendable {
    let completed: CivilDate?
    let expires: CivilDate?
    /// The days as numbers for sorting: a missing date sorts after every real one.
    let completedDay: Int
    let expiresDay: Int
    /// Equal for titles that compare the same (`localizedStandardCompare`), in their order.
    var titleRank = 0
    /// Standard, provider and certificate, lowercased UTF-8, each followed by a 0 byte.
    let search: [UInt8]

    init(_ completion: Completion, rules: CompletionRules) {
        completed = rules.day(of: completion.attributes.completedAt)
        expires = rules.day(of: completion.attributes.expiresAt)
        completedDay = completed?.daysSinceEpoch ?? Int.min
        expiresDay = expires?.daysSinceEpoch ?? Int.max
        var search: [UInt8] = []
        for text in [completion.standardTitle, completion.attributes.trainingProviderName ?? "",
                     completion.attributes.certificateNumber ?? ""] {
            search += text.lowercased().utf8
            search.append(0)
        }
        self.search = search
    }

    /// Whether any of the three texts contains `needle` (lowercased UTF-8, not empty).
    func matches(_ needle: [UInt8]) -> Bool {
        // A needle with the separator in it could only match across two texts.
        !needle.contains(0) && occurs(needle, in: search)
    }
}

/// Whether `needle` occurs in `text`, byte for byte: memchr finds each place the first byte
/// occurs, memcmp checks the rest.
func occurs(_ needle: [UInt8], in text: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard needle.count <= text.count else { return false }
    return text.withUnsafeBufferPointer { text in
        needle.withUnsafeBufferPointer { needle in
            let start = text.baseAddress!, last = text.count - needle.count
            var at = 0
            while at <= last {
                guard let found = memchr(start + at, Int32(needle[0]), last - at + 1) else { return false }
                at = start.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if memcmp(start + at, needle.baseAddress!, needle.count) == 0 { return true }
                at += 1
            }
            return false
        }
    }
}

// Kept here, beside the stored properties they keep consistent: only these change `all` and `facts`.
extension ListState {
    /// Takes a new set of records: a load, or its first page.
    mutating func load(_ completions: [Completion], keeping id: String?, rules: CompletionRules) {
        all = completions
        facts = completions.map { RowFacts($0, rules: rules) }
        zone = rules.zone
        rankTitles()
        orderedBy = nil
        arrange(keeping: id, rules: rules)
    }

    /// One record changed: saved, or the server's values taken.
    mutating func replace(_ completion: Completion, at index: Int, rules: CompletionRules) {
        all[index] = completion
        facts[index] = RowFacts(completion, rules: rules)
        rankTitles()
        orderedBy = nil
        arrange(keeping: completion.id, rules: rules)
    }

    /// Titles in `localizedStandardCompare` order, worked out once per load among the few
    /// distinct titles: comparing them that way for every pair a sort looks at was most of its cost.
    private mutating func rankTitles() {
        let titles = Set(all.map(\.standardTitle)).sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        var ranks: [String: Int] = [:]
        var rank = 0
        for (position, title) in titles.enumerated() {
            if position > 0, titles[position - 1].localizedStandardCompare(title) != .orderedSame { rank += 1 }
            ranks[title] = rank
        }
        for index in facts.indices { facts[index].titleRank = ranks[all[index].standardTitle] ?? 0 }
    }

    /// Filters and sorts, keeping the selected record selected when it is still shown. The
    /// records are sorted only when the order changes and filtered only when the filter does;
    /// a longer filter looks only among the rows the shorter one left.
    mutating func arrange(keeping id: String?, rules: CompletionRules) {
        if zone != rules.zone {
            load(all, keeping: id, rules: rules)
            return
        }
        if orderedBy != sort {
            ordered = sortedIndices()
            orderedBy = sort
            rowsFilter = nil
        }
        let needle = Array(filter.text.lowercased().utf8)
        if rowsFilter != needle {
            let narrower = rowsFilter.map { !$0.isEmpty && occurs($0, in: needle) } ?? false
            rows = needle.isEmpty ? ordered : (narrower ? rows : ordered).filter { facts[$0].matches(needle) }
            rowsFilter = needle
        }
        selection = id.flatMap { wanted in rows.firstIndex { all[$0].id == wanted } } ?? min(selection, max(0, rows.count - 1))
    }

    /// Every index of `all` in the sort order; ties keep the order the records came in.
    private func sortedIndices() -> [Int] {
        // Two numbers per record, smallest first; ~ turns "newest first" into ascending order.
        let keys: [(Int, Int)] = facts.map { facts in
            switch sort {
            case .expirySoonest: return (facts.expiresDay, facts.titleRank)
            case .completedNewest: return (~facts.completedDay, facts.titleRank)
            case .standardAZ: return (facts.titleRank, ~facts.completedDay)
            }
        }
        return all.indices.sorted { a, b in keys[a] != keys[b] ? keys[a] < keys[b] : a < b }
    }

    /// The dates of a record in the display zone: worked out at load, unless the zone changed since.
    func days(_ index: Int, rules: CompletionRules) -> (completed: CivilDate?, expires: CivilDate?) {
        if zone == rules.zone { return (facts[index].completed, facts[index].expires) }
        return (rules.day(of: all[index].attributes.completedAt), rules.day(of: all[index].attributes.expiresAt))
    }
}

public struct FormState: Equatable, Sendable {
    public var completion: Completion
    public var person: User
    public var fields: [CompletionField: TextField]
    /// The texts the form opened with: a field still equal to its initial text is unchanged
    /// and goes back to the server exactly as it came.
    public var initial: [CompletionField: String]
    public var focus = CompletionField.completed
    public var left: Set<CompletionField> = []
    public var problems: [CompletionField: String] = [:]
    public var submitting = false
    /// The texts that were sent, to tell on success whether more was typed meanwhile.
    public var sent: [CompletionField: String]?
    /// Bumped on every edit, so a draft is written once typing pauses.
    public var draftGeneration = 0

    public func draft(at time: Date, owner: String) -> Draft {
        Draft(completion: completion, person: person, fields: fields.mapValues(\.text), savedAt: time, owner: owner)
    }

    public func text(_ field: CompletionField) -> String { fields[field]?.text ?? "" }

    public var edit: CompletionEdit {
        var edit = CompletionEdit()
        for field in CompletionField.allCases where text(field) != initial[field] {
            edit[field] = text(field)
        }
        return edit
    }

    public var changed: Bool { edit != CompletionEdit() }
}

public enum Overlay: Equatable, Sendable {
    /// The keys, from the `top`th; it scrolls when the terminal is too short for all of them.
    case help(top: Int)
    /// Save these changes? Each as (field, old, new).
    case confirm([Change], CompletionAttributes)
    case discard
    /// The session ran out mid-work: sign in again over the current screen.
    case signIn
    /// The record just opened has a draft: restore it, discard it, or not now.
    case restore(Draft)
    /// Drafts were left by an earlier run; the newest is offered.
    case draftsWaiting([Draft])
    /// The last saves recorded for the person on screen.
    case audit([AuditEntry])
    /// Fields both sides changed, each as opened / on the server now / yours; and what keeping
    /// yours would send (with the fields only the server changed merged in).
    case conflict([Clash], keep: SaveRequest, server: Completion)

    public struct Clash: Equatable, Sendable {
        public let field: CompletionField
        public let opened: String?
        public let server: String?
        public let mine: String?
    }

    public struct Change: Equatable, Sendable {
        public let field: CompletionField
        public let old: String
        public let new: String
    }
}

public struct StatusMessage: Equatable, Sendable {
    /// A notice stays, like an error, until the next message replaces it, but is no error.
    public enum Kind: Equatable, Sendable { case info, success, error, busy, notice }
    public var text: String
    public var kind: Kind
    public var id: Int
}

public struct State: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var mode = Mode.starting
    public var session: SessionInfo?
    public var signIn = SignInState()
    public var picker = PickerState()
    public var list: ListState?
    public var form: FormState?
    public var overlay: Overlay?
    public var status: StatusMessage?
    public var startupError: String?
    public var quitting = false
    /// The day "today" is in the display zone; set from the clock by the runner.
    public var now: Date
    public var dateStyle: DateStyle
    public var demo: Bool
    /// A person named at start (`--user`), opened once the session is known.
    public var wantedPerson: String?
    /// What the expired session interrupted, offered again after signing in.
    public var resume: Resume?
    /// A draft from an earlier run, to restore once its person's records are loaded.
    public var pendingDraft: Draft?
    /// Asked for (`--read-only`, config) or learnt from a 403: records open as views.
    public var readOnly = false
    /// Keys typed while an answer they depend on is on its way, handled in order once it is in.
    public var heldKeys: [Key] = []
    var messageCounter = 0

    public init(width: Int, height: Int, now: Date = Date(), dateStyle: DateStyle = .iso, demo: Bool = false) {
        self.width = width
        self.height = height
        self.now = now
        self.dateStyle = dateStyle
        self.demo = demo
    }

    /// Who owns the drafts made now: the signed-in email at the API host.
    public var draftOwner: String { "\(session?.me.user.email ?? "")@\(session?.host ?? "")" }

    /// The zone dates are shown and typed in.
    public var zone: TimeZone { displayZone(profile: session?.me.user.timezone) }

    public var rules: CompletionRules { CompletionRules(zone: zone, now: now) }
}

/// A save to send, with what the audit log records of it: the record before, and whose it is.
public struct SaveRequest: Equatable, Sendable {
    public let id: String
    public let attributes: CompletionAttributes
    public let before: CompletionAttributes
    public let person: User
    public let standard: String

    public init(_ form: FormState, _ attributes: CompletionAttributes) {
        self.init(id: form.completion.id, attributes: attributes, before: form.completion.attributes,
                  person: form.person, standard: form.completion.standardTitle)
    }

    public init(id: String, attributes: CompletionAttributes, before: CompletionAttributes, person: User, standard: String) {
        self.id = id
        self.attributes = attributes
        self.before = before
        self.person = person
        self.standard = standard
    }
}

/// Work interrupted by an expired session. Loads run again by themselves; a save is only
/// offered again, behind its confirmation, so nothing is written without a yes.
public enum Resume: Equatable, Sendable {
    case effect(Effect)
    case confirm(Overlay)
}

public enum DateStyle: String, Equatable, Sendable {
    case iso, uk

    public func show(_ day: CivilDate) -> String { self == .uk ? day.ukDescription : day.description }
}

/// Something that happened: a key, a resize, an answer from the API, a timer.
public enum Event: Sendable {
    /// The screen is up: what it cannot do (no UTF-8), and a theme that failed to load.
    case started(unicode: Bool, themeProblem: String?)
    case key(Key)
    case resized(width: Int, height: Int)
    case sessionLoaded(Result<SessionInfo, CtrlHubError>)
    case signedIn(Result<SessionInfo, CtrlHubError>)
    case personLoaded(Result<User, CtrlHubError>)
    case membersLoaded(query: String, Result<[User], CtrlHubError>)
    /// The first page of a person's records, while the rest are on their way; `total` is how
    /// many the server says there are.
    case firstCompletions(userID: String, [Completion], total: Int?)
    case completionsLoaded(userID: String, Result<[Completion], CtrlHubError>)
    case saved(id: String, Result<Completion, CtrlHubError>)
    case searchDue(generation: Int)
    case statusExpired(id: Int)
    case draftDue(generation: Int)
    case draftLoaded(id: String, Draft?)
    case draftsListed([Draft])
    case draftFailed(String)
    case auditLoaded([AuditEntry])
    case auditFailed(String)
    /// The record changed on the server since the form opened; nothing was sent.
    case changed(SaveRequest, server: Completion)
    /// A minute went by while the session nears its end.
    case clock
    case signedOut(CtrlHubError?)
}

/// Work for the runner: every side effect the UI can ask for.
public enum Effect: Equatable, Sendable {
    case loadSession
    case signIn(email: String, password: String)
    case loadPerson(String, org: String)
    case searchMembers(String, org: String)
    case loadCompletions(userID: String)
    case save(SaveRequest)
    case saveDraft(Draft)
    case deleteDraft(String)
    /// A record's draft and the drafts left from before, of one owner only.
    case loadDraft(String, owner: String)
    case listDrafts(owner: String)
    /// The audit log's last saves for one person.
    case loadAudit(personID: String)
    /// Revoke the session on the server and forget it here.
    case signOut
    /// Sends the event back after a pause: debounce and fading messages.
    case after(TimeInterval, TimerEvent)
    case quit
    /// Paint the whole screen again: something else wrote on the terminal.
    case redraw

    public enum TimerEvent: Equatable, Sendable {
        case searchDue(generation: Int)
        case statusExpired(id: Int)
        case draftDue(generation: Int)
        case clock
    }
}
