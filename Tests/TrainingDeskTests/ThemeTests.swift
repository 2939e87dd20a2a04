import Foundation
import Testing
import Terminal
@testable import TrainingDesk

/// The shipped themes, judged as a terminal would draw them: without colour, and with the
/// terminal's own colours on a dark and on a light background.
@Suite struct ThemeTests {
    /// Every built-in theme, and the one used when no theme file can be read.
    static let names = Themes.builtIn + ["fallback"]

    static func theme(_ name: String) -> Theme {
        name == "fallback" ? .fallback : Themes.choose(name, environment: [:]).0
    }

    /// What a person must see: where they are, and what went wrong.
    static let mustShow: [Role] = [.selected, .focus, .status, .error, .expired, .statusError]

    @Test(arguments: Themes.builtIn)
    func loads(_ name: String) {
        let (theme, warning) = Themes.choose(name, environment: [:])
        #expect(warning == nil, "\(warning ?? "")")
        #expect(theme.name == name)
    }

    /// On a mono terminal (or NO_COLOR) only attributes are left, so each role that must show
    /// differs from plain text by one, and an error on the status bar differs from the bar.
    @Test(arguments: names)
    func whatMustShowStandsOutWithoutColour(_ name: String) {
        let theme = Self.theme(name)
        func attributes(_ role: Role) -> [Bool] {
            let look = theme.look(role)
            return [look.reverse, look.bold, look.underline]
        }
        for role in Self.mustShow {
            #expect(attributes(role).contains(true), "\(role) needs reverse, bold or underline, not only a colour")
            #expect(attributes(role) != attributes(.normal), "\(role) looks like plain text")
        }
        #expect(attributes(.statusError) != attributes(.status), "an error on the status bar looks like the bar")
        #expect(theme.look(.statusError).reverse == theme.look(.status).reverse, "an error keeps the bar's reverse video")
    }

    /// The selection and errors readable on a dark and on a light terminal (xterm's colours;
    /// text as large as a terminal's needs a contrast of 3). Reverse video of a colour draws
    /// the text in the terminal's own background, which is why only some colours work there.
    @Test(arguments: names)
    func selectionAndErrorsAreReadableOnDarkAndLightBackgrounds(_ name: String) {
        let theme = Self.theme(name)
        for (background, text) in [(RGB.black, RGB.white), (RGB.white, RGB.black)] {
            for role in [Role.selected, .focus, .error, .expired, .statusError] {
                let look = theme.look(role)
                var foreground = theme.usesColour ? look.foreground.map(RGB.xterm) ?? text : text
                var back = theme.usesColour ? look.background.map(RGB.xterm) ?? background : background
                if look.reverse { swap(&foreground, &back) }
                let ratio = foreground.contrast(with: back)
                #expect(ratio >= 3, "\(role) on a \(background == .black ? "dark" : "light") terminal: contrast \(ratio)")
            }
        }
    }

    /// Black, white or grey text vanishes on a background of its own colour; the terminal's
    /// own colours, reversed or not, work on both.
    @Test(arguments: names)
    func noThemeHardCodesBlackWhiteOrGrey(_ name: String) {
        let neutral = Set([0, 7, 8, 15, 16, 231] + Array(232...255))
        for (role, look) in Self.theme(name).looks {
            #expect(!neutral.contains(look.foreground ?? -1) && !neutral.contains(look.background ?? -1), "\(role)")
        }
    }
}

/// A colour as xterm shows it, and the WCAG contrast between two.
struct RGB: Equatable {
    let red: Double, green: Double, blue: Double

    static let black = RGB(red: 0, green: 0, blue: 0)
    static let white = RGB(red: 255, green: 255, blue: 255)

    static func xterm(_ index: Int) -> RGB {
        let basic: [(Double, Double, Double)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if index < 16 { return RGB(red: basic[index].0, green: basic[index].1, blue: basic[index].2) }
        if index >= 232 {
            let grey = Double(8 + 10 * (index - 232))
            return RGB(red: grey, green: grey, blue: grey)
        }
        let levels: [Double] = [0, 95, 135, 175, 215, 255]
        let cube = index - 16
        return RGB(red: levels[cube / 36], green: levels[cube / 6 % 6], blue: levels[cube % 6])
    }

    var luminance: Double {
        func linear(_ value: Double) -> Double {
            let c = value / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    func contrast(with other: RGB) -> Double {
        let (light, dark) = (max(luminance, other.luminance), min(luminance, other.luminance))
        return (light + 0.05) / (dark + 0.05)
    }
}
