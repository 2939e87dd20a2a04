import Foundation
import CtrlHubKit

public struct StoredSession: Equatable, Sendable {
    public let apiURL: String
    public let authURL: String
    public let email: String?
    public let expiresAt: Date?
    public let token: SessionToken

    public init(apiURL: String, authURL: String, email: String?, expiresAt: Date?, token: SessionToken) {
        self.apiURL = apiURL
        self.authURL = authURL
        self.email = email
        self.expiresAt = expiresAt
        self.token = token
    }

    public func isExpired(now: Date = Date()) -> Bool { expiresAt.map { $0 <= now } ?? false }
}

public struct StoreError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The sign-in kept between runs, under `$XDG_STATE_HOME/trainingdesk/` (directory 0700,
/// file 0600, replaced atomically). Like ssh with a private key, a file others could read or
/// change is refused rather than used.
public struct SessionStore: Sendable {
    public let directory: URL

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        directory = stateDirectory(environment)
    }

    public var file: URL { directory.appendingPathComponent("session.json") }

    public func load() throws(StoreError) -> StoredSession? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        try checkPrivate(directory.path, mode: 0o700)
        try checkPrivate(file.path, mode: 0o600)
        guard let data = FileManager.default.contents(atPath: file.path), let json = try? JSON.parse(data),
              let token = json["token"]?.string, let apiURL = json["api_url"]?.string, let authURL = json["auth_url"]?.string else {
            throw StoreError(message: "The session file \(file.path) is damaged; run `trainingdesk login` to replace it.")
        }
        return StoredSession(apiURL: apiURL, authURL: authURL, email: json["email"]?.string,
                             expiresAt: json["expires_at"]?.string.flatMap(RFC3339.parse), token: SessionToken(token))
    }

    public func save(_ session: StoredSession) throws(StoreError) {
        let body: JSON = [
            "api_url": .string(session.apiURL),
            "auth_url": .string(session.authURL),
            "email": JSON(session.email),
            "expires_at": JSON(session.expiresAt.map { RFC3339.format($0) }),
            "token": .string(session.token.secret),
        ]
        try writePrivately(body.serialized(pretty: true), to: file)
    }

    public func delete() throws(StoreError) {
        if unlink(file.path) != 0 && errno != ENOENT {
            throw StoreError(message: "Could not delete \(file.path): \(String(cString: strerror(errno))).")
        }
    }
}

func stateDirectory(_ environment: [String: String]) -> URL {
    let base: URL
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
        base = URL(fileURLWithPath: state)
    } else {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        base = URL(fileURLWithPath: home).appendingPathComponent(".local/state")
    }
    return base.appendingPathComponent("trainingdesk")
}

/// Refuses a path that anyone but its owner can read or write, or that someone else owns.
func checkPrivate(_ path: String, mode wanted: mode_t) throws(StoreError) {
    var info = stat()
    guard lstat(path, &info) == 0 else {
        throw StoreError(message: "Cannot read \(path): \(String(cString: strerror(errno))).")
    }
    let mode = info.st_mode & 0o777
    if info.st_mode & S_IFMT == S_IFLNK {
        throw StoreError(message: "\(path) is a symbolic link; refusing to follow it. Remove it and sign in again.")
    }
    if info.st_uid != geteuid() {
        throw StoreError(message: "\(path) belongs to another user; refusing to use it. Remove it and sign in again.")
    }
    if mode & 0o077 != 0 {
        throw StoreError(message: "\(path) is accessible by others (mode \(String(mode, radix: 8))); refusing to use it. Fix it with: chmod \(String(wanted, radix: 8)) \(path)")
    }
}

/// Writes a file readable only by its owner, atomically: a crash leaves the old file or the
/// new one, never half of either.
func writePrivately(_ data: Data, to file: URL) throws(StoreError) {
    try ensurePrivateDirectory(file.deletingLastPathComponent().path)
    let temporary = file.path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
        throw StoreError(message: "Cannot write \(temporary): \(String(cString: strerror(errno))).")
    }
    let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    let synced = fsync(descriptor) == 0
    close(descriptor)
    guard written == data.count, synced, rename(temporary, file.path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw StoreError(message: "Cannot write \(file.path): \(reason).")
    }
}

/// Creates the directory (0700) if needed and refuses it if others can get in.
func ensurePrivateDirectory(_ directory: String) throws(StoreError) {
    if mkdirAll(directory) != 0 {
        throw StoreError(message: "Cannot create \(directory): \(String(cString: strerror(errno))).")
    }
    try checkPrivate(directory, mode: 0o700)
}

/// `mkdir -p` with 0700 for every directory it creates.
private func mkdirAll(_ path: String) -> Int32 {
    var info = stat()
    if stat(path, &info) == 0 { return 0 }
    let parent = (path as NSString).deletingLastPathComponent
    if !parent.isEmpty, parent != path, mkdirAll(parent) != 0 { return -1 }
    if mkdir(path, 0o700) != 0 && errno != EEXIST { return -1 }
    return 0
}
