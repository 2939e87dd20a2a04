import Foundation
import Testing
import CtrlHubKit
import Terminal
@testable import TrainingDesk

@Suite struct SettingsTests {
    func configHome(_ files: [String: String]) throws -> [String: String] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("td-config-\(UUID().uuidString)")
        for (path, text) in files {
            let url = home.appendingPathComponent("trainingdesk/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return ["XDG_CONFIG_HOME": home.path, "HOME": "/nonexistent"]
    }

    @Test func noColorMeansMonoUnlessAThemeIsNamed() {
        #expect(Themes.choose(nil, environment: ["NO_COLOR": "1"]).0.name == "mono")
        #expect(Themes.choose(nil, environment: ["NO_COLOR": ""]).0.name == "default")
        #expect(Themes.choose("light", environment: ["NO_COLOR": "1"]).0.name == "light")
    }

    @Test func aUserThemeOverridesAndABrokenOneIsReported() throws {
        let environment = try configHome([
            "themes/light.json": #"{"name": "my light", "roles": {"selected": {"bg": 33, "attrs": ["reverse"]}}}"#,
            "themes/broken.json": #"{"roles": {"selected": {"fg": "chartreuse"}}}"#,
        ])
        #expect(Themes.choose("light", environment: environment).0.name == "my light")
        let (fallback, warning) = Themes.choose("broken", environment: environment)
        #expect(fallback.name == "default")
        #expect(warning?.contains("broken.json") == true)
        #expect(warning?.contains("chartreuse") == true)
        #expect(Themes.choose("../etc/passwd", environment: environment).1 != nil)
        #expect(Themes.choose("nosuch", environment: environment).1?.contains("No theme \"nosuch\"") == true)
    }

    @Test func theConfigFileIsReadAndAMalformedOneNamesTheProblem() throws {
        let good = try configHome(["config.json": #"{"api_url": "https://api.ctrl-hub.dev", "theme": "mono", "date_format": "uk"}"#])
        let config = try Config.load(good)
        #expect(config.apiURL == "https://api.ctrl-hub.dev")
        #expect(config.dateFormat == .uk)
        let connection = try Connection(apiURL: nil, authURL: nil, org: nil, config: config, environment: good)
        #expect(connection.configuration.authURL.absoluteString == "https://auth.ctrl-hub.dev")
        for (text, problem) in [("{", "invalid JSON"), ("[]", "one JSON object"), (#"{"colour": "x"}"#, "unknown key \"colour\""),
                                (#"{"theme": 3}"#, "must be a string"), (#"{"date_format": "us"}"#, "\"iso\" or \"uk\"")] {
            let environment = try configHome(["config.json": text])
            #expect(throws: Config.LoadError.self) { try Config.load(environment) }
            do { _ = try Config.load(environment) } catch {
                #expect(error.message.contains("config.json"), "\(text)")
                #expect(error.message.contains(problem), "\(text): \(error.message)")
            }
        }
        #expect(try Config.load(try configHome([:])) == Config())
    }

    @Test func ukDatesAreShownAndBothFormsAccepted() {
        var state = World.listState()
        state.dateStyle = .uk
        _ = World.press(&state, .enter)
        #expect(state.form?.text(.completed) == "01/06/2021")
        #expect(view(state).lines.contains { $0.contains("01/06/2021") })
        _ = World.press(&state, .tab, .control("u"))
        World.type(&state, "2027-06-01")
        _ = World.press(&state, .control("s"))
        guard case .confirm(_, let attributes)? = state.overlay else {
            Issue.record("ISO input must be accepted in UK mode")
            return
        }
        #expect(attributes.expiresAt == "2027-05-31T23:00:00Z")
    }

    @Test func theKeysPageListsEveryBinding() throws {
        let page = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/keys.md"), encoding: .utf8)
        for mode in [Mode.list, .picker, .form, .signIn] {
            for binding in KeyTable.bindings(mode) {
                #expect(page.contains("| \(binding.keyNames) | \(binding.help) |"), "\(mode): \(binding.keyNames)")
            }
        }
    }
}
