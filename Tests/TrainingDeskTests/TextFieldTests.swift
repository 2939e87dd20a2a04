import Testing
import Terminal
@testable import TrainingDesk

struct TextFieldTests {
    @Test func aPasteDropsControlsAndAHugeOneIsCut() {
        var field = TextField("A")
        let handled = field.handle(.paste("B\tC\r\nD\u{1B}E"))
        #expect(handled)
        #expect(field.text == "ABCDE")
        _ = field.handle(.paste(String(repeating: "W", count: 200_000)))
        #expect(field.text.count == TextField.longest)
    }

    @Test func theVisiblePartFollowsTheCursorAndKeepsItsCellFree() {
        var field = TextField(String(repeating: "x", count: 30) + "END")
        let end = field.visible(in: 10, following: true)
        #expect(end.text == "xxxxxxEND")
        #expect(end.cursor == 9)
        _ = field.handle(.home)
        let start = field.visible(in: 10, following: true)
        #expect(start.text == "xxxxxxxxxx" && start.cursor == 0)
        #expect(field.visible(in: 10, following: false).text == "xxxxxxxxxx")
    }

    @Test func wideCharactersScrollByTheirCells() {
        let field = TextField("漢字漢字漢字")
        let shown = field.visible(in: 7, following: true)
        #expect(shown.text == "字漢字")
        #expect(shown.cursor == 6)
    }
}
