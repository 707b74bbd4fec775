import Foundation
import Testing

@testable import WellplanCore

@Suite struct CohensKappaTests {
    /// Fifty units: both coders applied the code to 20, neither to 15, only the first to 5, only the second to 10.
    /// pₒ = 35/50 = 0.7; pₑ = 0.5·0.6 + 0.5·0.4 = 0.5; κ = (0.7 − 0.5) / (1 − 0.5) = 0.4.
    @Test func matchesTheHandComputedExample() {
        let pairs =
            Array(repeating: (true, true), count: 20) + Array(repeating: (false, false), count: 15)
            + Array(repeating: (true, false), count: 5) + Array(repeating: (false, true), count: 10)
        let k = CohensKappa(applied: pairs)
        #expect(k.units == 50 && abs(k.observed - 0.7) < 1e-12 && abs(k.expected - 0.5) < 1e-12)
        #expect(abs(k.kappa! - 0.4) < 1e-12)
    }

    @Test func perfectAgreementIsOneAndChanceAloneIsUndefined() {
        #expect(CohensKappa(applied: [(true, true), (false, false), (true, true)]).kappa == 1)
        #expect(CohensKappa(applied: [(true, true), (true, true)]).kappa == nil)
        #expect(CohensKappa(["a", "b", "c"].map { ($0, $0 == "a" ? "b" : "a") }).kappa! < 0)
    }
}

@Suite struct SurveyExportTests {
    static let surveys = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../shared/data/surveys"
    ).standardized

    static let qualtrics = """
        StartDate,EndDate,Status,IPAddress,Progress,Duration (in seconds),Finished,RecordedDate,ResponseId,RecipientEmail,Q1,Q2_1,Q3
        Start Date,End Date,Response Type,IP Address,Progress,Duration (in seconds),Finished,Recorded Date,Response ID,Recipient Email,How safe do you feel in your neighbourhood?,What would make it safer? - Lighting,Anything else?
        "{""ImportId"":""startDate""}","{""ImportId"":""endDate""}",,,,,,,"{""ImportId"":""_recordId""}",,"{""ImportId"":""QID1""}","{""ImportId"":""QID2_1""}","{""ImportId"":""QID3""}"
        2026-05-01 10:00,2026-05-01 10:05,0,192.0.2.1,100,300,1,2026-05-01 10:05,R_abc123,someone@example.com,Somewhat safe,Yes,"More lights, please"
        2026-05-01 11:00,2026-05-01 11:04,0,192.0.2.2,100,240,1,2026-05-01 11:04,R_def456,,Very safe,,
        """

    static let qualtricsWithoutIds = """
        StartDate,EndDate,Status,Progress,Duration (in seconds),Finished,RecordedDate,DistributionChannel,UserLanguage,Q_RecaptchaScore,Q1,Q2,Q2_DO
        Start Date,End Date,Response Type,Progress,Duration (in seconds),Finished,Recorded Date,Distribution Channel,User Language,Q_RecaptchaScore,Which school do you attend?,What subject worries you most?,Q2 - Display Order
        "{""ImportId"":""startDate""}","{""ImportId"":""endDate""}",,,,,,,,,"{""ImportId"":""QID1""}","{""ImportId"":""QID2""}",
        2026-05-01 10:00,2026-05-01 10:05,0,100,300,1,2026-05-01 10:05,anonymous,EN,0.9,Riverside,Math,1|2
        2026-05-01 11:00,2026-05-01 11:04,0,100,240,1,2026-05-01 11:04,anonymous,EN,0.8,Kennedy,French,2|1
        """

    static let microsoftForms = """
        ID,Start time,Completion time,Email,Name,Last modified time,How safe do you feel downtown?,What would help?
        1,5/1/26 10:00:00,5/1/26 10:04:00,anonymous,,,Somewhat safe,More lighting
        2,5/1/26 11:00:00,5/1/26 11:06:00,pat@example.org,Pat Doe,,Very safe,
        """

    static let surveyMonkey = """
        Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,Which places feel unsafe?,,,Anything else?
        ,,,,,,,,,Parks,Transit stops,Other (please specify),Open-Ended Response
        114000001,4200,05/01/2026 10:00:00 AM,05/01/2026 10:04:00 AM,192.0.2.1,,,,,Parks,,,Broken lights on Main
        114000002,4200,05/01/2026 11:00:00 AM,05/01/2026 11:06:00 AM,192.0.2.2,,,,,,Transit stops,the arena,
        """

    func read(_ path: String) throws -> SurveyExport {
        try SurveyExport(data: Data(contentsOf: Self.surveys.appendingPathComponent(path)))
    }

    /// Every export this suite reads, real and written here, and one whose answers hold line breaks, quotes
    /// and accents: read a piece at a time (as imports read them), at piece sizes that cut rows, fields and
    /// characters anywhere, each gives what reading the whole file gives.
    @Test func anExportReadPieceByPieceIsTheExportReadWhole() async throws {
        let real = try FileManager.default.subpathsOfDirectory(atPath: Self.surveys.path).filter {
            $0.hasSuffix(".csv")
        }
        let written = [Self.qualtrics, Self.qualtricsWithoutIds, Self.microsoftForms, Self.surveyMonkey]
        let awkward =
            "Timestamp,Qu'en pensez-vous ?,Why\n"
            + (1...40).map { "2026-05-\($0 % 28 + 1) 10:00,\"Très \"\"sûr\"\", \nvraiment\",é\($0)" }.joined(
                separator: "\n")
        var files = real.map { Self.surveys.appendingPathComponent($0) }
        for (n, text) in (written + [awkward]).enumerated() {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(n)-\(UUID()).csv")
            try Data(text.utf8).write(to: file)
            files.append(file)
        }
        #expect(real.count >= 9)
        for file in files {
            let data = try Data(contentsOf: file)
            let whole = try SurveyExport(data: data)
            // Pieces of a few bytes take long over the large real files, whose lines are long anyway.
            for size in data.count < 100_000 ? [7, 64, 1 << 20] : [4_096, 1 << 20] {
                let layout = try SurveyExport.Layout(of: file)
                var responses: [SurveyExport.Response] = []
                try await layout.responses(in: file, chunkSize: size) { responses += $0 }
                let name = "\(file.lastPathComponent) in pieces of \(size)"
                #expect(layout.dialect == whole.dialect, "\(name)")
                #expect(layout.questions == whole.questions, "\(name)")
                #expect(layout.droppedColumns == whole.droppedColumns, "\(name)")
                #expect(responses == whole.responses, "\(name)")
            }
        }
    }

    // Expected counts from Python's csv module on the same files (columns less the tools' bookkeeping ones).
    @Test func googleFormsExportReads() throws {
        let export = try read("google_forms_autistica_turing/Form_Responses_1.csv")
        #expect(export.dialect == .googleForms && export.questions.count == 4 && export.responses.count == 42)
        #expect(export.questions[1].text.hasPrefix("Q1: What information would you like us to know"))
        #expect(Set(export.responses.map(\.key)).count == 42)
    }

    @Test func limeSurveyExportReads() throws {
        let export = try read("limesurvey_chi_material/results-survey673185.csv")
        #expect(export.dialect == .limeSurvey && export.questions.count == 331 && export.responses.count == 10)
        #expect(
            export.questions[0]
                == .init(code: "SCREEN1dataFromHuman", text: "Did you collect data from human participants?"))
        #expect(export.responses[0].key == "7" && export.responses[0].answers["SCREEN1dataFromHuman"] == "Y")
    }

    @Test func koboExportsRead() throws {
        let households = try read("kobo_epfl_household_surveys/household_data.csv")
        #expect(households.dialect == .kobo && households.questions.count == 39 && households.responses.count == 1714)
        #expect(households.questions.contains { $0.code == "HHITEMS/Computer" && $0.text == "Computer" })
        let people = try read("kobo_epfl_household_surveys/individual_data.csv")
        #expect(
            people.questions.map(\.code) == [
                "City", "Site", "Relation_to_HH", "Sex", "School_past", "Diarrhoea", "Age_group",
            ])
        #expect(people.responses.count == 6284 && Set(people.responses.map(\.key)).count == 6284)
    }

    @Test func aQualtricsExportWithItsTwoHeaderRowsReads() throws {
        let csv = Self.qualtrics
        let export = try SurveyExport(data: Data(csv.utf8))
        #expect(export.dialect == .qualtrics)
        #expect(export.questions.map(\.code) == ["Q1", "Q2_1", "Q3"])
        #expect(export.questions[0].text == "How safe do you feel in your neighbourhood?")
        #expect(export.responses.map(\.key) == ["R_abc123", "R_def456"] && export.responses[0].line == 4)
        #expect(export.responses[0].answers == ["Q1": "Somewhat safe", "Q2_1": "Yes", "Q3": "More lights, please"])
        #expect(!"\(export.responses)".contains("192.0.2.1") && !"\(export.responses)".contains("someone@example.com"))
    }

    /// A real export had no ResponseId (taken out before sharing): recognised by its structure all the same,
    /// its questions named by their wording, nothing of its bookkeeping kept, and the dropped columns listed.
    @Test func aQualtricsExportWithoutResponseIdIsRecognisedByItsStructure() throws {
        let csv = Self.qualtricsWithoutIds
        let export = try SurveyExport(data: Data(csv.utf8))
        #expect(export.dialect == .qualtrics)
        #expect(export.questions.map(\.text) == ["Which school do you attend?", "What subject worries you most?"])
        #expect(export.responses.count == 2 && export.responses[0].line == 4)
        #expect(export.responses[0].answers == ["Q1": "Riverside", "Q2": "Math"])
        #expect(
            export.droppedColumns.contains("StartDate") && export.droppedColumns.contains("Q_RecaptchaScore")
                && export.droppedColumns.contains("Q2_DO"))
        #expect(Set(export.droppedColumns).isDisjoint(with: ["Q1", "Q2"]))
    }

    /// Microsoft Forms' Excel export saved as CSV: ID, times, e-mail and name first, then the questions.
    @Test func aMicrosoftFormsExportReads() throws {
        let csv = Self.microsoftForms
        let export = try SurveyExport(data: Data(csv.utf8))
        #expect(export.dialect == .microsoftForms)
        #expect(export.questions.map(\.code) == ["How safe do you feel downtown?", "What would help?"])
        #expect(export.responses.map(\.key) == ["1", "2"])
        #expect(!"\(export.responses)".contains("pat@example.org") && !"\(export.responses)".contains("Pat Doe"))
        #expect(
            Set(export.droppedColumns) == [
                "ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
            ])
    }

    /// SurveyMonkey's export: a row of questions, a question with several options spanning their columns
    /// with its text over the first only, and a row naming each column's option.
    @Test func aSurveyMonkeyExportWithItsTwoHeaderRowsReads() throws {
        let csv = Self.surveyMonkey
        let export = try SurveyExport(data: Data(csv.utf8))
        #expect(export.dialect == .surveyMonkey)
        #expect(
            export.questions.map(\.text) == [
                "Which places feel unsafe? — Parks", "Which places feel unsafe? — Transit stops",
                "Which places feel unsafe? — Other (please specify)",
                "Anything else?",
            ])
        #expect(
            export.responses.count == 2 && export.responses[0].line == 3
                && export.responses.map(\.key) == ["114000001", "114000002"])
        #expect(export.responses[1].answers["Which places feel unsafe? — Other (please specify)"] == "the arena")
        #expect(!"\(export.responses)".contains("192.0.2.1"))
        #expect(export.droppedColumns.contains("IP Address") && export.droppedColumns.contains("Custom Data 1"))
    }

    /// LimeSurvey exporting question codes only: told by its own columns.
    @Test func aLimeSurveyExportWithCodesOnlyReads() throws {
        let csv = """
            id,submitdate,lastpage,startlanguage,seed,SAFE1,COMMENT
            7,2026-05-01 10:04:00,2,en,12345,A2,Needs more patrols
            """
        let export = try SurveyExport(data: Data(csv.utf8))
        #expect(
            export.dialect == .limeSurvey && export.questions.map(\.code) == ["SAFE1", "COMMENT"]
                && export.responses[0].key == "7")
    }

    /// School alone leaves 8 of 20 respondents in groups under 10 (B: 6, C: 2); subject alone none; school
    /// and subject together all 20. Open answers are not read as describing anyone.
    @Test func answersThatTogetherSingleOutRespondentsAreNamed() throws {
        var lines = ["school,subject,comment"]
        for i in 0..<20 {
            let school = i < 12 ? "A" : i < 18 ? "B" : "C"
            lines.append(
                "\(school),\(i % 2 == 0 ? "Math" : "French"),Comment number \(i) about the park and the lights near it")
        }
        let export = try SurveyExport(data: Data(lines.joined(separator: "\n").utf8))
        let risks = SinglingOut.risks(in: export, minimum: 10)
        #expect(
            risks == [
                SinglingOut(questions: ["school", "subject"], respondents: 20),
                SinglingOut(questions: ["school"], respondents: 8),
            ])
        #expect(
            SinglingOut.risks(in: export, minimum: 2) == [
                SinglingOut(questions: ["school", "subject"], respondents: 2)
            ])
    }

    @Test func theSameFileGivesTheSameKeys() throws {
        let a = try read("google_forms_autistica_turing/Form_Responses_1.csv"),
            b = try read("google_forms_autistica_turing/Form_Responses_1.csv")
        #expect(a.responses.map(\.key) == b.responses.map(\.key))
    }
}

@Suite struct ColumnMappingTests {
    @Test func columnsGoWhereTheCoordinatorSendsThemOrByCode() throws {
        let known = UUID(), other = UUID()
        let existing = ["Q1": known, "Q9": other]
        let mapping = try ColumnMapping(choices: [("Q2", "\(other)"), ("Q3", "skip"), ("Q1", "auto")])
        let resolved = try mapping.resolve(["Q1", "Q2", "Q3", "Q4"], existing: existing)
        #expect(resolved == ["Q1": .existing(known), "Q2": .existing(other), "Q4": .new(code: "Q4")])
        #expect(throws: WellplanError.self) { try ColumnMapping(choices: [("Q2", "not-an-id")]) }
    }

    @Test func twoColumnsToOneQuestionAnUnknownQuestionOrColumnAreRefused() {
        let q = UUID()
        #expect(throws: WellplanError.invalid([FieldProblem("map.Q2", "error_two_columns_one_question", ["Q1"])])) {
            try ColumnMapping(["Q2": .question(q)]).resolve(["Q1", "Q2"], existing: ["Q1": q])
        }
        let stranger = UUID()
        #expect(
            throws: WellplanError.invalid([FieldProblem("map.Q1", "error_reference_not_found", [stranger.uuidString])])
        ) {
            try ColumnMapping(["Q1": .question(stranger)]).resolve(["Q1"], existing: [:])
        }
        #expect(throws: WellplanError.invalid([FieldProblem("map.Q7", "error_no_such_column")])) {
            try ColumnMapping(["Q7": .skip]).resolve(["Q1"], existing: [:])
        }
    }
}
