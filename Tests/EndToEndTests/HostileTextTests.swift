import Foundation
import Testing
import CtrlHubSandbox

/// Text from the server that would drive a terminal, and text terminals lay out differently,
/// against the built binary: the seeded Hostile Payload and Wide Text people (docs/sandbox.md).
@Suite(.serialized) struct HostileTextTests {
    static let hostileEmail = "hostile.payload@kestrel-utilities.test"
    static let wideEmail = "wide.text@kestrel-utilities.test"

    /// What each payload looks like on screen: one marker per sequence or control.
    static let shown = ["Hostile\u{FFFD} \u{FFFD}Payload\u{FFFD}", "Hostile\u{FFFD} standard\u{FFFD}",
                        "CSI\u{FFFD}\u{FFFD}RED", "OSC52\u{FFFD}Clip", "DSR\u{FFFD}Ask", "OSC8\u{FFFD}Link\u{FFFD}End",
                        "DCS\u{FFFD}Six", "APC\u{FFFD}Kitty", "C1\u{FFFD}\u{FFFD}x\u{FFFD}",
                        "C0\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}Ctl\u{FFFD}",
                        "Bidi\u{FFFD}exe.txt\u{FFFD}", "Iso\u{FFFD}\u{FFFD}\u{FFFD}R\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}L",
                        "Cut\u{FFFD}", "Bare\u{FFFD}\u{FFFD}Reset"]

    /// Every string of the hostile person's that carries a payload, exactly as the server sends it.
    static func payloads(_ sandbox: CLISandbox) throws -> [String] {
        let data = sandbox.server.data
        let person = try #require(data.people.first { $0.email == hostileEmail })
        let records = data.completions.filter { $0.userID == person.id }
        let standards = records.compactMap { record in data.standards.first { $0.id == record.standardID } }
        let texts = [person.firstName, person.lastName, person.occupation] + standards.flatMap { [$0.title, $0.standardsBody] }
            + records.flatMap { [$0.certificateNumber ?? "", $0.providerName] }
        return texts.filter { text in
            text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
                || (0x2066...0x2069).contains($0.value) }
        }
    }

    /// Bytes that only data could have put in the stream: control strings (ncurses sends none
    /// for xterm-256color), BEL, NUL, DEL, C1 controls as UTF-8, bidi controls as UTF-8.
    static func forbidden(in bytes: [UInt8]) -> [String] {
        var found: [String] = []
        for index in bytes.indices {
            let next = index + 1 < bytes.count ? bytes[index + 1] : nil
            let third = index + 2 < bytes.count ? bytes[index + 2] : nil
            switch (bytes[index], next, third) {
            case (0x1B, 0x5D?, _), (0x1B, 0x50?, _), (0x1B, 0x5F?, _), (0x1B, 0x5E?, _), (0x1B, 0x58?, _):
                found.append("ESC \(Character(Unicode.Scalar(next!))) at \(index)")
            case (0x07, _, _), (0x00, _, _), (0x7F, _, _):
                found.append("byte \(bytes[index]) at \(index)")
            case (0xC2, let second?, _) where (0x80...0x9F).contains(second):
                found.append("C1 U+00\(String(second, radix: 16)) at \(index)")
            case (0xE2, 0x80?, let last?) where (0xAA...0xAE).contains(last), (0xE2, 0x81?, let last?) where (0xA6...0xA9).contains(last):
                found.append("bidi control at \(index)")
            default: break
            }
        }
        return found
    }

    static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    @Test func theBytesSentToTheTerminalCarryNoPayloadAndTheScreenShowsMarkers() throws {
        let sandbox = try CLISandbox()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("td-bytes-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(atPath: file.path + ".ready")
        }
        let tmux = try Tmux.recording([], environment: sandbox.environment(), width: 120, height: 30, to: file)
        try tmux.wait(for: "Find a person")
        try tmux.type("hostile")
        try tmux.wait(for: Self.hostileEmail)
        try tmux.press("Enter")
        try tmux.wait(forAll: ["6 records"] + Self.shown)

        // The record with the hostile standard, through the list's filter, in the edit form.
        try tmux.press("/")
        try tmux.type("bidi")
        try tmux.wait(for: "1 of 6 match")
        try tmux.press("Enter", "Enter")
        let form = try tmux.wait(forAll: ["Ctrl-S save", "Standard: Hostile\u{FFFD} standard\u{FFFD}", "Bidi\u{FFFD}exe.txt\u{FFFD}",
                                          "Iso\u{FFFD}\u{FFFD}\u{FFFD}R\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}L", "Hostile\u{FFFD} \u{FFFD}Payload\u{FFFD} <"])
        // The cursor ends the certificate as drawn: after its 13 cells, not after the raw text.
        try tmux.press("Tab", "Tab")
        let rows = form.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(rows.firstIndex { $0.contains("Certificate number") })
        let column = try #require(rows[line].firstRange(of: "Bidi").map { rows[line].distance(from: rows[line].startIndex, to: $0.lowerBound) })
        try tmux.wait("the cursor after the certificate") { _ in
            (try? tmux.tmux(["display-message", "-p", "-t", tmux.target, "#{cursor_x},#{cursor_y}"]))?
                .trimmingCharacters(in: .whitespacesAndNewlines) == "\(column + 13),\(line)"
        }
        try tmux.press("Escape")
        try tmux.wait(for: "training records")
        try tmux.press("q")
        try tmux.wait(for: "[exit 0]")

        // Everything the program wrote is in the file once the shell's line after it is.
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            bytes = Array((try? Data(contentsOf: file)) ?? Data())
            if Self.contains(bytes, "[exit 0]") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(Self.contains(bytes, "[exit 0]"), "the recording is complete")
        #expect(Self.contains(bytes, "Kitty") && Self.contains(bytes, "Payload"), "the recording has the drawn records")
        #expect(Self.forbidden(in: bytes).isEmpty, "\(Self.forbidden(in: bytes).prefix(10))")
        for payload in try Self.payloads(sandbox) {
            #expect(!Self.contains(bytes, payload), "\(payload.debugDescription) reached the terminal")
        }
        // Sequences ncurses itself never sends for xterm-256color, whatever it draws.
        for sequence in ["\u{1B}[6n", "\u{1B}[5mBlink", "\u{1B}[2J\u{1B}[31m"] {
            #expect(!Self.contains(bytes, sequence), "\(sequence.debugDescription) reached the terminal")
        }
    }

    /// Wide, combining and emoji text in a real terminal: every later column starts where the
    /// header says, by tmux's own measure of what it drew before it.
    @Test func wideTextNeverShiftsLaterColumns() throws {
        let sandbox = try CLISandbox()
        let tmux = try Tmux([], environment: sandbox.environment(), width: 120, height: 30)
        try tmux.wait(for: "Find a person")
        try tmux.type("wide")
        try tmux.wait(for: Self.wideEmail)
        try tmux.press("Enter")
        let screen = try tmux.wait(forAll: ["3 records", "証明書-１２３", "東京安全研修", "Ｆｕｌｌ", "Café Crew 👩🔧", "👷♀-🇬🇧-❤"])
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.first { $0.contains("Certificate") && $0.contains("Provider") })
        func column(_ text: String, in line: String) throws -> Int {
            let prefix = String(line[..<(try #require(line.range(of: text))).lowerBound])
            try tmux.tmux(["set-option", "-t", tmux.target, "@prefix", prefix])
            return Int(try tmux.tmux(["display-message", "-p", "-t", tmux.target, "#{w:@prefix}"])
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        let certificate = try column("Certificate", in: header), provider = try column("Provider", in: header)
        for (cell, next) in [("証明書", "東京"), ("É-", "Ｆｕｌｌ"), ("👷", "Café")] {
            let row = try #require(lines.first { $0.contains(cell) && $0.contains(next) }, "a row with \(cell)")
            #expect(try column(cell, in: row) == certificate, "\(row)")
            #expect(try column(next, in: row) == provider, "\(row)")
        }
        #expect(screen.contains("Wide 美咲 Téxt 👩🔧"))
        try tmux.press("q")
        try tmux.wait(for: "[exit 0]")
    }

    @Test func cliTableAndCSVCarryNoPayloadAndJSONCarriesThemExactly() throws {
        let sandbox = try CLISandbox()
        let payloads = try Self.payloads(sandbox)
        for format in ["table", "csv"] {
            let outcome = try sandbox.run(["completions", "list", "--user", Self.hostileEmail, "--format", format])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let bytes = Array(outcome.stdout.utf8)
            #expect(!bytes.contains(0x1B), "no ESC at all in \(format)")
            #expect(Self.forbidden(in: bytes).isEmpty, "\(format): \(Self.forbidden(in: bytes).prefix(10))")
            for payload in payloads where !payload.isEmpty {
                #expect(!outcome.stdout.contains(payload), "\(payload.debugDescription) in \(format)")
            }
            for text in ["CSI\u{FFFD}\u{FFFD}RED", "OSC52\u{FFFD}Clip", "APC\u{FFFD}Kitty", "Bare\u{FFFD}\u{FFFD}Reset"] {
                #expect(outcome.stdout.contains(text), "\(text) in \(format)")
            }
        }
        let id = try #require(sandbox.server.data.completions.first { $0.standardID == "b0a7d1e5-7e57-4a11-9b1d-1e57ed000003" }?.id)
        let show = try sandbox.run(["completions", "show", id])
        #expect(!show.stdout.utf8.contains(0x1B) && Self.forbidden(in: Array(show.stdout.utf8)).isEmpty)
        #expect(show.stdout.contains("Hostile\u{FFFD} standard\u{FFFD}") && show.stdout.contains("Hostile\u{FFFD} \u{FFFD}Payload\u{FFFD}"))

        let json = try sandbox.run(["completions", "list", "--user", Self.hostileEmail, "--format", "json"])
        #expect(json.status == 0)
        #expect(!json.stdout.utf8.contains(0x1B) && Self.forbidden(in: Array(json.stdout.utf8)).isEmpty, "escaped, not raw")
        for escape in ["\\u001b", "\\u0007", "\\u0000", "\\u007f", "\\u009b", "\\u202e", "\\u2066"] {
            #expect(json.stdout.contains(escape), "\(escape)")
        }
        let records = try #require(try parseJSON(json.stdout) as? [[String: Any]])
        #expect(records.count == 6)
        for record in records {
            let stored = try #require(sandbox.server.data.completions.first { $0.id == record["id"] as? String })
            let title = sandbox.server.data.standards.first { $0.id == stored.standardID }?.title
            #expect((record["certificate_number"] as? String)?.unicodeScalars.elementsEqual(stored.certificateNumber!.unicodeScalars) == true)
            #expect((record["training_provider_name"] as? String)?.unicodeScalars.elementsEqual(stored.providerName.unicodeScalars) == true)
            #expect(((record["training_standard"] as? [String: Any])?["title"] as? String)?.unicodeScalars
                .elementsEqual(title!.unicodeScalars) == true)
        }
    }
}
