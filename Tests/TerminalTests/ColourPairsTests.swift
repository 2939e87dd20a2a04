import Testing
@testable import Terminal

@Suite struct ColourPairsTests {
    /// A theme that asks for more colour combinations than the terminal has pairs: each
    /// combination is made once, numbers stay below the limit, and the rest draw uncoloured.
    @Test func pairsAreMadeOnceAndNeverBeyondTheTerminalsLimit() {
        let looks = Dictionary(uniqueKeysWithValues: Role.allCases.enumerated().map { index, role in
            (role, Theme.Look(foreground: index % 8, background: index / 8 == 0 ? nil : 4))
        })
        let theme = Theme(name: "many", looks: looks, usesColour: true)
        var pairs = ColourPairs(colours: 8, limit: 8)
        var made: [Int16] = []
        var numbers: [Role: Int16] = [:]
        for role in Role.allCases {
            let look = theme.look(role)
            let answer = pairs.pair(look.foreground, look.background)
            if let new = answer.new {
                made.append(answer.number)
                #expect(new.foreground == Int16(look.foreground ?? -1))
            }
            numbers[role] = answer.number
        }
        #expect(made == Array(1...7), "pairs 1 to 7 are made, in order, once each")
        #expect(numbers.values.allSatisfy { $0 < 8 })
        #expect(numbers.values.filter { $0 == 0 }.count == Role.allCases.count - 7, "the rest get the terminal's own colours")
        let again = theme.look(.normal)
        #expect(pairs.pair(again.foreground, again.background) == ColourPairs.Answer(number: numbers[.normal]!, new: nil),
                "asking again gives the same pair and makes nothing")
    }

    @Test func coloursFollowWhatTheTerminalHas() {
        let eight = ColourPairs(colours: 8, limit: 64)
        let sixteen = ColourPairs(colours: 16, limit: 256)
        let full = ColourPairs(colours: 256, limit: 32767)
        #expect(eight.fit(9) == 1, "bright red is red on an 8-colour terminal")
        #expect(sixteen.fit(9) == 9)
        #expect(eight.fit(196) == 1 && sixteen.fit(196) == 9 && full.fit(196) == 196, "a 256-colour red")
        #expect(eight.fit(33) == 4, "a 256-colour blue")
        for neutral in [16, 231, 244] {
            #expect(eight.fit(neutral) == -1 && sixteen.fit(neutral) == -1, "\(neutral): black, white and greys become the terminal's own")
        }
        #expect(eight.fit(nil) == -1)
        var none = ColourPairs(colours: 8, limit: 64)
        #expect(none.pair(nil, nil) == ColourPairs.Answer(number: 0, new: nil), "no colour asked for: no pair used")
    }
}
