import Foundation
import CtrlHubKit
import Terminal

/// `$XDG_CONFIG_HOME/trainingdesk/config.json`; every key optional.
public struct Config: Equatable, Sendable {
    public var apiURL: String?
    public var authURL: String?
    public var org: String?
    public var theme: String?
    public var dateFormat: DateStyle?
    public var readOnly = false

    public init() {}

    public struct LoadError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static func directory(_ environment: [String: String]) -> URL {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return URL(fileURLWithPath: config).appendingPathComponent("trainingdesk")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".config/trainingdesk")
    }

    /// The file's settings; none when there is no file; a readable error when it is malformed.
    public static func load(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(LoadError) -> Config {
        let file = directory(environment).appendingPathComponent("config.json").path
        guard let data = FileManager.default.contents(atPath: file) else { return Config() }
        func fail(_ reason: String) -> LoadError { LoadError(message: "Config file \(file): \(reason).") }
        let json: JSON
        do { json = try JSON.parse(data) } catch { throw fail(error.description) }
        guard let object = json.object else { throw fail("it must hold one JSON object") }
        var config = Config()
        let known = ["api_url", "auth_url", "org", "theme", "date_format", "read_only"]
        for (key, value) in zip(object.keys, object.values) {
            guard known.contains(key) else { throw fail("unknown key \"\(key)\" (known: \(known.joined(separator: ", ")))") }
            if key == "read_only" {
                guard let flag = value.bool else { throw fail("\"read_only\" must be true or false") }
                config.readOnly = flag
                continue
            }
            guard let text = value.string else { throw fail("\"\(key)\" must be a string") }
            switch key {
            case "api_url": config.apiURL = text
            case "auth_url": config.authURL = text
            case "org": config.org = text
            case "theme": config.theme = text
            default:
                guard let style = DateStyle(rawValue: text) else { throw fail("\"date_format\" must be \"iso\" or \"uk\"") }
                config.dateFormat = style
            }
        }
        return config
    }
}

/// Finds a theme by name: the user's own first, then the built-in ones.
public enum Themes {
    public static let builtIn = ["default", "light", "high-contrast", "mono"]

    /// The theme to use, and a warning to show when the one asked for could not be loaded.
    /// `NO_COLOR` (set and not empty) means mono unless a theme was named.
    public static func choose(_ name: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> (Theme, String?) {
        let noColour = !(environment["NO_COLOR"] ?? "").isEmpty
        let wanted = name ?? (noColour ? "mono" : "default")
        do {
            return (try load(wanted, environment: environment), nil)
        } catch {
            let fallback = (try? load("default", environment: environment)) ?? Theme.fallback
            return (fallback, error.message + " Using the default theme.")
        }
    }

    static func load(_ name: String, environment: [String: String]) throws(Theme.LoadError) -> Theme {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw Theme.LoadError(message: "Theme name \"\(name)\" is not a plain name.")
        }
        let user = Config.directory(environment).appendingPathComponent("themes/\(name).json")
        if let data = FileManager.default.contents(atPath: user.path) {
            return try Theme.parse(data, file: user.path)
        }
        if let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Themes"),
           let data = try? Data(contentsOf: url) {
            return try Theme.parse(data, file: "themes/\(name).json")
        }
        throw Theme.LoadError(message: "No theme \"\(name)\" (built in: \(builtIn.joined(separator: ", ")); yours go in \(user.deletingLastPathComponent().path)).")
    }
}
