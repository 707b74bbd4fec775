import Foundation

/// A CSV file as people export it: UTF-8 with or without a byte-order mark, or Windows-1252 from older
/// spreadsheet tools; comma, semicolon or tab separated; quoted fields with doubled quotes and line
/// breaks (RFC 4180). Each row keeps the line it starts on, so every problem can name its line.
public struct CSVDocument: Sendable {
    public struct Row: Sendable, Equatable {
        public let line: Int
        public let fields: [String]

        /// The problem with a row that holds values beyond the header's columns, which have lost their meaning.
        public func extraFields(beyond columns: Int) -> FieldProblem? {
            guard fields.count > columns, fields[columns...].contains(where: { !$0.isEmpty }) else { return nil }
            return FieldProblem("line \(line)", "error_csv_extra_fields", [String(columns), String(fields.count)])
        }
    }

    public let header: [String]
    public let rows: [Row]

    public init(data: Data) throws(WellplanError) {
        let text = Self.decode(data)
        var records = try Self.parse(text)
        while let last = records.last, last.fields.allSatisfy(\.isEmpty) { records.removeLast() }
        guard let first = records.first, !first.fields.allSatisfy(\.isEmpty) else {
            throw .invalid([FieldProblem("file", "error_csv_empty")])
        }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = records.dropFirst().filter { !$0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
    }

    /// UTF-8 (a leading byte-order mark dropped), else Windows-1252, which every byte sequence is.
    static func decode(_ data: Data) -> String {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(data: bytes, encoding: .utf8) { return text }
        return String(data: bytes, encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// The separator the header uses most, counting only outside quotes (LimeSurvey quotes whole question
    /// texts, commas and line breaks included, in a semicolon-separated header).
    static func separator(_ text: Substring) -> Character {
        let candidates: [Character] = [",", ";", "\t"]
        var counts = [0, 0, 0]
        var quoted = false
        for c in text {
            if c == "\"" {
                quoted.toggle()
            } else if !quoted {
                if c == "\n" || c == "\r\n" || c == "\r" { break }
                if let i = candidates.firstIndex(of: c) { counts[i] += 1 }
            }
        }
        // Ties keep the first candidate: a comma.
        let best = counts.indices.max { counts[$0] < counts[$1] }!
        return counts[best] > 0 ? candidates[best] : ","
    }

    static func parse(_ text: String) throws(WellplanError) -> [Row] {
        let separator = separator(text[...])
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var quoted = false, fieldStarted = false
        var line = 1, rowLine = 1
        var iterator = text.makeIterator()
        var pending: Character?
        func endField() {
            fields.append(field)
            field = ""
            fieldStarted = false
        }
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where !fieldStarted && field.isEmpty:
                quoted = true
                fieldStarted = true
            case separator:
                endField()
            case "\n", "\r\n", "\r":
                endField()
                rows.append(Row(line: rowLine, fields: fields))
                fields = []
                line += 1
                rowLine = line
            default:
                field.append(c)
                fieldStarted = true
            }
        }
        if quoted { throw .invalid([FieldProblem("line \(rowLine)", "error_csv_unclosed_quote")]) }
        if !field.isEmpty || !fields.isEmpty || fieldStarted {
            endField()
            rows.append(Row(line: rowLine, fields: fields))
        }
        return rows
    }

    /// The column's position by its header, compared without case or surrounding spaces.
    public func column(_ name: String) -> Int? {
        header.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame }
    }
}

/// The one import pipeline every importer plugs into: each row becomes an item or a list of problems
/// naming its line and column; if any row has a problem nothing is imported, and every problem is told.
public protocol RowImporter {
    associatedtype Item
    /// Columns that must be present in the header.
    var requiredColumns: [String] { get }
    /// One row as an item; `value` reads a column by name ("" when the column is absent or empty).
    mutating func item(line: Int, value: (String) -> String) throws(WellplanError) -> Item
}

public enum ImportPipeline {
    /// At most this many problems are reported; a file that wrong needs fixing at its source.
    public static let problemLimit = 100

    public static func items<I: RowImporter>(_ document: CSVDocument, _ importer: inout I) throws(WellplanError) -> [I.Item] {
        let missing = importer.requiredColumns.filter { document.column($0) == nil }
        if !missing.isEmpty { throw .invalid(missing.map { FieldProblem("line 1: \($0)", "error_csv_missing_column", [$0]) }) }
        let positions = Dictionary(document.header.enumerated().map { ($0.element.lowercased(), $0.offset) }) { first, _ in first }
        var items: [I.Item] = []
        var problems: [FieldProblem] = []
        for row in document.rows {
            if let extra = row.extraFields(beyond: document.header.count) {
                problems.append(extra)
                continue
            }
            do throws(WellplanError) {
                items.append(
                    try importer.item(line: row.line) { name in
                        guard let i = positions[name.lowercased()], i < row.fields.count else { return "" }
                        return row.fields[i].trimmingCharacters(in: .whitespaces)
                    })
            } catch {
                guard case .invalid(let found) = error else { throw error }
                problems += found.map { FieldProblem("line \(row.line): \($0.field)", $0.messageKey, $0.values) }
            }
            if problems.count >= problemLimit { break }
        }
        if !problems.isEmpty { throw .invalid(Array(problems.prefix(problemLimit))) }
        return items
    }
}
