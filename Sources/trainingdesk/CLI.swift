import Foundation
import CtrlHubKit
import CtrlHubSandbox
import Terminal
import TrainingDesk

/// Exit statuses, documented in docs/cli.md; scripts depend on them.
enum Exit: Int32 {
    case ok = 0
    case failure = 1
    case usage = 2
    case invalidInput = 3
    case notSignedIn = 4
    case notFound = 5
    /// The record changed on the server since it was read (or since --if-unchanged-since).
    case conflict = 6
}

struct Failure: Error {
    let exit: Exit
    let message: String

    init(_ exit: Exit, _ message: String) {
        self.exit = exit
        self.message = message
    }

    init(_ error: CtrlHubError) {
        switch error.kind {
        case .invalidCredentials, .unauthorised: exit = .notSignedIn
        case .notFound: exit = .notFound
        case .insecureURL, .badURL: exit = .usage
        default: exit = .failure
        }
        message = error.message
    }
}

/// The connection options every command that talks to Ctrl Hub takes.
let connectionOptions: Set<String> = ["api-url", "auth-url", "org"]

struct CLI {
    let environment: [String: String]
    let store: SessionStore

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        store = SessionStore(environment: environment)
    }

    func run(_ words: [String]) async -> Int32 {
        let command = words.first ?? ""
        let rest = Array(words.dropFirst())
        do {
            switch command {
            case "whoami": try await whoami(rest)
            case "login": try await login(rest)
            case "logout": try await logout(rest)
            case "completions": try await completions(rest)
            case "sandbox": try await sandbox(rest)
            case "audit": try audit(rest)
            case "help", "--help", "-h": try emit(Help.main)
            case "--version": try emit("trainingdesk \(CtrlHubClient.version)\n")
            default: try await interface(words)
            }
            return Exit.ok.rawValue
        } catch is Done {
            return Exit.ok.rawValue
        } catch let quiet as Quiet {
            return quiet.status
        } catch let failure as Failure {
            printError(failure.message)
            return failure.exit.rawValue
        } catch let usage as UsageError {
            let known = ["whoami", "login", "logout", "completions", "sandbox", "audit"].contains(command)
            printError("\(usage.message). See `trainingdesk \(known ? command + " " : "")--help`.")
            return Exit.usage.rawValue
        } catch {
            printError("\(error)")
            return Exit.failure.rawValue
        }
    }

    // MARK: Commands

    private func whoami(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.whoami, values: connectionOptions.union(["format"]))
        try arguments.none()
        let format = try arguments.format(["table", "json"])
        let (client, _) = try signedIn(arguments)
        let me = try await call { try await client.whoami() }
        if format == "json" {
            let body: JSON = [
                "id": .string(me.user.id),
                "email": .string(me.user.email),
                "name": .string(me.user.displayName),
                "timezone": JSON(me.user.timezone),
                "organisations": .array(me.organisations.map { organisation -> JSON in
                    ["id": .string(organisation.id), "name": .string(organisation.name)]
                }),
                "api_url": .string(client.configuration.apiURL.absoluteString),
            ]
            try printJSON(body)
        } else {
            try emit(Output.record([
                ("Signed in as", "\(me.user.displayName) <\(me.user.email)>"),
                ("Organisation", me.organisations.map { "\($0.name) (\($0.id))" }.joined(separator: ", ")),
                ("Timezone", me.user.timezone ?? "not set"),
                ("API", client.configuration.apiURL.absoluteString),
            ]))
        }
    }

    private func login(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.login, values: connectionOptions.union(["email"]))
        try arguments.none()
        let connection = try connect(arguments)
        guard let email = arguments.values["email"] ?? readLine(prompt: "Email: "), !email.isEmpty else {
            throw Failure(.usage, "An email is needed to sign in.")
        }
        guard let password = readSecret(prompt: "Password for \(email): "), !password.isEmpty else {
            throw Failure(.usage, "A password is needed to sign in.")
        }
        let client = makeClient(connection, token: nil, arguments)
        let session = try await call { try await client.login(email: email, password: password) }
        do {
            try store.save(StoredSession(apiURL: connection.configuration.apiURL.absoluteString,
                                         authURL: connection.configuration.authURL.absoluteString,
                                         email: session.email, expiresAt: session.expiresAt, token: session.token))
        } catch {
            throw Failure(.failure, error.message)
        }
        let until = session.expiresAt.map { " until \(RFC3339.format($0))" } ?? ""
        printError("Signed in as \(session.email ?? email) at \(connection.configuration.apiURL.absoluteString)\(until).")
    }

    private func logout(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.logout, values: [])
        try arguments.none()
        let stored: StoredSession?
        do { stored = try store.load() } catch {
            // A damaged or unsafe file is still removed: the person asked to be signed out.
            try? store.delete()
            throw Failure(.failure, "\(error.message) It was deleted; the server was not told.")
        }
        guard let stored else { throw Failure(.notSignedIn, "Not signed in: there is no stored session.") }
        // The token goes back only to the host it came from, whatever is configured now.
        var revokeError: CtrlHubError?
        do {
            guard let api = URL(string: stored.apiURL), let auth = URL(string: stored.authURL) else {
                throw CtrlHubError(.badURL(stored.authURL, "the stored session names no usable host"))
            }
            let client = CtrlHubClient(configuration: try ClientConfiguration(apiURL: api, authURL: auth), token: stored.token)
            try await client.logout()
        } catch let error as CtrlHubError where error.kind != .unauthorised {
            revokeError = error
        } catch {
            // 401: the server had already ended it.
        }
        do { try store.delete() } catch { throw Failure(.failure, error.message) }
        if let revokeError {
            throw Failure(.failure, "Signed out locally, but the server was not told: \(revokeError.message)")
        }
        printError("Signed out of \(stored.authURL).")
    }

    private func completions(_ words: [String]) async throws {
        let sub = words.first ?? ""
        let rest = Array(words.dropFirst())
        switch sub {
        case "list": try await listCompletions(rest)
        case "show": try await showCompletion(rest)
        case "update": try await updateCompletion(rest)
        case "--help", "-h", "help": try emit(Help.completions)
        default: throw UsageError(message: sub.isEmpty ? "missing subcommand (list, show or update)" : "unknown subcommand '\(sub)'")
        }
    }

    private func listCompletions(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.completionsList, values: connectionOptions.union(["user", "format"]))
        try arguments.none()
        let format = try arguments.format(["table", "json", "csv"])
        guard let person = arguments.values["user"], !person.isEmpty else { throw UsageError(message: "--user is required") }
        if !person.contains("@") { try checkID(person, "--user") }
        let (client, connection) = try signedIn(arguments)
        let me = try await call { try await client.whoami() }
        let userID = try await resolveUser(person, client: client, connection: connection, me: me)
        let completions = try await call { try await client.completions(user: userID) }
        let rules = CompletionRules(zone: displayZone(profile: me.user.timezone, environment: environment))
        let views = completions.map { CompletionView($0, rules: rules) }
        switch format {
        case "json": try printJSON(.array(views.map(\.json)))
        case "csv": try emit(Output.csv(CompletionView.csvHeaders, views.map(\.csvCells)))
        default:
            try emit(Output.table(CompletionView.headers, views.map(\.cells)))
            printError("\(completions.count) completion\(completions.count == 1 ? "" : "s")")
        }
    }

    private func showCompletion(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.completionsShow, values: connectionOptions.union(["format"]))
        let id = try arguments.one("completion id")
        try checkID(id, "the completion id")
        let format = try arguments.format(["table", "json"])
        let (client, _) = try signedIn(arguments)
        let me = try await call { try await client.whoami() }
        let completion = try await call { try await client.completion(id: id) }
        let view = CompletionView(completion, rules: CompletionRules(zone: displayZone(profile: me.user.timezone, environment: environment)))
        if format == "json" { try printJSON(view.json) } else { try emit(Output.record(view.recordPairs)) }
    }

    private func updateCompletion(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.completionsUpdate,
                                  values: connectionOptions.union(["completed", "expires", "certificate", "provider", "format", "if-unchanged-since"]))
        let id = try arguments.one("completion id")
        try checkID(id, "the completion id")
        let format = try arguments.format(["table", "json"])
        let none = { (text: String?) in text.map { $0.lowercased() == "none" ? "" : $0 } }
        let edit = CompletionEdit(completed: arguments.values["completed"], expires: none(arguments.values["expires"]),
                                  certificate: none(arguments.values["certificate"]), provider: arguments.values["provider"])
        guard edit != CompletionEdit() else {
            throw UsageError(message: "nothing to change: give --completed, --expires, --certificate or --provider")
        }
        var unchangedSince: Date?
        if let text = arguments.values["if-unchanged-since"] {
            guard let time = RFC3339.parse(text) else {
                throw UsageError(message: "--if-unchanged-since must be an RFC 3339 time such as 2026-12-03T09:00:00Z")
            }
            unchangedSince = time
        }
        // Everything that can be checked without the record is checked before any request.
        let localRules = CompletionRules(zone: displayZone(profile: nil, environment: environment))
        try reject(localRules.problems(in: edit))

        let (client, _) = try signedIn(arguments)
        let me = try await call { try await client.whoami() }
        let rules = CompletionRules(zone: displayZone(profile: me.user.timezone, environment: environment))
        let current = try await call { try await client.completion(id: id) }
        if let unchangedSince {
            guard let updated = current.updatedAt else {
                throw Failure(.failure, "The server does not say when the record last changed, so --if-unchanged-since cannot be checked; nothing was sent.")
            }
            if updated > unchangedSince {
                throw Failure(.conflict, "The record changed at \(RFC3339.format(updated)), after \(RFC3339.format(unchangedSince)); nothing was sent.")
            }
        }
        let attributes: CompletionAttributes
        switch rules.apply(edit, to: current.attributes) {
        case .invalid(let problems): try reject(problems); return
        case .valid(let result): attributes = result
        }
        guard attributes != current.attributes else {
            printError("Nothing changed: the record already has those values.")
            return
        }
        let answer: CtrlHubClient.GuardedUpdate
        do {
            answer = try await client.updateCompletion(id: id, attributes, unlessChangedFrom: current.attributes)
        } catch {
            try record(current, attributes, me: me, client: client, error: error)
            if error.kind == .transport(.timeout) || error.kind == .transport(.connectionLost) {
                throw Failure(.failure, "\(error.message) The change may or may not have been saved; check with `trainingdesk completions show \(id)`.")
            }
            throw Failure(error)
        }
        guard case .saved(let updated) = answer else {
            throw Failure(.conflict, "The record changed on the server between reading and writing; nothing was sent. Run the command again to apply your change to the new values.")
        }
        try record(current, attributes, me: me, client: client, error: nil)
        let view = CompletionView(updated, rules: rules)
        if format == "json" { try printJSON(view.json) } else { try emit(Output.record(view.recordPairs)) }
        printError("Saved completion \(id).")
    }

    /// Every save attempt goes in the audit log before the outcome is reported.
    private func record(_ current: Completion, _ attributes: CompletionAttributes, me: Me, client: CtrlHubClient,
                        error: CtrlHubError?) throws {
        let person = current.user ?? User(id: current.userRef?.id ?? "", email: "")
        let entry = AuditEntry(time: Date(), email: me.user.email, api: client.configuration.apiURL.absoluteString,
                               completionID: current.id, person: person, standard: current.standardTitle,
                               before: current.attributes, after: attributes, error: error)
        do { try AuditLog(environment: environment).append(entry) } catch {
            throw Failure(.failure, "The audit log could not be written, so the outcome is not reported as a success: \(error.message)")
        }
    }

    private func audit(_ words: [String]) throws {
        let arguments = try parse(words, help: Help.audit, values: ["user", "since", "format"])
        try arguments.none()
        let format = try arguments.format(["table", "json"])
        var since: Date?
        if let text = arguments.values["since"] {
            guard case .success(let day) = CompletionRules.parseDate(text) else {
                throw UsageError(message: "--since must be a date, YYYY-MM-DD or DD/MM/YYYY")
            }
            since = day.start(in: displayZone(profile: nil, environment: environment))
        }
        let all: [AuditEntry]
        do { all = try AuditLog(environment: environment).entries() } catch { throw Failure(.failure, error.message) }
        let person = arguments.values["user"]?.lowercased()
        let entries = all.filter { entry in
            (person == nil || entry.person.id.lowercased() == person || entry.person.email.lowercased() == person)
                && (since == nil || entry.time >= since!)
        }
        if format == "json" {
            try printJSON(.array(entries.map(\.json)))
        } else {
            let rows = entries.map { entry in
                [RFC3339.format(entry.time), entry.person.email, entry.standard, entry.changeSummary,
                 entry.error.map { "error: \($0)" } ?? "ok"]
            }
            try emit(Output.table(["Time", "Person", "Training standard", "Changes", "Outcome"], rows))
        }
    }

    private func reject(_ problems: [FieldProblem]) throws {
        guard !problems.isEmpty else { return }
        let flags: [CompletionField: String] = [.completed: "--completed", .expires: "--expires", .certificate: "--certificate", .provider: "--provider"]
        let lines = problems.map { "\(flags[$0.field]!): \($0.message)" }
        throw Failure(.invalidInput, "Not sent: " + lines.joined(separator: "; ") + ".")
    }

    private func sandbox(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.sandbox, values: ["host", "port", "records"])
        try arguments.none()
        guard let port = UInt16(arguments.values["port"] ?? "0") else { throw UsageError(message: "--port must be 0 to 65535") }
        guard let records = Int(arguments.values["records"] ?? "262"), (0...100_000).contains(records) else {
            throw UsageError(message: "--records must be 0 to 100000")
        }
        // Its accounts and tokens are public: it must not be reachable from other machines.
        let host = arguments.values["host"] ?? "127.0.0.1"
        guard host.hasPrefix("127."), host.split(separator: ".").count == 4 else {
            throw UsageError(message: "--host must be a loopback address (127.x.x.x): the sandbox's demo tokens are public")
        }
        let server = SandboxServer(data: SandboxData.generate(busiest: records))
        let url: URL
        do { url = try server.start(host: host, port: port) } catch {
            throw Failure(.failure, "The sandbox could not start: \(error)")
        }
        var lines = ["sandbox listening on \(url.absoluteString)"]
        for account in [SandboxServer.admin, SandboxServer.viewer] {
            lines.append("  \(account.canWrite ? "administrator" : "viewer (read-only)"): \(account.email) / \(account.password)  token \(account.token)")
        }
        lines.append("  try: CTRLHUB_API_URL=\(url.absoluteString) CTRLHUB_SESSION_TOKEN=\(SandboxServer.admin.token) \(CommandLine.arguments[0]) whoami")
        try emit(lines.joined(separator: "\n") + "\n")
        await waitForTermination()
        server.stop()
    }

    /// The terminal UI, signed in from the environment or the stored session, else through
    /// its own sign-in form. `--demo` runs it on a sandbox inside this process.
    private func interface(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.main, values: connectionOptions.union(["user", "theme", "date-format"]), flags: ["demo", "read-only"])
        if let word = arguments.positionals.first { throw UsageError(message: "unknown command '\(word)'") }
        let config = try loadConfig()
        var options = AppOptions()
        options.person = arguments.values["user"]
        options.organisation = arguments.values["org"] ?? environment["CTRLHUB_ORG"] ?? config.org
        (options.theme, options.notice) = Themes.choose(arguments.values["theme"] ?? config.theme, environment: environment)
        options.dateStyle = config.dateFormat ?? .iso
        options.readOnly = arguments.flags.contains("read-only") || config.readOnly
        if let style = arguments.values["date-format"] {
            guard let parsed = DateStyle(rawValue: style) else { throw UsageError(message: "--date-format must be iso or uk") }
            options.dateStyle = parsed
        }
        if arguments.flags.contains("demo") {
            let server = SandboxServer()
            let url: URL
            do { url = try server.start() } catch { throw Failure(.failure, "The demo sandbox could not start: \(error)") }
            defer { server.stop() }
            let configuration = try await call { try ClientConfiguration(apiURL: url, authURL: url) }
            let client = CtrlHubClient(configuration: configuration, token: nil)
            let session = try await call { try await client.login(email: SandboxServer.admin.email, password: SandboxServer.admin.password) }
            options.demo = true
            options.sessionExpiresAt = session.expiresAt
            try await runInterface(client.with(token: session.token), options)
            return
        }
        let connection = try connect(arguments)
        let token: SessionToken?
        do { token = try connection.session(store: store, environment: environment) } catch {
            throw Failure(.notSignedIn, error.message)
        }
        options.store = store
        if environment["CTRLHUB_SESSION_TOKEN"] == nil, let stored = try? store.load() { options.sessionExpiresAt = stored.expiresAt }
        options.drafts = DraftStore(environment: environment)
        options.audit = AuditLog(environment: environment)
        try await runInterface(CtrlHubClient(configuration: connection.configuration, token: token), options)
    }

    /// ncurses is owned by one thread for the whole run, off the cooperative pool that the
    /// network work uses.
    private func runInterface(_ client: CtrlHubClient, _ options: AppOptions) async throws {
        let status = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: App.run(client: client, options: options)) }
        }
        if status != 0 { throw Quiet(status: status) }
    }

    // MARK: Helpers

    private func parse(_ words: [String], help: String, values: Set<String>, flags: Set<String> = []) throws -> Arguments {
        if words.contains("--help") || words.contains("-h") {
            try emit(help)
            throw Done()
        }
        return try Arguments(words, values: values, flags: flags.union(["verbose"]))
    }

    private func loadConfig() throws -> Config {
        do { return try Config.load(environment) } catch { throw Failure(.usage, error.message) }
    }

    private func connect(_ arguments: Arguments) throws -> Connection {
        let config = try loadConfig()
        do {
            return try Connection(apiURL: arguments.values["api-url"], authURL: arguments.values["auth-url"],
                                  org: arguments.values["org"], config: config, environment: environment)
        } catch {
            throw Failure(error)
        }
    }

    private func makeClient(_ connection: Connection, token: SessionToken?, _ arguments: Arguments) -> CtrlHubClient {
        var log: (@Sendable (String) -> Void)?
        if arguments.flags.contains("verbose") { log = { @Sendable line in printError(line) } }
        return CtrlHubClient(configuration: connection.configuration, token: token, log: log)
    }

    private func signedIn(_ arguments: Arguments) throws -> (CtrlHubClient, Connection) {
        let connection = try connect(arguments)
        let token: SessionToken?
        do { token = try connection.session(store: store, environment: environment) } catch {
            throw Failure(.notSignedIn, error.message)
        }
        guard let token else {
            throw Failure(.notSignedIn, "Not signed in to \(connection.configuration.apiURL.absoluteString): run `trainingdesk login` or set CTRLHUB_SESSION_TOKEN.")
        }
        return (makeClient(connection, token: token, arguments), connection)
    }

    /// An email is looked up among the organisation's members; an id must be one of them.
    private func resolveUser(_ person: String, client: CtrlHubClient, connection: Connection, me: Me) async throws -> String {
        guard let org = connection.org ?? me.organisations.first?.id else {
            throw Failure(.notFound, "You belong to no organisation, so \(person) cannot be looked up.")
        }
        guard person.contains("@") else {
            return try await call { try await client.member(org: org, id: person) }.id
        }
        let matches = try await call { try await client.members(org: org, search: person) }
        guard let user = matches.first(where: { $0.email.caseInsensitiveCompare(person) == .orderedSame }) else {
            throw Failure(.notFound, "No member of organisation \(org) has the email \(person).")
        }
        return user.id
    }

    /// Client errors become the CLI's failures, with their exit status.
    /// Ids are UUIDs or similar: letters, digits, `-` and `_`. Anything else is a mistake, and
    /// must not reach a filter expression.
    private func checkID(_ id: String, _ what: String) throws {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        guard !id.isEmpty, id.count <= 64, id.unicodeScalars.allSatisfy(allowed.contains) else {
            throw UsageError(message: "\(what) '\(id)' is not an id (letters, digits, - and _ only)")
        }
    }

    private func call<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as CtrlHubError { throw Failure(error) }
    }
}

/// `--help` was answered; nothing more to do.
struct Done: Error {}

/// An exit status already explained on screen (or by the signal that caused it).
struct Quiet: Error {
    let status: Int32
}

/// One sentence on stderr, cleaned: it may quote the server or the person's own input.
/// Best effort: there is nowhere left to report a failure to write it.
func printError(_ message: String) {
    try? FileHandle.standardError.write(contentsOf: Data((TerminalText.clean(message) + "\n").utf8))
}

/// Writes to stdout; a full disk or a closed pipe is a failure a script must see.
func emit(_ text: String) throws {
    try emit(Data(text.utf8))
}

func emit(_ data: Data) throws {
    do {
        try FileHandle.standardOutput.write(contentsOf: data)
    } catch {
        throw Failure(.failure, "Could not write the output: \(String(cString: strerror(errno))).")
    }
}

func printJSON(_ value: JSON) throws {
    try emit(value.serialized(pretty: true) + Data("\n".utf8))
}

/// Blocks until SIGINT or SIGTERM.
func waitForTermination() async {
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let once = OnceFlag()
        for number in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if once.claim() { continuation.resume() }
            }
            source.resume()
            signalSources.append(source)
        }
    }
}

private final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    func claim() -> Bool {
        lock.withLock {
            defer { claimed = true }
            return !claimed
        }
    }
}

/// Signal sources live as long as the process.
nonisolated(unsafe) private var signalSources: [any DispatchSourceSignal] = []
