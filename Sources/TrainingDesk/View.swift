import Foundation
import CtrlHubKit
import Terminal

public let minimumWidth = 40
public let minimumHeight = 10

/// Draws the state on a canvas of its size. Pure: the same state always gives the same frame.
public func view(_ state: State, ascii: Bool = false) -> Canvas {
    guard state.width >= minimumWidth, state.height >= minimumHeight else {
        var canvas = Canvas(width: state.width, height: state.height)
        let notice = wrap("terminal too small (need \(minimumWidth)x\(minimumHeight))", state.width)
        for (offset, line) in notice.enumerated() {
            canvas.put(line, x: 0, y: max(0, state.height / 2 - notice.count / 2) + offset, role: .error)
        }
        return canvas
    }
    // Made in place: a canvas still held here would make the painter copy all its cells.
    var painter = Painter(canvas: Canvas(width: state.width, height: state.height), state: state, ascii: ascii)
    painter.titleBar()
    switch state.mode {
    case .starting: painter.starting()
    case .signIn: painter.signIn()
    case .picker: painter.picker()
    case .list: painter.list()
    case .form: painter.form()
    }
    switch state.overlay {
    case .help(let top)?: painter.help(top: top)
    case .confirm(let changes, _)?: painter.confirm(changes)
    case .discard?: painter.box(["Discard changes? (y/N)"], role: .warning)
    case .signIn?: painter.signInDialog()
    case .restore(let draft)?: painter.restore(draft)
    case .draftsWaiting(let drafts)?: painter.draftsWaiting(drafts)
    case .audit(let entries)?: painter.audit(entries)
    case .conflict(let clashes, _, _)?: painter.conflict(clashes)
    case nil: break
    }
    painter.statusBar()
    return painter.canvas
}

private struct Painter {
    var canvas: Canvas
    let state: State
    let ascii: Bool

    var width: Int { state.width }
    var height: Int { state.height }

    mutating func titleBar() {
        canvas.clear(row: 0, role: .title)
        let screen: String
        switch state.mode {
        case .starting: screen = "starting"
        case .signIn: screen = "sign in"
        case .picker: screen = "find a person"
        case .list: screen = "training records"
        case .form: screen = state.readOnly ? "view a record" : "edit a record"
        }
        canvas.put(" TrainingDesk · " + screen, x: 0, y: 0, role: .title)
        let help = state.mode == .list ? "? help " : "F1 help "
        canvas.put(help, x: width - TerminalText.width(help), y: 0, role: .title)
    }

    /// Session, person and message on the last line, each cut to its share; empty parts and
    /// their separators are left out.
    mutating func statusBar() {
        let y = height - 1
        canvas.clear(row: y, role: .status)
        var session = ""
        if let info = state.session {
            // The host first: it is short and says which Ctrl Hub this is when the rest is cut.
            session = (info.demo ? "DEMO " : "") + (state.readOnly ? "READ-ONLY " : "") + info.host + " · " + info.me.user.email
            if let organisation = info.organisation { session += " · " + organisation.name }
        } else if state.demo {
            session = "DEMO"
        }
        var person = ""
        if let list = state.list, state.mode == .list || state.mode == .form {
            person = "\(list.person.displayName) (\(list.rows.count == list.all.count ? "\(list.all.count)" : "\(list.rows.count) of \(list.all.count)"))"
            if !list.filter.text.isEmpty { person += " /" + list.filter.text }
        }
        let message = state.status?.text ?? ""
        let personCells = min(TerminalText.width(person), max(12, width * 2 / 5))
        let messageCells = message.isEmpty ? 0 : min(TerminalText.width(message), max(20, width - 2 - personCells - 3 - 18))
        var parts: [(String, Role, Int)] = []
        let room = width - 2 - messageCells - (message.isEmpty ? 0 : 3) - (person.isEmpty ? 0 : personCells + 3)
        if !session.isEmpty, room > 0 { parts.append((session, .status, room)) }
        if !person.isEmpty { parts.append((person, .status, personCells)) }
        if let status = state.status {
            parts.append((status.text, status.kind == .error ? .statusError : (status.kind == .success ? .statusSuccess : .status), messageCells))
        }
        // The time left, once under an hour, goes first: it decides what can be done next.
        if let end = state.session?.expiresAt {
            let minutes = Int((end.timeIntervalSince(state.now) / 60).rounded(.up))
            if minutes <= 0 {
                parts.insert(("session expired", .statusError, 15), at: 0)
            } else if minutes <= 10 {
                parts.insert(("SESSION ENDS IN \(minutes)m", .statusWarning, 19), at: 0)
            } else if minutes < 60 {
                parts.insert(("session \(minutes)m left", .status, 16), at: 0)
            }
        }
        var x = 1
        for (index, part) in parts.enumerated() {
            if index > 0 { x += canvas.put(" │ ", x: x, y: y, role: .status) }
            x += canvas.put(TerminalText.truncate(part.0, to: min(part.2, width - x - 1)), x: x, y: y, role: part.1)
        }
    }

    mutating func starting() {
        if let error = state.startupError {
            line("TrainingDesk could not start:", y: 2, role: .error)
            var y = 3
            for part in wrap(error, width - 4) where y < height - 2 {
                line(part, y: y, x: 4)
                y += 1
            }
            line("Press q to quit.", y: min(height - 2, y + 1))
        } else {
            line("Connecting…", y: 2)
        }
    }

    mutating func signIn() {
        let host = state.session?.host ?? "Ctrl Hub"
        // Spaced out where there is room; closer on a short terminal, so the keys still show.
        let gap = height >= 12 ? 2 : 1
        line("Sign in to \(host)", y: 2, role: .label)
        field("Email", state.signIn.email, y: 2 + gap, focused: !state.signIn.focusOnPassword)
        field("Password", state.signIn.password, y: 2 + 2 * gap, focused: state.signIn.focusOnPassword)
        let keys = state.signIn.busy ? "Signing in…" : "Enter: sign in   Tab: other field   Ctrl-C: quit"
        for (offset, part) in wrapGroups(keys, width - 2).enumerated() { line(part, y: 2 + 3 * gap + offset, role: .dim) }
    }

    mutating func picker() {
        let picker = state.picker
        field("Find a person", picker.query, y: 1, focused: true)
        let nameWidth = min(34, (width - 3) / 2)
        canvas.clear(row: 2, role: .header)
        canvas.put(" Name", x: 0, y: 2, role: .header)
        canvas.put("Email", x: nameWidth + 2, y: 2, role: .header)
        if picker.loading { canvas.put("searching… ", x: width - 11, y: 2, role: .header) }
        if picker.results.isEmpty, !picker.loading, picker.answered != nil {
            line(picker.query.text.isEmpty ? "No members found." : "No one matches \"\(picker.query.text)\".", y: 3, role: .dim)
        }
        for (offset, user) in picker.results.dropFirst(picker.top).prefix(pickerRows(state)).enumerated() {
            let y = 3 + offset
            let index = picker.top + offset
            let role: Role = picker.stale ? .dim : (index == picker.selection ? .selected : .normal)
            canvas.clear(row: y, role: role)
            canvas.put(" " + user.displayName, x: 0, y: y, role: role, limit: nameWidth + 1)
            canvas.put(TerminalText.truncate(user.email, to: width - nameWidth - 3), x: nameWidth + 2, y: y, role: role)
        }
    }

    /// Column widths for a terminal width: the three fixed columns keep their size, the text
    /// columns share the rest. Where not all fit, the provider, then the completion date, then
    /// the certificate are left out (width 0) rather than all cut to nothing.
    static func columns(_ width: Int) -> [Int] {
        let minimum = [8, 10, 10, 14, 6, 6]
        var shown = Set(minimum.indices)
        // Each column takes one cell more, before it; the last cell of the row stays free.
        for column in [5, 1, 4] where shown.map({ minimum[$0] + 1 }).reduce(0, +) > width - 1 {
            shown.remove(column)
        }
        if shown.count < minimum.count {
            let spare = width - 1 - shown.count - shown.subtracting([0, 4]).map { minimum[$0] }.reduce(0, +)
            let certificate = shown.contains(4) ? max(6, spare / 3) : 0
            return minimum.indices.map { column in
                guard shown.contains(column) else { return 0 }
                return column == 0 ? max(minimum[0], spare - certificate) : (column == 4 ? certificate : minimum[column])
            }
        }
        let fixed = [10, 10, 14]
        let spare = max(0, width - 2 - fixed.reduce(0, +) - 5)
        // The certificate and provider are what gets corrected, so they get a fair share; the
        // standard stops growing once most titles fit.
        let standard = min(44, max(8, spare * 2 / 5))
        let certificate = min(24, max(6, spare * 3 / 10))
        let provider = max(6, spare - standard - certificate)
        return [standard, 10, 10, 14, certificate, provider]
    }

    mutating func list() {
        guard let list = state.list else { return }
        let sorted = "sorted by \(list.sort.label)"
        var heading = list.person.displayName
        if list.loading {
            heading += list.incomplete ? " · loading, \(list.all.count) of \(list.expected ?? 0)…" : " · loading…"
        } else if list.incomplete {
            heading += " · only \(list.all.count) of \(list.expected ?? 0) records"
        } else {
            heading += " · \(list.all.count) record\(list.all.count == 1 ? "" : "s")"
        }
        heading += " · " + list.person.email
        if list.filtering || !list.filter.text.isEmpty {
            let prompt = "/ "
            canvas.put(prompt, x: 1, y: 1, role: .label)
            let visible = list.filter.visible(in: width / 2, following: true)
            canvas.put(visible.text, x: 3, y: 1, role: list.filtering ? .field : .normal, limit: width / 2)
            if list.filtering { canvas.cursor = (3 + visible.cursor, 1) }
            let matches = " \(list.rows.count) of \(list.all.count) match · Esc clears"
            canvas.put(TerminalText.truncate(matches, to: width - 5 - width / 2), x: 4 + width / 2, y: 1, role: .dim)
        } else {
            // Who this is comes first; the sort order gets what is left, at most its length.
            let headingCells = max(width / 2, width - TerminalText.width(sorted) - 4)
            let shownHeading = TerminalText.truncate(heading, to: headingCells)
            let sortCells = min(TerminalText.width(sorted), width - TerminalText.width(shownHeading) - 4)
            canvas.put(" " + shownHeading, x: 0, y: 1, role: .label)
            canvas.put(TerminalText.truncate(sorted, to: sortCells), x: width - max(0, sortCells) - 1, y: 1, role: .dim)
        }
        let widths = Painter.columns(width)
        canvas.clear(row: 2, role: .header)
        cells(["Training standard", "Completed", "Expires", "Status", "Certificate", "Provider"], widths: widths, y: 2, roles: Array(repeating: .header, count: 6))
        let rows = listRows(state)
        if list.rows.isEmpty, !list.loading {
            line(list.all.isEmpty ? "No training records." : "No records match the filter.", y: 3, role: .dim)
        }
        let rules = state.rules
        let style = state.dateStyle
        for (offset, index) in list.rows.dropFirst(list.top).prefix(rows).enumerated() {
            let y = 3 + offset
            let completion = list.all[index]
            let selected = list.top + offset == list.selection
            let days = list.days(index, rules: rules)
            let status = CompletionStatus(expires: days.expires, today: rules.today)
            let row: Role = selected ? .selected : .normal
            let statusRole: Role
            switch status {
            case _ where selected: statusRole = .selected
            case .expired: statusRole = .expired
            case .expiring: statusRole = .warning
            case .valid: statusRole = .success
            case .noExpiry: statusRole = .dim
            }
            canvas.clear(row: y, role: row)
            cells([completion.standardTitle, days.completed.map(style.show) ?? "", days.expires.map(style.show) ?? "",
                   status.label, completion.attributes.certificateNumber ?? "", completion.attributes.trainingProviderName ?? ""],
                  widths: widths, y: y, roles: [row, row, row, statusRole, row, row])
        }
    }

    mutating func cells(_ texts: [String], widths: [Int], y: Int, roles: [Role]) {
        var x = 1
        for (index, text) in texts.enumerated() where widths[index] > 0 {
            canvas.put(TerminalText.truncate(text, to: widths[index]), x: x, y: y, role: roles[index], limit: widths[index])
            x += widths[index] + 1
        }
    }

    mutating func form() {
        guard let form = state.form else { return }
        // Rows per field: the field, then its message, then space, as far as the height allows.
        let rowsPerField = height >= 20 ? 3 : (height >= 14 ? 2 : 1)
        // A form may come from a draft on disk: each part cleaned before it is joined.
        line("Person:   \(TerminalText.clean(form.person.displayName)) <\(TerminalText.clean(form.person.email))>", y: 1)
        var standard = "Standard: \(TerminalText.clean(form.completion.standardTitle))"
        let months = form.completion.standard?.renewalPeriodMonths
        standard += months.map { " (renewed every \($0) months)" } ?? " (no renewal period)"
        line(standard, y: 2)
        var y = rowsPerField == 3 ? 4 : 3
        let hintX = 22 + fieldWidth + 2
        for field in CompletionField.allCases {
            self.field(field.label, form.fields[field] ?? TextField(), y: y, focused: form.focus == field, labelWidth: 20)
            let problem = form.problems[field].map { "! " + $0 }
            if rowsPerField > 1, let problem {
                for (offset, part) in wrap(problem, width - 23).prefix(rowsPerField - 1).enumerated() {
                    line(part, y: y + 1 + offset, x: 22, role: .error)
                }
            }
            let side = rowsPerField == 1 ? problem : nil
            let hint = field == .completed ? "YYYY-MM-DD or DD/MM/YYYY" : (field == .expires ? "empty: no expiry" : nil)
            if let text = side ?? hint, width - hintX - 1 >= 10 {
                line(text, y: y, x: hintX, role: side == nil ? .dim : .error)
            }
            y += rowsPerField
        }
        var hints = "Ctrl-S save · Esc cancel · Tab next field"
        if let months { hints += " · Ctrl-R expiry +\(months) months" }
        if state.readOnly { hints = "Read-only: this record cannot be changed here. Esc close · Tab next field" }
        for part in wrap(hints, width - 2) where y < height - 1 {
            line(part, y: y, role: .dim)
            y += 1
        }
        // The status bar may cut a long error; then it shows here whole, trace id and all.
        if let status = state.status, status.kind == .error, TerminalText.width(status.text) > width / 2 {
            y += 1
            for part in wrap(status.text, width - 2) where y < height - 1 {
                line(part, y: y, role: .error)
                y += 1
            }
        }
        if form.submitting || state.readOnly { canvas.cursor = nil }
    }

    /// Wide enough for a date at any size; the hints beside it go first when space is short.
    var fieldWidth: Int { max(12, min(40, width - 22 - 28)) }

    mutating func field(_ label: String, _ text: TextField, y: Int, focused: Bool, labelWidth: Int = 16) {
        guard y < height - 1 else { return }
        canvas.put(" " + label, x: 0, y: y, role: .label, limit: labelWidth)
        let x = labelWidth + 2
        let cells = min(width - x - 1, labelWidth == 20 ? fieldWidth : max(10, width - x - 2))
        let visible = text.visible(in: focused ? cells - 1 : cells, following: focused)
        canvas.put(visible.text, x: x, y: y, role: focused ? .focus : .field, limit: cells)
        canvas.paint(x: x, y: y, width: cells, role: focused ? .focus : .field)
        if focused { canvas.cursor = (x + visible.cursor, y) }
    }

    mutating func line(_ text: String, y: Int, x: Int = 1, role: Role = .normal) {
        guard y > 0, y < height - 1 else { return }
        canvas.put(TerminalText.truncate(text, to: width - x - 1), x: x, y: y, role: role)
    }

    mutating func help(top: Int) {
        box(helpLines(state), role: .normal, keep: 0, top: top)
    }

    mutating func confirm(_ changes: [Overlay.Change]) {
        var lines = ["Save these changes?", ""]
        // Old and new on lines of their own, wrapped: a long provider must not hide the new value.
        let inner = max(20, width - 10)
        for change in changes {
            lines.append(change.field.label + ":")
            lines += wrap("was  " + (change.old.isEmpty ? "(none)" : change.old), inner).map { "  " + $0 }
            lines += wrap("->   " + (change.new.isEmpty ? "(none)" : change.new), inner).map { "  " + $0 }
        }
        lines += ["", "y: save   n, Esc: back to the form"]
        box(lines, role: .normal)
    }

    /// When a draft was kept, in the display zone, to the minute.
    func when(_ date: Date) -> String {
        String(RFC3339.format(date, offsetSeconds: state.zone.secondsFromGMT(for: date)).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    mutating func restore(_ draft: Draft) {
        var lines = ["This record has a draft from \(when(draft.savedAt)):", ""]
        let form = state.form
        for field in CompletionField.allCases {
            let now = form?.text(field) ?? ""
            guard let kept = draft.fields[field], kept != now else { continue }
            lines.append(field.label + ":")
            lines += wrap("now   " + (now.isEmpty ? "(none)" : now), max(20, width - 10)).map { "  " + $0 }
            lines += wrap("draft " + (kept.isEmpty ? "(none)" : kept), max(20, width - 10)).map { "  " + $0 }
        }
        lines += ["", "y: restore it    d: discard the draft    n: not now"]
        box(lines, role: .normal)
    }

    mutating func conflict(_ clashes: [Overlay.Clash]) {
        func shown(_ field: CompletionField, _ value: String?) -> String {
            guard let value, !value.isEmpty else { return "(none)" }
            if field == .completed || field == .expires, let day = state.rules.day(of: value) { return state.dateStyle.show(day) }
            return value
        }
        var lines = ["This record was changed on the server since you opened it.",
                     "Fields only one side changed are merged; these were changed on both:", ""]
        for clash in clashes {
            lines.append(clash.field.label + ":")
            lines += wrap("when opened " + shown(clash.field, clash.opened), max(20, width - 10)).map { "  " + $0 }
            lines += wrap("server now  " + shown(clash.field, clash.server), max(20, width - 10)).map { "  " + $0 }
            lines += wrap("yours       " + shown(clash.field, clash.mine), max(20, width - 10)).map { "  " + $0 }
        }
        lines += ["", "k: keep mine (send)   t: take theirs   b or Esc: back to edit"]
        box(lines, role: .warning)
    }

    mutating func audit(_ entries: [AuditEntry]) {
        var lines = ["The last saves for this person (audit log), newest first:", ""]
        if entries.isEmpty { lines.append("none recorded on this machine") }
        for entry in entries {
            let outcome = entry.error == nil ? "ok" : "FAILED" + (entry.traceID.map { " (trace \($0))" } ?? "")
            lines.append("\(when(entry.time))  \(TerminalText.clean(entry.standard))  \(TerminalText.clean(outcome))")
            lines += wrap(entry.changeSummary, max(20, width - 12)).map { "    " + $0 }
        }
        lines += ["", "any key closes this"]
        box(lines, role: .normal)
    }

    mutating func draftsWaiting(_ drafts: [Draft]) {
        guard let newest = drafts.first else { return }
        var lines = [drafts.count == 1 ? "An edit was not saved last time:" : "\(drafts.count) edits were not saved; the newest:", ""]
        // From a file on disk: each part cleaned before it is joined to the next.
        lines.append("\(TerminalText.clean(newest.person.displayName)) · \(TerminalText.clean(newest.completion.standardTitle))")
        lines.append("kept \(when(newest.savedAt))")
        let opened = FormState(newest.completion, person: newest.person, rules: state.rules, style: state.dateStyle).initial
        let changed = CompletionField.allCases.filter { newest.fields[$0] != nil && newest.fields[$0] != opened[$0] }
        if !changed.isEmpty { lines += wrap("changed: " + changed.map(\.label).joined(separator: ", "), max(20, width - 10)) }
        lines += ["", "Enter: open it    Esc: later"]
        box(lines, role: .normal)
    }

    /// Sign in again over whatever is on screen; the email is usually known already.
    mutating func signInDialog() {
        let fieldCells = max(10, min(40, width - 20))
        let email = state.signIn.email.visible(in: fieldCells, following: !state.signIn.focusOnPassword)
        let password = state.signIn.password.visible(in: fieldCells, following: state.signIn.focusOnPassword)
        let lines = ["The session has expired. Sign in again to carry on;", "everything on screen stays as it is.", "",
                     "Email:    " + email.text, "Password: " + password.text, "",
                     state.signIn.busy ? "Signing in…" : "Enter: sign in   Tab: other field   Esc: cancel"]
        let shown = box(lines, role: .normal, keep: 3)
        let column = state.signIn.focusOnPassword ? password.cursor : email.cursor
        if let y = shown.rows[state.signIn.focusOnPassword ? 4 : 3] { canvas.cursor = (shown.x + 2 + 10 + column, y) }
    }

    /// A framed box in the middle of the screen; lines that do not fit are cut as `BoxRows`
    /// says, `top` being the first line after the heading. Returns the box's left column and
    /// the row each line shown is on.
    @discardableResult
    mutating func box(_ lines: [String], role: Role, keep: Int = 1, top: Int = 0) -> (x: Int, rows: [Int: Int]) {
        let inner = boxWidth(lines, screen: width)
        // A line too long for the box goes on over the next lines; `from` says whose they are.
        var texts: [String] = []
        var from: [Int] = []
        for (index, line) in lines.enumerated() {
            let parts = TerminalText.width(line) <= inner ? [line] : wrapGroups(line, inner)
            texts += parts
            from += Array(repeating: index, count: parts.count)
        }
        let cut = BoxRows(texts, room: height - 4, keep: from.filter { $0 >= lines.count - keep }.count, top: top)
        let left = (width - inner - 4) / 2
        let y = max(1, (height - cut.rows.count - 2) / 2)
        let glyphs = ascii ? ["+", "-", "+", "|", "+", "+"] : ["┌", "─", "┐", "│", "└", "┘"]
        canvas.put(glyphs[0] + String(repeating: glyphs[1], count: inner + 2) + glyphs[2], x: left, y: y, role: role)
        var rows: [Int: Int] = [:]
        for (offset, index) in cut.rows.enumerated() {
            if let index, rows[from[index]] == nil { rows[from[index]] = y + 1 + offset }
            let text = TerminalText.pad(index.map { texts[$0] } ?? cut.marker, to: inner)
            canvas.put(glyphs[3] + " " + text + " " + glyphs[3], x: left, y: y + 1 + offset, role: role)
        }
        canvas.put(glyphs[4] + String(repeating: glyphs[1], count: inner + 2) + glyphs[5], x: left, y: y + cut.rows.count + 1, role: role)
        canvas.cursor = nil
        return (left, rows)
    }
}

/// Cells inside a box's frame: its widest line, at least 30, at most what the screen leaves.
func boxWidth(_ lines: [String], screen width: Int) -> Int {
    min(width - 6, max(30, lines.map(TerminalText.width).max() ?? 0))
}

/// Which of a box's lines show in `room` rows. All, if they fit; else blank lines go first; if
/// that is not enough, the first line (what the box is) and the last `keep` (its keys) stay,
/// the lines between show from `top` on, and one line says how many are above and below.
struct BoxRows {
    /// Each row's line, or nil for the line saying what is cut.
    var rows: [Int?]
    /// How far `top` can go: 0 when nothing is cut.
    var lastTop = 0
    var marker = ""

    init(_ lines: [String], room: Int, keep: Int, top: Int) {
        if lines.count <= room {
            rows = Array(lines.indices)
            return
        }
        let filled = lines.indices.filter { !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty }
        if filled.count <= room {
            rows = filled
            return
        }
        let middle = Array(filled.dropFirst().dropLast(keep))
        let visible = max(0, room - 2 - keep)
        lastTop = max(0, middle.count - visible)
        let start = min(max(0, top), lastTop)
        let below = middle.count - start - min(visible, middle.count)
        marker = start == 0 ? "(\(below) more lines)" : (below == 0 ? "(\(start) lines above)" : "(\(start) above, \(below) below)")
        let shown = middle[start..<(start + min(visible, middle.count))]
        rows = [filled[0]]
        rows += shown.map { Optional($0) }
        rows.append(nil)
        rows += filled.suffix(keep).map { Optional($0) }
    }
}

/// The help box's lines: each key with what it does, wrapped to the screen's width. Its
/// heading says how to scroll when the screen is too short for all of it.
func helpLines(_ state: State) -> [String] {
    let bindings = KeyTable.bindings(state.mode, readOnly: state.readOnly)
    let inner = max(30, state.width - 6)
    let keyWidth = min(24, inner / 2, bindings.map { TerminalText.width($0.keyNames) }.max() ?? 0)
    var lines: [String] = []
    for binding in bindings {
        let indent = String(repeating: " ", count: keyWidth + 2)
        var help = wrap(binding.help, inner - keyWidth - 2)
        // Keys too long for their column get a line of their own.
        if TerminalText.width(binding.keyNames) > keyWidth {
            lines.append(binding.keyNames)
        } else if !help.isEmpty {
            lines.append(TerminalText.pad(binding.keyNames, to: keyWidth) + "  " + help.removeFirst())
        }
        lines += help.map { indent + $0 }
    }
    let fits = BoxRows(["Keys", ""] + lines, room: state.height - 4, keep: 0, top: 0).lastTop == 0
    return [fits ? "Keys (any key closes this help)" : "Keys: Down/Up scroll, others close", ""] + lines
}

/// How far the help can scroll at the state's size: 0 when it fits.
func helpLastTop(_ state: State) -> Int {
    BoxRows(helpLines(state), room: state.height - 4, keep: 0, top: 0).lastTop
}

/// Breaks a line to `cells`, keeping its indent and keeping whole the groups set apart by two
/// or more spaces ("y: save   n: back"), so a key never lands on a line apart from its meaning.
func wrapGroups(_ line: String, _ cells: Int) -> [String] {
    let indent = String(line.prefix { $0 == " " })
    let room = max(1, cells - indent.count)
    let groups = line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    var lines: [String] = []
    var current = ""
    for group in groups {
        let candidate = current.isEmpty ? group : current + "   " + group
        if TerminalText.width(candidate) <= room {
            current = candidate
            continue
        }
        if !current.isEmpty { lines.append(current) }
        let parts = wrap(group, room)
        lines += parts.dropLast()
        current = parts.last ?? ""
    }
    if !current.isEmpty { lines.append(current) }
    return lines.map { indent + $0 }
}

/// Breaks text into lines of at most `cells` cells, at spaces where it can.
func wrap(_ text: String, _ cells: Int) -> [String] {
    guard cells > 0 else { return [] }
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ") {
        let candidate = current.isEmpty ? String(word) : current + " " + word
        if TerminalText.width(candidate) <= cells {
            current = candidate
        } else {
            if !current.isEmpty { lines.append(current) }
            current = TerminalText.truncate(String(word), to: cells)
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}
