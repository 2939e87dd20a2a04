import Foundation

/// The JSON:API read endpoints.
extension Store {
    static let completionSorts = ["-completed_at", "completed_at", "-expires_at", "expires_at"]
    static let completionIncludes: Set<String> = ["training_standard", "user"]

    func whoami(_ call: Call) -> HTTPResponse {
        .document(200, ["data": userResource(call.caller!.person), "included": [organisationResource()]])
    }

    func members(_ call: Call) throws(Failure) -> HTTPResponse {
        try requireOrganisation(call)
        if let unknown = call.query.pairs.first(where: { $0.name.hasPrefix("filter") && $0.name != "filter[search]" }) {
            throw .parameter(unknown.name, "Members can only be filtered with filter[search].")
        }
        let page = try Page(call.query, defaultLimit: 20, maxLimit: 25)
        let search = call.query["filter[search]"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let people = data.people
            .filter { search.isEmpty || SearchText.matches($0, search) }
            .sorted { (SearchText.fold($0.lastName), SearchText.fold($0.firstName), $0.id)
                < (SearchText.fold($1.lastName), SearchText.fold($1.firstName), $1.id) }
        func link(offset: Int) -> String {
            var pairs = search.isEmpty ? [] : [("filter[search]", search)]
            pairs += [("limit", String(page.limit)), ("offset", String(offset))]
            let query = pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
            return "\(call.base)\(call.request.path)?\(query)"
        }
        var links: JSONObject = ["self": link(offset: page.offset)]
        links["next"] = page.next(total: people.count).map(link)
        return .document(200, [
            "data": page.slice(people).map(userResource),
            "meta": ["page": page.oldStylePage(total: people.count)],
            "links": links,
        ])
    }

    func member(_ call: Call) throws(Failure) -> HTTPResponse {
        try requireOrganisation(call)
        guard let person = data.person(call["id"]) else { throw .notFound("No member has the id \(call["id"]).") }
        return .document(200, ["data": userResource(person)])
    }

    func standards(_ call: Call) throws(Failure) -> HTTPResponse {
        let page = try Page(call.query, defaultLimit: 20, maxLimit: 100)
        let standards = data.standards.sorted { ($0.title, $0.id) < ($1.title, $1.id) }
        return .document(200, [
            "data": page.slice(standards).map(standardResource),
            "meta": [
                "pagination": page.pagination(total: standards.count),
                "features": ["params": ["sort": [String](), "include": [String](), "filter": [String]()]],
            ],
        ])
    }

    func standard(_ call: Call) throws(Failure) -> HTTPResponse {
        guard let standard = data.standard(call["id"]) else {
            throw .notFound("No training standard has the id \(call["id"]).")
        }
        return .document(200, ["data": standardResource(standard)])
    }

    func completions(_ call: Call) throws(Failure) -> HTTPResponse {
        if let old = call.query.pairs.first(where: { $0.name.hasPrefix("filter[") }) {
            throw .parameter(old.name, "This endpoint takes one filter parameter in RQL form, such as filter=eq(user,<id>).")
        }
        let conditions = try call.query["filter"].map(CompletionFilter.parse) ?? []
        let include = try includes(call)
        let sort = call.query["sort"].map { String($0.prefix { $0 != "," }) } ?? "-completed_at"
        guard Self.completionSorts.contains(sort) else {
            throw .parameter("sort", "sort must be one of \(Self.completionSorts.joined(separator: ", ")).")
        }
        let page = try Page(call.query, defaultLimit: 20, maxLimit: 100)
        let matching = data.completions.filter { completion in
            conditions.allSatisfy { condition in
                condition.value == (condition.field == "user" ? completion.userID : completion.standardID)
            }
        }
        let listed = page.slice(Self.sorted(matching, by: sort))
        return completionList(listed, include, pagination: page.pagination(total: matching.count))
    }

    /// A page of the completions list, as the list endpoint writes it.
    func completionList(_ listed: [SandboxCompletion], _ include: Set<String>, pagination: JSONObject) -> HTTPResponse {
        .document(200, [
            "data": listed.map(completionResource),
            "included": included(for: listed, include),
            "meta": [
                "pagination": pagination,
                "features": ["params": [
                    "sort": Self.completionSorts,
                    "include": Self.completionIncludes.sorted(),
                    "filter": CompletionFilter.fields.map { "eq(\($0),<id>)" } + ["and(...)"],
                ]],
            ],
        ])
    }

    func completion(_ call: Call) throws(Failure) -> HTTPResponse {
        let include = try includes(call)
        guard let completion = data.completions.first(where: { $0.id == call["id"] }) else {
            throw .notFound("No training standard completion has the id \(call["id"]).")
        }
        return completionDocument(completion, include)
    }

    private func includes(_ call: Call) throws(Failure) -> Set<String> {
        let names = Set((call.query["include"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        })
        guard names.isSubset(of: Self.completionIncludes) else {
            throw .parameter("include", "include may name only training_standard and user.")
        }
        return names
    }

    private func requireOrganisation(_ call: Call) throws(Failure) {
        guard call["org"] == data.organisation.id else {
            throw .notFound("No organisation has the id \(call["org"]).")
        }
    }

    /// Stamps are compared as instants, not as text (offsets and fractions differ); records with
    /// no expiry come last either way, and the id breaks ties so pages never overlap.
    static func sorted(_ completions: [SandboxCompletion], by sort: String) -> [SandboxCompletion] {
        let descending = sort.hasPrefix("-")
        let keyed = completions.map { completion in
            (completion, sort.hasSuffix("completed_at") ? RFC3339.parse(completion.completedAt)
                : completion.expiresAt.flatMap(RFC3339.parse))
        }
        return keyed.sorted { a, b in
            switch (a.1, b.1) {
            case let (x?, y?) where x != y: return descending ? x > y : x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.0.id < b.0.id
            }
        }.map(\.0)
    }
}

private let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

private func escape(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
}
