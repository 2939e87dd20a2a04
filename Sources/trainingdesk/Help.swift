/// The `--help` texts; docs/cli.md says the same at more length.
enum Help {
    static let connection = """
      --api-url URL     Ctrl Hub API (env CTRLHUB_API_URL; default https://api.ctrl-hub.com)
      --auth-url URL    sign-in host (env CTRLHUB_AUTH_URL; default: the API host with api. -> auth.,
                        or the API URL itself for any other host)
      --org ID          organisation (env CTRLHUB_ORG; default: your first organisation)
      --verbose         log each request (method, URL, status, trace id) to stderr

    The session comes from CTRLHUB_SESSION_TOKEN, else from `trainingdesk login`.

    """

    static let main = """
    trainingdesk: keep Ctrl Hub training records right, from a terminal.

    Usage:
      trainingdesk [--demo] [--user EMAIL|ID] [--theme NAME] [--date-format iso|uk] [--read-only]
                                                  the terminal UI (--demo: on a built-in sandbox)
      trainingdesk whoami [--format table|json]
      trainingdesk login [--email EMAIL]          the password is read from the terminal
      trainingdesk logout
      trainingdesk completions list --user EMAIL|ID [--format table|json|csv]
      trainingdesk completions show ID [--format table|json]
      trainingdesk completions update ID [--completed DATE] [--expires DATE|none]
                                         [--certificate TEXT|none] [--provider TEXT]
      trainingdesk audit [--user EMAIL|ID] [--since DATE] [--format table|json]
      trainingdesk sandbox [--host 127.0.0.1] [--port N] [--records N]

    Options for commands that talk to Ctrl Hub:
    \(connection)
    Exit status: 0 ok, 1 failure, 2 usage, 3 invalid input (nothing sent),
    4 not signed in or session rejected, 5 not found, 6 changed on the server (nothing sent).
    Run `trainingdesk COMMAND --help` for one command. Full guide: docs/cli.md.

    """

    static let whoami = """
    trainingdesk whoami [--format table|json]

    Shows who the session belongs to, their organisations and timezone.

    \(connection)
    """

    static let login = """
    trainingdesk login [--email EMAIL]

    Signs in with email and password and stores the session under
    $XDG_STATE_HOME/trainingdesk/ (directory 0700, file 0600). The password is read
    from the terminal without echo, or as one line from standard input when that is
    not a terminal; it is never taken as an argument.

    \(connection)
    """

    static let logout = """
    trainingdesk logout

    Revokes the stored session on the server and deletes it locally. If the server
    cannot be told, the local session is still deleted and the command says so.

    \(connection)
    """

    static let completions = """
    trainingdesk completions list --user EMAIL|ID [--format table|json|csv]
    trainingdesk completions show ID [--format table|json]
    trainingdesk completions update ID [--completed DATE] [--expires DATE|none]
                                       [--certificate TEXT|none] [--provider TEXT]

    """

    static let completionsList = """
    trainingdesk completions list --user EMAIL|ID [--format table|json|csv]

    Lists every training completion of one person (all pages). Dates are shown in your
    profile timezone, else TZ, else UTC. Status is expired, expiring (within
    30 days), valid or no-expiry.

    \(connection)
    """

    static let completionsShow = """
    trainingdesk completions show ID [--format table|json]

    Shows one training completion.

    \(connection)
    """

    static let completionsUpdate = """
    trainingdesk completions update ID [--completed DATE] [--expires DATE|none]
                                       [--certificate TEXT|none] [--provider TEXT]
                                       [--if-unchanged-since TIME]

    Changes the given fields of one completion; the others are sent back exactly as
    the server has them. DATE is YYYY-MM-DD or DD/MM/YYYY (day first), a real date
    from 1900 to 2100. The completed date cannot be after today; the expiry must be
    after the completed date. `none` clears the expiry or the certificate number.
    Text is trimmed, at most 255 characters, without control characters.
    Invalid input is refused with exit status 3 before anything is sent. The record is
    read again just before writing; if it changed since it was read, nothing is sent and
    the exit status is 6. --if-unchanged-since TIME (RFC 3339) also refuses, with 6, a
    record changed after TIME.

      --format table|json   how to print the saved record

    \(connection)
    """

    static let audit = """
    trainingdesk audit [--user EMAIL|ID] [--since DATE] [--format table|json]

    Reads back the audit log, $XDG_STATE_HOME/trainingdesk/audit.jsonl: one entry per save
    attempt made on this machine, by the UI or `completions update`, with who saved, where,
    the record, each changed field old -> new, and the outcome (with its trace id).
    --user keeps one person's records (email or id); --since DATE keeps entries from that
    day on (YYYY-MM-DD or DD/MM/YYYY).

    """

    static let sandbox = """
    trainingdesk sandbox [--host 127.0.0.1] [--port N] [--records N]

    Runs a local server that behaves like the Ctrl Hub API, with seeded demo data, in
    the foreground until interrupted. Port 0 (the default) picks a free port. It prints
    `sandbox listening on URL` and the demo accounts with their session tokens.
    --records N gives the busiest person, Dylan Pritchard, N completions (262 unless told;
    the benchmark uses 10000).

    """
}
