import Foundation
import CtrlHubKit

/// Case 1: a completions list document, bytes to models, against Python's C JSON parser
/// building the same records as dicts.
enum DecodeCase {
    static let section = "1 decode"

    static func run(sizes: [Int], runs largest: Int, python: String?) throws -> [Row] {
        var rows: [Row] = []
        var perRecord: [Int: Double] = [:]
        for size in sizes {
            // Small documents are cheap: more runs of them make their fastest run a steady figure.
            let runs = max(largest, largest * 10_000 / size / 20)
            let bytes = Dataset(records: size).document
            progress("decode: \(size) records, \(bytes.count / 1024) KiB")
            var decoded = 0
            let swift = try repeated(warmUp: 2, runs: runs, clock: threadCPU) {
                decoded = try decode(bytes).count
            }
            guard decoded == size else { throw BenchError("decoded \(decoded) of \(size) records") }
            // The fastest run: the one least disturbed by the rest of the machine.
            perRecord[size] = swift.min / Double(size)
            var comparator: (String, Sample)?
            var note: String?
            if let python {
                comparator = ("python3 json.loads + dicts", try pythonDecode(python, bytes, runs: runs, expected: size))
            } else {
                note = "python3 is not on PATH: no comparator"
            }
            rows.append(Row(section, "\(size) records (\(bytes.count / 1024) KiB), CPU", .milliseconds, swift,
                            comparator: comparator, budget: size == 10_000 ? .ratioAtMost(1) : nil, note: note))
        }
        if let small = sizes.first, let large = sizes.last, large > small, let a = perRecord[small], let b = perRecord[large] {
            rows.append(Row(section, "growth: per record at \(large) / at \(small)", .times, Sample([b / a]),
                            budget: .atMost(1.25),
                            note: "fastest runs compared; linear means a record costs the same in a big document (at most 1.25)"))
        }
        return rows
    }

    /// What the client does with each page it receives. Never inlined, so a profiler can be
    /// pointed at it (valgrind --toggle-collect, docs/performance.md).
    @inline(never)
    static func decode(_ bytes: Data) throws -> [Completion] {
        let document = try Document(data: bytes)
        return Completion.all(in: document)
    }

    /// json.loads, then each record as a dict with its four attributes, updated_at, both
    /// references, and the person and standard from `included` (each built once and shared, as
    /// the Swift side shares them). CPU time per run, in milliseconds.
    static let script = #"""
import json, sys, time
path, warm, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
raw = open(path, "rb").read()

def build(doc):
    included = {(r.get("type"), r.get("id")): r for r in doc.get("included") or []}
    made = {}
    def ref(resource, name):
        rel = (resource.get("relationships") or {}).get(name) or {}
        data = rel.get("data")
        return (data.get("type"), data.get("id")) if isinstance(data, dict) else None
    def user(key):
        r = included.get(key)
        if r is None: return None
        a = r.get("attributes") or {}
        profile = a.get("profile") or {}
        personal = profile.get("personal") or {}
        orgs = ((r.get("relationships") or {}).get("organisations") or {}).get("data") or []
        return {"id": r["id"], "email": a.get("email") or "", "first_name": personal.get("first_name"),
                "last_name": personal.get("last_name"), "timezone": (profile.get("settings") or {}).get("timezone"),
                "grants": [g for g in (r.get("meta") or {}).get("grants") or [] if isinstance(g, str)],
                "organisations": [o.get("id") for o in orgs]}
    def standard(key):
        r = included.get(key)
        if r is None: return None
        a = r.get("attributes") or {}
        return {"id": r["id"], "title": a.get("title") or r["id"], "code": a.get("code"),
                "renewal_period_months": a.get("renewal_period_months"), "provenance": a.get("provenance"),
                "standards_body": a.get("standards_body")}
    def resolved(key, make):
        if key is None: return None
        if key not in made: made[key] = make(key)
        return made[key]
    records = []
    for r in doc.get("data") or []:
        a = r.get("attributes") or {}
        u, s = ref(r, "user"), ref(r, "training_standard")
        records.append({"id": r["id"], "completed_at": a.get("completed_at") or "", "expires_at": a.get("expires_at"),
                        "certificate_number": a.get("certificate_number"),
                        "training_provider_name": a.get("training_provider_name"), "updated_at": a.get("updated_at"),
                        "user_ref": u, "standard_ref": s, "user": resolved(u, user), "standard": resolved(s, standard)})
    return records

times = []
count = 0
for i in range(warm + runs):
    start = time.process_time()
    count = len(build(json.loads(raw)))
    if i >= warm: times.append((time.process_time() - start) * 1000)
print(json.dumps({"count": count, "ms": times}))
"""#

    static func pythonDecode(_ python: String, _ bytes: Data, runs: Int, expected: Int) throws -> Sample {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("td-bench-\(getpid())-\(expected).json")
        try bytes.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let answer = try output(of: [python, "-c", script, file.path, "2", String(runs)])
        guard let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any],
              let count = object["count"] as? Int, let times = object["ms"] as? [Double] else {
            throw BenchError("python3 gave an answer the bench cannot read")
        }
        guard count == expected else { throw BenchError("python3 built \(count) of \(expected) records") }
        return Sample(times)
    }
}
