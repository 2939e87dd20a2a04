import Foundation

/// A JSON value. Objects keep their keys in document order so that a request body can be
/// written exactly as the vendor's documentation shows it.
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    public subscript(key: String) -> JSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var object: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var array: [JSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// Whole numbers only; also accepts a numeric string, as some endpoints send offsets as text.
    public var int: Int? {
        switch self {
        case .number(let value) where value.rounded() == value && abs(value) < 1e15: return Int(value)
        case .string(let value): return Int(value)
        default: return nil
        }
    }

    public var isNull: Bool { self == .null }
}

/// Keys in insertion order; lookups are linear, which beats hashing for the handful of keys a
/// JSON:API attributes object has. One array of members, so a parsed object costs one allocation.
public struct JSONObject: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public let key: String
        public var value: JSON
    }

    public private(set) var members: [Member] = []

    public init() {}

    public init(_ pairs: KeyValuePairs<String, JSON>) {
        for (key, value) in pairs { self[key] = value }
    }

    init(members: [Member]) { self.members = members }

    public var keys: [String] { members.map(\.key) }
    public var values: [JSON] { members.map(\.value) }

    public subscript(key: String) -> JSON? {
        get { index(of: key).map { members[$0].value } }
        set {
            if let index = index(of: key) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    public var isEmpty: Bool { members.isEmpty }

    /// Lengths first: String's == is slow to say no, and most keys tried are the wrong ones.
    private func index(of key: String) -> Int? {
        let length = key.utf8.count
        for index in members.indices where members[index].key.utf8.count == length && members[index].key == key {
            return index
        }
        return nil
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }

    /// `nil` becomes JSON null: how an optional attribute is cleared.
    public init(_ value: String?) { self = value.map(JSON.string) ?? .null }
}

// MARK: - Parsing

public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension JSON {
    public static func parse(_ data: Data) throws(JSONParseError) -> JSON {
        // Read in place: a copy of a large page first would cost as much memory traffic again.
        let result: Result<JSON, JSONParseError> = data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self))
            return Result { () throws(JSONParseError) in try parser.document() }
        }
        return try result.get()
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        try parse(Data(text.utf8))
    }
}

/// A recursive descent parser over the bytes. Built for the 10,000-record list (issue 6,
/// docs/performance.md): members and elements are gathered on one scratch stack per parser and
/// copied out once per container at its exact size, short strings that repeat (keys, types,
/// ids) are made once and shared, and whole numbers are read without going through text.
private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0
    /// Members of the objects being parsed, innermost last.
    var members: [JSONObject.Member] = []
    /// Elements of the arrays being parsed, innermost last.
    var elements: [JSON] = []
    var strings = StringTable()
    /// Hostile input must not overflow the stack.
    static let maxDepth = 256

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func document() throws(JSONParseError) -> JSON {
        let value = try self.value()
        skipSpace()
        if index != bytes.count { throw fail("unexpected data after the value") }
        return value
    }

    func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func value() throws(JSONParseError) -> JSON {
        skipSpace()
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end of input") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw fail("unexpected character")
        }
        index += count
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nested too deeply") }
    }

    mutating func object() throws(JSONParseError) -> JSON {
        try enter()
        index += 1
        let base = members.count
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(JSONObject())
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            let value = try value()
            members.append(JSONObject.Member(key: key, value: value))
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw fail("expected ',' or '}'")
        }
        depth -= 1
        let object = JSONObject(members: Array(members[base...]))
        members.removeSubrange(base...)
        return .object(object)
    }

    mutating func array() throws(JSONParseError) -> JSON {
        try enter()
        index += 1
        let base = elements.count
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array([])
        }
        while true {
            let element = try value()
            elements.append(element)
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw fail("expected ',' or ']'")
        }
        depth -= 1
        let array = Array(elements[base...])
        elements.removeSubrange(base...)
        return .array(array)
    }

    mutating func number() throws(JSONParseError) -> JSON {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail("expected a digit") }
        var whole: Int64 = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                // Past 15 digits a Double is no longer exact; the text path below decides then.
                if index - start < 16 { whole = whole * 10 + Int64(bytes[index] - 0x30) }
                index += 1
            }
        }
        var exact = index - start - (negative ? 1 : 0) <= 15
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            exact = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("expected a digit") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            exact = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("expected a digit") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if exact { return .number(Double(negative ? -whole : whole)) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw fail("number out of range") }
        return .number(value)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    mutating func string() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, which is nearly every string an API sends.
        var high: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if high < 0x80 { return strings.string(ascii: slice) }
                return try decodeUTF8(slice, at: start)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail("control character in a string") }
            high |= byte
            index += 1
        }
        var scalars = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try scalars.withUnsafeBufferPointer { buffer throws(JSONParseError) in
                    try decodeUTF8(buffer, at: start)
                }
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail("unexpected end of input") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append(0x22)
                case UInt8(ascii: "\\"): scalars.append(0x5C)
                case UInt8(ascii: "/"): scalars.append(0x2F)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"): scalars.append(contentsOf: try unicodeEscape())
                default: throw fail("unknown escape")
                }
            default:
                if byte < 0x20 { throw fail("control character in a string") }
                scalars.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    /// Decoding repairs bad UTF-8 with U+FFFD, so the text is valid exactly when its bytes are
    /// the ones given. (The standard library's validating initialiser is generic and not
    /// specialised here, which made it the parser's largest cost.)
    func decodeUTF8(_ slice: UnsafeBufferPointer<UInt8>, at offset: Int) throws(JSONParseError) -> String {
        let text = String(decoding: slice, as: UTF8.self)
        guard sameBytes(text, slice) else {
            throw JSONParseError(offset: offset, reason: "invalid UTF-8 in a string")
        }
        return text
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("unexpected end of input") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw fail("bad \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A lone surrogate cannot be represented in a Swift string; it becomes U+FFFD.
    mutating func unicodeEscape() throws(JSONParseError) -> [UInt8] {
        var code = try hex4()
        if (0xD800...0xDBFF).contains(code) {
            let save = index
            if index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                index += 2
                let low = try hex4()
                if (0xDC00...0xDFFF).contains(low) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    index = save
                    code = 0xFFFD
                }
            } else {
                code = 0xFFFD
            }
        } else if (0xDC00...0xDFFF).contains(code) {
            code = 0xFFFD
        }
        var utf8: [UInt8] = []
        UTF8.encode(Unicode.Scalar(code) ?? "\u{FFFD}") { utf8.append($0) }
        return utf8
    }
}

/// ASCII strings seen recently, by their bytes: a list document repeats its keys, type names
/// and the ids of its person and standards thousands of times, and sharing one String for
/// each saves an allocation per use and the memory of every copy. Strings of up to 15 bytes
/// are stored inside the String value anyway, so only longer ones are kept. A slot holds the
/// last string that hashed to it; a miss just replaces it.
private struct StringTable {
    private static let slots = 1024
    private static let shortest = 16
    private static let longest = 64
    private var table = [String?](repeating: nil, count: StringTable.slots)

    mutating func string(ascii bytes: UnsafeBufferPointer<UInt8>) -> String {
        let count = bytes.count
        guard count >= Self.shortest, count <= Self.longest else { return String(decoding: bytes, as: UTF8.self) }
        // The length, the first, middle and last eight bytes: cheap, and enough to tell ids apart.
        let start = UnsafeRawPointer(bytes.baseAddress!)
        func mix(_ hash: UInt64, _ offset: Int) -> UInt64 {
            (hash ^ start.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x1000_0000_01B3
        }
        let hash = mix(mix(mix(UInt64(count) &* 0x9E37_79B9_7F4A_7C15, 0), count / 2 - 4), count - 8)
        let slot = Int(truncatingIfNeeded: (hash ^ (hash >> 29)) % UInt64(Self.slots))
        if let known = table[slot], sameBytes(known, bytes) { return known }
        let made = String(decoding: bytes, as: UTF8.self)
        table[slot] = made
        return made
    }
}

/// Whether the text is exactly these bytes, compared as memory.
private func sameBytes(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var text = text
    return text.withUTF8 { utf8 in
        utf8.count == bytes.count && (utf8.count == 0 || memcmp(utf8.baseAddress!, bytes.baseAddress!, utf8.count) == 0)
    }
}

// MARK: - Writing

extension JSON {
    /// Compact UTF-8 text. Control characters, C1 controls and bidi overrides are written as
    /// `\u` escapes so that printing the text can never drive a terminal.
    public func serialized(pretty: Bool = false) -> Data {
        var out = [UInt8]()
        out.reserveCapacity(256)
        write(to: &out, pretty: pretty, indent: 0)
        return Data(out)
    }

    public var text: String { String(decoding: serialized(), as: UTF8.self) }

    private func write(to out: inout [UInt8], pretty: Bool, indent: Int) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 {
                out.append(contentsOf: String(Int(value)).utf8)
            } else {
                out.append(contentsOf: "\(value)".utf8)
            }
        case .string(let value): JSON.writeString(value, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { JSON.newline(&out, indent + 1) }
                element.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty, !elements.isEmpty { JSON.newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (position, member) in object.members.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { JSON.newline(&out, indent + 1) }
                JSON.writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(UInt8(ascii: " ")) }
                member.value.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty, !object.isEmpty { JSON.newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                let code = scalar.value
                out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
                for shift in stride(from: 12, through: 0, by: -4) {
                    out.append(hexDigits[Int((code >> UInt32(shift)) & 0xF)])
                }
            default: UTF8.encode(scalar) { out.append($0) }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
