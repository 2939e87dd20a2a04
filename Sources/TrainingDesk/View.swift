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
    case .help?: painter.help()
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
            parts.append((status.text, status.kind == .error ? .error : (status.kind == .success ? .success : .status), messageCells))
        }
        // The time left, once under an hour, goes first: it decides what can be done next.
        if let end = state.session?.expiresAt {
            let minutes = Int((end.timeIntervalSince(state.now) / 60).rounded(.up))
            if minutes <= 0 {
                parts.insert(("session expired", .error, 15), at: 0)
            } else if minutes <= 10 {
                parts.insert(("SESSION ENDS IN \(minutes)m", .warning, 19), at: 0)
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
        line("Sign in to \(host)", y: 2, role: .label)
        field("Email", state.signIn.email, y: 4, focused: !state.signIn.focusOnPassword)
        field("Password", state.signIn.password, y: 6, focused: state.signIn.focusOnPassword)
        line(state.signIn.busy ? "Signing in…" : "Enter: sign in   Tab: other field   Ctrl-C: quit", y: 8, role: .dim)
    }

    mutating func picker() {
        let picker = state.picker
        field("Find a person", picker.query, y: 1, focused: true)
        let nameWidth = min(34, (width - 3) / 2)
        canvas.clear(row: 2, role: .header)
        canvas.put(" Name", x: 0, y: 2, role: .header)
        canvas.put("Email", x: nameWidth + 2, y: 2, role: .header)
        if picker.loading { canvas.put("searching… ", x: width - 11, y: 2, role: .header) }
        let rows = max(1, height - 4)
        if picker.results.isEmpty, !picker.loading, picker.answered != nil {
            line(picker.query.text.isEmpty ? "No members found." : "No one matches \"\(picker.query.text)\".", y: 3, role: .dim)
        }
        let top = max(0, min(picker.selection - rows + 1, picker.results.count - rows))
        for (offset, user) in picker.results.dropFirst(max(0, top)).prefix(rows).enumerated() {
            let y = 3 + offset
            let index = max(0, top) + offset
            let role: Role = picker.stale ? .dim : (index == picker.selection ? .selected : .normal)
            canvas.clear(row: y, role: role)
            canvas.put(" " + user.displayName, x: 0, y: y, role: role, limit: nameWidth + 1)
            canvas.put(user.email, x: nameWidth + 2, y: y, role: role, limit: width - nameWidth - 3)
        }
    }

    /// Column widths for a terminal width: the three fixed columns keep their size, the text
    /// columns share the rest.
    static func columns(_ width: Int) -> [Int] {
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
            canvas.put(matches, x: 4 + width / 2, y: 1, role: .dim, limit: width - 5 - width / 2)
        } else {
            canvas.put(" " + TerminalText.truncate(heading, to: width - TerminalText.width(sorted) - 4), x: 0, y: 1, role: .label)
            canvas.put(sorted, x: width - TerminalText.width(sorted) - 1, y: 1, role: .dim)
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
        for (index, text) in texts.enumerated() {
            canvas.put(TerminalText.truncate(text, to: widths[index]), x: x, y: y, role: roles[index], limit: widths[index])
            x += widths[index] + 1
        }
    }

    mutating func form() {
        guard let form = state.form else { return }
        // Rows per field: the field, then its message, then space, as far as the height allows.
        let rowsPerField = height >= 20 ? 3 : (height >= 14 ? 2 : 1)
        line("Person:   \(form.person.displayName) <\(form.person.email)>", y: 1)
        var standard = "Standard: \(form.completion.standardTitle)"
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

    mutating func help() {
        let bindings = KeyTable.bindings(state.mode, readOnly: state.readOnly)
        var lines = ["Keys (any key closes this help)", ""]
        let keyWidth = min(24, bindings.map { TerminalText.width($0.keyNames) }.max() ?? 0)
        lines += bindings.map { TerminalText.pad($0.keyNames, to: keyWidth) + "  " + $0.help }
        box(lines, role: .normal)
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
        lines += ["", "y: save    n or Esc: back to the form"]
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
            lines.append("\(when(entry.time))  \(entry.standard)  \(outcome)")
            lines += wrap(entry.changeSummary, max(20, width - 12)).map { "    " + $0 }
        }
        lines += ["", "any key closes this"]
        box(lines, role: .normal)
    }

    mutating func draftsWaiting(_ drafts: [Draft]) {
        guard let newest = drafts.first else { return }
        var lines = [drafts.count == 1 ? "An edit was not saved last time:" : "\(drafts.count) edits were not saved; the newest:", ""]
        lines.append("\(newest.person.displayName) · \(newest.completion.standardTitle)")
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
        let origin = box(lines, role: .normal)
        let row = state.signIn.focusOnPassword ? 4 : 3
        let column = state.signIn.focusOnPassword ? password.cursor : email.cursor
        if origin.y + 1 + row < height - 1 { canvas.cursor = (origin.x + 2 + 10 + column, origin.y + 1 + row) }
    }

    /// A framed box in the middle of the screen, cut to fit; returns its top left corner.
    @discardableResult
    mutating func box(_ lines: [String], role: Role) -> (x: Int, y: Int) {
        let inner = min(width - 6, max(30, lines.map(TerminalText.width).max() ?? 0))
        let rows = min(height - 4, lines.count)
        let left = (width - inner - 4) / 2
        let top = max(1, (height - rows - 2) / 2)
        let glyphs = ascii ? ["+", "-", "+", "|", "+", "+"] : ["┌", "─", "┐", "│", "└", "┘"]
        canvas.put(glyphs[0] + String(repeating: glyphs[1], count: inner + 2) + glyphs[2], x: left, y: top, role: role)
        for index in 0..<rows {
            let text = TerminalText.pad(lines[index], to: inner)
            canvas.put(glyphs[3] + " " + text + " " + glyphs[3], x: left, y: top + 1 + index, role: role)
        }
        canvas.put(glyphs[4] + String(repeating: glyphs[1], count: inner + 2) + glyphs[5], x: left, y: top + rows + 1, role: role)
        canvas.cursor = nil
        return (left, top)
    }
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
