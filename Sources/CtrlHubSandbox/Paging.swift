import Foundation

/// `offset` and `limit` from the query. A limit above the endpoint's maximum is quietly
/// lowered to it, as the real API does, so a client must follow the next offsets.
struct Page {
    let offset: Int
    let limit: Int

    init(offset: Int, limit: Int) {
        self.offset = offset
        self.limit = limit
    }

    init(_ query: Query, defaultLimit: Int, maxLimit: Int) throws(Failure) {
        offset = try Self.number(query, "offset", default: 0, minimum: 0)
        limit = min(try Self.number(query, "limit", default: defaultLimit, minimum: 1), maxLimit)
    }

    private static func number(_ query: Query, _ name: String, default value: Int, minimum: Int) throws(Failure) -> Int {
        guard let text = query[name] else { return value }
        guard let number = Int(text), number >= minimum else {
            throw .parameter(name, "\(name) must be a whole number, \(minimum) or more.")
        }
        return number
    }

    func slice<T>(_ items: [T]) -> [T] { Array(items.dropFirst(offset).prefix(limit)) }

    func next(total: Int) -> Int? { offset + limit < total ? offset + limit : nil }

    var previous: Int? { offset > 0 ? max(0, offset - limit) : nil }

    /// The current style, `meta.pagination`.
    func pagination(total: Int) -> JSONObject {
        [
            "current_page": offset / limit + 1,
            "counts": ["resources": total, "pages": (total + limit - 1) / limit],
            "requested": ["offset": offset, "limit": limit],
            "offsets": ["next": next(total: total) ?? NSNull(), "previous": previous ?? NSNull()] as JSONObject,
        ]
    }

    /// The older style the members endpoint still uses, `meta.page`.
    func oldStylePage(total: Int) -> JSONObject {
        [
            "limit": limit,
            "offset": ["current": offset, "next": next(total: total) ?? NSNull(),
                       "previous": previous ?? NSNull()] as JSONObject,
        ]
    }
}

/// The RQL-style `filter` of the completions list: `eq(field,value)` on the fields below, and
/// `and(...)` of those. Values are unquoted. Anything else is refused rather than ignored, so a
/// client never mistakes an unfiltered list for a filtered one.
enum CompletionFilter {
    static let fields = ["user", "training_standard"]

    static func parse(_ text: String) throws(Failure) -> [(field: String, value: String)] {
        guard let conditions = expression(Substring(text), depth: 0) else {
            throw .parameter("filter", "filter must be eq(user,<id>), eq(training_standard,<id>), or and(…) of those.")
        }
        return conditions
    }

    private static func expression(_ text: Substring, depth: Int) -> [(field: String, value: String)]? {
        let text = text.trimmingCharacters(in: .whitespaces)[...]
        guard depth < 8, text.hasSuffix(")"), let open = text.firstIndex(of: "("),
              let arguments = splitArguments(text[text.index(after: open)..<text.index(before: text.endIndex)])
        else { return nil }
        switch text[..<open] {
        case "eq":
            guard arguments.count == 2 else { return nil }
            let field = arguments[0].trimmingCharacters(in: .whitespaces)
            let value = arguments[1].trimmingCharacters(in: .whitespaces)
            guard fields.contains(field), !value.isEmpty, !value.contains(where: { "()".contains($0) }) else {
                return nil
            }
            return [(field, value)]
        case "and":
            var conditions: [(field: String, value: String)] = []
            for argument in arguments {
                guard let inner = expression(argument, depth: depth + 1) else { return nil }
                conditions += inner
            }
            return conditions.isEmpty ? nil : conditions
        default:
            return nil
        }
    }

    /// Splits on commas outside parentheses; nil when the parentheses do not balance.
    private static func splitArguments(_ text: Substring) -> [Substring]? {
        var parts: [Substring] = []
        var depth = 0
        var start = text.startIndex
        for index in text.indices {
            switch text[index] {
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { return nil }
            case "," where depth == 0:
                parts.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        guard depth == 0 else { return nil }
        parts.append(text[start...])
        return parts
    }
}
