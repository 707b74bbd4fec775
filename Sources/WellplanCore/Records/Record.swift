import Foundation

/// A thing the plan keeps: an organization, a project, an action item…
/// Each kind lists its fields once; input parsing, validation, storage, forms and the API
/// document all read that list.
public protocol Record: Codable, Sendable, Equatable {
    static var kind: RecordKind { get }
    /// The URL segment: `/projects`, `/api/v1/action-items`.
    static var path: String { get }
    /// The database table (by default the path with underscores).
    static var table: String { get }
    /// The properties a list is sorted by, in order (then by id); each is one of `fields`.
    static var listOrder: [PartialKeyPath<Self>] { get }
    static var fields: [Field<Self>] { get }
    /// A record holding nothing yet (placeholders where a property must hold something), which input
    /// fills in field by field; a required field is always given before a record is made.
    static var blank: Self { get }
    var id: UUID { get set }
    /// Rules that span fields (an end after its start…); field-by-field checks come from `fields`.
    func ruleProblems() -> [FieldProblem]
    /// The record's own words for a title (see the default below).
    func ownTitle(_ language: Language) -> String?
    /// Whether audit entries keep the record's values. Kinds whose values may later be redacted
    /// (a rejected discussion) keep only the names of the fields that changed.
    static var auditKeepsValues: Bool { get }
    /// What the record belongs to, which decides whose members may write it.
    var owner: Owner { get }
    /// Why the record's status may not have moved from where `before` left it, for kinds whose status
    /// follows a `Workflow`; nil for every other kind.
    func statusProblem(since before: Self) -> FieldProblem?
    /// Text the public will read (a quote, what the plan did), by field: the identifier guard reads it first.
    var checkedTexts: [String: String?] { get }
    /// Records of this kind that this one is calculated from (a measure's inputs).
    var inputs: [UUID] { get }
    /// What is wrong with the record given its inputs, read from the store.
    func inputProblems(_ inputs: [Self]) -> [FieldProblem]
}

extension Record {
    public static var table: String { path.replacingOccurrences(of: "-", with: "_") }
    public func ruleProblems() -> [FieldProblem] { [] }
    public static var auditKeepsValues: Bool { true }
    public var owner: Owner { .table(nil) }
    public func statusProblem(since before: Self) -> FieldProblem? { nil }
    public var checkedTexts: [String: String?] { [:] }
    public var inputs: [UUID] { [] }
    public func inputProblems(_ inputs: [Self]) -> [FieldProblem] { [] }

    /// The record's status code, for kinds with a status: its changes are kept as a timeline.
    public var statusCode: String? {
        guard case .code(let code)? = Self.fields.first(where: { $0.name == "status" })?.value(in: self) else {
            return nil
        }
        return code
    }

    /// The record's own words for a title, in the reader's language where it has them; nil for a record
    /// made only of links and codes (a membership), which the web layer names by what it links to.
    public func ownTitle(_ language: Language) -> String? {
        let texts = Self.fields.filter { field in
            switch field.kind {
            case .text, .longText: true
            default: false
            }
        }
        let suffix = language == .fr ? "Fr" : "En"
        let preferred = texts.filter { $0.name.hasSuffix(suffix) } + texts
        return preferred.lazy.compactMap { $0.value(in: self)?.text }.first { !$0.isEmpty }
    }

    /// The columns of `listOrder`.
    public static var listColumns: [String] {
        listOrder.map { RecordField.snakeCase(Field<Self>.name(of: $0)) }
    }

    /// What the kind's fields are, for code that needs no values (forms, the API document, storage).
    public static var descriptions: [RecordField] { fields.map(\.description) }

    /// The fields that hold a value, keyed by name.
    public var values: [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        for field in Self.fields {
            if let value = field.value(in: self) { values[field.name] = value }
        }
        return values
    }

    /// The record's title for lists and links: its own words, else its id.
    public func title(_ language: Language) -> String { ownTitle(language) ?? id.uuidString }
}

/// What a record belongs to: a table's members write what their table owns, directly or through the
/// project, event, audit or safety plan the record is part of.
public enum Owner: Sendable, Equatable {
    /// A table, or none (then only those who may write any record of the kind may write it).
    case table(UUID?)
    /// Its project's lead table.
    case project(UUID?)
    case event(UUID?)
    case audit(UUID)
    case safetyPlan(UUID)
}

/// Turns what a form or a JSON body holds into a record, or into the list of what is wrong and where.
public enum RecordInput {
    /// From a JSON object (the API). Unknown keys are refused so a typo never passes silently.
    public static func parse<R: Record>(_ type: R.Type, json: [String: JSONValue], id: UUID) throws(WellplanError) -> R
    {
        var problems: [FieldProblem] = []
        let known = Set(R.fields.map(\.name))
        for key in json.keys.sorted() where !known.contains(key) && key != "id" {
            problems.append(FieldProblem(key, "error_unknown_field"))
        }
        var record = R.blank
        record.id = id
        for field in R.fields {
            switch checked(field.description, json[field.name] ?? .null) {
            case .value(let value): field.set(value, in: &record)
            case .problem(let problem): problems.append(problem)
            }
        }
        guard problems.isEmpty else { throw .invalid(problems) }
        let ruleProblems = record.ruleProblems()
        guard ruleProblems.isEmpty else { throw .invalid(ruleProblems) }
        return record
    }

    /// From a submitted HTML form, where every value is text and an empty box means "none".
    public static func parse<R: Record>(_ type: R.Type, form: [String: [String]], id: UUID) throws(WellplanError) -> R {
        var json: [String: JSONValue] = [:]
        var problems: [FieldProblem] = []
        for field in R.fields {
            let values = (form[field.name] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            let text = values.first ?? ""
            switch field.kind {
            case .tags, .references:
                let items = values.flatMap { $0.split(separator: ",").map(String.init) }
                json[field.name] = .array(items.map(JSONValue.string))
            case .flag: json[field.name] = .bool(isTicked(values))
            case _ where text.isEmpty: continue
            case .integer:
                if let n = Int(text) {
                    json[field.name] = .number(Double(n))
                } else {
                    problems.append(FieldProblem(field.name, "error_not_integer"))
                }
            case .number:
                if let n = Double(text.replacingOccurrences(of: ",", with: ".")), n.isFinite {
                    json[field.name] = .number(n)
                } else {
                    problems.append(FieldProblem(field.name, "error_not_number"))
                }
            default: json[field.name] = .string(text)
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

    /// A stored record as form values.
    public static func formValues(_ record: some Record) -> [String: [String]] {
        record.values.mapValues(\.formTexts)
    }

    private enum Checked {
        /// The value to set; nil for none.
        case value(FieldValue?)
        case problem(FieldProblem)
    }

    /// One field's JSON value checked against what the field holds.
    private static func checked(_ field: RecordField, _ raw: JSONValue) -> Checked {
        let name = field.name
        func fail(_ key: String, _ values: [String] = []) -> Checked {
            .problem(FieldProblem(name, key, values))
        }
        /// Nothing given: a yes/no takes its default (what a new record holds); any other field must be optional.
        func none() -> Checked {
            if case .flag(let fallback) = field.kind { return .value(.flag(fallback)) }
            return field.isRequired ? fail("error_required") : .value(nil)
        }
        if raw == .null { return none() }
        switch field.kind {
        case .text, .longText:
            guard case .string(let text) = raw else { return fail("error_not_text") }
            let limit = if case .text(let max) = field.kind { max } else { 20_000 }
            // One line break, as stored: browsers send a text area's as CR LF, and a form saved untouched
            // must not change the text it shows.
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                .replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            if trimmed.isEmpty { return none() }
            if trimmed.count > limit { return fail("error_too_long", [String(limit)]) }
            let control = trimmed.unicodeScalars.contains { scalar in
                scalar.properties.generalCategory == .control && !"\n\r\t".unicodeScalars.contains(scalar)
            }
            if control { return fail("error_control_characters") }
            return .value(.text(trimmed))
        case .day:
            guard case .string(let text) = raw, let day = Day(text) else { return fail("error_not_day") }
            return .value(.day(day))
        case .integer(let range):
            guard case .number(let number) = raw, let n = Int(exactly: number) else { return fail("error_not_integer") }
            guard range.contains(n) else {
                return fail("error_out_of_range", [String(range.lowerBound), String(range.upperBound)])
            }
            return .value(.integer(n))
        case .number:
            guard case .number(let number) = raw, number.isFinite, abs(number) < 1e15 else {
                return fail("error_not_number")
            }
            return .value(.number(number))
        case .choice(let list):
            guard case .string(let code) = raw else { return fail("error_not_text") }
            if code.isEmpty { return none() }
            guard list.contains(code) else { return fail("error_not_in_list", [code]) }
            return .value(.code(code))
        case .tags(let list):
            guard let texts = strings(raw) else { return fail("error_not_list") }
            // None chosen is no list at all, however it was sent: the form sends nothing, the API may send [].
            let codes = TagSet(texts)
            if codes.isEmpty { return none() }
            if let unknown = codes.codes.first(where: { !list.contains($0) }) {
                return fail("error_not_in_list", [unknown])
            }
            return .value(.codes(codes))
        case .references:
            guard let texts = strings(raw) else { return fail("error_not_list") }
            let unique = TagSet(texts).codes
            if unique.isEmpty { return none() }
            if let bad = unique.first(where: { UUID(uuidString: $0) == nil }) {
                return fail("error_not_reference", [bad])
            }
            return .value(.references(unique.compactMap(UUID.init(uuidString:))))
        case .reference:
            guard case .string(let text) = raw else { return fail("error_not_reference") }
            if text.isEmpty { return none() }
            guard let id = UUID(uuidString: text) else { return fail("error_not_reference") }
            return .value(.reference(id))
        case .flag:
            guard case .bool(let flag) = raw else { return fail("error_not_flag") }
            return .value(.flag(flag))
        }
    }

    /// A JSON array of texts, else nil.
    private static func strings(_ raw: JSONValue) -> [String]? {
        guard case .array(let items) = raw else { return nil }
        var texts: [String] = []
        for item in items {
            guard case .string(let text) = item else { return nil }
            texts.append(text)
        }
        return texts
    }
}
