import Vapor
import WellplanCore

/// How a record's fields read on a page and fill a form, derived from its field list.
struct RecordView {
    let req: Request
    var store: Records { Records(db: req.sql) }
    var lang: Language { req.language }

    struct Row: Encodable {
        let label: String
        let value: String
        let href: String?
        let provisional: Bool
    }

    struct FormField: Encodable {
        struct Option: Encodable {
            let value: String
            let label: String
            let selected: Bool
        }
        let name: String
        let label: String
        let control: String
        let value: String
        /// A checkbox's state, read by the rule that reads it back (`RecordInput.isTicked`).
        let checked: Bool
        let required: Bool
        let maxLength: Int?
        let step: String?
        let options: [Option]
        let error: String?
    }

    /// - Parameter titles: the names of what the record links to, when the page has read them already.
    func rows(_ record: some Record, only names: [String]? = nil, titles known: Titles? = nil) async throws -> [Row] {
        let values = record.values
        let titles: Titles
        if let known { titles = known } else { titles = try await Titles.load(linkedFrom: record, store, lang) }
        var rows: [Row] = []
        for field in type(of: record).descriptions where names?.contains(field.name) ?? true {
            guard let value = values[field.name] else { continue }
            let label = req.text(field.labelKey)
            switch (field.kind, value) {
            case (.choice(let list), .code(let code)):
                rows.append(
                    Row(
                        label: label, value: list.label(code, lang), href: nil,
                        provisional: list.entry(code)?.isProvisional ?? false))
            case (.tags(let list), .codes(let tags)):
                let codes = tags.codes
                rows.append(
                    Row(
                        label: label, value: codes.map { list.label($0, lang) }.joined(separator: "; "), href: nil,
                        provisional: codes.contains { list.entry($0)?.isProvisional ?? false }))
            case (.reference(let kind), .reference(let id)):
                let title = titles.of(link: id) ?? id.uuidString
                rows.append(Row(label: label, value: title, href: SiteURL.record(kind, id).path, provisional: false))
            case (.references, .references(let ids)):
                let names = ids.map { titles.of(link: $0) ?? $0.uuidString }
                rows.append(Row(label: label, value: names.joined(separator: "; "), href: nil, provisional: false))
            case (_, .number(let number)):
                rows.append(
                    Row(label: label, value: WellplanCore.Progress.number(number, lang), href: nil, provisional: false))
            case (_, .integer(let number)):
                rows.append(
                    Row(
                        label: label, value: WellplanCore.Progress.number(Double(number), lang), href: nil,
                        provisional: false))
            case (_, .flag(let flag)):
                rows.append(Row(label: label, value: req.text(flag ? "yes" : "no"), href: nil, provisional: false))
            default:
                rows.append(
                    Row(label: label, value: value.formTexts.joined(separator: ", "), href: nil, provisional: false))
            }
        }
        return rows
    }

    /// The form's controls, filled from `values` (a record's or what was just submitted).
    func formFields(_ kind: RecordKind, values: [String: [String]], problems: [FieldProblem]) async throws
        -> [FormField]
    {
        try await formFields(kind.fields, values: values, problems: problems)
    }

    func formFields(_ list: [RecordField], values: [String: [String]], problems: [FieldProblem]) async throws
        -> [FormField]
    {
        var fields: [FormField] = []
        for field in list {
            let current = values[field.name] ?? []
            let value = current.first ?? ""
            let error = problems.first { $0.field == field.name }?.message(lang)
            var control = "text", maxLength: Int?, step: String?, options: [FormField.Option] = []
            switch field.kind {
            case .text(let max): maxLength = max
            case .longText: control = "textarea"
            case .day: control = "date"
            case .integer: (control, step) = ("number", "1")
            case .number: (control, step) = ("number", "any")
            case .flag: control = "checkbox"
            case .choice(let list):
                control = "select"
                options = list.entries.filter { !$0.isRetired || $0.code == value }
                    .map { .init(value: $0.code, label: label($0), selected: $0.code == value) }
            case .tags(let list):
                control = "checkboxes"
                let chosen = Set(current.flatMap { $0.split(separator: ",").map(String.init) })
                options = list.entries.filter { !$0.isRetired || chosen.contains($0.code) }
                    .map { .init(value: $0.code, label: label($0), selected: chosen.contains($0.code)) }
            case .reference(let target):
                control = "select"
                options = try await choices(target).map {
                    .init(value: $0.0.uuidString, label: $0.1, selected: $0.0.uuidString == value)
                }
            case .references(let target):
                control = "checkboxes"
                let chosen = Set(current.flatMap { $0.split(separator: ",").map(String.init) })
                options = try await choices(target).map {
                    .init(value: $0.0.uuidString, label: $0.1, selected: chosen.contains($0.0.uuidString))
                }
            }
            fields.append(
                FormField(
                    name: field.name, label: req.text(field.labelKey), control: control, value: value,
                    checked: RecordInput.isTicked(current), required: field.isRequired, maxLength: maxLength,
                    step: step, options: options, error: error))
        }
        return fields
    }

    private func label(_ entry: CodeList.Entry) -> String {
        entry.isProvisional ? "\(entry.label(lang)) (\(req.text("provisional")))" : entry.label(lang)
    }

    private func choices(_ kind: RecordKind) async throws -> [(UUID, String)] {
        func open<R: Record>(_ type: R.Type) async throws -> [(UUID, String)] {
            let records = try await store.list(R.self, limit: 2000)
            let titles = try await Titles.load(for: records, store, lang)
            return records.map { ($0.id, titles.of($0)) }
        }
        return try await open(kind.recordType)
    }
}
