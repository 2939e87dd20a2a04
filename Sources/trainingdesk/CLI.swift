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
        case .insecureURL: exit = .usage
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
            case "help", "--help", "-h": print(Help.main, terminator: "")
            case "--version": print("trainingdesk \(Help.version)")
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
            printError("\(usage.message). See `trainingdesk \(command.hasPrefix("-") || command.isEmpty ? "" : command + " ")--help`.")
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
            printJSON(body)
        } else {
            print(Output.record([
                ("Signed in as", "\(me.user.displayName) <\(me.user.email)>"),
                ("Organisation", me.organisations.map { "\($0.name) (\($0.id))" }.joined(separator: ", ")),
                ("Timezone", me.user.timezone ?? "not set"),
                ("API", client.configuration.apiURL.absoluteString),
            ]), terminator: "")
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
        let arguments = try parse(words, help: Help.logout, values: connectionOptions)
        try arguments.none()
        let connection = try connect(arguments)
        let stored: StoredSession?
        do { stored = try store.load() } catch { throw Failure(.failure, error.message) }
        guard let stored else { throw Failure(.notSignedIn, "Not signed in: there is no stored session.") }
        let client = makeClient(connection, token: stored.token, arguments)
        var revokeError: CtrlHubError?
        do { try await client.logout() } catch { revokeError = error }
        // The local file goes whatever the server said: the person asked to be signed out here.
        do { try store.delete() } catch { throw Failure(.failure, error.message) }
        if let revokeError {
            throw Failure(.failure, "Signed out locally, but the server was not told: \(revokeError.message)")
        }
        printError("Signed out.")
    }

    private func completions(_ words: [String]) async throws {
        let sub = words.first ?? ""
        let rest = Array(words.dropFirst())
        switch sub {
        case "list": try await listCompletions(rest)
        case "show": try await showCompletion(rest)
        case "update": try await updateCompletion(rest)
        case "--help", "-h", "help": print(Help.completions, terminator: "")
        default: throw UsageError(message: sub.isEmpty ? "missing subcommand (list, show or update)" : "unknown subcommand '\(sub)'")
        }
    }

    private func listCompletions(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.completionsList, values: connectionOptions.union(["user", "format"]))
        try arguments.none()
        let format = try arguments.format(["table", "json", "csv"])
        guard let person = arguments.values["user"], !person.isEmpty else { throw UsageError(message: "--user is required") }
        let (client, connection) = try signedIn(arguments)
        let me = try await call { try await client.whoami() }
        let userID = try await resolveUser(person, client: client, connection: connection, me: me)
        let completions = try await call { try await client.completions(user: userID) }
        let rules = CompletionRules(zone: displayZone(profile: me.user.timezone, environment: environment))
        let views = completions.map { CompletionView($0, rules: rules) }
        switch format {
        case "json": printJSON(.array(views.map(\.json)))
        case "csv": print(Output.csv(CompletionView.csvHeaders, views.map(\.csvCells)), terminator: "")
        default:
            print(Output.table(CompletionView.headers, views.map(\.cells)), terminator: "")
            printError("\(completions.count) completion\(completions.count == 1 ? "" : "s")")
        }
    }

    private func showCompletion(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.completionsShow, values: connectionOptions.union(["format"]))
        let id = try arguments.one("completion id")
        let format = try arguments.format(["table", "json"])
        let (client, _) = try signedIn(arguments)
        let me = try await call { try await client.whoami() }
        let completion = try await call { try await client.completion(id: id) }
        let view = CompletionView(completion, rules: CompletionRules(zone: displayZone(profile: me.user.timezone, environment: environment)))
        if format == "json" { printJSON(view.json) } else { print(Output.record(view.recordPairs), terminator: "") }
    }

    private func updateCompletion(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.completionsUpdate,
                                  values: connectionOptions.union(["completed", "expires", "certificate", "provider", "format"]))
        let id = try arguments.one("completion id")
        let format = try arguments.format(["table", "json"])
        let none = { (text: String?) in text.map { $0.lowercased() == "none" ? "" : $0 } }
        let edit = CompletionEdit(completed: arguments.values["completed"], expires: none(arguments.values["expires"]),
                                  certificate: none(arguments.values["certificate"]), provider: arguments.values["provider"])
        guard edit != CompletionEdit() else {
            throw UsageError(message: "nothing to change: give --completed, --expires, --certificate or --provider")
        }
        // Everything that can be checked without the record is checked before any request.
        let localRules = CompletionRules(zone: displayZone(profile: nil, environment: environment))
        try reject(localRules.problems(in: edit))

        let (client, _) = try signedIn(arguments)
        let me = try await call { try await client.whoami() }
        let rules = CompletionRules(zone: displayZone(profile: me.user.timezone, environment: environment))
        let current = try await call { try await client.completion(id: id) }
        let attributes: CompletionAttributes
        switch rules.apply(edit, to: current.attributes) {
        case .invalid(let problems): try reject(problems); return
        case .valid(let result): attributes = result
        }
        guard attributes != current.attributes else {
            printError("Nothing changed: the record already has those values.")
            return
        }
        let updated = try await call { try await client.updateCompletion(id: id, attributes) }
        let view = CompletionView(updated, rules: rules)
        if format == "json" { printJSON(view.json) } else { print(Output.record(view.recordPairs), terminator: "") }
        printError("Saved completion \(id).")
    }

    private func reject(_ problems: [FieldProblem]) throws {
        guard !problems.isEmpty else { return }
        let flags: [CompletionField: String] = [.completed: "--completed", .expires: "--expires", .certificate: "--certificate", .provider: "--provider"]
        let lines = problems.map { "\(flags[$0.field]!): \($0.message)" }
        throw Failure(.invalidInput, "Not sent: " + lines.joined(separator: "; ") + ".")
    }

    private func sandbox(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.sandbox, values: ["host", "port"])
        try arguments.none()
        guard let port = UInt16(arguments.values["port"] ?? "0") else { throw UsageError(message: "--port must be 0 to 65535") }
        let server = SandboxServer()
        let url: URL
        do { url = try server.start(host: arguments.values["host"] ?? "127.0.0.1", port: port) } catch {
            throw Failure(.failure, "The sandbox could not start: \(error)")
        }
        print("sandbox listening on \(url.absoluteString)")
        for account in [SandboxServer.admin, SandboxServer.viewer] {
            print("  \(account.canWrite ? "administrator" : "viewer (read-only)"): \(account.email) / \(account.password)  token \(account.token)")
        }
        print("  try: CTRLHUB_API_URL=\(url.absoluteString) CTRLHUB_SESSION_TOKEN=\(SandboxServer.admin.token) trainingdesk whoami")
        fflush(nil)
        await waitForTermination()
        server.stop()
    }

    /// The terminal UI, signed in from the environment or the stored session, else through
    /// its own sign-in form. `--demo` runs it on a sandbox inside this process.
    private func interface(_ words: [String]) async throws {
        let arguments = try parse(words, help: Help.main, values: connectionOptions.union(["user", "theme", "date-format"]), flags: ["demo"])
        try arguments.none()
        let config = try loadConfig()
        var options = AppOptions()
        options.person = arguments.values["user"]
        options.organisation = arguments.values["org"] ?? environment["CTRLHUB_ORG"] ?? config.org
        (options.theme, options.notice) = Themes.choose(arguments.values["theme"] ?? config.theme, environment: environment)
        options.dateStyle = config.dateFormat ?? .iso
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
            try await runInterface(client.with(token: session.token), options)
            return
        }
        let connection = try connect(arguments)
        let token: SessionToken?
        do { token = try connection.session(store: store, environment: environment) } catch {
            throw Failure(.notSignedIn, error.message)
        }
        options.store = store
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
            print(help, terminator: "")
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

    /// An email is looked up among the organisation's members; anything else is taken as an id.
    private func resolveUser(_ person: String, client: CtrlHubClient, connection: Connection, me: Me) async throws -> String {
        guard person.contains("@") else { return person }
        guard let org = connection.org ?? me.organisations.first?.id else {
            throw Failure(.notFound, "You belong to no organisation, so \(person) cannot be looked up; pass the person's id instead.")
        }
        let matches = try await call { try await client.members(org: org, search: person) }
        guard let user = matches.first(where: { $0.email.caseInsensitiveCompare(person) == .orderedSame }) else {
            throw Failure(.notFound, "No member of organisation \(org) has the email \(person).")
        }
        return user.id
    }

    /// Client errors become the CLI's failures, with their exit status.
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

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

func printJSON(_ value: JSON) {
    FileHandle.standardOutput.write(value.serialized(pretty: true) + Data("\n".utf8))
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
