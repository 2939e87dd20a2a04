import Foundation

/// How each role looks: colours for terminals that have them, attributes for all.
public struct Theme: Equatable, Sendable {
    public struct Look: Equatable, Sendable {
        /// nil is the terminal's own colour; 0-15 the ANSI colours; up to 255 on 256-colour terminals.
        public var foreground: Int?
        public var background: Int?
        public var bold = false
        public var reverse = false
        public var underline = false
        public var dim = false

        public init(foreground: Int? = nil, background: Int? = nil, bold: Bool = false, reverse: Bool = false,
                    underline: Bool = false, dim: Bool = false) {
            self.foreground = foreground
            self.background = background
            self.bold = bold
            self.reverse = reverse
            self.underline = underline
            self.dim = dim
        }

        /// This look with another on top: its colours where it has them, and both attributes.
        func adding(_ other: Look) -> Look {
            Look(foreground: other.foreground ?? foreground, background: other.background ?? background,
                 bold: bold || other.bold, reverse: reverse || other.reverse,
                 underline: underline || other.underline, dim: dim || other.dim)
        }
    }

    public let name: String
    public var looks: [Role: Look]
    /// A mono theme never asks for colour, whatever the terminal can do.
    public var usesColour: Bool

    public func look(_ role: Role) -> Look {
        if let look = looks[role] { return look }
        guard let message = Theme.onStatusBar[role] else { return Look() }
        return look(.status).adding(look(message))
    }

    /// The status bar's message roles, and the role each adds to the bar's own look when a
    /// theme does not name it.
    static let onStatusBar: [Role: Role] = [.statusError: .error, .statusSuccess: .success, .statusWarning: .warning]

    public struct LoadError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }

        public init(message: String) { self.message = message }
    }

    static let colourNames = ["black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
                              "bright-black": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
                              "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15]

    /// A theme file: `{"name": ..., "colour": true, "roles": {"selected": {"fg": "default",
    /// "bg": "blue", "attrs": ["bold"]}, ...}}`. Roles left out look normal.
    public static func parse(_ data: Data, file: String) throws(LoadError) -> Theme {
        func fail(_ reason: String) -> LoadError { LoadError(message: "Theme \(file): \(reason)") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw fail("not a JSON object")
        }
        guard let roles = object["roles"] as? [String: Any] else { throw fail("no \"roles\" object") }
        var looks: [Role: Look] = [:]
        for (name, value) in roles {
            guard let role = Role(rawValue: name) else {
                throw fail("unknown role \"\(name)\"; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let spec = value as? [String: Any] else { throw fail("role \"\(name)\" is not an object") }
            var look = Look()
            look.foreground = try colour(spec["fg"], role: name, fail)
            look.background = try colour(spec["bg"], role: name, fail)
            for attribute in spec["attrs"] as? [String] ?? [] {
                switch attribute {
                case "bold": look.bold = true
                case "reverse": look.reverse = true
                case "underline": look.underline = true
                case "dim": look.dim = true
                default: throw fail("role \"\(name)\" has unknown attribute \"\(attribute)\"")
                }
            }
            looks[role] = look
        }
        return Theme(name: object["name"] as? String ?? file, looks: looks, usesColour: object["colour"] as? Bool ?? true)
    }

    private static func colour(_ value: Any?, role: String, _ fail: (String) -> LoadError) throws(LoadError) -> Int? {
        switch value {
        case nil: return nil
        case let name as String where name == "default": return nil
        case let name as String:
            guard let index = colourNames[name] else { throw fail("role \"\(role)\" has unknown colour \"\(name)\"") }
            return index
        case let number as Int where (0...255).contains(number): return number
        default: throw fail("role \"\(role)\" has a colour that is not a name or 0-255")
        }
    }

    /// Used only when no theme file can be read at all: selection and errors still show.
    public static let fallback = Theme(name: "fallback", looks: [
        .selected: Look(reverse: true), .status: Look(reverse: true), .focus: Look(reverse: true),
        .error: Look(bold: true), .expired: Look(bold: true), .header: Look(underline: true),
    ], usesColour: false)
}
