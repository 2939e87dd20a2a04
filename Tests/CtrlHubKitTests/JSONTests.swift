import Foundation
import Testing
@testable import CtrlHubKit

@Suite struct JSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSON.parse(#"{"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d"}, "e": ""}"#)
        #expect(value["a"] == [1, .number(-2.5), 300, true, false, nil])
        #expect(value["b"]?["c"]?.string == "d")
        #expect(value["e"]?.string == "")
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSON.parse(#"["\"\\\/\b\f\n\r\t", "\u00e9\u4e2d", "\ud83d\ude00", "\ud800x"]"#)
        #expect(value.array?[0].string == "\"\\/\u{8}\u{c}\n\r\t")
        #expect(value.array?[1].string == "é中")
        #expect(value.array?[2].string == "😀")
        #expect(value.array?[3].string == "\u{FFFD}x")
    }

    @Test func keepsKeyOrder() throws {
        let value = try JSON.parse(#"{"z": 1, "a": 2, "m": 3}"#)
        #expect(value.object?.keys == ["z", "a", "m"])
        #expect(value.text == #"{"z":1,"a":2,"m":3}"#)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\u{1}\"", "tru", "{} x", "\"\\x\"", "-", "[\"\\u12\"]"])
    func rejectsInvalidText(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSON.parse(Data([0x22, 0xFF, 0xFE, 0x22])) }
    }

    @Test func refusesDeepNestingInsteadOfCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSON.parse(deep) }
    }

    @Test func escapesWhatCouldDriveATerminal() throws {
        let value: JSON = .string("a\u{1B}]52;c;x\u{07}b\u{9B}c\u{202E}d\u{7F}")
        let text = value.text
        #expect(text == #""a\u001b]52;c;x\u0007b\u009bc\u202ed\u007f""#)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        let bidi: JSON = .string("\u{202A}\u{202B}\u{202C}\u{202D}\u{2066}\u{2067}\u{2068}\u{2069}\u{0}")
        #expect(bidi.text == #""\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u0000""#)
        // Escaped, not changed: read back, every value is exactly what was written.
        for value in [value, bidi] {
            #expect(try JSON.parse(value.serialized()) == value)
            #expect(try JSON.parse(value.serialized(pretty: true)) == value)
        }
    }

    @Test func roundTripsThroughItsOwnWriter() throws {
        let original: JSON = ["s": "é\n\"", "n": 12, "f": .number(0.25), "a": [nil, true], "o": [:]]
        #expect(try JSON.parse(original.serialized()) == original)
        #expect(try JSON.parse(original.serialized(pretty: true)) == original)
    }

    @Test func readsIntegersFromNumbersAndText() throws {
        #expect(JSON.number(40).int == 40)
        #expect(JSON.string("40").int == 40)
        #expect(JSON.number(4.5).int == nil)
    }

    @Test func readsWholeNumbersOfEveryLength() throws {
        let value = try JSON.parse("[0, -0, 7, -42, 123456789012345, 1234567890123456789, 2.50, -1e3]")
        #expect(value == [0, 0, 7, -42, 123_456_789_012_345, .number(1_234_567_890_123_456_789), .number(2.5), -1000])
    }

    @Test func stringsThatLookAlikeStayApart() throws {
        // Long strings are shared when their bytes repeat; these differ only where the lookup
        // does not look, so they all meet in one place and must still come back as sent.
        let texts = (0..<500).map { "prefix-\(String(format: "%03d", $0))-the-same-middle-and-end-0000" }
        let value = try JSON.parse(JSON.array(texts.map(JSON.string)).serialized())
        #expect(value.array?.compactMap(\.string) == texts)
        let again = try JSON.parse(#"{"training_provider_name": "St John Ambulance Training Ltd", "x": "St John Ambulance Training Ltd"}"#)
        #expect(again["x"]?.string == "St John Ambulance Training Ltd")
    }

    @Test func acceptsTextInAnyScript() throws {
        #expect(try JSON.parse(#"["Łukasz Wiśniewski", "王芳", "e\u0301"]"#) == ["Łukasz Wiśniewski", "王芳", "e\u{301}"])
    }
}
