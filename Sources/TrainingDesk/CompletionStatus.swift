import Foundation
import CtrlHubKit

/// Where a completion stands today, in words that read without colour.
public enum CompletionStatus: Equatable, Sendable {
    case expired
    case expiring(days: Int)
    case valid
    case noExpiry

    /// "Expiring" means within this many days.
    public static let warningDays = 30

    public init(expires: CivilDate?, today: CivilDate) {
        guard let expires else {
            self = .noExpiry
            return
        }
        let days = expires.daysSinceEpoch - today.daysSinceEpoch
        if days < 0 {
            self = .expired
        } else if days <= CompletionStatus.warningDays {
            self = .expiring(days: days)
        } else {
            self = .valid
        }
    }

    public init(_ completion: Completion, rules: CompletionRules) {
        self.init(expires: rules.day(of: completion.attributes.expiresAt), today: rules.today)
    }

    /// For screens and tables.
    public var label: String {
        switch self {
        case .expired: return "EXPIRED"
        case .expiring(let days): return days == 0 ? "expires today" : "expires in \(days)d"
        case .valid: return "valid"
        case .noExpiry: return "no expiry"
        }
    }

    /// For JSON and CSV, stable for scripts.
    public var code: String {
        switch self {
        case .expired: return "expired"
        case .expiring: return "expiring"
        case .valid: return "valid"
        case .noExpiry: return "no-expiry"
        }
    }
}

/// The zone dates are shown and typed in: the person's profile zone, else `TZ`, else UTC.
public func displayZone(profile: String?,
                        environment: @autoclosure () -> [String: String] = ProcessInfo.processInfo.environment) -> TimeZone {
    func named(_ name: String?) -> TimeZone? {
        guard let name, !name.isEmpty else { return nil }
        return TimeZone(identifier: name.hasPrefix(":") ? String(name.dropFirst()) : name)
    }
    // The environment only when the profile names no zone: reading it builds a dictionary,
    // and every frame asks.
    return named(profile) ?? named(environment()["TZ"]) ?? TimeZone(identifier: "UTC")!
}
