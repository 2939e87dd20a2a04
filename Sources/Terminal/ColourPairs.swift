/// The colour pairs a terminal has, handed out once per combination of colours. Pure, so the
/// limits can be tested without a terminal; `Screen` makes each new pair with `init_pair`.
public struct ColourPairs: Sendable {
    /// A pair number and the colours to make it with, when it was not made before.
    public struct Answer: Equatable, Sendable {
        public let number: Int16
        public let new: (foreground: Int16, background: Int16)?

        public static func == (lhs: Answer, rhs: Answer) -> Bool {
            lhs.number == rhs.number && lhs.new?.foreground == rhs.new?.foreground && lhs.new?.background == rhs.new?.background
        }
    }

    private struct Key: Hashable {
        let foreground: Int
        let background: Int
    }

    /// How many colours and pairs the terminal has (`COLORS`, `COLOR_PAIRS`).
    public let colours: Int
    public let limit: Int
    private var numbers: [Key: Int16] = [:]

    public init(colours: Int, limit: Int) {
        self.colours = colours
        self.limit = min(limit, Int(Int16.max))
    }

    /// The pair for two theme colours (nil: the terminal's own). Pair 0, the terminal's own
    /// colours, when every pair is taken: the text stays readable, only uncoloured.
    public mutating func pair(_ foreground: Int?, _ background: Int?) -> Answer {
        let key = Key(foreground: fit(foreground), background: fit(background))
        if key == Key(foreground: -1, background: -1) { return Answer(number: 0, new: nil) }
        if let known = numbers[key] { return Answer(number: known, new: nil) }
        let next = numbers.count + 1
        guard next < limit else { return Answer(number: 0, new: nil) }
        numbers[key] = Int16(next)
        return Answer(number: Int16(next), new: (Int16(key.foreground), Int16(key.background)))
    }

    /// A colour the terminal has, or the nearest it has: a bright colour becomes its basic form
    /// on an 8-colour terminal, a 256-colour one the basic colour of its hue. Black, white and
    /// greys become the terminal's own (-1), which suits its background whatever it is.
    func fit(_ colour: Int?) -> Int {
        guard let colour, colour >= 0 else { return -1 }
        if colour < colours { return colour }
        if colour < 16 { return colours >= 8 ? colour % 8 : -1 }
        guard colour < 232, colours >= 8 else { return -1 }
        let cube = colour - 16
        let (red, green, blue) = (cube / 36, cube / 6 % 6, cube % 6)
        let basic = (red >= 3 ? 1 : 0) | (green >= 3 ? 2 : 0) | (blue >= 3 ? 4 : 0)
        if basic == 0 || basic == 7 { return -1 }
        return colours >= 16 && max(red, green, blue) == 5 ? basic + 8 : basic
    }
}
