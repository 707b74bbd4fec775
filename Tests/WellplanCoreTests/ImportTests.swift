import Foundation
import Testing

@testable import WellplanCore

@Suite struct CSVDocumentTests {
    /// The quick trim gives what Foundation's gives, for both sets importers trim, with every scalar of the
    /// Basic Multilingual Plane at either end of a field (and alone, and doubled).
    @Test func fieldsAreTrimmedAsFoundationTrimsThem() {
        for (lineBreaks, characters) in [(false, CharacterSet.whitespaces), (true, .whitespacesAndNewlines)] {
            for value in UInt32(0)...0xFFFF {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let c = String(Character(scalar))
                for field in [c, c + "a", "a" + c, c + "a b" + c, c + c] {
                    #expect(
                        field.trimmed(lineBreaks: lineBreaks) == field.trimmingCharacters(in: characters),
                        "U+\(String(value, radix: 16))")
                }
            }
        }
    }

    @Test func quotedFieldsLineBreaksAndDoubledQuotesKeepTheirLines() throws {
        let csv = "a,b\r\n1,\"two\nlines\"\r\n\"say \"\"hi\"\"\",3\n"
        let doc = try CSVDocument(data: Data(csv.utf8))
        #expect(doc.header == ["a", "b"])
        #expect(
            doc.rows == [.init(line: 2, fields: ["1", "two\nlines"]), .init(line: 4, fields: ["say \"hi\"", "3"])])
    }

    @Test func aByteOrderMarkIsDroppedAndWindows1252IsRead() throws {
        let bom = try CSVDocument(data: Data([0xEF, 0xBB, 0xBF] + Array("name;city\nÉlise;Montréal\n".utf8)))
        #expect(bom.header == ["name", "city"] && bom.rows[0].fields == ["Élise", "Montréal"])
        let latin = try CSVDocument(
            data: Data(
                Array("name,city\n".utf8) + [
                    0x45, 0x6C, 0xE9, 0x6E, 0x61, 0x2C, 0x51, 0x75, 0xE9, 0x62, 0x65, 0x63, 0x0A,
                ]))
        #expect(latin.rows[0].fields == ["Eléna", "Québec"])
    }

    @Test func anEmptyFileIsRefused() {
        #expect(throws: WellplanError.invalid([FieldProblem("file", "error_csv_empty")])) {
            try CSVDocument(data: Data("\n\n".utf8))
        }
    }
}

@Suite struct RTDFormatTests {
    let table = UUID(), police = UUID(), school = UUID()
    var agencies: RTDFormat.Agencies { [police: ("City police", "police"), school: ("School board", "education")] }

    func discussions() throws -> [SituationDiscussion] {
        let base = SituationDiscussion(
            tableId: table, number: 1, presentedOn: Day("2025-02-03")!, discussionType: "person", ageBand: "16-17",
            gender: "female", originatingSector: "education",
            riskFactors: ["drugs.use_by_person", "alcohol.use_by_person"],
            studyFlags: ["opioids"])
        var rejected = base
        rejected.number = 2
        rejected = try DiscussionLifecycle.apply(.reject, to: rejected)
        var concluded = base
        concluded.number = 3
        for event: DiscussionEvent in [
            .accept(on: Day("2025-02-03")!),
            .planIntervention(lead: police, assisting: [school], firstContactPlannedOn: Day("2025-02-04")!),
            .recordFirstContact(on: Day("2025-02-04")!),
            .conclude(outcome: "still_aer", reason: "still_aer.refused", on: Day("2025-03-01")!),
        ] {
            concluded = try DiscussionLifecycle.apply(event, to: concluded)
        }
        // "Other" is a reason under each outcome: the label alone does not say which.
        var other = concluded
        other.number = 4
        other.conclusionReason = "still_aer.other"
        return [base, rejected, concluded, other]
    }

    func export(_ list: [SituationDiscussion]) -> Data {
        Data(
            (CSVWriter.line(RTDFormat.columns)
                + list.map { CSVWriter.line(RTDFormat.row($0, agencies: agencies)) }.joined()).utf8)
    }

    @Test func aRejectedDiscussionReadsNotApplicable() throws {
        let row = RTDFormat.row(try discussions()[1], agencies: agencies)
        let column = { (name: String) in row[RTDFormat.columns.firstIndex(of: name)!] }
        #expect(column("status") == "Rejected: threshold not met")
        #expect(column("risk_factors") == "N/A" && column("assisting_agencies") == "N/A")
    }

    @Test func exportedHistoryImportsBackToTheSameDiscussions() throws {
        let original = try discussions()
        var importer = RTDHistoryImporter(
            table: table, agencies: agencies, agenciesAtTable: [police, school], takenNumbers: [],
            guardian: IdentifierGuard())
        let back = try ImportPipeline.items(try CSVDocument(data: export(original)), &importer)
        #expect(back.count == 4)
        for (a, b) in zip(original, back) {
            var b = b
            b.id = a.id
            b.firstContactPlannedOn = a.firstContactPlannedOn
            #expect(a == b)
        }
    }

    @Test func everyBadRowIsReportedWithItsLineAndNothingIsReturned() throws {
        let csv = """
            discussion_id,date_presented,status,discussion_type,age_group,gender,originating_sector,summary,lead_sector,date_accepted,date_first_contact
            1,2025-02-30,Presented,person,16-17,female,police,,,,
            2,2025-03-01,Presented,martian,16-17,female,police,,,,
            3,2025-03-01,Presented,person,16-17,female,police,Call 519-555-0143,,,
            4,2025-03-01,active,person,16-17,female,police,,fire_ems,2025-03-01,2025-03-02
            """
        var importer = RTDHistoryImporter(
            table: table, agencies: agencies, agenciesAtTable: [police, school], takenNumbers: [1],
            guardian: IdentifierGuard())
        #expect(
            throws: WellplanError.invalid([
                FieldProblem("line 2: discussion_id", "error_discussion_number_taken", ["1"]),
                FieldProblem("line 2: date_presented", "error_not_day"),
                FieldProblem("line 3: discussion_type", "error_not_in_list", ["martian"]),
                FieldProblem("line 4: summary", "error_identifier_found", ["@identifier_phone", "6"]),
                FieldProblem("line 5: lead_agency", "error_no_agency_of_sector", ["Fire, EMS and paramedics"]),
            ])
        ) { try ImportPipeline.items(try CSVDocument(data: Data(csv.utf8)), &importer) }
    }

    @Test func aMissingColumnIsNamed() {
        var importer = RTDHistoryImporter(
            table: table, agencies: [:], agenciesAtTable: [], takenNumbers: [], guardian: IdentifierGuard())
        #expect(throws: WellplanError.invalid([FieldProblem("line 1: gender", "error_csv_missing_column", ["gender"])]))
        {
            try ImportPipeline.items(
                try CSVDocument(
                    data: Data("date_presented,status,discussion_type,age_group,originating_sector\n".utf8)), &importer)
        }
    }
}

@Suite struct CSVStreamTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../shared/data"
    ).standardized

    func streamed(_ url: URL, chunk: Int) throws -> (header: [String], rows: [CSVDocument.Row]) {
        var header: [String] = []
        var rows: [CSVDocument.Row] = []
        try CSVStream.read(url, chunkSize: chunk, header: { header = $0 }, row: { rows.append($0) })
        return (header, rows)
    }

    func file(_ bytes: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID()).csv")
        try bytes.write(to: url)
        return url
    }

    /// Small pieces cut through quotes, "\r\n" pairs and multi-byte characters; the rows must not change.
    @Test func piecesOfAnySizeReadAsTheWholeFileDoes() throws {
        let crafted = "name;note\r\n\"Zoë\";\"a \"\"quoted\"\"\r\nline\"\r\n\r\nÉlise;café ☕\r\n"
        let windows1252 = Data("name,ville\nRené,Montréal\n".utf8).map { $0 }  // re-encoded below
        var legacy = Data()
        for scalar in String(decoding: windows1252, as: UTF8.self).unicodeScalars { legacy.append(UInt8(scalar.value)) }
        let sources: [URL] = [
            try file(Data([0xEF, 0xBB, 0xBF]) + Data(crafted.utf8)), try file(legacy),
            Self.data.appendingPathComponent("surveys/limesurvey_chi_material/results-survey673185.csv"),
            Self.data.appendingPathComponent("crime/toronto_mci_2018.csv"),
        ]
        for url in sources {
            let whole = try CSVDocument(data: try Data(contentsOf: url))
            let sizes = url.path.contains("shared/data") ? [64, 1 << 20] : [1, 2, 5, 64]
            for chunk in sizes where !(chunk < 1000 && url.lastPathComponent == "toronto_mci_2018.csv") {
                let (header, rows) = try streamed(url, chunk: chunk)
                #expect(header == whole.header, "\(url.lastPathComponent) / \(chunk)")
                #expect(rows == whole.rows, "\(url.lastPathComponent) / \(chunk)")
            }
        }
        #expect(try CSVDocument(data: legacy).rows.first?.fields == ["René", "Montréal"])
    }

    @Test func anUnclosedQuoteIsRefusedWithItsLine() throws {
        let url = try file(Data("a,b\n1,2\n3,\"open\n4,5\n".utf8))
        #expect(throws: WellplanError.invalid([FieldProblem("line 3", "error_csv_unclosed_quote")])) {
            try CSVStream.read(url, chunkSize: 4, header: { _ in }, row: { _ in })
        }
    }
}
