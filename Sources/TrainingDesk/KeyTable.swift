import Terminal

public enum Action: Equatable, Sendable {
    case up, down, pageUp, pageDown, top, bottom
    case filter, sort, open, reload, picker, audit, signOut, help, quit
    case nextField, previousField, save, renew, cancel, edit, signIn, redraw
}

/// One line of the key table: what the input handler acts on and what help shows.
public struct Binding: Equatable, Sendable {
    public let keys: [Key]
    public let action: Action
    public let help: String

    public var keyNames: String { keys.map(\.name).joined(separator: " ") }
}

/// The one key table: `update()` looks keys up here and the help screen is drawn from it, so
/// the two cannot disagree.
public enum KeyTable {
    /// In read-only mode the keys that change records are gone, from input and help alike.
    public static func bindings(_ mode: Mode, readOnly: Bool = false) -> [Binding] {
        own(mode, readOnly: readOnly) + [Binding(keys: [.control("l")], action: .redraw, help: "redraw the screen")]
    }

    private static func own(_ mode: Mode, readOnly: Bool) -> [Binding] {
        switch (mode, readOnly) {
        case (.list, true):
            return own(.list, readOnly: false).map { binding in
                binding.action == .open ? Binding(keys: [.enter], action: .open, help: "view the selected record") : binding
            }
        case (.form, true):
            return [
                Binding(keys: [.tab, .down, .enter], action: .nextField, help: "next field"),
                Binding(keys: [.backTab, .up], action: .previousField, help: "previous field"),
                Binding(keys: [.escape], action: .cancel, help: "close the record"),
                Binding(keys: [.function(1)], action: .help, help: "this help"),
                Binding(keys: [.control("c")], action: .quit, help: "quit"),
            ]
        default:
            break
        }
        switch mode {
        case .list:
            return [
                Binding(keys: [.down, .character("j")], action: .down, help: "next record"),
                Binding(keys: [.up, .character("k")], action: .up, help: "previous record"),
                Binding(keys: [.pageDown], action: .pageDown, help: "page down"),
                Binding(keys: [.pageUp], action: .pageUp, help: "page up"),
                Binding(keys: [.character("g"), .home], action: .top, help: "first record"),
                Binding(keys: [.character("G"), .end], action: .bottom, help: "last record"),
                Binding(keys: [.character("/")], action: .filter, help: "filter on standard, provider, certificate"),
                Binding(keys: [.escape], action: .cancel, help: "clear the filter"),
                Binding(keys: [.character("s")], action: .sort, help: "next sort: expiry, completed, standard"),
                Binding(keys: [.enter, .character("e")], action: .open, help: "edit the selected record"),
                Binding(keys: [.character("r")], action: .reload, help: "reload from Ctrl Hub"),
                Binding(keys: [.character("p")], action: .picker, help: "find another person"),
                Binding(keys: [.character("a")], action: .audit, help: "the last saves for this person (audit log)"),
                Binding(keys: [.character("L")], action: .signOut, help: "sign out (revokes the session)"),
                Binding(keys: [.character("?"), .function(1)], action: .help, help: "this help"),
                Binding(keys: [.character("q"), .control("c")], action: .quit, help: "quit"),
            ]
        case .picker:
            return [
                Binding(keys: [.down], action: .down, help: "next person"),
                Binding(keys: [.up], action: .up, help: "previous person"),
                Binding(keys: [.pageDown], action: .pageDown, help: "page down"),
                Binding(keys: [.pageUp], action: .pageUp, help: "page up"),
                Binding(keys: [.enter], action: .open, help: "open the person's training"),
                Binding(keys: [.escape], action: .cancel, help: "back to the list"),
                Binding(keys: [.function(1)], action: .help, help: "this help"),
                Binding(keys: [.control("c")], action: .quit, help: "quit"),
            ] + editing("search by name or email")
        case .form:
            return [
                Binding(keys: [.tab, .down, .enter], action: .nextField, help: "next field"),
                Binding(keys: [.backTab, .up], action: .previousField, help: "previous field"),
                Binding(keys: [.control("s")], action: .save, help: "save (asks to confirm)"),
                Binding(keys: [.control("r")], action: .renew, help: "set Expires to Completed plus the renewal period"),
                Binding(keys: [.escape], action: .cancel, help: "close the form (asks first if changed)"),
                Binding(keys: [.function(1)], action: .help, help: "this help"),
                Binding(keys: [.control("c")], action: .quit, help: "quit (asks first if changed)"),
            ] + editing("type to edit the field")
        case .signIn:
            return [
                Binding(keys: [.tab, .down, .backTab, .up], action: .nextField, help: "other field"),
                Binding(keys: [.enter], action: .signIn, help: "sign in"),
                Binding(keys: [.function(1)], action: .help, help: "this help"),
                Binding(keys: [.control("c")], action: .quit, help: "quit"),
            ] + editing("type the email and password")
        case .starting:
            return [Binding(keys: [.character("q"), .control("c")], action: .quit, help: "quit")]
        }
    }

    private static func editing(_ typing: String) -> [Binding] {
        [
            Binding(keys: [.left, .right, .home, .end], action: .edit, help: "move in the text"),
            Binding(keys: [.backspace, .delete], action: .edit, help: "delete before / at the cursor"),
            Binding(keys: [.control("u")], action: .edit, help: "clear the field"),
            Binding(keys: [.character("…")], action: .edit, help: typing),
        ]
    }

    public static func action(for key: Key, in mode: Mode, readOnly: Bool = false) -> Action? {
        let typing = mode == .picker || mode == .signIn || (mode == .form && !readOnly)
        switch key {
        case .character, .paste: if typing { return .edit }
        default: break
        }
        return bindings(mode, readOnly: readOnly).first { $0.keys.contains(key) }?.action
    }
}
