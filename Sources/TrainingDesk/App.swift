import Foundation
import CtrlHubKit
import Terminal

public struct AppOptions: Sendable {
    public var demo = false
    public var person: String?
    public var theme = Theme.fallback
    /// Shown in the status bar at start (a theme that failed to load).
    public var notice: String?
    public var dateStyle = DateStyle.iso
    public var organisation: String?
    /// Where a sign-in made in the UI is kept; nil keeps it in memory only.
    public var store: SessionStore?
    /// Where unsaved edits are kept; nil keeps none (the demo).
    public var drafts: DraftStore?
    public var readOnly = false
    /// Where save attempts are recorded; nil records none (the demo).
    public var audit: AuditLog?
    /// When the session given to the UI ends, where known.
    public var sessionExpiresAt: Date?

    public init() {}
}

/// The terminal UI's main loop: keys and finished effects in, frames out. It sleeps in poll()
/// on the terminal and the inbox, so an idle program uses no CPU and writes nothing.
public enum App {
    /// Runs until the person quits; returns the exit status.
    public static func run(client: CtrlHubClient, options: AppOptions) -> Int32 {
        let inbox = Inbox()
        let runner = Runner(client: client, inbox: inbox, store: options.store, drafts: options.drafts,
                            audit: options.audit, demo: options.demo, organisation: options.organisation,
                            expiresAt: options.sessionExpiresAt)
        // Before the screen starts, so ncurses leaves SIGWINCH to us: in a threaded program its
        // own handler may run on a thread that is not the one waiting in poll().
        let signals = watchSignals(inbox)
        let screen: Screen
        do {
            screen = try Screen(theme: options.theme)
        } catch {
            signals.forEach { $0.cancel() }
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            return 1
        }
        defer {
            signals.forEach { $0.cancel() }
            screen.end()
        }

        let size = screen.size
        var state = State(width: size.width, height: size.height, dateStyle: options.dateStyle, demo: options.demo)
        state.wantedPerson = options.person
        state.readOnly = options.readOnly
        var effects = update(&state, .started(unicode: screen.unicode, themeProblem: options.notice))
        if client.token == nil {
            state.mode = .signIn
        } else {
            effects += [.loadSession]
        }
        var shown: Canvas?
        let ascii = !screen.unicode

        while true {
            for effect in effects {
                if effect == .quit { return 0 }
                if effect == .redraw {
                    screen.invalidate()
                    shown = nil
                }
                runner.perform(effect)
            }
            effects = []
            if let number = inbox.terminatedBy { return keepDraft(state, options, status: 128 + number) }
            state.now = Date()
            let frame = view(state, ascii: ascii)
            if frame != shown {
                screen.draw(frame)
                shown = frame
            }
            var waiting = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: inbox.readEnd, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&waiting, 2, screen.wait)
            if ready < 0, errno != EINTR { return keepDraft(state, options, status: 1) }
            // The terminal went away (a dropped SSH connection): stop, do not spin.
            guard waiting[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) == 0,
                  let keys = screen.keys(readable: waiting[0].revents & Int16(POLLIN) != 0) else {
                return keepDraft(state, options, status: 128 + SIGHUP)
            }
            // Back from a suspend, the size may have changed and the screen is someone else's.
            let resumed = inbox.take(SIGTSTP)
            if resumed {
                screen.suspend()
                shown = nil
            }
            if inbox.take(SIGWINCH) || resumed {
                let size = screen.resize()
                effects += update(&state, .resized(width: size.width, height: size.height))
            }
            for key in keys {
                trapIfAsked(key)
                effects += update(&state, .key(key))
            }
            for event in inbox.drain() {
                effects += update(&state, event)
            }
        }
    }

    /// F12 dies of a Swift runtime trap in a debug build run with TRAININGDESK_DEBUG_TRAP set,
    /// so a test can prove that the terminal survives one. Release builds have no such key.
    private static func trapIfAsked(_ key: Key) {
        #if DEBUG
        if key == .function(12), ProcessInfo.processInfo.environment["TRAININGDESK_DEBUG_TRAP"] != nil {
            let nothing: Int? = nil
            _ = nothing!
        }
        #endif
    }

    /// On the way out by a signal or a lost terminal, whatever was typed is kept as a draft.
    private static func keepDraft(_ state: State, _ options: AppOptions, status: Int32) -> Int32 {
        if let form = state.form, form.changed { try? options.drafts?.save(form.draft(at: Date(), owner: state.draftOwner)) }
        return status
    }

    /// SIGTERM, SIGHUP, SIGQUIT and SIGINT (from `kill`; Ctrl-C is a key in raw mode) end the
    /// loop so the terminal is restored on the way out; SIGTSTP (from `kill`; Ctrl-Z is a key
    /// too) gives the terminal back until the program is continued;
    /// SIGWINCH wakes it to take the new size.
    private static func watchSignals(_ inbox: Inbox) -> [any DispatchSourceSignal] {
        [SIGTERM, SIGHUP, SIGQUIT, SIGINT, SIGTSTP, SIGWINCH].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [SIGWINCH, SIGTSTP].contains(number) ? inbox.note(number) : inbox.terminate(number) }
            source.resume()
            return source
        }
    }
}
