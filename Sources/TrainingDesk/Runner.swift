import Foundation
import CtrlHubKit

/// Where finished effects leave their events, and the pipe that wakes the main loop's poll().
final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [Event] = []
    private var signal: Int32?
    let readEnd: Int32
    private let writeEnd: Int32

    init() {
        var ends: [Int32] = [0, 0]
        pipe(&ends)
        readEnd = ends[0]
        writeEnd = ends[1]
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    func post(_ event: Event) {
        lock.withLock { events.append(event) }
        wake()
    }

    /// Signals the loop acts on and goes on after: SIGWINCH (a new size), SIGTSTP (suspend).
    private var noted: Set<Int32> = []

    /// A signal asked the program to stop.
    func terminate(_ number: Int32) {
        lock.withLock { signal = number }
        wake()
    }

    var terminatedBy: Int32? { lock.withLock { signal } }

    /// A signal for the loop (which any thread may receive).
    func note(_ number: Int32) {
        lock.withLock { _ = noted.insert(number) }
        wake()
    }

    /// Whether the signal came since the last time asked.
    func take(_ number: Int32) -> Bool {
        lock.withLock { noted.remove(number) != nil }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    func drain() -> [Event] {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(readEnd, &buffer, buffer.count) > 0 {}
        return lock.withLock {
            defer { events.removeAll() }
            return events
        }
    }
}

/// Runs effects: API calls through CtrlHubKit, session files, timers. Each finishes as an
/// event in the inbox; none touches the screen.
final class Runner: @unchecked Sendable {
    private let inbox: Inbox
    private let lock = NSLock()
    private var client: CtrlHubClient
    private let store: SessionStore?
    private let drafts: DraftStore?
    private let audit: AuditLog?
    private let demo: Bool
    private let organisation: String?

    /// When the current session ends, where known.
    private var expiresAt: Date?

    init(client: CtrlHubClient, inbox: Inbox, store: SessionStore?, drafts: DraftStore?, audit: AuditLog?, demo: Bool,
         organisation: String?, expiresAt: Date?) {
        self.expiresAt = expiresAt
        self.client = client
        self.inbox = inbox
        self.store = store
        self.drafts = drafts
        self.audit = audit
        self.demo = demo
        self.organisation = organisation
    }

    private var current: CtrlHubClient { lock.withLock { client } }

    var host: String {
        let url = current.configuration.apiURL
        return (url.host ?? url.absoluteString) + (url.port.map { ":\($0)" } ?? "")
    }

    func perform(_ effect: Effect) {
        switch effect {
        case .after(let seconds, let timer):
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [inbox] in
                switch timer {
                case .searchDue(let generation): inbox.post(.searchDue(generation: generation))
                case .statusExpired(let id): inbox.post(.statusExpired(id: id))
                case .draftDue(let generation): inbox.post(.draftDue(generation: generation))
                case .clock: inbox.post(.clock)
                }
            }
        case .quit, .redraw:
            break
        case .saveDraft(let draft):
            do { try drafts?.save(draft) } catch { inbox.post(.draftFailed(error.message)) }
        case .deleteDraft(let id):
            drafts?.delete(id)
        case .loadDraft(let id, let owner):
            inbox.post(.draftLoaded(id: id, drafts?.load(id, owner: owner)))
        case .listDrafts(let owner):
            inbox.post(.draftsListed(drafts?.all(owner: owner) ?? []))
        case .loadAudit(let personID):
            let entries = (try? audit?.entries()) ?? []
            inbox.post(.auditLoaded(entries.filter { $0.person.id == personID }.suffix(10).reversed()))
        default:
            Task.detached { [self] in
                if let event = await self.run(effect) { inbox.post(event) }
            }
        }
    }

    private func run(_ effect: Effect) async -> Event? {
        let client = current
        switch effect {
        case .loadSession:
            return .sessionLoaded(await result { try await self.session(client) })
        case .signIn(let email, let password):
            return .signedIn(await result {
                let session = try await client.login(email: email, password: password)
                let signedIn = client.with(token: session.token)
                self.lock.withLock {
                    self.client = signedIn
                    self.expiresAt = session.expiresAt
                }
                try? self.store?.save(StoredSession(apiURL: client.configuration.apiURL.absoluteString,
                                                    authURL: client.configuration.authURL.absoluteString,
                                                    email: session.email, expiresAt: session.expiresAt, token: session.token))
                return try await self.session(signedIn)
            })
        case .loadPerson(let wanted, let org):
            return .personLoaded(await result {
                guard wanted.contains("@") else { return try await client.member(org: org, id: wanted) }
                let matches = try await client.members(org: org, search: wanted)
                guard let user = matches.first(where: { $0.email.caseInsensitiveCompare(wanted) == .orderedSame }) else {
                    throw CtrlHubError(.notFound("no member has the email \(wanted)"))
                }
                return user
            })
        case .searchMembers(let query, let org):
            return .membersLoaded(query: query, await result { try await client.members(org: org, search: query) })
        case .loadCompletions(let userID):
            return .completionsLoaded(userID: userID, await result {
                try await client.completions(user: userID) { [inbox] first, total in
                    inbox.post(.firstCompletions(userID: userID, first, total: total))
                }
            })
        case .save(let request):
            let guarded = await result {
                try await client.updateCompletion(id: request.id, request.attributes, unlessChangedFrom: request.before)
            }
            let outcome: Result<Completion, CtrlHubError>
            switch guarded {
            case .success(.changed(let server)): return .changed(request, server: server)
            case .success(.saved(let completion)): outcome = .success(completion)
            case .failure(let error): outcome = .failure(error)
            }
            // The attempt is on record before anything on screen says it worked.
            if let audit {
                let entry = AuditEntry(time: Date(), email: signedInEmail, api: client.configuration.apiURL.absoluteString,
                                       completionID: request.id, person: request.person, standard: request.standard,
                                       before: request.before, after: request.attributes,
                                       error: outcome.error)
                do { try audit.append(entry) } catch { inbox.post(.auditFailed(error.message)) }
            }
            return .saved(id: request.id, outcome)
        case .signOut:
            var failure: CtrlHubError?
            do { try await client.logout() } catch where error.kind != .unauthorised { failure = error } catch {}
            try? store?.delete()
            lock.withLock { self.client = client.with(token: nil) }
            return .signedOut(failure)
        case .after, .quit, .redraw, .saveDraft, .deleteDraft, .loadDraft, .listDrafts, .loadAudit:
            return nil
        }
    }

    private var email = ""
    private var signedInEmail: String { lock.withLock { email } }

    private func session(_ client: CtrlHubClient) async throws(CtrlHubError) -> SessionInfo {
        let info = SessionInfo(me: try await client.whoami(), host: host, demo: demo, organisation: organisation,
                               expiresAt: lock.withLock { expiresAt })
        lock.withLock { email = info.me.user.email }
        return info
    }

    private func result<T>(_ body: () async throws -> T) async -> Result<T, CtrlHubError> {
        do {
            return .success(try await body())
        } catch let error as CtrlHubError {
            return .failure(error)
        } catch {
            return .failure(CtrlHubError(.malformed("\(error)")))
        }
    }
}

extension Result {
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
