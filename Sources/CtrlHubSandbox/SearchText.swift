import Foundation

/// Folding for the members search: case, accents (composed or decomposed), and apostrophes do
/// not matter, so "sean" finds "Seán" and "obrien" or "o’brien" finds "O'Brien".
enum SearchText {
    /// Letters that carry their mark inside the letter, so decomposition leaves them alone.
    private static let plainLetters: [Unicode.Scalar: String] = [
        "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th",
    ]
    private static let apostrophes: Set<Unicode.Scalar> = ["'", "\u{2019}", "\u{2018}", "\u{02BC}", "`"]

    static func fold(_ text: String) -> String {
        var folded = String.UnicodeScalarView()
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: break
            }
            if apostrophes.contains(scalar) { continue }
            if let plain = plainLetters[scalar] {
                folded.append(contentsOf: plain.unicodeScalars)
            } else {
                folded.append(scalar)
            }
        }
        return String(folded)
    }

    static func matches(_ person: SandboxPerson, _ search: String) -> Bool {
        let needle = fold(search.trimmingCharacters(in: .whitespaces))
        let fields = [person.firstName, person.lastName, "\(person.firstName) \(person.lastName)",
                      "\(person.lastName) \(person.firstName)", person.email]
        return fields.contains { fold($0).contains(needle) }
    }
}
