import Foundation
import CtrlHubKit
import CtrlHubSandbox
import TrainingDesk

/// Cases 3 to 6: the built `trainingdesk` on a pseudo-terminal at 80x24 against a sandbox in
/// this process, and the programs it is compared with.
struct ProgramCases {
    let binary: String
    let curl: String?
    let less: String?
    let runs: Int

    static let downKey = "j"
    static let pageDownKey = "\u{1B}[6~"

    /// A sandbox serving `dataset`, for the length of `body`.
    static func serving<T>(_ dataset: Dataset, _ body: (SandboxServer, URL) throws -> T) throws -> T {
        let server = SandboxServer(data: dataset.data)
        let url = try server.start()
        defer { server.stop() }
        return try body(server, url)
    }

    // MARK: 3. Bytes to the terminal

    func bytes(_ dataset: Dataset, sandbox: URL) throws -> [Row] {
        let section = "3 bytes"
        let records = dataset.data.completions.filter { $0.userID == dataset.person.id }.count
        progress("bytes: opening the list of \(records) records, moving, paging, filtering")
        let program = try Program(trainingdesk: binary, sandbox: sandbox)
        defer { program.quit() }
        try program.wait("the person finder") { $0.contains("Find a person") }
        program.send(dataset.person.lastName)
        try program.wait("the search to find \(dataset.person.lastName)") { $0.line(3).contains(dataset.person.lastName) }
        program.settle()
        let open = program.bytes(after: "\r")
        guard program.screen.line(1).contains("\(records) records") else { throw BenchError("the list did not open") }
        var down: [Double] = [], scrolled: [Double] = [], page: [Double] = [], filter: [Double] = []
        for round in 0...runs {
            // A row down within the screen, then one off its bottom edge, which scrolls the list.
            _ = program.bytes(after: "g")
            let moved = program.bytes(after: Self.downKey)
            _ = program.bytes(after: "g" + Self.pageDownKey)
            let scrolling = program.bytes(after: Self.downKey)
            // The first page down from the top shows one new row; the next one a whole new page.
            let paged = program.bytes(after: Self.pageDownKey)
            _ = program.bytes(after: "/")
            let typed = program.bytes(after: "e")
            _ = program.bytes(after: "\u{1B}")
            if round > 0 {
                down.append(moved)
                scrolled.append(scrolling)
                page.append(paged)
                filter.append(typed)
            }
        }
        var lessDown: (String, Sample)?, lessPage: (String, Sample)?
        var note: String?
        if let less {
            (lessDown, lessPage) = try lessBytes(less, rows: try Self.rowText(dataset))
        } else {
            note = "less is not on PATH: no comparator"
        }
        return [
            Row(section, "opening the list (\(records) records)", .bytes, Sample([open]), note: "the whole screen is new"),
            Row(section, "one row down", .bytes, Sample(down), comparator: lessDown, budget: .atMost(400), note: note),
            Row(section, "one row down, list scrolls", .bytes, Sample(scrolled), comparator: lessDown, budget: .atMost(400)),
            Row(section, "one page down", .bytes, Sample(page), comparator: lessPage, budget: .atMost(3072), note: note),
            Row(section, "one filter character", .bytes, Sample(filter)),
        ]
    }

    /// `less` on a file of the same rows: one line down, one page down.
    func lessBytes(_ less: String, rows: String) throws -> ((String, Sample), (String, Sample)) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("td-bench-rows-\(getpid()).txt")
        try rows.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let program = try Program([less, file.path], environment: ["LESSHISTFILE": "-"])
        defer { program.quit(with: "q") }
        let first = String(rows.prefix { $0 != "\n" }.prefix(30))
        try program.wait("less to show the file") { $0.contains(first) }
        program.settle()
        var down: [Double] = [], page: [Double] = []
        for round in 0...runs {
            _ = program.bytes(after: "g")
            let moved = program.bytes(after: "j")
            let paged = program.bytes(after: " ")
            if round > 0 {
                down.append(moved)
                page.append(paged)
            }
        }
        return (("less, one line down", Sample(down)), ("less, one page down", Sample(page)))
    }

    /// The person's rows as the list draws them at 80 columns, one line each.
    static func rowText(_ dataset: Dataset) throws -> String {
        let state = try ListCase.loaded(dataset, height: 10_000)
        let lines = view(state).lines.dropFirst(3).prefix(state.list?.rows.count ?? 0)
        return lines.map { $0.replacingOccurrences(of: " +$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n"
    }

    // MARK: 4. First full screen

    func firstScreen(_ dataset: Dataset, sandbox: URL) throws -> [Row] {
        let section = "4 first screen"
        let records = dataset.data.completions.filter { $0.userID == dataset.person.id }.count
        progress("first screen: starting on a person with \(records) records")
        var first: [Double] = [], whole: [Double] = [], memory: [Double] = []
        for round in 0...runs {
            let program = try Program(trainingdesk: binary, sandbox: sandbox, ["--user", dataset.person.email])
            let painted = try program.wait("the list's first full screen") { $0.listIsFull }
            // The status bar is drawn last, so the frame is whole when it shows the count.
            let complete = try program.wait("all \(records) records") { screen in
                screen.line(1).contains("\(records) records") && screen.statusLine.contains("(\(records))")
            }
            let resident = program.peakMemory
            program.quit()
            if round > 0 {
                first.append((painted - program.started) * 1000)
                whole.append((complete - program.started) * 1000)
                resident.map { memory.append($0) }
            }
        }
        var floor: (String, Sample)?
        var note = "from process start; the first page is drawn as soon as it comes"
        if let curl {
            let pages = (records + Endpoints.pageLimit - 1) / Endpoints.pageLimit
            floor = ("curl: same \(pages + 2) GETs in turn", try curlStart(curl, dataset, sandbox: sandbox, pages: pages))
            note += "; curl makes whoami, the member search and every page, one after another, from its own process start"
        } else {
            note += "; curl is not on PATH: no comparator"
        }
        return [
            Row(section, "\(records)-record person, list painted", .milliseconds, Sample(first), comparator: floor,
                budget: .comparatorPlus(60), note: note),
            Row(section, "\(records)-record person, all records in", .milliseconds, Sample(whole), comparator: floor),
            Row("6 memory", "peak resident, \(records) records loaded", .mebibytes, Sample(memory),
                note: "for scale: measured in case 4's runs"),
        ]
    }

    /// The requests the program makes before its list is whole, one after another, by one curl.
    func curlStart(_ curl: String, _ dataset: Dataset, sandbox: URL, pages: Int) throws -> Sample {
        func url(_ path: String, _ query: [(String, String)]) -> String {
            var parts = URLComponents(string: sandbox.absoluteString + path)!
            parts.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            return parts.url!.absoluteString
        }
        let org = dataset.data.organisation.id
        var urls = [url("/v3/iam/whoami", []),
                    url("/v3/orgs/\(org)/iam/members", [("filter[search]", dataset.person.email), ("offset", "0"), ("limit", "100")])]
        urls += (0..<pages).map { page in
            url("/v3/training-standard-completions", [("filter", "eq(user,\(dataset.person.id))"),
                                                       ("include", "training_standard,user"),
                                                       ("offset", String(page * Endpoints.pageLimit)), ("limit", "100")])
        }
        var arguments = [curl, "-s", "--fail", "-H", "Accept: application/vnd.api+json", "-H", "X-Session-Token: \(SandboxServer.admin.token)"]
        for url in urls { arguments += ["-o", "/dev/null", url] }
        return try repeated(warmUp: 1, runs: runs) { _ = try output(of: arguments) }
    }

    // MARK: 5. Save round trip

    func save(_ dataset: Dataset, sandbox: URL, server: SandboxServer) throws -> [Row] {
        let section = "5 save"
        progress("save: Ctrl-S, y, until the screen says Saved")
        let program = try Program(trainingdesk: binary, sandbox: sandbox, ["--user", dataset.person.email])
        defer { program.quit() }
        try program.wait("the list") { $0.line(1).contains(" records") }
        var times: [Double] = []
        for round in 0...runs {
            program.send("\r")
            try program.wait("the form") { $0.line(0).contains("edit a record") }
            // Tab twice to the certificate, one more character in it, then save.
            program.send("\t\tX\u{13}")
            try program.wait("the confirmation") { $0.contains("Save these changes?") }
            program.settle()
            let start = wallClock()
            program.send("y")
            // First the busy message: until it is drawn, a "Saved" on screen is the last round's.
            try program.wait("Saving on screen") { $0.statusLine.contains("Saving") }
            let saved = try program.wait("Saved on screen") { $0.statusLine.contains("Saved ") && !$0.contains("Save these changes?") }
            try program.wait("the list again") { $0.line(0).contains("training records") }
            if round > 0 { times.append((saved - start) * 1000) }
        }
        var floor: (String, Sample)?
        var note = "from pressing y; the program re-reads the record before the PUT (no ETags, docs/api.md)"
        if let curl, let put = server.requests().last(where: { $0.method == "PUT" }) {
            let (alone, withRead) = try curlSave(curl, sandbox: sandbox, path: put.path, body: put.body)
            floor = ("curl: the same PUT", alone)
            note += "; curl GET then PUT: \(Report.number(withRead.median)) ms"
        } else if curl == nil {
            note += "; curl is not on PATH: no comparator"
        }
        return [Row(section, "Ctrl-S + y to Saved on screen", .milliseconds, Sample(times), comparator: floor,
                    budget: .comparatorPlus(30), note: note)]
    }

    /// curl's own time for the PUT the program sent, and for a GET of the record then that PUT.
    func curlSave(_ curl: String, sandbox: URL, path: String, body: Data) throws -> (Sample, Sample) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("td-bench-put-\(getpid()).json")
        try body.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let url = sandbox.absoluteString + path
        let headers = ["-H", "Accept: application/vnd.api+json", "-H", "X-Session-Token: \(SandboxServer.admin.token)"]
        let put = ["-X", "PUT", "-H", "Content-Type: application/vnd.api+json", "--data-binary", "@\(file.path)"]
        let timing = ["-s", "--fail", "-o", "/dev/null", "-w", "%{time_total}\\n"]
        func seconds(_ arguments: [String]) throws -> Double {
            let text = String(decoding: try output(of: [curl] + arguments), as: UTF8.self)
            return text.split(separator: "\n").compactMap { Double($0) }.reduce(0, +) * 1000
        }
        var alone: [Double] = [], withRead: [Double] = []
        for round in 0...runs {
            let one = try seconds(timing + headers + put + [url])
            let two = try seconds(timing + headers + [url, "--next"] + timing + headers + put + [url])
            if round > 0 {
                alone.append(one)
                withRead.append(two)
            }
        }
        return (Sample(alone), Sample(withRead))
    }

    // MARK: 6. Memory and idle

    func memoryAndIdle(_ dataset: Dataset, sandbox: URL, idle: TimeInterval) throws -> [Row] {
        let records = dataset.data.completions.filter { $0.userID == dataset.person.id }.count
        progress("memory: loading \(records) records, then \(Int(idle)) s idle")
        let program = try Program(trainingdesk: binary, sandbox: sandbox, ["--user", dataset.person.email])
        defer { program.quit() }
        let loaded = try program.wait("all \(records) records", timeout: 120) { screen in
            screen.line(1).contains("\(records) records") && screen.statusLine.contains("(\(records))")
        }
        program.settle()
        guard let peak = program.peakMemory else { throw BenchError("no VmHWM for the program") }
        let (bytesBefore, threadsBefore, ticksBefore) = (program.count, program.threadCPU, program.ticks)
        Thread.sleep(forTimeInterval: idle)
        let (bytesAfter, threadsAfter, ticksAfter) = (program.count, program.threadCPU, program.ticks)
        // Threads that ended meanwhile are not counted: their time went with them.
        let used = threadsAfter.reduce(0) { total, thread in total + thread.value - (threadsBefore[thread.key] ?? 0) }
        let ended = Set(threadsBefore.keys).subtracting(threadsAfter.keys).count
        return [
            Row("6 memory", "peak resident, \(records) records loaded", .mebibytes, Sample([peak]), budget: .atMost(64),
                note: "VmHWM of the program after its list is whole"),
            Row("6 memory", "time to load \(records) records", .milliseconds, Sample([(loaded - program.started) * 1000]),
                note: "from process start, against the sandbox in this process"),
            Row("6 idle", "CPU in \(Int(idle)) s idle", .milliseconds, Sample([used * 1000]),
                // 10 ms in 10 s.
                budget: .below(idle),
                note: "every thread, from /proc/PID/task/*/schedstat; \(ended) thread(s) ended in the window, uncounted; "
                    + "the process's own tick count, which keeps theirs, went up by \(ticksAfter - ticksBefore) (10 ms each)"),
            Row("3 bytes", "\(Int(idle)) s idle", .bytes, Sample([Double(bytesAfter - bytesBefore)]), budget: .atMost(0),
                note: "measured in case 6's idle window, \(records) records loaded"),
        ]
    }
}
