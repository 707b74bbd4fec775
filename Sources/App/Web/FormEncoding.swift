import Vapor

/// The one reader of `application/x-www-form-urlencoded` text, a form's body or a query: its name and value
/// pairs in order, a repeated name kept each time (a form's checkboxes, a survey import's `map=` choices).
enum FormEncoding {
    static func pairs(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(decoded)
            guard let name = parts.first, !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? parts[1] : "")
        }
    }

    /// `+` is a space; a malformed escape leaves nothing rather than a guess.
    private static func decoded(_ part: Substring) -> String {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}

extension Request {
    /// A submitted form's fields by name, each value of a repeated name kept; the CSRF token left out.
    func formValues() -> [String: [String]] {
        var values: [String: [String]] = [:]
        for (name, value) in FormEncoding.pairs(body.string ?? "") where name != CSRFProtection.field {
            values[name, default: []].append(value)
        }
        return values
    }
}
