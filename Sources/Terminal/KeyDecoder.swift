/// Turns the bytes a terminal sends into keys. Pure: the loop feeds it whatever one read gave
/// and the time, and calls `expire` at `deadline`. Over a slow link an arrow key's bytes may
/// come in separate reads, so an Esc waits a moment to see whether a sequence follows.
public struct KeyDecoder: Sendable {
    /// How long an Esc waits for the rest of a sequence. Long enough for an SSH link to deliver
    /// a split key, short enough that Esc alone feels immediate. `ESCDELAY` (ms) overrides it,
    /// as it does for other ncurses programs.
    public static let escapeDelay = 0.1
    /// A paste whose end marker never comes is given up after this long without bytes, and
    /// so is the rest of a UTF-8 character: neither can be mistaken for a key of its own.
    public static let pasteDelay = 1.0
    /// A terminal's reply (OSC, DCS, APC) longer than this is not waited for to its end.
    private static let longestReply = 4096

    private static let escape: UInt8 = 0x1B
    private static let pasteStart: [UInt8] = Array("\u{1B}[200~".utf8)
    private static let pasteEnd: [UInt8] = Array("\u{1B}[201~".utf8)

    private let sequences: [[UInt8]: Key]
    private let delay: Double
    private var pending: [UInt8] = []
    private var pasted: [UInt8]?
    private var lastByte = 0.0

    /// `sequences` are the terminal's own (from terminfo); they are added to the ones xterm,
    /// PuTTY, rxvt, screen, tmux and the Linux console send, which terminfo often leaves out.
    public init(sequences: [[UInt8]: Key] = [:], escapeDelay: Double = KeyDecoder.escapeDelay) {
        self.sequences = KeyDecoder.common.merging(sequences) { _, own in own }
        delay = escapeDelay
    }

    /// When `expire` must be called if no more bytes come, or nil when nothing is waiting.
    public var deadline: Double? {
        if pasted != nil || (pending.first ?? 0) >= 0xC0 { return lastByte + KeyDecoder.pasteDelay }
        return pending.isEmpty ? nil : lastByte + delay
    }

    public mutating func feed(_ bytes: some Sequence<UInt8>, at time: Double) -> [Key] {
        pending += bytes
        lastByte = time
        var keys: [Key] = []
        while !pending.isEmpty {
            if pasted != nil {
                guard let key = takePaste() else { break }
                keys.append(key)
                continue
            }
            guard let (length, found) = next() else { break }
            if length == KeyDecoder.pasteStart.count, pending.starts(with: KeyDecoder.pasteStart) {
                pasted = []
            }
            keys += found
            pending.removeFirst(length)
        }
        return keys
    }

    /// What was waiting when its time ran out: a lone Esc, Esc then `[` or `O`, or a paste
    /// that lost its end marker. A sequence cut off part way is dropped.
    public mutating func expire(at time: Double) -> [Key] {
        guard let deadline, time >= deadline else { return [] }
        defer { pending = [] }
        if let pasted {
            self.pasted = nil
            return [.paste(String(decoding: pasted + pending, as: UTF8.self))]
        }
        if pending == [KeyDecoder.escape] { return [.escape] }
        if pending.count == 2, pending[0] == KeyDecoder.escape, pending[1] < 0x80 {
            return [.escape, .character(Character(Unicode.Scalar(pending[1])))]
        }
        return pending[0] == KeyDecoder.escape ? [] : [.character("\u{FFFD}")]
    }

    /// Moves pasted bytes out of `pending` up to the end marker; the paste once it is whole.
    private mutating func takePaste() -> Key? {
        guard var text = pasted else { return nil }
        let searchFrom = max(0, text.count - KeyDecoder.pasteEnd.count + 1)
        text += pending
        pending = []
        guard let end = KeyDecoder.find(KeyDecoder.pasteEnd, in: text, from: searchFrom) else {
            pasted = text
            return nil
        }
        // What came in the same read after the end is pasted too: a paste holding its own end
        // marker (tmux passes one on) must not be able to type Ctrl-S and y after it.
        var rest = Array(text[(end + KeyDecoder.pasteEnd.count)...])
        for marker in [KeyDecoder.pasteStart, KeyDecoder.pasteEnd] {
            while let inner = KeyDecoder.find(marker, in: rest, from: 0) { rest.removeSubrange(inner..<(inner + marker.count)) }
        }
        pending = []
        pasted = nil
        return .paste(String(decoding: text[..<end] + rest, as: UTF8.self))
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        return (start...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// The next whole key at the front of `pending`: how many bytes it took and the keys it
    /// means (none for a sequence we do not know). Nil when more bytes are needed.
    private func next() -> (Int, [Key])? {
        let first = pending[0]
        if first == KeyDecoder.escape { return escaped() }
        if first < 0x80 {
            return (1, Key.fromCharacter(Unicode.Scalar(first)).map { [$0] } ?? [])
        }
        guard let (length, scalar) = KeyDecoder.utf8(pending) else { return nil }
        guard let scalar else { return (length, [.character("\u{FFFD}")]) }
        return (length, Key.fromCharacter(scalar).map { [$0] } ?? [])
    }

    /// Esc and what follows it: a CSI or SS3 sequence, or Esc on its own. Alt with a key comes
    /// as Esc and the key, and is read as those two keys: whether a person pressed Alt-q or Esc
    /// then q cannot be told apart once a slow link has put both in one read, and losing the
    /// Esc and the q would be worse than acting on both.
    private func escaped() -> (Int, [Key])? {
        guard pending.count >= 2 else { return nil }
        switch pending[1] {
        case UInt8(ascii: "["):
            guard let length = KeyDecoder.csiLength(pending) else { return nil }
            if length < 0 { return (-length, []) }
            // An X10 mouse report: three raw bytes follow `Esc [ M`.
            if length == 3, pending[2] == UInt8(ascii: "M") { return pending.count >= 6 ? (6, []) : nil }
            return (length, lookUp(Array(pending[..<length])).map { [$0] } ?? [])
        case UInt8(ascii: "]"), UInt8(ascii: "P"), UInt8(ascii: "_"), UInt8(ascii: "^"), UInt8(ascii: "X"):
            // A terminal's reply (a colour asked for by another program, a status string):
            // dropped whole, up to BEL or `Esc \`.
            if let end = KeyDecoder.endOfReply(pending) { return (end, []) }
            return pending.count > KeyDecoder.longestReply ? (pending.count, []) : nil
        case UInt8(ascii: "O"):
            guard pending.count >= 3 else { return nil }
            return (3, lookUp(Array(pending[..<3])).map { [$0] } ?? [])
        default:
            return (1, [.escape])
        }
    }

    private static func endOfReply(_ bytes: [UInt8]) -> Int? {
        var index = 2
        while index < bytes.count {
            if bytes[index] == 0x07 { return index + 1 }
            if bytes[index] == escape, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\") { return index + 2 }
            index += 1
        }
        return nil
    }

    /// A sequence we know, also with a modifier (Ctrl-Up is `Esc [ 1 ; 5 A`, read as Up).
    private func lookUp(_ sequence: [UInt8]) -> Key? {
        if let key = sequences[sequence] { return key }
        guard let semicolon = sequence.firstIndex(of: UInt8(ascii: ";")) else { return nil }
        var plain = Array(sequence[..<semicolon]) + [sequence[sequence.count - 1]]
        if plain == Array("\u{1B}[1".utf8) + [sequence[sequence.count - 1]] { plain = Array("\u{1B}[".utf8) + [sequence[sequence.count - 1]] }
        return sequences[plain]
    }

    /// The length of the CSI sequence at the front, nil if it is not finished yet, or minus
    /// the length of a broken one (which is dropped). The Linux console's F1-F5 are `Esc [ [ A`.
    private static func csiLength(_ bytes: [UInt8]) -> Int? {
        if bytes.count >= 3, bytes[2] == UInt8(ascii: "[") { return bytes.count >= 4 ? 4 : nil }
        var index = 2
        while index < bytes.count {
            let byte = bytes[index]
            if (0x40...0x7E).contains(byte) { return index + 1 }
            // Parameters and intermediates go on; anything else means the sequence broke.
            guard (0x20...0x3F).contains(byte), index < 64 else { return -index }
            index += 1
        }
        return nil
    }

    /// The UTF-8 character at the front: its length and scalar (nil scalar if the bytes are
    /// not UTF-8), or nil when it is not all here yet.
    private static func utf8(_ bytes: [UInt8]) -> (Int, Unicode.Scalar?)? {
        let lead = bytes[0]
        let length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0
        guard length > 0 else { return (1, nil) }
        let available = min(length, bytes.count)
        for index in 1..<available where bytes[index] & 0xC0 != 0x80 { return (index, nil) }
        guard bytes.count >= length else { return nil }
        var decoder = UTF8()
        var iterator = bytes[..<length].makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return (length, scalar) }
        return (length, nil)
    }

    /// Keys as the common terminals send them, in normal and application cursor mode.
    private static let common: [[UInt8]: Key] = {
        let table: [(String, Key)] = [
            ("[A", .up), ("[B", .down), ("[C", .right), ("[D", .left),
            ("OA", .up), ("OB", .down), ("OC", .right), ("OD", .left),
            ("[H", .home), ("[F", .end), ("OH", .home), ("OF", .end),
            ("[1~", .home), ("[7~", .home), ("[4~", .end), ("[8~", .end),
            ("[3~", .delete), ("[5~", .pageUp), ("[6~", .pageDown), ("[Z", .backTab),
            ("OM", .enter),
            // rxvt's Shift and Ctrl arrows.
            ("[a", .up), ("[b", .down), ("[c", .right), ("[d", .left),
            ("Oa", .up), ("Ob", .down), ("Oc", .right), ("Od", .left),
            // The numeric keypad in application mode, which keypad mode turns on.
            ("Op", .character("0")), ("Oq", .character("1")), ("Or", .character("2")), ("Os", .character("3")),
            ("Ot", .character("4")), ("Ou", .character("5")), ("Ov", .character("6")), ("Ow", .character("7")),
            ("Ox", .character("8")), ("Oy", .character("9")), ("Oj", .character("*")), ("Ok", .character("+")),
            ("Ol", .character(",")), ("Om", .character("-")), ("On", .character(".")), ("Oo", .character("/")),
            ("OX", .character("=")),
            ("OP", .function(1)), ("OQ", .function(2)), ("OR", .function(3)), ("OS", .function(4)),
            ("[[A", .function(1)), ("[[B", .function(2)), ("[[C", .function(3)), ("[[D", .function(4)), ("[[E", .function(5)),
            ("[11~", .function(1)), ("[12~", .function(2)), ("[13~", .function(3)), ("[14~", .function(4)),
            ("[15~", .function(5)), ("[17~", .function(6)), ("[18~", .function(7)), ("[19~", .function(8)),
            ("[20~", .function(9)), ("[21~", .function(10)), ("[23~", .function(11)), ("[24~", .function(12)),
        ]
        return Dictionary(table.map { (Array(("\u{1B}" + $0.0).utf8), $0.1) }) { first, _ in first }
    }()
}
