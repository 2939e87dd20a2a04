import Foundation
import CtrlHubKit
import Terminal

/// Every decision the UI makes: a pure function from the state and an event to the next
/// state and the work to do. No I/O happens here.
public func update(_ state: inout State, _ event: Event) -> [Effect] {
    var effects = react(&state, event)
    if case .key = event {} else {
        // Keys typed ahead over a slow link are handled once what they waited for has come; a
        // message the answer brought (a failed save) stays, as they were typed before it.
        while !state.heldKeys.isEmpty, !waiting(state) {
            effects += handle(state.heldKeys.removeFirst(), &state, typedAhead: true)
        }
    }
    // Whatever moved the selection (a key, a sort, a save that sorts the record elsewhere, new
    // records, a new size), it stays on screen.
    let rows = listRows(state)
    state.list?.scroll(visible: rows)
    state.picker.top = scrolled(state.picker.top, to: state.picker.selection, visible: pickerRows(state), of: state.picker.results.count)
    return effects
}

/// Whether keys must wait: the records are still on their way, a save is out, the picker is
/// about to open a search's first result, or the session is still being checked.
func waiting(_ state: State) -> Bool {
    switch state.mode {
    case .starting: return state.startupError == nil
    // Once the first page is in, keys act on what is shown; a draft to reopen waits for all.
    case .list: return state.list.map { $0.loading && ($0.all.isEmpty || state.pendingDraft != nil) } ?? false
    case .form: return state.form?.submitting == true
    case .picker: return state.picker.openWhenAnswered
    case .signIn: return false
    }
}

private func react(_ state: inout State, _ event: Event) -> [Effect] {
    switch event {
    case .key(let key):
        return handle(key, &state)
    case .started(let unicode, let themeProblem):
        // Said once: the next message takes its place.
        let notices = [themeProblem, unicode ? nil : "no UTF-8 locale (set LANG=C.UTF-8)"].compactMap { $0 }
        if notices.isEmpty { return [] }
        return message(&state, notices.joined(separator: " · "), themeProblem == nil ? .notice : .error)
    case .resized(let width, let height):
        state.width = width
        state.height = height
        return []
    case .sessionLoaded(.success(let session)), .signedIn(.success(let session)):
        state.session = session
        if session.me.user.mayWriteCompletions == false { state.readOnly = true }
        let ticking = clock(state)
        return ticking + opened(session, &state)
    case .clock:
        return clock(state)
    case .signedOut(let error):
        state.session = nil
        state.list = nil
        state.form = nil
        state.picker = PickerState()
        state.mode = .signIn
        state.signIn = SignInState()
        let text = error.map { "Signed out here, but the server was not told: " + $0.message } ?? "Signed out."
        return message(&state, text, error == nil ? .success : .error)
    case .sessionLoaded(.failure(let error)):
        if error.kind == .unauthorised {
            state.mode = .signIn
            return message(&state, "The stored session was refused; sign in again.", .error)
        }
        state.startupError = error.message
        return []
    case .signedIn(.failure(let error)):
        state.signIn.busy = false
        state.signIn.password = TextField(masked: true)
        state.signIn.focusOnPassword = true
        return message(&state, error.message, .error)
    case .personLoaded(.success(let person)):
        return open(person, &state)
    case .personLoaded(.failure(let error)) where error.kind == .unauthorised:
        return expired(&state, resume: nil)
    case .personLoaded(.failure(let error)):
        state.mode = .picker
        return message(&state, error.message, .error) + search(&state)
    case .membersLoaded(let query, let result):
        guard query == state.picker.query.text else { return [] }
        state.picker.loading = false
        switch result {
        case .success(let users):
            state.picker.results = users.map(cleaned)
            state.picker.selection = min(state.picker.selection, max(0, users.count - 1))
            state.picker.answered = query
            if state.picker.openWhenAnswered, state.mode == .picker, let first = state.picker.results.first {
                state.picker.openWhenAnswered = false
                return open(first, &state)
            }
            return []
        case .failure(let error) where error.kind == .unauthorised:
            return expired(&state, resume: .effect(.searchMembers(query, org: state.session?.organisation?.id ?? "")))
        case .failure(let error):
            return message(&state, error.message, .error)
        }
    case .firstCompletions(let userID, let completions, let total):
        // Shown at once; a reload keeps showing the whole list it had until the new one is in.
        guard var list = state.list, list.person.id == userID, list.loading, list.all.isEmpty else { return [] }
        list.expected = total
        list.load(completions.map(cleaned), keeping: nil, rules: state.rules)
        state.list = list
        return []
    case .completionsLoaded(let userID, let result):
        guard state.list?.person.id == userID else { return [] }
        state.list?.loading = false
        switch result {
        case .success(let completions):
            let selectedID = state.list?.selected?.id
            let rules = state.rules
            state.list?.expected = nil
            state.list?.load(completions.map(cleaned), keeping: selectedID, rules: rules)
            return reopen(&state)
        case .failure(let error) where error.kind == .unauthorised:
            return expired(&state, resume: .effect(.loadCompletions(userID: userID)))
        case .failure(let error):
            if let list = state.list, list.incomplete, let expected = list.expected {
                return message(&state, "Only \(list.all.count) of \(expected) records came (r tries again): " + error.message, .error)
            }
            return message(&state, error.message, .error)
        }
    case .saved(let id, let result):
        return saved(id, result, &state)
    case .searchDue(let generation):
        guard generation == state.picker.generation, state.mode == .picker else { return [] }
        guard let org = state.session?.organisation?.id else { return [] }
        state.picker.loading = true
        return [.searchMembers(state.picker.query.text, org: org)]
    case .statusExpired(let id):
        if state.status?.id == id { state.status = nil }
        return []
    case .draftDue(let generation):
        guard let form = state.form, form.draftGeneration == generation, form.changed else { return [] }
        return [.saveDraft(form.draft(at: state.now, owner: state.draftOwner))]
    case .draftLoaded(let id, let draft):
        guard let draft, let form = state.form, form.completion.id == id, state.overlay == nil,
              draft.fields != form.fields.mapValues(\.text) else { return [] }
        state.overlay = .restore(draft)
        return []
    case .draftsListed(let drafts):
        if !drafts.isEmpty, state.overlay == nil { state.overlay = .draftsWaiting(drafts) }
        return []
    case .draftFailed(let reason):
        return message(&state, "The draft could not be kept: " + reason, .error)
    case .auditLoaded(let entries):
        state.overlay = .audit(entries)
        return []
    case .auditFailed(let reason):
        return message(&state, "The audit log could not be written: " + reason, .error)
    case .changed(let request, let server):
        return changed(request, server, &state)
    }
}

// MARK: Keys

private func handle(_ key: Key, _ state: inout State, typedAhead: Bool = false) -> [Effect] {
    // Nothing can be seen to be changed on a screen too small to show it; only quitting works.
    if state.width < minimumWidth || state.height < minimumHeight {
        return key == .control("c") && state.form?.changed != true ? [.quit] : []
    }
    if waiting(state), state.overlay == nil, key != .control("c") {
        state.heldKeys.append(key)
        return []
    }
    // An error stays until the person does something next.
    if state.status?.kind == .error, !typedAhead { state.status = nil }
    if let overlay = state.overlay { return handle(key, overlay: overlay, &state) }
    if state.startupError != nil { return key == .character("q") || key == .control("c") || key == .enter ? [.quit] : [] }
    if state.mode == .list, state.list?.filtering == true { return filterKey(key, &state) }
    guard let action = KeyTable.action(for: key, in: state.mode, readOnly: state.readOnly) else { return [] }
    if action == .redraw { return [.redraw] }
    switch state.mode {
    case .starting: return action == .quit ? [.quit] : []
    case .signIn: return signInKey(key, action, &state)
    case .picker: return pickerKey(key, action, &state)
    case .list: return listKey(action, &state)
    case .form: return formKey(key, action, &state)
    }
}

private func handle(_ key: Key, overlay: Overlay, _ state: inout State) -> [Effect] {
    switch overlay {
    case .help(let top):
        // On a short terminal the help scrolls; any other key closes it.
        let last = helpLastTop(state)
        let page = max(1, state.height - 7)
        let moves: [Key: Int] = [.down: 1, .character("j"): 1, .up: -1, .character("k"): -1, .pageDown: page, .pageUp: -page]
        if last > 0, let move = moves[key] {
            state.overlay = .help(top: min(last, max(0, top + move)))
            return []
        }
        state.overlay = nil
        return key == .control("c") ? [.quit] : []
    case .confirm(_, let attributes):
        switch key {
        case .character("y"), .character("Y"):
            state.overlay = nil
            guard var form = state.form else { return [] }
            form.submitting = true
            form.sent = form.initial.keys.reduce(into: [:]) { $0[$1] = form.text($1) }
            state.form = form
            return message(&state, "Saving \(form.completion.standardTitle)…", .busy) + [.save(SaveRequest(form, attributes))]
        case .character("n"), .character("N"), .escape:
            state.overlay = nil
            return []
        default:
            return []
        }
    case .signIn:
        switch key {
        case .escape:
            state.overlay = nil
            state.resume = nil
            state.signIn.busy = false
            return message(&state, "Not signed in: nothing was sent, and everything typed is still here.", .info)
        case .control("c"):
            return [.quit]
        default:
            let moves: [Key] = [.tab, .backTab, .up, .down]
            let action: Action = key == .enter ? .signIn : (moves.contains(key) ? .nextField : .edit)
            return signInKey(key, action, &state)
        }
    case .discard:
        state.overlay = nil
        if key == .character("y") || key == .character("Y") {
            let discarded = state.form.map { Effect.deleteDraft($0.completion.id) }
            if state.quitting { return [discarded, .quit].compactMap { $0 } }
            closeForm(&state)
            return [discarded].compactMap { $0 }
        }
        state.quitting = false
        return []
    case .restore(let draft):
        state.overlay = nil
        switch key {
        case .character("y"), .character("Y"):
            let (rules, style) = (state.rules, state.dateStyle)
            state.form?.restore(draft, rules: rules, style: style)
            return message(&state, "Draft restored: nothing is saved until you save.", .info)
        case .character("d"), .character("D"):
            return [.deleteDraft(draft.completion.id)] + message(&state, "Draft discarded.", .info)
        default:
            return []
        }
    case .audit:
        state.overlay = nil
        return []
    case .conflict(_, let keep, let server):
        switch key {
        case .character("k"), .character("K"):
            state.overlay = nil
            state.form?.submitting = true
            return message(&state, "Saving your values over the server's…", .busy) + [.save(keep)]
        case .character("t"), .character("T"):
            state.overlay = nil
            guard let form = state.form else { return [] }
            let fresh = merge(server, into: form.completion)
            state.form = FormState(fresh, person: form.person, rules: state.rules, style: state.dateStyle)
            if var list = state.list, let index = list.all.firstIndex(where: { $0.id == server.id }) {
                list.replace(fresh, at: index, rules: state.rules)
                state.list = list
            }
            return [.deleteDraft(server.id)] + message(&state, "The form now shows the server's values; yours were not sent.", .info)
        case .character("b"), .character("B"), .escape:
            state.overlay = nil
            return message(&state, "Nothing was sent; your values are as you typed them.", .info)
        default:
            return []
        }
    case .draftsWaiting(let drafts):
        state.overlay = nil
        guard key == .enter, let newest = drafts.first else { return [] }
        state.pendingDraft = newest
        return open(newest.person, &state)
    }
}

private func signInKey(_ key: Key, _ action: Action, _ state: inout State) -> [Effect] {
    switch action {
    case .nextField:
        state.signIn.focusOnPassword.toggle()
    case .signIn:
        let email = state.signIn.email.text.trimmingCharacters(in: .whitespaces)
        let password = state.signIn.password.text
        if email.isEmpty || password.isEmpty {
            return message(&state, "Type your email and password, then Enter.", .error)
        }
        if state.signIn.busy { return [] }
        state.signIn.busy = true
        return message(&state, "Signing in as \(email)…", .busy) + [.signIn(email: email, password: password)]
    case .edit:
        if state.signIn.focusOnPassword { _ = state.signIn.password.handle(key) } else { _ = state.signIn.email.handle(key) }
    case .help: state.overlay = .help(top: 0)
    case .quit: return [.quit]
    default: break
    }
    return []
}

private func pickerKey(_ key: Key, _ action: Action, _ state: inout State) -> [Effect] {
    let count = state.picker.results.count
    let page = max(1, state.height - 6)
    switch action {
    case .down: state.picker.selection = min(max(0, count - 1), state.picker.selection + 1)
    case .up: state.picker.selection = max(0, state.picker.selection - 1)
    case .pageDown: state.picker.selection = min(max(0, count - 1), state.picker.selection + page)
    case .pageUp: state.picker.selection = max(0, state.picker.selection - page)
    case .open:
        // Results of an older query must not be opened by a quick Enter: wait for the answer.
        if state.picker.stale {
            state.picker.openWhenAnswered = true
            return []
        }
        guard state.picker.results.indices.contains(state.picker.selection) else { return [] }
        return open(state.picker.results[state.picker.selection], &state)
    case .cancel:
        if state.list != nil { state.mode = .list }
    case .edit:
        let before = state.picker.query.text
        _ = state.picker.query.handle(key)
        if state.picker.query.text != before {
            state.picker.selection = 0
            state.picker.openWhenAnswered = false
            return search(&state)
        }
    case .help: state.overlay = .help(top: 0)
    case .quit: return [.quit]
    default: break
    }
    return []
}

/// Searches after a pause in typing, so a burst of keys makes one request.
private func search(_ state: inout State) -> [Effect] {
    state.picker.generation += 1
    return [.after(0.25, .searchDue(generation: state.picker.generation))]
}

private func open(_ person: User, _ state: inout State) -> [Effect] {
    state.list = ListState(person: cleaned(person))
    state.mode = .list
    return [.loadCompletions(userID: person.id)]
}

private func filterKey(_ key: Key, _ state: inout State) -> [Effect] {
    guard var list = state.list else { return [] }
    switch key {
    case .escape:
        list.filter = TextField()
        list.filtering = false
    case .enter, .tab:
        list.filtering = false
    case .down, .up:
        list.filtering = false
        list.selection = key == .down ? min(max(0, list.rows.count - 1), list.selection + 1) : max(0, list.selection - 1)
    case .control("c"):
        return [.quit]
    default:
        _ = list.filter.handle(key)
    }
    list.arrange(keeping: list.selected?.id, rules: state.rules)
    state.list = list
    return []
}

private func listKey(_ action: Action, _ state: inout State) -> [Effect] {
    guard var list = state.list else { return [] }
    let page = max(1, listRows(state))
    let last = max(0, list.rows.count - 1)
    switch action {
    case .down: list.selection = min(last, list.selection + 1)
    case .up: list.selection = max(0, list.selection - 1)
    case .pageDown: list.selection = min(last, list.selection + page)
    case .pageUp: list.selection = max(0, list.selection - page)
    case .top: list.selection = 0
    case .bottom: list.selection = last
    case .filter: list.filtering = true
    case .cancel:
        guard !list.filter.text.isEmpty else { break }
        list.filter = TextField()
        list.arrange(keeping: list.selected?.id, rules: state.rules)
    case .sort:
        list.sort = list.sort.next
        list.arrange(keeping: list.selected?.id, rules: state.rules)
        state.list = list
        return message(&state, "Sorted by \(list.sort.label).", .info)
    case .open:
        guard let completion = list.selected else { return [] }
        state.list = list
        state.form = FormState(completion, person: list.person, rules: state.rules, style: state.dateStyle)
        state.mode = .form
        return [.loadDraft(completion.id, owner: state.draftOwner)]
    case .reload:
        list.loading = true
        state.list = list
        return [.loadCompletions(userID: list.person.id)]
    case .picker:
        state.mode = .picker
        return search(&state)
    case .signOut:
        state.list = list
        return message(&state, "Signing out…", .busy) + [.signOut]
    case .audit:
        state.list = list
        return [.loadAudit(personID: list.person.id)]
    case .help: state.overlay = .help(top: 0)
    case .quit: return [.quit]
    default: break
    }
    state.list = list
    return []
}

private func formKey(_ key: Key, _ action: Action, _ state: inout State) -> [Effect] {
    guard var form = state.form else { return [] }
    let fields = CompletionField.allCases
    defer { state.form = form }
    switch action {
    case .nextField, .previousField:
        form.left.insert(form.focus)
        let index = fields.firstIndex(of: form.focus)!
        let step = action == .nextField ? 1 : fields.count - 1
        form.focus = fields[(index + step) % fields.count]
        form.check(state.rules, all: false)
    case .edit:
        _ = form.fields[form.focus]?.handle(key)
        form.problems[form.focus] = nil
        form.draftGeneration += 1
        return [.after(1, .draftDue(generation: form.draftGeneration))]
    case .renew:
        guard let months = form.completion.standard?.renewalPeriodMonths else {
            return message(&state, "This standard has no renewal period.", .info)
        }
        guard case .success(let day) = CompletionRules.parseDate(form.text(.completed)) else {
            return message(&state, "Fix the Completed date first.", .error)
        }
        form.fields[.expires] = TextField(state.dateStyle.show(day.adding(months: months)))
        form.problems[.expires] = nil
    case .save:
        if form.submitting { return message(&state, "Already saving…", .busy) }
        form.left = Set(fields)
        guard form.changed else { return message(&state, "Nothing changed: nothing to save.", .info) }
        switch state.rules.apply(form.edit, to: form.completion.attributes) {
        case .invalid:
            form.check(state.rules, all: true)
            return message(&state, "Not saved: fix the fields marked !", .error)
        case .valid:
            form.problems = [:]
            guard let confirm = confirmation(form, state) else {
                return message(&state, "Nothing changed: nothing to save.", .info)
            }
            state.overlay = confirm
        }
    case .cancel:
        if form.changed {
            state.overlay = .discard
        } else {
            state.form = nil
            state.mode = .list
            return []
        }
    case .help: state.overlay = .help(top: 0)
    case .quit:
        if form.changed {
            state.quitting = true
            state.overlay = .discard
        } else {
            return [.quit]
        }
    default: break
    }
    return []
}

/// The server's record differs from the one the form opened with. Fields only one side changed
/// merge by themselves; fields both changed are put to the person.
private func changed(_ request: SaveRequest, _ server: Completion, _ state: inout State) -> [Effect] {
    guard state.form?.completion.id == request.id else { return [] }
    state.form?.submitting = false
    var keep = server.attributes
    var clashes: [Overlay.Clash] = []
    for field in CompletionField.allCases {
        let opened = request.before[field], theirs = server.attributes[field], mine = request.attributes[field]
        if mine == opened { continue }
        keep[field] = mine
        if theirs != opened && theirs != mine {
            clashes.append(Overlay.Clash(field: field, opened: opened, server: theirs, mine: mine))
        }
    }
    let merged = SaveRequest(id: request.id, attributes: keep, before: server.attributes, person: request.person,
                             standard: request.standard)
    if clashes.isEmpty {
        state.form?.submitting = true
        return message(&state, "The record changed on the server in other fields; saving yours with theirs…", .busy) + [.save(merged)]
    }
    state.overlay = .conflict(clashes, keep: merged, server: server)
    return message(&state, "Someone changed this record since you opened it: choose what to keep.", .error)
}

/// A session is known (at start, or after signing in): carry on with whatever waited for it.
private func opened(_ session: SessionInfo, _ state: inout State) -> [Effect] {
    if state.signIn.busy { state.status = nil }
    state.signIn.busy = false
    state.signIn.password = TextField(masked: true)
    if state.overlay == .signIn {
        state.overlay = nil
        switch state.resume {
        case .effect(let effect)?:
            state.resume = nil
            return message(&state, "Signed in again; carrying on.", .success) + [effect]
        case .confirm(let confirm)?:
            state.resume = nil
            state.overlay = confirm
            return message(&state, "Signed in again. Save now?", .info)
        case nil:
            return message(&state, "Signed in again.", .success)
        }
    }
    guard state.mode == .starting || state.mode == .signIn else { return [] }
    if let wanted = state.wantedPerson, let org = session.organisation?.id {
        state.wantedPerson = nil
        state.mode = .starting
        return [.loadPerson(wanted, org: org), .listDrafts(owner: state.draftOwner)]
    }
    state.mode = .picker
    return search(&state) + [.listDrafts(owner: state.draftOwner)]
}

/// Wakes the loop each minute once the session has under an hour left, so the countdown in
/// the status bar moves; until then, once, when the hour begins.
private func clock(_ state: State) -> [Effect] {
    guard let end = state.session?.expiresAt else { return [] }
    let left = end.timeIntervalSince(state.now)
    if left <= 0 { return [] }
    return [.after(left > 3600 ? left - 3600 + 1 : 60 - left.truncatingRemainder(dividingBy: 60) + 0.5, .clock)]
}

/// Opens the record of a draft left by an earlier run, with the draft's texts in it.
private func reopen(_ state: inout State) -> [Effect] {
    guard let draft = state.pendingDraft, var list = state.list, list.person.id == draft.person.id else { return [] }
    state.pendingDraft = nil
    guard let row = list.rows.firstIndex(where: { list.all[$0].id == draft.completion.id }) else {
        return message(&state, "The record of the draft is no longer there; the draft is kept.", .error)
    }
    list.selection = row
    state.list = list
    var form = FormState(list.all[list.rows[row]], person: list.person, rules: state.rules, style: state.dateStyle)
    form.restore(draft, rules: state.rules, style: state.dateStyle)
    state.form = form
    state.mode = .form
    return message(&state, "Draft restored: nothing is saved until you save.", .info)
}

/// The confirmation for what the form would send, or nil when it would send nothing new.
private func confirmation(_ form: FormState, _ state: State) -> Overlay? {
    guard case .valid(let attributes) = state.rules.apply(form.edit, to: form.completion.attributes),
          attributes != form.completion.attributes else { return nil }
    let changes = CompletionField.allCases.compactMap { field -> Overlay.Change? in
        guard form.text(field) != form.initial[field] else { return nil }
        var new = form.text(field).trimmingCharacters(in: .whitespacesAndNewlines)
        // A date as it will be saved, so 01/02 cannot be read as January or February.
        if field == .completed || field == .expires, case .success(let day) = CompletionRules.parseDate(new) {
            new = state.dateStyle.show(day)
        }
        return Overlay.Change(field: field, old: form.initial[field] ?? "", new: new)
    }
    return .confirm(changes, attributes)
}

/// A 401 mid-work: a sign-in dialog over the screen, with the email known, and the work to
/// offer again afterwards. Everything on screen, the form included, stays as it is.
private func expired(_ state: inout State, resume: Resume?) -> [Effect] {
    state.resume = resume
    state.overlay = .signIn
    state.signIn.busy = false
    state.signIn.password = TextField(masked: true)
    if state.signIn.email.text.isEmpty, let email = state.session?.me.user.email { state.signIn.email = TextField(email) }
    state.signIn.focusOnPassword = !state.signIn.email.text.isEmpty
    return message(&state, "The session has expired: sign in again to carry on.", .error)
}

private func closeForm(_ state: inout State) {
    state.form = nil
    state.mode = .list
}

private func saved(_ id: String, _ result: Result<Completion, CtrlHubError>, _ state: inout State) -> [Effect] {
    if state.form?.completion.id == id { state.form?.submitting = false }
    switch result {
    case .success(let completion):
        let clean = cleaned(completion)
        if var list = state.list, let index = list.all.firstIndex(where: { $0.id == id }) {
            list.replace(merge(clean, into: list.all[index]), at: index, rules: state.rules)
            state.list = list
        }
        let title = clean.standard?.title ?? state.form?.completion.standardTitle ?? id
        if var form = state.form, form.completion.id == id {
            let typedSince = form.sent.map { sent in sent.contains { form.text($0.key) != $0.value } } ?? false
            if typedSince || !state.heldKeys.isEmpty {
                // Keep what was typed during the save; the record underneath is the new one.
                let reopened = FormState(merge(clean, into: form.completion), person: form.person, rules: state.rules, style: state.dateStyle)
                form.completion = reopened.completion
                form.initial = reopened.initial
                form.sent = nil
                state.form = form
                return [.deleteDraft(id)] + message(&state, "Saved \(title); you have typed more since, not yet saved.", .success)
            }
            closeForm(&state)
        }
        return [.deleteDraft(id)] + message(&state, "Saved \(title) for \(state.list?.person.displayName ?? "the person").", .success)
    case .failure(let error) where error.kind == .unauthorised:
        state.form?.sent = nil
        let again = state.form.flatMap { confirmation($0, state) }
        let keep = state.form.map { Effect.saveDraft($0.draft(at: state.now, owner: state.draftOwner)) }
        return [keep].compactMap { $0 } + expired(&state, resume: again.map(Resume.confirm))
    case .failure(let error):
        if case .forbidden = error.kind { state.readOnly = true }
        if var form = state.form, form.completion.id == id {
            for problem in error.fieldProblems {
                if let field = problem.field.flatMap(CompletionField.init(apiName:)) {
                    form.problems[field] = problem.detail ?? problem.title ?? "rejected by the server"
                }
            }
            form.sent = nil
            state.form = form
            return [.saveDraft(form.draft(at: state.now, owner: state.draftOwner))] + message(&state, "Not saved: " + error.message, .error)
        }
        return message(&state, "Not saved: " + error.message, .error)
    }
}

/// The server's answer may leave out the included standard or person; keep the ones we had.
private func merge(_ fresh: Completion, into old: Completion) -> Completion {
    Completion(id: fresh.id, attributes: fresh.attributes, userRef: fresh.userRef ?? old.userRef,
               standardRef: fresh.standardRef ?? old.standardRef, user: fresh.user ?? old.user,
               standard: fresh.standard ?? old.standard)
}

/// Errors stay until the next message; the rest fade after a few seconds.
private func message(_ state: inout State, _ text: String, _ kind: StatusMessage.Kind) -> [Effect] {
    state.messageCounter += 1
    state.status = StatusMessage(text: TerminalText.clean(text), kind: kind, id: state.messageCounter)
    return kind == .info || kind == .success ? [.after(5, .statusExpired(id: state.messageCounter))] : []
}

/// Rows of the list that fit between the header and the status bar.
func listRows(_ state: State) -> Int { max(1, state.height - 4) }

func pickerRows(_ state: State) -> Int { max(1, state.height - 4) }

/// The first row shown, moved as little as needed to keep the selection on screen.
func scrolled(_ top: Int, to selection: Int, visible: Int, of count: Int) -> Int {
    var top = top
    if selection < top { top = selection }
    if selection >= top + visible { top = selection - visible + 1 }
    return max(0, min(top, max(0, count - visible)))
}

// MARK: Helpers on the screens' state

extension ListState {
    /// Keeps the selection on screen.
    mutating func scroll(visible: Int) {
        top = scrolled(top, to: selection, visible: visible, of: rows.count)
    }
}

extension FormState {
    /// Puts a draft back: its texts in the fields, and underneath them the record as it was
    /// when the draft was made, so that a save compares against that and shows any change made
    /// on the server since as a conflict instead of overwriting it.
    mutating func restore(_ draft: Draft, rules: CompletionRules, style: DateStyle) {
        let base = Completion(id: draft.completion.id, attributes: draft.completion.attributes,
                              userRef: completion.userRef ?? draft.completion.userRef,
                              standardRef: completion.standardRef ?? draft.completion.standardRef,
                              user: completion.user ?? draft.completion.user,
                              standard: completion.standard ?? draft.completion.standard)
        let opened = FormState(base, person: person, rules: rules, style: style)
        completion = base
        initial = opened.initial
        for (field, text) in draft.fields { fields[field] = TextField(text) }
    }

    /// The fields hold the server's text cleaned, so what is edited is what is shown; a field
    /// left alone still sends the server's exact string (see `edit`).
    public init(_ completion: Completion, person: User, rules: CompletionRules, style: DateStyle) {
        let attributes = completion.attributes
        let initial: [CompletionField: String] = [
            .completed: rules.day(of: attributes.completedAt).map(style.show) ?? TerminalText.clean(attributes.completedAt),
            .expires: rules.day(of: attributes.expiresAt).map(style.show) ?? TerminalText.clean(attributes.expiresAt ?? ""),
            .certificate: TerminalText.clean(attributes.certificateNumber ?? ""),
            .provider: TerminalText.clean(attributes.trainingProviderName ?? ""),
        ]
        self.init(completion: completion, person: person, fields: initial.mapValues { TextField($0) }, initial: initial)
    }

    /// Problems for the fields already left (or all of them, on save).
    mutating func check(_ rules: CompletionRules, all: Bool) {
        problems = [:]
        if case .invalid(let found) = rules.apply(edit, to: completion.attributes) {
            for problem in found where (all || left.contains(problem.field)) && problems[problem.field] == nil {
                problems[problem.field] = problem.message
            }
        }
    }
}

extension CompletionField {
    /// The attribute a server error names.
    init?(apiName: String) {
        switch apiName {
        case "completed_at": self = .completed
        case "expires_at": self = .expires
        case "certificate_number": self = .certificate
        case "training_provider_name": self = .provider
        default: return nil
        }
    }
}

/// Names and titles from the server are cleaned once, as they enter the state. A completion's
/// four attributes stay as the server sent them, because an unchanged field must go back
/// exactly so; the form's fields start from them cleaned, and the canvas cleans every string
/// it draws, so they cannot reach the terminal raw.
func cleaned(_ user: User) -> User {
    User(id: user.id, email: TerminalText.clean(user.email), firstName: user.firstName.map(TerminalText.clean),
         lastName: user.lastName.map(TerminalText.clean), timezone: user.timezone, grants: user.grants,
         organisationIDs: user.organisationIDs)
}

func cleaned(_ completion: Completion) -> Completion {
    let standard = completion.standard.map { standard in
        TrainingStandard(id: standard.id, title: TerminalText.clean(standard.title), code: standard.code,
                         renewalPeriodMonths: standard.renewalPeriodMonths, provenance: standard.provenance,
                         standardsBody: standard.standardsBody)
    }
    return Completion(id: completion.id, attributes: completion.attributes, userRef: completion.userRef, standardRef: completion.standardRef,
                      user: completion.user.map(cleaned), standard: standard)
}
