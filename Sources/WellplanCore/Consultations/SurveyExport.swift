import Crypto
import Foundation

/// A survey tool's CSV export read into questions and responses, whichever tool wrote it, told by its
/// structure: Google Forms, LimeSurvey ("code. question text" headers or codes alone, semicolons),
/// KoboToolbox (group paths, `_uuid` or `KEY`), Qualtrics (a row of codes, a row of question texts, then
/// often a row of import ids), Microsoft Forms (ID, start and completion times first), SurveyMonkey (a row
/// of questions, each spanning its options' columns, over a row of options), or any plain CSV with one
/// header row. The tools' bookkeeping columns are dropped, and so are the identifying ones
/// (IP address, recipient name and e-mail): they never reach the database.
public struct SurveyExport: Sendable {
    public enum Dialect: String, Sendable, Codable, CaseIterable {
        case googleForms, limeSurvey, kobo, qualtrics, microsoftForms, surveyMonkey, plain
    }

    public struct Question: Sendable, Equatable, Codable {
        /// The column's code as the tool names it; the key a mapping and a re-import match on.
        public let code: String
        public let text: String
    }

    public struct Response: Sendable, Equatable {
        /// The line the response starts on in the file.
        public let line: Int
        /// The tool's response id where it has one, else a digest of the row: the same row always has the same key.
        public let key: String
        /// Answers by question code; empty answers are left out.
        public let answers: [String: String]
    }

    public let dialect: Dialect
    public let questions: [Question]
    public let responses: [Response]
    /// The columns left out (the tool's bookkeeping, identifying columns, the response id), as the file names
    /// them, so the coordinator sees what was not imported before anything is.
    public let droppedColumns: [String]

    public init(data: Data) throws(WellplanError) {
        let document = try CSVDocument(data: data)
        let layout = Layout(header: document.header, firstRows: Array(document.rows.prefix(3)))
        var reader = layout.reader
        let responses = try ImportPipeline.items(document, &reader)
        dialect = layout.dialect
        questions = layout.questions
        droppedColumns = layout.droppedColumns
        self.responses = responses.compactMap { $0 }
    }

    /// What the header and the rows under it say about an export: the tool, the questions, the columns
    /// left out, and where the responses begin.
    public struct Layout: Sendable {
        public let dialect: Dialect
        public let questions: [Question]
        public let droppedColumns: [String]
        /// The lines under the header that hold no response: Qualtrics' question texts and import ids,
        /// SurveyMonkey's options.
        let leadingLines: Set<Int>
        let kept: [(code: String, position: Int)]
        let idColumn: Int?

        /// Reads the layout off the header and the first rows (three are enough for every tool).
        init(header raw: [String], firstRows rows: [CSVDocument.Row]) {
            var header = raw
            let dialect = SurveyExport.dialect(header, rows)
            var texts = header
            var leading: [CSVDocument.Row] = []
            switch dialect {
            case .qualtrics:
                // Row 2: question texts; row 3 in newer exports: {"ImportId": …} for each column.
                if let second = rows.first {
                    texts = header.indices.map {
                        $0 < second.fields.count && !second.fields[$0].isEmpty ? second.fields[$0] : header[$0]
                    }
                    leading.append(second)
                }
                if rows.count > 1, rows[1].fields.first?.hasPrefix("{\"ImportId\"") == true { leading.append(rows[1]) }
            case .limeSurvey:
                // "SCREEN1dataFromHuman. Did you collect data…": the code, then the text.
                let split = header.map { column -> (String, String) in
                    guard let dot = column.range(of: ". ") else { return (column, column) }
                    return (String(column[..<dot.lowerBound]), String(column[dot.upperBound...]))
                }
                header = split.map(\.0)
                texts = split.map(\.1)
            case .kobo:
                texts = header.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
            case .surveyMonkey:
                // Row 2 names each column's option ("Response" where the question has one column); a question's
                // text stands over its first column only.
                let options = rows.first?.fields ?? []
                leading += rows.prefix(1)
                var question = ""
                for i in header.indices {
                    if !header[i].trimmingCharacters(in: .whitespaces).isEmpty { question = header[i] }
                    let option = i < options.count ? options[i].trimmingCharacters(in: .whitespaces) : ""
                    let single = option.isEmpty || SurveyExport.surveyMonkeySingle.contains(option)
                    texts[i] = single ? question : "\(question) — \(option)"
                    header[i] = texts[i]
                }
            case .googleForms, .microsoftForms, .plain:
                break
            }
            let idColumn = SurveyExport.idColumns[dialect].flatMap { names in header.firstIndex { names.contains($0) } }
            let kept = header.indices.filter { i in
                !header[i].trimmingCharacters(in: .whitespaces).isEmpty && !SurveyExport.dropped(header[i], dialect)
                    && i != idColumn
            }
            self.dialect = dialect
            questions = kept.map { Question(code: header[$0], text: texts[$0]) }
            droppedColumns = header.indices.filter {
                !kept.contains($0) && !header[$0].trimmingCharacters(in: .whitespaces).isEmpty
            }.map { header[$0] }
            leadingLines = Set(leading.map(\.line))
            self.kept = kept.map { (header[$0], $0) }
            self.idColumn = idColumn
        }

        var reader: ResponseReader { ResponseReader(kept: kept, idColumn: idColumn, leadingLines: leadingLines) }

        /// The layout of the export in `file`, from its first rows.
        public init(of file: URL) throws {
            var stream = try CSVStream(file)
            var first: [CSVDocument.Row] = []
            while first.count < 3, let rows = try stream.nextRows() { first += rows }
            guard let header = stream.header else {
                throw WellplanError.invalid([FieldProblem("file", "error_csv_empty")])
            }
            self.init(header: header, firstRows: Array(first.prefix(3)))
        }

        /// Reads the export in `file` a piece at a time through the import pipeline, handing on each piece's
        /// responses; memory stays flat however many there are. Every bad row is named and refuses the file.
        public func responses(
            in file: URL, chunkSize: Int = ImportPipeline.pieceSize, each: ([Response]) async throws -> Void,
            progress: (Double) async -> Void = { _ in }
        ) async throws {
            var reader = self.reader
            try await ImportPipeline.stream(
                file, &reader, chunkSize: chunkSize, each: { try await each($0.compactMap { $0 }) }, progress: progress)
        }
    }

    /// Reads each row as a response through the import pipeline; a row longer than the header refuses the
    /// whole file, naming the rows.
    struct ResponseReader: RowImporter {
        /// The questions' columns: the question's code and where it is.
        let kept: [(code: String, position: Int)]
        let idColumn: Int?
        /// Lines under the header that hold no response.
        let leadingLines: Set<Int>
        let requiredColumns: [String] = []
        var seen: [String: Int] = [:]

        mutating func item(_ row: ImportRow) -> Response? {
            guard !leadingLines.contains(row.line) else { return nil }
            func field(_ i: Int) -> String {
                i < row.fields.count ? row.fields[i].trimmed(lineBreaks: true) : ""
            }
            var answers: [String: String] = [:]
            for (code, position) in kept {
                let answer = field(position)
                if !answer.isEmpty { answers[code] = answer }
            }
            var key = idColumn.map(field) ?? ""
            if key.isEmpty {
                let digest = SHA256.hash(data: Data(row.fields.joined(separator: "\u{1F}").utf8))
                key = "row:" + digest.prefix(12).hexadecimal
            }
            // A repeated id (Kobo's repeat groups: one row per household member) counts its rows in file order.
            let n = seen[key, default: 0]
            seen[key] = n + 1
            return Response(line: row.line, key: n == 0 ? key : "\(key)#\(n + 1)", answers: answers)
        }
    }

    static func dialect(_ header: [String], _ rows: [CSVDocument.Row]) -> Dialect {
        let names = Set(header)
        // Qualtrics by its structure, with or without a response id: its bookkeeping columns, or the row of
        // import ids under the row of question texts.
        if names.intersection(qualtricsBookkeeping).count >= 3 { return .qualtrics }
        if rows.count > 1, rows[1].fields.first?.hasPrefix("{\"ImportId\"") == true { return .qualtrics }
        if header.first?.hasPrefix("id. ") == true || header.contains(where: { $0.hasPrefix("submitdate. ") }) {
            return .limeSurvey
        }
        if header.first == "id", names.isSuperset(of: ["submitdate", "lastpage", "startlanguage"]) {
            return .limeSurvey
        }
        if !names.isDisjoint(with: ["_uuid", "KEY", "meta/instanceID", "_submission_time"]) { return .kobo }
        if googleFormsStamps.contains(header.first ?? "") { return .googleForms }
        if header.count >= 3, microsoftFormsStart.contains(Array(header.prefix(3))) { return .microsoftForms }
        // SurveyMonkey: its first columns, and a second row naming options where the first names questions.
        if header.first == "Respondent ID" || header.first == "ID du répondant",
            let options = rows.first?.fields, options.contains(where: surveyMonkeySingle.contains),
            options.prefix(2).allSatisfy(\.isEmpty)
        {
            return .surveyMonkey
        }
        return .plain
    }

    static let googleFormsStamps: Set<String> = [
        "Timestamp", "Horodateur", "Marca temporal", "Zeitstempel", "Informazioni cronologiche", "Carimbo de data/hora",
        "Tijdstempel",
    ]
    /// Microsoft Forms' first three columns, in English and French.
    static let microsoftFormsStart: Set<[String]> = [
        ["ID", "Start time", "Completion time"], ["ID", "Heure de début", "Heure de fin"],
    ]
    /// What SurveyMonkey's second row says over a question that has one column.
    static let surveyMonkeySingle: Set<String> = ["Response", "Open-Ended Response", "Réponse", "Réponse ouverte"]

    static let idColumns: [Dialect: Set<String>] = [
        .qualtrics: ["ResponseId", "ResponseID", "_recordId"], .limeSurvey: ["id"],
        .kobo: ["_uuid", "KEY", "meta/instanceID", "uuid"],
        .microsoftForms: ["ID"], .surveyMonkey: ["Respondent ID", "ID du répondant"],
    ]

    /// What Qualtrics adds to every export besides the questions.
    static let qualtricsBookkeeping: Set<String> = [
        "StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished", "RecordedDate",
        "RecipientLastName", "RecipientFirstName", "RecipientEmail", "ExternalReference", "ExternalDataReference",
        "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage", "ResponseId", "ResponseID",
        "_recordId",
    ]

    /// Bookkeeping and identifying columns, by tool.
    static func dropped(_ column: String, _ dialect: Dialect) -> Bool {
        switch dialect {
        case .qualtrics:
            // Q_RecaptchaScore, Q_RelevantIDDuplicate…: Qualtrics' own embedded fields; Q1_DO: display order.
            qualtricsBookkeeping.contains(column) || column.hasPrefix("Q_") || column.hasSuffix("_DO")
        case .limeSurvey:
            ["submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "ipaddr", "refurl"].contains(
                column)
        case .kobo:
            column.hasPrefix("_")
                || [
                    "start", "end", "today", "deviceid", "username", "simserial", "subscriberid", "phonenumber", "uuid",
                    "KEY",
                ]
                .contains(column)
                || column.hasPrefix("meta/") || column.hasPrefix("__")
        case .googleForms:
            googleFormsStamps.contains(column) || ["Email Address", "Adresse e-mail"].contains(column)
        case .microsoftForms:
            [
                "Start time", "Completion time", "Email", "Name", "Last modified time", "Total points", "Quiz feedback",
                "Heure de début",
                "Heure de fin", "Adresse de messagerie", "Nom", "Heure de la dernière modification",
            ].contains(column) || column.hasPrefix("Points - ") || column.hasPrefix("Feedback - ")
        case .surveyMonkey:
            [
                "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name", "Last Name",
                "ID du collecteur",
                "Date de début", "Date de fin", "Adresse IP", "Adresse e-mail", "Prénom", "Nom",
            ].contains(column) || column.hasPrefix("Custom Data")
        case .plain:
            false
        }
    }
}
