import Foundation

/// A CSV file as people export it: UTF-8 with or without a byte-order mark, or Windows-1252 from older
/// spreadsheet tools; comma, semicolon or tab separated; quoted fields with doubled quotes and line
/// breaks (RFC 4180). Each row keeps the line it starts on, so every problem can name its line.
public struct CSVDocument: Sendable {
    public struct Row: Sendable, Equatable {
        public let line: Int
        public let fields: [String]
        /// Whether a field holds an invisible control character (C0 but tab and line breaks, DEL, C1): no
        /// record takes one, and PostgreSQL cannot store a NUL at all.
        public let holdsControlCharacters: Bool

        public init(line: Int, fields: [String], holdsControlCharacters: Bool = false) {
            self.line = line
            self.fields = fields
            self.holdsControlCharacters = holdsControlCharacters
        }

        /// What is wrong with the row as a row, before any of its fields is read: values beyond the header's
        /// columns, which have lost their meaning, or control characters.
        public func problem(width columns: Int) -> FieldProblem? {
            if holdsControlCharacters { return FieldProblem("line \(line)", "error_control_characters") }
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
        // Every line, header and the rows a survey tool puts under it included, before any is read.
        let controls = records.filter(\.holdsControlCharacters).prefix(ImportPipeline.problemLimit)
        if !controls.isEmpty {
            throw .invalid(controls.map { FieldProblem("line \($0.line)", "error_control_characters") })
        }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = records.dropFirst().filter { !$0.fields.allSatisfy { $0.trimmed().isEmpty } }
    }

    /// A document read by an importer that first turned some rows into its header (a survey tool's rows of
    /// question texts).
    public init(header: [String], rows: [Row]) {
        self.header = header
        self.rows = rows
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
    static func separator(_ text: Substring) -> Character { separator(text, wholeHeader: false)! }

    /// With `wholeHeader`, nil until the text holds the header's end (a line break outside quotes).
    static func separator(_ text: Substring, wholeHeader: Bool) -> Character? {
        let candidates: [Character] = [",", ";", "\t"]
        var counts = [0, 0, 0]
        var quoted = false
        var ended = false
        for c in text {
            if c == "\"" {
                quoted.toggle()
            } else if !quoted {
                if c == "\n" || c == "\r\n" || c == "\r" {
                    ended = true
                    break
                }
                if let i = candidates.firstIndex(of: c) { counts[i] += 1 }
            }
        }
        if wholeHeader && !ended { return nil }
        // Ties keep the first candidate: a comma.
        let best = counts.indices.max { counts[$0] < counts[$1] }!
        return counts[best] > 0 ? candidates[best] : ","
    }

    static func parse(_ text: String) throws(WellplanError) -> [Row] {
        var rows: [Row] = []
        var parser = CSVParser(separator: separator(text[...]))
        parser.feed(text[...]) { rows.append($0) }
        do {
            try parser.finish { rows.append($0) }
        } catch let error as WellplanError {
            throw error
        } catch {
            throw .invalid([FieldProblem("file", "error_malformed")])
        }
        return rows
    }

    /// The column's position by its header, compared without case or surrounding spaces.
    public func column(_ name: String) -> Int? {
        header.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame }
    }
}

/// The reading of CSV text into rows, piece by piece: quotes with doubled quotes and line breaks inside
/// them, any line ending. `CSVDocument` feeds it a whole file; `CSVStream` a megabyte at a time. It reads
/// UTF-8 bytes, not characters: every byte it looks for is ASCII, which no multi-byte character contains,
/// and reading characters (grapheme by grapheme) was most of an import's parsing time.
struct CSVParser {
    let separator: UInt8
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var quoted = false, fieldStarted = false, quoteMayClose = false, afterCR = false
    private var line = 1, rowLine = 1
    /// Whether the row so far holds a control character, and whether the last byte began a C1 one's UTF-8.
    private var control = false, afterC2 = false

    private static let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    private static let tab = UInt8(ascii: "\t")

    init(separator: Character) { self.separator = separator.asciiValue ?? UInt8(ascii: ",") }

    mutating func feed(_ text: Substring, _ emit: (CSVDocument.Row) throws -> Void) rethrows {
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F || (afterC2 && byte < 0xA0) {
                let spacing = byte == Self.newline || byte == Self.carriageReturn || byte == Self.tab
                if !spacing { control = true }
            }
            afterC2 = byte == 0xC2
            // A "\r\n" is one line ending, even split between two pieces.
            if afterCR {
                afterCR = false
                if byte == Self.newline {
                    if quoted { field.append(byte) }
                    continue
                }
            }
            if quoteMayClose {
                quoteMayClose = false
                if byte == Self.quote {
                    field.append(byte)
                    continue
                }
                quoted = false
            }
            if quoted {
                if byte == Self.quote {
                    quoteMayClose = true
                } else {
                    if byte == Self.newline || byte == Self.carriageReturn { line += 1 }
                    afterCR = byte == Self.carriageReturn
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case Self.quote where !fieldStarted && field.isEmpty:
                quoted = true
                fieldStarted = true
            case separator:
                endField()
            case Self.newline, Self.carriageReturn:
                endField()
                try emit(row())
                fields = []
                line += 1
                rowLine = line
                afterCR = byte == Self.carriageReturn
            default:
                field.append(byte)
                fieldStarted = true
            }
        }
    }

    mutating func finish(_ emit: (CSVDocument.Row) throws -> Void) throws {
        if quoteMayClose { (quoteMayClose, quoted) = (false, false) }
        if quoted { throw WellplanError.invalid([FieldProblem("line \(rowLine)", "error_csv_unclosed_quote")]) }
        if !field.isEmpty || !fields.isEmpty || fieldStarted {
            endField()
            try emit(row())
        }
    }

    private mutating func row() -> CSVDocument.Row {
        defer { control = false }
        return CSVDocument.Row(line: rowLine, fields: fields, holdsControlCharacters: control)
    }

    private mutating func endField() {
        let text = String(decoding: field, as: UTF8.self)
        // The `'` that `CSVWriter` puts before what a spreadsheet would run as a formula is read away.
        let neutralised = field.first == UInt8(ascii: "'") && CSVWriter.isNeutralised(text)
        fields.append(neutralised ? String(text.dropFirst()) : text)
        field.removeAll(keepingCapacity: true)
        fieldStarted = false
    }
}

/// A CSV file read a megabyte at a time, so that memory stays flat however long the file is: the same
/// encodings, separators and quoting as `CSVDocument`. The header comes first, then each non-empty row.
public struct CSVStream {
    private let handle: FileHandle
    private let chunkSize: Int
    private var parser: CSVParser?
    private var carry = Data()
    private var utf8 = true
    private var first = true
    private var head = ""
    private var ended = false
    /// The header, once the piece holding it has been read.
    public private(set) var header: [String]?
    private let size: Int
    private var read = 0

    public init(_ url: URL, chunkSize: Int = 1 << 20) throws {
        handle = try FileHandle(forReadingFrom: url)
        self.chunkSize = chunkSize
        size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }

    /// How much of the file has been read, from 0 to 1.
    public var fractionRead: Double { size == 0 ? 1 : min(1, Double(read) / Double(size)) }

    /// Reads the whole file, header first, then row by row.
    public static func read(
        _ url: URL, chunkSize: Int = 1 << 20, header: ([String]) throws -> Void, row: (CSVDocument.Row) throws -> Void
    ) throws {
        var stream = try CSVStream(url, chunkSize: chunkSize)
        var toldHeader = false
        while let rows = try stream.nextRows() {
            if !toldHeader, let h = stream.header {
                try header(h)
                toldHeader = true
            }
            for r in rows { try row(r) }
        }
    }

    /// The rows of the next piece of the file (often none, for a piece inside a long quoted field), or nil
    /// once the file is done. The header is not among them: it is `header`.
    public mutating func nextRows() throws -> [CSVDocument.Row]? {
        guard !ended else { return nil }
        var out: [CSVDocument.Row] = []
        var sawHeader = header != nil
        var found: [String]?
        var headerProblem: FieldProblem?
        func emit(_ r: CSVDocument.Row) {
            if !sawHeader {
                guard !r.fields.allSatisfy(\.isEmpty) else { return }
                sawHeader = true
                headerProblem = r.problem(width: r.fields.count)
                found = r.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            } else if !r.fields.allSatisfy({ $0.trimmed().isEmpty }) {
                out.append(r)
            }
        }
        let chunk = try handle.read(upToCount: chunkSize) ?? Data()
        read += chunk.count
        var bytes = carry + chunk
        carry = Data()
        if first {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            first = false
        }
        var text: String
        if utf8 {
            // Up to three trailing bytes of a character cut by the piece wait for the next one.
            var cut = bytes.endIndex
            if !chunk.isEmpty {
                var back = 0
                while back < 3, cut > bytes.startIndex, bytes[cut - 1] & 0xC0 == 0x80 {
                    cut -= 1
                    back += 1
                }
                if cut > bytes.startIndex, bytes[cut - 1] & 0xC0 == 0xC0 { cut -= 1 } else { cut = bytes.endIndex }
            }
            if let decoded = String(data: bytes[bytes.startIndex..<cut], encoding: .utf8) {
                text = decoded
                carry = Data(bytes[cut...])
            } else {
                utf8 = false
                text = String(data: bytes, encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
            }
        } else {
            text = String(data: bytes, encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
        }
        if parser == nil {
            // The separator is read off the whole header line, which may span pieces.
            head += text
            if let separator = CSVDocument.separator(head[...], wholeHeader: !chunk.isEmpty) {
                parser = CSVParser(separator: separator)
                text = head
                head = ""
            } else {
                text = ""
            }
        }
        parser?.feed(text[...], emit)
        if chunk.isEmpty {
            ended = true
            try handle.close()
            try parser?.finish { emit($0) }
            if !sawHeader { throw WellplanError.invalid([FieldProblem("file", "error_csv_empty")]) }
        }
        if let headerProblem { throw WellplanError.invalid([headerProblem]) }
        if let found { header = found }
        return out
    }
}

/// The one import pipeline every importer plugs into: each row becomes an item or a list of problems
/// naming its line and column; if any row has a problem nothing is imported, and every problem is told.
public protocol RowImporter {
    associatedtype Item
    /// Columns that must be present in the header.
    var requiredColumns: [String] { get }
    /// One row as an item.
    mutating func item(_ row: ImportRow) throws(WellplanError) -> Item
    /// Sees the header before the first row, for importers whose columns are the data (a wide table's areas).
    mutating func begin(header: [String]) throws(WellplanError)
}

extension RowImporter {
    public mutating func begin(header: [String]) throws(WellplanError) {}
}

/// One row as an importer reads it: its line, a column by name (trimmed; "" when the column is absent or
/// empty), and its fields as the file has them, for importers that read by position.
public struct ImportRow {
    public let line: Int
    public let fields: [String]
    let positions: [String: Int]

    init(_ row: CSVDocument.Row, positions: [String: Int]) {
        line = row.line
        fields = row.fields
        self.positions = positions
    }

    public subscript(_ column: String) -> String {
        guard let i = positions[column] ?? positions[column.lowercased()], i < fields.count else { return "" }
        return fields[i].trimmed()
    }

    /// Where each column is, by its name in lower case, the first of two alike winning; and by its name as
    /// written where that finds the same column, so a lookup by the header's own name lowers no text.
    static func positions(_ header: [String]) -> [String: Int] {
        let named = header.enumerated().map { ($0.element.lowercased(), $0.offset) }
        var positions = Dictionary(named) { first, _ in first }
        for (offset, name) in header.enumerated() where positions[name.lowercased()] == offset {
            positions[name] = offset
        }
        return positions
    }
}

/// The problems an import finds, each named by where it was found ("line 12: date", "feature 3: geometry"):
/// the one way every importer (CSV rows, GeoJSON features, survey responses) reads its input item by item,
/// keeps going to name every bad item, and refuses the whole input if any was bad.
public struct ImportProblems: Sendable {
    public private(set) var found: [FieldProblem] = []

    public init() {}

    /// Whether enough has been found: a file that wrong needs fixing at its source.
    public var isFull: Bool { found.count >= ImportPipeline.problemLimit }
    public var isEmpty: Bool { found.isEmpty }

    /// Reads one item; what it refuses is kept under `place` and the item is nil.
    public mutating func read<T>(at place: String, _ body: () throws(WellplanError) -> T) throws(WellplanError) -> T? {
        do throws(WellplanError) {
            return try body()
        } catch {
            guard case .invalid(let problems) = error else { throw error }
            for problem in problems { add(problem, at: place) }
            return nil
        }
    }

    /// A problem of the item at `place` ("line 4", "feature 2"), naming its field when it has one.
    public mutating func add(_ problem: FieldProblem, at place: String) {
        let field = problem.field.isEmpty ? place : "\(place): \(problem.field)"
        found.append(FieldProblem(field, problem.messageKey, problem.values))
    }

    /// A problem already named by its place (a row longer than the header).
    public mutating func add(_ problem: FieldProblem) { found.append(problem) }

    /// Refuses the input when anything was found.
    public func check() throws(WellplanError) {
        if !found.isEmpty { throw .invalid(Array(found.prefix(ImportPipeline.problemLimit))) }
    }
}

public enum ImportPipeline {
    /// At most this many problems are reported; a file that wrong needs fixing at its source.
    public static let problemLimit = 100

    /// How much of a file is read at a time. An import holds about two pieces' rows (one being written in the
    /// background while the next is read): a megabyte took a million incidents to 150 MB.
    public static let pieceSize = 1 << 18

    public static func items<I: RowImporter>(_ document: CSVDocument, _ importer: inout I) throws(WellplanError) -> [I
        .Item]
    {
        let missing = importer.requiredColumns.filter { document.column($0) == nil }
        if !missing.isEmpty {
            throw .invalid(missing.map { FieldProblem("line 1: \($0)", "error_csv_missing_column", [$0]) })
        }
        try importer.begin(header: document.header)
        let positions = ImportRow.positions(document.header)
        var items: [I.Item] = []
        var problems = ImportProblems()
        for row in document.rows where !problems.isFull {
            if let wrong = row.problem(width: document.header.count) {
                problems.add(wrong)
                continue
            }
            let item = try problems.read(at: "line \(row.line)") { () throws(WellplanError) in
                try importer.item(ImportRow(row, positions: positions))
            }
            if let item { items.append(item) }
        }
        try problems.check()
        return items
    }
}

extension ImportPipeline {
    /// The pipeline over a file read piece by piece (`CSVStream`): the same checks, every problem told with
    /// its line, and each piece's good items handed on before the next piece is read. Once a problem is
    /// found nothing more is handed on; the caller keeps what it was handed only if the whole file passes
    /// (it writes in one transaction, or reads the file twice).
    public static func stream<I: RowImporter>(
        _ url: URL, _ importer: inout I, chunkSize: Int = pieceSize, each: ([I.Item]) async throws -> Void,
        progress: (Double) async -> Void = { _ in }
    ) async throws {
        var stream = try CSVStream(url, chunkSize: chunkSize)
        var positions: [String: Int] = [:]
        var started = false
        var width = 0
        var problems = ImportProblems()
        while let rows = try stream.nextRows() {
            if !started, let header = stream.header {
                started = true
                let missing = importer.requiredColumns.filter { name in
                    !header.contains { $0.caseInsensitiveCompare(name) == .orderedSame }
                }
                if !missing.isEmpty {
                    throw WellplanError.invalid(
                        missing.map { FieldProblem("line 1: \($0)", "error_csv_missing_column", [$0]) })
                }
                positions = ImportRow.positions(header)
                width = header.count
                try importer.begin(header: header)
            }
            var items: [I.Item] = []
            for row in rows where !problems.isFull {
                if let wrong = row.problem(width: width) {
                    problems.add(wrong)
                    continue
                }
                let item = try problems.read(at: "line \(row.line)") { () throws(WellplanError) in
                    try importer.item(ImportRow(row, positions: positions))
                }
                if let item { items.append(item) }
            }
            if problems.isEmpty && !items.isEmpty { try await each(items) }
            await progress(stream.fractionRead)
        }
        try problems.check()
    }
}
