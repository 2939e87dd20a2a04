import Foundation
import CtrlHubKit

/// Where to connect and with which session, from options, then the environment, then defaults.
public struct Connection: Sendable {
    public let configuration: ClientConfiguration
    public let org: String?

    /// Each setting from its option, else the environment, else the config file.
    public init(apiURL: String?, authURL: String?, org: String?, config: Config = Config(),
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(CtrlHubError) {
        let api = try Connection.url(apiURL ?? environment["CTRLHUB_API_URL"] ?? config.apiURL) ?? ClientConfiguration.productionAPI
        let auth = try Connection.url(authURL ?? environment["CTRLHUB_AUTH_URL"] ?? config.authURL) ?? Connection.authURL(for: api)
        configuration = try ClientConfiguration(apiURL: api, authURL: auth)
        let named = org ?? environment["CTRLHUB_ORG"] ?? config.org
        self.org = named.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func url(_ text: String?) throws(CtrlHubError) -> URL? {
        guard let text, !text.isEmpty else { return nil }
        guard let url = URL(string: text), url.host != nil else {
            throw CtrlHubError(.badURL(text, "it is not a URL such as https://api.ctrl-hub.com"))
        }
        return url
    }

    /// `https://host/` and `https://host` are the same API.
    static func sameBase(_ a: String, _ b: String) -> Bool {
        func bare(_ text: String) -> String { text.hasSuffix("/") ? String(text.dropLast()) : text }
        return bare(a) == bare(b)
    }

    /// `api.example.com` signs in at `auth.example.com`; any other host (a sandbox) serves both.
    static func authURL(for api: URL) -> URL {
        guard let host = api.host, host.hasPrefix("api."), var parts = URLComponents(url: api, resolvingAgainstBaseURL: false) else {
            return api
        }
        parts.host = "auth." + host.dropFirst(4)
        return parts.url ?? api
    }

    /// `CTRLHUB_SESSION_TOKEN` first, else the stored session when it was made for this API and
    /// has not expired.
    public func session(store: SessionStore, environment: [String: String] = ProcessInfo.processInfo.environment,
                        now: Date = Date()) throws(StoreError) -> SessionToken? {
        // A stray space or CR from a pasted token would make an invalid header.
        if let token = environment["CTRLHUB_SESSION_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            return SessionToken(token)
        }
        guard let stored = try store.load(), Connection.sameBase(stored.apiURL, configuration.apiURL.absoluteString),
              !stored.isExpired(now: now) else {
            return nil
        }
        return stored.token
    }
}
