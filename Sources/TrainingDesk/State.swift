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
    public var all: [Completion] = []
    /// Indices into `all`, filtered and sorted.
    public var rows: [Int] = []
    public var selection = 0
    public var top = 0
    public var sort = SortOrder.expirySoonest
    public var filter = TextField()
    public var filtering = false
    public var loading = true

    public init(person: User) { self.person = person }

    public var selected: Completion? { rows.indices.contains(selection) ? all[rows[selection]] : nil }
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
