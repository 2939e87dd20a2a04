/// Values that must differ on every run: trace ids, session tokens, login flow ids.
enum Random {
    static func traceID() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<16).map { _ in generator.next() as UInt8 })
    }

    static func sessionToken() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return "ory_st_" + String((0..<32).map { _ in alphabet.randomElement()! })
    }

    static func uuid() -> String {
        var generator = SystemRandomNumberGenerator()
        return uuidText { generator.next() }
    }
}

/// Lowercase UUID text with the version 4 and RFC 4122 variant bits set, from any byte source,
/// so seeded and truly random ids look alike.
func uuidText(_ nextByte: () -> UInt8) -> String {
    var bytes = (0..<16).map { _ in nextByte() }
    bytes[6] = (bytes[6] & 0x0F) | 0x40
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    let text = hex(bytes)
    let cuts = [8, 12, 16, 20]
    var result = ""
    for (offset, character) in text.enumerated() {
        if cuts.contains(offset) { result.append("-") }
        result.append(character)
    }
    return result
}

func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    var text = ""
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0F)])
    }
    return text
}
