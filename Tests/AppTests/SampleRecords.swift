import Foundation
import Testing
import Vapor
import WellplanCore

@testable import App

/// Records of every kind made from their descriptions alone: each field filled with a value its kind
/// allows, references pointing at records made the same way. Tests over every kind use them, so a kind
/// nobody wrote a test for is covered the day it is described.
final class SampleRecords: @unchecked Sendable {
    enum Variant: CaseIterable, CustomStringConvertible {
        /// Every field filled; each yes/no the other way from its default.
        case full
        /// Only what is required; each yes/no at its default.
        case bare

        var description: String { self == .full ? "full" : "bare" }
    }

    let writer: RecordWriter
    private var parents: [RecordKind: UUID] = [:]
    /// Kinds being made for a reference: a kind that refers to its own (a calculated measure's inputs)
    /// leaves that reference out rather than make itself forever.
    private var making: [RecordKind: Int] = [:]
    private var made = 0

    init(_ app: Application) {
        writer = RecordWriter(db: app.db, author: .commandLine)
    }

    /// A stored record of the kind, or nil for a kind no sample can be made of from its description alone.
    func make(_ kind: RecordKind, _ variant: Variant) async throws -> any Record {
        func open<R: Record>(_ type: R.Type) async throws -> any Record { try await make(R.self, variant) }
        return try await open(kind.recordType)
    }

    func make<R: Record>(_ type: R.Type, _ variant: Variant) async throws -> R {
        made += 1
        let number = made
        making[R.kind, default: 0] += 1
        defer { making[R.kind, default: 0] -= 1 }
        var choice: [String: Int] = [:]
        var left: Set<String> = []
        // A bare record that a rule across fields refuses (a place or online; a latitude with its
        // longitude) has its optional fields filled after all.
        var fillAll = variant == .full
        for attempt in 0..<40 {
            var json: [String: JSONValue] = [:]
            for (index, field) in R.fields.enumerated() where !left.contains(field.name) {
                guard field.isRequired || fillAll else { continue }
                let options = try await candidates(field.description, index: index, number, variant)
                let n = choice[field.name, default: 0]
                if n < options.count { json[field.name] = options[n] }
            }
            do {
                let record = try RecordInput.parse(R.self, json: json, id: UUID())
                try await writer.create(record)
                return record
            } catch WellplanError.invalid(let problems) {
                // Try each field's next value; an optional field with none left is left out.
                func advance(_ field: Field<R>) async throws -> Bool {
                    let n = choice[field.name, default: 0] + 1
                    choice[field.name] = n
                    guard n >= (try await candidates(field.description, index: 0, number, variant)).count else {
                        return true
                    }
                    if field.isRequired { return false }
                    left.insert(field.name)
                    return true
                }
                for problem in problems {
                    guard let index = R.fields.firstIndex(where: { $0.name == problem.field }) else { continue }
                    let field = R.fields[index]
                    if json[field.name] == nil, !left.contains(field.name), !fillAll {
                        fillAll = true
                        break
                    }
                    if !left.contains(field.name), try await advance(field) { continue }
                    // Nothing more to try here: the choice before it that asks for it is tried otherwise
                    // (a calculation that needs inputs a sample cannot give).
                    let earlier = R.fields[..<index].last { earlier in
                        guard case .choice = earlier.kind else { return false }
                        return !left.contains(earlier.name)
                    }
                    guard let earlier, try await advance(earlier) else {
                        throw SampleError(kind: R.kind, problems: problems)
                    }
                }
                if attempt == 39 { throw SampleError(kind: R.kind, problems: problems) }
            } catch WellplanError.conflict(let key) {
                throw SampleError(kind: R.kind, problems: [FieldProblem("record", key)])
            }
        }
        fatalError("unreachable")
    }

    struct SampleError: Error, CustomStringConvertible {
        let kind: RecordKind
        let problems: [FieldProblem]
        var description: String {
            "no sample \(kind) could be made: \(problems.map { "\($0.field) \($0.messageKey)" })"
        }
    }

    /// The values a field may try, in order: the first that the record's rules accept is kept.
    private func candidates(_ field: RecordField, index: Int, _ n: Int, _ variant: Variant) async throws -> [JSONValue]
    {
        switch field.kind {
        case .text(let max):
            // Markup, quotes, accents and an ampersand, which every page must write back as they were.
            let texts = ["\(n) «\(field.name)» & <b>'tag'</b> “é”", "Sample \(n)", "s\(n)", "\(n)", "\(2000 + n)"]
            return texts.map { .string(String($0.prefix(max))) }
        case .longText:
            return [.string("\(n): first line & <em>\"two\"</em>\nsecond line ‘é’ ✓"), .string("Plain text \(n)")]
        case .day:
            let day = Day("2025-01-01")!.adding(days: 20 * index)
            return [day, day.adding(days: 400), day.adding(days: -400)].map { .string($0.description) }
        case .integer(let range):
            return [min(range.upperBound, max(range.lowerBound, 3)), range.lowerBound, range.upperBound].map {
                .number(Double($0))
            }
        case .number:
            return [2.5, 1234.75, 0.125, 1.0]
        case .choice(let list):
            return list.activeEntries.prefix(12).map { .string($0.code) }
        case .tags(let list):
            let codes = list.activeEntries.map { JSONValue.string($0.code) }
            return [.array(Array(codes.prefix(2))), .array([codes[0]])]
        case .reference(let kind):
            return try await other(kind).map { [.string($0.uuidString)] } ?? []
        case .references(let kind):
            return try await other(kind).map { [.array([.string($0.uuidString)])] } ?? []
        case .flag(let fallback):
            return [.bool(variant == .full ? !fallback : fallback)]
        }
    }

    /// A record a sample refers to: of another kind, one full record made once; of its own kind (a
    /// calculated measure's inputs), a bare one, and none further down.
    private func other(_ kind: RecordKind) async throws -> UUID? {
        switch making[kind, default: 0] {
        case 0: return try await parent(kind)
        case 1: return try await make(kind, .bare).id
        default: return nil
        }
    }

    /// One full record of the kind, made once, that samples of other kinds refer to.
    private func parent(_ kind: RecordKind) async throws -> UUID {
        if let id = parents[kind] { return id }
        let id = try await make(kind, .full).id
        parents[kind] = id
        return id
    }
}

/// A form as a browser reads it off a page and submits it when nobody touches it: the value of each
/// input, the selected option of each list, each ticked box (an unticked one sends nothing), and each
/// text area's text with its line breaks sent as CR LF, as the HTML standard has browsers send them.
struct HTMLForm {
    let action: String
    var fields: [(String, String)]

    /// The form on the page whose action is `action`.
    init?(_ html: String, action: String) {
        let forms = html.matches(of: #/(?s)<form\b([^>]*)>(.*?)</form>/#)
        guard let form = forms.first(where: { Self.attributes($0.output.1)["action"] == action }) else { return nil }
        self.action = action
        fields = []
        let controls =
            #/(?s)<(input)\b([^>]*)>|<(textarea)\b([^>]*)>(.*?)</textarea>|<(select)\b([^>]*)>(.*?)</select>/#
        for control in String(form.output.2).matches(of: controls) {
            let o = control.output
            if o.1 != nil {
                let a = Self.attributes(o.2!)
                guard let name = a["name"], a["disabled"] == nil else { continue }
                switch a["type"] ?? "text" {
                case "checkbox", "radio": if a["checked"] != nil { fields.append((name, a["value"] ?? "on")) }
                case "submit", "button", "reset", "file", "image": continue
                default: fields.append((name, a["value"] ?? ""))
                }
            } else if o.3 != nil {
                let a = Self.attributes(o.4!)
                guard let name = a["name"], a["disabled"] == nil else { continue }
                var text = Self.unescape(String(o.5!))
                if text.hasPrefix("\n") { text.removeFirst() }  // the parser drops one leading line break
                fields.append(
                    (
                        name,
                        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
                    ))
            } else {
                let a = Self.attributes(o.7!)
                guard let name = a["name"], a["disabled"] == nil else { continue }
                let options = String(o.8!).matches(of: #/(?s)<option\b([^>]*)>(.*?)</option>/#).map { option in
                    let attributes = Self.attributes(option.output.1)
                    return (
                        value: attributes["value"] ?? Self.unescape(String(option.output.2)),
                        selected: attributes["selected"] != nil
                    )
                }
                let selected = options.filter(\.selected)
                if a["multiple"] != nil {
                    fields += selected.map { (name, $0.value) }
                } else if let chosen = selected.last ?? options.first {
                    fields.append((name, chosen.value))
                }
            }
        }
    }

    /// Replaces what the named fields send, as someone typing or choosing would.
    mutating func set(_ name: String, _ values: [String]) {
        let at = fields.firstIndex { $0.0 == name } ?? fields.count
        fields.removeAll { $0.0 == name }
        fields.insert(contentsOf: values.map { (name, $0) }, at: min(at, fields.count))
    }

    static func attributes(_ text: some StringProtocol) -> [String: String] {
        var found: [String: String] = [:]
        for match in String(text).matches(of: #/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*"([^"]*)")?/#) {
            found[String(match.output.1).lowercased()] = match.output.2.map { unescape(String($0)) } ?? ""
        }
        return found
    }

    static func unescape(_ text: String) -> String {
        var out = text
        for match in text.matches(of: #/&#(x?)([0-9a-fA-F]+);/#).reversed() {
            let code = UInt32(match.output.2, radix: match.output.1.isEmpty ? 10 : 16).flatMap(Unicode.Scalar.init)
            if let code { out.replaceSubrange(match.range, with: String(Character(code))) }
        }
        return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
