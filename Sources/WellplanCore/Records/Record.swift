import Foundation

/// A thing the plan keeps: an organization, a project, an action item…
/// Each kind lists its fields once; input parsing, validation, storage, forms and the API
/// document all read that list.
public protocol Record: Codable, Sendable, Equatable {
    static var kind: RecordKind { get }
    static var fields: [RecordField] { get }
    var id: UUID { get set }
    /// Rules that span fields (an end after its start…); field-by-field checks come from `fields`.
    func ruleProblems() -> [FieldProblem]
    /// The record's own words for a title (see the default below).
    func ownTitle(_ language: Language) -> String?
    /// Whether audit entries keep the record's values. Kinds whose values may later be redacted
    /// (a rejected discussion) keep only the names of the fields that changed.
    static var auditKeepsValues: Bool { get }
}

extension Record {
    public func ruleProblems() -> [FieldProblem] { [] }
    public static var auditKeepsValues: Bool { true }

    /// The record's own words for a title, in the reader's language where it has them; nil for a record
    /// made only of links and codes (a membership), which the web layer names by what it links to.
    public func ownTitle(_ language: Language) -> String? {
        let values = RecordInput.values(of: self)
        let texts = Self.fields.filter { field in
            switch field.kind {
            case .text, .longText: true
            default: false
            }
        }.map(\.name)
        let preferred = texts.filter { $0.hasSuffix(language == .fr ? "Fr" : "En") } + texts
        return preferred.lazy.compactMap { values[$0] as? String }.first { !$0.isEmpty }
    }

    /// The record's title for lists and links: its own words, else its id.
    public func title(_ language: Language) -> String { ownTitle(language) ?? id.uuidString }
}

/// Turns what a form or a JSON body holds into a record, or into the list of what is wrong and where.
public enum RecordInput {
    /// From a JSON object (the API). Unknown keys are refused so a typo never passes silently.
    public static func parse<R: Record>(_ type: R.Type, json: [String: Any], id: UUID) throws(WellplanError) -> R {
        var problems: [FieldProblem] = []
        var clean: [String: Any] = ["id": id.uuidString]
        let known = Set(R.fields.map(\.name))
        for key in json.keys.sorted() where !known.contains(key) && key != "id" {
            problems.append(FieldProblem(key, "error_unknown_field"))
        }
        for field in R.fields {
            let raw = json[field.name]
            if raw == nil || raw is NSNull {
                // A yes/no not given is what a new record holds: its default.
                if case .flag(let fallback) = field.kind {
                    clean[field.name] = fallback
                    continue
                }
                if field.isRequired { problems.append(FieldProblem(field.name, "error_required")) }
                continue
            }
            switch check(field, raw!) {
            case .value(let value): clean[field.name] = value
            case .problem(let problem): problems.append(problem)
            }
        }
        return try finish(R.self, clean, problems)
    }

    /// From a submitted HTML form, where every value is text and an empty box means "none".
    public static func parse<R: Record>(_ type: R.Type, form: [String: [String]], id: UUID) throws(WellplanError) -> R {
        var json: [String: Any] = [:]
        var problems: [FieldProblem] = []
        for field in R.fields {
            let values = (form[field.name] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            let text = values.first ?? ""
            switch field.kind {
            case .tags, .references: json[field.name] = values.flatMap { $0.split(separator: ",").map(String.init) }
            case .flag: json[field.name] = isTicked(values)
            case _ where text.isEmpty: continue
            case .integer:
                if let n = Int(text) { json[field.name] = n } else { problems.append(FieldProblem(field.name, "error_not_integer")) }
            case .number:
                if let n = Double(text.replacingOccurrences(of: ",", with: ".")), n.isFinite {
                    json[field.name] = n
                } else {
                    problems.append(FieldProblem(field.name, "error_not_number"))
                }
            default: json[field.name] = text
            }
        }
        // Text that did not parse is reported first; other fields' problems follow.
        do throws(WellplanError) {
            let record = try parse(R.self, json: json, id: id)
            if problems.isEmpty { return record }
            throw .invalid(problems)
        } catch {
            guard case .invalid(let more) = error, !problems.isEmpty else { throw error }
            throw .invalid(problems + more.filter { p in !problems.contains { $0.field == p.field } })
        }
    }

    /// Whether a checkbox was ticked: a browser sends its value when it is, and nothing when it is not.
    /// The form is drawn by the same rule, so what it shows is what it submits.
    public static func isTicked(_ values: [String]) -> Bool {
        values.contains { ["on", "true", "1", "yes"].contains($0.trimmingCharacters(in: .whitespaces).lowercased()) }
    }

    /// A new record's form before anyone types: each yes/no at its default, everything else empty.
    public static func formDefaults(_ fields: [RecordField]) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for field in fields {
            if case .flag(true) = field.kind { values[field.name] = ["true"] }
        }
        return values
    }

    /// The record's fields as plain values (see `JSONValue.plain`), keyed by field name.
    public static func values(of record: some Record) -> [String: Any] {
        guard let data = try? JSONEncoder().encode(record),
            case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: data)
        else { return [:] }
        return object.mapValues(\.plain)
    }

    private enum Checked {
        case value(Any)
        case problem(FieldProblem)
    }

    private static func check(_ field: RecordField, _ raw: Any) -> Checked {
        let name = field.name
        func fail(_ key: String, _ values: [String] = []) -> Checked {
            .problem(FieldProblem(name, key, values))
        }
        switch field.kind {
        case .text, .longText:
            guard let text = raw as? String else { return fail("error_not_text") }
            let limit = if case .text(let max) = field.kind { max } else { 20_000 }
            // One line break, as stored: browsers send a text area's as CR LF, and a form saved untouched
            // must not change the text it shows.
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                .replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            if trimmed.isEmpty { return field.isRequired ? fail("error_required") : .value(NSNull()) }
            if trimmed.count > limit { return fail("error_too_long", [String(limit)]) }
            if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !"\n\r\t".unicodeScalars.contains($0) }) {
                return fail("error_control_characters")
            }
            return .value(trimmed)
        case .day:
            guard let text = raw as? String, Day(text) != nil else { return fail("error_not_day") }
            return .value(text)
        case .integer(let range):
            guard let number = numeric(raw), let n = Int(exactly: number) else { return fail("error_not_integer") }
            guard range.contains(n) else { return fail("error_out_of_range", [String(range.lowerBound), String(range.upperBound)]) }
            return .value(n)
        case .number:
            guard let number = numeric(raw), number.isFinite, abs(number) < 1e15 else { return fail("error_not_number") }
            return .value(number)
        case .choice(let list):
            guard let code = raw as? String else { return fail("error_not_text") }
            if code.isEmpty, !field.isRequired { return .value(NSNull()) }
            guard list.contains(code) else { return fail("error_not_in_list", [code]) }
            return .value(code)
        case .tags(let list):
            guard let codes = raw as? [Any], codes.allSatisfy({ $0 is String }) else { return fail("error_not_list") }
            // None chosen is no list at all, however it was sent: the form sends nothing, the API may send [].
            if TagSet(codes.map { $0 as! String }).isEmpty { return field.isRequired ? fail("error_required") : .value(NSNull()) }
            if let unknown = codes.map({ $0 as! String }).first(where: { !list.contains($0) }) {
                return fail("error_not_in_list", [unknown])
            }
            return .value(codes)
        case .references:
            guard let texts = raw as? [Any], texts.allSatisfy({ $0 is String }) else { return fail("error_not_list") }
            if TagSet(texts.map { $0 as! String }).isEmpty { return field.isRequired ? fail("error_required") : .value(NSNull()) }
            if let bad = texts.map({ $0 as! String }).first(where: { UUID(uuidString: $0) == nil }) {
                return fail("error_not_reference", [bad])
            }
            return .value(texts.map { UUID(uuidString: $0 as! String)!.uuidString })
        case .reference:
            guard let text = raw as? String else { return fail("error_not_reference") }
            if text.isEmpty, !field.isRequired { return .value(NSNull()) }
            guard let uuid = UUID(uuidString: text) else { return fail("error_not_reference") }
            return .value(uuid.uuidString)
        case .flag:
            guard let flag = raw as? Bool else { return fail("error_not_flag") }
            return .value(flag)
        }
    }

    /// A number, never a Bool (plain Swift values only: see `JSONValue.plain`).
    private static func numeric(_ raw: Any) -> Double? {
        if raw is Bool { return nil }
        if let d = raw as? Double { return d }
        if let i = raw as? Int { return Double(i) }
        return nil
    }

    private static func finish<R: Record>(_ type: R.Type, _ clean: [String: Any], _ problems: [FieldProblem]) throws(WellplanError) -> R {
        guard problems.isEmpty else { throw .invalid(problems) }
        let record: R
        do {
            let data = try JSONSerialization.data(withJSONObject: clean)
            record = try JSONDecoder().decode(R.self, from: data)
        } catch {
            throw .invalid([FieldProblem("body", "error_malformed")])
        }
        let ruleProblems = record.ruleProblems()
        guard ruleProblems.isEmpty else { throw .invalid(ruleProblems) }
        return record
    }
}
